"""Administration: importing members from a CSV file (/admin/import). Upload, preview, import in the background
with a progress bar, then a report of every refused row and the invitation links as a CSV file to mail out."""

import csv
import io
from html import escape
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import events, run, ui

from services import audit, db, member_import
from services.errors import DomainError
from services.local_time import today
from services.member_import import Line, Parsed
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import named_upload
from ui.components.text import Heading
from ui.i18n import _, error_text
from ui.layout import frame, page

MAX_REFUSED_SHOWN = 500
ENCODINGS = {'UTF-8': 'UTF-8', 'UTF-8 (mit BOM)': 'UTF-8 (mit BOM)', 'Windows-1252': 'Windows-1252'}


def _problem(line: Line) -> str:
    return _(line.problem, **line.params) if line.problem else ''


def _lines_html(caption: str, lines: list[Line], *, with_status: bool) -> str:
    header = [_('Zeile'), _('Name'), _('E-Mail'), _('Verwaltung')] + ([_('Prüfung')] if with_status else [_('Grund')])
    head = ''.join(f'<th scope="col" class="text-left p-1">{escape(h)}</th>' for h in header)
    body = []
    for line in lines:
        status = (f'<span class="text-red-700">{escape(_problem(line))}</span>' if line.problem
                  else f'<span class="text-green-800">{escape(_("in Ordnung"))}</span>')
        body.append(f'<tr class="border-t align-top"><td class="p-1">{line.line}</td>'
                    f'<td class="p-1">{escape(line.name)}</td><td class="p-1">{escape(line.email)}</td>'
                    f'<td class="p-1">{escape(line.organization)}</td><td class="p-1">{status}</td></tr>')
    return (f'<table class="w-full text-sm"><caption class="sr-only">{escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def refused_csv(lines: tuple[Line, ...]) -> bytes:
    """The refused rows with their reasons, for correcting the file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    writer.writerow([_('Zeile'), _('Name'), _('E-Mail'), _('Verwaltung'), _('Grund')])
    for line in lines:
        writer.writerow([line.line, *(audit.safe_cell(v) for v in (line.name, line.email,
                                                                                line.organization)),
                         _problem(line)])
    return ('\ufeff' + out.getvalue()).encode('utf-8')


@page('/admin/import')
def admin_import_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    base = str(request.base_url).rstrip('/')
    state: dict[str, Any] = {'parsed': None, 'done': 0, 'total': 0, 'running': False, 'report': None, 'error': ''}

    with frame(_('Mitglieder importieren'), user=user):
        admin_tabs('/admin/import', user)
        ui.markdown(_(
            'Laden Sie eine CSV-Datei mit den Spalten **Name**, **E-Mail** und **Verwaltung** hoch (optional '
            '**Ebene** für neue Verwaltungen: kommunal, regional, Land, Bund, sonstige). Trennzeichen `;` oder `,`; '
            'UTF-8 oder Windows-1252 (so speichert Excel). Höchstens {rows} Zeilen und {mb} MB.\n\n'
            'Jede Person erhält einen persönlichen Einladungslink (30 Tage gültig), den Sie ihr zusenden. '
            'Fehlende Verwaltungen werden angelegt.',
            rows=f'{member_import.MAX_ROWS:,}'.replace(',', '.'), mb=member_import.MAX_BYTES // (1024 * 1024)))

        async def uploaded(e: events.UploadEventArguments) -> None:
            data = await e.file.read()
            uploader.reset()
            state.update(parsed=None, report=None, error='', done=0, total=0)
            try:
                parsed = await run.io_bound(member_import.parse_csv, data)
                first = await run.io_bound(db.call, member_import.preview, actor=user, parsed=parsed)
            except DomainError as err:
                state['error'] = error_text(err)
                preview.refresh()
                return
            state.update(parsed=parsed, first=first)
            preview.refresh()

        uploader = ui.upload(label=_('CSV-Datei wählen (höchstens {mb} MB)', mb=member_import.MAX_BYTES // 1048576),
                             auto_upload=True, on_upload=uploaded, max_file_size=member_import.MAX_BYTES,
                             on_rejected=lambda: ui.notify(_('Bitte wählen Sie eine CSV-Datei mit höchstens {mb} MB.',
                                                             mb=member_import.MAX_BYTES // 1048576),
                                                           type='negative')
                             ).props('accept=".csv,.txt,text/csv,text/plain"').classes('max-w-md').mark('csv-upload')
        named_upload(uploader, _('Datei auswählen'))

        async def start_import() -> None:
            parsed: Parsed | None = state['parsed']
            if parsed is None or state['running']:
                return
            state.update(running=True, done=0, total=len(parsed.lines), report=None)
            preview.refresh()

            def progress(done: int, total: int) -> None:  # called from the worker thread
                state['done'], state['total'] = done, total

            try:
                report = await run.io_bound(db.call, member_import.import_members, actor=user, parsed=parsed,
                                            progress=progress)
            except DomainError as err:
                state.update(running=False, error=error_text(err))
                preview.refresh()
                return
            state.update(running=False, report=report, parsed=None)
            state['done'] = state['total']
            show_progress()
            preview.refresh()

        progress_box = ui.column().classes('w-full max-w-xl gap-1')
        with progress_box:
            bar = ui.linear_progress(value=0, show_value=False, size='12px').props(
                f'aria-label="{_("Fortschritt des Imports")}"').mark('import-progress')
            progress_label = ui.label('').props('aria-live=polite').classes(theme.MUTED).mark('import-progress-text')
        progress_box.set_visibility(False)

        def show_progress() -> None:
            total = state['total']
            if not total:
                return
            progress_box.set_visibility(True)
            bar.value = round(state['done'] / total, 3)
            progress_label.text = _('{done} von {total} Zeilen verarbeitet', done=state['done'], total=total)

        ui.timer(0.25, lambda: show_progress() if state['running'] else None)

        @ui.refreshable
        def preview() -> None:
            if state['error']:
                ui.label(state['error']).classes('text-red-700').props('role=alert').mark('import-error')
            parsed: Parsed | None = state['parsed']
            if parsed is not None:
                Heading(_('Vorschau'), 2)
                problems = len(parsed.problems)
                ui.label(_('Kodierung: {encoding} · Trennzeichen: {delimiter} · {rows} Zeilen, davon {bad} mit '
                           'Fehlern', encoding=_(ENCODINGS.get(parsed.encoding, parsed.encoding)),
                           delimiter=parsed.delimiter, rows=len(parsed.lines), bad=problems)).mark('import-summary')
                ui.html(_lines_html(_('Vorschau der ersten Zeilen'), state['first'], with_status=True)) \
                    .classes('w-full overflow-x-auto').mark('import-preview')
                if len(parsed.lines) > len(state['first']):
                    ui.label(_('Gezeigt werden die ersten {n} Zeilen.', n=len(state['first']))).classes(theme.MUTED)
                button = ui.button(_('Importieren'), icon='upload', on_click=start_import).props('color=primary') \
                    .mark('start-import')
                if state['running'] or not parsed.valid:
                    button.disable()
            report = state['report']
            if report is not None:
                Heading(_('Ergebnis'), 2)
                ui.label(_('{invited} Einladungen erstellt, {orgs} Verwaltungen neu angelegt, {refused} Zeilen '
                           'abgelehnt.', invited=report.invited, orgs=report.organizations_created,
                           refused=len(report.refused))).props('role=status').mark('import-result')
                stamp = f'{today():%Y-%m-%d}'
                if report.links:
                    ui.label(_('Laden Sie die Einladungslinks jetzt herunter: gespeichert wird nur ein Prüfwert, '
                               'später lassen sie sich nicht mehr anzeigen.')).mark('links-only-now')
                with ui.row().classes('gap-3'):
                    if report.links:
                        ui.button(_('Einladungslinks als CSV herunterladen'), icon='download',
                                  on_click=lambda: ui.download.content(member_import.links_csv(report, base),
                                                                       f'einladungen-{stamp}.csv', 'text/csv')
                                  ).props('outline').mark('download-links')
                    if report.refused:
                        ui.button(_('Abgelehnte Zeilen als CSV'), icon='download',
                                  on_click=lambda: ui.download.content(refused_csv(report.refused),
                                                                       f'abgelehnt-{stamp}.csv', 'text/csv')
                                  ).props('outline').mark('download-refused')
                if report.refused:
                    Heading(_('Abgelehnte Zeilen'), 3)
                    shown = list(report.refused[:MAX_REFUSED_SHOWN])
                    ui.html(_lines_html(_('Abgelehnte Zeilen'), shown, with_status=False)) \
                        .classes('w-full overflow-x-auto').mark('import-refused')
                    if len(report.refused) > MAX_REFUSED_SHOWN:
                        ui.label(_('Gezeigt werden die ersten {n}; alle stehen in der CSV-Datei.',
                                   n=MAX_REFUSED_SHOWN)).classes(theme.MUTED)

        preview()
    return None
