"""Organisations: listing with member counts, adding and editing (administrators only), reuse by name."""

import json

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from models.audit import AuditEntry
from models.organization import Organization
from models.user import Role, Status, User
from services import members
from services import organizations as orgs
from services.accounts import CurrentUser
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


def create(session: Session, actor: CurrentUser, **overrides: object) -> Organization:
    data: dict = {'name': 'Stadt Essen', 'kind': 'Kommune', 'level': 'kommunal', 'city': 'Essen',
                  'website': 'https://www.essen.de'}
    data.update(overrides)
    return orgs.create_organization(session, actor=actor, **data)


def edit(session: Session, actor: CurrentUser, org_id: int, **overrides: object) -> Organization:
    data: dict = {'name': 'Stadt Essen', 'kind': 'Kommune', 'level': 'kommunal', 'city': 'Essen',
                  'website': 'https://www.essen.de'}
    data.update(overrides)
    return orgs.update_organization(session, actor=actor, org_id=org_id, **data)


def stored(session: Session) -> list[Organization]:
    session.expire_all()
    return list(session.exec(select(Organization).order_by(col(Organization.name_key))))


def org_count(session: Session) -> int:
    return session.exec(select(func.count(col(Organization.id)))).one()


def put_into(session: Session, org_id: int, *users: CurrentUser) -> None:
    for user in users:
        session.exec(update(User).where(col(User.id) == user.id).values(organization_id=org_id))  # type: ignore
    session.commit()


def members_of(session: Session, who: CurrentUser, organization: str) -> CurrentUser:
    """Save `who`'s profile with this organisation (which also puts them in the search index)."""
    members.update_profile(session, actor=who, user_id=who.id, name=who.name, organization=organization)
    return who


def search_names(session: Session, viewer: CurrentUser, q: str) -> list[str]:
    page = members.search_members(session, viewer=viewer, filters=members.Filters(q=q))
    return [card.name for card in page.items]


@pytest.fixture
def essen(session: Session, ada_admin: CurrentUser) -> Organization:
    return create(session, ada_admin)


@pytest.fixture
def wesel(session: Session, ada_admin: CurrentUser) -> Organization:
    return create(session, ada_admin, name='Kreis Wesel', kind='Kreis', level='regional', city='Moers', website='')


def change(session: Session, actor: CurrentUser, operation: str, target: Organization | None, **fields: object):
    """Create a new organisation or edit `target` with these fields."""
    if operation == 'create':
        return create(session, actor, **fields)
    assert target is not None
    return edit(session, actor, target.id, **fields)


# ---------------------------------------------------------------- listing


def test_list_organizations_counts_only_active_members(session, essen, wesel, mia_member, mo_moderator, pia_pending,
                                                       dora_deactivated):
    put_into(session, essen.id, mia_member, mo_moderator, pia_pending, dora_deactivated)
    rows = orgs.list_organizations(session, viewer=mia_member)
    assert [(r.name, r.members) for r in rows] == [('Kreis Wesel', 0), ('Stadt Essen', 2)]


def test_list_organizations_returns_the_details(session, essen, mia_member):
    [row] = orgs.list_organizations(session, viewer=mia_member)
    assert (row.id, row.name, row.kind, row.level, row.city, row.website) == (
        essen.id, 'Stadt Essen', 'Kommune', 'kommunal', 'Essen', 'https://www.essen.de')


def test_list_organizations_sorts_by_name_ignoring_case(session, ada_admin):
    for name in ['stadt Bochum', 'Kreis Wesel', 'Amt Hamm', 'Stadt Aachen']:
        create(session, ada_admin, name=name)
    assert [r.name for r in orgs.list_organizations(session, viewer=ada_admin)] == [
        'Amt Hamm', 'Kreis Wesel', 'Stadt Aachen', 'stadt Bochum']


def test_list_organizations_is_bounded_by_limit_and_offset(session, ada_admin):
    for name in ['A', 'B', 'C', 'D']:
        create(session, ada_admin, name=name)
    assert [r.name for r in orgs.list_organizations(session, viewer=ada_admin, limit=2, offset=1)] == ['B', 'C']


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_list_organizations_refuses_inactive_viewer(session, request, persona):
    with pytest.raises(NotAllowed):
        orgs.list_organizations(session, viewer=request.getfixturevalue(persona))


def test_organization_choices_are_sorted_by_name(session, essen, wesel):
    assert [(c.id, c.name) for c in orgs.list_organization_choices(session)] == [
        (wesel.id, 'Kreis Wesel'), (essen.id, 'Stadt Essen')]


def test_get_unknown_organization_is_not_found(session):
    with pytest.raises(NotFound):
        orgs.get_organization(session, 999)


# ---------------------------------------------------------------- creating


def test_create_organization_stores_every_field(session, ada_admin):
    create(session, ada_admin, name='  Kreis   Wesel ', kind='Kreis', level='regional', city=' Moers ',
           website=' https://www.kreis-wesel.de ')
    [org] = stored(session)
    assert (org.name, org.name_key, org.kind, org.level, org.city, org.website) == (
        'Kreis Wesel', 'kreis wesel', 'Kreis', 'regional', 'Moers', 'https://www.kreis-wesel.de')


def test_create_organization_writes_audit_entry(session, ada_admin):
    org = create(session, ada_admin)
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'organization.created')).all()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (ada_admin.id, 'organization', str(org.id))


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator', 'pia_pending'])
def test_create_organization_is_not_allowed_for_non_admins(session, request, persona):
    with pytest.raises(NotAllowed):
        create(session, request.getfixturevalue(persona))
    session.rollback()
    assert org_count(session) == 0


def test_create_organization_is_not_allowed_for_deactivated_admin(session):
    admin = make_user(session, 'Alt Admin', 'alt@essen.de', role=Role.ADMIN, status=Status.DEACTIVATED)
    with pytest.raises(NotAllowed):
        create(session, admin)


# ---------------------------------------------------------------- editing


def test_update_organization_stores_every_field(session, ada_admin, essen):
    edit(session, ada_admin, essen.id, name=' Stadt  Essen an der Ruhr ', kind='Sonstige', level='sonstige',
         city=' Essen-Mitte ', website='http://essen.example')
    [org] = stored(session)
    assert (org.name, org.name_key, org.kind, org.level, org.city, org.website) == (
        'Stadt Essen an der Ruhr', 'stadt essen an der ruhr', 'Sonstige', 'sonstige', 'Essen-Mitte',
        'http://essen.example')


def test_update_organization_writes_audit_entry(session, ada_admin, essen):
    edit(session, ada_admin, essen.id, city='Essen-Mitte')
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'organization.updated')).all()
    assert (entry.actor_id, entry.target_id, json.loads(entry.details)) == (ada_admin.id, str(essen.id), {})


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator', 'pia_pending'])
def test_update_organization_is_not_allowed_for_non_admins(session, request, essen, persona):
    with pytest.raises(NotAllowed):
        edit(session, request.getfixturevalue(persona), essen.id, name='Gehackt')
    session.rollback()
    assert [o.name for o in stored(session)] == ['Stadt Essen']


def test_update_unknown_organization_is_not_found(session, ada_admin):
    with pytest.raises(NotFound):
        edit(session, ada_admin, 999)


def test_update_organization_may_change_only_the_case_of_its_name(session, ada_admin, essen):
    edit(session, ada_admin, essen.id, name='STADT ESSEN')
    assert [o.name for o in stored(session)] == ['STADT ESSEN']


def test_renamed_organization_makes_its_members_findable_by_the_new_name(session, ada_admin, mia_member):
    members_of(session, mia_member, 'Gemeinde Alpen')
    edit(session, ada_admin, session.get(User, mia_member.id).organization_id, name='Stadt Rüttenscheid', city='')
    assert search_names(session, ada_admin, 'Ruettenscheid') == ['Mia Member']
    assert search_names(session, ada_admin, 'Alpen') == []


def test_changed_city_makes_its_members_findable_by_the_new_city(session, ada_admin, mia_member):
    members_of(session, mia_member, 'Stadt Essen')
    edit(session, ada_admin, session.get(User, mia_member.id).organization_id, city='Steele')
    assert search_names(session, ada_admin, 'Steele') == ['Mia Member']


def test_rename_leaves_members_of_other_organizations_alone(session, ada_admin, mia_member, mo_moderator):
    members_of(session, mia_member, 'Stadt Essen')
    members_of(session, mo_moderator, 'Stadt Lünen')
    edit(session, ada_admin, session.get(User, mia_member.id).organization_id, name='Stadt Rüttenscheid')
    assert search_names(session, ada_admin, 'Lünen') == ['Mo Moderator']
    assert search_names(session, ada_admin, 'Rüttenscheid') == ['Mia Member']


# ---------------------------------------------------------------- validation (both when creating and editing)


OPERATIONS = ['create', 'update']


@pytest.fixture
def target(session: Session, ada_admin: CurrentUser) -> Organization:
    """The organisation an 'update' case edits; 'Stadt Essen' exists besides it."""
    create(session, ada_admin)
    return create(session, ada_admin, name='Gemeinde Alpen')


def refused_field(session: Session, actor: CurrentUser, operation: str, target: Organization, **fields: object) -> str:
    """The field named by the Invalid that this change raises; nothing is stored."""
    with pytest.raises(Invalid) as e:
        change(session, actor, operation, target, **fields)
    session.rollback()
    assert [o.name for o in stored(session)] == ['Gemeinde Alpen', 'Stadt Essen']
    return e.value.field


@pytest.mark.parametrize('operation', OPERATIONS)
def test_name_of_existing_organization_is_refused(session, ada_admin, target, operation):
    for name in ['Stadt Essen', 'stadt essen', '  STADT   Essen ']:
        assert refused_field(session, ada_admin, operation, target, name=name) == 'name', name


@pytest.mark.parametrize('operation', OPERATIONS)
def test_empty_or_over_long_name_is_refused(session, ada_admin, target, operation):
    for name in ['', '   ', 'x' * 201]:
        assert refused_field(session, ada_admin, operation, target, name=name) == 'name', name


@pytest.mark.parametrize('operation', OPERATIONS)
def test_name_of_200_characters_is_accepted(session, ada_admin, target, operation):
    assert change(session, ada_admin, operation, target, name='x' * 200).name == 'x' * 200


@pytest.mark.parametrize('operation', OPERATIONS)
def test_unknown_kind_is_refused(session, ada_admin, target, operation):
    for kind in ['', 'Gemeinde', 'kommune']:
        assert refused_field(session, ada_admin, operation, target, name='Neu', kind=kind) == 'kind', kind


@pytest.mark.parametrize('operation', OPERATIONS)
def test_unknown_level_is_refused(session, ada_admin, target, operation):
    for level in ['', 'Kommune', 'land']:
        assert refused_field(session, ada_admin, operation, target, name='Neu', level=level) == 'level', level


@pytest.mark.parametrize('operation', OPERATIONS)
def test_website_without_http_or_over_300_characters_is_refused(session, ada_admin, target, operation):
    for website in ['www.essen.de', 'essen.de', 'ftp://essen.de', 'javascript:alert(1)', 'https:/essen.de',
                    '//essen.de', 'https://' + 'x' * 293]:
        assert refused_field(session, ada_admin, operation, target, name='Neu', website=website) == 'website', website


@pytest.mark.parametrize('operation', OPERATIONS)
@pytest.mark.parametrize('website', ['', 'http://essen.de', 'https://www.essen.de/rathaus', 'https://' + 'x' * 292],
                         ids=['empty', 'http', 'https', '300-characters'])
def test_website_with_http_or_https_is_accepted(session, ada_admin, target, operation, website):
    assert change(session, ada_admin, operation, target, name='Neu', website=website).website == website


@pytest.mark.parametrize('operation', OPERATIONS)
def test_city_over_100_characters_is_refused(session, ada_admin, target, operation):
    assert refused_field(session, ada_admin, operation, target, name='Neu', city='x' * 101) == 'city'


def test_refused_create_adds_no_organization(session, ada_admin):
    with pytest.raises(Invalid):
        create(session, ada_admin, website='www.essen.de')
    session.rollback()
    assert org_count(session) == 0


# ---------------------------------------------------------------- reuse by name


def test_find_or_add_organization_reuses_the_name_ignoring_case_and_spaces(session, essen):
    for typed in ['Stadt Essen', 'stadt essen', 'STADT ESSEN', '  Stadt    Essen  ']:
        assert orgs.find_or_add_organization(session, typed).id == essen.id, typed
    assert org_count(session) == 1


def test_find_or_add_organization_adds_a_new_one_as_other(session):
    org = orgs.find_or_add_organization(session, '  Gemeinde   Alpen ')
    session.commit()
    [stored_org] = stored(session)
    assert (stored_org.id, stored_org.name, stored_org.name_key, stored_org.kind, stored_org.level) == (
        org.id, 'Gemeinde Alpen', 'gemeinde alpen', 'Sonstige', 'sonstige')


def test_find_or_add_organization_does_not_commit(session):
    orgs.find_or_add_organization(session, 'Gemeinde Alpen')
    session.rollback()
    assert org_count(session) == 0


def test_find_or_add_organization_refuses_empty_or_over_long_name_naming_the_field(session):
    for name in ['', '  ', 'x' * 201]:
        with pytest.raises(Invalid) as e:
            orgs.find_or_add_organization(session, name, field='org')
        assert e.value.field == 'org', name

