"""Free-text search: every word of the query, in any order and without diacritics, is found in
the record's folded search_text; a directive is found by its document type's name or
abbreviation as well ("cong van 2718", "KH 5580")."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from core.text import search_words_q
from directives.models import Directive
from organizations.models import OrgUnit
from tasks import services
from tests.tasks.factories import DirectiveFactory

D = datetime.date


@pytest.fixture
def directives(province):
    return [
        DirectiveFactory(
            number="2718/UBND-NC",
            issue_date=D(2020, 10, 9),
            summary="Tăng cường công tác cải cách hành chính",
        ),  # fmt: skip
        DirectiveFactory(
            number="5580/KH-UBND",
            issue_date=D(2020, 12, 30),
            summary="Kế hoạch xây dựng chính quyền số",
        ),  # fmt: skip
    ]


def _found(client, query) -> list[str]:
    response = client.get(reverse("directives:directive_list"), {"q": query})
    assert response.status_code == 200
    return [directive.number for directive in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("2718", ["2718/UBND-NC"]),
        ("cong van 2718", ["2718/UBND-NC"]),
        ("công văn 2718", ["2718/UBND-NC"]),
        ("2718 cong van", ["2718/UBND-NC"]),
        ("CV 2718", ["2718/UBND-NC"]),
        ("kế hoạch 5580", ["5580/KH-UBND"]),
        ("KH 5580", ["5580/KH-UBND"]),
        ("chinh quyen so ke hoach", ["5580/KH-UBND"]),
        ("cong van 5580", []),
        ("ke hoach 2718", []),
    ],
)
def test_directive_search_matches_every_word_with_the_type(
    client_for, head_a, directives, query, numbers
):
    assert _found(client_for(head_a), query) == numbers


def test_existing_directives_are_backfilled_by_the_migration(client_for, head_a, directives):
    # given directives whose search_text predates the type words
    Directive.objects.filter(number="2718/UBND-NC").update(search_text="2718/ubnd-nc")
    assert _found(client_for(head_a), "cong van 2718") == []

    migration = importlib.import_module("directives.migrations.0003_search_text_document_type")
    migration.recompute(apps, None)

    assert _found(client_for(head_a), "cong van 2718") == ["2718/UBND-NC"]


def test_assignment_search_matches_words_across_the_task_and_its_directive(
    client_for, head_a, unit_a, directives
):
    plan = directives[1]
    services.task_create(directive=plan, item_number="1", title="Rà soát thủ tục", lead_unit=unit_a)
    services.task_create(directive=plan, item_number="2", title="Đào tạo", lead_unit=unit_a)
    client = client_for(head_a)

    found = client.get(reverse("tasks:inbox"), {"q": "ra soat KH 5580"}).context["page"]

    assert [assignment.task.item_number for assignment in found] == ["1"]


def test_unit_search_matches_words_in_any_order(client_for, home_affairs, unit_a, unit_b):
    body = client_for(home_affairs).get("/don-vi/", {"q": "tai chinh so"}).content.decode()
    assert "Sở Tài chính" in body
    assert "Sở Tư pháp" not in body


def test_search_words_q_needs_every_word_and_ignores_an_empty_query(unit_a, unit_b):
    units = OrgUnit.objects.filter(code__in=["STC", "STP"])
    assert list(units.filter(search_words_q("so", "search_text")).order_by("code")) == [
        unit_a,
        unit_b,
    ]
    assert list(units.filter(search_words_q("tư so", "search_text"))) == [unit_b]
    assert units.filter(search_words_q("  ", "search_text")).count() == 2
