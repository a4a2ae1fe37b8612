"""Sign-in, registration, first set-up, the pending notice, sign-out and the account page."""

import time

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from nicegui import app, context, ui

from services import accounts, data_export, db, notifications
from services import organizations as orgs
from services import settings as site_settings
from services.errors import DomainError
from ui import theme
from ui.auth import current_user, end_browser_session, require_user, safe_next, session_id, start_browser_session
from ui.components.editor import size_label
from ui.components.forms import Form, aria, close_on_choice
from ui.components.text import Heading
from ui.components.when import exact
from ui.i18n import LANGUAGES, _, error_text
from ui.layout import frame, page
from ui.workers import with_password

# When this browser deleted its account, kept in its storage: the sign-in page says the account is gone (not a query
# parameter, which anyone could put into a link to make someone believe their account was deleted). Shown for a
# minute rather than once: ending the sessions and the page itself may both send the browser to /login.
DELETED_AT = 'account_deleted_at'
DELETED_NOTICE_SECONDS = 60
EXPORT_POLL = 1.0  # seconds between looks at a running export's progress


def _client_info() -> tuple[str, str]:
    request = context.client.request
    if request is None:
        return '', ''
    ip = request.client.host if request.client else ''
    return ip, request.headers.get('user-agent', '')


def _password_input(label: str, autocomplete: str) -> ui.input:
    """A password field with a real button to show what was typed: reachable by Tab, named for screen readers."""
    field = ui.input(label, password=True).props(f'autocomplete={autocomplete} maxlength=1000').classes('w-full')

    def toggle() -> None:
        shown = field.props.get('type') == 'text'
        field.props['type'] = 'password' if shown else 'text'
        button.props['icon'] = 'visibility' if shown else 'visibility_off'
        button.props['aria-label'] = _('Passwort anzeigen') if shown else _('Passwort verbergen')
        button.props['aria-pressed'] = 'false' if shown else 'true'
        field.update()
        button.update()

    with field.add_slot('append'):
        button = ui.button(icon='visibility', on_click=toggle).props('flat round dense aria-pressed=false').mark(
            'password-toggle')
        button.props['aria-label'] = _('Passwort anzeigen')
    return field


# ---------------------------------------------------------------- sign-in


@page('/login')
def login_page(request: Request) -> RedirectResponse | None:
    target = safe_next(request.query_params.get('next'))
    if current_user() is not None:
        return RedirectResponse(target, status_code=303)
    with frame(_('Anmelden')):
        if time.time() - app.storage.user.get(DELETED_AT, 0) < DELETED_NOTICE_SECONDS:
            ui.label(_('Ihr Konto wurde gelöscht. Alle Ihre Sitzungen sind beendet.')).props('role=status').classes(
                'text-positive font-medium').mark('account-deleted')
        if not db.call(accounts.admin_exists):
            with ui.card().classes(theme.FORM).props('flat bordered'):
                ui.label(_('Noch ist keine Administration eingerichtet.'))
                ui.link(_('Jetzt die erste Administratorin oder den ersten Administrator anlegen'), '/setup')
        with ui.column().classes(theme.FORM):
            form = Form()
            email = form.field('email', ui.input(_('E-Mail-Adresse')).props(
                'type=email autocomplete=username autofocus maxlength=254').classes('w-full'))
            password = form.field('password', _password_input(_('Passwort'), 'current-password'))

            async def submit() -> None:
                ip, agent = _client_info()
                try:
                    signed = await with_password(accounts.sign_in, email=email.value or '',
                                                password=password.value or '', ip=ip, user_agent=agent)
                except DomainError as e:
                    form.show(e)
                    return
                start_browser_session(signed, target)

            password.on('keydown.enter', submit)
            email.on('keydown.enter', submit)
            ui.button(_('Anmelden'), on_click=submit).props('color=primary').mark('submit')
            if db.call(accounts.registration_mode) != 'closed':
                with ui.row().classes('gap-1'):
                    ui.label(_('Noch kein Konto?'))
                    ui.link(_('Registrieren'), '/register')
    return None


# ---------------------------------------------------------------- registration


@page('/register')
def register_page(request: Request) -> RedirectResponse | None:
    if current_user() is not None:
        return RedirectResponse('/', status_code=303)
    invitation = request.query_params.get('invite', '')[:64]
    mode = db.call(accounts.registration_mode)
    # A valid invitation is the administration's yes: it opens registration in every mode.
    invite = db.call(accounts.invitation_info, invitation) if invitation else None
    with frame(_('Registrieren')):
        if invitation and invite is None:
            ui.label(_('Diese Einladung ist ungültig, abgelaufen oder schon aufgebraucht.')).classes(
                'text-negative').props('role=alert').mark('invitation-invalid')
            invitation = ''
        if mode == 'closed' and invite is None:
            ui.label(_('Die Registrierung ist derzeit geschlossen.')).mark('registration-closed')
            return None
        if mode == 'invite' and invite is None:
            ui.label(_('Registrieren können Sie sich nur mit einer gültigen Einladung.')).mark('invitation-needed')
            return None
        intro = {
            'open': _('Legen Sie Ihr Konto an. Danach können Sie sofort loslegen.'),
            'approval': _('Legen Sie Ihr Konto an. Eine Administratorin oder ein Administrator schaltet es frei.'),
            'invite': _('Sie wurden eingeladen. Legen Sie Ihr Konto an.'),
        }
        if invite is not None:
            ui.label(intro['invite']).mark('invited')
        elif mode == 'domains':
            domains = ', '.join(db.call(site_settings.get_setting, 'allowed_domains')) or '–'
            ui.label(_('Registrieren können sich Beschäftigte mit einer Adresse dieser Domains: {domains}.',
                       domains=domains))
        else:
            ui.label(intro[mode])
        # Names, not ids: a typed name that matches an entry resolves to it (case and spaces ignored).
        choices = [o.name for o in db.call(orgs.list_organization_choices)]
        with ui.column().classes(theme.FORM):
            form = Form()
            name = form.field('name', ui.input(_('Name'), value=invite.name if invite else '').props(
                'autocomplete=name maxlength=100').classes('w-full'))
            email = form.field('email', ui.input(_('Dienstliche E-Mail-Adresse'), value=invite.email if invite
                                                 else '').props('type=email autocomplete=email maxlength=254')
                               .classes('w-full'))
            password = form.field('password', _password_input(_('Passwort (mindestens 10 Zeichen)'), 'new-password'))
            if invite is not None and invite.organization_id is not None:
                # Fixed by the invitation: shown, not chosen (the service takes the invitation's either way).
                organization = form.field('organization', ui.input(
                    _('Ihre Verwaltung (durch die Einladung festgelegt)'), value=invite.organization).props(
                    'readonly').classes('w-full')).mark('field-organization', 'fixed-organization')
            else:
                organization = form.field('organization', close_on_choice(ui.select(
                    choices, label=_('Ihre Verwaltung (auswählen oder eingeben)'), with_input=True,
                    new_value_mode='add-unique').props('use-input input-debounce=0 maxlength=200').classes(
                    'w-full')))
            with ui.row().classes('items-center gap-1 no-wrap'):
                consent = form.field('consent', ui.checkbox(_('Ich habe die Datenschutzerklärung gelesen und stimme '
                                                             'ihr zu.')))
                ui.link(_('Datenschutzerklärung'), '/privacy', new_tab=True)

            async def submit() -> None:
                ip, agent = _client_info()
                org = organization.value
                try:
                    signed = await with_password(
                        accounts.register, name=name.value or '', email=email.value or '',
                        password=password.value or '', organization=org if isinstance(org, str) else None,
                        consent=bool(consent.value), invitation=invitation, ip=ip, user_agent=agent)
                except DomainError as e:
                    form.show(e)
                    return
                start_browser_session(signed, '/pending' if signed.user.status == 'pending' else '/')

            ui.button(_('Konto anlegen'), on_click=submit).props('color=primary').mark('submit')
    return None


# ---------------------------------------------------------------- password-reset links


@page('/reset/{token}')
def reset_page(token: str) -> None:
    """Set a new password through a link from the administration (public: the secret link is the key)."""
    with frame(_('Neues Passwort festlegen'), bare=True):
        if not db.call(accounts.check_password_reset, token):
            ui.label(_(accounts.MSG_RESET_INVALID)).props('role=alert').mark('reset-invalid')
            ui.link(_('Zur Anmeldung'), '/login')
            return
        with ui.column().classes(theme.FORM) as body:
            form = Form()
            new = form.field('new_password', _password_input(_('Neues Passwort (mindestens 10 Zeichen)'),
                                                             'new-password'))
            repeat = form.field('repeat', _password_input(_('Neues Passwort wiederholen'), 'new-password'))

            async def submit() -> None:
                ip, _agent = _client_info()
                try:
                    await with_password(accounts.reset_password, token=token, new_password=new.value or '',
                                        repeat=repeat.value or '', ip=ip)
                except DomainError as e:
                    if getattr(e, 'field', '') == 'token':
                        form.fail(e.message)
                    else:
                        form.show(e)
                    return
                body.clear()
                with body:
                    ui.label(_('Ihr Passwort ist geändert. Sie können sich jetzt damit anmelden.')).props(
                        'role=status').mark('reset-done')
                    ui.link(_('Zur Anmeldung'), '/login')

            repeat.on('keydown.enter', submit)
            ui.button(_('Passwort speichern'), on_click=submit).props('color=primary').mark('submit')


# ---------------------------------------------------------------- first administrator


@page('/setup')
def setup_page() -> RedirectResponse | None:
    # Gone for good once an administrator exists: nobody may become one by finding this page later.
    if db.call(accounts.admin_exists):
        return RedirectResponse('/login', status_code=303)
    with frame(_('Einrichtung')):
        ui.label(_('Willkommen! Legen Sie die erste Administratorin oder den ersten Administrator an.'))
        with ui.column().classes(theme.FORM):
            form = Form()
            name = form.field('name', ui.input(_('Name')).props('autocomplete=name maxlength=100').classes('w-full'))
            email = form.field('email', ui.input(_('E-Mail-Adresse')).props(
                'type=email autocomplete=email maxlength=254').classes('w-full'))
            password = form.field('password', _password_input(_('Passwort (mindestens 10 Zeichen)'), 'new-password'))

            async def submit() -> None:
                ip, agent = _client_info()
                try:
                    signed = await with_password(accounts.setup_first_admin, name=name.value or '',
                                                email=email.value or '', password=password.value or '', ip=ip,
                                                user_agent=agent)
                except DomainError as e:
                    form.show(e)
                    return
                start_browser_session(signed, '/admin')

            ui.button(_('Administration anlegen'), on_click=submit).props('color=primary').mark('submit')
    return None


# ---------------------------------------------------------------- pending, sign-out


@page('/pending')
def pending_page() -> RedirectResponse | None:
    user = require_user()
    if user.status != 'pending':
        return RedirectResponse('/', status_code=303)
    with frame(_('Freischaltung ausstehend'), user=user, bare=True):
        ui.label(_('Ihr Konto ist angelegt. Eine Administratorin oder ein Administrator muss es noch freischalten. '
                   'Sobald das geschehen ist, können Sie das Netzwerk nutzen.')).mark('pending-notice')
        ui.button(_('Abmelden'), on_click=sign_out_now).props('outline')
    return None


def sign_out_now() -> None:
    """End the session on the server, forget it in the browser, go to the sign-in page."""
    ip = context.client.request.client.host if context.client.request and context.client.request.client else ''
    db.call(accounts.sign_out, session_id=session_id(), ip=ip)
    end_browser_session()
    ui.navigate.to('/login')


@page('/logout')
def logout_page() -> None:
    user = require_user()
    with frame(_('Abmelden'), user=user, bare=True):
        ui.label(_('Möchten Sie sich abmelden?'))
        ui.button(_('Abmelden'), on_click=sign_out_now).props('color=primary').mark('submit')


# ---------------------------------------------------------------- my account


@page('/account')
def account_page() -> None:
    user = require_user()
    with frame(_('Konto'), user=user):
        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Passwort ändern'), 2)
            with ui.column().classes(theme.FORM):
                form = Form()
                current = form.field('current_password', _password_input(_('Bisheriges Passwort'), 'current-password'))
                new = form.field('new_password', _password_input(_('Neues Passwort (mindestens 10 Zeichen)'),
                                                                 'new-password'))

                async def change() -> None:
                    try:
                        await with_password(accounts.change_password, actor=user,
                                           current_password=current.value or '', new_password=new.value or '')
                    except DomainError as e:
                        form.show(e)
                        return
                    form.clear()
                    current.value = ''
                    new.value = ''
                    ui.notify(_('Passwort geändert. Ihre anderen Sitzungen wurden beendet.'), type='positive')
                    sessions_list.refresh()

                ui.button(_('Passwort ändern'), on_click=change).props('color=primary').mark('change-password')

        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Sprache'), 2)

            def switch(e) -> None:  # noqa: ANN001
                try:
                    db.call(accounts.set_language, actor=user, language=e.value)
                except DomainError as err:
                    ui.notify(error_text(err), type='negative')
                    return
                app.storage.user['lang'] = e.value
                ui.navigate.reload()

            aria(ui.radio(LANGUAGES, value=user.language, on_change=switch).props('inline'), _('Sprache')).mark(
                'language')

        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Angemeldete Geräte'), 2)

            @ui.refreshable
            def sessions_list() -> None:
                rows = db.call(accounts.list_sessions, actor=user)
                for s in rows:
                    with ui.row().classes('items-center gap-2'):
                        ui.icon('computer' if 'Mobile' not in s.user_agent else 'smartphone').props('aria-hidden=true')
                        ui.label(f'{s.user_agent[:60] or "?"} · {s.ip or "?"}')
                        if s.current:
                            ui.badge(_('dieses Gerät'))
                if len(rows) > 1:
                    def end_others() -> None:
                        n = db.call(accounts.end_other_sessions, actor=user)
                        ui.notify(_('{n} andere Sitzungen beendet.', n=n), type='positive')
                        sessions_list.refresh()

                    ui.button(_('Alle anderen Sitzungen beenden'), on_click=end_others).props('outline')

            sessions_list()

        notification_preferences_card(user)
        calendar_feed_card(user)
        data_export_card(user)
        delete_account_card(user)


def notification_preferences_card(user) -> None:  # noqa: ANN001
    """One row per kind of notice, one choice of channel each; every change is saved at once."""
    chosen = db.call(notifications.get_preferences, actor=user)
    channels = {c: _(label) for c, label in notifications.CHANNEL_LABELS.items()}
    with ui.card().classes(theme.CARD).props('flat bordered id=notifications').mark('notification-preferences'):
        Heading(_('Benachrichtigungen'), 2)
        ui.label(_('Worüber und wie wir Sie benachrichtigen. In der App sehen Sie jede Benachrichtigung (außer bei '
                   '„Aus“); E-Mails gibt es nur, wenn die Verwaltung den Versand eingerichtet hat.')).classes(
            theme.MUTED)
        with ui.element('table').classes('w-full').props(f'aria-label="{_("Benachrichtigungen")}"'):
            with ui.element('thead'), ui.element('tr'):
                for head in (_('Anlass'), _('Wie')):
                    with ui.element('th').classes('text-left py-1 pr-4').props('scope=col'):
                        ui.label(head)
            with ui.element('tbody'):
                for kind, label in notifications.KIND_LABELS.items():
                    with ui.element('tr').classes('border-t border-slate-200'):
                        with ui.element('th').classes('text-left font-normal py-1 pr-4').props('scope=row'):
                            ui.label(_(label))
                        with ui.element('td').classes('py-1'):
                            choice = ui.select(channels, value=chosen[kind]).props('dense outlined').classes(
                                'w-64').mark(f'pref-{kind}')
                            aria(choice, _(label))
                            choice.on_value_change(lambda e, kind=kind: _save_preference(user, kind, e.value))


def _save_preference(user, kind: str, channel: str) -> None:  # noqa: ANN001
    try:
        db.call(notifications.set_preference, actor=user, kind=kind, channel=channel)
    except DomainError as err:
        ui.notify(error_text(err), type='negative')
        return
    ui.notify(_('Gespeichert: {kind} – {channel}.', kind=_(notifications.KIND_LABELS[kind]),
                channel=_(notifications.CHANNEL_LABELS[channel])), type='positive')


def calendar_feed_card(user) -> None:  # noqa: ANN001
    """The personal subscription address for Outlook and others; renewing it stops the old one at once."""
    from services import calendar_feed
    from services.event_views import FeedInfo

    with ui.card().classes(theme.CARD).props('flat bordered id=calendar-feed').mark('calendar-feed'):
        Heading(_('Kalender abonnieren'), 2)
        ui.label(_('Mit dieser Adresse zeigen Outlook, Thunderbird oder Ihr Smartphone die Veranstaltungen des '
                   'Netzwerks in Ihrem Kalender an. Die Adresse ist geheim wie ein Passwort: geben Sie sie nicht '
                   'weiter. Erzeugen Sie eine neue, wenn sie in falsche Hände geraten ist.'))
        state: dict[str, FeedInfo] = {'feed': db.call(calendar_feed.my_feed, actor=user)}
        request = context.client.request
        base = str(request.base_url).rstrip('/') if request is not None else ''

        @ui.refreshable
        def address() -> None:
            url = f'{base}/calendar/{state["feed"].token}.ics'
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                field = ui.input(_('Abo-Adresse'), value=url).props('readonly outlined').classes('grow').mark(
                    'feed-url')
                ui.button(_('Kopieren'), icon='content_copy', on_click=lambda: (
                    ui.clipboard.write(field.value), ui.notify(_('Adresse kopiert.')))).props('outline')

        address()

        def choose(e) -> None:  # noqa: ANN001
            try:
                state['feed'] = db.call(calendar_feed.set_feed_scope, actor=user, scope=e.value)
            except DomainError as err:
                ui.notify(error_text(err), type='negative')
                return
            ui.notify(_('Gespeichert.'), type='positive')

        aria(ui.radio({'accepted': _('Nur Veranstaltungen, denen ich zugesagt habe'),
                       'all': _('Alle Veranstaltungen des Netzwerks')}, value=state['feed'].scope,
                      on_change=choose), _('Inhalt des Kalender-Abos')).mark('feed-scope')

        def renew() -> None:
            state['feed'] = db.call(calendar_feed.renew_feed, actor=user)
            address.refresh()
            ui.notify(_('Neue Adresse erzeugt. Die bisherige funktioniert nicht mehr.'), type='positive')

        ui.button(_('Neue Adresse erzeugen'), icon='autorenew', on_click=renew).props('outline').mark('feed-renew')


# ---------------------------------------------------------------- my data (DSGVO)


@app.get('/account/export/{token}.zip', include_in_schema=False)
def export_download(token: str) -> FileResponse:
    # Behind the guard (a session is needed); the service hands a file only to the member who asked for it.
    user = current_user()
    try:
        path, name = data_export.export_file(viewer=user, token=token)
    except DomainError:
        raise HTTPException(status_code=404) from None
    return FileResponse(path, media_type='application/zip', filename=name, content_disposition_type='attachment',
                        headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store'})


def data_export_card(user: accounts.CurrentUser) -> None:
    """Everything the network keeps about me as a ZIP (Art. 15 and 20 DSGVO), built in the background."""
    request = context.client.request
    base = str(request.base_url).rstrip('/') if request is not None else ''
    with ui.card().classes(theme.CARD).props('flat bordered id=data-export').mark('data-export'):
        Heading(_('Meine Daten herunterladen'), 2)
        ui.label(_('Eine ZIP-Datei mit allem, was das Netzwerk über Sie gespeichert hat: Profil, Beiträge, '
                   'Nachrichten, Veranstaltungen, Zusagen und die Dateien, die Sie hochgeladen haben (Auskunft und '
                   'Datenübertragbarkeit nach Art. 15 und 20 DSGVO). Sie wird im Hintergrund erstellt; Sie können '
                   'die Seite solange verlassen. Danach steht sie 24 Stunden zum Herunterladen bereit.'))
        state: dict[str, data_export.ExportStatus | None] = {'status': data_export.export_status(viewer=user)}
        shown: dict[str, ui.element] = {}

        @ui.refreshable
        def panel() -> None:
            shown.clear()
            status = state['status']
            if status is not None and status.busy:
                shown['label'] = ui.label(_progress_text(status)).props('role=status aria-live=polite').mark(
                    'export-progress-label')
                shown['bar'] = aria(ui.linear_progress(value=status.progress / 100, show_value=False).props(
                    'size=12px instant-feedback'), _('Fortschritt des Exports')).mark('export-progress')
                return
            if status is not None and status.state == 'done' and status.expires_at is not None:
                ui.label(_('Ihr Export ist fertig ({size}). Er steht bis {until} bereit.', size=size_label(
                    status.size), until=exact(status.expires_at))).props('role=status').mark('export-ready')
                ui.link(_('ZIP-Datei herunterladen'), f'/account/export/{status.token}.zip').props('download').classes(
                    'font-medium').mark('export-download')
            elif status is not None and status.state == 'failed':
                ui.label(_('Der Export ist fehlgeschlagen. Bitte versuchen Sie es noch einmal.')).props(
                    'role=alert').classes('text-negative').mark('export-failed')
            label = _('Neuen Export erstellen') if status is not None else _('Export erstellen')
            ui.button(label, icon='download', on_click=start).props('outline').mark('export-start')

        def start() -> None:
            try:
                state['status'] = db.call(data_export.request_export, actor=user, base_url=base)
            except DomainError as err:
                ui.notify(error_text(err), type='negative')
                return
            panel.refresh()
            timer.activate()

        def poll() -> None:
            before, status = state['status'], data_export.export_status(viewer=user)
            state['status'] = status
            if status is None or not status.busy:
                timer.deactivate()
            if before is not None and status is not None and status.busy and before.state == status.state:
                # Same state: move the bar and the words, without building the panel anew each second.
                shown['label'].set_text(_progress_text(status))
                shown['bar'].set_value(status.progress / 100)
            elif status != before:
                panel.refresh()

        panel()
        current = state['status']
        timer = ui.timer(EXPORT_POLL, poll, active=current is not None and current.busy)


def _progress_text(status: data_export.ExportStatus) -> str:
    if status.state == 'queued':
        return _('Ihr Export wartet darauf, erstellt zu werden …')
    return _('Ihr Export wird erstellt: {n} %', n=status.progress)


def delete_account_card(user: accounts.CurrentUser) -> None:
    """Deleting my own account (Art. 17 DSGVO): a dialog says what goes and what stays, the password confirms."""
    with ui.card().classes(theme.CARD).props('flat bordered id=delete-account').mark('delete-account'):
        Heading(_('Konto löschen'), 2)
        ui.label(_('Sie können Ihr Konto jederzeit selbst löschen. Laden Sie vorher Ihre Daten herunter, wenn Sie '
                   'sie behalten möchten.'))
        ui.button(_('Konto löschen …'), icon='delete_forever', on_click=lambda: _delete_dialog(user)).props(
            'outline color=negative').mark('delete-account-open')


def _delete_dialog(user: accounts.CurrentUser) -> None:
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-xl gap-3').mark('delete-account-dialog'):
        Heading(_('Ihr Konto endgültig löschen?'), 2)
        ui.label(_('Das lässt sich nicht rückgängig machen. Gelöscht werden Ihr Name, Ihre E-Mail-Adresse, Ihr '
                   'Profil mit Bild, Ihre Nachrichten, die Dateien, die Sie hochgeladen haben, Ihre '
                   'Benachrichtigungen und Ihr Kalender-Abo. Zusagen zu kommenden Veranstaltungen werden abgesagt. '
                   'Alle Ihre Sitzungen werden beendet, auch auf anderen Geräten. Im Protokoll steht danach nur, '
                   'dass ein Konto mit seiner Nummer gelöscht wurde.'))
        form = Form()
        choice = form.field('keep_posts', ui.radio({
            True: _('Beiträge behalten als „Ehemaliges Mitglied“'),
            False: _('Beiträge löschen'),
        }, value=True))
        aria(choice, _('Was geschieht mit Ihren Beiträgen?'))
        ui.label(_('Gelöschte Beiträge ersetzt ein Hinweis. Ein Thema, das Sie begonnen haben, verschwindet ganz, '
                   'solange niemand geantwortet hat; sonst bleiben die Antworten der anderen unter dem Titel stehen, '
                   'und nur Ihr Text wird entfernt.')).classes(theme.MUTED)
        password = form.field('password', _password_input(_('Ihr Passwort zur Bestätigung'), 'current-password'))

        async def confirm() -> None:
            # Noted before the deletion: its end of every session may send this page to /login before we return.
            app.storage.user[DELETED_AT] = time.time()
            try:
                await with_password(accounts.delete_own_account, actor=user, password=password.value or '',
                                    keep_posts=bool(choice.value))
            except DomainError as e:
                app.storage.user.pop(DELETED_AT, None)
                form.show(e)
                return
            dialog.close()
            end_browser_session()
            app.storage.user[DELETED_AT] = time.time()
            ui.navigate.to('/login')

        password.on('keydown.enter', confirm)
        with ui.row().classes('gap-2'):
            ui.button(_('Konto endgültig löschen'), on_click=confirm).props('color=negative').mark(
                'confirm-delete-account')
            ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
    dialog.open()
