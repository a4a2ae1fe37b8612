"""Numbers from addresses: people edit URLs by hand, and a number the database cannot hold is simply not found."""

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint store


def parse_id(value: str | None) -> int:
    """A positive id from the address; ValueError for anything else (too big included)."""
    number = int((value or '').strip())
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def optional_id(value: str | None) -> int | None:
    """parse_id, or None for an empty or unusable value (filters ignore it)."""
    try:
        return parse_id(value)
    except ValueError:
        return None
