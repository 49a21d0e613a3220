import datetime

import pytest
from django.urls import reverse

from directives.models import Directive
from tasks import services
from tests.tasks.factories import DirectiveFactory

D = datetime.date


def test_list_filters_and_searches_without_diacritics(client_for, head_a, province):
    DirectiveFactory(number="2718/UBND-NC", issue_date=D(2020, 10, 9),
                     summary="Tăng cường công tác cải cách hành chính")  # fmt: skip
    DirectiveFactory(number="5580/KH-UBND", issue_date=D(2020, 12, 30),
                     summary="Kế hoạch xây dựng chính quyền số")  # fmt: skip
    client = client_for(head_a)
    found = client.get(reverse("directives:directive_list"), {"q": "cai cach hanh chinh"})
    assert [d.number for d in found.context["page"]] == ["2718/UBND-NC"]
    found = client.get(reverse("directives:directive_list"), {"doc_type": "KH", "year": 2020})
    assert [d.number for d in found.context["page"]] == ["5580/KH-UBND"]


@pytest.mark.parametrize("count", [10, 200])
def test_list_query_count_does_not_grow(client_for, head_a, province, django_assert_num_queries,
                                        count):  # fmt: skip
    for _ in range(count):
        DirectiveFactory()
    client = client_for(head_a)
    client.get(reverse("directives:directive_list"))
    # session, user, paginator count, page of directives (issuer joined), their areas
    # (prefetch), the user's unit (menu), issuer and area drop-downs, savepoint, session save,
    # release
    with django_assert_num_queries(11):
        client.get(reverse("directives:directive_list"))


def test_detail_shows_only_own_units_progress(client_for, head_a, head_b, unit_a, unit_b, province):
    directive = DirectiveFactory()
    services.task_create(directive=directive, item_number="1", title="Việc của A", lead_unit=unit_a)
    services.task_create(directive=directive, item_number="2", title="Việc của B", lead_unit=unit_b)
    page = client_for(head_a).get(reverse("directives:directive_detail", args=[directive.pk]))
    body = page.content.decode()
    assert "Việc của A" in body
    assert "Việc của B" not in body


def test_create_is_for_home_affairs_and_reports_duplicates(client, client_for, home_affairs,
                                                           head_a, province):  # fmt: skip
    url = reverse("directives:directive_create")
    assert client_for(head_a).get(url).status_code == 403
    client.logout()
    client = client_for(home_affairs)
    data = {"number": "5580/KH-UBND", "issue_date": "30/12/2020", "issuer": province.pk,
            "summary": "Kế hoạch", "validity": "in_force"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "đã ban hành văn bản số 5580" in response.content.decode()
    response = client.post(url, {**data, "number": "KH-5580"})
    assert "không phải là số văn bản" in response.content.decode()
    assert Directive.objects.count() == 1


def test_edit_and_unknown_id(client_for, home_affairs, province):
    directive = DirectiveFactory()
    client = client_for(home_affairs)
    assert client.get(reverse("directives:directive_edit", args=[directive.pk])).status_code == 200
    assert client.get(reverse("directives:directive_detail", args=[99999])).status_code == 404
