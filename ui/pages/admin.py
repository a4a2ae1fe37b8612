"""Administration: the network's settings, in groups, each saved on its own and effective at once (/admin)."""

from collections.abc import Callable
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import events, run, ui

from services import db, images, mail
from services import settings as site_settings
from services.errors import DomainError
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import Form, named_upload
from ui.components.text import Heading
from ui.i18n import LANGUAGES, _
from ui.layout import frame, logo_url, page

MODES = {
    'open': 'Offen: alle können sich registrieren',
    'domains': 'Nur Adressen bestimmter Domains',
    'approval': 'Alle können sich registrieren, die Administration schaltet frei',
    'invite': 'Nur mit Einladung',
    'closed': 'Geschlossen',
}
MSG_SAVED = 'Gespeichert. Die Änderungen gelten ab sofort.'


class Group:
    """One group of settings: a headed section with its fields, their help texts and its own "Speichern"."""

    def __init__(self, user: Any, key: str, title: str, intro: str = '') -> None:
        self.user = user
        self.key = key
        self.readers: dict[str, Callable[[], Any]] = {}
        self.after_save: list[Callable[[dict[str, Any]], None]] = []
        self.card = ui.element('section').classes(theme.CARD + ' flex flex-col border border-slate-200 rounded') \
            .props(f'id=group-{key} aria-labelledby=heading-{key}').mark(f'group-{key}')
        with self.card:
            Heading(title, 2).props(f'id=heading-{key}')
            if intro:
                ui.label(intro).classes(theme.MUTED)
            self.form = Form()

    def field(self, key: str, element: ui.element, help_text: str = '',
              read: Callable[[], Any] | None = None) -> ui.element:
        """Add a field; its help text is Quasar's hint below inputs, a line of text below switches."""
        self.form.field(key, element.classes('w-full'))
        if help_text:
            if isinstance(element, ui.switch):
                ui.label(help_text).classes('text-sm text-slate-600 -mt-2 ml-12')
            else:
                element.props['hint'] = help_text
        self.readers[key] = read or (lambda: element.value)
        return element

    def text(self, key: str, label: str, value: str, help_text: str, *, limit: int = 0) -> ui.input:
        element = ui.input(label, value=value)
        if limit:
            element.props(f'maxlength={limit} counter')
        return self.field(key, element, help_text, lambda: element.value or '')

    def markdown(self, key: str, label: str, value: str, help_text: str) -> ui.textarea:
        element = ui.textarea(label, value=value).props('autogrow outlined')
        return self.field(key, element, help_text, lambda: element.value or '')

    def number(self, key: str, label: str, value: int, help_text: str) -> ui.number:
        spec = site_settings.SPECS[key]
        element = ui.number(label, value=value, min=spec.low, max=spec.high, step=1, precision=0)
        return self.field(key, element, help_text)

    def switch(self, key: str, label: str, value: bool, help_text: str) -> ui.switch:
        element = ui.switch(label, value=value)
        return self.field(key, element, help_text, lambda: bool(element.value))

    def choice(self, key: str, label: str, options: dict[str, str], value: str, help_text: str) -> ui.select:
        return self.field(key, ui.select(options, label=label, value=value), help_text)

    def save_button(self) -> None:
        with self.card:
            ui.button(_('Speichern'), on_click=self.save).props('color=primary').classes('self-start').mark(
                f'save-{self.key}')

    def save(self) -> None:
        self.form.clear()
        values = {key: read() for key, read in self.readers.items()}
        try:
            stored = db.call(site_settings.update_settings, actor=self.user, values=values)
        except DomainError as e:
            self.form.show(e)
            return
        for hook in self.after_save:
            hook(stored)
        ui.notify(_(MSG_SAVED), type='positive')


@page('/admin')
def admin_settings_page() -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    values = db.call(site_settings.settings_for_admin, actor=user)
    with frame(_('Verwaltung'), user=user):
        admin_tabs('/admin', user)
        ui.label(_('Jede Gruppe wird für sich gespeichert. Änderungen gelten sofort für alle, auch in schon '
                   'geöffneten Seiten.')).classes(theme.MUTED)
        with ui.element('nav').props(f'aria-label="{_("Einstellungen")}"').classes('flex flex-wrap gap-x-4 gap-y-1'):
            for key, label in ((k, _group_title(k)) for k in site_settings.GROUPS):
                ui.link(label, f'#group-{key}')
        with ui.column().classes('w-full max-w-3xl gap-6'):
            _network(user, values)
            _membership(user, values)
            _modules(user, values)
            _content(user, values)
            _security(user, values)
            _email(user, values)
            _legal(user, values)
    return None


def _group_title(key: str) -> str:
    titles = {
        'network': _('Netzwerk'), 'membership': _('Mitgliedschaft'), 'modules': _('Bereiche'),
        'content': _('Inhalte'), 'security': _('Sicherheit'), 'email': _('E-Mail'), 'legal': _('Rechtliches'),
    }
    return titles[key]


def _network(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'network', _group_title('network'))
    with group.card:
        group.text('site_name', _('Name des Netzwerks'), values['site_name'],
                   _('Steht im Kopf jeder Seite und im Titel des Browserfensters.'), limit=80)
        group.text('site_description', _('Kurzbeschreibung'), values['site_description'],
                   _('Ein Satz, der das Netzwerk beschreibt; steht auf der Startseite.'), limit=300)
        group.markdown('welcome_text', _('Begrüßungstext (Markdown)'), values['welcome_text'],
                       _('Erscheint auf der Startseite unter der Begrüßung, z. B. mit Regeln oder ersten Schritten.'))
        group.choice('default_language', _('Standardsprache'), dict(LANGUAGES), values['default_language'],
                     _('Für Besucher:innen, die keine Sprache gewählt haben; Mitglieder wählen ihre eigene.'))
        group.switch('notice_enabled', _('Hinweis auf allen Seiten anzeigen'), values['notice_enabled'],
                     _('Zum Beispiel vor einer Wartung. Erscheint sofort auch in schon geöffneten Seiten.'))
        group.text('notice_text', _('Text des Hinweises'), values['notice_text'],
                   _('Kurz und klar, z. B. „Am Freitag ab 18 Uhr ist das Netzwerk wegen Wartung nicht erreichbar.“'),
                   limit=500)
    group.save_button()
    with group.card:
        _logo(user, values['logo'])


def _logo(user: Any, current: str) -> None:
    ui.separator()
    Heading(_('Logo'), 3)
    ui.label(_('Steht im Kopf jeder Seite vor dem Namen. PNG, JPEG oder WebP, höchstens 2 MB; es wird auf höchstens '
               '480 × 160 Pixel verkleinert.')).classes('text-sm text-slate-600')
    state = {'logo': current}

    @ui.refreshable
    def preview() -> None:
        if state['logo']:
            with ui.row().classes('items-center gap-4 bg-primary p-2 rounded'):
                ui.element('img').props(f'src="{logo_url(state["logo"])}" alt="{_("Aktuelles Logo")}"').classes(
                    'h-10 w-auto').mark('logo-preview')
            ui.button(_('Logo entfernen'), on_click=remove).props('outline').mark('remove-logo')
        else:
            ui.label(_('Kein Logo hinterlegt.')).mark('logo-preview')

    async def upload(e: events.UploadEventArguments) -> None:
        logo_form.clear()
        data = await e.file.read()
        try:
            state['logo'] = await run.io_bound(db.call, site_settings.set_logo, actor=user, data=data)
        except DomainError as err:
            logo_form.show(err)
            return
        finally:
            uploader.reset()
        ui.notify(_('Logo gespeichert.'), type='positive')
        preview.refresh()

    def remove() -> None:
        state['logo'] = db.call(site_settings.set_logo, actor=user, data=None)
        ui.notify(_('Logo entfernt.'), type='positive')
        preview.refresh()

    preview()
    logo_form = Form()
    uploader = ui.upload(label=_('Neues Logo hochladen'), auto_upload=True, on_upload=upload,
                         max_file_size=images.MAX_LOGO_BYTES,
                         on_rejected=lambda: logo_form.fail('Das Bild ist größer als 2 MB.')).props(
        'accept=".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp"').classes('max-w-md').mark('logo-upload')
    named_upload(uploader, _('Bild auswählen'))


def _membership(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'membership', _group_title('membership'))
    with group.card:
        group.choice('registration_mode', _('Registrierung'), {k: _(v) for k, v in MODES.items()},
                     values['registration_mode'], _('Wer sich selbst ein Konto anlegen darf.'))
        domains = group.text('allowed_domains', _('Erlaubte Domains (durch Komma getrennt)'),
                             ', '.join(values['allowed_domains']),
                             _('Zum Beispiel essen.de, kreis-wesel.de. Gilt für „Nur Adressen bestimmter Domains“.'))
        domains.props('placeholder="essen.de, luenen.de, kreis-wesel.de"')
        group.switch('approval_for_domains', _('Auch diese Adressen schaltet die Administration frei'),
                     values['approval_for_domains'],
                     _('Aus: Adressen der erlaubten Domains sind nach der Registrierung sofort Mitglied.'))
        group.choice('default_visibility', _('Sichtbarkeit neuer Profile'),
                     {'all': _('Alle Mitglieder'), 'org': _('Nur die eigene Verwaltung'), 'none': _('Niemand')},
                     values['default_visibility'],
                     _('Wer ein neues Profil sieht, bis das Mitglied selbst etwas anderes wählt.'))
    group.after_save.append(
        lambda stored: domains.set_value(', '.join(stored['allowed_domains'])) if 'allowed_domains' in stored
        else None)
    group.save_button()


def _modules(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'modules', _group_title('modules'),
                  _('Abgeschaltete Bereiche verschwinden aus der Navigation; ihre Adressen führen zur Startseite. '
                    'Die Inhalte bleiben erhalten.'))
    with group.card:
        group.switch('module_boards', _('Foren'), values['module_boards'], _('Diskussionen in Foren und Themen.'))
        group.switch('module_events', _('Kalender und Veranstaltungen'), values['module_events'],
                     _('Veranstaltungen, Zusagen und Kalender-Abos.'))
        group.switch('module_messages', _('Nachrichten'), values['module_messages'],
                     _('Persönliche Nachrichten zwischen Mitgliedern.'))
    group.save_button()


def _content(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'content', _group_title('content'))
    with group.card:
        group.number('max_post_length', _('Längster Beitrag (Zeichen)'), values['max_post_length'],
                     _('Zwischen 500 und 50.000 Zeichen.'))
        group.number('max_attachment_mb', _('Größte Datei, die an einen Beitrag angehängt werden kann (MB)'),
                     values['max_attachment_mb'], _('Zwischen 1 und {n} MB.', n=site_settings.MAX_ATTACHMENT_MB))
        types = group.text('allowed_file_types', _('Erlaubte Dateitypen (durch Komma getrennt)'),
                           ', '.join(values['allowed_file_types']),
                           _('Möglich sind: {types}.', types=', '.join(site_settings.FILE_TYPES)))
        group.number('edit_window_minutes', _('Beiträge bearbeitbar für (Minuten)'), values['edit_window_minutes'],
                     _('0: Beiträge bleiben immer bearbeitbar.'))
    group.after_save.append(
        lambda stored: types.set_value(', '.join(stored['allowed_file_types'])) if 'allowed_file_types' in stored
        else None)
    group.save_button()


def _security(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'security', _group_title('security'))
    with group.card:
        group.number('session_days', _('Anmeldung gilt höchstens (Tage)'), values['session_days'],
                     _('Danach meldet sich jedes Mitglied neu an. 1 bis 365 Tage.'))
        group.number('idle_minutes', _('Abmelden nach Untätigkeit (Minuten)'), values['idle_minutes'],
                     _('0: keine Abmeldung wegen Untätigkeit.'))
        group.number('login_free_attempts', _('Fehlversuche ohne Wartezeit'), values['login_free_attempts'],
                     _('Danach wächst die Wartezeit vor dem nächsten Anmeldeversuch. 3 bis 50.'))
        group.number('login_max_delay_minutes', _('Längste Wartezeit nach Fehlversuchen (Minuten)'),
                     values['login_max_delay_minutes'], _('1 bis 1.440 Minuten.'))
        group.number('posts_per_10_minutes', _('Beiträge je Mitglied in 10 Minuten'), values['posts_per_10_minutes'],
                     _('Gegen Spam: mehr Beiträge in 10 Minuten lehnt das Netzwerk mit einem Hinweis ab. Moderation '
                       'und Administration sind ausgenommen. 5 bis 10.000.'))
        group.number('messages_per_10_minutes', _('Nachrichten je Mitglied in 10 Minuten'),
                     values['messages_per_10_minutes'], _('Moderation und Administration sind ausgenommen. '
                                                          '5 bis 10.000.'))
        group.number('uploads_per_10_minutes', _('Hochgeladene Dateien je Mitglied in 10 Minuten'),
                     values['uploads_per_10_minutes'], _('Anhänge und Profilbilder. Moderation und Administration sind '
                                                         'ausgenommen. 5 bis 10.000.'))
        group.number('registrations_per_hour', _('Registrierungsversuche je Adresse in einer Stunde'),
                     values['registrations_per_hour'],
                     _('Kommen viele Kolleginnen und Kollegen über dieselbe Adresse (Proxy, NAT), etwa an einem '
                       'Einführungstag, erhöhen Sie den Wert vorübergehend. 1 bis 10.000.'))
        group.number('anonymous_pages_per_minute', _('Seitenaufrufe ohne Anmeldung je Adresse in einer Minute'),
                     values['anonymous_pages_per_minute'],
                     _('Schützt den Arbeitsspeicher des Servers vor Fluten von Seitenaufrufen. Angemeldete '
                       'Mitglieder zählen nicht mit. 10 bis 10.000.'))
    group.save_button()


def _password_state(stored: bool) -> str:
    return _('Passwort: gespeichert') if stored else _('Passwort: nicht gesetzt')


def _email(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'email', _group_title('email'),
                  _('Über diesen Mailserver verschickt das Netzwerk Einladungen, Links zum Zurücksetzen des Passworts '
                    'und Benachrichtigungen.'))
    state = {'password': bool(values['smtp_password'])}
    with group.card:
        group.text('smtp_host', _('Mailserver'), values['smtp_host'],
                   _('Name oder IP-Adresse, z. B. mail.essen.de. Leer: keine E-Mails.'))
        group.number('smtp_port', _('Port'), values['smtp_port'],
                     _('Meist 587 mit STARTTLS, 465 mit SSL/TLS, 25 ohne Verschlüsselung.'))
        group.choice('smtp_security', _('Verschlüsselung'),
                     {'starttls': _('STARTTLS'), 'ssl': _('SSL/TLS'), 'none': _('Keine (nur im geschützten Netz)')},
                     values['smtp_security'], _('Wie Ihre IT-Abteilung den Mailserver eingerichtet hat.'))
        group.text('smtp_sender', _('Absenderadresse'), values['smtp_sender'],
                   _('Von dieser Adresse kommen die E-Mails, z. B. netzwerk@essen.de.'))
        group.text('smtp_user', _('Benutzername'), values['smtp_user'],
                   _('Leer, wenn der Mailserver keine Anmeldung verlangt.'), limit=254)
        password = ui.input(_('Passwort'), password=True, password_toggle_button=True).props(
            'autocomplete=new-password')
        group.field('smtp_password', password, _('Leer lassen, um das gespeicherte Passwort zu behalten.'),
                    lambda: password.value or None)
        with ui.row().classes('items-center gap-4'):
            password_state = ui.label(_password_state(state['password'])).mark('smtp-password-state')

            def remove_password() -> None:
                group.form.clear()
                db.call(site_settings.update_settings, actor=user, values={'smtp_password': ''})
                state['password'] = False
                show_state()
                ui.notify(_('Passwort entfernt.'), type='positive')

            remove = ui.button(_('Passwort entfernen'), on_click=remove_password).props('outline dense').mark(
                'remove-smtp-password')

    def show_state() -> None:
        password_state.text = _password_state(state['password'])
        remove.set_visibility(state['password'])

    def after_save(stored: dict[str, Any]) -> None:
        if stored.get('smtp_password'):
            state['password'] = True
        password.value = ''
        show_state()

    show_state()
    group.after_save.append(after_save)
    group.save_button()
    with group.card:
        _test_mail(user)


def _test_mail(user: Any) -> None:
    ui.separator()
    Heading(_('Test-E-Mail'), 3)
    ui.label(_('Verschickt eine kurze Nachricht mit den gespeicherten Einstellungen. Speichern Sie Änderungen '
               'vorher.')).classes('text-sm text-slate-600')
    form = Form()
    to = form.field('to', ui.input(_('Empfänger'), value=user.email).props('type=email autocomplete=email')
                    .classes('w-full max-w-md'))
    result = ui.label('').props('role=status').classes('text-positive font-medium').mark('test-mail-result')

    async def send() -> None:
        form.clear()
        result.text = ''
        button.props('loading')
        address = (to.value or '').strip()
        try:
            await run.io_bound(db.call, mail.send_test_mail, actor=user, to=address)
        except DomainError as e:
            form.show(e)
            return
        finally:
            button.props(remove='loading')
        result.text = _('Die Test-E-Mail an {to} ist verschickt. Bitte sehen Sie im Postfach nach.', to=address)

    button = ui.button(_('Test-E-Mail senden'), on_click=send).props('outline').classes('self-start').mark(
        'send-test-mail')


def _legal(user: Any, values: dict[str, Any]) -> None:
    group = Group(user, 'legal', _group_title('legal'),
                  _('Öffentliche Seiten, verlinkt unten auf jeder Seite. Markdown: **fett**, *kursiv*, # Überschrift, '
                    '- Aufzählung, [Link](https://…).'))
    with group.card:
        group.markdown('imprint_text', _('Impressum (Markdown)'), values['imprint_text'],
                       _('Wer das Netzwerk betreibt und wie man sie erreicht.'))
        group.markdown('privacy_text', _('Datenschutzerklärung (Markdown)'), values['privacy_text'],
                       _('Welche Daten das Netzwerk speichert, wozu und wie lange.'))
        group.markdown('accessibility_text', _('Erklärung zur Barrierefreiheit (Markdown)'),
                       values['accessibility_text'],
                       _('Wie barrierefrei das Netzwerk ist, was noch fehlt und wo man Barrieren melden kann.'))
    group.save_button()

