"""Administration: the audit log (/admin/audit) with filters in the address, pages, and its CSV download."""

from datetime import date
from html import escape
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui

from services import audit, db
from services.errors import DomainError
from services.local_time import today
from ui import theme
from ui.auth import current_user
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.pager import pager
from ui.components.when import exact
from ui.i18n import _
from ui.layout import frame, page
from ui.params import optional_id
from ui.workers import in_thread

# German labels of the recorded actions; an action without one shows its code.
ACTION_LABELS = {
    'account.export': 'Eigene Daten exportiert',
    'account.self_deleted': 'Eigenes Konto gelöscht',
    'audit.exported': 'Protokoll exportiert',
    'auth.failed': 'Anmeldung fehlgeschlagen',
    'auth.other_sessions_ended': 'Andere Sitzungen beendet',
    'auth.password_changed': 'Passwort geändert',
    'auth.password_reset': 'Passwort über Link zurückgesetzt',
    'auth.refused_deactivated': 'Anmeldung eines deaktivierten Kontos abgelehnt',
    'auth.signed_in': 'Angemeldet',
    'auth.signed_out': 'Abgemeldet',
    'board.archive': 'Forum archiviert',
    'board.create': 'Forum angelegt',
    'board.mark_read': 'Forum als gelesen markiert',
    'board.move': 'Forum verschoben',
    'board.unarchive': 'Forum wieder geöffnet',
    'board.update': 'Forum geändert',
    'calendar.feed_renew': 'Kalender-Abo erneuert',
    'demo.seeded': 'Demodaten angelegt',
    'event.cancel': 'Veranstaltung abgesagt',
    'event.create': 'Veranstaltung angelegt',
    'event.export_attendees': 'Teilnehmendenliste exportiert',
    'event.move': 'Termin verschoben',
    'event.reinstate': 'Veranstaltung wieder angesetzt',
    'event.rsvp': 'Auf Veranstaltung geantwortet',
    'event.update': 'Veranstaltung geändert',
    'import.members': 'Mitglieder importiert',
    'invitation.created': 'Einladung erstellt',
    'invitation.revoked': 'Einladung widerrufen',
    'mail.failed': 'E-Mail endgültig nicht zugestellt',
    'mail.test': 'Test-E-Mail gesendet',
    'message.report': 'Nachricht gemeldet',
    'message_report.deleted': 'Meldung: Nachricht entfernt',
    'message_report.dismissed': 'Meldung zu Nachricht verworfen',
    'organization.created': 'Verwaltung angelegt',
    'organization.logo_changed': 'Logo einer Verwaltung geändert',
    'organization.merged': 'Verwaltungen zusammengeführt',
    'organization.updated': 'Verwaltung geändert',
    'post.delete': 'Beitrag gelöscht',
    'post.delete_by_moderator': 'Beitrag von der Moderation gelöscht',
    'post.edit_by_moderator': 'Beitrag von der Moderation bearbeitet',
    'post.report': 'Beitrag gemeldet',
    'post.unhide': 'Beitrag wieder eingeblendet',
    'profile.avatar_changed': 'Profilbild geändert',
    'profile.updated': 'Profil geändert',
    'report.deleted': 'Meldung: Beitrag gelöscht',
    'report.dismissed': 'Meldung verworfen',
    'report.hidden': 'Meldung: Beitrag ausgeblendet',
    'report.locked': 'Meldung: Thema geschlossen',
    'setting.changed': 'Einstellung geändert',
    'signin.failure_burst': 'Viele fehlgeschlagene Anmeldungen',
    'thread.create': 'Thema erstellt',
    'thread.delete': 'Thema gelöscht',
    'thread.delete_by_moderator': 'Thema von der Moderation gelöscht',
    'thread.edit': 'Thema bearbeitet',
    'thread.lock': 'Thema geschlossen',
    'thread.move': 'Thema verschoben',
    'thread.pin': 'Thema angeheftet',
    'thread.solution': 'Lösung markiert',
    'thread.unlock': 'Thema wieder geöffnet',
    'thread.unpin': 'Thema nicht mehr angeheftet',
    'thread.unsolve': 'Lösung zurückgenommen',
    'user.admin_from_shell': 'Administration über die Kommandozeile angelegt',
    'user.approved': 'Konto freigeschaltet',
    'user.deactivated': 'Konto deaktiviert',
    'user.deleted': 'Konto gelöscht',
    'user.first_admin': 'Erste Administration angelegt',
    'user.password_reset_created': 'Link zum Zurücksetzen des Passworts erstellt',
    'user.password_reset_mailed': 'Link zum Zurücksetzen des Passworts per E-Mail gesendet',
    'user.reactivated': 'Konto reaktiviert',
    'user.registered': 'Registriert',
    'user.rejected': 'Registrierung abgelehnt',
    'user.role_changed': 'Rolle geändert',
}
# Targets that have a page of their own.
TARGET_LINKS = {'thread': '/threads/{id}', 'event': '/events/{id}', 'user': '/members/{id}',
                'organization': '/organizations/{id}'}
MAX_DETAILS = 300
FILTER_KEYS = ('action', 'who', 'actor', 'from', 'to')


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(params: dict[str, str]) -> dict:
    """The filters from the query string: action, who (part of a name), from, to (local days)."""
    return {'action': params.get('action', '')[:64], 'actor_name': params.get('who', '')[:100],
            'actor_id': optional_id(params.get('actor')), 'since': _day(params.get('from')),
            'until': _day(params.get('to'))}


def _query(params: dict[str, str], **changes: object) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in ('', None)}
    return urlencode(merged)


@app.get('/admin/audit.csv', include_in_schema=False)
def audit_csv_download(request: Request) -> Response:
    """The filtered log as CSV; the service checks that the signed-in member is an administrator."""
    user = current_user()
    params = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS}
    try:
        body = db.call(audit.entries_csv, actor=user, **_filters(params))
    except DomainError:
        raise HTTPException(status_code=403) from None
    return Response(body, media_type='text/csv; charset=utf-8',
                    headers={'Content-Disposition': f'attachment; filename="protokoll-{today():%Y-%m-%d}.csv"',
                             'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store'})


def _target_html(target_type: str, target_id: str) -> str:
    if not target_type and not target_id:
        return '–'
    text = escape(f'{target_type} {target_id}'.strip())
    if target_type in TARGET_LINKS and target_id.isdigit():
        return f'<a class="underline" href="{TARGET_LINKS[target_type].format(id=target_id)}">{text}</a>'
    return text


def _table_html(rows: list[audit.AuditRow]) -> str:
    head = ''.join(f'<th scope="col" class="text-left p-2">{escape(h)}</th>'
                   for h in (_('Wann'), _('Wer'), _('Aktion'), _('Ziel'), _('Details')))
    body = []
    for r in rows:
        who = (f'<a class="underline" href="/admin/audit?actor={r.actor_id}" title="{escape(_("Nur diese Person"))}">'
               f'{escape(r.actor_name or str(r.actor_id))}</a>' if r.actor_id else escape(_('System')))
        details = audit.details_text(r.details)
        shown = details if len(details) <= MAX_DETAILS else details[:MAX_DETAILS] + ' …'
        label = action_label(r.action)
        action = escape(label) + (f' <span class="text-slate-600">({escape(r.action)})</span>'
                                  if label != r.action else '')
        body.append(f'<tr class="border-t align-top"><td class="p-2 whitespace-nowrap">{escape(exact(r.at))}</td>'
                    f'<td class="p-2">{who}</td><td class="p-2">{action}</td>'
                    f'<td class="p-2">{_target_html(r.target_type, r.target_id)}</td>'
                    f'<td class="p-2 break-all font-mono text-xs">{escape(shown)}</td></tr>')
    return (f'<table class="w-full text-sm"><caption class="sr-only">{escape(_("Protokoll"))}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


@page('/admin/audit')
async def admin_audit_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    params = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS and v}
    try:
        page_no = max(1, min(int(request.query_params.get('page', '1')), audit.MAX_PAGE))
    except ValueError:
        page_no = 1
    filters = _filters(params)
    actions = await in_thread(db.call, audit.actions_present, actor=user)
    rows, total = await in_thread(db.call, audit.search_entries, actor=user, page=page_no, **filters)
    with frame(_('Protokoll'), user=user):
        admin_tabs('/admin/audit', user)
        ui.label(_('Jede Aktion der Verwaltung und jede Anmeldung wird hier festgehalten. Einträge lassen sich '
                   'nicht ändern oder löschen.')).classes(theme.MUTED)
        with ui.row().classes('items-end gap-3 w-full'):
            choices = {'': _('alle Aktionen'), **{a: action_label(a) for a in actions}}
            if filters['action'] and filters['action'] not in choices:
                choices[filters['action']] = filters['action']
            action = ui.select(choices, value=filters['action'], label=_('Aktion')).classes('w-72') \
                .mark('filter-action')
            who = ui.input(_('Wer (Name)'), value=params.get('who', '')).props('clearable maxlength=100') \
                .classes('w-56').mark('filter-who')
            since = ui.input(_('Von (Datum)'), value=params.get('from', '') if filters['since'] else '') \
                .props('type=date stack-label').classes('w-44').mark('filter-from')
            until = ui.input(_('Bis (Datum)'), value=params.get('to', '') if filters['until'] else '') \
                .props('type=date stack-label').classes('w-44').mark('filter-to')

            def apply() -> None:
                query = _query({}, action=action.value or '', who=(who.value or '').strip(),
                               actor=params.get('actor', ''),
                               **{'from': since.value or '', 'to': until.value or ''})
                ui.navigate.to('/admin/audit' + (f'?{query}' if query else ''))

            who.on('keydown.enter', apply)
            ui.button(_('Filtern'), on_click=apply).props('outline').mark('apply-filters')
            if params:
                ui.link(_('Filter zurücksetzen'), '/admin/audit').classes('pb-2')
        with ui.row().classes('items-center justify-between w-full'):
            count = _('mehr als {n} Einträge', n=f'{audit.MAX_COUNT:,}'.replace(',', '.')) \
                if total >= audit.MAX_COUNT else _('1 Eintrag') if total == 1 else _('{n} Einträge', n=total)
            ui.label(count).classes(theme.MUTED).mark('entry-count')
            query = _query(params)
            ui.link(_('Als CSV herunterladen'), '/admin/audit.csv' + (f'?{query}' if query else '')) \
                .props('download').mark('audit-csv')
        if rows:
            with ui.element('div').classes('w-full overflow-x-auto'):
                ui.html(_table_html(rows)).classes('w-full').mark('audit-table')
        else:
            ui.label(_('Keine Einträge für diese Filter.')).mark('audit-empty')
        pages = max(1, min(-(-total // audit.PAGE_SIZE), audit.MAX_PAGE))
        pager(page_no, pages, lambda n: '/admin/audit?' + _query(params, page=n))
    return None
