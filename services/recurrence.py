"""Repeat rules of event series: weekly every N weeks, monthly on a weekday ("jeden ersten Dienstag") or a date.

Occurrences are computed only for the range being viewed, by arithmetic on the wall-clock date: a month view with a
thousand series costs milliseconds, where stepping dateutil's rrule from each series' start would cost a tenth of
a second. The tests check these dates against dateutil's RFC 5545 implementation; the iCalendar export writes the
same rule as RRULE.
"""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.event import Repeat

WEEKDAYS_ICAL = ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')
MAX_INTERVAL = 12
MAX_SERIES_DAYS = 731  # a series ends within two years of its start (also when no end was given)


@dataclass(frozen=True)
class Rule:
    kind: str  # a Repeat value other than NONE
    interval: int
    until: date  # last possible day (local)


def nth_weekday(day: date) -> int:
    """Which of its month's weekdays a day is: 1-4, or -1 for a fifth one (the series then keeps "the last")."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def _weekday_in_month(year: int, month: int, weekday: int, n: int) -> date | None:
    days = calendar.monthrange(year, month)[1]
    if n > 0:
        first = date(year, month, 1)
        day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    else:
        last = date(year, month, days)
        day = days - (last.weekday() - weekday) % 7
    return date(year, month, day) if 1 <= day <= days else None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def occurrence_days(first: date, rule: Rule, start: date, end: date) -> Iterator[date]:
    """The series' days d with start <= d < end (and d <= rule.until), in order; `first` is the series' first day."""
    end = min(end, rule.until + timedelta(days=1))
    start = max(start, first)
    if start >= end:
        return
    if rule.kind == Repeat.WEEKLY:
        step = 7 * rule.interval
        skipped = -(-(start - first).days // step)  # whole steps before `start`, rounded up
        day = first + timedelta(days=skipped * step)
        while day < end:
            yield day
            day += timedelta(days=step)
        return
    months_before = (start.year - first.year) * 12 + start.month - first.month
    k = max(0, months_before // rule.interval - 1)  # one step early: its day may still fall after `start`
    n = nth_weekday(first)
    while True:
        year, month = _add_months(first.year, first.month, k * rule.interval)
        if date(year, month, 1) >= end:
            return
        if rule.kind == Repeat.MONTHLY_WEEKDAY:
            day = _weekday_in_month(year, month, first.weekday(), n)
        else:  # a 31st is skipped in shorter months, as RFC 5545 does
            day = date(year, month, first.day) if first.day <= calendar.monthrange(year, month)[1] else None
        if day is not None and start <= day < end:
            yield day
        k += 1


def occurrence_starts(first_local: datetime, rule: Rule, start: date, end: date) -> Iterator[datetime]:
    """Local start times of the occurrences whose day lies in [start, end)."""
    for day in occurrence_days(first_local.date(), rule, start, end):
        yield datetime.combine(day, first_local.time())


def is_occurrence(first: date, rule: Rule, day: date) -> bool:
    return next(occurrence_days(first, rule, day, day + timedelta(days=1)), None) == day


def last_day(first: date, rule: Rule) -> date:
    """The day of the series' last occurrence (for its end in the database and in the UI)."""
    # A monthly rule skips at most a few months in a row; three intervals back always hold an occurrence.
    window = timedelta(days=7 * rule.interval) if rule.kind == Repeat.WEEKLY else timedelta(days=93 * rule.interval)
    days = list(occurrence_days(first, rule, max(first, rule.until - window), rule.until + timedelta(days=1)))
    return days[-1] if days else first


def ical_rule(first: date, rule: Rule) -> dict[str, object]:
    """The rule as the fields of an iCalendar RRULE (UNTIL is added by the caller, in UTC)."""
    parts: dict[str, object] = {'FREQ': 'WEEKLY' if rule.kind == Repeat.WEEKLY else 'MONTHLY'}
    if rule.interval > 1:
        parts['INTERVAL'] = rule.interval
    if rule.kind == Repeat.MONTHLY_WEEKDAY:
        parts['BYDAY'] = f'{nth_weekday(first)}{WEEKDAYS_ICAL[first.weekday()]}'
    elif rule.kind == Repeat.MONTHLY_DATE:
        parts['BYMONTHDAY'] = first.day
    return parts
