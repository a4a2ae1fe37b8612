"""Health check, the network's logo, Impressum, Datenschutz and Barrierefreiheit, and the friendly error page."""

import logging
import uuid

from fastapi import HTTPException
from fastapi.responses import FileResponse, PlainTextResponse
from nicegui import app, ui

from services import db, images
from services import settings as site_settings
from services.markup import render_markdown
from ui.auth import current_user
from ui.components.text import Heading
from ui.i18n import _
from ui.layout import frame, page

log = logging.getLogger('verwaltungsnetz')


@app.get('/healthz', include_in_schema=False)
def healthz() -> PlainTextResponse:
    # Sync on purpose: FastAPI runs it in a thread, so a slow database never stalls the event loop.
    if db.ping():
        return PlainTextResponse('ok')
    return PlainTextResponse('database unavailable', status_code=503)


@app.get('/site-logo', include_in_schema=False)
def site_logo() -> FileResponse:
    # Public (the sign-in page shows it too). Sync: FastAPI runs it in a thread. The address changes with the logo
    # (ui.layout.logo_url), so a short cache time only matters for the rare request without the version.
    path = images.logo_path(db.call(site_settings.get_setting, 'logo'))
    if path is None:
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type='image/webp', headers={
        'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff'})


def _legal_page(title: str, key: str, empty: str) -> None:
    text = db.call(site_settings.get_setting, key)
    with frame(title, user=current_user()):
        html = render_markdown(text)  # written by administrators; sanitised on the server and again in the browser
        if html:
            ui.html(html).classes('prose max-w-3xl').mark('legal-text')
        else:
            ui.label(empty).mark('legal-text')


@page('/imprint')
def imprint_page() -> None:
    _legal_page(_('Impressum'), 'imprint_text', _('Die Administration hat noch kein Impressum hinterlegt.'))


@page('/privacy')
def privacy_page() -> None:
    _legal_page(_('Datenschutz'), 'privacy_text',
                _('Die Administration hat noch keine Datenschutzerklärung hinterlegt.'))


@page('/accessibility')
def accessibility_page() -> None:
    _legal_page(_('Erklärung zur Barrierefreiheit'), 'accessibility_text',
                _('Die Administration hat noch keine Erklärung zur Barrierefreiheit hinterlegt.'))
    # What the software itself is tested for holds for every installation, whatever the operator writes above.
    with ui.column().classes('max-w-3xl mt-6'):
        Heading(_('Was die Software prüft'), 2)
        ui.label(_(
            'Die Software Verwaltungsnetz wird bei jeder Änderung automatisch gegen die Anforderungen der WCAG '
            '2.1 in den Stufen A und AA geprüft (Grundlage der BITV 2.0): Das Prüfprogramm axe-core läuft in '
            'Chromium auf jeder Seite, angemeldet als Mitglied, als Moderation und als Administration sowie ohne '
            'Anmeldung, auch mit geöffneten Menüs und Dialogen. Außerdem werden Anmelden, die Suche im '
            'Verzeichnis, das Antworten in einem Thema und die Zusage zu einer Veranstaltung allein mit der '
            'Tastatur durchlaufen, mit sichtbarem Fokus bei jedem Schritt. Automatische Prüfungen finden nicht '
            'alle Barrieren: Bitte melden Sie, was Ihnen die Nutzung erschwert.'
        )).mark('software-tests')


def show_error_page(exception: Exception) -> None:
    """No stack trace for the browser: a friendly page with an id that points to the log entry."""
    error_id = uuid.uuid4().hex[:12]
    log.error('unexpected error %s', error_id, exc_info=exception)
    Heading(_('Etwas ist schiefgegangen'), 1)
    ui.label(_('Bitte versuchen Sie es noch einmal. Wenn der Fehler bleibt, nennen Sie der Administration diese '
               'Kennung: {id}', id=error_id)).mark('error-id')
    ui.link(_('Zur Startseite'), '/')


def notify_error(exception: Exception) -> None:
    """An unexpected error in a button or form: logged with an id, the user sees a short notice."""
    error_id = uuid.uuid4().hex[:12]
    log.error('unexpected error %s', error_id, exc_info=exception)
    try:
        ui.notify(_('Das hat nicht geklappt (Fehler {id}). Bitte versuchen Sie es noch einmal.', id=error_id),
                  type='negative')
    except RuntimeError:  # no page to show it on
        pass


app.on_page_exception(show_error_page)
app.on_exception(notify_error)
