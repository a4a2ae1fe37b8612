"""A believable demo network (German data), idempotent, refusing databases with real content."""

import random
import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.organization import Organization
from models.user import Role, Status, User
from services import audit, passwords
from services import organizations as orgs

DEMO_DOMAIN = 'example'  # RFC 2606: reserved, so no demo mail can reach a real person
DEMO_PASSWORD = 'Demo-Netzwerk-2026'  # noqa: S105 - printed on purpose: demo accounts only
MEMBER_COUNT = 200

ORGANIZATIONS = (
    ('Stadt Essen', 'Kommune', 'Essen', 'essen'),
    ('Stadt Lünen', 'Kommune', 'Lünen', 'luenen'),
    ('Kreis Wesel', 'Kreis', 'Wesel', 'kreis-wesel'),
    ('Regionalverband Ruhr', 'Verband', 'Essen', 'rvr'),
    ('Stadt Duisburg', 'Kommune', 'Duisburg', 'duisburg'),
    ('Stadt Bochum', 'Kommune', 'Bochum', 'bochum'),
    ('Ministerium des Innern NRW', 'Land', 'Düsseldorf', 'im-nrw'),
    ('Stadt Dortmund', 'Kommune', 'Dortmund', 'dortmund'),
    ('Stadt Gelsenkirchen', 'Kommune', 'Gelsenkirchen', 'gelsenkirchen'),
    ('Kreis Recklinghausen', 'Kreis', 'Recklinghausen', 'kreis-re'),
    ('Stadt Oberhausen', 'Kommune', 'Oberhausen', 'oberhausen'),
    ('Hochschule für Polizei und öffentliche Verwaltung NRW', 'Hochschule', 'Gelsenkirchen', 'hspv'),
)

FIRST_NAMES = (
    'Anna', 'Jörg', 'Sabine', 'Mehmet', 'Katharina', 'Thomas', 'Ayşe', 'Michael', 'Julia', 'Stefan', 'Claudia',
    'Andreas', 'Nicole', 'Dirk', 'Sandra', 'Markus', 'Petra', 'Frank', 'Birgit', 'Jürgen', 'Lena', 'Tobias',
    'Miriam', 'Sven', 'Elif', 'Kai', 'Ute', 'Björn', 'Jana', 'Uwe', 'Melanie', 'Oliver', 'Fatma', 'Christian',
    'Martina', 'Daniel', 'Heike', 'Lukas', 'Sophie', 'Ralf', 'Anja', 'Matthias', 'Nadine', 'Marco', 'Gabriele',
    'Timo', 'Zeynep', 'Holger', 'Franziska', 'Sebastian',
)
LAST_NAMES = (
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
    'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
    'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier',
    'Lehmann', 'Yılmaz', 'Kaya', 'Demir', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber', 'Kaiser',
    'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Vogel',
)


@dataclass(frozen=True)
class SeedResult:
    organizations_added: int
    members_added: int


class RealContent(Exception):
    """The database holds accounts or organisations that are not demo data."""


def _ascii(text: str) -> str:
    text = text.lower().replace('ä', 'ae').replace('ö', 'oe').replace('ü', 'ue').replace('ß', 'ss')
    text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    return ''.join(ch for ch in text if ch.isalnum() or ch in '.-')


def _is_demo_email(email_key: str) -> bool:
    return email_key.endswith('.' + DEMO_DOMAIN)


def has_real_content(session: Session) -> bool:
    """Members or organisations that seed-demo did not make (administrators set up by hand do not count)."""
    demo_orgs = {name.casefold() for name, *_ in ORGANIZATIONS}
    for org_key in session.exec(select(Organization.name_key)):
        if org_key not in demo_orgs:
            return True
    for email_key in session.exec(select(User.email_key).where(User.role != Role.ADMIN)):
        if not _is_demo_email(email_key):
            return True
    return False


def seed_demo(session: Session, *, force: bool = False, members: int = MEMBER_COUNT) -> SeedResult:
    """Add the demo administrations and members; a second run adds nothing."""
    if not force and has_real_content(session):
        raise RealContent()
    rng = random.Random(2026)  # noqa: S311 - demo data, fixed seed so every run yields the same network
    org_ids: list[tuple[int, str]] = []
    orgs_added = 0
    for name, kind, city, slug in ORGANIZATIONS:
        before = session.exec(select(Organization).where(Organization.name_key == name.casefold())).first()
        org = before or orgs.find_or_add_organization(session, name)
        if before is None:
            org.kind, org.city = kind, city
            session.add(org)
            orgs_added += 1
        org_ids.append((org.id, slug))  # type: ignore[arg-type]
    session.flush()

    existing = set(session.exec(select(User.email_key).where(col(User.email_key).like(f'%.{DEMO_DOMAIN}'))))
    # One hash for every demo account: 200 Argon2 hashes would take half a minute for nothing.
    shared_hash = passwords.hash_password(DEMO_PASSWORD)
    added = 0
    seen: set[str] = set()
    i = 0
    while len(seen) < members:
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        org_id, slug = org_ids[i % len(org_ids)]
        i += 1
        email = f'{_ascii(first)}.{_ascii(last)}@{slug}.{DEMO_DOMAIN}'
        if email in seen:
            continue
        seen.add(email)
        if email in existing:
            continue
        n = len(seen)
        role = Role.MODERATOR if n % 50 == 0 else Role.MEMBER
        status = Status.PENDING if n % 40 == 7 else Status.ACTIVE
        session.add(User(name=f'{first} {last}', email=email, email_key=email, password_hash=shared_hash, role=role,
                         status=status, organization_id=org_id))
        added += 1
    if orgs_added or added:
        audit.record(session, 'demo.seeded', organizations=orgs_added, members=added)
        session.commit()
    return SeedResult(orgs_added, added)
