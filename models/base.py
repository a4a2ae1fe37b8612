"""Helpers shared by the table modules."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time, aware in UTC (SQLModel's UTCDateTime columns refuse naive values)."""
    return datetime.now(UTC)
