"""One translation mechanism: German source texts are the keys, `catalogue_en.py` holds the English ones."""

from nicegui import app

from services.catalogue_en import EN
from services.errors import DomainError

LANGUAGES = {'de': 'Deutsch', 'en': 'English'}
DEFAULT_LANGUAGE = 'de'
# Quasar's language packs, so its own texts (date pickers, "no data" …) follow the user's language.
QUASAR_LANGUAGE = {'de': 'de', 'en': 'en-GB'}


# The network's default language (setting "default_language"): for visitors who chose none. Kept here, not read
# from the database on each `_()`, and refreshed by ui.layout on every page and on each settings change.
_site_language = [DEFAULT_LANGUAGE]


def set_site_language(lang: str) -> None:
    if lang in LANGUAGES:
        _site_language[0] = lang


def site_language() -> str:
    return _site_language[0]


def current_language() -> str:
    """The language of the current browser: the signed-in user's (or visitor's) choice, else the network's default."""
    try:
        lang = app.storage.user.get('lang')
    except (RuntimeError, AssertionError):  # outside a request (start-up, commands, live updates)
        return _site_language[0]
    return lang if lang in LANGUAGES else _site_language[0]


def _(text: str, **params: object) -> str:
    """Translate a German text for the current user and fill in its {placeholders}."""
    return translate(text, current_language(), **params)


def translate(text: str, lang: str, **params: object) -> str:
    """Translate a German text into `lang`: for live updates of a page, which run in another browser's request."""
    if lang == 'en':
        text = EN.get(text, text)
    return text.format(**params) if params else text


def error_text(error: DomainError) -> str:
    """A service error as the user reads it."""
    return _(error.message, **error.params)


def member_count(n: int) -> str:
    """'1 Mitglied' / '{n} Mitglieder', in the user's language."""
    return _('1 Mitglied') if n == 1 else _('{n} Mitglieder', n=n)
