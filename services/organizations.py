"""The administrations in the network."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.organization import ORGANIZATION_KINDS, Organization
from services import audit
from services.errors import Invalid, NotFound
from services.permissions import require_active, require_admin

MAX_NAME = 200


@dataclass(frozen=True)
class OrganizationChoice:
    id: int
    name: str


def _name_key(name: str) -> str:
    return ' '.join(name.split()).casefold()


def _clean_website(website: str) -> str:
    website = website.strip()
    if website and (len(website) > 300 or not website.startswith(('https://', 'http://'))):
        raise Invalid('website', 'Bitte eine Adresse mit https:// angeben.')
    return website


def list_organization_choices(session: Session, *, limit: int = 1000) -> list[OrganizationChoice]:
    """Id and name of every organisation, by name, for pickers."""
    rows = session.exec(select(Organization.id, Organization.name).order_by(Organization.name_key).limit(limit))
    return [OrganizationChoice(id=r[0], name=r[1]) for r in rows]


def get_organization(session: Session, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound('Diese Verwaltung gibt es nicht.')
    return org


def find_or_add_organization(session: Session, name: str, *, field: str = 'organization') -> Organization:
    """The organisation of that name (ignoring case and spaces), added as 'Sonstige' if new; not committed."""
    clean = ' '.join(name.split())
    if not clean:
        raise Invalid(field, 'Bitte wählen oder nennen Sie Ihre Verwaltung.')
    if len(clean) > MAX_NAME:
        raise Invalid(field, 'Höchstens {n} Zeichen.', n=MAX_NAME)
    existing = session.exec(select(Organization).where(Organization.name_key == _name_key(clean))).first()
    if existing:
        return existing
    org = Organization(name=clean, name_key=_name_key(clean), kind='Sonstige')
    session.add(org)
    session.flush()
    return org


def create_organization(session: Session, *, actor: Any, name: str, kind: str = 'Sonstige', level: str = 'sonstige',
                        city: str = '', website: str = '') -> Organization:
    """Add an organisation (administrators only)."""
    from models.organization import ORGANIZATION_LEVELS

    require_admin(actor)
    if level not in ORGANIZATION_LEVELS:
        raise Invalid('level', 'Unbekannte Ebene.')
    website = _clean_website(website)
    if kind not in ORGANIZATION_KINDS:
        raise Invalid('kind', 'Unbekannte Art der Verwaltung.')
    if len(city) > 100:
        raise Invalid('city', 'Höchstens {n} Zeichen.', n=100)
    if session.exec(select(Organization).where(Organization.name_key == _name_key(name))).first():
        raise Invalid('name', 'Diese Verwaltung gibt es schon.')
    org = find_or_add_organization(session, name, field='name')
    org.kind, org.level, org.city, org.website = kind, level, city.strip(), website
    audit.record(session, 'organization.created', actor_id=actor.id, target_type='organization', target_id=org.id)
    session.commit()
    return org


def count_organizations(session: Session) -> int:
    return session.exec(select(func.count(col(Organization.id)))).one()


@dataclass(frozen=True)
class OrganizationRow:
    id: int
    name: str
    kind: str
    level: str
    city: str
    website: str
    members: int


def list_organizations(session: Session, *, viewer: Any, limit: int = 500, offset: int = 0) -> list[OrganizationRow]:
    """The administrations in the network with their active member counts, by name."""
    from models.user import Status, User

    require_active(viewer)
    members = (
        select(User.organization_id, func.count(col(User.id)).label('n'))
        .where(User.status == Status.ACTIVE).group_by(User.organization_id).subquery()
    )
    rows = session.exec(
        select(Organization, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.organization_id == Organization.id)
        .order_by(Organization.name_key).offset(max(offset, 0)).limit(min(limit, 1000))
    )
    return [OrganizationRow(o.id, o.name, o.kind, o.level, o.city, o.website, n) for o, n in rows]  # type: ignore[arg-type]


def update_organization(session: Session, *, actor: Any, org_id: int, name: str, kind: str, level: str, city: str = '',
                        website: str = '') -> Organization:
    """Change an organisation's details (administrators only); its members' search entries follow."""
    from models.organization import ORGANIZATION_LEVELS

    require_admin(actor)
    org = get_organization(session, org_id)
    clean = ' '.join(name.split())
    if not clean:
        raise Invalid('name', 'Bitte geben Sie einen Namen ein.')
    if len(clean) > MAX_NAME:
        raise Invalid('name', 'Höchstens {n} Zeichen.', n=MAX_NAME)
    other = session.exec(select(Organization).where(Organization.name_key == _name_key(clean))).first()
    if other is not None and other.id != org_id:
        raise Invalid('name', 'Diese Verwaltung gibt es schon.')
    if kind not in ORGANIZATION_KINDS:
        raise Invalid('kind', 'Unbekannte Art der Verwaltung.')
    if level not in ORGANIZATION_LEVELS:
        raise Invalid('level', 'Unbekannte Ebene.')
    if len(city) > 100:
        raise Invalid('city', 'Höchstens {n} Zeichen.', n=100)
    website = _clean_website(website)
    org.name, org.name_key, org.kind, org.level, org.city, org.website = (
        clean, _name_key(clean), kind, level, city.strip(), website)
    session.add(org)
    audit.record(session, 'organization.updated', actor_id=actor.id, target_type='organization', target_id=org_id)
    from models.user import User
    from services import members

    for user_id in session.exec(select(User.id).where(User.organization_id == org_id)):
        members.reindex_member(session, user_id)  # type: ignore[arg-type]
    session.commit()
    return org


def set_organization_logo(session: Session, *, actor: Any, org_id: int, data: bytes | None) -> str:
    """Store (or with None remove) an organisation's logo, checked and re-encoded like an avatar (administrators)."""
    from services import images

    require_admin(actor)
    name = images.save_avatar(data) if data is not None else ''  # Pillow first: no transaction waits for it
    try:
        org = get_organization(session, org_id)
    except NotFound:
        images.delete_avatar(name)
        raise
    old, org.logo = org.logo, name
    session.add(org)
    audit.record(session, 'organization.logo_changed', actor_id=actor.id, target_type='organization', target_id=org_id)
    session.commit()
    if old:
        images.delete_avatar(old)
    return name


# ---------------------------------------------------------------- administration

ADMIN_PAGE_SIZE = 50
REINDEX_BATCH = 200  # members re-indexed per transaction after a merge


@dataclass(frozen=True)
class OrganizationAdminRow:
    id: int
    name: str
    kind: str
    level: str
    city: str
    website: str
    logo: str
    accounts: int  # every account that belongs to it, whatever its state


@dataclass(frozen=True)
class MergePreview:
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    accounts: int
    references: dict[str, int]  # table → rows that point to the source


def _like(query: str) -> str:
    escaped = query.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
    return f'%{escaped}%'


def list_organizations_for_admin(session: Session, *, actor: Any, query: str = '', page: int = 1,
                                 page_size: int = ADMIN_PAGE_SIZE) -> tuple[list[OrganizationAdminRow], int]:
    """One page of organisations by name, optionally those whose name contains `query`, and how many there are."""
    from models.user import User

    require_admin(actor)
    page_size = max(1, min(page_size, 200))
    condition = col(Organization.name_key).like(_like(_name_key(query or '')[:MAX_NAME]), escape='\\')
    total = session.exec(select(func.count(col(Organization.id))).where(condition)).one()
    orgs = list(session.exec(select(Organization).where(condition).order_by(Organization.name_key, Organization.id)
                             .offset((max(1, page) - 1) * page_size).limit(page_size)))
    ids = [o.id for o in orgs]
    counts = dict(session.exec(select(User.organization_id, func.count(col(User.id))).where(
        col(User.organization_id).in_(ids)).group_by(User.organization_id)).all()) if ids else {}
    rows = [OrganizationAdminRow(o.id, o.name, o.kind, o.level, o.city, o.website, o.logo,  # type: ignore[arg-type]
                                 counts.get(o.id, 0)) for o in orgs]
    return rows, total


def _references() -> list[Any]:
    """Every column of every table that points to organization.id (found in the schema, so none is forgotten)."""
    from sqlmodel import SQLModel

    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == 'organization' and fk.column.name == 'id' for fk in column.foreign_keys):
                found.append(column)
    return found


def _merge_pair(session: Session, source_id: int, target_id: int) -> tuple[Organization, Organization]:
    if source_id == target_id:
        raise Invalid('target', 'Eine Verwaltung kann nicht mit sich selbst zusammengeführt werden.')
    return get_organization(session, source_id), get_organization(session, target_id)


def merge_preview(session: Session, *, actor: Any, source_id: int, target_id: int) -> MergePreview:
    """What a merge would move: both names and how many rows point to the source (administrators only)."""
    from sqlalchemy import select as sa_select

    require_admin(actor)
    source, target = _merge_pair(session, source_id, target_id)
    references = {}
    for column in _references():
        references[column.table.name] = references.get(column.table.name, 0) + session.execute(
            sa_select(func.count()).select_from(column.table).where(column == source_id)).scalar_one()
    return MergePreview(source_id, source.name, target_id, target.name, references.get('user', 0), references)


def merge_organizations(session: Session, *, actor: Any, source_id: int, target_id: int) -> MergePreview:
    """Fold a duplicate into the organisation that stays: members, events, invitations (every reference) move to
    the target, the source and its logo go. One audit entry names both and the counts. Administrators only."""
    from sqlalchemy import update as sa_update

    from models.user import User
    from services import bus, images, members

    require_admin(actor)
    preview = merge_preview(session, actor=actor, source_id=source_id, target_id=target_id)
    source = get_organization(session, source_id)
    moved_users = list(session.exec(select(User.id).where(User.organization_id == source_id)))
    for column in _references():
        session.execute(sa_update(column.table).where(column == source_id).values({column.name: target_id}))
    logo = source.logo
    session.delete(source)
    audit.record(session, 'organization.merged', actor_id=actor.id, target_type='organization', target_id=target_id,
                 source=preview.source_name, source_id=source_id, target=preview.target_name,
                 accounts=preview.accounts, moved=preview.references)
    session.commit()
    if logo:
        images.delete_avatar(logo)
    # The directory's index holds each member's organisation name: brought up to date in short transactions, so a
    # merge of thousands of members does not hold the database for all of them at once.
    for start in range(0, len(moved_users), REINDEX_BATCH):
        for user_id in moved_users[start:start + REINDEX_BATCH]:
            members.reindex_member(session, user_id)  # type: ignore[arg-type]
        session.commit()
    members.forget_cached_facets()
    bus.publish('organizations.merged', source_id=source_id, target_id=target_id, accounts=preview.accounts)
    return preview
