"""/mail-settings/{token}: the one-click link in every notification mail (public, no sign-in: the link is the key).

The member sees their name and can stop all e-mail at once or choose a channel for each kind of notice. The labels
of kinds and channels come from services/mail_texts.py, which has them in German and English.
"""

from nicegui import ui

from services import db, digest, mail_texts
from services.errors import DomainError, NotFound
from ui import theme
from ui.components.forms import aria
from ui.components.text import Heading
from ui.i18n import _, current_language, error_text
from ui.layout import frame, page

MSG_LINK_INVALID = ('Dieser Link ist ungültig. Bitte verwenden Sie den vollständigen Link aus einer E-Mail des '
                    'Netzwerks oder ändern Sie Ihre Einstellungen nach der Anmeldung unter „Konto“.')


@page('/mail-settings/{token}')
def mail_settings_page(token: str) -> None:
    with frame(_('E-Mail-Einstellungen'), bare=True):
        try:
            settings = db.call(digest.preferences_by_token, token=token)
        except NotFound:
            ui.label(_('Nicht gefunden')).classes('text-lg font-medium').props('role=alert').mark('mail-settings-404')
            ui.label(_(MSG_LINK_INVALID))
            ui.link(_('Zur Anmeldung'), '/login')
            return
        lang = current_language()
        body = ui.column().classes(theme.FORM + ' gap-4')

        settings_state = {'any': settings.any_email}

        def show(current: digest.MailSettings) -> None:
            settings_state['any'] = current.any_email
            body.clear()
            with body:
                ui.label(_('E-Mail-Einstellungen von {name}', name=current.name)).classes('text-lg').mark(
                    'mail-settings-name')
                status = ui.label(_('Sie erhalten derzeit E-Mails aus dem Netzwerk.') if current.any_email else
                                  _('Sie erhalten keine E-Mails aus dem Netzwerk; Benachrichtigungen sehen Sie in '
                                    'der App.')).props('role=status').mark('mail-settings-status')
                status.classes(theme.MUTED)
                ui.button(_('Keine E-Mails mehr'), on_click=stop_all).props('color=primary').mark('email-off') \
                    .set_enabled(current.any_email)
                Heading(_('Einzeln einstellen'), 2)
                channels = {c: mail_texts.channel_name(c, lang) for c in mail_texts.CHANNEL_NAMES['de']}
                with ui.element('table').classes('w-full').props(f'aria-label="{_("Benachrichtigungen")}"'):
                    with ui.element('thead'), ui.element('tr'):
                        for head in (_('Anlass'), _('Wie')):
                            with ui.element('th').classes('text-left py-1 pr-4').props('scope=col'):
                                ui.label(head)
                    with ui.element('tbody'):
                        for kind, channel in current.channels.items():
                            label = mail_texts.kind_name(kind, lang)
                            with ui.element('tr').classes('border-t border-slate-200'):
                                with ui.element('th').classes('text-left font-normal py-1 pr-4').props('scope=row'):
                                    ui.label(label)
                                with ui.element('td').classes('py-1'):
                                    choice = ui.select(channels, value=channel).props('dense outlined').classes(
                                        'w-72').mark(f'mail-pref-{kind}')
                                    aria(choice, label)
                                    choice.on_value_change(lambda e, kind=kind: change(kind, e.value))

        def stop_all() -> None:
            try:
                current = db.call(digest.email_off_by_token, token=token)
            except DomainError as err:
                ui.notify(error_text(err), type='negative')
                return
            show(current)
            ui.notify(_('Sie erhalten keine E-Mails mehr.'), type='positive')

        def change(kind: str, channel: str) -> None:
            try:
                current = db.call(digest.set_preference_by_token, token=token, kind=kind, channel=channel)
            except DomainError as err:
                ui.notify(error_text(err), type='negative')
                return
            ui.notify(_('Gespeichert: {kind} – {channel}.', kind=mail_texts.kind_name(kind, lang),
                        channel=mail_texts.channel_name(channel, lang)), type='positive')
            if current.any_email != settings_state['any']:  # the status line and the button change with it
                show(current)

        show(settings)
