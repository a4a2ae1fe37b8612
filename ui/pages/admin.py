"""Administration: site settings and registration, accounts (approve, roles, deactivate), invitations."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from services import db
from services import settings as site_settings
from services.errors import DomainError
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import Form
from ui.i18n import _
from ui.layout import frame, page

PAGE_SIZE = 50
MODES = {
    'open': 'Offen: alle können sich registrieren',
    'domains': 'Nur Adressen bestimmter Domains',
    'approval': 'Alle können sich registrieren, die Administration schaltet frei',
    'invite': 'Nur mit Einladung',
    'closed': 'Geschlossen',
}


@page('/admin')
def admin_settings_page() -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    values = db.call(site_settings.get_settings)
    with frame(_('Verwaltung'), user=user):
        admin_tabs('/admin', user)
        with ui.column().classes('w-full max-w-2xl gap-3'):
            form = Form()
            site_name = form.field('site_name', ui.input(_('Name des Netzwerks'), value=values['site_name']).props(
                'maxlength=80').classes('w-full'))
            mode = form.field('registration_mode', ui.select(
                {k: _(v) for k, v in MODES.items()}, label=_('Registrierung'), value=values['registration_mode'])
                .classes('w-full'))
            domains = form.field('allowed_domains', ui.input(
                _('Erlaubte Domains (durch Komma getrennt)'), value=', '.join(values['allowed_domains']))
                .props('placeholder="essen.de, luenen.de, kreis-wesel.de"').classes('w-full'))
            attachment_mb = form.field('max_attachment_mb', ui.number(
                _('Größte Datei, die an einen Beitrag angehängt werden kann (MB)'), value=values['max_attachment_mb'],
                min=1, max=site_settings.MAX_ATTACHMENT_MB, step=1, precision=0).classes('w-full'))
            imprint = form.field('imprint_text', ui.textarea(_('Impressum (Markdown)'), value=values['imprint_text'])
                                 .classes('w-full'))
            privacy = form.field('privacy_text', ui.textarea(_('Datenschutzerklärung (Markdown)'),
                                                             value=values['privacy_text']).classes('w-full'))

            def save() -> None:
                form.clear()
                try:
                    stored = db.call(site_settings.update_settings, actor=user, values={
                        'site_name': site_name.value or '', 'registration_mode': mode.value,
                        'allowed_domains': domains.value or '', 'imprint_text': imprint.value or '',
                        'privacy_text': privacy.value or '', 'max_attachment_mb': attachment_mb.value})
                except DomainError as e:
                    form.show(e)
                    return
                domains.value = ', '.join(stored['allowed_domains'])
                ui.notify(_('Gespeichert. Die Änderungen gelten ab sofort.'), type='positive')

            ui.button(_('Speichern'), on_click=save).props('color=primary').mark('save-settings')
    return None
