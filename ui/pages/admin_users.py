"""Administration of members and invitations: find, approve or reject (one by one or in bulk), roles, deactivate,
password-reset links, deleting accounts; invitation links with uses, organisation and who joined through them."""

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from services import accounts, db, mail
from services import organizations as orgs
from services.errors import DomainError
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import Form, aria
from ui.components.text import Heading
from ui.i18n import _, error_text
from ui.layout import frame, page
from ui.workers import in_thread

PAGE_SIZE = 50
# Label tables: German catalogue keys, translated where shown.
MSG_DONE = 'Erledigt.'
ROLES = {'member': 'Mitglied', 'moderator': 'Moderator:in', 'admin': 'Administration'}
STATES = {'pending': 'wartet auf Freischaltung', 'active': 'aktiv', 'deactivated': 'deaktiviert',
          'deleted': 'gelöscht'}
INVITATION_STATES = {'open': 'offen', 'used_up': 'aufgebraucht', 'expired': 'abgelaufen', 'revoked': 'widerrufen'}


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _base(request: Request) -> str:
    return str(request.base_url).rstrip('/')


def _copy_field(label: str, value: str, marker: str) -> None:
    """A read-only field with the link and a button that copies it (how a link reaches someone without mail)."""
    with ui.row().classes('w-full items-center gap-2 no-wrap'):
        field = ui.input(label, value=value).props('readonly outlined dense').classes('grow').mark(marker)
        aria(ui.button(icon='content_copy', on_click=lambda: (
            ui.clipboard.write(field.value), ui.notify(_('Link kopiert.')))).props('flat round dense'),
            _('Link kopieren'))


# ---------------------------------------------------------------- members


@page('/admin/users')
def admin_users_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    params = request.query_params
    status = params.get('status', '') if params.get('status', '') in STATES else ''
    role = params.get('role', '') if params.get('role', '') in ROLES else ''
    org_id = _int(params.get('org'))
    query = params.get('q', '')[:100]
    page_no = max(1, _int(params.get('page'), 1) or 1)
    base = _base(request)
    mail_ready = db.call(mail.smtp_configured)
    choices = db.call(orgs.list_organization_choices)

    def url(**changes: object) -> str:
        values = {'q': query, 'status': status, 'role': role, 'org': org_id or '', 'page': ''}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ('', None, 1)}
        return '/admin/users' + (f'?{urlencode(kept)}' if kept else '')

    with frame(_('Konten'), user=user):
        admin_tabs('/admin/users', user)
        with ui.row().classes('items-end gap-3 w-full').props('role=search'):
            search = ui.input(_('Name oder E-Mail'), value=query).props('clearable maxlength=100').classes(
                'grow').mark('filter-q')
            state = ui.select({'': _('alle'), **{k: _(v) for k, v in STATES.items()}}, value=status,
                              label=_('Status')).classes('w-56').mark('filter-status')
            role_filter = ui.select({'': _('alle'), **{k: _(v) for k, v in ROLES.items()}}, value=role,
                                    label=_('Rolle')).classes('w-44').mark('filter-role')
            org_filter = ui.select({0: _('alle'), **{c.id: c.name for c in choices}}, value=org_id or 0,
                                   label=_('Verwaltung'), with_input=True).classes('w-64').mark('filter-org')

            def apply() -> None:
                ui.navigate.to(url(q=search.value or '', status=state.value or '', role=role_filter.value or '',
                                   org=org_filter.value or '', page=''))

            search.on('keydown.enter', apply)
            ui.button(_('Filtern'), on_click=apply).props('outline').mark('apply-filters')

        chosen: set[int] = set()

        def act(fn, message: str = MSG_DONE, **kwargs) -> bool:  # noqa: ANN001
            try:
                db.call(fn, actor=user, **kwargs)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return False
            ui.notify(_(message), type='positive')
            return True

        def bulk(fn) -> None:  # noqa: ANN001
            if not chosen:
                ui.notify(_('Bitte wählen Sie mindestens ein Konto.'), type='warning')
                return
            if act(fn, user_ids=sorted(chosen)):
                chosen.clear()
                table.refresh()

        with ui.row().classes('items-center gap-2'):
            ui.button(_('Ausgewählte freischalten'), on_click=lambda: bulk(accounts.approve_users)).props(
                'outline dense color=positive').mark('bulk-approve')
            ui.button(_('Ausgewählte ablehnen'), on_click=lambda: bulk(accounts.reject_users)).props(
                'outline dense color=negative').mark('bulk-reject')

        @ui.refreshable
        def table() -> None:
            rows, total = db.call(accounts.list_users, actor=user, status=status or None, query=query,
                                  role=role or None, organization_id=org_id, limit=PAGE_SIZE,
                                  offset=(page_no - 1) * PAGE_SIZE)
            ui.label(_('{n} Konten', n=total)).classes(theme.MUTED).props('aria-live=polite').mark('user-count')
            with ui.column().classes('w-full gap-2').props('role=list'):
                for row in rows:
                    _user_row(row)
            pages = max(1, -(-total // PAGE_SIZE))
            if pages > 1:
                ui.pagination(1, pages, value=min(page_no, pages), direction_links=True,
                              on_change=lambda e: ui.navigate.to(url(page=e.value))).mark('pager')

        def _user_row(row: accounts.UserRow) -> None:
            with ui.card().classes('w-full p-3').props('flat bordered role=listitem').mark(f'user-{row.id}'):
                with ui.row().classes('w-full items-center justify-between gap-2'):
                    with ui.row().classes('items-center gap-3 no-wrap'):
                        if row.status != 'deleted':
                            box = ui.checkbox(value=row.id in chosen, on_change=lambda e, r=row: (
                                chosen.add(r.id) if e.value else chosen.discard(r.id))).mark(f'select-{row.id}')
                            aria(box, _('{name} auswählen', name=row.name))
                        with ui.column().classes('gap-0'):
                            ui.label(row.name).classes('font-medium')
                            ui.label(f'{row.email} · {row.organization or "–"}').classes(theme.MUTED)
                    with ui.row().classes('items-center gap-2'):
                        ui.badge(_(STATES.get(row.status, row.status))).mark('user-status')
                        if row.status != 'deleted':
                            _actions(row)

        def _actions(row: accounts.UserRow) -> None:
            if row.status == 'pending':
                ui.button(_('Freischalten'), on_click=lambda r=row: act(accounts.approve_user, user_id=r.id)
                          and table.refresh()).props('color=positive dense').mark('approve', f'approve-{row.id}')
                ui.button(_('Ablehnen'), on_click=lambda r=row: act(accounts.reject_user, user_id=r.id)
                          and table.refresh()).props('outline dense color=negative').mark('reject', f'reject-{row.id}')
            role_select = ui.select({k: _(v) for k, v in ROLES.items()}, value=row.role,
                                    on_change=lambda e, r=row: _change_role(r, e.value)).mark('role', f'role-{row.id}')
            aria(role_select.props('dense'), _('Rolle von {name}', name=row.name))
            if row.id != user.id:
                if row.status == 'deactivated':
                    ui.button(_('Reaktivieren'), on_click=lambda r=row: act(
                        accounts.reactivate_user, user_id=r.id) and table.refresh()).props('outline dense') \
                        .mark('reactivate', f'reactivate-{row.id}')
                else:
                    ui.button(_('Deaktivieren'), on_click=lambda r=row: act(
                        accounts.deactivate_user, user_id=r.id) and table.refresh()).props(
                        'outline dense color=negative').mark('deactivate', f'deactivate-{row.id}')
            ui.button(_('Passwort-Link'), icon='key', on_click=lambda r=row: _reset_dialog(r)).props(
                'outline dense').mark('reset-link', f'reset-link-{row.id}')
            ui.button(_('Löschen'), icon='delete', on_click=lambda r=row: _delete_dialog(r)).props(
                'flat dense color=negative').mark('delete', f'delete-{row.id}')

        def _change_role(row: accounts.UserRow, new_role: str) -> None:
            if new_role != row.role:
                act(accounts.set_role, user_id=row.id, role=new_role)
            table.refresh()  # a refused change shows the stored role again

        def _reset_dialog(row: accounts.UserRow) -> None:
            try:
                token = db.call(accounts.create_password_reset, actor=user, user_id=row.id)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            with ui.dialog() as dialog, ui.card().classes('w-full max-w-xl').mark('reset-dialog'):
                Heading(_('Link zum Zurücksetzen des Passworts'), 2)
                ui.label(_('Geben Sie diesen Link {name} weiter. Er gilt 24 Stunden und nur einmal; er wird nur '
                           'jetzt angezeigt. Ein früherer Link für dieses Konto gilt nicht mehr.', name=row.name))
                _copy_field(_('Link'), f'{base}/reset/{token}', 'reset-url')

                async def send() -> None:
                    try:
                        to = await run.io_bound(db.call, accounts.mail_password_reset, actor=user, user_id=row.id,
                                                token=token, base_url=base)
                    except DomainError as e:
                        ui.notify(error_text(e), type='negative')
                        return
                    ui.notify(_('Der Link ist per E-Mail an {email} unterwegs.', email=to), type='positive')
                    dialog.close()

                with ui.row().classes('gap-2'):
                    if mail_ready:
                        ui.button(_('Per E-Mail senden'), icon='send', on_click=send).props('color=primary').mark(
                            'reset-mail')
                    ui.button(_('Schließen'), on_click=dialog.close).props('flat')
            dialog.open()

        def _delete_dialog(row: accounts.UserRow) -> None:
            with ui.dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('delete-dialog'):
                Heading(_('Konto von {name} löschen?', name=row.name), 2)
                ui.label(_('Name, E-Mail-Adresse, Profil, Bild, Nachrichten, hochgeladene Dateien und Sitzungen werden '
                           'entfernt; Zusagen zu kommenden Veranstaltungen werden abgesagt. Das lässt sich nicht '
                           'rückgängig machen.'))
                choice = ui.radio({True: _('Beiträge behalten, als „Ehemaliges Mitglied“ angezeigt'),
                                   False: _('Beiträge ebenfalls löschen, begonnene Themen samt allen Antworten')},
                                  value=True).mark('keep-posts')
                aria(choice, _('Was geschieht mit den Beiträgen?'))

                async def confirm() -> None:
                    dialog.close()
                    keep = bool(choice.value)

                    def run() -> bool:
                        db.call(accounts.delete_account, actor=user, user_id=row.id, keep_posts=keep)
                        return True

                    try:
                        await in_thread(run)  # deleting many posts takes a while: not on the event loop
                    except DomainError as e:
                        ui.notify(error_text(e), type='negative')
                        return
                    ui.notify(_('Konto gelöscht.'), type='positive')
                    table.refresh()

                with ui.row():
                    ui.button(_('Endgültig löschen'), on_click=confirm).props('color=negative').mark(
                        'confirm-delete')
                    ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            dialog.open()

        table()
    return None


# ---------------------------------------------------------------- invitations


@page('/admin/invitations')
def admin_invitations_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    base = _base(request)
    page_no = max(1, _int(request.query_params.get('page'), 1) or 1)
    choices = db.call(orgs.list_organization_choices)
    with frame(_('Einladungen'), user=user):
        admin_tabs('/admin/invitations', user)
        ui.label(_('Mit einer Einladung kann man sich auch registrieren, wenn die Registrierung geschlossen ist '
                   'oder freigeschaltet werden muss: das Konto ist sofort aktiv.'))
        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Neue Einladung'), 2)
            form = Form()
            with ui.row().classes('items-start gap-3 w-full'):
                email = form.field('email', ui.input(_('E-Mail-Adresse (optional: dann nur für sie)')).props(
                    'type=email maxlength=254').classes('w-72'))
                name = form.field('name', ui.input(_('Name (optional, vorausgefüllt)')).props(
                    'maxlength=100').classes('w-60'))
                note = form.field('note', ui.input(_('Notiz (z. B. Workshop)')).props('maxlength=200').classes(
                    'w-72'))
            with ui.row().classes('items-start gap-3 w-full'):
                org = form.field('organization_id', ui.select(
                    {0: _('keine feste Verwaltung'), **{c.id: c.name for c in choices}}, value=0,
                    label=_('Verwaltung'), with_input=True).classes('w-72'))
                uses = form.field('max_uses', ui.number(_('Nutzungen (0 = unbegrenzt)'), value=1, min=0,
                                                        max=accounts.MAX_INVITATION_USES, precision=0)
                                  .classes('w-48'))
                days = form.field('days', ui.number(_('Gültig (Tage)'), value=14, min=1,
                                                    max=accounts.MAX_INVITATION_DAYS, precision=0).classes('w-36'))

            def create() -> None:
                form.clear()
                try:
                    made = db.call(accounts.create_invitation, actor=user, email=email.value or '',
                                   name=name.value or '', note=note.value or '', organization_id=org.value or None,
                                   max_uses=uses.value if uses.value is not None else '',
                                   days=days.value if days.value is not None else '')
                except DomainError as e:
                    form.show(e)
                    return
                email.value = name.value = note.value = ''
                invitations.refresh()
                # Only the link's hash is stored: this dialog is the one moment it can be copied.
                with ui.dialog() as dialog, ui.card().classes('w-full max-w-xl').mark('invitation-dialog'):
                    Heading(_('Einladung erstellt'), 2)
                    ui.label(_('Kopieren Sie den Link jetzt und geben Sie ihn weiter: er wird nur dieses eine Mal '
                               'angezeigt.'))
                    _copy_field(_('Einladungslink'), f'{base}/register?invite={made.token}', 'invitation-link')
                    ui.button(_('Schließen'), on_click=dialog.close).props('flat')
                dialog.open()

            ui.button(_('Einladung erstellen'), on_click=create).props('color=primary').mark('create-invitation')

        Heading(_('Alle Einladungen'), 2)

        def revoke(row: accounts.InvitationRow) -> None:
            try:
                db.call(accounts.revoke_invitation, actor=user, invitation_id=row.id)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            ui.notify(_('Einladung widerrufen.'), type='positive')
            invitations.refresh()

        @ui.refreshable
        def invitations() -> None:
            rows, total = db.call(accounts.list_invitations, actor=user, limit=PAGE_SIZE,
                                  offset=(page_no - 1) * PAGE_SIZE)
            if not rows:
                ui.label(_('Noch keine Einladungen.')).classes(theme.MUTED)
            for row in rows:
                with ui.card().classes('w-full p-3 gap-1').props('flat bordered').mark(f'invitation-{row.id}'):
                    with ui.row().classes('w-full items-center gap-2'):
                        ui.badge(_(INVITATION_STATES[row.state])).mark('invitation-state')
                        ui.label(row.note or row.email or row.name or _('Einladung')).classes('font-medium')
                        limit = str(row.max_uses) if row.max_uses else '∞'
                        ui.label(_('{used} von {limit} genutzt', used=row.use_count, limit=limit)).classes(
                            theme.MUTED).mark('invitation-uses')
                        if row.organization:
                            ui.label(_('Verwaltung: {name}', name=row.organization)).classes(theme.MUTED)
                        if row.email:
                            ui.label(_('nur für {email}', email=row.email)).classes(theme.MUTED)
                    if row.joined:
                        more = row.joined_count - len(row.joined)
                        text = ', '.join(row.joined) + (_(' und {n} weitere', n=more) if more > 0 else '')
                        ui.label(_('Beigetreten ({n}): {names}', n=row.joined_count, names=text)).mark(
                            'invitation-joined')
                    if row.state == 'open':
                        with ui.row().classes('w-full items-center gap-2 no-wrap'):
                            ui.label(_('Link nur bei Erstellung sichtbar')).classes(f'grow {theme.MUTED}').mark(
                                'invitation-link-hidden')
                            ui.button(_('Widerrufen'), on_click=lambda r=row: revoke(r)).props(
                                'outline dense color=negative').mark('revoke')
            pages = max(1, -(-total // PAGE_SIZE))
            if pages > 1:
                ui.pagination(1, pages, value=min(page_no, pages), direction_links=True,
                              on_change=lambda e: ui.navigate.to(f'/admin/invitations?page={e.value}'))

        invitations()
    return None
