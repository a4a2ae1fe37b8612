"""One search (/search): posts and threads on the boards, filtered, with highlighted snippets; matching members."""

from datetime import date
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from nicegui import ui

from services import boards, db, forum_search, members
from services import organizations as orgs
from services import settings as site_settings
from services.forum_search import PostFilters
from services.members import Filters
from ui import theme
from ui.auth import require_user
from ui.components.member import member_list
from ui.components.pager import pager
from ui.components.text import Heading
from ui.components.threads import badge
from ui.components.when import time_html
from ui.i18n import _
from ui.layout import frame, page
from ui.params import optional_id
from ui.workers import in_thread

KEYS = ('q', 'board', 'author', 'org', 'solved', 'since', 'until', 'sort')
SORT_LABELS = {'relevance': 'Relevanz', 'newest': 'Neueste'}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(params: dict[str, str]) -> PostFilters:
    return PostFilters(q=params.get('q', '')[:200], board=params.get('board', '')[:60],
                       author=optional_id(params.get('author', '')), org=optional_id(params.get('org', '')),
                       solved=params.get('solved') == '1', since=_date(params.get('since', '')),
                       until=_date(params.get('until', '')))


def _url(params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: v for k, v in changes.items()}}
    clean = {k: v for k, v in merged.items() if v not in (None, '', False)}
    return '/search' + (f'?{urlencode(clean)}' if clean else '')


def _results(user: Any, filters: PostFilters, sort: str, page_no: int, boards_on: bool = True) -> tuple:
    with db.session() as session:
        found = forum_search.search_posts(session, viewer=user, filters=filters, sort=sort, page=page_no) \
            if boards_on else None
        people = []
        if filters.q.strip() and (page_no == 1 or not boards_on):
            people = members.search_members(session, viewer=user, filters=Filters(q=filters.q), page_size=3).items
        return found, people


@page('/search')
async def search_page(request: Request) -> None:
    user = require_user()
    params = {k: v for k, v in request.query_params.items() if k in (*KEYS, 'page') and v}
    filters = filters_from(params)
    sort = params.get('sort', 'relevance')
    page_no = optional_id(params.get('page', '1')) or 1
    # With the boards switched off (/admin, "Module") there is nothing to search but members.
    boards_on = db.call(site_settings.get_setting, 'module_boards')
    found, people = await in_thread(_results, user, filters, sort, page_no, boards_on)
    if not boards_on:
        _members_only_page(user, filters.q, people)
        return
    board_choices = {b.slug: b.name for b in await in_thread(db.call, boards.board_choices, viewer=user)}
    org_choices = {o.id: o.name for o in db.call(orgs.list_organization_choices)}
    with frame(_('Suche'), user=user):
        with ui.element('div').props('role=search').classes(
                'w-full flex flex-wrap gap-3 items-end').mark('search-form'):
            q = ui.input(_('Suchbegriffe'), value=filters.q).props(
                'type=search outlined maxlength=200 autofocus').classes('grow min-w-64').mark('search-q')
            board = ui.select({'': _('Alle Foren'), **board_choices}, value=filters.board or '',
                              label=_('Forum')).classes('w-56').mark('search-board')
            org = ui.select({0: _('Alle Verwaltungen'), **org_choices}, value=filters.org or 0,
                            label=_('Verwaltung'), with_input=True).classes('w-56').mark('search-org')
            since = ui.input(_('Von'), value=params.get('since', '')).props('type=date outlined').classes(
                'w-40').mark('search-since')
            until = ui.input(_('Bis'), value=params.get('until', '')).props('type=date outlined').classes(
                'w-40').mark('search-until')
            solved = ui.checkbox(_('Nur gelöste Themen'), value=filters.solved).mark('search-solved')
            sort_select = ui.select({k: _(v) for k, v in SORT_LABELS.items()}, value=sort if sort in SORT_LABELS
                                    else 'relevance', label=_('Sortierung')).classes('w-40').mark('search-sort')

            def submit() -> None:
                ui.navigate.to(_url({'author': params.get('author', '')}, q=(q.value or '').strip(),
                                    board=board.value or '', org=str(org.value or '') if org.value else '',
                                    since=since.value or '', until=until.value or '',
                                    solved='1' if solved.value else '',
                                    sort=sort_select.value if sort_select.value != 'relevance' else ''))

            q.on('keydown.enter.prevent', submit)
            ui.button(_('Suchen'), on_click=submit).props('color=primary').mark('search-submit')

        if filters.author:
            name = next((h.author.name for h in found.items if h.author and h.author.id == filters.author), '')
            ui.link(_('Nur Beiträge von {name} ✕', name=name or f'#{filters.author}'),
                    _url(params, author=None, page=None)).classes('text-sm').mark('author-filter')

        if people:
            with ui.column().classes('w-full gap-1').mark('search-members'):
                Heading(_('Mitglieder'), 2)
                member_list(people)
                ui.link(_('Alle passenden Mitglieder'), '/members?' + urlencode({'q': filters.q}))

        Heading(_('Beiträge'), 2)
        if filters.empty:
            ui.label(_('Geben Sie Suchbegriffe ein oder wählen Sie einen Filter.')).mark('search-empty-query')
            return
        total = f'{found.total}+' if found.capped else str(found.total)
        ui.label(_('{n} Treffer', n=total)).classes('font-medium').props('role=status').mark('search-count')
        if found.ranked_among:
            ui.label(_('Sehr viele Treffer: nach Relevanz geordnet sind die {n} neuesten. Ein weiteres Wort oder ein '
                       'Filter grenzt die Suche ein.', n=found.ranked_among)).classes(theme.MUTED)
        if not found.items:
            ui.label(_('Nichts gefunden. Versuchen Sie andere Wörter oder weniger Filter.')).mark('search-nothing')
        hits = ''.join(f'<li data-hit="{hit.post_id}" class="py-3">{_hit_html(hit)}</li>' for hit in found.items)
        ui.html(hits, tag='ol').classes('w-full divide-y divide-slate-200').props(
            f'aria-label="{_("Suchergebnisse")}"').mark('hit-list')
        pager(found.page, found.pages, lambda n: _url(params, page=str(n)))


def _hit_html(hit: Any) -> str:
    """One hit: title (its words marked), badges, the snippet, where and by whom. The search service escaped the
    title and snippet before marking the words (title_html, snippet_html)."""
    marks = ''
    if hit.is_solution:
        marks += badge(_('Lösung'), 'bg-green-100 text-green-900')
    elif hit.solved:
        marks += badge(_('Gelöst'), 'bg-green-100 text-green-900')
    author = hit.author.name if hit.author else _('Ehemaliges Mitglied')
    origin = f' · {hit.author.organization}' if hit.author and hit.author.organization else ''
    return (f'<div class="flex items-center gap-2 flex-wrap"><a href="{escape(hit.url)}" '
            f'class="font-medium text-base text-slate-900 underline">{hit.title_html}</a>{marks}</div>'
            f'<p class="text-slate-800 my-1">{hit.snippet_html}</p>'
            f'<div class="text-sm text-slate-600">{escape(hit.board_name)} · {escape(author)}'
            f'{escape(origin)} · {time_html(hit.created_at)}</div>')


def _members_only_page(user: Any, q: str, people: list) -> None:
    with frame(_('Suche'), user=user):
        with ui.element('div').props('role=search').classes(
                'w-full flex flex-wrap gap-3 items-end').mark('search-form'):
            field = ui.input(_('Suchbegriffe'), value=q).props(
                'type=search outlined maxlength=200 autofocus').classes('grow min-w-64').mark('search-q')

            def submit() -> None:
                text = (field.value or '').strip()
                ui.navigate.to('/search' + (f'?{urlencode({"q": text})}' if text else ''))

            field.on('keydown.enter.prevent', submit)
            ui.button(_('Suchen'), on_click=submit).props('color=primary').mark('search-submit')
        Heading(_('Mitglieder'), 2)
        if not q.strip():
            ui.label(_('Geben Sie Suchbegriffe ein.')).mark('search-empty-query')
            return
        with ui.column().classes('w-full gap-1').mark('search-members'):
            if not people:
                ui.label(_('Nichts gefunden. Versuchen Sie andere Wörter.')).mark('search-nothing')
            else:
                member_list(people)
                ui.link(_('Alle passenden Mitglieder'), '/members?' + urlencode({'q': q}))
