"""The administrations in the network."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.organization import ORGANIZATION_KINDS, Organization
from services import audit
from services.errors import Invalid, NotFound
from services.permissions import require_admin

MAX_NAME = 200


@dataclass(frozen=True)
class OrganizationChoice:
    id: int
    name: str


def _name_key(name: str) -> str:
    return ' '.join(name.split()).casefold()


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


def create_organization(session: Session, *, actor: Any, name: str, kind: str = 'Sonstige',
                        city: str = '') -> Organization:
    """Add an organisation (administrators only)."""
    require_admin(actor)
    if kind not in ORGANIZATION_KINDS:
        raise Invalid('kind', 'Unbekannte Art der Verwaltung.')
    if len(city) > 100:
        raise Invalid('city', 'Höchstens {n} Zeichen.', n=100)
    if session.exec(select(Organization).where(Organization.name_key == _name_key(name))).first():
        raise Invalid('name', 'Diese Verwaltung gibt es schon.')
    org = find_or_add_organization(session, name, field='name')
    org.kind = kind
    org.city = city.strip()
    audit.record(session, 'organization.created', actor_id=actor.id, target_type='organization', target_id=org.id)
    session.commit()
    return org


def count_organizations(session: Session) -> int:
    return session.exec(select(func.count(col(Organization.id)))).one()
