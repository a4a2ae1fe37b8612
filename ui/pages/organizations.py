"""The administrations in the network (/organizations) and one administration with its members."""

from fastapi import Request, Response
from nicegui import ui

from services import db, members
from services import organizations as orgs
from services.errors import NotFound
from services.members import Filters
from ui import theme
from ui.auth import require_user
from ui.components.member import avatar_url, member_list
from ui.components.pager import pager
from ui.components.text import Heading
from ui.i18n import _, member_count
from ui.layout import frame, not_found_page, page
from ui.params import parse_id

PAGE_SIZE = 50


@page('/organizations')
def organizations_page() -> None:
    user = require_user()
    rows = db.call(orgs.list_organizations, viewer=user)
    with frame(_('Verwaltungen im Netzwerk'), user=user):
        ui.label(_('{n} Verwaltungen', n=len(rows))).classes(theme.MUTED)
        with ui.element('ul').classes('w-full divide-y divide-slate-200').mark('organization-list'):
            for org in rows:
                with ui.element('li').classes('flex justify-between items-center gap-3 py-2'):
                    with ui.column().classes('gap-0'):
                        ui.link(org.name, f'/organizations/{org.id}').classes('font-medium')
                        ui.label(' · '.join(p for p in (_(org.kind), org.city) if p)).classes(theme.MUTED)
                    ui.link(member_count(org.members), f'/members?org={org.id}').classes('text-sm')


@page('/organizations/{org_id}')
def organization_page(org_id: str, request: Request) -> Response | None:
    user = require_user()
    try:
        org = db.call(orgs.get_organization, parse_id(org_id))
    except (NotFound, ValueError):
        return not_found_page(user, _('Diese Verwaltung gibt es nicht.'), _('Alle Verwaltungen'), '/organizations')
    try:
        page_no = max(1, int(request.query_params.get('page', '1')))
    except ValueError:
        page_no = 1
    result = db.call(members.search_members, viewer=user, filters=Filters(org=org.id), sort='name', page=page_no,
                     page_size=PAGE_SIZE)
    with frame(org.name, user=user):
        if org.logo:
            ui.image(avatar_url(org.logo)).props('alt=""').classes('w-24 h-24 rounded')
        ui.label(' · '.join(p for p in (_(org.kind), _(org.level), org.city) if p)).classes(theme.MUTED)
        if org.website:
            ui.link(org.website, org.website, new_tab=True).props('rel="noopener nofollow"')
        Heading(member_count(result.total), 2)
        member_list(result.items, label=member_count(result.total)).mark('member-list')
        pager(result.page, result.pages, lambda n: f'/organizations/{org.id}?page={n}')
