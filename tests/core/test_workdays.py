"""The working-day calendar: public holidays, swaps, the cut-off hour, and the inverse property."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import workdays
from core.models import WorkdayOverride, WorkdayOverrideKind

D = datetime.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 1), False),  # New Year
        (D(2025, 1, 24), True),  # last Friday before Tết 2025
        (D(2025, 1, 27), False),  # Tết 2025
        (D(2025, 1, 29), False),  # mùng 1
        (D(2025, 1, 31), False),
        (D(2025, 2, 3), True),  # back to work
        (D(2025, 4, 7), False),  # Hùng Kings' day 2025
        (D(2025, 4, 26), True),  # Saturday worked in exchange for 2/5
        (D(2025, 4, 30), False),
        (D(2025, 5, 1), False),
        (D(2025, 5, 2), False),  # the swapped day off
        (D(2025, 9, 1), False),
        (D(2025, 9, 2), False),
        (D(2025, 9, 3), True),
        (D(2026, 2, 13), True),  # Friday before Tết 2026
        (D(2026, 2, 16), False),
        (D(2026, 2, 20), False),
        (D(2026, 2, 23), True),
        (D(2026, 4, 30), False),
        (D(2026, 5, 1), False),
        (D(2026, 9, 2), False),
        (D(2026, 3, 14), False),  # an ordinary Saturday
        (D(2026, 3, 16), True),  # an ordinary Monday
    ],
)
def test_public_holidays_and_weekends(day, working):
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (datetime.datetime(2026, 3, 16, 9, tzinfo=VN), 3, D(2026, 3, 19)),  # Mon + 3 = Thu
        (datetime.datetime(2026, 3, 20, 9, tzinfo=VN), 1, D(2026, 3, 23)),  # Fri + 1 = Mon
        (datetime.datetime(2026, 3, 21, 9, tzinfo=VN), 1, D(2026, 3, 24)),  # Sat counts from Mon
        (datetime.datetime(2025, 1, 24, 9, tzinfo=VN), 1, D(2025, 2, 3)),  # over Tết 2025
        (datetime.datetime(2026, 2, 12, 9, tzinfo=VN), 2, D(2026, 2, 23)),  # over Tết 2026
        (datetime.datetime(2025, 4, 25, 9, tzinfo=VN), 1, D(2025, 4, 26)),  # the worked Saturday
        (datetime.datetime(2025, 4, 29, 9, tzinfo=VN), 1, D(2025, 5, 5)),  # over 30/4-2/5
        (datetime.datetime(2025, 8, 29, 9, tzinfo=VN), 1, D(2025, 9, 3)),  # over 2/9
        (datetime.datetime(2026, 3, 16, 9, tzinfo=VN), 0, D(2026, 3, 16)),  # same-day procedure
    ],
)
def test_add_working_days(received, n, due):
    assert workdays.add_working_days(received, n) == due


def test_receipt_after_cutoff_counts_from_next_working_day():
    # Given a procedure with a 16:00 cut-off
    before = datetime.datetime(2026, 3, 16, 15, 59, tzinfo=VN)
    after = datetime.datetime(2026, 3, 16, 16, 0, tzinfo=VN)
    # Then one minute decides a day
    assert workdays.add_working_days(before, 1, cutoff_hour=16) == D(2026, 3, 17)
    assert workdays.add_working_days(after, 1, cutoff_hour=16) == D(2026, 3, 18)
    # And a same-day procedure received late is due the next working day
    friday_late = datetime.datetime(2026, 3, 20, 17, tzinfo=VN)
    assert workdays.add_working_days(friday_late, 0, cutoff_hour=16) == D(2026, 3, 23)


def test_cutoff_uses_vietnam_time_for_utc_moments():
    # 09:30 UTC is 16:30 in Vietnam: after a 16:00 cut-off
    moment = datetime.datetime(2026, 3, 16, 9, 30, tzinfo=datetime.UTC)
    assert workdays.counting_start(moment, cutoff_hour=16) == D(2026, 3, 17)


def test_calendar_days_land_on_a_working_day():
    # 5 calendar days from Monday 16/3/2026 is Saturday 21/3: moved to Monday 23/3
    assert workdays.add_calendar_days(D(2026, 3, 16), 5) == D(2026, 3, 23)
    assert workdays.add_calendar_days(D(2026, 3, 16), 3) == D(2026, 3, 19)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 3, 16), D(2026, 3, 20), 4),
        (D(2026, 3, 20), D(2026, 3, 23), 1),
        (D(2025, 1, 24), D(2025, 2, 3), 1),
        (D(2026, 3, 16), D(2026, 3, 16), 0),
        (D(2026, 3, 20), D(2026, 3, 16), -4),
    ],
)
def test_working_days_between(start, end, count):
    assert workdays.working_days_between(start, end) == count


def test_an_override_swaps_a_day_and_takes_effect_at_once():
    # Given an ordinary Monday and Saturday
    monday, saturday = D(2026, 3, 16), D(2026, 3, 14)
    assert workdays.is_working_day(monday)
    # When Home Affairs gives the Monday off in exchange for the Saturday
    WorkdayOverride.objects.create(date=monday, kind=WorkdayOverrideKind.DAY_OFF)
    WorkdayOverride.objects.create(date=saturday, kind=WorkdayOverrideKind.WORKING_DAY)
    # Then the calendar follows
    assert not workdays.is_working_day(monday)
    assert workdays.is_working_day(saturday)
    assert workdays.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 14)
    # And removing the override restores the rule
    WorkdayOverride.objects.filter(date=monday).delete()
    assert workdays.is_working_day(monday)


def test_an_override_can_cancel_a_package_holiday():
    WorkdayOverride.objects.create(date=D(2025, 5, 2), kind=WorkdayOverrideKind.WORKING_DAY)
    assert workdays.is_working_day(D(2025, 5, 2))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_adding_then_counting_gives_back_n(start, n):
    # For a receipt on a working day (before any cut-off) the two functions are inverses
    received = workdays.working_day_on_or_after(start)
    due = workdays.add_working_days(received, n)
    assert workdays.working_days_between(received, due) == n
    assert workdays.is_working_day(due)
