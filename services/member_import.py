"""Importing members from a CSV file: each becomes a personal, single-use invitation link.

`parse_csv` reads the file (pure: no database) and checks every row on its own; `preview` adds, for the first rows,
what the database knows (already a member, already invited); `import_members` writes the invitations in batches,
each batch its own short transaction, so that the rest of the network keeps working during a large import.
Administrators only; one audit entry per import.
"""

import csv
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlmodel import Session

from models.base import utcnow
from models.organization import ORGANIZATION_LEVELS, Organization
from models.user import Invitation, User
from services import audit
from services.accounts import MAX_NAME, clean_email, hash_token
from services.errors import DomainError, Invalid
from services.local_time import today
from services.organizations import MAX_NAME as MAX_ORGANIZATION
from services.organizations import _name_key as organization_key
from services.organizations import find_or_add_organization
from services.permissions import require_admin

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 20
BATCH_SIZE = 500
INVITATION_DAYS = 30

# Column headers as people write them (compared case-insensitively, without spaces, "-" and "_").
COLUMNS = {
    'name': ('name', 'vollername', 'mitglied'),
    'email': ('email', 'mail', 'emailadresse', 'mailadresse'),
    'organization': ('organisation', 'organization', 'verwaltung', 'behörde', 'behoerde', 'dienststelle'),
    'level': ('level', 'ebene'),
}

# Why a row was refused (catalogue keys; the page translates them with the row's params).
MSG_NAME_MISSING = 'Name fehlt.'
MSG_NAME_TOO_LONG = 'Name zu lang (höchstens {n} Zeichen).'
MSG_EMAIL_INVALID = 'Ungültige E-Mail-Adresse.'
MSG_DUPLICATE = 'Diese E-Mail-Adresse steht schon in Zeile {line}.'
MSG_MEMBER = 'Ist schon Mitglied.'
MSG_INVITED = 'Hat schon eine offene Einladung.'
MSG_ORGANIZATION_INVALID = 'Name der Verwaltung ungültig (höchstens {n} Zeichen).'
MSG_LEVEL_INVALID = 'Unbekannte Ebene „{level}“ (erlaubt: {levels}).'


@dataclass(frozen=True)
class Line:
    """One data row of the file; `problem` is '' when it can be imported (as far as the file alone tells)."""

    line: int  # line number in the file (the header is line 1)
    name: str
    email: str
    organization: str
    level: str
    problem: str = ''
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    encoding: str  # 'UTF-8', 'UTF-8 (mit BOM)' or 'Windows-1252'
    delimiter: str
    columns: tuple[str, ...]  # the recognised columns, in file order
    lines: tuple[Line, ...]

    @property
    def valid(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.problem)

    @property
    def problems(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.problem)


@dataclass(frozen=True)
class Link:
    name: str
    email: str
    token: str


@dataclass(frozen=True)
class ImportReport:
    invited: int
    organizations_created: int
    refused: tuple[Line, ...]  # every refused row with its reason, in file order
    links: tuple[Link, ...]


# ---------------------------------------------------------------- reading the file (pure)


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (BOM or not), else Windows-1252; UTF-16 and binary files are refused."""
    head = data[:400]
    if data.startswith((b'\xff\xfe', b'\xfe\xff')) or head.count(b'\x00') * 3 > len(head):
        raise Invalid('file', 'Die Datei ist in UTF-16 gespeichert. Bitte speichern Sie sie als „CSV UTF-8“.')
    if b'\x00' in data:
        raise Invalid('file', 'Das ist keine CSV-Textdatei.')
    try:
        if data.startswith(b'\xef\xbb\xbf'):
            return data[3:].decode('utf-8'), 'UTF-8 (mit BOM)'
        return data.decode('utf-8'), 'UTF-8'
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode('cp1252')
    except UnicodeDecodeError:
        raise Invalid('file', 'Die Zeichenkodierung der Datei ist unbekannt. Bitte speichern Sie sie als '
                              '„CSV UTF-8“.') from None
    return text, 'Windows-1252'


def _looks_like_text(text: str) -> bool:
    """Binary files often decode as Windows-1252 too: refuse control characters other than tab and line ends."""
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in '\t\r\n')
    return controls <= len(sample) // 1000


def _header_key(cell: str) -> str:
    return ''.join(ch for ch in cell.strip().strip('"').casefold() if ch not in ' -_.')


def parse_csv(data: bytes) -> Parsed:
    """Read and check an uploaded CSV: encoding (UTF-8 with or without BOM, else Windows-1252), delimiter (`;` or
    `,`, from the header), columns name, email, organisation (German headers too) and optionally level; every row
    gets its problem, if it has one. Raises Invalid('file', …) for a file that cannot be imported at all."""
    if not data.strip():
        raise Invalid('file', 'Die Datei ist leer.')
    if len(data) > MAX_BYTES:
        raise Invalid('file', 'Die Datei ist größer als {mb} MB.', mb=MAX_BYTES // (1024 * 1024))
    text, encoding = _decode(data)
    if not _looks_like_text(text):
        raise Invalid('file', 'Das ist keine CSV-Textdatei.')
    # Up front, before reading any row: a file far over the limit is refused at once.
    lines_in_file = text.count('\n') + (0 if text.endswith('\n') else 1) - 1
    if lines_in_file > MAX_ROWS:
        raise Invalid('file', 'Die Datei hat {n} Zeilen; höchstens {max} lassen sich auf einmal importieren. '
                              'Bitte teilen Sie sie auf.', n=lines_in_file, max=MAX_ROWS)
    header_line = text.lstrip('\ufeff').split('\n', 1)[0]
    delimiter = ';' if header_line.count(';') >= header_line.count(',') and ';' in header_line else ','
    reader = csv.reader(io.StringIO(text.lstrip('\ufeff'), newline=''), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise Invalid('file', 'Die Datei ist leer.') from None
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, names in COLUMNS.items():
            if key in names and column not in positions:
                positions[column] = index
    missing = [c for c in ('name', 'email') if c not in positions]
    if missing:
        raise Invalid('file', 'Die Kopfzeile braucht die Spalten Name und E-Mail (gefunden: {found}).',
                      found=', '.join(h.strip() for h in header)[:200] or '–')
    levels = {level.casefold(): level for level in ORGANIZATION_LEVELS}
    seen: dict[str, int] = {}
    lines: list[Line] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(lines) >= MAX_ROWS:
                raise Invalid('file', 'Die Datei hat mehr als {max} Zeilen; bitte teilen Sie sie auf.', max=MAX_ROWS)

            def cell(column: str, row: list[str] = row) -> str:
                index = positions.get(column)
                return ' '.join(row[index].split()) if index is not None and index < len(row) else ''

            line = Line(reader.line_num, cell('name'), cell('email'), cell('organization'), cell('level'))
            lines.append(_checked(line, seen, levels))
    except csv.Error:
        raise Invalid('file', 'Die Datei ist keine gültige CSV-Datei (Zeile {line}).', line=reader.line_num) from None
    if not lines:
        raise Invalid('file', 'Die Datei enthält keine Zeilen unter der Kopfzeile.')
    order = ('name', 'email', 'organization', 'level')
    return Parsed(encoding, delimiter, tuple(c for c in order if c in positions), tuple(lines))


def _checked(line: Line, seen: dict[str, int], levels: dict[str, str]) -> Line:
    if not line.name:
        return replace(line, problem=MSG_NAME_MISSING)
    if len(line.name) > MAX_NAME:
        return replace(line, problem=MSG_NAME_TOO_LONG, params={'n': MAX_NAME})
    try:
        _email, key = clean_email(line.email)
    except Invalid:
        return replace(line, problem=MSG_EMAIL_INVALID)
    if key in seen:
        return replace(line, problem=MSG_DUPLICATE, params={'line': seen[key]})
    seen[key] = line.line
    if len(line.organization) > MAX_ORGANIZATION:
        return replace(line, problem=MSG_ORGANIZATION_INVALID, params={'n': MAX_ORGANIZATION})
    if line.level:
        if line.level.casefold() not in levels:
            return replace(line, problem=MSG_LEVEL_INVALID, params={'level': line.level[:40],
                                                                     'levels': ', '.join(ORGANIZATION_LEVELS)})
        line = replace(line, level=levels[line.level.casefold()])
    return line


# ---------------------------------------------------------------- what the database knows


def _known(session: Session, keys: list[str]) -> tuple[set[str], set[str]]:
    """Of these lower-case addresses: (those with an account, those with an open invitation)."""
    if not keys:
        return set(), set()
    U, I = User.__table__, Invitation.__table__  # noqa: N806, E741
    members = set(session.execute(select(U.c.email_key).where(U.c.email_key.in_(keys))).scalars())
    now = utcnow()
    invited = set(session.execute(select(func.lower(I.c.email)).where(
        func.lower(I.c.email).in_(keys), I.c.revoked_at.is_(None), I.c.expires_at > now,
        or_(I.c.max_uses == 0, I.c.use_count < I.c.max_uses))).scalars())
    return members, invited


def _against_database(lines: list[Line], members: set[str], invited: set[str]) -> list[Line]:
    out = []
    for line in lines:
        key = line.email.lower()
        if not line.problem and key in members:
            line = replace(line, problem=MSG_MEMBER)
        elif not line.problem and key in invited:
            line = replace(line, problem=MSG_INVITED)
        out.append(line)
    return out


def preview(session: Session, *, actor: Any, parsed: Parsed, rows: int = PREVIEW_ROWS) -> list[Line]:
    """The first rows with every problem, those the database knows of included."""
    require_admin(actor)
    first = list(parsed.lines[:rows])
    return _against_database(first, *_known(session, [line.email.lower() for line in first if not line.problem]))


# ---------------------------------------------------------------- importing


def import_members(session: Session, *, actor: Any, parsed: Parsed,
                   progress: Callable[[int, int], None] | None = None, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Invite every valid row: a single-use link for that address, valid 30 days, with the name and organisation
    prefilled; organisations not yet known are added. Batches of `batch_size` rows, each committed on its own;
    `progress(done, total)` after each. Refused rows (file problems, already members, already invited) are reported,
    not imported."""
    require_admin(actor)
    total = len(parsed.lines)
    now = utcnow()
    expires = now + timedelta(days=INVITATION_DAYS)
    note = f'Import {today():%d.%m.%Y}'
    organizations: dict[str, int] = {}
    created_organizations = 0
    refused: list[Line] = []
    links: list[Link] = []
    done = committed = 0
    if progress:
        progress(0, total)
    try:
        for start in range(0, total, batch_size):
            batch = list(parsed.lines[start:start + batch_size])
            keys = [line.email.lower() for line in batch if not line.problem]
            batch = _against_database(batch, *_known(session, keys))
            rows = []
            for line in batch:
                if line.problem:
                    refused.append(line)
                    continue
                org_id = None
                if line.organization:
                    try:
                        org_id, created = _organization(session, organizations, line)
                    except DomainError:
                        refused.append(replace(line, problem=MSG_ORGANIZATION_INVALID, params={'n': MAX_ORGANIZATION}))
                        continue
                    created_organizations += created
                # The plain link lives only in this report (for the CSV download right after); the database keeps
                # its hash.
                token = secrets.token_urlsafe(32)
                rows.append({'token_hash': hash_token(token), 'email': line.email, 'name': line.name, 'note': note,
                             'organization_id': org_id, 'max_uses': 1, 'use_count': 0, 'created_by': actor.id,
                             'created_at': now, 'expires_at': expires})
                links.append(Link(line.name, line.email, token))
            if rows:
                session.execute(insert(Invitation.__table__), rows)
            session.commit()
            done, committed = done + len(batch), len(links)
            if progress:
                progress(done, total)
    except BaseException:
        # What was committed stays (the links work): the trail says how far the import came.
        session.rollback()
        try:
            _record(session, actor, parsed, committed, created_organizations, len(refused), aborted_at=done)
            session.commit()
        except Exception:  # noqa: BLE001 - the original error is the one to report
            session.rollback()
        raise
    _record(session, actor, parsed, len(links), created_organizations, len(refused))
    session.commit()
    refused.sort(key=lambda line: line.line)
    return ImportReport(len(links), created_organizations, tuple(refused), tuple(links))


def _organization(session: Session, known: dict[str, int], line: Line) -> tuple[int, int]:
    """The organisation's id (cached for the import) and 1 when it was added now."""
    key = organization_key(line.organization)
    if key in known:
        return known[key], 0
    existing = session.execute(select(Organization.__table__.c.id).where(
        Organization.__table__.c.name_key == key)).scalar()
    if existing is not None:
        known[key] = existing
        return existing, 0
    org = find_or_add_organization(session, line.organization)
    if line.level:
        org.level = line.level
        session.flush()
    assert org.id is not None
    known[key] = org.id
    return org.id, 1


def _record(session: Session, actor: Any, parsed: Parsed, invited: int, organizations: int, refused: int,
            **extra: Any) -> None:
    audit.record(session, 'import.members', actor_id=actor.id, target_type='invitation', rows=len(parsed.lines),
                 invited=invited, refused=refused, organizations_created=organizations, **extra)


def links_csv(report: ImportReport, base_url: str) -> bytes:
    """The invitation links to mail out: `Name;E-Mail;Link`, UTF-8 with BOM (Excel opens it as it is)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    writer.writerow(['Name', 'E-Mail', 'Link'])
    for link in report.links:
        writer.writerow([audit.safe_cell(link.name), audit.safe_cell(link.email),
                         f'{base_url.rstrip("/")}/register?invite={link.token}'])
    return ('\ufeff' + out.getvalue()).encode('utf-8')
