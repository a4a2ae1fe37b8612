"""The start page: what is new for me."""

from nicegui import ui

from services import accounts, db, members, reading
from ui import theme
from ui.auth import require_user
from ui.components.member import member_card
from ui.components.text import Heading
from ui.components.threads import thread_section
from ui.i18n import _
from ui.layout import frame, page
from ui.workers import in_thread


def _start_page_data(user) -> tuple[list, list, int, tuple]:  # noqa: ANN001
    """Who can help me, who is new, and (for administrators) who waits for approval: one session, in a worker
    thread, since matching scans many tags in a large network."""
    with db.session() as session:
        return (members.suggest_helpers(session, viewer=user),
                members.recent_members(session, viewer=user, limit=5),
                accounts.count_pending(session, actor=user) if user.is_admin else 0,
                reading.unread_threads(session, viewer=user, page_size=5))


@page('/')
async def home_page() -> None:
    user = require_user()
    helpers, recent, pending, news = await in_thread(_start_page_data, user)
    with frame(_('Start'), user=user):
        ui.label(_('Willkommen, {name}!', name=user.name)).classes('text-lg').mark('welcome')
        if pending:
            with ui.card().classes(theme.CARD).props('flat bordered').mark('pending-approvals'):
                Heading(_('Warten auf Freischaltung'), 2)
                ui.label(_('{n} Konten warten auf Freischaltung.', n=pending))
                ui.link(_('Jetzt prüfen'), '/admin/users?status=pending')
        unread, total = news[0], news[1]
        thread_section(_('Neu in den Foren'), unread, empty=_('Nichts Neues seit Ihrem letzten Besuch.'),
                       marker='board-news')
        if total > len(unread):
            ui.link(_('Alle {n} Themen mit Neuem', n=total), '/boards?view=unread')
        with ui.row().classes('w-full gap-6 items-start max-md:flex-wrap no-wrap'):
            with ui.column().classes('grow basis-0 gap-1 min-w-0').mark('helpers'):
                Heading(_('Kolleg:innen, die helfen können'), 2)
                if helpers:
                    ui.label(_('Aus anderen Verwaltungen, passend zu dem, was Sie suchen.')).classes(theme.MUTED)
                    for card in helpers:
                        member_card(card)
                else:
                    ui.label(_('Tragen Sie in Ihrem Profil unter „Ich suche“ ein, wobei Ihnen Kolleg:innen helfen '
                               'könnten – dann schlagen wir hier passende Personen aus anderen Verwaltungen vor.'))
                    ui.link(_('Profil bearbeiten'), '/profile')
            with ui.column().classes('grow basis-0 gap-1 min-w-0').mark('recent-members'):
                Heading(_('Neu im Netzwerk'), 2)
                for card in recent:
                    member_card(card)
