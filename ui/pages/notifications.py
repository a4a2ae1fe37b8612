"""The notification centre (/notifications): my notices, newest first, grouped by thread or event; mark them read.

Every notice is a link to /notifications/{id}, which marks it read and leads on to its place: a plain link, so it
works with the keyboard, in a new tab, and without waiting for a round trip before the navigation.
"""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from services import db, notifications
from services.notifications import NoticeGroup, NoticePage
from ui import theme
from ui.auth import require_user
from ui.components.pager import pager
from ui.components.when import ago, exact
from ui.i18n import _
from ui.layout import frame, page
from ui.params import optional_id
from ui.workers import in_thread


@page('/notifications/{notice_id}')
def open_notice_page(notice_id: str) -> RedirectResponse:
    """Mark the notice read and go to its place (or back to the list when it is not mine or has none)."""
    user = require_user()
    number = optional_id(notice_id)
    target = db.call(notifications.open_notice, actor=user, notice_id=number) if number else ''
    return RedirectResponse(target or '/notifications', status_code=303)


def _group(group: NoticeGroup) -> None:
    with ui.element('li').classes('py-2').mark('notice-group'):
        with ui.element('ul').classes('flex flex-col gap-1'):
            for notice in group.notices:
                with ui.element('li').classes('flex flex-wrap items-baseline gap-x-2'):
                    text = _(notice.text, **notice.params)
                    link = ui.link(text, f'/notifications/{notice.id}').classes('text-slate-900 underline')
                    if notice.read:
                        link.mark('notice-read')
                    else:
                        link.classes('font-semibold').mark('notice-unread')
                        ui.label(_('neu')).classes('text-xs font-semibold uppercase text-red-800')
                    when = ui.label(ago(notice.created_at)).classes(theme.MUTED + ' text-sm')
                    when.props(f'title="{exact(notice.created_at)}"')
        if group.more:
            ui.label(_('und {n} ältere dazu', n=group.more)).classes(theme.MUTED + ' text-sm').mark('notice-more')


@page('/notifications')
async def notifications_page(request: Request) -> None:
    user = require_user()
    number = optional_id(request.query_params.get('page')) or 1
    data: NoticePage = await in_thread(db.call, notifications.list_notices, viewer=user, page=number)
    with frame(_('Benachrichtigungen'), user=user):

        @ui.refreshable
        def body(data: NoticePage) -> None:
            with ui.row().classes('w-full items-center justify-between'):
                ui.label(_('{n} ungelesen', n=data.unread) if data.unread else _('Alles gelesen.')).props(
                    'role=status').mark('notices-unread')
                if data.unread:
                    ui.button(_('Alle als gelesen markieren'), on_click=read_all).props('outline').mark(
                        'notices-read-all')
            if not data.groups:
                ui.label(_('Noch keine Benachrichtigungen. Hier erfahren Sie von Antworten, Erwähnungen, '
                           'Veranstaltungen und mehr.')).mark('notices-empty')
                return
            with ui.element('ul').classes('w-full divide-y divide-slate-200').mark('notices'):
                for group in data.groups:
                    _group(group)
            pager(data.page, data.pages, lambda n: f'/notifications?page={n}')

        async def read_all() -> None:
            await in_thread(db.call, notifications.mark_read, actor=user)
            fresh = await in_thread(db.call, notifications.list_notices, viewer=user, page=data.page)
            body.refresh(fresh)
            ui.notify(_('Alle Benachrichtigungen sind als gelesen markiert.'), type='positive')

        body(data)
        ui.link(_('Wie und wann Sie benachrichtigt werden, stellen Sie in Ihrem Konto ein.'), '/account#notifications')
