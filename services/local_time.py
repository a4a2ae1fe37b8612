"""The network's wall clock: members meet in Europe/Berlin, the database stores UTC."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo('Europe/Berlin')


def to_utc(local: datetime) -> datetime:
    """A wall-clock time in Berlin (naive) as an aware UTC time; 10:00 stays 10:00 across the DST change."""
    return local.replace(tzinfo=ZONE).astimezone(UTC)


def aware(value: datetime) -> datetime:
    """A stored time as aware UTC (SQLite hands them back without a zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_local(value: datetime) -> datetime:
    """An aware (or naive-UTC, as SQLite may hand back) time as naive Berlin wall-clock time."""
    return aware(value).astimezone(ZONE).replace(tzinfo=None)


def day_start(day: date) -> datetime:
    """Local midnight of a day, in UTC (23 or 25 hours apart around the DST change)."""
    return to_utc(datetime.combine(day, time()))


def today() -> date:
    return datetime.now(ZONE).date()


def week_start(day: date) -> date:
    """The Monday of a day's week (weeks start on Monday in Germany)."""
    return day - timedelta(days=day.weekday())
