"""Administration of accounts and invitations: approve, roles, deactivate, invitation links."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from services import accounts, db
from services.errors import DomainError
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import Form, aria
from ui.components.text import Heading
from ui.i18n import _, error_text
from ui.layout import frame, page

PAGE_SIZE = 50
ROLES = {'member': 'Mitglied', 'moderator': 'Moderation', 'admin': 'Administration'}
STATES = {'pending': 'wartet auf Freischaltung', 'active': 'aktiv', 'deactivated': 'deaktiviert'}


@page('/admin/users')
def admin_users_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    status = request.query_params.get('status', '')
    status = status if status in STATES else ''
    query = request.query_params.get('q', '')[:100]
    try:
        page_no = max(1, int(request.query_params.get('page', '1')))
    except ValueError:
        page_no = 1
    with frame(_('Konten'), user=user):
        admin_tabs('/admin/users', user)
        with ui.row().classes('items-end gap-3 w-full'):
            search = ui.input(_('Name oder E-Mail'), value=query).props('clearable maxlength=100').classes('grow')
            state = ui.select({'': _('alle'), **{k: _(v) for k, v in STATES.items()}}, value=status,
                              label=_('Status')).classes('w-56')

            def apply() -> None:
                from urllib.parse import urlencode

                params = {k: v for k, v in (('q', search.value or ''), ('status', state.value or '')) if v}
                ui.navigate.to('/admin/users' + (f'?{urlencode(params)}' if params else ''))

            search.on('keydown.enter', apply)
            ui.button(_('Suchen'), on_click=apply).props('outline')

        @ui.refreshable
        def table() -> None:
            rows, total = db.call(accounts.list_users, actor=user, status=status or None, query=query,
                                  limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
            ui.label(_('{n} Konten', n=total)).classes(theme.MUTED).mark('user-count')
            for row in rows:
                with ui.card().classes('w-full p-3').props('flat bordered').mark(f'user-{row.id}'):
                    with ui.row().classes('w-full items-center justify-between gap-2'):
                        with ui.column().classes('gap-0'):
                            ui.label(row.name).classes('font-medium')
                            ui.label(f'{row.email} · {row.organization or "–"}').classes(theme.MUTED)
                        with ui.row().classes('items-center gap-2'):
                            ui.badge(_(STATES[row.status]))
                            _actions(row)
            pages = max(1, -(-total // PAGE_SIZE))
            if pages > 1:
                ui.pagination(1, pages, value=page_no, on_change=lambda e: ui.navigate.to(
                    f'/admin/users?page={e.value}' + (f'&status={status}' if status else '')))

        def run_action(fn, **kwargs) -> None:  # noqa: ANN001
            try:
                db.call(fn, actor=user, **kwargs)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            ui.notify(_('Erledigt.'), type='positive')
            table.refresh()

        def _actions(row: accounts.UserRow) -> None:
            if row.status == 'pending':
                ui.button(_('Freischalten'), on_click=lambda r=row: run_action(accounts.approve_user, user_id=r.id)) \
                    .props('color=positive dense').mark('approve')
            role = ui.select({k: _(v) for k, v in ROLES.items()}, value=row.role,
                             on_change=lambda e, r=row: run_action(accounts.set_role, user_id=r.id, role=e.value))
            aria(role.props('dense'), _('Rolle von {name}', name=row.name))
            if row.id != user.id:
                if row.status == 'deactivated':
                    ui.button(_('Reaktivieren'), on_click=lambda r=row: run_action(
                        accounts.reactivate_user, user_id=r.id)).props('outline dense').mark('reactivate')
                else:
                    ui.button(_('Deaktivieren'), on_click=lambda r=row: run_action(
                        accounts.deactivate_user, user_id=r.id)).props('outline dense color=negative') \
                        .mark('deactivate')

        table()
    return None


@page('/admin/invitations')
def admin_invitations_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    base = str(request.base_url).rstrip('/')
    with frame(_('Einladungen'), user=user):
        admin_tabs('/admin/invitations', user)
        ui.label(_('Eine Einladung gilt für genau ein Konto und läuft nach der gewählten Zahl von Tagen ab.'))
        with ui.row().classes('items-end gap-3'):
            form = Form()
            email = form.field('email', ui.input(_('E-Mail-Adresse (optional, nur zur Erinnerung)')).props(
                'maxlength=254').classes('w-80'))
            days = form.field('days', ui.number(_('Gültig (Tage)'), value=14, min=1, max=90, precision=0)
                              .classes('w-32'))

            def create() -> None:
                try:
                    db.call(accounts.create_invitation, actor=user, email=email.value or '',
                            days=int(days.value or 0))
                except DomainError as e:
                    form.show(e)
                    return
                form.clear()
                invitations.refresh()

            ui.button(_('Einladung erstellen'), on_click=create).props('color=primary').mark('create-invitation')
        Heading(_('Einladungen'), 2)

        @ui.refreshable
        def invitations() -> None:
            for inv in db.call(accounts.list_invitations, actor=user):
                state = _('verwendet') if inv.used_at else _('offen')
                with ui.row().classes('items-center gap-2 w-full'):
                    ui.badge(state)
                    ui.label(inv.email or '–').classes('w-56')
                    if not inv.used_at:
                        ui.input(value=f'{base}/register?invite={inv.token}').props(
                            'readonly dense').classes('grow').mark('invitation-link')

        invitations()
    return None
