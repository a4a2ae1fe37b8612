"""The boards (/boards, with the "Ungelesen" view) and one board's threads (/boards/{slug}), starting a thread."""

import asyncio
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from nicegui import context, run, ui

from models.board import WatchLevel
from services import boards, bus, db, reading
from services.board_views import BoardSummary
from services.errors import DomainError, NotFound
from ui import theme
from ui.auth import require_user
from ui.components.editor import PostEditor
from ui.components.forms import Form, aria
from ui.components.pager import pager
from ui.components.text import Heading, breadcrumbs
from ui.components.threads import badge, thread_list
from ui.components.when import time_html
from ui.i18n import _
from ui.layout import frame, not_found_page, page
from ui.workers import in_thread

SORT_LABELS = {'activity': 'Aktivität', 'newest': 'Neueste', 'unanswered': 'Unbeantwortet', 'solved': 'Gelöst'}
WATCH_LABELS = {WatchLevel.WATCHING: 'Beobachten', WatchLevel.NORMAL: 'Normal', WatchLevel.MUTED: 'Stummschalten'}
LIVE_DELAY = 1.0  # seconds: a burst of posts refreshes a list once, not once per post


def _page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get('page', '1')))
    except ValueError:
        return 1


class LiveRefresh:
    """Refresh a part of a page shortly after domain events (at most once per LIVE_DELAY), for this page's life."""

    def __init__(self, refresh: Any, topics: tuple[str, ...], accept: Any = None) -> None:
        self.refresh, self.accept, self.pending = refresh, accept, False
        client = context.client
        unsubscribes = [bus.subscribe(topic, self._on_event) for topic in topics]
        client.on_delete(lambda: [u() for u in unsubscribes])
        self.client = client

    def _on_event(self, event: bus.Event) -> None:
        if self.pending or self.client.is_deleted or (self.accept is not None and not self.accept(event)):
            return
        self.pending = True
        asyncio.get_running_loop().call_later(LIVE_DELAY, lambda: asyncio.ensure_future(self._run()))

    async def _run(self) -> None:
        self.pending = False
        if self.client.is_deleted:
            return
        with self.client:
            await self.refresh()


# ---------------------------------------------------------------- /boards


@page('/boards')
async def boards_page(request: Request) -> None:
    user = require_user()
    unread_view = request.query_params.get('view') == 'unread'
    page_no = _page_number(request)
    state: dict[str, Any] = {}

    async def load() -> None:
        if unread_view:
            state['unread'] = await in_thread(db.call, reading.unread_threads, viewer=user, page=page_no)
        state['boards'] = await in_thread(db.call, boards.list_boards, viewer=user)

    await load()
    with frame(_('Foren'), user=user):
        with ui.row().classes('w-full items-center gap-4 flex-wrap'):
            with ui.element('nav').props(f'aria-label="{_("Ansicht")}"').classes('flex gap-4'):
                all_link = ui.link(_('Alle Foren'), '/boards').mark('view-all')
                unread_link = ui.link('', '/boards?view=unread').mark('view-unread')
                (unread_link if unread_view else all_link).props('aria-current=page').classes('font-bold')
            search = ui.input(_('In den Foren suchen')).props('type=search dense outlined maxlength=200').classes(
                'grow max-w-md').mark('board-search')
            search.on('keydown.enter', lambda: ui.navigate.to('/search?' + urlencode({'q': search.value or ''})))
            ui.button(_('Suchen'), on_click=lambda: ui.navigate.to(
                '/search?' + urlencode({'q': search.value or ''}))).props('outline')

        @ui.refreshable
        def content() -> None:
            summaries: list[BoardSummary] = state['boards']
            news = sum(s.news for s in summaries)
            unread_link.text = _('Ungelesen ({n})', n=news) if news else _('Ungelesen')
            if unread_view:
                _unread_list(state['unread'], page_no)
                return
            active = [s for s in summaries if not s.board.archived]
            archived = [s for s in summaries if s.board.archived]
            if not summaries:
                ui.label(_('Noch keine Foren. Die Administration kann sie unter Verwaltung anlegen.'))
            with ui.element('ul').classes('w-full divide-y divide-slate-200').props(
                    f'aria-label="{_("Foren")}"'):
                for summary in active:
                    with ui.element('li'):
                        _board_line(summary)
            if archived:
                Heading(_('Archiv'), 2)
                with ui.element('ul').classes('w-full divide-y divide-slate-200').props(
                        f'aria-label="{_("Archiv")}"'):
                    for summary in archived:
                        with ui.element('li'):
                            _board_line(summary)

        async def reload() -> None:
            await load()
            await content.refresh()  # now: a refresh fired later could find the page closed

        content()
        LiveRefresh(reload, ('boards.thread', 'boards.post', 'boards.board'))


def _board_line(summary: BoardSummary) -> None:
    board = summary.board
    badges = ''
    if board.moderators_only:
        badges += badge(_('Nur Moderation schreibt'), 'bg-slate-200 text-slate-800')
    if summary.news:
        badges += badge(_('{n} neu', n=summary.news), 'bg-amber-100 text-amber-900')
    threads = _('1 Thema') if summary.thread_count == 1 else _('{n} Themen', n=summary.thread_count)
    posts = _('1 Beitrag') if summary.post_count == 1 else _('{n} Beiträge', n=summary.post_count)
    latest = ''
    if summary.last_thread_id and summary.last_post_at:
        latest = (f'<span>{escape(_("Zuletzt:"))} <a href="/threads/{summary.last_thread_id}" class="text-slate-800">'
                  f'{escape(summary.last_thread_title)}</a> · {time_html(summary.last_post_at)}</span>')
    ui.html(
        '<div class="flex items-start justify-between gap-3 py-3 flex-wrap">'
        '<div class="flex flex-col gap-1 min-w-0 grow basis-80">'
        f'<div class="flex items-center gap-2 flex-wrap"><a href="/boards/{quote(board.slug)}" '
        f'class="font-semibold text-lg text-slate-900 underline">{escape(board.name)}</a>{badges}</div>'
        f'<div class="text-slate-700">{escape(board.description)}</div></div>'
        '<div class="text-sm text-slate-700 flex flex-col items-end shrink-0 max-sm:items-start">'
        f'<span>{escape(threads)} · {escape(posts)}</span>{latest}</div></div>',
    ).classes('w-full').mark(f'board-{board.slug}')


def _unread_list(found: tuple, page_no: int) -> None:
    items, total, page_no, pages = found
    ui.label(_('Themen mit Neuem für Sie: {n}', n=total)).classes('font-medium').props(
        'role=status').mark('unread-count')
    if not items:
        ui.label(_('Alles gelesen. Neue Themen und Antworten erscheinen hier.')).mark('all-read')
    thread_list(items, show_board=True, label=_('Ungelesen')).mark('thread-list')
    pager(page_no, pages, lambda n: f'/boards?view=unread&page={n}')


# ---------------------------------------------------------------- /boards/{slug}


@page('/boards/{slug}')
async def board_page(request: Request, slug: str) -> Response | None:
    user = require_user()
    sort = request.query_params.get('sort', 'activity')
    sort = sort if sort in SORT_LABELS else 'activity'
    page_no = _page_number(request)
    state: dict[str, Any] = {}

    async def load() -> None:
        state['list'] = await in_thread(db.call, boards.list_threads, viewer=user, slug=slug, sort=sort, page=page_no)

    try:
        await load()
    except NotFound:
        return not_found_page(user, _('Dieses Forum gibt es nicht.'), _('Zu den Foren'), '/boards')
    summary = state['list'].board
    board = summary.board
    with frame(board.name, user=user):
        breadcrumbs(('/boards', _('Foren')))
        if board.description:
            ui.label(board.description).classes('text-slate-700')
        reason = boards.may_post_in(board, user)
        with ui.row().classes('w-full items-center gap-3 flex-wrap'):
            if not reason:
                new_button = ui.button(_('Neues Thema'), icon='add').props('color=primary').mark('new-thread')
            else:
                ui.label(_(reason)).classes(theme.MUTED).mark('posting-closed')
            watch = ui.select({k: _(v) for k, v in WATCH_LABELS.items()}, value=summary.watch,
                              label=_('Benachrichtigung')).classes('w-48').mark('board-watch')
            aria(watch, _('Benachrichtigung für dieses Forum'))
            ui.button(_('Alle als gelesen markieren'), on_click=lambda: mark_all_read()).props(
                'outline').mark('mark-board-read')

        async def set_watch(level: str) -> None:
            await run.io_bound(db.call, reading.set_board_watch, actor=user, board_id=board.id, level=level)
            ui.notify(_('Gespeichert.'))

        async def mark_all_read() -> None:
            await run.io_bound(db.call, reading.mark_board_read, actor=user, board_id=board.id)
            await reload()

        watch.on_value_change(lambda e: set_watch(e.value))

        if not reason:
            # Built when wanted: the form (editor, upload, tags) would cost a third of every board page's build.
            form_slot = ui.element('div').classes('w-full')
            form: dict[str, ui.card] = {}

            def open_form() -> None:
                if 'card' not in form:
                    with form_slot:
                        form['card'] = ui.card().classes(theme.CARD).props('flat bordered').mark('new-thread-form')
                        with form['card']:
                            _new_thread_form(user, board.id, form['card'])
                form['card'].set_visibility(True)
                form['card'].run_method('scrollIntoView')

            new_button.on_click(open_form)

        with ui.element('nav').props(f'aria-label="{_("Sortierung")}"').classes('flex gap-4 flex-wrap'):
            for key, label in SORT_LABELS.items():
                link = ui.link(_(label), f'/boards/{quote(slug)}' + (f'?sort={key}' if key != 'activity' else ''))
                link.mark(f'sort-{key}')
                if key == sort:
                    link.props('aria-current=page').classes('font-bold')

        live_note = ui.label('').props('role=status aria-live=polite').classes(theme.MUTED).mark('live-note')

        @ui.refreshable
        def threads() -> None:
            listing = state['list']
            if not listing.items:
                ui.label(_('Hier gibt es noch keine Themen.') if sort == 'activity' else
                         _('Keine Themen in dieser Ansicht.')).mark('no-threads')
            thread_list(listing.items, label=_('Themen')).mark('thread-list')
            pager(listing.page, listing.pages,
                  lambda n: f'/boards/{quote(slug)}?' + urlencode({**({'sort': sort} if sort != 'activity' else {}),
                                                                   'page': n}))

        async def reload() -> None:
            await load()
            await threads.refresh()

        async def live() -> None:
            await reload()
            live_note.text = _('Die Liste wurde eben aktualisiert.')

        threads()
        LiveRefresh(live, ('boards.thread', 'boards.post'), accept=lambda e: e.data.get('board_id') == board.id)
    return None


def _new_thread_form(user: Any, board_id: int, card: ui.card) -> None:
    Heading(_('Neues Thema'), 2)
    form = Form()
    title = form.field('title', ui.input(_('Titel: Ihre Frage in einem Satz')).props(
        'outlined maxlength=200 counter debounce=400').classes('w-full'))
    similar = ui.column().classes('w-full gap-1').props('role=status aria-live=polite').mark('similar-threads')

    async def suggest() -> None:
        found = await in_thread(db.call, boards.similar_threads, viewer=user, title=title.value or '')
        similar.clear()
        if not found:
            return
        with similar:
            ui.label(_('Gibt es schon:')).classes('font-medium')
            for row in found:
                with ui.row().classes('gap-2 items-center'):
                    ui.link(row.title, f'/threads/{row.id}').mark('similar-thread')
                    ui.label(f'({row.board.name}' + (', ' + _('gelöst') if row.solved else '') + ')').classes(
                        theme.MUTED)

    title.on_value_change(suggest)
    editor = PostEditor(_('Ihr Beitrag'), user=user, marker='thread-body')
    form.fields['body'] = editor.textarea
    tags = form.field('tags', ui.select([], label=_('Schlagwörter (höchstens 5)'), multiple=True, with_input=True,
                                        new_value_mode='add-unique', value=[]).props(
        'use-chips hide-dropdown-icon').classes('w-full'))
    tags.props['hint'] = _('Enter legt ein Schlagwort an.')

    async def submit() -> None:
        form.clear()
        try:
            thread_id = await in_thread(db.call, boards.create_thread, actor=user, board_id=board_id,
                                        title=title.value or '', body=editor.value, tags=list(tags.value or []),
                                        attachments=list(editor.files))
        except DomainError as e:
            form.show(e)  # beside its field; file problems above the form
            return
        ui.navigate.to(f'/threads/{thread_id}')

    with ui.row().classes('gap-2'):
        ui.button(_('Thema erstellen'), on_click=submit).props('color=primary').mark('create-thread')
        ui.button(_('Abbrechen'), on_click=lambda: card.set_visibility(False)).props('flat')
