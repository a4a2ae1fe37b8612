"""Full-text search behind one interface: FTS5 on SQLite.

German-aware by folding both the indexed text and the query: lower case, ä/ö/ü/ß spelled ae/oe/ue/ss, other accents
dropped. So "Buergerbeteiligung", "bürgerbeteiligung" and "Bürgerbeteiligung" are one word to the index.
"""

import re
import unicodedata
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

_SPELLED_OUT = str.maketrans({'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss', 'ẞ': 'ss'})
_WORD = re.compile(r'\w+', re.UNICODE)
MAX_TERMS = 8

MEMBER_FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS member_fts USING fts5("
    "name, organization, position, department, tags, bio, location, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
# Column weights for bm25, in the order above: a name or a tag says more than a word in a bio.
MEMBER_WEIGHTS = '10.0, 3.0, 4.0, 4.0, 6.0, 1.0, 2.0'


class SearchUnavailable(RuntimeError):
    """The SQLite library has no FTS5; the start-up message says what to do."""


def fold(value: str) -> str:
    """Text as the index sees it: lower case, umlauts spelled out, no accents, single spaces."""
    lowered = (value or '').lower().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize('NFKD', lowered)
    return ' '.join(''.join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def terms(query: str) -> list[str]:
    """The folded words of a query (at most MAX_TERMS, each at most 40 characters)."""
    return [w[:40] for w in _WORD.findall(fold(query))][:MAX_TERMS]


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word must occur, each as a prefix ("sachbearb amt" while typing).

    Words are quoted, so FTS5 operators typed by a user (AND, NEAR, *, ", :) are just text.
    """
    words = terms(query)
    if not words:
        return None
    return ' '.join(f'"{w}"*' for w in words)


def check_fts5(connection: Connection) -> None:
    """Fail early, with a clear message, where SQLite was built without FTS5."""
    if connection.dialect.name != 'sqlite':
        return
    try:
        connection.exec_driver_sql('CREATE VIRTUAL TABLE temp.vn_fts5_probe USING fts5(x)')
        connection.exec_driver_sql('DROP TABLE temp.vn_fts5_probe')
    except Exception as e:  # noqa: BLE001 - any failure here means: no FTS5
        raise SearchUnavailable(
            'SQLite on this machine has no FTS5 full-text search. Use a Python whose sqlite3 module includes FTS5 '
            '(the python.org and Debian builds do) or PostgreSQL (VN_DATABASE_URL).'
        ) from e


def create_member_index(connection: Connection) -> None:
    if connection.dialect.name == 'sqlite':
        connection.exec_driver_sql(MEMBER_FTS_DDL)


def index_member(session: Session, user_id: int, fields: dict[str, str]) -> None:
    """Replace one member's row in the index (inside the caller's transaction)."""
    session.execute(text('DELETE FROM member_fts WHERE rowid = :id'), {'id': user_id})
    values: dict[str, Any] = {k: fold(fields.get(k, '')) for k in
                              ('name', 'organization', 'position', 'department', 'tags', 'bio', 'location')}
    session.execute(
        text('INSERT INTO member_fts (rowid, name, organization, position, department, tags, bio, location) '
             'VALUES (:id, :name, :organization, :position, :department, :tags, :bio, :location)'),
        {'id': user_id, **values},
    )


def remove_member(session: Session, user_id: int) -> None:
    session.execute(text('DELETE FROM member_fts WHERE rowid = :id'), {'id': user_id})
