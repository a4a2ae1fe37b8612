"""Accounts: registration, first administrator, sign-in with throttling, sessions, roles and states."""

import math
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models.base import utcnow
from models.user import Invitation, LoginAttempt, Role, Status, User, UserSession
from services import audit, bus, passwords, search
from services import organizations as orgs
from services import settings as site_settings
from services.errors import Invalid, NotAllowed, NotFound, TooManyAttempts
from services.permissions import require_admin

MAX_NAME = 100
MAX_EMAIL = 254
LANGUAGES = ('de', 'en')

# Throttling: after FREE_ATTEMPTS failures within WINDOW (per account or per address), each further try must wait
# BASE_DELAY * 2^(extra failures), capped at MAX_DELAY. A success for the account resets its count.
WINDOW = timedelta(minutes=15)
FREE_ATTEMPTS = 5
BASE_DELAY = 30
MAX_DELAY = 15 * 60

# Writing last_seen on every request would turn each page view into a write; a few minutes' precision is enough.
TOUCH_INTERVAL = timedelta(minutes=5)

_EMAIL = re.compile(r'^[^@\s<>()\[\],;:"]+@[^@\s<>()\[\],;:"]+\.[^@\s<>()\[\],;:"]{2,}$')


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in member as pages see it: plain values, safe to keep across awaits."""

    id: int
    name: str
    email: str
    role: str
    status: str
    language: str
    organization_id: int | None
    session_id: str = ''

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.ADMIN, Role.MODERATOR)


@dataclass(frozen=True)
class SignedIn:
    user: CurrentUser
    session_id: str


def _current(user: User, session_id: str = '') -> CurrentUser:
    assert user.id is not None
    return CurrentUser(user.id, user.name, user.email, user.role, user.status, user.language, user.organization_id,
                       session_id)


# ---------------------------------------------------------------- validation


def clean_email(raw: str, *, field: str = 'email') -> tuple[str, str]:
    """(address as typed but trimmed, lower-case key); raise Invalid when empty, too long or malformed."""
    email = (raw or '').strip()
    if not email:
        raise Invalid(field, 'Bitte geben Sie Ihre E-Mail-Adresse ein.')
    if len(email) > MAX_EMAIL:
        raise Invalid(field, 'Höchstens {n} Zeichen.', n=MAX_EMAIL)
    if not _EMAIL.match(email):
        raise Invalid(field, 'Das ist keine gültige E-Mail-Adresse.')
    return email, email.lower()


def clean_name(raw: str, *, field: str = 'name') -> str:
    name = ' '.join((raw or '').split())
    if not name:
        raise Invalid(field, 'Bitte geben Sie Ihren Namen ein.')
    if len(name) > MAX_NAME:
        raise Invalid(field, 'Höchstens {n} Zeichen.', n=MAX_NAME)
    return name


def _release(session: Session) -> None:
    """End the (read-only) transaction so that no connection is held during a ~140 ms password hash."""
    assert not session.new and not session.dirty and not session.deleted, 'release before writing, not after'
    session.rollback()


def _hash_without_holding_the_database(session: Session, password: str) -> str:
    _release(session)
    return passwords.hash_password(password)


def _user_by_email_key(session: Session, key: str) -> User | None:
    return session.exec(select(User).where(User.email_key == key)).first()


def admin_exists(session: Session) -> bool:
    query = select(User.id).where(User.role == Role.ADMIN, User.status == Status.ACTIVE).limit(1)
    return session.exec(query).first() is not None


def count_users(session: Session) -> int:
    return session.exec(select(func.count(col(User.id)))).one()


def count_pending(session: Session, *, actor: Any) -> int:
    """How many accounts wait for approval (administrators only)."""
    require_admin(actor)
    return session.exec(select(func.count(col(User.id))).where(User.status == Status.PENDING)).one()


def get_user(session: Session, user_id: int) -> CurrentUser:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound('Dieses Mitglied gibt es nicht.')
    return _current(user)


# ---------------------------------------------------------------- registration


def registration_mode(session: Session) -> str:
    return site_settings.get_setting(session, 'registration_mode')


def _new_user(session: Session, *, name: str, email: str, password: str, status: str, role: str = Role.MEMBER,
              organization: str | int | None = None) -> User:
    name = clean_name(name)
    email, key = clean_email(email)
    passwords.check_policy(password, email=email)
    if _user_by_email_key(session, key):
        raise Invalid('email', 'Mit dieser E-Mail-Adresse gibt es schon ein Konto.')
    password_hash = _hash_without_holding_the_database(session, password)
    org_id = None
    if isinstance(organization, int):
        org_id = orgs.get_organization(session, organization).id
    elif isinstance(organization, str) and organization.strip():
        org_id = orgs.find_or_add_organization(session, organization).id
    user = User(name=name, sort_name=search.sort_key(name), email=email, email_key=key, password_hash=password_hash,
                role=role, status=status, organization_id=org_id)
    session.add(user)
    session.flush()
    _reindex(session, user.id)  # type: ignore[arg-type]
    return user


def _reindex(session: Session, user_id: int) -> None:
    """The search index holds active members only: follow every change of state."""
    from services import members  # members builds on accounts; imported here to avoid a cycle

    session.flush()
    members.reindex_member(session, user_id)


def register(session: Session, *, name: str, email: str, password: str, organization: str | int | None,
             consent: bool, invitation: str = '', ip: str = '', user_agent: str = '') -> SignedIn:
    """Create an account as the registration mode allows, and sign it in (a pending one sees only the notice)."""
    mode = registration_mode(session)
    if mode == 'closed':
        raise NotAllowed('Die Registrierung ist derzeit geschlossen.')
    invite: Invitation | None = None
    if mode == 'invite':
        invite = _valid_invitation(session, invitation)
    if organization is None or (isinstance(organization, str) and not organization.strip()):
        raise Invalid('organization', 'Bitte wählen oder nennen Sie Ihre Verwaltung.')
    if not consent:
        raise Invalid('consent', 'Bitte stimmen Sie der Datenschutzerklärung zu.')
    _, key = clean_email(email)
    if mode == 'domains':
        domain = key.rsplit('@', 1)[1]
        allowed = site_settings.get_setting(session, 'allowed_domains')
        if not any(domain == d or domain.endswith('.' + d) for d in allowed):
            raise Invalid('email', 'Registrieren können sich nur Adressen dieser Domains: {domains}.',
                          domains=', '.join(allowed) or '–')
    invite_id = None
    if invite is not None:
        if invite.email and invite.email.lower() != key:
            raise Invalid('email', 'Diese Einladung gilt für eine andere E-Mail-Adresse.')
        invite_id = invite.id
    status = Status.PENDING if mode == 'approval' else Status.ACTIVE
    user = _new_user(session, name=name, email=email, password=password, status=status, organization=organization)
    if invite_id is not None:
        # Conditional update: of two registrations racing for one invitation, exactly one gets it.
        claim = update(Invitation).where(col(Invitation.id) == invite_id, col(Invitation.used_at).is_(None))
        taken = session.exec(claim.values(used_at=utcnow(), used_by=user.id))  # type: ignore[call-overload]
        if taken.rowcount != 1:
            session.rollback()
            raise Invalid('invitation', 'Registrieren können Sie sich nur mit einer gültigen Einladung.')
    audit.record(session, 'user.registered', actor_id=user.id, target_type='user', target_id=user.id, ip=ip,
                 mode=mode, status=status)
    session_id = _start_session(session, user, ip=ip, user_agent=user_agent)
    session.commit()
    bus.publish('user.registered', user_id=user.id, status=status)
    return SignedIn(_current(user, session_id), session_id)


def setup_first_admin(session: Session, *, name: str, email: str, password: str, ip: str = '',
                      user_agent: str = '') -> SignedIn:
    """Create the first administrator; refused once any administrator exists."""
    if admin_exists(session):
        raise NotAllowed('Es gibt bereits eine Administratorin oder einen Administrator.')
    user = _new_user(session, name=name, email=email, password=password, status=Status.ACTIVE, role=Role.ADMIN)
    audit.record(session, 'user.first_admin', actor_id=user.id, target_type='user', target_id=user.id, ip=ip)
    session_id = _start_session(session, user, ip=ip, user_agent=user_agent)
    session.commit()
    return SignedIn(_current(user, session_id), session_id)


def create_admin(session: Session, *, email: str, name: str, password: str) -> tuple[CurrentUser, bool]:
    """Shell command: create an active administrator, or promote and activate the existing account.

    Returns (user, created). An existing account keeps its password unless one is given.
    """
    _, key = clean_email(email)
    user = _user_by_email_key(session, key)
    if user is None:
        user = _new_user(session, name=name, email=email, password=password, status=Status.ACTIVE, role=Role.ADMIN)
        created = True
    else:
        if password:
            passwords.check_policy(password, email=user.email)
            password_hash = _hash_without_holding_the_database(session, password)
            user = session.get(User, user.id)
            assert user is not None
            user.password_hash = password_hash
        user.role = Role.ADMIN
        user.status = Status.ACTIVE
        session.add(user)
        _reindex(session, user.id)  # type: ignore[arg-type]
        created = False
    audit.record(session, 'user.admin_from_shell', target_type='user', target_id=user.id, created=created)
    session.commit()
    return _current(user), created


# ---------------------------------------------------------------- invitations


def _valid_invitation(session: Session, token: str) -> Invitation:
    token = (token or '').strip()
    invite = session.exec(select(Invitation).where(Invitation.token == token)).first() if token else None
    if invite is None or invite.used_at is not None or invite.expires_at < utcnow():
        raise Invalid('invitation', 'Registrieren können Sie sich nur mit einer gültigen Einladung.')
    return invite


def check_invitation(session: Session, token: str) -> bool:
    try:
        _valid_invitation(session, token)
    except Invalid:
        return False
    return True


def create_invitation(session: Session, *, actor: Any, email: str = '', days: int = 14) -> Invitation:
    """A single-use invitation link (administrators only)."""
    require_admin(actor)
    if email.strip():
        email, _ = clean_email(email)
    if not 1 <= days <= 90:
        raise Invalid('days', 'Zwischen {min} und {max} Tagen.', min=1, max=90)
    invite = Invitation(token=secrets.token_urlsafe(24), email=email.strip(), created_by=actor.id,
                        expires_at=utcnow() + timedelta(days=days))
    session.add(invite)
    session.flush()
    audit.record(session, 'invitation.created', actor_id=actor.id, target_type='invitation', target_id=invite.id)
    session.commit()
    return invite


def list_invitations(session: Session, *, actor: Any, limit: int = 50) -> list[Invitation]:
    require_admin(actor)
    return list(session.exec(select(Invitation).order_by(col(Invitation.id).desc()).limit(limit)))


# ---------------------------------------------------------------- sign-in and sessions


def _throttle_wait(session: Session, column: Any, value: str, now: Any, *, reset_by_success: bool) -> int:
    """Seconds the next try for this account or address must still wait (0: go ahead)."""
    since = now - WINDOW
    if reset_by_success:
        last_success = session.exec(
            select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.success, LoginAttempt.at >= since)
        ).one()
        if last_success is not None:
            since = last_success
    count, last_failure = session.exec(
        select(func.count(col(LoginAttempt.id)), func.max(LoginAttempt.at)).where(
            column == value, col(LoginAttempt.success).is_(False), LoginAttempt.at > since
        )
    ).one()
    if count < FREE_ATTEMPTS or last_failure is None:
        return 0
    delay = min(BASE_DELAY * 2 ** (count - FREE_ATTEMPTS), MAX_DELAY)
    remaining = (last_failure + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def _start_session(session: Session, user: User, *, ip: str, user_agent: str) -> str:
    assert user.id is not None
    session_id = secrets.token_urlsafe(32)
    session.add(UserSession(id=session_id, user_id=user.id, ip=ip[:64], user_agent=user_agent[:255]))
    user.last_seen_at = utcnow()
    session.add(user)
    return session_id


def sign_in(session: Session, *, email: str, password: str, ip: str = '', user_agent: str = '') -> SignedIn:
    """Check the password (throttled per account and address) and start a server-side session."""
    if not email or not email.strip():
        raise Invalid('email', 'Bitte geben Sie Ihre E-Mail-Adresse ein.')
    if not password:
        raise Invalid('password', 'Bitte geben Sie Ihr Passwort ein.')
    key = email.strip().lower()[:MAX_EMAIL]
    now = utcnow()
    wait = _throttle_wait(session, LoginAttempt.email_key, key, now, reset_by_success=True)
    if ip:
        # An address is not cleared by a success: else one's own account would unlock guessing at everyone else's.
        wait = max(wait, _throttle_wait(session, LoginAttempt.ip, ip[:64], now, reset_by_success=False))
    if wait:
        raise TooManyAttempts(wait)

    found = _user_by_email_key(session, key)
    user_id, stored_hash = (found.id, found.password_hash) if found else (None, passwords.dummy_hash())
    _release(session)
    ok, new_hash = passwords.verify(password[: passwords.MAX_LENGTH], stored_hash)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not ok:
        session.add(LoginAttempt(email_key=key, ip=ip[:64], user_id=user.id if user else None, success=False))
        audit.record(session, 'auth.failed', actor_id=user.id if user else None, target_type='user',
                     target_id=user.id if user else '', ip=ip, email=key)
        session.commit()
        raise Invalid('password', 'E-Mail-Adresse oder Passwort ist falsch.')
    if user.status == Status.DEACTIVATED:
        audit.record(session, 'auth.refused_deactivated', actor_id=user.id, target_type='user', target_id=user.id,
                     ip=ip)
        session.commit()
        raise NotAllowed('Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.')
    if new_hash:
        user.password_hash = new_hash
    session.add(LoginAttempt(email_key=key, ip=ip[:64], user_id=user.id, success=True))
    session_id = _start_session(session, user, ip=ip, user_agent=user_agent)
    audit.record(session, 'auth.signed_in', actor_id=user.id, target_type='user', target_id=user.id, ip=ip,
                 rehashed=bool(new_hash))
    session.commit()
    return SignedIn(_current(user, session_id), session_id)


def user_for_session(session: Session, session_id: str | None) -> CurrentUser | None:
    """The user of a live session, or None when it ended or the account is deactivated."""
    if not session_id:
        return None
    row = session.exec(
        select(UserSession, User).join(User, col(User.id) == UserSession.user_id).where(
            UserSession.id == session_id, col(UserSession.ended_at).is_(None)
        )
    ).first()
    if row is None:
        return None
    user_session, user = row
    if user.status == Status.DEACTIVATED:
        return None
    now = utcnow()
    if now - user_session.last_seen_at > TOUCH_INTERVAL:
        user_session.last_seen_at = now
        user.last_seen_at = now
        session.add(user_session)
        session.add(user)
        session.commit()
    return _current(user, session_id)


def _end_sessions(session: Session, user_id: int, *, keep: str | None = None) -> list[str]:
    query = select(UserSession.id).where(UserSession.user_id == user_id, col(UserSession.ended_at).is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    ids = list(session.exec(query))
    if ids:
        session.exec(update(UserSession).where(col(UserSession.id).in_(ids)).values(ended_at=utcnow()))  # type: ignore[call-overload]
    return ids


def sign_out(session: Session, *, session_id: str, ip: str = '') -> None:
    """End this session on the server (a copied cookie is worthless afterwards)."""
    user_session = session.get(UserSession, session_id) if session_id else None
    if user_session is None or user_session.ended_at is not None:
        return
    user_session.ended_at = utcnow()
    session.add(user_session)
    audit.record(session, 'auth.signed_out', actor_id=user_session.user_id, target_type='user',
                 target_id=user_session.user_id, ip=ip)
    session.commit()
    bus.publish('sessions.ended', user_id=user_session.user_id, session_ids=[session_id])


@dataclass(frozen=True)
class SessionInfo:
    id: str
    created_at: Any
    last_seen_at: Any
    ip: str
    user_agent: str
    current: bool


def list_sessions(session: Session, *, actor: CurrentUser) -> list[SessionInfo]:
    """My open sessions, newest first."""
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == actor.id, col(UserSession.ended_at).is_(None))
        .order_by(col(UserSession.last_seen_at).desc()).limit(50)
    )
    return [SessionInfo(r.id, r.created_at, r.last_seen_at, r.ip, r.user_agent, r.id == actor.session_id) for r in rows]


def end_other_sessions(session: Session, *, actor: CurrentUser) -> int:
    ids = _end_sessions(session, actor.id, keep=actor.session_id)
    audit.record(session, 'auth.other_sessions_ended', actor_id=actor.id, target_type='user', target_id=actor.id,
                 count=len(ids))
    session.commit()
    if ids:
        bus.publish('sessions.ended', user_id=actor.id, session_ids=ids)
    return len(ids)


def change_password(session: Session, *, actor: CurrentUser, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every other session of the user ends."""
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    if not current_password:
        raise Invalid('current_password', 'Bitte geben Sie Ihr bisheriges Passwort ein.')
    stored_hash, email = user.password_hash, user.email
    _release(session)
    ok, _ = passwords.verify(current_password[: passwords.MAX_LENGTH], stored_hash)
    if not ok:
        raise Invalid('current_password', 'Das bisherige Passwort stimmt nicht.')
    passwords.check_policy(new_password, email=email, field='new_password')
    if new_password == current_password:
        raise Invalid('new_password', 'Das neue Passwort muss sich vom bisherigen unterscheiden.')
    new_hash = passwords.hash_password(new_password)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    user.password_hash = new_hash
    session.add(user)
    ended = _end_sessions(session, user.id, keep=actor.session_id)  # type: ignore[arg-type]
    audit.record(session, 'auth.password_changed', actor_id=user.id, target_type='user', target_id=user.id,
                 sessions_ended=len(ended))
    session.commit()
    if ended:
        bus.publish('sessions.ended', user_id=user.id, session_ids=ended)


def set_language(session: Session, *, actor: CurrentUser, language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid('language', 'Diese Sprache gibt es nicht.')
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    user.language = language
    session.add(user)
    session.commit()


# ---------------------------------------------------------------- administration of accounts


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    role: str
    status: str
    organization: str
    created_at: Any


def list_users(session: Session, *, actor: Any, status: str | None = None, query: str = '', limit: int = 50,
               offset: int = 0) -> tuple[list[UserRow], int]:
    """Accounts for the administration, newest first, with the total count (administrators only)."""
    from models.organization import Organization

    require_admin(actor)
    conditions = []
    if status:
        conditions.append(User.status == status)
    if query.strip():
        typed = query.strip()[:100]
        # SQLite's lower() and LIKE fold only ASCII: match the name as typed too, so "Özlem" finds "Özlem".
        conditions.append(col(User.email_key).like(f'%{typed.lower()}%') | col(User.name).ilike(f'%{typed}%') |
                          col(User.name).like(f'%{typed}%'))
    total = session.exec(select(func.count(col(User.id))).where(*conditions)).one()
    rows = session.exec(
        select(User, Organization.name).outerjoin(Organization, col(Organization.id) == User.organization_id)
        .where(*conditions).order_by(col(User.id).desc()).offset(max(offset, 0)).limit(min(limit, 200))
    )
    return [UserRow(u.id, u.name, u.email, u.role, u.status, org or '', u.created_at) for u, org in rows], total  # type: ignore[arg-type]


def _target(session: Session, actor: Any, user_id: int) -> User:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound('Dieses Mitglied gibt es nicht.')
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count(col(User.id)))
        .where(User.role == Role.ADMIN, User.status == Status.ACTIVE, User.id != user_id)
    ).one()


def approve_user(session: Session, *, actor: Any, user_id: int) -> None:
    """Let a pending account in (administrators only)."""
    user = _target(session, actor, user_id)
    if user.status != Status.PENDING:
        raise Invalid('status', 'Dieses Konto wartet nicht auf Freischaltung.')
    user.status = Status.ACTIVE
    session.add(user)
    _reindex(session, user_id)
    audit.record(session, 'user.approved', actor_id=actor.id, target_type='user', target_id=user_id)
    session.commit()
    bus.publish('user.changed', user_id=user_id)


def deactivate_user(session: Session, *, actor: Any, user_id: int) -> None:
    """Lock an account out; every open session of it ends at once."""
    user = _target(session, actor, user_id)
    if user.id == actor.id:
        raise Invalid('status', 'Sie können Ihr eigenes Konto nicht deaktivieren.')
    if user.status == Status.DEACTIVATED:
        return
    user.status = Status.DEACTIVATED
    session.add(user)
    _reindex(session, user_id)
    ended = _end_sessions(session, user_id)
    audit.record(session, 'user.deactivated', actor_id=actor.id, target_type='user', target_id=user_id,
                 sessions_ended=len(ended))
    session.commit()
    bus.publish('sessions.ended', user_id=user_id, session_ids=ended)
    bus.publish('user.changed', user_id=user_id)


def reactivate_user(session: Session, *, actor: Any, user_id: int) -> None:
    user = _target(session, actor, user_id)
    if user.status != Status.DEACTIVATED:
        raise Invalid('status', 'Dieses Konto ist nicht deaktiviert.')
    user.status = Status.ACTIVE
    session.add(user)
    _reindex(session, user_id)
    audit.record(session, 'user.reactivated', actor_id=actor.id, target_type='user', target_id=user_id)
    session.commit()
    bus.publish('user.changed', user_id=user_id)


def set_role(session: Session, *, actor: Any, user_id: int, role: str) -> None:
    """Make someone member, moderator or admin; the last active administrator cannot step down."""
    user = _target(session, actor, user_id)
    if role not in tuple(Role):
        raise Invalid('role', 'Unbekannte Rolle.')
    if user.role == Role.ADMIN and role != Role.ADMIN and _other_active_admins(session, user_id) == 0:
        raise Invalid('role', 'Es muss mindestens eine aktive Administratorin oder einen Administrator geben.')
    old = user.role
    user.role = role
    session.add(user)
    audit.record(session, 'user.role_changed', actor_id=actor.id, target_type='user', target_id=user_id, old=old,
                 new=role)
    session.commit()
    bus.publish('user.changed', user_id=user_id)
