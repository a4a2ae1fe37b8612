"""Administration of organisations (/admin/organizations: add, edit, merge duplicates) and of boards (/admin/boards:
add, edit, order, archive, limit posting to the moderation). Administrators only."""

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models.organization import ORGANIZATION_KINDS, ORGANIZATION_LEVELS
from services import boards, db
from services import organizations as orgs
from services.errors import DomainError
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.forms import Form, aria
from ui.components.pager import pager
from ui.components.text import Heading
from ui.i18n import _, error_text, member_count
from ui.layout import frame, page
from ui.workers import in_thread

ORG_ROUTE = '/admin/organizations'
BOARD_ROUTE = '/admin/boards'


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get('page', '1')), 100_000))
    except ValueError:
        return 1


def _dialog() -> ui.dialog:
    """A dialog that is removed once closed: each opening builds a fresh one, and none pile up on the page."""
    dialog = ui.dialog()
    dialog.on_value_change(lambda e: None if e.value else dialog.delete())
    return dialog


# ---------------------------------------------------------------- organisations


def _org_fields(form: Form, values: dict[str, str]) -> dict[str, Any]:
    """The inputs of an organisation, named as the services name their fields."""
    fields = {
        'name': form.field('name', ui.input(_('Name'), value=values.get('name', '')).props(
            'maxlength=200').classes('w-full')),
        'kind': form.field('kind', ui.select({k: _(k) for k in ORGANIZATION_KINDS}, label=_('Art'),
                                             value=values.get('kind', 'Kommune')).classes('w-full')),
        'level': form.field('level', ui.select({k: _(k) for k in ORGANIZATION_LEVELS}, label=_('Ebene'),
                                               value=values.get('level', 'kommunal')).classes('w-full')),
        'city': form.field('city', ui.input(_('Ort'), value=values.get('city', '')).props(
            'maxlength=100').classes('w-full')),
        'website': form.field('website', ui.input(_('Website'), value=values.get('website', '')).props(
            'maxlength=300 placeholder="https://"').classes('w-full')),
    }
    return fields


def _values(fields: dict[str, Any]) -> dict[str, str]:
    return {key: field.value or '' for key, field in fields.items()}


@page('/admin/organizations')
async def admin_organizations_page(request: Request) -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    query = request.query_params.get('q', '')[:100]
    page_no = _page_number(request)
    state: dict[str, Any] = {}

    async def load() -> None:
        state['rows'], state['total'] = await in_thread(db.call, orgs.list_organizations_for_admin, actor=user,
                                                        query=query, page=page_no)

    await load()
    with frame(_('Verwaltungen'), user=user):
        admin_tabs(ORG_ROUTE, user)
        with ui.row().classes('items-end gap-3 w-full'):
            search = ui.input(_('Name enthält'), value=query).props('clearable maxlength=100').classes(
                'grow max-w-md').mark('org-search')

            def apply() -> None:
                ui.navigate.to(ORG_ROUTE + (f'?{urlencode({"q": search.value})}' if search.value else ''))

            search.on('keydown.enter', apply)
            ui.button(_('Suchen'), on_click=apply).props('outline')
            ui.button(_('Neue Verwaltung'), icon='add', on_click=lambda: edit_dialog(None)).props(
                'color=primary').mark('new-organization')

        @ui.refreshable
        def listing() -> None:
            total = state['total']
            ui.label(_('1 Verwaltung') if total == 1 else _('{n} Verwaltungen', n=total)).classes(
                theme.MUTED).mark('org-count')
            with ui.element('ul').classes('w-full flex flex-col gap-2').props(
                    f'aria-label="{_("Verwaltungen")}"'):
                for row in state['rows']:
                    with ui.element('li').classes('w-full'), ui.card().classes('w-full p-3').props(
                            'flat bordered').mark(f'org-{row.id}'):
                        with ui.row().classes('w-full items-center justify-between gap-2'):
                            with ui.column().classes('gap-0'):
                                ui.link(row.name, f'/organizations/{row.id}').classes('font-medium')
                                details = ' · '.join(x for x in (_(row.kind), _(row.level), row.city) if x)
                                ui.label(f'{details} · {member_count(row.accounts)}').classes(theme.MUTED)
                            with ui.row().classes('gap-2'):
                                aria(ui.button(_('Bearbeiten'), on_click=lambda r=row: edit_dialog(r)).props(
                                    'outline dense no-caps').mark(f'edit-org-{row.id}'),
                                    _('Bearbeiten: {name}', name=row.name))
                                aria(ui.button(_('Zusammenführen …'), on_click=lambda r=row: merge_dialog(r)).props(
                                    'outline dense no-caps').mark(f'merge-org-{row.id}'),
                                    _('{name} mit einer anderen Verwaltung zusammenführen', name=row.name))
            pages = max(1, -(-total // orgs.ADMIN_PAGE_SIZE))
            pager(page_no, pages, lambda n: ORG_ROUTE + '?' + urlencode({**({'q': query} if query else {}),
                                                                         'page': n}))

        async def reload() -> None:
            await load()
            listing.refresh()

        def edit_dialog(row: orgs.OrganizationAdminRow | None) -> None:
            with _dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('org-dialog'):
                Heading(_('Neue Verwaltung') if row is None else _('Verwaltung bearbeiten'), 2)
                form = Form()
                fields = _org_fields(form, {} if row is None else {
                    'name': row.name, 'kind': row.kind, 'level': row.level, 'city': row.city,
                    'website': row.website})

                async def save() -> None:
                    form.clear()
                    try:
                        if row is None:
                            await in_thread(db.call, orgs.create_organization, actor=user, **_values(fields))
                        else:
                            await in_thread(db.call, orgs.update_organization, actor=user, org_id=row.id,
                                            **_values(fields))
                    except DomainError as e:
                        form.show(e)
                        return
                    dialog.close()
                    ui.notify(_('Gespeichert.'), type='positive')
                    await reload()

                with ui.row():
                    ui.button(_('Speichern'), on_click=save).props('color=primary').mark('save-org')
                    ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            dialog.open()

        async def merge_dialog(row: orgs.OrganizationAdminRow) -> None:
            choices = await in_thread(db.call, orgs.list_organization_choices)
            options = {c.id: c.name for c in choices if c.id != row.id}
            with _dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('merge-dialog'):
                Heading(_('„{name}“ zusammenführen', name=row.name), 2)
                ui.label(_('Wählen Sie die Verwaltung, die bleiben soll. Alle Mitglieder, Termine und Einladungen '
                           'von „{name}“ wechseln dorthin; „{name}“ wird danach gelöscht.', name=row.name))
                form = Form()
                target = form.field('target', ui.select(options, label=_('Zusammenführen mit'), with_input=True)
                                    .classes('w-full'))
                summary = ui.column().classes('w-full gap-2').props('role=status aria-live=polite')

                async def preview() -> None:
                    form.clear()
                    summary.clear()
                    if target.value is None:
                        form.fail('Bitte wählen Sie die Verwaltung, die bleiben soll.')
                        return
                    try:
                        found = await in_thread(db.call, orgs.merge_preview, actor=user, source_id=row.id,
                                                target_id=target.value)
                    except DomainError as e:
                        form.show(e)
                        return
                    with summary:
                        moving = (_('1 Mitglied wechselt') if found.accounts == 1 else
                                  _('{n} Mitglieder wechseln', n=found.accounts))
                        ui.label(_('„{source}“ in „{target}“ zusammenführen? {moving} zu „{target}“, „{source}“ '
                                   'wird gelöscht. Das lässt sich nicht rückgängig machen.', source=found.source_name,
                                   target=found.target_name, moving=moving)).classes('font-medium').mark(
                            'merge-summary')
                        ui.button(_('Zusammenführen'), on_click=lambda: merge(found.target_id)).props(
                            'color=negative').mark('confirm-merge')

                async def merge(target_id: int) -> None:
                    try:
                        done = await in_thread(db.call, orgs.merge_organizations, actor=user, source_id=row.id,
                                               target_id=target_id)
                    except DomainError as e:
                        form.show(e)
                        return
                    dialog.close()
                    ui.notify(_('„{source}“ ist jetzt Teil von „{target}“.', source=done.source_name,
                                target=done.target_name), type='positive')
                    await reload()

                target.on_value_change(lambda: summary.clear())
                with ui.row():
                    ui.button(_('Weiter'), on_click=preview).props('color=primary').mark('merge-preview')
                    ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            dialog.open()

        listing()
    return None


# ---------------------------------------------------------------- boards


@page('/admin/boards')
async def admin_boards_page() -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    state: dict[str, Any] = {}

    async def load() -> None:
        state['rows'] = await in_thread(db.call, boards.list_boards_for_admin, actor=user)

    await load()
    with frame(_('Foren'), user=user):
        admin_tabs(BOARD_ROUTE, user)
        ui.label(_('Die Reihenfolge hier ist die Reihenfolge auf der Seite „Foren“; archivierte Foren stehen dort '
                   'am Ende, bleiben lesbar und nehmen keine neuen Beiträge an.')).classes(theme.MUTED)
        ui.button(_('Neues Forum'), icon='add', on_click=lambda: edit_dialog(None)).props('color=primary').mark(
            'new-board')

        @ui.refreshable
        def listing() -> None:
            rows = state['rows']
            if not rows:
                ui.label(_('Noch keine Foren.')).mark('no-boards')
            with ui.element('ol').classes('w-full flex flex-col gap-2').props(f'aria-label="{_("Foren")}"'):
                for index, row in enumerate(rows):
                    with ui.element('li').classes('w-full'), ui.card().classes('w-full p-3').props(
                            'flat bordered').mark(f'board-{row.id}'):
                        with ui.row().classes('w-full items-center justify-between gap-2'):
                            with ui.column().classes('gap-0 min-w-0'):
                                with ui.row().classes('items-center gap-2'):
                                    ui.link(row.name, f'/boards/{row.slug}').classes('font-medium')
                                    if row.archived:
                                        ui.badge(_('archiviert')).props('color=grey-7').mark('archived-badge')
                                    if row.moderators_only:
                                        ui.badge(_('Nur Moderation darf schreiben')).props('color=blue-9').mark(
                                            'moderators-only-badge')
                                threads = _('1 Thema') if row.thread_count == 1 else _(
                                    '{n} Themen', n=row.thread_count)
                                posts = _('1 Beitrag') if row.post_count == 1 else _(
                                    '{n} Beiträge', n=row.post_count)
                                ui.label(f'/boards/{row.slug} · {threads} · {posts}').classes(theme.MUTED)
                            with ui.row().classes('gap-1 items-center'):
                                up = ui.button(icon='arrow_upward', on_click=lambda r=row: act(
                                    boards.move_board, board_id=r.id, offset=-1)).props('flat dense round')
                                aria(up, _('{name} nach oben', name=row.name)).mark(f'up-{row.id}')
                                up.set_enabled(index > 0)
                                down = ui.button(icon='arrow_downward', on_click=lambda r=row: act(
                                    boards.move_board, board_id=r.id, offset=1)).props('flat dense round')
                                aria(down, _('{name} nach unten', name=row.name)).mark(f'down-{row.id}')
                                down.set_enabled(index < len(rows) - 1)
                                edit = ui.button(_('Bearbeiten'), on_click=lambda r=row: edit_dialog(r)).props(
                                    'outline dense no-caps').mark(f'edit-board-{row.id}')
                                aria(edit, _('Bearbeiten: {name}', name=row.name))
                                label = _('Wieder öffnen') if row.archived else _('Archivieren')
                                archive = ui.button(label, on_click=lambda r=row: act(
                                    boards.archive_board, board_id=r.id, archived=not r.archived)).props(
                                    'outline dense no-caps').mark(f'archive-{row.id}')
                                aria(archive, f'{label}: {row.name}')

        async def reload() -> None:
            await load()
            listing.refresh()

        async def act(fn: Any, **kwargs: Any) -> None:
            try:
                await run.io_bound(db.call, fn, actor=user, **kwargs)  # these services return nothing
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            await reload()

        def edit_dialog(row: boards.BoardAdminRow | None) -> None:
            with _dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('board-dialog'):
                Heading(_('Neues Forum') if row is None else _('Forum bearbeiten'), 2)
                form = Form()
                name = form.field('name', ui.input(_('Name'), value=row.name if row else '').props(
                    'maxlength=80').classes('w-full'))
                description = form.field('description', ui.textarea(
                    _('Beschreibung'), value=row.description if row else '').props('maxlength=500 counter')
                    .classes('w-full'))
                slug = form.field('slug', ui.input(_('Adresse (/boards/…)'), value=row.slug if row else '').props(
                    'maxlength=60').classes('w-full'))
                slug.props['hint'] = _('Kleinbuchstaben, Ziffern und Bindestriche; leer lassen: aus dem Namen.')
                moderators_only = ui.checkbox(_('Nur Moderation darf schreiben'),
                                              value=row.moderators_only if row else False).mark('moderators-only')

                async def save() -> None:
                    form.clear()
                    values = {'name': name.value or '', 'description': description.value or '',
                              'slug': slug.value or '', 'moderators_only': bool(moderators_only.value)}
                    try:
                        if row is None:
                            await in_thread(db.call, boards.create_board, actor=user, **values)
                        else:
                            await in_thread(db.call, boards.update_board, actor=user, board_id=row.id, **values)
                    except DomainError as e:
                        form.show(e)
                        return
                    dialog.close()
                    ui.notify(_('Gespeichert.'), type='positive')
                    await reload()

                with ui.row():
                    ui.button(_('Speichern'), on_click=save).props('color=primary').mark('save-board')
                    ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            dialog.open()

        listing()
    return None
