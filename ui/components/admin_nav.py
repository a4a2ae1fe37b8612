"""The tabs of the administration area, and the guard its pages share."""

from dataclasses import dataclass

from nicegui import ui

from services.accounts import CurrentUser
from ui.auth import require_user
from ui.i18n import _


@dataclass(frozen=True)
class AdminTab:
    route: str
    label: str
    moderators: bool = False  # moderators see this tab too; the others are for administrators only


TABS = (
    AdminTab('/admin', 'Einstellungen'),
    AdminTab('/admin/users', 'Konten'),
    AdminTab('/admin/invitations', 'Einladungen'),
    AdminTab('/admin/import', 'Import'),
    AdminTab('/admin/organizations', 'Verwaltungen'),
    AdminTab('/admin/boards', 'Foren'),
    AdminTab('/admin/moderation', 'Moderation', moderators=True),
    AdminTab('/admin/audit', 'Protokoll'),
    AdminTab('/admin/stats', 'Statistik'),
)


def admin_or_none(*, moderators: bool = False) -> CurrentUser | None:
    """The signed-in administrator (or moderator, where allowed); None sends the page back to the start page.

    Hiding is only for convenience: every service these pages call checks the role again.
    """
    user = require_user()
    if user.is_admin or (moderators and user.is_moderator):
        return user
    return None


def admin_tabs(current: str, user: CurrentUser) -> None:
    with ui.element('nav').props(f'aria-label="{_("Verwaltung")}"').classes('flex flex-wrap gap-x-4 gap-y-1'):
        for tab in TABS:
            if not (user.is_admin or (tab.moderators and user.is_moderator)):
                continue
            link = ui.link(_(tab.label), tab.route).mark('admin-tab')
            if tab.route == current:
                link.props('aria-current=page').classes('font-bold')
