"""The directory (/members), a member's profile (/members/{id}), editing my profile (/profile), avatars."""

import asyncio
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request, Response
from fastapi.responses import FileResponse
from nicegui import app, events, run, ui

from models.profile import Visibility
from services import boards, db, images, members
from services import organizations as orgs
from services import settings as site_settings
from services.errors import DomainError, NotFound
from services.members import Facets, Filters
from ui import theme
from ui.auth import require_user
from ui.components.forms import Form, aria, close_on_choice, named_upload
from ui.components.member import avatar, member_list, tag_chip
from ui.components.pager import pager
from ui.components.text import Heading, Text
from ui.components.threads import thread_section
from ui.i18n import _, error_text, member_count
from ui.layout import frame, not_found_page, page
from ui.params import optional_id, parse_id
from ui.workers import in_thread

SORT_LABELS = {'relevance': 'Relevanz', 'name': 'Name', 'newest': 'Neueste', 'active': 'Zuletzt aktiv'}
VISIBILITY_LABELS = {Visibility.ALL: 'alle Mitglieder', Visibility.ORG: 'meine Verwaltung', Visibility.NONE: 'niemand'}
FILTER_KEYS = ('q', 'org', 'kind', 'level', 'dept', 'topic', 'city')


@app.get('/media/avatars/{name}', include_in_schema=False)
def avatar_file(name: str) -> FileResponse:
    # Behind the guard like every non-public path: only signed-in members see pictures.
    path = images.avatar_path(name)
    if path is None:
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type='image/webp', headers={
        'Cache-Control': 'private, max-age=86400', 'X-Content-Type-Options': 'nosniff'})


# ---------------------------------------------------------------- directory


def _filters_from(params: dict[str, str]) -> Filters:
    try:
        org = optional_id(params.get('org'))
    except ValueError:
        org = None
    return Filters(q=params.get('q', '')[:200], org=org, kind=params.get('kind', '')[:40],
                   level=params.get('level', '')[:40], department=params.get('dept', '')[:120],
                   topic=params.get('topic', '')[:60], city=params.get('city', '')[:100])


def _url(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **changes}
    if any(k in changes for k in FILTER_KEYS):
        merged.pop('page', None)  # a new filter starts at the first page
    clean = {k: v for k, v in merged.items() if v}
    return '/members' + (f'?{urlencode(clean)}' if clean else '')


@page('/members')
async def members_page(request: Request) -> None:
    user = require_user()
    params = {k: v for k, v in request.query_params.items() if k in (*FILTER_KEYS, 'sort', 'page') and v}
    try:
        page_no = max(1, int(params.get('page', '1')))
    except ValueError:
        page_no = 1
    # Queries run in worker threads (a broad search in a large network takes tens of milliseconds, which the
    # event loop owes every other browser). A generation number drops answers that a newer keystroke overtook.
    state: dict = {'params': params, 'page': page_no, 'gen': 0, 'facet_gen': 0}

    async def load_results() -> None:
        state['gen'] += 1
        gen, current = state['gen'], state['params']
        filters = _filters_from(current)
        found = await in_thread(_directory_view, user, filters, current.get('sort', 'relevance'), state['page'])
        if gen == state['gen']:
            state['view'] = found
            await results.refresh()

    async def load_facets() -> None:
        state['facet_gen'] += 1
        gen, current = state['facet_gen'], state['params']
        data = await in_thread(db.call, members.member_facets, viewer=user, filters=_filters_from(current))
        if gen == state['facet_gen']:
            state['facets'] = data
            await facets.refresh()

    with frame(_('Mitglieder'), user=user):
        with ui.row().classes('w-full items-end gap-3'):
            search = ui.input(_('Suche nach Name, Thema, Amt, Verwaltung …'), value=params.get('q', '')).props(
                'type=search clearable maxlength=200 debounce=300 autofocus').classes('grow').mark('member-search')
            sort = ui.select({k: _(v) for k, v in SORT_LABELS.items()}, label=_('Sortierung'),
                             value=params.get('sort') if params.get('sort') in SORT_LABELS else 'relevance'
                             ).classes('w-44').mark('member-sort')
            ui.link(_('Alle Verwaltungen'), '/organizations').classes('pb-2')

        with ui.row().classes('w-full gap-6 items-start no-wrap max-md:flex-wrap'):
            # On a phone the results come first and the filters below them.
            facets_column = ui.column().classes('w-64 shrink-0 gap-3 max-md:w-full max-md:order-last')
            results_column = ui.column().classes('grow gap-2 min-w-0')

        @ui.refreshable
        def results() -> None:
            view = state.get('view')
            if view is None:
                return
            current = state['params']
            filters, result = view.filters, view.page
            _active_filters(current, filters)
            ui.label(member_count(result.total)).classes(
                'font-medium').props('role=status aria-live=polite').mark('result-count')
            if result.ranked_among:
                ui.label(_('Sehr viele Treffer: nach Relevanz geordnet sind die {n} zuletzt beigetretenen. '
                           'Ein weiteres Wort oder ein Filter grenzt die Suche ein.', n=f'{result.ranked_among:,}'
                           .replace(',', '.'))).classes(theme.MUTED).mark('ranked-among')
            if view.helpers:
                _helpers_box(view.helpers)
            if not result.items:
                with ui.column().classes('gap-1').mark('empty-result'):
                    ui.label(_('Keine Mitglieder gefunden.'))
                    if not filters.empty:
                        ui.link(_('Filter zurücksetzen'), '/members').mark('clear-filters')
            member_list(result.items, label=_('Suchergebnisse')).mark('member-list')
            pager(result.page, result.pages, lambda n: _url(current, page=str(n)))
            if view.recent:
                with ui.column().classes('w-full gap-1 mt-4').mark('recent-members'):
                    Heading(_('Neu im Netzwerk'), 2)
                    member_list(view.recent)

        @ui.refreshable
        def facets() -> None:
            data = state.get('facets')
            if data is None:
                ui.label(_('Filter werden gezählt …')).classes(theme.MUTED).mark('facets-loading')
                return
            _facet_lists(state['params'], data)

        async def apply(**changes: str | None) -> None:
            state['params'] = {k: v for k, v in {**state['params'], **changes}.items() if v}
            state['page'] = 1
            ui.navigate.history.replace(_url(state['params']))
            await asyncio.gather(load_results(), load_facets())

        search.on_value_change(lambda e: apply(q=(e.value or '').strip()))
        sort.on_value_change(lambda e: apply(sort=e.value if e.value != 'relevance' else None))
        with facets_column:
            facets()
        with results_column:
            results()
        await load_results()
        # Facets may take longer on a broad search: the page is shown first, the counts follow.
        ui.timer(0, load_facets, once=True)


@dataclass(frozen=True)
class _DirectoryView:
    filters: Filters
    page: members.MemberPage
    helpers: list[members.MemberCard]
    recent: list[members.MemberCard]


def _directory_view(user: Any, filters: Filters, sort: str, page_no: int) -> _DirectoryView:
    """Everything the result column shows, read in one session (runs in a worker thread)."""
    with db.session() as session:
        result = members.search_members(session, viewer=user, filters=filters, sort=sort, page=page_no)
        helpers = members.helpers_for_topic(session, viewer=user, topic=filters.topic) if filters.topic else []
        recent = members.recent_members(session, viewer=user, limit=6) if filters.empty and result.page == 1 else []
    return _DirectoryView(filters, result, helpers, recent)


def _active_filters(params: dict[str, str], filters: Filters) -> None:
    labels = []
    if filters.org:
        labels.append(('org', _('Verwaltung')))
    for key, label in (('kind', _('Art')), ('level', _('Ebene')), ('dept', _('Fachbereich')), ('topic', _('Thema')),
                       ('city', _('Ort'))):
        if params.get(key):
            labels.append((key, label))
    if not labels:
        return
    with ui.row().classes('gap-2 items-center flex-wrap').mark('active-filters'):
        for key, label in labels:
            value = params[key]
            if key == 'topic':
                value = db.call(members.tag_name, value) or value
            elif key == 'org':
                try:
                    value = db.call(orgs.get_organization, parse_id(params['org'])).name
                except (DomainError, ValueError):
                    value = params['org']
            ui.link(f'{label}: {value} ✕', _url(params, **{key: None})).classes(
                'no-underline text-sm bg-primary text-white rounded-full px-3 py-1').props(
                f'aria-label="{_("Filter entfernen")}: {label} {value}"')
        ui.link(_('Filter zurücksetzen'), '/members').classes('text-sm')


def _facet_lists(params: dict[str, str], data: Facets) -> None:
    """The filter lists as one block of escaped HTML: a broad directory has a hundred and more values, and three
    NiceGUI elements per value made them the costliest part of the page to build and to keep (soak benchmark)."""
    groups = (('org', _('Verwaltung'), data.organizations), ('kind', _('Art'), data.kinds),
              ('level', _('Ebene'), data.levels), ('dept', _('Fachbereich'), data.departments),
              ('topic', _('Thema'), data.topics), ('city', _('Ort'), data.cities))
    parts = [f'<nav aria-label="{escape(_("Filter"))}" class="w-full flex flex-col gap-3">']
    for key, title, values in groups:
        if not values:
            continue
        parts.append(f'<div class="flex flex-col gap-0 w-full" data-facet="{key}">'
                     f'<h2 class="text-base font-semibold text-slate-900">{escape(title)}</h2><ul class="w-full">')
        for facet in values:
            selected = params.get(key) == facet.value
            label = _(facet.label) if key in ('kind', 'level') else facet.label
            href = _url(params, **{key: None if selected else facet.value})
            parts.append(
                '<li class="flex flex-nowrap justify-between gap-2 text-sm min-w-0">'  # Quasar's .flex wraps
                f'<a class="nicegui-link truncate min-w-0{" font-bold" if selected else ""}" href="{escape(href)}"'
                f'{" aria-current=true" if selected else ""}>{escape(label)}</a>'
                f'<span class="text-slate-600" aria-label="{escape(member_count(facet.count))}">{facet.count}</span>'
                '</li>')
        parts.append('</ul></div>')
    parts.append('</nav>')
    ui.html(''.join(parts)).classes('w-full').mark('facets')


def _helpers_box(helpers: list[members.MemberCard]) -> None:
    with ui.card().classes(theme.CARD).props('flat bordered').mark('topic-helpers'):
        Heading(_('Kolleg:innen, die helfen können'), 2)
        ui.label(_('Aus anderen Verwaltungen, mit passendem Angebot.')).classes(theme.MUTED)
        member_list(helpers)


# ---------------------------------------------------------------- a member's profile


@page('/members/{member_id}')
def member_page(member_id: str) -> Response | None:
    user = require_user()
    try:
        view = db.call(members.get_member, viewer=user, member_id=parse_id(member_id))
    except (NotFound, ValueError):
        return not_found_page(user, _('Dieses Mitglied gibt es nicht (mehr).'), _('Zum Mitgliederverzeichnis'),
                              '/members')
    with frame(view.name, user=user):
        with ui.row().classes('items-center gap-4'):
            avatar(view.name, view.avatar, size='96px')
            with ui.column().classes('gap-0'):
                if view.pronouns:
                    ui.label(view.pronouns).classes(theme.MUTED).mark('pronouns')
                ui.label(' · '.join(p for p in (view.position, view.department) if p)).classes('text-lg')
                if view.organization_id:
                    ui.link(view.organization, f'/organizations/{view.organization_id}')
        if view.is_self:
            ui.link(_('Profil bearbeiten'), '/profile').mark('edit-profile')
        elif db.call(site_settings.get_setting, 'module_messages'):
            # Opens our conversation if there is one, else a new message to this member (see /messages?to=).
            ui.button(_('Nachricht schreiben'), icon='mail',
                      on_click=lambda: ui.navigate.to(f'/messages?to={view.id}')).props(
                'outline no-caps').mark('write-message')
        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Kontakt'), 2)
            rows = ((_('E-Mail'), view.email), (_('Telefon'), view.phone), (_('Ort'), view.location),
                    (_('Weitere Kanäle'), view.other_contact or None))
            with ui.element('dl').classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
                for label, value in rows:
                    if value is None:
                        continue
                    Text('dt', label).classes('text-slate-600')
                    with ui.element('dd'):
                        if value == view.email:
                            ui.link(value, f'mailto:{value}').mark('email')
                        else:
                            Text('span', value)
            if not any(v for _, v in rows):
                ui.label(_('Keine Kontaktdaten freigegeben.')).classes(theme.MUTED)
        for title, tags, marker in ((_('Arbeitet an'), view.topics, 'topics'),
                                    (_('Kann helfen bei'), view.offers, 'offers'),
                                    (_('Sucht'), view.needs, 'needs')):
            if tags:
                with ui.column().classes('gap-1').mark(marker):
                    Heading(title, 2)
                    with ui.row().classes('gap-1 flex-wrap'):
                        for tag in tags:
                            tag_chip(tag)
        if view.bio_html:
            Heading(_('Über mich'), 2)
            ui.html(view.bio_html).classes('prose max-w-3xl').mark('bio')
        threads = db.call(boards.threads_by, viewer=user, author_id=view.id)
        thread_section(_('Themen in den Foren'), threads, empty=_('Noch keine Themen begonnen.'),
                       marker='member-threads')
        ui.link(_('Alle Beiträge von {name}', name=view.name), f'/search?author={view.id}').mark('member-posts')


# ---------------------------------------------------------------- editing my profile


@page('/profile')
def profile_page() -> None:
    user = require_user()
    own = db.call(members.get_own_profile, actor=user)
    org_names = [o.name for o in db.call(orgs.list_organization_choices)]
    known_tags = db.call(members.popular_tags)
    with frame(_('Mein Profil'), user=user):
        ui.link(_('So sehen andere mein Profil'), f'/members/{user.id}')
        with ui.card().classes(theme.CARD).props('flat bordered'):
            Heading(_('Bild'), 2)

            @ui.refreshable
            def picture() -> None:
                current = db.call(members.get_own_profile, actor=user)
                with ui.row().classes('items-center gap-4'):
                    avatar(current.name, current.avatar, size='96px')
                    if current.avatar:
                        ui.button(_('Bild entfernen'), on_click=remove_picture).props('outline').mark('remove-avatar')

            async def upload(e: events.UploadEventArguments) -> None:
                data = await e.file.read()
                try:
                    await run.io_bound(db.call, members.set_avatar, actor=user, user_id=user.id, data=data)
                except DomainError as err:
                    ui.notify(error_text(err), type='negative')
                    return
                finally:
                    uploader.reset()
                ui.notify(_('Bild gespeichert.'), type='positive')
                picture.refresh()

            def remove_picture() -> None:
                db.call(members.remove_avatar, actor=user, user_id=user.id)
                picture.refresh()

            picture()
            uploader = ui.upload(label=_('Neues Bild (PNG, JPEG oder WebP, höchstens 2 MB)'), auto_upload=True,
                                 on_upload=upload, max_file_size=images.MAX_AVATAR_BYTES,
                                 on_rejected=lambda: ui.notify(_('Das Bild ist größer als {mb} MB.', mb=2),
                                                               type='negative')
                                 ).props('accept=".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp"').classes(
                                     'max-w-md').mark('avatar-upload')
            named_upload(uploader, _('Bild auswählen'))

        form_column = ui.column().classes('w-full max-w-2xl gap-3')
        with form_column:
            form = Form()
            name = form.field('name', ui.input(_('Name'), value=own.name).props('maxlength=100 autocomplete=name'))
            pronouns = form.field('pronouns', ui.input(_('Pronomen (optional)'), value=own.pronouns).props(
                'maxlength=40'))
            organization = form.field('organization', close_on_choice(ui.select(
                sorted({*org_names, own.organization} - {''}), label=_('Verwaltung'), value=own.organization or None,
                with_input=True, new_value_mode='add-unique').props('maxlength=200')))
            department = form.field('department', ui.input(_('Fachbereich / Amt'), value=own.department).props(
                'maxlength=120'))
            position = form.field('position', ui.input(_('Funktion / Position'), value=own.position).props(
                'maxlength=120'))
            topics = form.field('topics', _tag_select(_('Themen, an denen ich arbeite'), own.topics, known_tags))
            offers = form.field('offers', _tag_select(_('Ich kann helfen bei'), own.offers, known_tags))
            needs = form.field('needs', _tag_select(_('Ich suche'), own.needs, known_tags))
            bio = form.field('bio', ui.textarea(_('Über mich (Markdown, höchstens 4000 Zeichen)'), value=own.bio)
                             .props('maxlength=4000 counter autogrow'))
            Heading(_('Kontakt und Sichtbarkeit'), 2)
            with ui.row().classes('w-full items-end gap-3'):
                ui.label(_('E-Mail: {email}', email=user.email)).classes('grow pb-2')
                email_vis = form.field('email_visibility', _visibility(_('E-Mail sichtbar für'), own.email_visibility))
            with ui.row().classes('w-full items-end gap-3'):
                phone = form.field('phone', ui.input(_('Telefon'), value=own.phone).props(
                    'maxlength=40 type=tel autocomplete=tel').classes('grow'))
                phone_vis = form.field('phone_visibility', _visibility(_('Telefon sichtbar für'),
                                                                       own.phone_visibility))
            with ui.row().classes('w-full items-end gap-3'):
                location = form.field('location', ui.input(_('Ort / Dienstsitz'), value=own.location).props(
                    'maxlength=100').classes('grow'))
                location_vis = form.field('location_visibility', _visibility(_('Ort sichtbar für'),
                                                                             own.location_visibility))
            other = form.field('other_contact', ui.input(_('Weitere Kanäle (z. B. Matrix, Teams)'),
                                                         value=own.other_contact).props('maxlength=300'))
            for element in (name, pronouns, organization, department, position, topics, offers, needs, bio, other):
                element.classes('w-full')

            async def save() -> None:
                try:
                    await run.io_bound(
                        db.call, members.update_profile, actor=user, user_id=user.id, name=name.value or '',
                        organization=organization.value or '', pronouns=pronouns.value or '',
                        department=department.value or '', position=position.value or '',
                        location=location.value or '', bio=bio.value or '', phone=phone.value or '',
                        other_contact=other.value or '', email_visibility=email_vis.value,
                        phone_visibility=phone_vis.value, location_visibility=location_vis.value,
                        topics=list(topics.value or []), offers=list(offers.value or []), needs=list(needs.value or []))
                except DomainError as e:
                    form.show(e)
                    return
                form.clear()
                ui.notify(_('Profil gespeichert.'), type='positive')

            ui.button(_('Profil speichern'), on_click=save).props('color=primary').mark('save-profile')


def _tag_select(label: str, value: tuple[str, ...], known: list[str]) -> ui.select:
    select = ui.select(sorted({*known, *value}, key=str.casefold), label=label, value=list(value), multiple=True,
                       with_input=True, new_value_mode='add-unique').props('use-chips hide-dropdown-icon')
    select.props['hint'] = _('Tippen zeigt vorhandene Schlagwörter; Enter legt ein neues an.')
    return select


def _visibility(label: str, value: str) -> ui.select:
    select = ui.select({k.value: _(v) for k, v in VISIBILITY_LABELS.items()}, label=label, value=value).classes('w-56')
    aria(select, label)
    return select
