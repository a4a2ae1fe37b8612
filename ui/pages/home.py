"""The start page: what is new for me."""

from nicegui import ui

from services import accounts, db
from ui import theme
from ui.auth import require_user
from ui.components.text import Heading
from ui.i18n import _
from ui.layout import frame, nav_items, page


@page('/')
def home_page() -> None:
    user = require_user()
    with frame(_('Start'), user=user):
        ui.label(_('Willkommen, {name}!', name=user.name)).classes('text-lg').mark('welcome')
        if user.is_admin:
            pending = db.call(accounts.count_pending, actor=user)
            if pending:
                with ui.card().classes(theme.CARD).props('flat bordered').mark('pending-approvals'):
                    Heading(_('Warten auf Freischaltung'), 2)
                    ui.label(_('{n} Konten warten auf Freischaltung.', n=pending))
                    ui.link(_('Jetzt prüfen'), '/admin/users?status=pending')
        with ui.row().classes('gap-4 flex-wrap'):
            for item in nav_items(user)[1:]:
                with ui.link(target=item.route).classes('no-underline'):
                    with ui.card().classes('p-4 items-center w-48').props('flat bordered'):
                        ui.icon(item.icon, size='lg').classes('text-primary').props('aria-hidden=true')
                        ui.label(_(item.label)).classes('text-slate-900 font-medium')
