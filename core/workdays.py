"""The working-day calendar: Vietnam's public holidays plus the swaps Home Affairs enters.

A day is a working day unless it is a Saturday or Sunday or a public holiday (from the `holidays`
package, which also knows the substituted days off and the Saturdays worked in exchange); a row in
core.WorkdayOverride wins over both. Deadlines of dossiers count in these days.

The calendar of a year is computed once per process and kept; an edit of the override table
(through core.services) clears it here and bumps a version in the shared cache, which the other
processes check at most every OVERRIDES_RECHECK_SECONDS.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass

import holidays
from django.core.cache import cache
from django.utils import timezone

OVERRIDES_VERSION_KEY = "core:workday-overrides-version"
OVERRIDES_RECHECK_SECONDS = 30
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class _YearCalendar:
    days_off: frozenset[datetime.date]  # weekdays that are not worked
    weekend_working: frozenset[datetime.date]  # Saturdays/Sundays that are worked


_lock = threading.Lock()
_years: dict[int, _YearCalendar] = {}
_seen_version: object = None
_checked_at = 0.0


def invalidate() -> None:
    """Forget every year here and tell the other processes (called when overrides change)."""
    global _seen_version
    with _lock:
        _years.clear()
        _seen_version = time.time_ns()
        cache.set(OVERRIDES_VERSION_KEY, _seen_version, None)


def _check_shared_version() -> None:
    global _seen_version, _checked_at
    now = time.monotonic()
    if now - _checked_at < OVERRIDES_RECHECK_SECONDS:
        return
    _checked_at = now
    version = cache.get(OVERRIDES_VERSION_KEY)
    if version != _seen_version:
        with _lock:
            _years.clear()
            _seen_version = version


def _build_year(year: int) -> _YearCalendar:
    from core.models import WorkdayOverride, WorkdayOverrideKind

    public = holidays.country_holidays("VN", years=year)
    days_off = {day for day in public if day.year == year}
    weekend_working = {day for day in public.weekend_workdays if day.year == year}
    overrides = WorkdayOverride.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    ).values_list("date", "kind")
    for day, kind in overrides:
        if kind == WorkdayOverrideKind.DAY_OFF:
            days_off.add(day)
            weekend_working.discard(day)
        else:
            days_off.discard(day)
            if day.weekday() >= 5:
                weekend_working.add(day)
    return _YearCalendar(frozenset(days_off), frozenset(weekend_working))


def _year(year: int) -> _YearCalendar:
    _check_shared_version()
    calendar = _years.get(year)
    if calendar is None:
        calendar = _build_year(year)
        with _lock:
            _years[year] = calendar
    return calendar


def is_working_day(day: datetime.date) -> bool:
    calendar = _year(day.year)
    if day.weekday() >= 5:
        return day in calendar.weekend_working
    return day not in calendar.days_off


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after `day`."""
    day += ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    return day if is_working_day(day) else next_working_day(day)


def _local(moment: datetime.datetime | datetime.date) -> tuple[datetime.date, int | None]:
    if isinstance(moment, datetime.datetime):
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return local.date(), local.hour
    return moment, None


def counting_start(
    moment: datetime.datetime | datetime.date, *, cutoff_hour: int | None = None
) -> datetime.date:
    """The working day a receipt counts as made on.

    A receipt on a day off counts from the next working day; so does one at or after the
    cut-off hour (a dossier handed in at 16:30 with a 16:00 cut-off is received tomorrow).
    """
    day, hour = _local(moment)
    if not is_working_day(day):
        return next_working_day(day)
    if cutoff_hour is not None and hour is not None and hour >= cutoff_hour:
        return next_working_day(day)
    return day


def add_working_days(
    moment: datetime.datetime | datetime.date, n: int, *, cutoff_hour: int | None = None
) -> datetime.date:
    """The date n working days after the receipt `moment` (the appointment date).

    Received on Monday morning with a three-day limit -> Thursday. n = 0 gives the counting
    start itself (a same-day procedure).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = counting_start(moment, cutoff_hour=cutoff_hour)
    for _ in range(n):
        day = next_working_day(day)
    return day


def add_calendar_days(
    moment: datetime.datetime | datetime.date, n: int, *, cutoff_hour: int | None = None
) -> datetime.date:
    """n calendar days after the receipt; a result on a day off moves to the next working day."""
    day, hour = _local(moment)
    if cutoff_hour is not None and hour is not None and hour >= cutoff_hour:
        day += ONE_DAY
    return working_day_on_or_after(day + datetime.timedelta(days=n))


def working_days_between(
    start: datetime.datetime | datetime.date, end: datetime.datetime | datetime.date
) -> int:
    """Working days after `start` up to and including `end` (negative when end < start).

    The inverse of add_working_days for a receipt on a working day before the cut-off:
    working_days_between(d, add_working_days(d, n)) == n.
    """
    a, _ = _local(start)
    b, _ = _local(end)
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a + ONE_DAY
    while day <= b:
        if is_working_day(day):
            count += 1
        day += ONE_DAY
    return count
