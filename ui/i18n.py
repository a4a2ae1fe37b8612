"""One translation mechanism: German source texts are the keys, `catalogue_en.py` holds the English ones."""

from nicegui import app

from services.errors import DomainError
from ui.catalogue_en import EN

LANGUAGES = {'de': 'Deutsch', 'en': 'English'}
DEFAULT_LANGUAGE = 'de'
# Quasar's language packs, so its own texts (date pickers, "no data" …) follow the user's language.
QUASAR_LANGUAGE = {'de': 'de', 'en': 'en-GB'}


def current_language() -> str:
    """The language of the current browser: the signed-in user's choice, else German."""
    try:
        lang = app.storage.user.get('lang', DEFAULT_LANGUAGE)
    except (RuntimeError, AssertionError):  # outside a request (start-up, commands)
        return DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _(text: str, **params: object) -> str:
    """Translate a German text for the current user and fill in its {placeholders}."""
    if current_language() == 'en':
        text = EN.get(text, text)
    return text.format(**params) if params else text


def error_text(error: DomainError) -> str:
    """A service error as the user reads it."""
    return _(error.message, **error.params)


def member_count(n: int) -> str:
    """'1 Mitglied' / '{n} Mitglieder', in the user's language."""
    return _('1 Mitglied') if n == 1 else _('{n} Mitglieder', n=n)
