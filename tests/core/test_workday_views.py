import datetime

from django.urls import reverse

from core import workdays
from core.models import WorkdayOverride


def test_home_affairs_adds_and_removes_a_swap_day(client_for, home_affairs):
    client = client_for(home_affairs)
    url = reverse("core:workday_override_list")
    # When a swap day is added
    response = client.post(url, {"date": "14/03/2026", "kind": "working_day", "note": "Làm bù"})
    # Then it is stored and the calendar knows it
    assert response.status_code == 302
    override = WorkdayOverride.objects.get()
    assert override.date == datetime.date(2026, 3, 14)
    assert workdays.is_working_day(datetime.date(2026, 3, 14))
    assert "14/03/2026" in client.get(url).content.decode()
    # When it is removed
    client.post(reverse("core:workday_override_delete", args=[override.pk]))
    assert not WorkdayOverride.objects.exists()
    assert not workdays.is_working_day(datetime.date(2026, 3, 14))


def test_a_duplicate_day_is_refused_in_vietnamese(client_for, home_affairs):
    WorkdayOverride.objects.create(date=datetime.date(2026, 3, 14), kind="working_day")
    response = client_for(home_affairs).post(
        reverse("core:workday_override_list"), {"date": "14/03/2026", "kind": "day_off"}
    )
    assert response.status_code == 200
    assert WorkdayOverride.objects.count() == 1


def test_unit_staff_cannot_edit_the_calendar(client_for, staff_a):
    response = client_for(staff_a).get(reverse("core:workday_override_list"))
    assert response.status_code == 403
