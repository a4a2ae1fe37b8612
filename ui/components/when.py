"""Times as people read them: "vor 3 Stunden", with the exact time in the viewer's zone for a closer look."""

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from ui.i18n import _, current_language

ZONE = ZoneInfo('Europe/Berlin')  # where the network's members are; a per-user zone can come later
LOCALES = {'de': 'de_DE', 'en': 'en_GB'}


def _locale() -> str:
    return LOCALES.get(current_language(), 'de_DE')


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def ago(value: datetime, *, now: datetime | None = None) -> str:
    """ "vor 3 Stunden" / "3 hours ago"."""
    delta = _aware(value) - (now or datetime.now(UTC))
    if abs(delta.total_seconds()) < 60:
        return _('gerade eben')
    return format_timedelta(delta, granularity='minute', threshold=1.0, add_direction=True, format='long',
                            locale=_locale())


def exact(value: datetime) -> str:
    """ "28.11.2026, 16:05" in the network's time zone."""
    pattern = 'dd.MM.yyyy, HH:mm' if current_language() == 'de' else 'd MMM yyyy, HH:mm'
    return format_datetime(_aware(value).astimezone(ZONE), pattern, locale=_locale())


def time_html(value: datetime) -> str:
    """A <time> element: relative text, exact time as its title and machine-readable value."""
    aware = _aware(value)
    return (f'<time datetime="{escape(aware.isoformat())}" title="{escape(exact(aware))}">'
            f'{escape(ago(aware))}</time>')
