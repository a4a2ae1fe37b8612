"""The moderation queue (/admin/moderation): reported posts and messages and what to do with them; for moderators
and admins.

Open reports come oldest first; each can be dismissed, or its post hidden, deleted, or its thread locked. One action
closes every open report of that post. Reported direct messages have a section of their own: a moderator sees only
the reported message, and can dismiss the report or remove the message. The lists follow new reports live.
"""

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from services import db, moderation
from services import messages as dm
from services.errors import DomainError
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.pager import pager
from ui.components.text import Heading
from ui.components.when import time_html
from ui.i18n import _, error_text
from ui.layout import frame, page
from ui.pages.boards import LiveRefresh
from ui.workers import in_thread

ROUTE = '/admin/moderation'
# The buttons of an open report: action → (label, Quasar colour).
ACTION_LABELS = {
    'dismiss': ('Meldung verwerfen', 'grey-8'),
    'hide': ('Beitrag ausblenden', 'primary'),
    'lock': ('Thema schließen', 'primary'),
    'delete': ('Beitrag löschen', 'negative'),
}
OUTCOME_LABELS = {
    'dismissed': 'Verworfen',
    'hidden': 'Beitrag ausgeblendet',
    'deleted': 'Beitrag gelöscht',
    'locked': 'Thema geschlossen',
}
# Reported direct messages: action → (label, Quasar colour), and what the moderator is told afterwards.
MESSAGE_ACTION_LABELS = {
    'dismiss': ('Meldung verwerfen', 'grey-8'),
    'delete': ('Nachricht entfernen', 'negative'),
}
MESSAGE_DONE = {
    'dismissed': 'Die Meldung wurde verworfen.',
    'deleted': 'Die Nachricht wurde entfernt.',
}
MESSAGE_OUTCOME_LABELS = {
    'dismissed': 'Verworfen',
    'deleted': 'Nachricht entfernt',
}
DONE = {
    'dismissed': 'Die Meldung wurde verworfen.',
    'hidden': 'Der Beitrag ist ausgeblendet.',
    'deleted': 'Der Beitrag wurde gelöscht.',
    'locked': 'Das Thema ist geschlossen.',
}


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get('page', '1')), 10_000))
    except ValueError:
        return 1


def _message_page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get('mpage', '1')), 10_000))
    except ValueError:
        return 1


def _load(session: Any, *, actor: Any, tab: str, page_no: int, message_page: int = 1) -> dict[str, Any]:
    """Counts and one page of each queue (posts, messages), in one session."""
    status = 'open' if tab == 'open' else moderation.HANDLED
    return {'open': moderation.count_open_reports(session, actor=actor),
            'handled': moderation.count_handled_reports(session, actor=actor),
            'rows': moderation.list_reports(session, actor=actor, status=status, page=page_no),
            'messages_total': dm.count_message_reports(session, actor=actor, status=tab),
            'message_rows': dm.list_message_reports(session, actor=actor, status=tab, page=message_page)}



def _cards(rows: list[Any], label: str, card: Callable[[Any], None]) -> None:
    """A labelled list of report cards (posts and messages look alike in the queue)."""
    with ui.element('ul').classes('w-full flex flex-col gap-3').props(f'aria-label="{label}"'):
        for row in rows:
            with ui.element('li').classes('w-full'):
                card(row)

@page('/admin/moderation')
async def admin_moderation_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none(moderators=True)
    if user is None:
        return RedirectResponse('/', status_code=303)
    tab = 'handled' if request.query_params.get('tab') == 'handled' else 'open'
    page_no = _page_number(request)
    message_page = _message_page_number(request)
    state = await in_thread(db.call, _load, actor=user, tab=tab, page_no=page_no, message_page=message_page)
    with frame(_('Moderation'), user=user):
        admin_tabs(ROUTE, user)

        @ui.refreshable
        def heading() -> None:
            Heading(_('Moderation: {n} offene Meldungen', n=state['open']) if state['open'] != 1 else
                    _('Moderation: 1 offene Meldung'), 1)
            with ui.element('nav').props(f'aria-label="{_("Meldungen")}"').classes('flex gap-4'):
                for key, label, count in (('open', _('Offen'), state['open']),
                                          ('handled', _('Bearbeitet'), state['handled'])):
                    link = ui.link(f'{label} ({count})', ROUTE + ('?tab=handled' if key == 'handled' else ''))
                    link.mark(f'tab-{key}')
                    if key == tab:
                        link.props('aria-current=page').classes('font-bold')

        heading()
        live_note = ui.label('').props('role=status aria-live=polite').classes(theme.MUTED).mark('live-note')

        @ui.refreshable
        def queue() -> None:
            rows = state['rows']
            if not rows:
                ui.label(_('Keine offenen Meldungen. Alles erledigt.') if tab == 'open' else
                         _('Noch keine bearbeiteten Meldungen.')).mark('no-reports')
            _cards(rows, _('Meldungen'), _report_card)
            total = state['open'] if tab == 'open' else state['handled']
            pages = max(1, -(-total // moderation.REPORTS_PER_PAGE))
            pager(page_no, pages, lambda n: ROUTE + ('?tab=handled&' if tab == 'handled' else '?') + f'page={n}')

        def _report_card(row: moderation.ReportRow) -> None:
            with ui.card().classes('w-full p-3 gap-2').props('flat bordered').mark(f'report-{row.id}'):
                author = row.post_author.name if row.post_author else _('Ehemaliges Mitglied')
                reporter = row.reporter.name if row.reporter else _('Ehemaliges Mitglied')
                with ui.row().classes('w-full items-center gap-2 flex-wrap'):
                    if row.post_gone:
                        ui.label(_('{title} · Beitrag {n}', title=row.thread_title, n=row.post_number)).classes(
                            'font-medium')
                        ui.badge(_('gelöscht')).props('color=grey-7')
                    else:
                        ui.link(_('{title} · Beitrag {n}', title=row.thread_title, n=row.post_number), row.url) \
                            .classes('font-medium').mark('post-link')
                    if row.post_hidden and not row.post_gone:
                        ui.badge(_('ausgeblendet')).props('color=amber-9')
                    if row.thread_locked:
                        ui.badge(_('Thema geschlossen')).props('color=grey-8')
                    if row.outcome:
                        ui.badge(_(OUTCOME_LABELS.get(row.outcome, row.outcome))).mark('outcome')
                ui.label(row.post_excerpt or _('(kein Text)')).classes(
                    'text-slate-800 border-l-4 border-slate-200 pl-2 whitespace-pre-line').mark('excerpt')
                ui.label(_('Geschrieben von {name}', name=author)).classes(theme.MUTED)
                with ui.row().classes('items-baseline gap-1'):
                    ui.label(_('Gemeldet von {name}:', name=reporter)).classes('font-medium')
                    ui.label(row.reason).mark('reason')
                ui.html(time_html(row.created_at)).classes(theme.MUTED)
                if row.status == 'open':
                    with ui.row().classes('gap-2 flex-wrap'):
                        for action, (label, colour) in ACTION_LABELS.items():
                            if action in ('hide', 'lock') and row.post_gone:
                                continue
                            if action == 'hide' and row.post_hidden:
                                continue
                            if action == 'lock' and row.thread_locked:
                                continue
                            button = ui.button(_(label), on_click=lambda r=row, a=action: ask(r, a)).props(
                                f'outline dense no-caps color={colour}').mark(f'{action}-{row.id}')
                            button.props['aria-label'] = _('{action}: Meldung zu {title}, Beitrag {n}',
                                                           action=_(label), title=row.thread_title,
                                                           n=row.post_number)

        async def ask(row: moderation.ReportRow, action: str) -> None:
            """Deleting cannot be undone: it is confirmed first; the other actions run at once."""
            if action != 'delete':
                await handle(row, action)
                return
            with ui.dialog() as dialog, ui.card().mark('confirm-delete'):
                question = row.post_number == 1
                ui.label(_('Das ganze Thema „{title}“ löschen?', title=row.thread_title) if question else
                         _('Beitrag {n} in „{title}“ löschen?', n=row.post_number, title=row.thread_title)).classes(
                    'font-medium')
                ui.label(_('Das lässt sich nicht rückgängig machen.'))

                async def confirm() -> None:
                    dialog.close()
                    await handle(row, action)

                with ui.row():
                    ui.button(_('Löschen'), on_click=confirm).props('color=negative').mark('confirm')
                    ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            dialog.open()

        async def handle(row: moderation.ReportRow, action: str) -> None:
            try:
                outcome = await in_thread(db.call, moderation.handle_report, actor=user, report_id=row.id,
                                          action=action)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                await reload()
                return
            ui.notify(_(DONE[outcome]), type='positive')
            await reload()

        async def reload() -> None:
            state.update(await in_thread(db.call, _load, actor=user, tab=tab, page_no=page_no,
                                         message_page=message_page))
            await heading.refresh()
            await queue.refresh()
            await message_queue.refresh()

        async def live() -> None:
            await reload()
            live_note.text = _('Die Liste wurde eben aktualisiert.')

        queue()

        @ui.refreshable
        def message_queue() -> None:
            Heading(_('Gemeldete Nachrichten ({n})', n=state['messages_total']), 2).classes('mt-6').mark(
                'message-reports-heading')
            ui.label(_('Sie sehen nur die gemeldete Nachricht, nicht die übrige Unterhaltung.')).classes(theme.MUTED)
            rows = state['message_rows']
            if not rows:
                ui.label(_('Keine offenen Meldungen zu Nachrichten.') if tab == 'open' else
                         _('Noch keine bearbeiteten Meldungen zu Nachrichten.')).mark('no-message-reports')
            _cards(rows, _('Gemeldete Nachrichten'), _message_card)
            pages = max(1, -(-state['messages_total'] // dm.REPORTS_PER_PAGE))
            pager(message_page, pages,
                  lambda n: ROUTE + ('?tab=handled&' if tab == 'handled' else '?') + f'mpage={n}')

        def _message_card(row: dm.MessageReportRow) -> None:
            with ui.card().classes('w-full p-3 gap-2').props('flat bordered').mark(f'message-report-{row.id}'):
                author = row.author.name if row.author else _('Ehemaliges Mitglied')
                reporter = row.reporter.name if row.reporter else _('Ehemaliges Mitglied')
                with ui.row().classes('w-full items-center gap-2 flex-wrap'):
                    ui.label(_('Nachricht von {name}', name=author)).classes('font-medium')
                    if row.message_removed:
                        ui.badge(_('entfernt')).props('color=grey-7')
                    if row.outcome:
                        ui.badge(_(MESSAGE_OUTCOME_LABELS.get(row.outcome, row.outcome))).mark('outcome')
                ui.label(row.excerpt or _('(kein Text)')).classes(
                    'text-slate-800 border-l-4 border-slate-200 pl-2 whitespace-pre-line').mark('message-excerpt')
                with ui.row().classes('items-baseline gap-1'):
                    ui.label(_('Gemeldet von {name}:', name=reporter)).classes('font-medium')
                    ui.label(row.reason).mark('reason')
                ui.html(time_html(row.created_at)).classes(theme.MUTED)
                if row.status == 'open':
                    with ui.row().classes('gap-2 flex-wrap'):
                        for action, (label, colour) in MESSAGE_ACTION_LABELS.items():
                            if action == 'delete' and row.message_removed:
                                continue
                            button = ui.button(_(label), on_click=lambda r=row, a=action: handle_message(r, a)) \
                                .props(f'outline dense no-caps color={colour}').mark(f'message-{action}-{row.id}')
                            button.props['aria-label'] = _('{action}: Nachricht von {name}', action=_(label),
                                                           name=author)

        async def handle_message(row: dm.MessageReportRow, action: str, confirmed: bool = False) -> None:
            """Removing a message cannot be undone: it is confirmed first; dismissing runs at once."""
            if action == 'delete' and not confirmed:
                with ui.dialog() as dialog, ui.card().mark('confirm-message-delete'):
                    ui.label(_('Diese Nachricht entfernen?')).classes('font-medium')
                    ui.label(_('Das lässt sich nicht rückgängig machen.'))

                    async def confirm() -> None:
                        dialog.close()
                        await handle_message(row, action, confirmed=True)

                    with ui.row():
                        ui.button(_('Entfernen'), on_click=confirm).props('color=negative').mark('confirm')
                        ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
                dialog.open()
                return
            try:
                outcome = await in_thread(db.call, dm.handle_message_report, actor=user, report_id=row.id,
                                          action=action)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                await reload()
                return
            ui.notify(_(MESSAGE_DONE[outcome]), type='positive')
            await reload()

        message_queue()
        LiveRefresh(live, ('moderation.reported', 'moderation.handled', 'messages.reported',
                           'messages.report_handled'))
    return None
