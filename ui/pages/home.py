"""The start page: what is new for me."""

from html import escape

from fastapi import Request
from nicegui import ui

from services import accounts, db, events, members, notifications, reading
from services import settings as site_settings
from services.markup import render_markdown
from ui import theme
from ui.auth import require_user
from ui.components.calendar import time_range
from ui.components.member import member_list_html
from ui.components.text import h2_html, link_html, paragraph_html, section
from ui.components.threads import thread_section
from ui.i18n import _
from ui.layout import frame, page
from ui.workers import in_thread


def _start_page_data(user, boards_on: bool, events_on: bool) -> tuple:  # noqa: ANN001
    """Who can help me, who is new, and (for administrators) who waits for approval: one session, in a worker
    thread, since matching scans many tags in a large network. Switched-off areas are not read."""
    with db.session() as session:
        return (members.suggest_helpers(session, viewer=user),
                members.recent_members(session, viewer=user, limit=5),
                accounts.count_pending(session, actor=user) if user.is_admin else 0,
                reading.unread_threads(session, viewer=user, page_size=5) if boards_on else ([], 0),
                events.upcoming(session, viewer=user, limit=5, mine=True) if events_on else [],
                events.upcoming(session, viewer=user, limit=5) if events_on else [],
                notifications.unread(session, viewer=user, limit=10))


def _switched_off_text(area: str) -> str:
    """Why '/?off=…' brought the user here (an area the administration switched off)."""
    if area == 'boards':
        return _('Die Foren sind in diesem Netzwerk abgeschaltet.')
    if area == 'events':
        return _('Der Kalender und die Veranstaltungen sind in diesem Netzwerk abgeschaltet.')
    if area == 'messages':
        return _('Die Nachrichten sind in diesem Netzwerk abgeschaltet.')
    return ''


@page('/')
async def home_page(request: Request) -> None:
    user = require_user()
    values = db.call(site_settings.get_settings)
    boards_on, events_on = values['module_boards'], values['module_events']
    helpers, recent, pending, news, my_events, next_events, notices = await in_thread(
        _start_page_data, user, boards_on, events_on)
    with frame(_('Start'), user=user):
        off = _switched_off_text(request.query_params.get('off', ''))
        if off:
            ui.label(off).props('role=alert').classes(
                'w-full bg-slate-100 border-l-4 border-slate-500 px-4 py-2').mark('switched-off')
        ui.label(_('Willkommen, {name}!', name=user.name)).classes('text-lg').mark('welcome')
        if values['site_description']:
            ui.label(values['site_description']).classes(theme.MUTED).mark('site-description')
        welcome = render_markdown(values['welcome_text'])
        if welcome:
            ui.html(welcome).classes('prose max-w-3xl').mark('welcome-text')
        # The read-only blocks are one <section> and one HTML block each (ui.components.text.section): the start
        # page is the most opened page, and every NiceGUI element costs the server time to build and keep.
        if pending:
            section('pending-approvals', _('Warten auf Freischaltung'),
                    paragraph_html(_('{n} Konten warten auf Freischaltung.', n=pending)) +
                    link_html('/admin/users?status=pending', _('Jetzt prüfen')), classes=f'{theme.CARD} {BOX}')
        if notices:
            _notices(user, notices)
        if events_on:
            with ui.element('div').classes(TWO_COLUMNS):
                section('my-events', _('Meine nächsten Termine'),
                        event_lines(my_events) or paragraph_html(_('Sie haben keinen Termin zugesagt.')),
                        classes=COLUMN)
                section('next-events', _('Nächste Veranstaltungen im Netzwerk'),
                        (event_lines(next_events) or paragraph_html(_('Noch keine Veranstaltungen geplant.'))) +
                        link_html('/events', _('Zum Kalender')), classes=COLUMN)
        if boards_on:
            unread, total = news[0], news[1]
            more = link_html('/boards?view=unread', _('Alle {n} Themen mit Neuem', n=total)) \
                if total > len(unread) else ''
            thread_section(_('Neu in den Foren'), unread, empty=_('Nichts Neues seit Ihrem letzten Besuch.'),
                           marker='board-news', more=more)
        with ui.element('div').classes(TWO_COLUMNS):
            if helpers:
                body = paragraph_html(_('Aus anderen Verwaltungen, passend zu dem, was Sie suchen.'), theme.MUTED) + \
                    member_list_html(helpers)
            else:
                body = paragraph_html(_('Tragen Sie in Ihrem Profil unter „Ich suche“ ein, wobei Ihnen Kolleg:innen '
                                        'helfen könnten – dann schlagen wir hier passende Personen aus anderen '
                                        'Verwaltungen vor.')) + link_html('/profile', _('Profil bearbeiten'))
            section('helpers', _('Kolleg:innen, die helfen können'), body, classes=COLUMN)
            section('recent-members', _('Neu im Netzwerk'), member_list_html(recent), classes=COLUMN)


TWO_COLUMNS = 'w-full flex gap-6 items-start max-md:flex-wrap'
COLUMN = 'grow basis-0 min-w-0'
BOX = 'border border-slate-200 rounded'


def event_lines(items: list) -> str:
    lines = ''.join(
        f'<li class="py-1"><a class="font-medium text-slate-900 underline" href="{escape(o.url)}">'
        f'{escape(o.title)}</a><br>'
        f'<span class="text-sm text-slate-700">{escape(time_range(o.starts_at, o.ends_at, o.all_day))}</span></li>'
        for o in items)
    return f'<ul class="divide-y divide-slate-200">{lines}</ul>' if lines else ''


def _notices(user, notices: list) -> None:  # noqa: ANN001
    """Reminders and news about my events, until I mark them read."""
    title = _('Hinweise für Sie')
    with ui.element('section').props('aria-labelledby=notices-title').classes(
            f'{theme.CARD} {BOX} flex flex-wrap items-center justify-between').mark('notices'):
        ui.html(h2_html('notices-title', title) + link_html('/notifications', _('Alle Benachrichtigungen'))).classes(
            'flex flex-wrap items-center gap-x-6 gap-y-1').mark('notices-head')

        def read_all() -> None:
            db.call(notifications.mark_read, actor=user)
            card_list.clear()
            with card_list:
                ui.label(_('Alles gelesen.'))

        ui.button(_('Alle als gelesen markieren'), on_click=read_all).props('flat dense').mark('notices-read')
        card_list = ui.column().classes('w-full gap-1')
        with card_list:
            ui.html(notice_lines(notices), tag='ul').classes('w-full flex flex-col gap-1').mark('notice-list')


def notice_lines(notices: list) -> str:
    """The notices as list items; one that points into the app links there (only paths of this app become links)."""
    lines = []
    for notice in notices:
        text = escape(_(notice.text, **notice.params))
        if notice.url.startswith('/') and not notice.url.startswith('//'):
            text = f'<a href="{escape(notice.url)}" class="nicegui-link">{text}</a>'
        lines.append(f'<li data-notice="{notice.id}">{text}</li>')
    return ''.join(lines)
