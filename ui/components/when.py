"""Times as people read them: "vor 3 Stunden", with the exact time in the viewer's zone for a closer look.

A thread page shows 50 times: the wording comes from Babel once per (language, amount, unit) and is cached, and the
exact time is formatted from numbers, so a page pays microseconds, not Babel's milliseconds.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from html import escape

from babel.dates import format_timedelta

from services.local_time import ZONE, aware
from ui.i18n import _, current_language

LOCALES = {'de': 'de_DE', 'en': 'en_GB'}
MONTHS_EN = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')
_UNITS = (('year', 365 * 86400), ('month', 30 * 86400), ('week', 7 * 86400), ('day', 86400), ('hour', 3600),
          ('minute', 60))


@lru_cache(maxsize=512)
def _wording(lang: str, amount: int, unit_seconds: int) -> str:
    return format_timedelta(timedelta(seconds=-amount * unit_seconds), granularity='minute', threshold=1.0,
                            add_direction=True, format='long', locale=LOCALES.get(lang, 'de_DE'))


def ago(value: datetime, *, now: datetime | None = None) -> str:
    """ "vor 3 Stunden" / "3 hours ago"."""
    seconds = ((now or datetime.now(UTC)) - aware(value)).total_seconds()
    if abs(seconds) < 60:
        return _('gerade eben')
    for _unit, size in _UNITS:
        if abs(seconds) >= size:
            return _wording(current_language(), round(seconds / size), size)
    return _('gerade eben')


def exact(value: datetime) -> str:
    """ "28.11.2026, 16:05" (or "28 Nov 2026, 16:05") in the network's time zone."""
    local = aware(value).astimezone(ZONE)
    if current_language() == 'en':
        return f'{local.day} {MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M}'
    return f'{local:%d.%m.%Y, %H:%M}'


def time_html(value: datetime) -> str:
    """A <time> element: relative text, exact time as its title and machine-readable value."""
    utc = aware(value)
    return (f'<time datetime="{escape(utc.isoformat())}" title="{escape(exact(utc))}">'
            f'{escape(ago(utc))}</time>')
