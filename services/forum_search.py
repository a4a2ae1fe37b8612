"""Searching the boards: full-text over thread titles and posts, filters, highlighted snippets, links to the post.

Ranking costs about a microsecond per match. A word that a tenth of a million posts contain would take 100 ms and
more to rank in full, so only the newest CANDIDATES matches that pass the filters are counted and ranked (the page
says so: "1000+ Treffer"); a second word or a filter narrows the search.
"""

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlmodel import Session, col

from models.board import Board, Post, Thread
from services import search
from services.board_views import AuthorRef, authors, page_of, post_url
from services.permissions import require_active
from services.posts import plain_text

PAGE_SIZE = 20
CANDIDATES = 1000
SORTS = ('relevance', 'newest')
SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class PostFilters:
    q: str = ''
    board: str = ''  # slug
    author: int | None = None
    org: int | None = None
    solved: bool = False
    since: date | None = None
    until: date | None = None

    @property
    def empty(self) -> bool:
        return not (search.terms(self.q) or self.board or self.author or self.org or self.solved or self.since
                    or self.until)


@dataclass(frozen=True)
class PostHit:
    post_id: int
    thread_id: int
    number: int
    thread_title: str
    board_name: str
    board_slug: str
    author: AuthorRef | None
    created_at: datetime
    snippet_html: str  # escaped text with <mark> around the words found
    title_html: str
    solved: bool
    is_solution: bool

    @property
    def url(self) -> str:
        return post_url(self.thread_id, self.number)

    @property
    def page(self) -> int:
        return page_of(self.number)


@dataclass
class PostSearchPage:
    items: list[PostHit]
    total: int
    capped: bool  # there are at least CANDIDATES hits: the total shows as "1000+"
    page: int
    pages: int
    ranked_among: int | None = None


def _where(filters: PostFilters, params: dict[str, Any], session: Session) -> list[str]:
    conditions = ['t.deleted = :false', 'p.deleted = :false', 'p.hidden = :false']
    params['false'] = False
    if filters.board:
        conditions.append('b.slug = :board')
        params['board'] = filters.board
    if filters.author:
        conditions.append('p.author_id = :author')
        params['author'] = filters.author
    if filters.org:
        conditions.append('p.author_id IN (SELECT id FROM "user" WHERE organization_id = :org)')
        params['org'] = filters.org
    if filters.solved:
        conditions.append('t.solution_post_id IS NOT NULL')
    if filters.since:
        conditions.append('p.created_at >= :since')
        params['since'] = _utc(filters.since)
    if filters.until:
        conditions.append('p.created_at < :until')
        params['until'] = _utc(filters.until + timedelta(days=1))
    return conditions


def _utc(day: date) -> Any:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _typed(sql: str, params: dict[str, Any]) -> Any:
    """The statement with the dates bound as the column's type (stored times are UTC, in the column's format)."""
    statement = text(sql)
    kind = Post.__table__.c.created_at.type
    dates = [bindparam(name, type_=kind) for name in ('since', 'until') if name in params]
    return statement.bindparams(*dates) if dates else statement


def search_posts(session: Session, *, viewer: Any, filters: PostFilters, sort: str = 'relevance',
                 page: int = 1) -> PostSearchPage:
    require_active(viewer)
    dialect = session.get_bind().dialect.name
    sort = sort if sort in SORTS else 'relevance'
    match = search.match_expression(filters.q, dialect)
    if match is None and filters.empty:
        return PostSearchPage([], 0, False, 1, 1)
    params: dict[str, Any] = {}
    conditions = _where(filters, params, session)
    joins = 'JOIN thread t ON t.id = p.thread_id JOIN board b ON b.id = t.board_id'
    if match is not None:
        params['match'] = match
        source, id_column, score = search.post_matches(dialect)
        conditions.insert(0, search.post_match_condition(dialect))
        base = f'FROM {source} JOIN post p ON p.id = {id_column} {joins} WHERE {" AND ".join(conditions)}'
    else:
        id_column, score = 'p.id', '0'
        base = f'FROM post p {joins} WHERE {" AND ".join(conditions)}'
    # One bounded query: the newest CANDIDATES posts that match and pass the filters, with their scores. Counting,
    # ranking and paging happen on that list, so the work stays bounded however common the words are.
    order = f'{id_column} DESC' if match is not None else 'p.created_at DESC, p.id DESC'
    sql = f'SELECT p.id, {score} AS score {base} ORDER BY {order} LIMIT {CANDIDATES}'  # noqa: S608
    rows: Any = []
    if match is not None:
        # Whole words first: the index streams a word's posts newest first and stops at the limit, while a prefix
        # ("antrag*") makes it merge every word that starts so, all of them (three to seven times slower for common
        # words). Only when whole words give less than the limit is the prefix search run, finding "Bürgerbet…".
        whole = search.match_expression(filters.q, dialect, prefix=False)
        rows = session.execute(_typed(sql, params), {**params, 'match': whole}).all()
    if len(rows) < CANDIDATES:
        rows = session.execute(_typed(sql, params), params).all()
    total, capped = len(rows), len(rows) >= CANDIDATES
    if match is not None and sort == 'relevance':
        rows = sorted(rows, key=lambda r: (r[1], -r[0]))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    offset = (page - 1) * PAGE_SIZE
    ids = [r[0] for r in rows[offset:offset + PAGE_SIZE]]
    ranked_among = CANDIDATES if capped and match is not None and sort == 'relevance' else None
    return PostSearchPage(_hits(session, ids, filters.q), total, capped, page, pages, ranked_among)


def _hits(session: Session, ids: list[int], query: str) -> list[PostHit]:
    if not ids:
        return []
    posts = {p.id: p for p in session.exec(select(Post).where(col(Post.id).in_(ids))).scalars()}
    threads = {t.id: t for t in session.exec(select(Thread).where(
        col(Thread.id).in_({p.thread_id for p in posts.values()}))).scalars()}
    boards = {b.id: b for b in session.exec(select(Board).where(
        col(Board.id).in_({t.board_id for t in threads.values()}))).scalars()}
    people = authors(session, {p.author_id for p in posts.values()})
    words = search.terms(query)
    hits = []
    for post_id in ids:
        post = posts[post_id]
        thread = threads[post.thread_id]
        board = boards[thread.board_id]
        hits.append(PostHit(post_id, thread.id, post.number, thread.title, board.name, board.slug,  # type: ignore[arg-type]
                            people.get(post.author_id) if post.author_id else None, post.created_at,
                            snippet(plain_text(post.body_html), words), highlight(thread.title, words),
                            thread.solution_post_id is not None, thread.solution_post_id == post_id))
    return hits


_TOKEN = re.compile(r'\w+', re.UNICODE)


def _matches(word: str, terms: list[str]) -> bool:
    folded = search.fold(word)
    return any(folded.startswith(t) for t in terms)


def highlight(value: str, terms: list[str]) -> str:
    """`value` escaped, with <mark> around every word that starts with a search term (as the index matched it)."""
    out, last = [], 0
    for m in _TOKEN.finditer(value):
        if terms and _matches(m.group(), terms):
            out.append(html.escape(value[last:m.start()]))
            out.append(f'<mark>{html.escape(m.group())}</mark>')
            last = m.end()
    out.append(html.escape(value[last:]))
    return ''.join(out)


def snippet(value: str, terms: list[str]) -> str:
    """A short passage around the first word found, highlighted; the beginning when none is found."""
    start = 0
    if terms:
        first = next((m.start() for m in _TOKEN.finditer(value) if _matches(m.group(), terms)), None)
        if first is not None and first > SNIPPET_BEFORE:
            start = value.rfind(' ', 0, first - SNIPPET_BEFORE) + 1
    end = start + SNIPPET_LENGTH
    if end < len(value):
        space = value.rfind(' ', start, end)
        end = space if space > start else end
    passage = highlight(value[start:end], terms)
    return ('… ' if start > 0 else '') + passage + (' …' if end < len(value) else '')
