"""Every German text the user can read has an English translation with the same placeholders."""

import re
import string

from services.catalogue_en import EN
from tests.catalogue_scan import texts


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_an_english_translation():
    missing = sorted(t for t in texts() if t not in EN)
    assert missing == []


def test_translations_keep_their_placeholders():
    wrong = [k for k, v in EN.items() if _fields(k) != _fields(v)]
    assert wrong == []


def test_catalogue_has_no_stale_entries():
    stale = sorted(set(EN) - texts())
    assert stale == []


def test_scan_finds_texts_of_pages_services_and_tables():
    found = texts()
    # One from a page, one from a service error, one from a navigation table: the scan itself must work.
    assert {'Passwort ändern', 'E-Mail-Adresse oder Passwort ist falsch.', 'Mitglieder'} <= found
    assert all(re.search(r'[A-Za-zÄÖÜäöüß]', t) for t in found)
