"""Direct messages: my conversations (/messages) with a new message and blocked members, one conversation
(/messages/{id}) with read marks, a composer and live updates on both sides.

Live: the bus event of a new message carries the message, so every open page of that conversation appends it without
a query of its own; a page that shows it to its member marks it read, and the writer's page then shows "Gelesen".
"""

import asyncio
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from nicegui import context, run, ui

from services import bus, db
from services import messages as dm
from services.errors import DomainError, NotFound
from services.members import Filters, search_members
from ui import theme
from ui.auth import require_user
from ui.components.forms import Form, aria, focus_field
from ui.components.pager import pager
from ui.components.report import open_report_dialog
from ui.components.text import Heading, breadcrumbs
from ui.components.when import time_html
from ui.i18n import _, error_text
from ui.layout import frame, not_found_page, page
from ui.pages.boards import LiveRefresh
from ui.params import optional_id, parse_id
from ui.workers import in_thread

PICKER_RESULTS = 8
FORMER = 'Ehemaliges Mitglied'


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get('page', '1')), 10_000))
    except ValueError:
        return 1


async def _act(fn: Any, **kwargs: Any) -> bool:
    try:
        await run.io_bound(db.call, fn, **kwargs)
    except DomainError as e:
        ui.notify(error_text(e), type='negative')
        return False
    return True


def _search_members(session: Any, *, viewer: Any, text: str) -> list[Any]:
    return search_members(session, viewer=viewer, filters=Filters(q=text), page_size=PICKER_RESULTS).items


def _list_state(session: Any, *, viewer: Any, page_no: int) -> dict[str, Any]:
    rows, pages = dm.list_conversations(session, viewer=viewer, page=page_no)
    return {'rows': rows, 'pages': pages, 'blocked': dm.list_blocked(session, viewer=viewer)}


# ---------------------------------------------------------------- /messages


@page('/messages')
async def messages_page(request: Request) -> Response | None:
    user = require_user()
    page_no = _page_number(request)
    to = optional_id(request.query_params.get('to'))
    chosen: list[Any] = []
    if to is not None and to != user.id:
        existing = await in_thread(db.call, lambda s, **kw: [dm.direct_conversation(s, **kw)], viewer=user,
                                   member_id=to)
        if existing[0] is not None:
            return RedirectResponse(f'/messages/{existing[0]}', status_code=303)
        chosen = await in_thread(db.call, dm.member_refs, viewer=user, ids=[to])
    state = await in_thread(db.call, _list_state, viewer=user, page_no=page_no)
    with frame(_('Nachrichten'), user=user):
        new_button = ui.button(_('Neue Nachricht'), icon='edit').props('color=primary').mark('new-message')
        composer = ui.card().classes(theme.CARD + ' gap-2').props('flat bordered').mark('new-message-form')
        with composer:
            search = _new_message_form(user, chosen)
        composer.set_visibility(bool(chosen) or not state['rows'])
        new_button.on_click(lambda: (composer.set_visibility(True), focus_field(search)))

        Heading(_('Unterhaltungen'), 2)

        @ui.refreshable
        def conversations() -> None:
            rows = state['rows']
            if not rows:
                ui.label(_('Noch keine Nachrichten. Schreiben Sie einer Kollegin oder einem Kollegen.')).classes(
                    theme.MUTED).mark('no-conversations')
                return
            with ui.element('ul').classes('w-full flex flex-col gap-2').props(
                    f'aria-label="{_("Unterhaltungen")}"'):
                for row in rows:
                    with ui.element('li').classes('w-full').mark(f'conversation-{row.id}'):
                        _conversation_line(row)
            pager(page_no, state['pages'], lambda n: f'/messages?page={n}')

        conversations()

        Heading(_('Blockierte Mitglieder'), 2)
        ui.label(_('Blockierte Mitglieder können Ihnen nicht schreiben. Sie erfahren nichts davon.')).classes(
            theme.MUTED)

        @ui.refreshable
        def blocked() -> None:
            if not state['blocked']:
                ui.label(_('Sie haben niemanden blockiert.')).mark('no-blocked')
                return
            with ui.element('ul').classes('flex flex-col gap-1').props(
                    f'aria-label="{_("Blockierte Mitglieder")}"'):
                for member in state['blocked']:
                    with ui.element('li').classes('flex items-center gap-2').mark(f'blocked-{member.id}'):
                        ui.link(member.name, f'/members/{member.id}')
                        button = ui.button(_('Blockierung aufheben'), on_click=lambda m=member: unblock(m)).props(
                            'outline dense no-caps').mark(f'unblock-{member.id}')
                        aria(button, _('Blockierung aufheben: {name}', name=member.name))

        async def unblock(member: Any) -> None:
            if await _act(dm.unblock_member, actor=user, member_id=member.id):
                ui.notify(_('{name} kann Ihnen wieder schreiben.', name=member.name), type='positive')
                await reload()

        blocked()

        async def reload() -> None:
            state.update(await in_thread(db.call, _list_state, viewer=user, page_no=page_no))
            await conversations.refresh()
            await blocked.refresh()

        def mine(event: bus.Event) -> bool:
            return user.id in (event.data.get('user_ids') or ()) or event.data.get('author_id') == user.id

        LiveRefresh(reload, ('messages.new', 'messages.read', 'messages.changed', 'messages.left',
                             'messages.blocked'), accept=mine)
    return None


def _conversation_line(row: dm.ConversationRow) -> None:
    with ui.row().classes('w-full items-start gap-3 p-2 rounded border border-slate-200 no-wrap'):
        ui.icon('groups' if row.is_group else 'person').classes('text-2xl text-slate-600').props('aria-hidden=true')
        with ui.column().classes('gap-0 grow min-w-0'):
            with ui.row().classes('items-baseline gap-2 flex-wrap'):
                label = row.name or _(FORMER)
                if row.unread:
                    label = _('{name} ({n} ungelesen)', name=label, n=row.unread)
                ui.link(label, f'/messages/{row.id}').classes(
                    'font-semibold' if row.unread else 'font-medium').mark('conversation-link')
                ui.html(time_html(row.last_message_at)).classes(theme.MUTED)
            if row.excerpt or row.excerpt_author:
                who = _('Sie') if row.excerpt_mine else (row.excerpt_author or _(FORMER))
                text = row.excerpt or _('(entfernt)')
                ui.label(_('{name}: {excerpt}', name=who, excerpt=text)).classes('text-slate-700 truncate').mark(
                    'excerpt')


def _new_message_form(user: Any, chosen: list[Any]) -> ui.input:
    """Pick members through the directory's search, write, send; returns the search field (to focus it)."""
    Heading(_('Neue Nachricht'), 2)
    form = Form()
    picked: list[Any] = list(chosen)
    ui.label(_('An (eine Person oder eine Gruppe bis {n} Personen mit Ihnen):', n=dm.MAX_GROUP)).classes(
        'font-medium')
    chips = ui.row().classes('gap-2 flex-wrap').props(f'role=group aria-label="{_("Empfängerinnen und Empfänger")}"') \
        .mark('picked')
    search = form.field('members', ui.input(_('Mitglied suchen (Name, Verwaltung, Thema)')).props(
        'outlined dense clearable debounce=300').classes('w-full max-w-xl'))
    search.mark('member-search')
    results = ui.row().classes('gap-2 flex-wrap').props(
        f'role=group aria-label="{_("Gefundene Mitglieder")}" aria-live=polite').mark('member-results')
    title = form.field('title', ui.input(_('Titel der Gruppe (freiwillig)')).props('outlined dense maxlength=120')
                       .classes('w-full max-w-xl'))
    body = form.field('body', ui.textarea(_('Nachricht (Markdown)')).props('outlined autogrow').classes('w-full'))
    body.props['maxlength'] = dm.MAX_BODY
    body.props['hint'] = _('Strg+Enter sendet. Markdown: **fett**, *kursiv*, - Liste, > Zitat.')

    def show_chips() -> None:
        chips.clear()
        with chips:
            if not picked:
                ui.label(_('Noch niemand ausgewählt.')).classes(theme.MUTED)
            for member in picked:
                with ui.row().classes('items-center gap-1 bg-slate-100 rounded px-2').mark(f'picked-{member.id}'):
                    ui.label(member.name + (f' ({member.organization})' if member.organization else ''))
                    aria(ui.button(icon='close', on_click=lambda m=member: remove(m)).props(
                        'flat dense round size=sm'), _('Entfernen: {name}', name=member.name))
        title.set_visibility(len(picked) > 1)

    def remove(member: Any) -> None:
        picked[:] = [m for m in picked if m.id != member.id]
        show_chips()

    def add(member: Any) -> None:
        if all(m.id != member.id for m in picked):
            picked.append(member)
        search.value = ''
        results.clear()
        show_chips()
        search.run_method('focus')

    async def find() -> None:
        text = (search.value or '').strip()
        results.clear()
        if len(text) < 2:
            return
        found = await in_thread(db.call, _search_members, viewer=user, text=text)
        results.clear()
        with results:
            shown = [m for m in found if m.id != user.id]
            if not shown:
                ui.label(_('Niemand gefunden.')).classes(theme.MUTED)
            for member in shown:
                label = member.name + (f' ({member.organization})' if member.organization else '')
                ui.button(label, on_click=lambda m=member: add(m)).props('outline dense no-caps').mark(
                    f'pick-{member.id}')

    search.on_value_change(find)

    async def send() -> None:
        form.clear()
        try:
            cid = await in_thread(db.call, lambda s, **kw: [dm.start_conversation(s, **kw)], actor=user,
                                  member_ids=[m.id for m in picked], body=body.value or '', title=title.value or '')
        except DomainError as e:
            form.show(e)
            return
        ui.navigate.to(f'/messages/{cid[0]}')

    body.on('keydown.ctrl.enter', send)
    body.on('keydown.meta.enter', send)
    ui.button(_('Senden'), icon='send', on_click=send).props('color=primary').mark('start-send')
    show_chips()
    return search


# ---------------------------------------------------------------- /messages/{id}


class ConversationPage:
    def __init__(self, user: Any, view: dm.ConversationView, before: int | None) -> None:
        self.user = user
        self.view = view
        self.before = before  # an older page: live messages are announced, not appended
        self.shown: dict[int, dm.MessageView] = {m.id: m for m in view.messages}
        self.bodies: dict[int, ui.element] = {}
        self.read_labels: dict[int, ui.label] = {}
        self.marks = dict(view.marks)
        self.names = {o.id: o.name for o in view.others}
        self.body: ui.textarea | None = None

    def build(self) -> None:
        view = self.view
        breadcrumbs(('/messages', _('Nachrichten')))
        if view.is_group:
            names = ', '.join(o.name for o in view.others) or _('niemand mehr')
            ui.label(_('Mit: {names}', names=names)).classes(theme.MUTED).mark('conversation-members')
        with ui.row().classes('gap-2 flex-wrap'):
            if view.is_group and not view.left:
                ui.button(_('Unterhaltung verlassen'), icon='logout', on_click=self._leave_dialog).props(
                    'outline dense no-caps').mark('leave')
            if view.other_id is not None:
                other = next((o for o in view.others if o.id == view.other_id), None)
                name = other.name if other else ''
                if view.i_blocked:
                    ui.button(_('Blockierung aufheben'), on_click=self._unblock).props(
                        'outline dense no-caps').mark('unblock')
                else:
                    button = ui.button(_('Blockieren'), icon='block', on_click=self._block_dialog).props(
                        'outline dense no-caps color=negative').mark('block')
                    aria(button, _('{name} blockieren', name=name))
        if view.has_older:
            ui.link(_('Ältere Nachrichten'), f'/messages/{view.id}?before={view.messages[0].id}').mark('older')
        self.log = ui.element('div').classes('w-full flex flex-col gap-2').props(
            f'role=log aria-live=polite aria-label="{_("Nachrichten")}"').mark('message-log')
        with self.log:
            for message in view.messages:
                self._card(message)
        self._update_marks()
        self.news = ui.row().classes('w-full items-center gap-2').props('role=status aria-live=polite').mark(
            'live-news')
        if self.before is not None:
            ui.link(_('Zu den neuesten Nachrichten'), f'/messages/{view.id}').mark('newest')
        self._composer()

    def _card(self, message: dm.MessageView) -> None:
        own = message.author is not None and message.author.id == self.user.id
        with ui.column().classes('w-full gap-1 p-2 rounded border ' + (
                'border-blue-200 bg-blue-50 self-end' if own else 'border-slate-200')).style('max-width: 48rem') \
                .mark(f'message-{message.id}'):
            with ui.row().classes('items-baseline gap-2 flex-wrap'):
                ui.label(_('Sie') if own else (message.author.name if message.author else _(FORMER))).classes(
                    'font-medium')
                ui.html(time_html(message.created_at)).classes(theme.MUTED)
                if not own and not message.removed and not self.view.left:
                    who = message.author.name if message.author else _(FORMER)
                    aria(ui.button(icon='flag', on_click=lambda m=message: self._report_dialog(m)).props(
                        'flat dense round size=sm color=grey-8').mark(f'report-{message.id}'),
                        _('Nachricht von {name} melden', name=who))
            holder = ui.element('div').classes('w-full')
            self.bodies[message.id] = holder
            with holder:
                self._body(message)
            if own:
                self.read_labels[message.id] = ui.label('').classes('text-xs text-slate-600').mark(
                    f'read-{message.id}')

    @staticmethod
    def _body(message: dm.MessageView) -> None:
        if message.removed:
            ui.label(_('Diese Nachricht wurde von der Moderation entfernt.')).classes('italic text-slate-600') \
                .mark('removed')
        else:
            ui.html(message.body_html).classes('prose max-w-none').mark('message-body')

    def _update_marks(self) -> None:
        mine = sorted(self.read_labels)
        read_by = dm.read_marks(mine, self.marks, self.names)
        for message_id, label in self.read_labels.items():
            names = read_by.get(message_id)
            text = ''
            if names:
                text = _('Gelesen') if not self.view.is_group else _('Gelesen von {names}', names=', '.join(names))
            if label.text != text:
                label.text = text

    def _composer(self) -> None:
        view = self.view
        with ui.column().classes('w-full gap-2 mt-2').mark('composer'):
            if not view.can_write:
                ui.label(_(view.write_blocked, **view.write_params)).classes('font-medium').mark('write-blocked')
                return
            self.form = Form()
            self.body = ui.textarea(_('Ihre Nachricht (Markdown)')).props('outlined autogrow').classes('w-full') \
                .mark('message-input')
            self.form.fields['body'] = self.body
            self.body.props['maxlength'] = dm.MAX_BODY
            self.body.props['hint'] = _('Strg+Enter sendet. Markdown: **fett**, *kursiv*, - Liste, > Zitat.')
            self.body.on('keydown.ctrl.enter', self._send)
            self.body.on('keydown.meta.enter', self._send)
            ui.button(_('Senden'), icon='send', on_click=self._send).props('color=primary').mark('send')

    # ------------------------------------------------------------ actions

    async def _send(self) -> None:
        assert self.body is not None
        self.form.clear()
        text = self.body.value or ''
        try:
            created = await in_thread(db.call, dm.send_message, actor=self.user, conversation_id=self.view.id,
                                      body=text)
        except DomainError as e:
            self.form.show(e)
            return
        self.body.value = ''
        if self.before is not None:
            ui.navigate.to(f'/messages/{self.view.id}')
            return
        self._append(created)

    def _report_dialog(self, message: dm.MessageView) -> None:
        open_report_dialog(
            _('Nachricht melden'), _('Die Moderation sieht nur diese eine Nachricht, nicht die übrige Unterhaltung.'),
            lambda reason: in_thread(db.call, dm.report_message, actor=self.user, message_id=message.id,
                                     reason=reason))

    def _leave_dialog(self) -> None:
        with ui.dialog() as dialog, ui.card().mark('confirm-leave'):
            ui.label(_('Diese Unterhaltung verlassen? Sie erhalten danach keine neuen Nachrichten daraus.')).classes(
                'font-medium')

            async def confirm() -> None:
                dialog.close()
                if await _act(dm.leave_conversation, actor=self.user, conversation_id=self.view.id):
                    ui.navigate.to('/messages')

            with ui.row():
                ui.button(_('Verlassen'), on_click=confirm).props('color=negative').mark('confirm')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    def _block_dialog(self) -> None:
        other_id = self.view.other_id
        assert other_id is not None
        name = self.names.get(other_id, '')
        with ui.dialog() as dialog, ui.card().mark('confirm-block'):
            ui.label(_('{name} blockieren? {name} kann Ihnen dann nicht mehr schreiben und erfährt davon nichts.',
                       name=name)).classes('font-medium')

            async def confirm() -> None:
                dialog.close()
                if await _act(dm.block_member, actor=self.user, member_id=other_id):
                    ui.navigate.to(f'/messages/{self.view.id}')

            with ui.row():
                ui.button(_('Blockieren'), on_click=confirm).props('color=negative').mark('confirm')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    async def _unblock(self) -> None:
        if self.view.other_id is not None and await _act(dm.unblock_member, actor=self.user,
                                                         member_id=self.view.other_id):
            ui.navigate.to(f'/messages/{self.view.id}')

    # ------------------------------------------------------------ live

    def _append(self, message: dm.MessageView) -> None:
        if message.id in self.shown:
            return
        self.shown[message.id] = message
        with self.log:
            self._card(message)
        self._update_marks()
        self.bodies[message.id].run_method('scrollIntoView', {'block': 'nearest'})

    def on_new(self, event: bus.Event) -> None:
        data = event.data
        if data.get('conversation_id') != self.view.id or self.view.left:
            return
        message: dm.MessageView | None = data.get('message')
        if message is None or message.id in self.shown:
            return
        if self.before is not None:
            self.news.clear()
            with self.news:
                ui.label(_('Es gibt neue Nachrichten.')).classes('font-medium')
                ui.link(_('Zu den neuesten Nachrichten'), f'/messages/{self.view.id}')
            return
        if message.author is not None and message.author.id in self.marks:  # who writes has read everything before
            self.marks[message.author.id] = max(self.marks[message.author.id], message.id)
        self._append(message)
        if message.author is None or message.author.id != self.user.id:
            who = message.author.name if message.author else _(FORMER)
            self.news.clear()
            with self.news:
                ui.label(_('Neue Nachricht von {name}.', name=who)).classes(theme.MUTED)
            asyncio.ensure_future(self._mark_read(message.id))

    async def _mark_read(self, message_id: int) -> None:
        """Shown on this open page, so read (a refusal, e.g. signed out meanwhile, changes nothing)."""
        try:
            await run.io_bound(db.call, dm.mark_read, viewer=self.user, conversation_id=self.view.id,
                               message_id=message_id)
        except DomainError:
            pass

    def on_read(self, event: bus.Event) -> None:
        data = event.data
        reader = data.get('reader_id')
        if data.get('conversation_id') != self.view.id or reader == self.user.id or reader not in self.marks:
            return
        self.marks[reader] = max(self.marks[reader], data.get('message_id') or 0)
        self._update_marks()

    def on_changed(self, event: bus.Event) -> None:
        data = event.data
        holder = self.bodies.get(data.get('message_id'))
        if data.get('conversation_id') != self.view.id or holder is None:
            return
        old = self.shown[data['message_id']]
        removed = dm.MessageView(old.id, old.conversation_id, old.author, '', old.created_at)
        self.shown[old.id] = removed
        holder.clear()
        with holder:
            self._body(removed)


@page('/messages/{conversation_id}')
async def conversation_page(request: Request, conversation_id: str) -> Response | None:
    user = require_user()
    before = optional_id(request.query_params.get('before'))
    try:
        view = await in_thread(db.call, dm.open_conversation, viewer=user, conversation_id=parse_id(conversation_id),
                               before_id=before)
    except (NotFound, ValueError):
        return not_found_page(user, _('Diese Unterhaltung gibt es nicht.'), _('Zu den Nachrichten'), '/messages')
    conversation = ConversationPage(user, view, before)
    with frame(view.name, user=user):
        conversation.build()
    client = context.client
    unsubscribes = [bus.subscribe('messages.new', conversation.on_new),
                    bus.subscribe('messages.read', conversation.on_read),
                    bus.subscribe('messages.changed', conversation.on_changed)]
    client.on_delete(lambda: [u() for u in unsubscribes])
    if view.messages and before is None:
        last = view.messages[-1].id
        ui.timer(0.1, lambda: conversation.bodies[last].run_method('scrollIntoView', {'block': 'nearest'}), once=True)
    return None
