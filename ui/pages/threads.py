"""One thread (/threads/{id}): the question, its solution, 50 posts a page, replying, live updates, moderation.

Live: a new reply is appended below what the reader sees, so nothing they are reading moves; readers on an earlier
page get a notice with a link instead. The event carries the rendered post, so a hundred open pages show it without
a hundred database queries.
"""

import asyncio
import dataclasses
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.responses import FileResponse
from nicegui import app, context, run, ui

from models.board import ReactionKind
from services import boards, bus, db, moderation, posts, reading
from services.board_views import PostView, ThreadView, edit_window_open, post_url
from services.errors import DomainError, NotFound
from ui import theme
from ui.auth import current_user, require_user
from ui.components.editor import PostEditor, size_label
from ui.components.forms import Form, aria, focus_field
from ui.components.member import avatar_html
from ui.components.pager import pager
from ui.components.report import open_report_dialog
from ui.components.text import Heading, breadcrumbs, link_html
from ui.components.threads import badge
from ui.components.when import time_html
from ui.i18n import _, error_text
from ui.layout import frame, not_found_page, page
from ui.pages.boards import WATCH_LABELS
from ui.params import optional_id, parse_id
from ui.workers import in_thread

# Material icons (bundled with NiceGUI): emoji need fonts that intranet machines often lack.
REACTION_ICONS = {ReactionKind.THANKS: 'thumb_up', ReactionKind.HELPFUL: 'lightbulb'}
REACTION_LABELS = {ReactionKind.THANKS: 'Danke', ReactionKind.HELPFUL: 'Hilfreich'}
MSG_HIDDEN = 'Dieser Beitrag wurde von der Moderation ausgeblendet.'
READ_MARK_DELAY = 3.0  # seconds: live replies are marked read in one write, not one per reply


@app.get('/files/{stored_name}/{filename}', include_in_schema=False)
def attachment_file(stored_name: str, filename: str) -> FileResponse:
    # Behind the guard (every non-public path needs a session); the service checks the member is active.
    user = current_user()
    try:
        path, name, content_type = db.call(posts.attachment_for_download, viewer=user, stored_name=stored_name)
    except DomainError:
        raise HTTPException(status_code=404) from None
    return FileResponse(path, media_type=content_type, filename=name, content_disposition_type='attachment',
                        headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600',
                                 'Content-Security-Policy': "default-src 'none'; sandbox"})


async def _act(fn: Any, **kwargs: Any) -> bool:
    """Run a small service call off the event loop; a refusal becomes a message. True when it worked."""
    try:
        await run.io_bound(db.call, fn, **kwargs)
    except DomainError as e:
        ui.notify(error_text(e), type='negative')
        return False
    return True


TAG_CLASSES = 'no-underline text-sm px-2 py-0.5 rounded-full bg-slate-100 text-slate-800'


class ThreadPage:
    def __init__(self, user: Any, view: ThreadView) -> None:
        self.user = user
        self.view = view
        self.cards: dict[int, tuple[ui.element, PostView]] = {}
        self.editor: PostEditor | None = None
        self.quoted_post_id: int | None = None

    # ------------------------------------------------------------ building

    def build(self) -> None:
        view = self.view
        breadcrumbs(('/boards', _('Foren')), (f'/boards/{quote(view.board.slug)}', view.board.name))
        self.header = ui.refreshable(self._header)
        self.header()
        self.top = ui.refreshable(self._question_and_solution)
        self.top()
        pager(view.page, view.pages, lambda n: f'/threads/{view.id}?page={n}')
        self.posts_list = ui.element('div').classes('w-full flex flex-col').props(
            # A named region, not role=feed: a feed may hold only articles, and each post's actions button sits
            # beside its article (axe: aria-required-children).
            f'role=region aria-label="{_("Antworten")}"').mark('posts')
        with self.posts_list:
            for post in view.posts:
                if post.number == 1:
                    continue
                if view.first_unread and post.number == view.first_unread:
                    ui.label(_('Neu seit Ihrem letzten Besuch')).classes(
                        'text-amber-900 font-medium border-t-2 border-amber-500 pt-1').mark('first-unread')
                self._add_card(post)
        if not any(p.number > 1 for p in view.posts) and view.page == 1:
            self.no_replies = ui.label(_('Noch keine Antworten. Wissen Sie weiter?')).mark('no-replies')
        else:
            self.no_replies = None
        self.news = ui.row().classes('w-full items-center gap-2').props('role=status aria-live=polite').mark(
            'live-news')
        pager(view.page, view.pages, lambda n: f'/threads/{view.id}?page={n}')
        self._reply_area()

    def _header(self) -> None:
        view = self.view
        # One HTML block: badges, tags and counts are read-only, and the thread page is the most opened page.
        self.state = ui.html(self._state_html()).classes('w-full flex flex-wrap items-center gap-2').mark(
            'thread-state')
        with ui.row().classes('w-full items-center gap-2 flex-wrap'):
            watch = ui.select({k: _(v) for k, v in WATCH_LABELS.items()}, value=view.watch,
                              label=_('Benachrichtigung')).classes('w-48').mark('thread-watch')
            aria(watch, _('Benachrichtigung für dieses Thema'))
            watch.on_value_change(lambda e: self._set_watch(e.value))
            if view.is_author or view.can_moderate:
                ui.button(_('Titel bearbeiten'), on_click=self._edit_title).props('flat dense').mark('edit-title')
            if view.can_moderate:
                self._moderator_tools()

    def _state_html(self) -> str:
        view = self.view
        parts = []
        if view.solution:
            parts.append(badge(_('Gelöst'), 'bg-green-100 text-green-900', name='solved'))
        if view.pinned:
            parts.append(badge(_('Angeheftet'), 'bg-blue-100 text-blue-900', name='pinned'))
        if view.locked:
            parts.append(badge(_('Geschlossen'), 'bg-slate-200 text-slate-800', name='locked'))
        parts += [link_html(f'/search?q={quote(tag.name)}', tag.name, classes=TAG_CLASSES) for tag in view.tags]
        parts.append(f'<span class="{theme.MUTED}" data-counts>{escape(self._counts_text(view.reply_count))}</span>')
        return ''.join(parts)

    def _counts_text(self, replies: int) -> str:
        view = self.view
        answers = _('1 Antwort') if replies == 1 else _('{n} Antworten', n=replies)
        views = _('1 Aufruf') if view.view_count == 1 else _('{n} Aufrufe', n=view.view_count)
        return f'{answers} · {views}'

    def _moderator_tools(self) -> None:
        button = ui.element('q-btn').props('outline dense no-caps color=primary icon=shield').mark('moderation')
        button.props['label'] = _('Moderation')
        button.props['aria-haspopup'] = 'menu'
        button.on('click', lambda: self._open_moderation_menu(button))

    def _open_moderation_menu(self, button: ui.element) -> None:
        view = self.view
        button.clear()
        with button, ui.menu().props('role=menu') as menu:
            ui.menu_item(_('Lösen') if view.pinned else _('Anheften'), lambda: self._moderate(
                moderation.pin_thread, pinned=not view.pinned)).props('role=menuitem').mark('pin')
            ui.menu_item(_('Öffnen') if view.locked else _('Schließen'), lambda: self._moderate(
                moderation.lock_thread, locked=not view.locked)).props('role=menuitem').mark('lock')
            ui.menu_item(_('Verschieben …'), self._move_dialog).props('role=menuitem').mark('move')
            ui.menu_item(_('Thema löschen …'), self._delete_thread_dialog).props('role=menuitem').mark(
                'delete-thread')
        menu.open()

    def _question_and_solution(self) -> None:
        view = self.view
        if view.question is not None:
            self._add_card(view.question)
        if view.solution is not None:
            author = view.solution.author.name if view.solution.author else _('Ehemaliges Mitglied')
            text = (f'<p class="italic text-slate-600">{escape(_(MSG_HIDDEN))}</p>'
                    if view.solution.hidden and not view.solution.body_html else view.solution.body_html)
            ui.html(
                f'<h2 class="text-xl font-semibold text-green-900">{escape(_("Lösung"))}</h2>'
                f'<div class="prose max-w-none">{text}</div>'
                f'<div class="text-sm text-slate-600">{escape(_("von {name}", name=author))} · '
                f'<a href="{escape(post_url(view.id, view.solution.number))}">{escape(_("Zur Antwort"))}</a></div>'
            ).classes('w-full p-4 border border-slate-200 border-l-4 border-l-green-700 rounded').mark('solution')

    def _add_card(self, post: PostView) -> None:
        """A post costs two elements: its HTML and one actions button (a page holds 50 posts; each element costs
        the server about 0.2 ms to build, a button with its mixins 0.9 ms)."""
        body = ui.html(self._post_html(post)).classes('w-full pt-3 border-t border-slate-200').mark(
            f'post-{post.number}')
        button = None
        if not post.deleted:
            button = ui.element('q-btn').props('flat dense no-caps icon=more_horiz').classes('self-start mb-2')
            button.props['label'] = _('Aktionen')
            button.props['aria-label'] = _('Aktionen zu Beitrag {n}', n=post.number)
            button.props['aria-haspopup'] = 'menu'
            button.on('click', lambda n=post.number: self._open_menu(n))
            button.mark(f'actions-{post.number}')
        self.cards[post.number] = (body, button, post)

    def _rerender(self, post: PostView, *, live: bool = False) -> None:
        """Show a post's new state; a live event knows nothing of this reader's reactions, so those are kept."""
        found = self.cards.get(post.number)
        if found is None:
            return
        body, button, old = found
        post = dataclasses.replace(post, mine=old.mine) if live else post
        self.cards[post.number] = (body, button, post)
        body.content = self._post_html(post)
        if post.deleted and button is not None:
            button.delete()
            self.cards[post.number] = (body, None, post)

    def _post_html(self, post: PostView) -> str:
        view = self.view
        author = post.author.name if post.author else _('Ehemaliges Mitglied')
        name = (f'<a href="/members/{post.author.id}" class="font-medium text-slate-900">{escape(author)}</a>'
                if post.author else f'<span class="font-medium">{escape(author)}</span>')
        origin = (f' <span class="text-sm text-slate-600">{escape(post.author.organization)}</span>'
                  if post.author and post.author.organization else '')
        edited = (f' · <span title="{escape(_("bearbeitet"))}">{escape(_("bearbeitet"))}</span>'
                  if post.edited_at and not post.deleted else '')
        solution = badge(_('Lösung'), 'bg-green-100 text-green-900') if post.is_solution else ''
        if post.hidden and not post.deleted:
            solution += ' ' + badge(_('Ausgeblendet'), 'bg-amber-100 text-amber-900')
        picture = avatar_html(author, post.author.avatar if post.author else '', '40px')
        header = (f'<header class="flex items-center gap-3 flex-nowrap">{picture}'
                  f'<div class="min-w-0"><div>{name}{origin}</div><div class="text-sm text-slate-600">'
                  f'<a href="{escape(post_url(view.id, post.number))}" class="text-slate-600">#{post.number}</a>'
                  f' · {time_html(post.created_at)}{edited}</div></div><div class="ml-auto">{solution}</div></header>')
        if post.deleted:
            body = f'<p class="italic text-slate-600 py-2">{escape(_("Dieser Beitrag wurde gelöscht."))}</p>'
        elif post.hidden and not post.body_html:
            body = f'<p class="italic text-slate-600 py-2">{escape(_(MSG_HIDDEN))}</p>'
        elif post.hidden:
            # Its author and the moderation still read it, marked, so nobody mistakes it for a visible post.
            note = _('Von der Moderation ausgeblendet: nur die Person, die ihn geschrieben hat, und die Moderation '
                     'sehen diesen Beitrag.')
            body = (f'<div class="my-2 p-2 border-l-4 border-amber-600 bg-amber-50">'
                    f'<p class="text-sm font-medium text-amber-900">{escape(note)}</p>'
                    f'<div class="prose max-w-none py-2">{post.body_html}</div></div>')
        else:
            body = f'<div class="prose max-w-none py-2">{post.body_html}</div>'
        files = ''
        if post.attachments and not post.deleted:
            items = ''.join(
                f'<li><span class="material-icons text-base align-middle" aria-hidden="true">attach_file</span> '
                f'<a href="{escape(file.url)}" download>{escape(file.filename)}</a> '
                f'<span class="text-sm text-slate-600">({size_label(file.size)})</span></li>'
                for file in post.attachments)
            files = f'<ul aria-label="{escape(_("Anhänge"))}" class="flex flex-col gap-1">{items}</ul>'
        counts = []
        for kind, label in REACTION_LABELS.items():
            icon = REACTION_ICONS[kind]
            count = post.thanks if kind == ReactionKind.THANKS else post.helpful
            if count:
                mine = ' font-bold text-primary' if kind in post.mine else ''
                counts.append(f'<span class="inline-flex items-center gap-1{mine}"><span class="material-icons '
                              f'text-base" aria-hidden="true">{icon}</span>{escape(_(label))} {count}</span>')
        reactions = f'<div class="flex gap-3 text-sm text-slate-700">{"".join(counts)}</div>' if counts else ''
        return (f'<article id="post-{post.number}" aria-label="{escape(_("Beitrag {n}", n=post.number))}" '
                f'class="scroll-mt-20">{header}{body}{files}{reactions}</article>')

    def _open_menu(self, number: int) -> None:
        """The post's actions, built when asked for (most posts are read, not acted on)."""
        found = self.cards.get(number)
        if found is None or found[1] is None:
            return
        _body, button, post = found
        view = self.view
        own = post.author is not None and post.author.id == self.user.id
        hidden_from_me = post.hidden and not post.body_html
        button.clear()
        with button, ui.menu().props('role=menu') as menu:
            if not own and not hidden_from_me:
                for kind, label in REACTION_LABELS.items():
                    text = _('{label} zurücknehmen', label=_(label)) if kind in post.mine else _(label)
                    ui.menu_item(text, lambda k=kind: self._react(post, k)).props('role=menuitem').mark(
                        f'react-{kind}-{number}')
            if view.can_reply and not post.hidden:
                ui.menu_item(_('Zitieren'), lambda: self._quote(post)).props('role=menuitem').mark(f'quote-{number}')
            if self._may_edit(post, own):
                ui.menu_item(_('Bearbeiten'), lambda: self._edit(post)).props('role=menuitem').mark(f'edit-{number}')
            if post.hidden and view.can_moderate:
                ui.menu_item(_('Wieder einblenden'), lambda: self._unhide(post)).props('role=menuitem').mark(
                    f'unhide-{number}')
            if post.edited_at:
                ui.menu_item(_('Frühere Fassungen'), lambda: self._history(post)).props('role=menuitem').mark(
                    f'history-{number}')
            if (own or view.can_moderate) and (not view.locked or view.can_moderate):
                ui.menu_item(_('Löschen'), lambda: self._delete_dialog(post)).props('role=menuitem').mark(
                    f'delete-{number}')
            if view.can_mark_solution and number > 1:
                if post.is_solution:
                    ui.menu_item(_('Lösung aufheben'), self._unsolve).props('role=menuitem').mark(
                        f'unsolve-{number}')
                else:
                    ui.menu_item(_('Als Lösung markieren'), lambda: self._solve(post)).props('role=menuitem').mark(
                        f'solve-{number}')
            if not own and not hidden_from_me:
                ui.menu_item(_('Melden'), lambda: self._report_dialog(post)).props('role=menuitem').mark(
                    f'report-{number}')
        menu.open()

    def _may_edit(self, post: PostView, own: bool) -> bool:
        """The moderation edits any post; its author while the thread is open and the edit window lasts."""
        view = self.view
        if view.can_moderate:
            return True
        return own and not view.locked and edit_window_open(post.created_at, view.edit_window_minutes)

    async def _unhide(self, post: PostView) -> None:
        if await _act(moderation.unhide_post, actor=self.user, post_id=post.id):
            ui.notify(_('Der Beitrag ist wieder für alle sichtbar.'), type='positive')

    async def _refetch(self, post_id: int) -> None:
        """A hidden post changed: the event carries no text, but this reader may see it (author, moderation)."""
        try:
            post = await in_thread(db.call, posts.get_post, viewer=self.user, post_id=post_id)
        except DomainError:
            return
        self._rerender(post, live=True)

    def _reply_area(self) -> None:
        view = self.view
        with ui.column().classes('w-full gap-2 mt-4').mark('reply-area') as self.reply_column:
            Heading(_('Antworten'), 2)
            if not view.can_reply:
                ui.label(_(view.reply_blocked)).classes('font-medium').mark('reply-blocked')
                return
            # The composer is built when wanted (as in Discourse): most visits read, and the editor is a fifth of
            # what a thread page costs the server to build.
            self.write_button = ui.button(_('Antwort schreiben'), icon='reply', on_click=self._open_composer).props(
                'color=primary').mark('write-reply')

    def _open_composer(self) -> PostEditor:
        if self.editor is not None:
            focus_field(self.editor.textarea)
            return self.editor
        self.write_button.delete()
        with self.reply_column:
            self.form = Form()
            self.editor = PostEditor(_('Ihre Antwort'), user=self.user, marker='reply-body')
            self.form.fields['body'] = self.editor.textarea
            self.quote_note = ui.label('').classes(theme.MUTED)
            ui.button(_('Antwort senden'), on_click=self._send).props('color=primary').mark('send-reply')
        focus_field(self.editor.textarea)
        return self.editor

    # ------------------------------------------------------------ actions

    async def _send(self) -> None:
        assert self.editor is not None
        self.form.clear()
        try:
            created = await in_thread(db.call, posts.reply, actor=self.user, thread_id=self.view.id,
                                      body=self.editor.value, quoted_post_id=self.quoted_post_id,
                                      attachments=list(self.editor.files))
        except DomainError as e:
            self.form.show(e)
            return
        self.editor.reset()
        self.quoted_post_id = None
        self.quote_note.text = ''
        if created.page != self.view.page:
            ui.navigate.to(post_url(self.view.id, created.number))
        else:
            self._append(created)  # the live event would do it too; this way it shows even if it came first

    def _quote(self, post: PostView) -> None:
        if not self.view.can_reply:
            return
        editor = self._open_composer()
        self.quoted_post_id = post.id
        editor.insert(posts.quote_markdown(post))
        self.quote_note.text = _('Zitat aus Beitrag {n} eingefügt.', n=post.number)

    async def _react(self, post: PostView, kind: str) -> None:
        try:
            updated = await in_thread(db.call, posts.toggle_reaction, actor=self.user, post_id=post.id, kind=kind)
        except DomainError as e:
            ui.notify(error_text(e), type='negative')
            return
        self._rerender(updated)

    def _edit(self, post: PostView) -> None:
        with ui.dialog() as dialog, ui.card().classes('w-full max-w-3xl').mark('edit-dialog'):
            Heading(_('Beitrag bearbeiten'), 2)
            form = Form()
            editor = PostEditor(_('Beitrag'), user=self.user, value=post.body, files=False,
                                marker=f'edit-body-{post.number}')
            form.fields['body'] = editor.textarea

            async def save() -> None:
                try:
                    updated = await in_thread(db.call, posts.edit_post, actor=self.user, post_id=post.id,
                                              body=editor.value)
                except DomainError as e:
                    form.show(e)
                    return
                dialog.close()
                self._rerender(updated)

            with ui.row().classes('gap-2'):
                ui.button(_('Speichern'), on_click=save).props('color=primary').mark(f'save-edit-{post.number}')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    async def _history(self, post: PostView) -> None:
        revisions = await in_thread(db.call, posts.post_history, viewer=self.user, post_id=post.id)
        with ui.dialog() as dialog, ui.card().classes('w-full max-w-2xl').mark('history'):
            Heading(_('Frühere Fassungen'), 2)
            for revision in revisions:
                ui.html(f'<span>{escape(revision.editor)} · {time_html(revision.created_at)}</span>').classes(
                    theme.MUTED)
                ui.html(revision.body_html).classes('prose max-w-none border-l-4 border-slate-200 pl-3')
            ui.button(_('Schließen'), on_click=dialog.close).props('flat')
        dialog.open()

    def _delete_dialog(self, post: PostView) -> None:
        question = post.number == 1
        with ui.dialog() as dialog, ui.card().mark('confirm-delete'):
            ui.label(_('Das ganze Thema löschen?') if question else _('Diesen Beitrag löschen?')).classes(
                'font-medium')
            ui.label(_('Das lässt sich nicht rückgängig machen.'))

            async def confirm() -> None:
                dialog.close()
                if await _act(posts.delete_post, actor=self.user, post_id=post.id) and question:
                    ui.navigate.to(f'/boards/{quote(self.view.board.slug)}')

            with ui.row():
                ui.button(_('Löschen'), on_click=confirm).props('color=negative').mark('confirm')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    async def _solve(self, post: PostView) -> None:
        if await _act(posts.mark_solution, actor=self.user, post_id=post.id):
            await self.reload()

    async def _unsolve(self) -> None:
        if await _act(posts.unmark_solution, actor=self.user, thread_id=self.view.id):
            await self.reload()

    async def _set_watch(self, level: str) -> None:
        if await _act(reading.set_thread_watch, actor=self.user, thread_id=self.view.id, level=level):
            ui.notify(_('Gespeichert.'))

    def _report_dialog(self, post: PostView) -> None:
        open_report_dialog(
            _('Beitrag melden'), _('Die Moderation sieht Ihre Meldung und den Beitrag. Die Person, die ihn geschrieben '
                                   'hat, erfährt nicht, wer gemeldet hat.'),
            lambda reason: in_thread(db.call, moderation.report_post, actor=self.user, post_id=post.id, reason=reason))

    def _edit_title(self) -> None:
        view = self.view
        with ui.dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('title-dialog'):
            Heading(_('Titel bearbeiten'), 2)
            form = Form()
            title = form.field('title', ui.input(_('Titel'), value=view.title).props(
                'outlined maxlength=200 counter').classes('w-full'))
            tags = form.field('tags', ui.select([t.name for t in view.tags], label=_('Schlagwörter (höchstens 5)'),
                                                multiple=True, with_input=True, new_value_mode='add-unique',
                                                value=[t.name for t in view.tags]).props(
                'use-chips hide-dropdown-icon').classes('w-full'))

            async def save() -> None:
                try:
                    await run.io_bound(db.call, boards.edit_thread, actor=self.user, thread_id=view.id,
                                       title=title.value or '', tags=list(tags.value or []))
                except DomainError as e:
                    form.show(e)
                    return
                dialog.close()
                ui.navigate.reload()  # the title is the page's heading and its browser-tab title

            with ui.row():
                ui.button(_('Speichern'), on_click=save).props('color=primary').mark('save-title')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    async def _moderate(self, fn: Any, **kwargs: Any) -> None:
        if await _act(fn, actor=self.user, thread_id=self.view.id, **kwargs):
            await self.reload()

    async def _move_dialog(self) -> None:
        found = await in_thread(db.call, boards.board_choices, viewer=self.user)
        choices = {b.id: b.name for b in found if b.id != self.view.board.id}
        with ui.dialog() as dialog, ui.card().classes('w-full max-w-md').mark('move-dialog'):
            Heading(_('Thema verschieben'), 2)
            target = ui.select(choices, label=_('In das Forum')).classes('w-full').mark('move-target')

            async def move() -> None:
                if target.value is None:
                    return
                if await _act(moderation.move_thread, actor=self.user, thread_id=self.view.id,
                              board_id=target.value):
                    dialog.close()
                    ui.navigate.reload()

            with ui.row():
                ui.button(_('Verschieben'), on_click=move).props('color=primary').mark('confirm-move')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    def _delete_thread_dialog(self) -> None:
        with ui.dialog() as dialog, ui.card().mark('confirm-delete-thread'):
            ui.label(_('Das ganze Thema löschen?')).classes('font-medium')
            ui.label(_('Das lässt sich nicht rückgängig machen.'))

            async def confirm() -> None:
                dialog.close()
                if await _act(moderation.delete_thread, actor=self.user, thread_id=self.view.id):
                    ui.navigate.to(f'/boards/{quote(self.view.board.slug)}')

            with ui.row():
                ui.button(_('Löschen'), on_click=confirm).props('color=negative').mark('confirm')
                ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
        dialog.open()

    # ------------------------------------------------------------ live

    async def reload(self) -> None:
        """Read the thread again (its state changed) and redraw header, question, solution and this page's posts."""
        try:
            self.view = await in_thread(db.call, boards.open_thread, viewer=self.user, thread_id=self.view.id,
                                        page=self.view.page, record_visit=False)
        except NotFound:
            self.news.clear()
            with self.news:
                ui.label(_('Dieses Thema wurde gelöscht.')).mark('thread-gone')
            return
        self.header.refresh()
        self.top.refresh()
        for post in self.view.posts:
            if post.number in self.cards and post.number != 1:
                self._rerender(post)

    def on_post_event(self, event: bus.Event) -> None:
        data = event.data
        if data.get('thread_id') != self.view.id:
            return
        kind = data.get('kind')
        post: PostView | None = data.get('post')
        if kind == 'created' and post is not None:
            self._append(post)
        elif kind == 'changed' and post is not None:
            self._rerender(post, live=True)
            own = post.author is not None and post.author.id == self.user.id
            if post.hidden and (own or self.view.can_moderate):
                asyncio.ensure_future(self._refetch(post.id))
            if self.view.solution is not None and self.view.solution.id == post.id:
                asyncio.ensure_future(self.reload())
        elif kind == 'reacted':
            found = self.cards.get(data.get('number', 0))
            if found is not None:
                self._rerender(dataclasses.replace(found[2], thanks=data['thanks'], helpful=data['helpful']), live=True)

    def on_thread_event(self, event: bus.Event) -> None:
        if event.data.get('thread_id') == self.view.id:
            asyncio.ensure_future(self.reload())

    def _append(self, post: PostView) -> None:
        if post.number in self.cards:
            return
        self.view = dataclasses.replace(self.view, reply_count=self.view.reply_count + 1)
        self.state.content = self._state_html()
        if post.page == self.view.page:
            if self.no_replies is not None:
                self.no_replies.delete()
                self.no_replies = None
            with self.posts_list:
                self._add_card(post)
            self._schedule_read_mark(post.number)
            author = post.author.name if post.author else ''
            self.news.clear()
            with self.news:
                ui.label(_('Neue Antwort von {name}.', name=author)).classes(theme.MUTED)
        elif post.page > self.view.page:
            self.news.clear()
            with self.news:
                ui.label(_('Es gibt neue Antworten.')).classes('font-medium')
                ui.link(_('Zur neuesten Antwort'), post_url(self.view.id, post.number)).mark('to-newest')

    def _schedule_read_mark(self, number: int) -> None:
        _read_marks.add(self.user, self.view.id, number)


class _ReadMarks:
    """Read marks of live-appended replies, written together every READ_MARK_DELAY seconds for all open pages."""

    def __init__(self) -> None:
        self.pending: dict[tuple[int, int], tuple[Any, int]] = {}
        self.task: asyncio.Task | None = None

    def add(self, user: Any, thread_id: int, number: int) -> None:
        key = (user.id, thread_id)
        self.pending[key] = (user, max(number, self.pending.get(key, (user, 0))[1]))
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(READ_MARK_DELAY)
        marks = [(user, thread_id, number) for (_uid, thread_id), (user, number) in self.pending.items()]
        self.pending = {}
        await run.io_bound(db.call, reading.mark_read_many, marks=marks)


_read_marks = _ReadMarks()


@page('/threads/{thread_id}')
async def thread_page(request: Request, thread_id: str) -> Response | None:
    user = require_user()
    raw_page = request.query_params.get('page')
    try:
        page_no = optional_id(raw_page) if raw_page else None  # a bad page number shows the first page
        view = await in_thread(db.call, boards.open_thread, viewer=user, thread_id=parse_id(thread_id), page=page_no)
    except (NotFound, ValueError):
        return not_found_page(user, _('Dieses Thema gibt es nicht (mehr).'), _('Zu den Foren'), '/boards')
    thread = ThreadPage(user, view)
    with frame(view.title, user=user):
        thread.build()
    client = context.client
    unsubscribes = [bus.subscribe('boards.post', thread.on_post_event),
                    bus.subscribe('boards.thread', thread.on_thread_event)]
    client.on_delete(lambda: [u() for u in unsubscribes])
    if raw_page is None and view.first_unread and view.first_unread in thread.cards:
        # Straight to what is new since the last visit.
        ui.timer(0.1, lambda: thread.cards[view.first_unread][0].run_method('scrollIntoView'), once=True)
    return None
