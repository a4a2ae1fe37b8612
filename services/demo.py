"""A believable demo network (German data), idempotent, refusing databases with real content."""

import random
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from models.base import utcnow
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, TagKind, Visibility
from models.user import Role, Status, User
from services import accounts, audit, demo_boards, demo_events, members, passwords, rate_limits, search
from services import organizations as orgs

DEMO_DOMAIN = 'example'  # RFC 2606: reserved, so no demo mail can reach a real person
DEMO_PASSWORD = 'Demo-Netzwerk-2026'  # noqa: S105 - printed on purpose: demo accounts only
MEMBER_COUNT = 200

ORGANIZATIONS = (  # name, kind, level, city, mail slug, website
    ('Stadt Essen', 'Kommune', 'kommunal', 'Essen', 'essen', 'https://www.essen.de'),
    ('Stadt Lünen', 'Kommune', 'kommunal', 'Lünen', 'luenen', 'https://www.luenen.de'),
    ('Kreis Wesel', 'Kreis', 'kommunal', 'Wesel', 'kreis-wesel', 'https://www.kreis-wesel.de'),
    ('Regionalverband Ruhr', 'Verband', 'regional', 'Essen', 'rvr', 'https://www.rvr.ruhr'),
    ('Stadt Duisburg', 'Kommune', 'kommunal', 'Duisburg', 'duisburg', 'https://www.duisburg.de'),
    ('Stadt Bochum', 'Kommune', 'kommunal', 'Bochum', 'bochum', 'https://www.bochum.de'),
    ('Ministerium des Innern NRW', 'Land', 'Land', 'Düsseldorf', 'im-nrw', 'https://www.im.nrw'),
    ('Stadt Dortmund', 'Kommune', 'kommunal', 'Dortmund', 'dortmund', 'https://www.dortmund.de'),
    ('Stadt Gelsenkirchen', 'Kommune', 'kommunal', 'Gelsenkirchen', 'gelsenkirchen', 'https://www.gelsenkirchen.de'),
    ('Kreis Recklinghausen', 'Kreis', 'kommunal', 'Recklinghausen', 'kreis-re', 'https://www.kreis-re.de'),
    ('Stadt Oberhausen', 'Kommune', 'kommunal', 'Oberhausen', 'oberhausen', 'https://www.oberhausen.de'),
    ('Hochschule für Polizei und öffentliche Verwaltung NRW', 'Hochschule', 'Land', 'Gelsenkirchen', 'hspv',
     'https://www.hspv.nrw.de'),
)

DEPARTMENTS = (
    'Amt für Digitalisierung', 'Personal und Organisation', 'Bürgerservice', 'Zentrale Vergabestelle', 'Umweltamt',
    'Stadtplanung', 'Ordnungsamt', 'Kämmerei', 'Jugendamt', 'Sozialamt', 'Statistik und Wahlen',
    'Klimaschutz und Mobilität', 'IT-Service', 'Rechnungsprüfung', 'Gleichstellungsstelle', 'Schulverwaltung',
)
POSITIONS = (
    'Sachbearbeitung', 'Teamleitung', 'Abteilungsleitung', 'Referent:in', 'Projektleitung', 'Amtsleitung',
    'Digitallotse', 'Ausbildungsleitung', 'Klimaschutzmanagement', 'Verwaltungsfachangestellte:r',
    'Datenschutzbeauftragte:r', 'Informationssicherheit',
)
TOPICS = (
    'E-Akte', 'OZG-Umsetzung', 'Bürgerbeteiligung', 'Agile Methoden', 'Open Data', 'KI in der Verwaltung',
    'Personalgewinnung', 'Ausbildung', 'Vergaberecht', 'Nachhaltige Beschaffung', 'Klimaanpassung', 'Radverkehr',
    'Kommunale Wärmeplanung', 'Prozessmanagement', 'Wissensmanagement', 'Mobiles Arbeiten', 'Führung in Teilzeit',
    'Barrierefreiheit', 'Datenschutz', 'Informationssicherheit', 'Smart City', 'Fördermittel', 'Ehrenamt',
    'Integration', 'Terminvergabe', 'Change Management', 'Low-Code', 'Dokumentenmanagement',
)
BIO_OPENINGS = (
    'Seit {years} Jahren in der Verwaltung, davon die letzten {recent} im Bereich {department}.',
    'Ich bin {position} und kümmere mich vor allem um {topic}.',
    'Quereinstieg aus der Privatwirtschaft, jetzt mit Herz und Verstand im öffentlichen Dienst.',
)
BIO_CLOSINGS = (
    'Ich freue mich über Austausch zu **{topic}** – gern auch kurz per Telefon.',
    'Wir haben gerade ein Pilotprojekt zu {topic} abgeschlossen; die Unterlagen teile ich gern.',
    'Fragen zu {topic}? Schreiben Sie mir einfach.',
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
    boards_added: int = 0
    threads_added: int = 0
    events_added: int = 0


@dataclass(frozen=True)
class _DemoSeeder:
    """Creates the demo boards when there is no administrator yet; the audit shows them made without an actor."""

    id: None = None
    role: str = Role.ADMIN
    status: str = Status.ACTIVE
    is_moderator: bool = True


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


def _add_profile(session: Session, rng: random.Random, user: User) -> None:
    """A plausible profile: department, position, 2–4 topics, what they offer and look for, a short bio."""
    assert user.id is not None
    department = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
    position = POSITIONS[rng.randrange(len(POSITIONS))]
    topics = rng.sample(TOPICS, rng.randint(2, 4))
    offers = rng.sample(topics, rng.randint(1, len(topics) - 1))
    needs = rng.sample([t for t in TOPICS if t not in topics], rng.randint(1, 2))
    opening = BIO_OPENINGS[rng.randrange(len(BIO_OPENINGS))].format(
        years=rng.randint(3, 30), recent=rng.randint(1, 3), department=department, position=position, topic=topics[0])
    closing = BIO_CLOSINGS[rng.randrange(len(BIO_CLOSINGS))].format(topic=offers[0])
    session.add(MemberProfile(
        user_id=user.id, department=department, position=position, bio=f'{opening}\n\n{closing}',
        location=ORGANIZATIONS[(user.id or 0) % len(ORGANIZATIONS)][3], phone=f'0201 {rng.randint(100000, 999999)}',
        email_visibility=rng.choice([Visibility.ALL, Visibility.ALL, Visibility.ORG]),
        phone_visibility=rng.choice([Visibility.ORG, Visibility.NONE]), location_visibility=Visibility.ALL))
    for kind, names in ((TagKind.TOPIC, topics), (TagKind.OFFER, offers), (TagKind.NEED, needs)):
        for tag_id in members._tag_ids(session, list(names)):  # noqa: SLF001 - the demo builds data like the service
            session.add(MemberTag(user_id=user.id, kind=kind, tag_id=tag_id))
    session.flush()
    members.reindex_member(session, user.id)


def _seed_boards(session: Session) -> demo_boards.BoardsSeeded:
    """The demo boards and threads, written by the demo members (all of them, from this run and earlier ones)."""
    admin = session.exec(select(User.id).where(User.role == Role.ADMIN, User.status == Status.ACTIVE)
                         .order_by(col(User.id))).first()
    writers = session.exec(select(User.id).where(col(User.email_key).like(f'%.{DEMO_DOMAIN}'),
                                                 User.status == Status.ACTIVE, User.role != Role.ADMIN)
                           .order_by(col(User.id))).all()
    rng = random.Random('2026-boards')  # noqa: S311 - demo data; its own generator, whatever the member loop drew
    with rate_limits.suspended():  # a hundred threads in seconds, in the members' names: no member is at work
        return demo_boards.seed_boards(session, admin=accounts.get_user(session, admin) if admin else _DemoSeeder(),
                                       members=[accounts.get_user(session, i) for i in writers], rng=rng)


def seed_demo(session: Session, *, force: bool = False, members: int = MEMBER_COUNT, boards: bool = True) -> SeedResult:
    """Add the demo administrations, members and (unless `boards` is False) boards and threads.

    A second run adds nothing; a run with more members adds only the missing ones (and threads that had no writer).
    """
    if not force and has_real_content(session):
        raise RealContent()
    rng = random.Random(2026)  # noqa: S311 - demo data, fixed seed so every run yields the same network
    org_ids: list[tuple[int, str]] = []
    orgs_added = 0
    for name, kind, level, city, slug, website in ORGANIZATIONS:
        before = session.exec(select(Organization).where(Organization.name_key == name.casefold())).first()
        org = before or orgs.find_or_add_organization(session, name)
        if before is None:
            org.kind, org.level, org.city, org.website = kind, level, city, website
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
        user = User(name=f'{first} {last}', sort_name=search.sort_key(f'{first} {last}'), email=email, email_key=email,
                    password_hash=shared_hash, role=role, status=status, organization_id=org_id,
                    )
        # Each member's details come from their own generator, so the list of names never depends on them.
        own = random.Random(email)  # noqa: S311 - demo data
        user.created_at = utcnow() - timedelta(days=own.randrange(1, 700))
        user.last_seen_at = utcnow() - timedelta(hours=own.randrange(1, 24 * 60))
        session.add(user)
        session.flush()
        _add_profile(session, own, user)
        added += 1
    session.commit()  # the members are in: from here on the board services commit step by step
    seeded = _seed_boards(session) if boards else demo_boards.BoardsSeeded(0, 0, 0)
    events_added = _seed_events(session) if boards else 0
    if seeded.threads:
        _seed_reports(session)
    if orgs_added or added or seeded.boards or seeded.threads or events_added:
        audit.record(session, 'demo.seeded', organizations=orgs_added, members=added, boards=seeded.boards,
                     threads=seeded.threads, events=events_added)
        session.commit()
    return SeedResult(orgs_added, added, seeded.boards, seeded.threads, events_added)


REPORT_REASONS = (
    'Enthält die private Telefonnummer einer Kollegin.',
    'Werbung für ein kommerzielles Produkt.',
    'Der Ton ist gegenüber der Kollegin aus Lünen unangemessen.',
)


def _seed_reports(session: Session) -> None:
    """A few open reports, so that the moderation queue shows what it is for."""
    from models.board import Post
    from services import moderation

    posts = session.exec(select(Post).where(Post.number > 1, col(Post.deleted).is_(False)).order_by(col(Post.id))
                         .limit(3)).all()
    reporters = session.exec(select(User.id).where(col(User.email_key).like(f'%.{DEMO_DOMAIN}'),
                                                   User.status == Status.ACTIVE, User.role == Role.MEMBER)
                             .order_by(col(User.id).desc()).limit(10)).all()
    for post, reason in zip(posts, REPORT_REASONS, strict=False):
        reporter = next((r for r in reporters if r != post.author_id), None)
        if reporter is not None:
            moderation.report_post(session, actor=accounts.get_user(session, reporter), post_id=post.id,
                                   reason=reason)


def _seed_events(session: Session) -> int:
    people = session.exec(select(User.id).where(col(User.email_key).like(f'%.{DEMO_DOMAIN}'),
                                                User.status == Status.ACTIVE).order_by(col(User.id))).all()
    rng = random.Random('2026-events')  # noqa: S311 - demo data
    return demo_events.seed_events(session, members=[accounts.get_user(session, i) for i in people], rng=rng)
