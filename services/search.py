"""Full-text search behind one interface: FTS5 on SQLite, tsvector with a GIN index on PostgreSQL.

German-aware by folding both the indexed text and the query: lower case, ä/ö/ü/ß spelled ae/oe/ue/ss, other accents
dropped. So "Buergerbeteiligung", "bürgerbeteiligung" and "Bürgerbeteiligung" are one word to the index. Folding is
ours on both databases (PostgreSQL's 'simple' configuration), so both find the same members.
"""

import re
import unicodedata
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

_SPELLED_OUT = str.maketrans({'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss', 'ẞ': 'ss'})
_WORD = re.compile(r'\w+', re.UNICODE)
MAX_TERMS = 8
COLUMNS = ('name', 'organization', 'position', 'department', 'tags', 'bio', 'location')

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS member_fts USING fts5("
    "name, organization, position, department, tags, bio, location, "
    "tokenize = 'unicode61 remove_diacritics 2')",
)
POSTGRES_DDL = (
    'CREATE TABLE IF NOT EXISTS member_fts ('
    ' user_id INTEGER PRIMARY KEY REFERENCES "user"(id) ON DELETE CASCADE,'
    ' document TSVECTOR NOT NULL)',
    'CREATE INDEX IF NOT EXISTS ix_member_fts_document ON member_fts USING GIN (document)',
)
# Weights: a name or a tag says more than a word in a bio. bm25 takes one per column (in COLUMNS order);
# PostgreSQL has four classes A-D.
SQLITE_WEIGHTS = '10.0, 3.0, 4.0, 4.0, 6.0, 1.0, 2.0'
POSTGRES_DOCUMENT = (
    "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :tags), 'A') || "
    "setweight(to_tsvector('simple', :position || ' ' || :department), 'B') || "
    "setweight(to_tsvector('simple', :organization), 'C') || "
    "setweight(to_tsvector('simple', :bio || ' ' || :location), 'D')"
)

Executor = Session | Connection


class SearchUnavailable(RuntimeError):
    """The SQLite library has no FTS5; the start-up message says what to do."""


def fold(value: str) -> str:
    """Text as the index sees it: lower case, umlauts spelled out, no accents, single spaces."""
    # Composed first: a "ü" pasted as "u" plus a combining mark must fold like a typed "ü".
    lowered = unicodedata.normalize('NFC', value or '').lower().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize('NFKD', lowered)
    return ' '.join(''.join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def sort_key(name: str) -> str:
    """A name's sort key (fits User.sort_name: only the beginning matters for ordering)."""
    return fold(name)[:120]


def terms(query: str) -> list[str]:
    """The folded words of a query (at most MAX_TERMS, each at most 40 characters)."""
    return [w[:40] for w in _WORD.findall(fold(query))][:MAX_TERMS]


def _dialect(executor: Executor) -> str:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    return bind.dialect.name


def match_expression(query: str, dialect: str = 'sqlite', *, prefix: bool = True) -> str | None:
    """The engine's query for "every word, each as a prefix" ("sachbearb amt" while typing); None when empty.
    With `prefix=False`, every word must match whole.

    Only folded \\w+ words go in, quoted for FTS5, so operators a user types (AND, NEAR, *, ", :, &, !) are text.
    """
    words = terms(query)
    if not words:
        return None
    star = ('*' if dialect != 'postgresql' else ':*') if prefix else ''
    if dialect == 'postgresql':
        return ' & '.join(f'{w}{star}' for w in words)
    return ' '.join(f'"{w}"{star}' for w in words)


def matching_ids(dialect: str) -> str:
    """SQL selecting the ids of members that match :match."""
    if dialect == 'postgresql':
        return "SELECT user_id FROM member_fts WHERE document @@ to_tsquery('simple', :match)"
    return 'SELECT rowid FROM member_fts WHERE member_fts MATCH :match'


def count_matches(dialect: str) -> str:
    """SQL counting the members that match :match (the index holds active members only)."""
    return f'SELECT count(*) FROM ({matching_ids(dialect)}) AS hits'  # noqa: S608 - constant SQL


def top_matches(dialect: str, *, candidates: bool = False) -> str:
    """SQL with the ids of the best matches for :match, best first, :limit from :offset.

    With `candidates`, only the :candidates newest matches are ranked: scoring costs about a microsecond per match,
    so a word that a third of a 100,000-member network uses would otherwise take 30-40 ms on SQLite.
    """
    if dialect == 'postgresql':
        limit = ' ORDER BY user_id DESC LIMIT :candidates' if candidates else ''
        source = f"SELECT user_id, document FROM member_fts WHERE document @@ to_tsquery('simple', :match){limit}"  # noqa: S608
        return (f"SELECT user_id FROM ({source}) AS hits "  # noqa: S608 - constant SQL
                "ORDER BY ts_rank_cd(document, to_tsquery('simple', :match)) DESC, user_id LIMIT :limit OFFSET :offset")
    if candidates:
        return (f'SELECT rowid FROM (SELECT rowid, bm25(member_fts, {SQLITE_WEIGHTS}) AS score FROM member_fts '  # noqa: S608
                'WHERE member_fts MATCH :match ORDER BY rowid DESC LIMIT :candidates) '
                'ORDER BY score, rowid LIMIT :limit OFFSET :offset')
    return (f'SELECT rowid FROM member_fts WHERE member_fts MATCH :match '  # noqa: S608 - constant weights
            f'ORDER BY bm25(member_fts, {SQLITE_WEIGHTS}), rowid LIMIT :limit OFFSET :offset')


def ranked_ids(dialect: str) -> str:
    """SQL with columns (id, score) for members matching :match; a lower score ranks first."""
    if dialect == 'postgresql':
        return ("SELECT user_id AS id, -ts_rank_cd(document, to_tsquery('simple', :match)) AS score FROM member_fts "
                "WHERE document @@ to_tsquery('simple', :match)")
    return (f'SELECT rowid AS id, bm25(member_fts, {SQLITE_WEIGHTS}) AS score FROM member_fts '  # noqa: S608 - constant
            'WHERE member_fts MATCH :match')


def check_fts5(connection: Connection) -> None:
    """Fail early, with a clear message, where SQLite was built without FTS5."""
    if connection.dialect.name != 'sqlite':
        return
    try:
        connection.exec_driver_sql('CREATE VIRTUAL TABLE temp.vn_fts5_probe USING fts5(x)')
        connection.exec_driver_sql('DROP TABLE temp.vn_fts5_probe')
    except OperationalError as e:
        if 'no such module' not in str(e):  # e.g. a locked or unreadable database: say that, not "no FTS5"
            raise
        raise SearchUnavailable(
            'SQLite on this machine has no FTS5 full-text search. Use a Python whose sqlite3 module includes FTS5 '
            '(the python.org and Debian builds do) or PostgreSQL (VN_DATABASE_URL).'
        ) from e


def create_member_index(connection: Connection) -> None:
    for statement in POSTGRES_DDL if connection.dialect.name == 'postgresql' else SQLITE_DDL:
        connection.exec_driver_sql(statement)


def index_member(executor: Executor, user_id: int, fields: dict[str, str]) -> None:
    """Replace one member's entry in the index (inside the caller's transaction)."""
    values: dict[str, Any] = {k: fold(fields.get(k, '')) for k in COLUMNS}
    if _dialect(executor) == 'postgresql':
        executor.execute(
            text(f'INSERT INTO member_fts (user_id, document) VALUES (:id, {POSTGRES_DOCUMENT}) '  # noqa: S608
                 'ON CONFLICT (user_id) DO UPDATE SET document = EXCLUDED.document'),
            {'id': user_id, **values},
        )
        return
    executor.execute(text('DELETE FROM member_fts WHERE rowid = :id'), {'id': user_id})
    executor.execute(
        text('INSERT INTO member_fts (rowid, name, organization, position, department, tags, bio, location) '
             'VALUES (:id, :name, :organization, :position, :department, :tags, :bio, :location)'),
        {'id': user_id, **values},
    )


def remove_member(executor: Executor, user_id: int) -> None:
    column = 'user_id' if _dialect(executor) == 'postgresql' else 'rowid'
    executor.execute(text(f'DELETE FROM member_fts WHERE {column} = :id'), {'id': user_id})  # noqa: S608


# ---------------------------------------------------------------- posts (discussion boards)
# One entry per post: the thread's title goes with its first post only, so a thread's title counts once.

POST_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS post_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
)
POST_POSTGRES_DDL = (
    'CREATE TABLE IF NOT EXISTS post_fts ('
    ' post_id INTEGER PRIMARY KEY REFERENCES post(id) ON DELETE CASCADE,'
    ' document TSVECTOR NOT NULL)',
    'CREATE INDEX IF NOT EXISTS ix_post_fts_document ON post_fts USING GIN (document)',
)
POST_SQLITE_WEIGHTS = '5.0, 1.0'
POST_POSTGRES_DOCUMENT = "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'D')"


def create_post_index(connection: Connection) -> None:
    for statement in POST_POSTGRES_DDL if connection.dialect.name == 'postgresql' else POST_SQLITE_DDL:
        connection.exec_driver_sql(statement)


def index_post(executor: Executor, post_id: int, *, title: str, body: str) -> None:
    """Replace one post's entry in the index (inside the caller's transaction)."""
    values = {'id': post_id, 'title': fold(title), 'body': fold(body)}
    if _dialect(executor) == 'postgresql':
        executor.execute(
            text(f'INSERT INTO post_fts (post_id, document) VALUES (:id, {POST_POSTGRES_DOCUMENT}) '  # noqa: S608
                 'ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document'), values)
        return
    executor.execute(text('DELETE FROM post_fts WHERE rowid = :id'), {'id': post_id})
    executor.execute(text('INSERT INTO post_fts (rowid, title, body) VALUES (:id, :title, :body)'), values)


def remove_post(executor: Executor, post_id: int) -> None:
    column = 'post_id' if _dialect(executor) == 'postgresql' else 'rowid'
    executor.execute(text(f'DELETE FROM post_fts WHERE {column} = :id'), {'id': post_id})  # noqa: S608


def post_matches(dialect: str) -> tuple[str, str, str]:
    """(FROM clause, id column, score expression) for posts matching :match; a lower score ranks first.

    The FROM clause is meant to be joined to `post` on the id column.
    """
    if dialect == 'postgresql':
        return ("post_fts", 'post_fts.post_id',
                "-ts_rank_cd(post_fts.document, to_tsquery('simple', :match))")
    return ('post_fts', 'post_fts.rowid', f'bm25(post_fts, {POST_SQLITE_WEIGHTS})')


def post_match_condition(dialect: str) -> str:
    if dialect == 'postgresql':
        return "post_fts.document @@ to_tsquery('simple', :match)"
    return 'post_fts MATCH :match'


def any_word_expression(query: str, dialect: str = 'sqlite') -> str | None:
    """Like match_expression, but any word may match (suggesting similar threads while a title is typed)."""
    words = [w for w in terms(query) if len(w) > 2]
    if not words:
        return None
    if dialect == 'postgresql':
        return ' | '.join(f'{w}:*' for w in words)
    return ' OR '.join(f'"{w}"*' for w in words)
