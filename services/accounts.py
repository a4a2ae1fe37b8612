"""Accounts: registration, first administrator, sign-in with throttling, sessions, roles and states, invitations,
password-reset links and deleting an account."""

import hashlib
import math
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, update
from sqlmodel import Session, col, select

from models.base import utcnow
from models.organization import Organization
from models.profile import MemberProfile, MemberTag
from models.user import Invitation, LoginAttempt, PasswordReset, Role, Status, User, UserSession
from services import audit, bus, passwords, rate_limits, search
from services import organizations as orgs
from services import settings as site_settings
from services.errors import Invalid, NotAllowed, NotFound, TooManyAttempts
from services.permissions import require_active, require_admin

MAX_NAME = 100
MAX_EMAIL = 254
LANGUAGES = ('de', 'en')

# Throttling: after the setting login_free_attempts failures within WINDOW (per account or per address), each further
# try must wait BASE_DELAY * 2^(extra failures), capped at the setting login_max_delay_minutes. A success for the
# account resets its count.
WINDOW = timedelta(minutes=15)
BASE_DELAY = 30

# Writing last_seen on every request would turn each page view into a write; a few minutes' precision is enough.
TOUCH_INTERVAL = timedelta(minutes=5)
# The shortest idle sign-out: last_seen lags real activity by up to TOUCH_INTERVAL, so a shorter limit cannot be told.
MIN_IDLE = timedelta(minutes=5)

# What a deleted account keeps: its row (posts and the audit trail point to it), nothing personal.
DELETED_NAME = 'Ehemaliges Mitglied'
UNUSABLE_PASSWORD = '!deleted'  # noqa: S105 - no hash scheme matches it: passwords.verify says no to every password
MAX_BULK = 200

RESET_VALID = timedelta(hours=24)
MSG_RESET_INVALID = 'Dieser Link ist ungültig, abgelaufen oder schon benutzt. Bitte fragen Sie die Administration ' \
                    'nach einem neuen.'
MSG_INVITATION_INVALID = 'Registrieren können Sie sich nur mit einer gültigen Einladung.'
MAX_INVITATION_USES = 1000
MAX_INVITATION_DAYS = 365
INVITATION_STATES = ('open', 'used_up', 'expired', 'revoked')

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


def is_email(address: str) -> bool:
    """The one address check of the app (accounts, mail settings, test mails)."""
    return len(address) <= MAX_EMAIL and bool(_EMAIL.match(address))


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
              organization: str | int | None = None, invitation_id: int | None = None) -> User:
    name = clean_name(name)
    email, key = clean_email(email)
    passwords.check_policy(password, email=email)
    if _user_by_email_key(session, key):
        raise Invalid('email', 'Mit dieser E-Mail-Adresse gibt es schon ein Konto.')
    values = site_settings.get_settings(session)
    password_hash = _hash_without_holding_the_database(session, password)
    org_id = None
    if isinstance(organization, int):
        org_id = orgs.get_organization(session, organization).id
    elif isinstance(organization, str) and organization.strip():
        org_id = orgs.find_or_add_organization(session, organization).id
    user = User(name=name, sort_name=search.sort_key(name), email=email, email_key=key, password_hash=password_hash,
                role=role, status=status, organization_id=org_id, language=values['default_language'],
                invitation_id=invitation_id)
    session.add(user)
    session.flush()
    # The network's default for who sees a new member's e-mail address and location; the phone stays private.
    visibility = values['default_visibility']
    session.add(MemberProfile(user_id=user.id, email_visibility=visibility,  # type: ignore[arg-type]
                              location_visibility=visibility))
    _reindex(session, user.id)  # type: ignore[arg-type]
    return user


def _reindex(session: Session, user_id: int) -> None:
    """The search index holds active members only: follow every change of state."""
    from services import members  # members builds on accounts; imported here to avoid a cycle

    session.flush()
    members.reindex_member(session, user_id)


def register(session: Session, *, name: str, email: str, password: str, organization: str | int | None,
             consent: bool, invitation: str = '', ip: str = '', user_agent: str = '') -> SignedIn:
    """Create an account as the registration mode allows, and sign it in (a pending one sees only the notice).

    A valid invitation is the administration's yes: it works in every mode and the account is active at once; its
    organisation (when it names one) is the member's, whatever the form says.
    """
    mode = registration_mode(session)
    invite = _valid_invitation(session, invitation) if (invitation or '').strip() else None
    if invite is None and mode == 'closed':
        raise NotAllowed('Die Registrierung ist derzeit geschlossen.')
    if invite is None and mode == 'invite':
        raise Invalid('invitation', MSG_INVITATION_INVALID)
    if invite is not None and invite.organization_id is not None:
        organization = invite.organization_id
    if organization is None or (isinstance(organization, str) and not organization.strip()):
        raise Invalid('organization', 'Bitte wählen oder nennen Sie Ihre Verwaltung.')
    if not consent:
        raise Invalid('consent', 'Bitte stimmen Sie der Datenschutzerklärung zu.')
    _, key = clean_email(email)
    status = Status.ACTIVE
    if invite is not None:
        if invite.email and invite.email.lower() != key:
            raise Invalid('email', 'Diese Einladung gilt für eine andere E-Mail-Adresse.')
    elif mode == 'domains':
        domain = key.rsplit('@', 1)[1]
        allowed = site_settings.get_setting(session, 'allowed_domains')
        if not any(domain == d or domain.endswith('.' + d) for d in allowed):
            raise Invalid('email', 'Registrieren können sich nur Adressen dieser Domains: {domains}.',
                          domains=', '.join(allowed) or '–')
        if site_settings.get_setting(session, 'approval_for_domains'):
            status = Status.PENDING
    elif mode == 'approval':
        status = Status.PENDING
    if invite is None:  # an invitation is the administration's yes, and limits its own uses
        rate_limits.check_registration(session, ip)
    invite_id = invite.id if invite is not None else None
    user = _new_user(session, name=name, email=email, password=password, status=status, organization=organization,
                     invitation_id=invite_id)
    if invite_id is not None and not _claim_invitation(session, invite_id, user.id):  # type: ignore[arg-type]
        session.rollback()
        raise Invalid('invitation', MSG_INVITATION_INVALID)
    audit.record(session, 'user.registered', actor_id=user.id, target_type='user', target_id=user.id, ip=ip,
                 mode=mode, status=status, **({'invitation': invite_id} if invite_id is not None else {}))
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


@dataclass(frozen=True)
class InvitationInfo:
    """What the registration form shows of a valid invitation: the prefilled name, the fixed organisation."""

    name: str
    email: str
    organization_id: int | None
    organization: str


@dataclass(frozen=True)
class NewInvitation:
    """A link just made. Its secret exists only here (the database keeps its hash): the page shows it now or never."""

    id: int
    token: str


@dataclass(frozen=True)
class InvitationRow:
    id: int
    email: str
    name: str
    note: str
    organization_id: int | None
    organization: str
    max_uses: int  # 0: unlimited
    use_count: int
    state: str  # one of INVITATION_STATES
    created_at: Any
    expires_at: Any
    joined: tuple[str, ...]  # the first members who joined through it (at most 10)
    joined_count: int


def _invitation_state(invite: Invitation, now: Any) -> str:
    if invite.revoked_at is not None:
        return 'revoked'
    if invite.max_uses and invite.use_count >= invite.max_uses:
        return 'used_up'
    if invite.expires_at <= now:
        return 'expired'
    return 'open'


def _valid_invitation(session: Session, token: str) -> Invitation:
    token = (token or '').strip()
    # Looked up by the hash: the database compares hashes, so timing tells nothing about a guessed token's prefix.
    invite = session.exec(select(Invitation).where(Invitation.token_hash == hash_token(token))).first() \
        if 0 < len(token) <= 64 else None
    if invite is None or _invitation_state(invite, utcnow()) != 'open':
        raise Invalid('invitation', MSG_INVITATION_INVALID)
    return invite


def _claim_invitation(session: Session, invite_id: int, user_id: int) -> bool:
    """Take one use of an invitation. One conditional UPDATE: the database decides, so two registrations racing
    for the last use of a link cannot both get it."""
    now = utcnow()
    claim = update(Invitation).where(
        col(Invitation.id) == invite_id, col(Invitation.revoked_at).is_(None), col(Invitation.expires_at) > now,
        (col(Invitation.max_uses) == 0) | (col(Invitation.use_count) < col(Invitation.max_uses)),
    ).values(use_count=col(Invitation.use_count) + 1, used_at=now, used_by=user_id)
    return session.exec(claim).rowcount == 1  # type: ignore[call-overload]


def check_invitation(session: Session, token: str) -> bool:
    try:
        _valid_invitation(session, token)
    except Invalid:
        return False
    return True


def invitation_info(session: Session, token: str) -> InvitationInfo | None:
    """A valid invitation's prefill for the registration form, or None. Public: the secret token is the key."""
    try:
        invite = _valid_invitation(session, token)
    except Invalid:
        return None
    org = session.get(Organization, invite.organization_id) if invite.organization_id else None
    return InvitationInfo(invite.name, invite.email, org.id if org else None, org.name if org else '')


def _whole(value: Any, field: str, low: int, high: int) -> int:
    """An int from a form (ui.number gives floats) within low..high, else Invalid."""
    if isinstance(value, bool):
        raise Invalid(field, 'Bitte geben Sie eine ganze Zahl ein.')
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid(field, 'Bitte geben Sie eine ganze Zahl ein.') from None
    if not number.is_integer():
        raise Invalid(field, 'Bitte geben Sie eine ganze Zahl ein.')
    if not low <= number <= high:
        raise Invalid(field, 'Erlaubt sind {low} bis {high}.', low=low, high=high)
    return int(number)


def create_invitation(session: Session, *, actor: Any, email: str = '', name: str = '', note: str = '',
                      organization_id: int | None = None, max_uses: Any = 1, days: Any = 14) -> NewInvitation:
    """An invitation link (administrators only): for one address or anyone, once or max_uses times (0: unlimited),
    valid for `days`, optionally fixing the organisation and prefilling the name."""
    require_admin(actor)
    email = (email or '').strip()
    if email:
        email, _ = clean_email(email)
    name = ' '.join((name or '').split())
    if len(name) > MAX_NAME:
        raise Invalid('name', 'Höchstens {n} Zeichen.', n=MAX_NAME)
    note = ' '.join((note or '').split())
    if len(note) > 200:
        raise Invalid('note', 'Höchstens {n} Zeichen.', n=200)
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise Invalid('organization_id', 'Diese Verwaltung gibt es nicht.')
    uses = _whole(max_uses, 'max_uses', 0, MAX_INVITATION_USES)
    valid_days = _whole(days, 'days', 1, MAX_INVITATION_DAYS)
    token = secrets.token_urlsafe(32)  # 256 bits
    invite = Invitation(token_hash=hash_token(token), email=email, name=name, note=note,
                        organization_id=organization_id, max_uses=uses, created_by=actor.id,
                        expires_at=utcnow() + timedelta(days=valid_days))
    session.add(invite)
    session.flush()
    audit.record(session, 'invitation.created', actor_id=actor.id, target_type='invitation', target_id=invite.id,
                 max_uses=uses, days=valid_days, organization=organization_id, bound_to_address=bool(email))
    session.commit()
    bus.publish('invitations.changed', invitation_id=invite.id)
    return NewInvitation(invite.id, token)  # type: ignore[arg-type]


def revoke_invitation(session: Session, *, actor: Any, invitation_id: int) -> None:
    """Stop a link at once; who already joined through it stays (administrators only)."""
    require_admin(actor)
    invite = session.get(Invitation, invitation_id)
    if invite is None:
        raise NotFound('Diese Einladung gibt es nicht.')
    if invite.revoked_at is not None:
        raise Invalid('invitation', 'Diese Einladung ist bereits widerrufen.')
    invite.revoked_at = utcnow()
    session.add(invite)
    audit.record(session, 'invitation.revoked', actor_id=actor.id, target_type='invitation', target_id=invitation_id,
                 uses=invite.use_count)
    session.commit()
    bus.publish('invitations.changed', invitation_id=invitation_id)


def list_invitations(session: Session, *, actor: Any, limit: int = 50,
                     offset: int = 0) -> tuple[list[InvitationRow], int]:
    """Invitations, newest first, with their state and who joined through them; and the total (admins only)."""
    require_admin(actor)
    total = session.exec(select(func.count(col(Invitation.id)))).one()
    rows = list(session.exec(
        select(Invitation, Organization.name)
        .outerjoin(Organization, col(Organization.id) == Invitation.organization_id)
        .order_by(col(Invitation.id).desc()).offset(max(offset, 0)).limit(max(1, min(limit, 200)))))
    ids = [invite.id for invite, _ in rows]
    names: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    if ids:
        joined = (col(User.invitation_id).in_(ids), User.status != Status.DELETED)
        for invite_id, count in session.exec(select(User.invitation_id, func.count(col(User.id))).where(*joined)
                                             .group_by(User.invitation_id)):
            counts[invite_id] = count
        # The first ten of each in one query: a window numbers each invitation's members.
        number = func.row_number().over(partition_by=User.invitation_id, order_by=col(User.id)).label('n')
        first = select(User.invitation_id, User.name, number).where(*joined).subquery()
        for invite_id, name in session.exec(select(first.c.invitation_id, first.c.name).where(first.c.n <= 10)
                                            .order_by(first.c.invitation_id, first.c.n)):
            names.setdefault(invite_id, []).append(name)
    now = utcnow()
    return [InvitationRow(
        invite.id, invite.email, invite.name, invite.note, invite.organization_id,  # type: ignore[arg-type]
        org or '', invite.max_uses, invite.use_count, _invitation_state(invite, now), invite.created_at,
        invite.expires_at, tuple(names.get(invite.id, ())), counts.get(invite.id, 0))  # type: ignore[arg-type]
        for invite, org in rows], total


# ---------------------------------------------------------------- sign-in and sessions


def _failures(session: Session, column: Any, value: str, now: Any, *, reset_by_success: bool) -> tuple[int, Any]:
    """(failures within the window for this account or address, the last one's time)."""
    since = now - WINDOW
    if reset_by_success:
        last_success = session.exec(
            select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.success, LoginAttempt.at >= since)
        ).one()
        if last_success is not None:
            since = last_success
    return session.exec(
        select(func.count(col(LoginAttempt.id)), func.max(LoginAttempt.at)).where(
            column == value, col(LoginAttempt.success).is_(False), LoginAttempt.at > since
        )
    ).one()


def _throttle_limits(session: Session) -> tuple[int, int]:
    """(free attempts, longest wait in seconds), as the security settings say."""
    values = site_settings.get_settings(session)
    return values['login_free_attempts'], values['login_max_delay_minutes'] * 60


def _throttle_wait(session: Session, column: Any, value: str, now: Any, *, reset_by_success: bool) -> int:
    """Seconds the next try for this account or address must still wait (0: go ahead)."""
    free, max_delay = _throttle_limits(session)
    count, last_failure = _failures(session, column, value, now, reset_by_success=reset_by_success)
    if count < free or last_failure is None:
        return 0
    delay = min(BASE_DELAY * 2 ** min(count - free, 30), max_delay)
    remaining = (last_failure + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def _record_burst(session: Session, key: str, ip: str, now: Any) -> None:
    """One audit entry when an account or an address uses up its free attempts within the window (the moment
    throttling starts): a burst of guessing shows in the log once, not once per guess. Never a password."""
    free, _ = _throttle_limits(session)
    session.flush()
    details: dict[str, Any] = {}
    count, _ = _failures(session, LoginAttempt.email_key, key, now, reset_by_success=True)
    if count == free:
        details['email'], details['count'] = key, count
    if ip:
        count, _ = _failures(session, LoginAttempt.ip, ip, now, reset_by_success=False)
        if count == free:
            details['address'], details['address_count'] = ip, count
    if details:
        audit.record(session, 'signin.failure_burst', target_type='login', ip=ip, **details)


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
    if user is None or not ok or user.status == Status.DELETED:
        session.add(LoginAttempt(email_key=key, ip=ip[:64], user_id=user.id if user else None, success=False))
        audit.record(session, 'auth.failed', actor_id=user.id if user else None, target_type='user',
                     target_id=user.id if user else '', ip=ip, email=key)
        _record_burst(session, key, ip[:64], now)
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


# Every request asks this (the guard): columns, not ORM objects (loading two entities cost twice the time), in a
# statement built once (building and keying it anew cost three times what SQLite takes to answer it).
_US, _U = UserSession.__table__, User.__table__  # type: ignore[attr-defined]
_SESSION_USER = (
    select(_US.c.created_at, _US.c.last_seen_at, _U.c.id, _U.c.name, _U.c.email, _U.c.role, _U.c.status,
           _U.c.language, _U.c.organization_id)
    .join_from(_US, _U, _U.c.id == _US.c.user_id)
    .where(_US.c.id == bindparam('session_id'), _US.c.ended_at.is_(None))
)


def user_for_session(session: Session, session_id: str | None) -> CurrentUser | None:
    """The user of a live session, or None when it ended, is too old or idle, or the account is locked out.

    A session is over after `session_days`, and (when `idle_minutes` is set) when nobody used it for that long. The
    idle check allows for last_seen being written only every TOUCH_INTERVAL: it ends a session whose last_seen is
    older than idle + TOUCH_INTERVAL, so nobody active within the idle time is ever signed out, and an idle session
    ends at most TOUCH_INTERVAL late. Limits below MIN_IDLE count as MIN_IDLE.
    """
    if not session_id:
        return None
    row = session.execute(_SESSION_USER, {'session_id': session_id}).first()
    if row is None or row.status in (Status.DEACTIVATED, Status.DELETED):
        return None
    now = utcnow()
    if _over(row, site_settings.get_settings(session), now):
        session.execute(update(_US).where(_US.c.id == session_id).values(ended_at=now))
        session.commit()
        bus.publish('sessions.ended', user_id=row.id, session_ids=[session_id])
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        session.execute(update(_US).where(_US.c.id == session_id).values(last_seen_at=now))
        session.execute(update(_U).where(_U.c.id == row.id).values(last_seen_at=now))
        session.commit()
    return CurrentUser(row.id, row.name, row.email, row.role, row.status, row.language, row.organization_id,
                       session_id)


def _over(user_session: Any, values: dict[str, Any], now: Any) -> bool:
    """Whether a session outlived `session_days`, or (when set) `idle_minutes` as user_for_session explains."""
    if now - user_session.created_at > timedelta(days=values['session_days']):
        return True
    if not values['idle_minutes']:
        return False
    return now - user_session.last_seen_at > max(timedelta(minutes=values['idle_minutes']), MIN_IDLE) + TOUCH_INTERVAL


def check_open_sessions(session: Session, session_ids: Collection[str], *, used: Collection[str] = ()) -> list[str]:
    """Of the sessions whose pages are open in this process, the ones no longer live: ended, locked out, or over
    their lifetime (those are ended now and published). Sessions in `used` had page events since the last check:
    they count as seen, as a page load does (open pages work over the websocket, without page loads)."""
    ids = list(dict.fromkeys(session_ids))
    now = utcnow()
    values = site_settings.get_settings(session)
    live: set[str] = set()
    ended: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = session.exec(select(UserSession, User).join(User, col(User.id) == UserSession.user_id).where(
            col(UserSession.id).in_(ids[start:start + 500]), col(UserSession.ended_at).is_(None)))
        for user_session, user in rows:
            if user.status in (Status.DEACTIVATED, Status.DELETED):
                continue
            if user_session.id in used and now - user_session.last_seen_at > TOUCH_INTERVAL:
                user_session.last_seen_at = user.last_seen_at = now
                session.add(user)
                session.add(user_session)
            if _over(user_session, values, now):
                user_session.ended_at = now
                session.add(user_session)
                ended.setdefault(user.id, []).append(user_session.id)  # type: ignore[arg-type]
            else:
                live.add(user_session.id)
    session.commit()
    for user_id, over in ended.items():
        bus.publish('sessions.ended', user_id=user_id, session_ids=over)
    return [i for i in ids if i not in live]


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
    require_active(actor)
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == actor.id, col(UserSession.ended_at).is_(None))
        .order_by(col(UserSession.last_seen_at).desc()).limit(50)
    )
    return [SessionInfo(r.id, r.created_at, r.last_seen_at, r.ip, r.user_agent, r.id == actor.session_id) for r in rows]


def end_other_sessions(session: Session, *, actor: CurrentUser) -> int:
    require_active(actor)
    ids = _end_sessions(session, actor.id, keep=actor.session_id)
    audit.record(session, 'auth.other_sessions_ended', actor_id=actor.id, target_type='user', target_id=actor.id,
                 count=len(ids))
    session.commit()
    if ids:
        bus.publish('sessions.ended', user_id=actor.id, session_ids=ids)
    return len(ids)


def change_password(session: Session, *, actor: CurrentUser, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every other session of the user ends."""
    require_active(actor)
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
    require_active(actor)
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
    organization_id: int | None = None
    last_seen_at: Any = None


def list_users(session: Session, *, actor: Any, status: str | None = None, query: str = '', role: str | None = None,
               organization_id: int | None = None, limit: int = 50, offset: int = 0) -> tuple[list[UserRow], int]:
    """Accounts for the administration, newest first, with the total count (administrators only).

    Deleted accounts are left out unless status asks for them.
    """
    require_admin(actor)
    if status and status not in tuple(Status):
        raise Invalid('status', 'Unbekannter Status.')
    if role and role not in tuple(Role):
        raise Invalid('role', 'Unbekannte Rolle.')
    conditions: list[Any] = [User.status == status] if status else [User.status != Status.DELETED]
    if role:
        conditions.append(User.role == role)
    if organization_id is not None:
        conditions.append(User.organization_id == organization_id)
    if query.strip():
        typed = query.strip()[:100]
        # SQLite's lower() and LIKE fold only ASCII: match the name as typed too, so "Özlem" finds "Özlem".
        conditions.append(col(User.email_key).like(f'%{typed.lower()}%') | col(User.name).ilike(f'%{typed}%') |
                          col(User.name).like(f'%{typed}%'))
    total = session.exec(select(func.count(col(User.id))).where(*conditions)).one()
    rows = session.exec(
        select(User, Organization.name).outerjoin(Organization, col(Organization.id) == User.organization_id)
        .where(*conditions).order_by(col(User.id).desc()).offset(max(offset, 0)).limit(max(1, min(limit, 200)))
    )
    return [UserRow(u.id, u.name, u.email, u.role, u.status, org or '', u.created_at,  # type: ignore[arg-type]
                    u.organization_id, u.last_seen_at) for u, org in rows], total


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


def _pending_among(session: Session, actor: Any, user_ids: list[int] | tuple[int, ...]) -> list[User]:
    """The pending accounts among the chosen ones; Invalid when none is chosen or none waits."""
    require_admin(actor)
    try:
        ids = sorted({int(i) for i in user_ids})
    except (TypeError, ValueError):
        raise Invalid('user_ids', 'Bitte wählen Sie mindestens ein Konto.') from None
    if not ids:
        raise Invalid('user_ids', 'Bitte wählen Sie mindestens ein Konto.')
    if len(ids) > MAX_BULK:
        raise Invalid('user_ids', 'Höchstens {n} Konten auf einmal.', n=MAX_BULK)
    users = [u for u in session.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.id)))
             if u.status == Status.PENDING]
    if not users:
        if len(ids) > 1:
            raise Invalid('status', 'Keines der gewählten Konten wartet auf Freischaltung.')
        raise Invalid('status', 'Dieses Konto wartet nicht auf Freischaltung.')
    return users


MSG_APPROVED_NOTICE = 'Ihre Registrierung wurde freigeschaltet. Willkommen im Netzwerk!'


def approve_users(session: Session, *, actor: Any, user_ids: list[int] | tuple[int, ...]) -> int:
    """Let the chosen pending accounts in (others among them are skipped); how many. Administrators only."""
    users = _pending_among(session, actor, user_ids)
    ids = [u.id for u in users]
    for user in users:
        user.status = Status.ACTIVE
        session.add(user)
    session.flush()
    for user_id in ids:
        _reindex(session, user_id)  # type: ignore[arg-type]
    audit.record(session, 'user.approved', actor_id=actor.id, target_type='user',
                 target_id=ids[0] if len(ids) == 1 else '', user_ids=ids, count=len(ids))
    from services import notifications

    told = notifications.notify(session, ids, kind='account.approved', text=MSG_APPROVED_NOTICE, url='/',
                                group_key='account', actor_id=actor.id)
    session.commit()
    for user_id in ids:
        bus.publish('user.changed', user_id=user_id)
    notifications.announce(told)
    return len(ids)


def approve_user(session: Session, *, actor: Any, user_id: int) -> None:
    """Let a pending account in (administrators only)."""
    _target(session, actor, user_id)
    approve_users(session, actor=actor, user_ids=[user_id])


def reject_users(session: Session, *, actor: Any, user_ids: list[int] | tuple[int, ...]) -> int:
    """Turn the chosen pending registrations down: each account is deleted (see _anonymise); how many.

    Anonymised rather than removed: a pending account has written nothing, but its registration is in the audit
    trail, which is append-only (the database refuses the SET NULL a removal would cause). The address is free again
    at once, so the person may register anew.
    """
    users = _pending_among(session, actor, user_ids)
    ids = [u.id for u in users]
    cleanup = [_anonymise(session, user) for user in users]
    audit.record(session, 'user.rejected', actor_id=actor.id, target_type='user',
                 target_id=ids[0] if len(ids) == 1 else '', user_ids=ids, count=len(ids))
    session.commit()
    for user_id, done in zip(ids, cleanup, strict=True):
        _after_anonymise(user_id, done)  # type: ignore[arg-type]
    return len(ids)


def reject_user(session: Session, *, actor: Any, user_id: int) -> None:
    _target(session, actor, user_id)
    reject_users(session, actor=actor, user_ids=[user_id])


def deactivate_user(session: Session, *, actor: Any, user_id: int) -> None:
    """Lock an account out; every open session of it ends at once."""
    user = _target(session, actor, user_id)
    if user.id == actor.id:
        raise Invalid('status', 'Sie können Ihr eigenes Konto nicht deaktivieren.')
    if user.status == Status.DELETED:
        raise Invalid('status', 'Dieses Konto ist gelöscht.')
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
    """Let a deactivated account back in (a deleted one can never come back)."""
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
    if user.status == Status.DELETED:
        raise Invalid('role', 'Dieses Konto ist gelöscht.')
    if user.role == Role.ADMIN and role != Role.ADMIN and _other_active_admins(session, user_id) == 0:
        raise Invalid('role', 'Es muss mindestens eine aktive Administratorin oder einen Administrator geben.')
    old = user.role
    user.role = role
    session.add(user)
    audit.record(session, 'user.role_changed', actor_id=actor.id, target_type='user', target_id=user_id, old=old,
                 new=role)
    session.commit()
    bus.publish('user.changed', user_id=user_id)


# ---------------------------------------------------------------- password-reset links


def hash_token(token: str) -> str:
    """What a secret link is stored and looked up by. Reset and invitation secrets are 256 random bits: a plain
    SHA-256 cannot be reversed by guessing, so neither salt nor a slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()



def create_password_reset(session: Session, *, actor: Any, user_id: int) -> str:
    """A one-time link's secret for setting a new password, valid RESET_VALID (administrators only).

    Only its SHA-256 is stored; the administrator passes the link on (there may be no mail server). A new link
    makes the member's older unused ones worthless.
    """
    user = _target(session, actor, user_id)
    if user.status == Status.DELETED:
        raise Invalid('status', 'Dieses Konto ist gelöscht.')
    rate_limits.check_reset_link(session, user_id)
    token = secrets.token_urlsafe(32)
    session.exec(delete(PasswordReset).where(  # type: ignore[call-overload]
        col(PasswordReset.user_id) == user_id, col(PasswordReset.used_at).is_(None)))
    session.add(PasswordReset(token_hash=hash_token(token), user_id=user_id, created_by=actor.id,
                              expires_at=utcnow() + RESET_VALID))
    audit.record(session, 'user.password_reset_created', actor_id=actor.id, target_type='user', target_id=user_id)
    session.commit()
    return token


RESET_MAIL = {
    'de': ('Neues Passwort für {site}',
           'Guten Tag {name},\n\nüber diesen Link legen Sie ein neues Passwort für {site} fest:\n\n{link}\n\n'
           'Der Link gilt 24 Stunden und nur einmal. Wenn Sie kein neues Passwort wollten, ignorieren Sie diese '
           'Nachricht; Ihr bisheriges Passwort bleibt gültig.\n'),
    'en': ('New password for {site}',
           'Hello {name},\n\nuse this link to set a new password for {site}:\n\n{link}\n\n'
           'The link works once, within 24 hours. If you did not ask for a new password, ignore this message; your '
           'current password stays valid.\n'),
}


def mail_password_reset(session: Session, *, actor: Any, user_id: int, token: str, base_url: str) -> str:
    """Send a reset link just created by create_password_reset to the member (administrators only).

    The mail is in the member's language. Returns the address it went to. Blocks while the mail server answers:
    call it from a worker thread. One audit entry, also when the server refuses (the error is raised after it).
    """
    from services import mail

    require_admin(actor)
    row = _live_reset(session, token)
    if row is None or row.user_id != user_id:
        raise Invalid('token', MSG_RESET_INVALID)
    rate_limits.check_reset_mail(session, user_id)
    config = mail.mail_config(session)
    if not config.configured:
        raise Invalid('mail', 'Es ist kein Mailserver eingerichtet (Verwaltung → Einstellungen → E-Mail).')
    user = session.get(User, user_id)
    assert user is not None
    subject, text = RESET_MAIL['en' if user.language == 'en' else 'de']
    values = {'site': config.sender_name, 'name': user.name, 'link': f'{base_url.rstrip("/")}/reset/{token}'}
    to = user.email
    session.rollback()  # no transaction stays open while the mail server takes its time
    error: mail.MailNotSent | None = None
    try:
        mail.send_mail(config, to=to, subject=subject.format(**values), text=text.format(**values))
    except mail.MailNotSent as e:
        error = e
    audit.record(session, 'user.password_reset_mailed', actor_id=actor.id, target_type='user', target_id=user_id,
                 result='ok' if error is None else 'failed')
    session.commit()
    if error is not None:
        raise error
    return to


def _live_reset(session: Session, token: str) -> PasswordReset | None:
    """The unused, unexpired reset of a living account for this token. Looked up by the token's hash: the
    database compares hashes, so the time taken says nothing about how much of a guessed token was right."""
    token = (token or '').strip()
    if not token or len(token) > 200:
        return None
    row = session.exec(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or user.status == Status.DELETED:
        return None
    return row


def check_password_reset(session: Session, token: str) -> bool:
    """Whether a reset link can still be used (the page says so before anyone types a password)."""
    return _live_reset(session, token) is not None


def reset_password(session: Session, *, token: str, new_password: str, repeat: str | None = None,
                   ip: str = '') -> None:
    """Set a new password through a reset link: once only; every session of the member ends.

    An unknown, used or expired link gets one message that does not say which it was.
    """
    row = _live_reset(session, token)
    if row is None:
        raise Invalid('token', MSG_RESET_INVALID)
    reset_id, user_id = row.id, row.user_id
    user = session.get(User, user_id)
    assert user is not None
    passwords.check_policy(new_password, email=user.email, field='new_password')
    if repeat is not None and repeat != new_password:
        raise Invalid('repeat', 'Die beiden Passwörter stimmen nicht überein.')
    new_hash = _hash_without_holding_the_database(session, new_password)
    now = utcnow()
    # Conditional: two tabs sending the same link at once cannot both use it.
    used = session.exec(update(PasswordReset).where(  # type: ignore[call-overload]
        col(PasswordReset.id) == reset_id, col(PasswordReset.used_at).is_(None), col(PasswordReset.expires_at) > now
    ).values(used_at=now))
    user = session.get(User, user_id)
    if used.rowcount != 1 or user is None or user.status == Status.DELETED:
        session.rollback()
        raise Invalid('token', MSG_RESET_INVALID)
    user.password_hash = new_hash
    session.add(user)
    ended = _end_sessions(session, user_id)
    audit.record(session, 'auth.password_reset', actor_id=user_id, target_type='user', target_id=user_id, ip=ip,
                 sessions_ended=len(ended))
    session.commit()
    if ended:
        bus.publish('sessions.ended', user_id=user_id, session_ids=ended)


# ---------------------------------------------------------------- deleting an account


@dataclass(frozen=True)
class _Cleanup:
    """What is left to do after the commit that anonymised an account."""

    sessions: list[str]
    avatar: str
    events: list[int]
    promoted: list[int]
    files: tuple[str, ...] = ()  # attachments of the account's posts, to unlink


def _anonymise(session: Session, user: User) -> _Cleanup:
    """Strip an account of everything personal, in the caller's transaction; the row stays as DELETED.

    Gone: profile, tags, picture, sessions, feed, notices and their settings, mails, read marks, watching, blocks,
    the messages it wrote (services/messages.forget_member) and the files attached to its posts (DSGVO Art. 17: the
    uploads go also when the posts stay). Posts stay; what happens to them is the caller's choice.
    """
    from models.board import Attachment, BoardWatch, Mention, Post, ThreadRead
    from models.event import CalendarFeed
    from models.mail import OutboxMail
    from models.notification import Notification, NotificationPreference
    from services import attendance, messages  # imported here to avoid cycles (attendance builds on accounts)

    user_id = user.id
    assert user_id is not None
    old_key = user.email_key
    sessions = list(session.exec(select(UserSession.id).where(
        UserSession.user_id == user_id, col(UserSession.ended_at).is_(None))))
    profile = session.get(MemberProfile, user_id)
    avatar = profile.avatar if profile else ''
    for table, condition in (
        (UserSession, col(UserSession.user_id) == user_id),
        (MemberProfile, col(MemberProfile.user_id) == user_id),
        (MemberTag, col(MemberTag.user_id) == user_id),
        (CalendarFeed, col(CalendarFeed.user_id) == user_id),
        (Notification, col(Notification.user_id) == user_id),
        (PasswordReset, col(PasswordReset.user_id) == user_id),
        (LoginAttempt, (col(LoginAttempt.user_id) == user_id) | (col(LoginAttempt.email_key) == old_key)),
        (NotificationPreference, col(NotificationPreference.user_id) == user_id),
        (OutboxMail, col(OutboxMail.user_id) == user_id),
        (ThreadRead, col(ThreadRead.user_id) == user_id),
        (BoardWatch, col(BoardWatch.user_id) == user_id),
        (Mention, col(Mention.user_id) == user_id),
    ):
        session.exec(delete(table).where(condition))  # type: ignore[call-overload]
    messages.forget_member(session, user_id)
    own_posts = select(Post.id).where(Post.author_id == user_id)
    files = list(session.exec(select(Attachment.stored_name).where(col(Attachment.post_id).in_(own_posts))))
    session.exec(delete(Attachment).where(col(Attachment.post_id).in_(own_posts)))  # type: ignore[call-overload]
    if user.invitation_id is not None:  # the address the invitation was meant for is theirs, too
        session.exec(update(Invitation).where(  # type: ignore[call-overload]
            col(Invitation.id) == user.invitation_id, func.lower(Invitation.email) == old_key).values(email=''))
    events, promoted = attendance.decline_future(session, user_id)
    placeholder = f'deleted-{user_id}@invalid'
    user = session.get(User, user_id)  # type: ignore[assignment]
    user.name, user.sort_name = DELETED_NAME, search.sort_key(DELETED_NAME)
    user.email = user.email_key = placeholder
    user.password_hash = UNUSABLE_PASSWORD
    user.organization_id = None
    user.role = Role.MEMBER
    user.status = Status.DELETED
    user.last_seen_at = None
    session.add(user)
    _reindex(session, user_id)
    return _Cleanup(sessions, avatar, events, promoted, tuple(files))


def _after_anonymise(user_id: int, done: _Cleanup) -> None:
    from services import data_export, images, notifications
    from services.posts import attachment_path

    if done.avatar:
        images.delete_avatar(done.avatar)
    for name in done.files:
        if (path := attachment_path(name)) is not None:
            path.unlink(missing_ok=True)
    data_export.discard(user_id)
    if done.sessions:
        bus.publish('sessions.ended', user_id=user_id, session_ids=done.sessions)
    notifications.announce(done.promoted)
    for event_id in done.events:
        bus.publish('events.rsvp', event_id=event_id, user_id=user_id, promoted=done.promoted)
    bus.publish('user.changed', user_id=user_id)
    bus.publish('member.updated', user_id=user_id)


def _delete_posts_of(session: Session, actor: Any, user_id: int) -> int:
    """Delete a member's posts as a moderator would (threads they opened go first, with the replies in them)."""
    from models.board import Post, Thread
    from services import posts

    tried: set[int] = set()
    deleted = 0
    while True:
        batch = [i for i in session.exec(
            select(Post.id).join(Thread, col(Thread.id) == Post.thread_id)
            .where(Post.author_id == user_id, col(Post.deleted).is_(False), col(Thread.deleted).is_(False))
            .order_by(col(Post.number), col(Post.id)).limit(200)) if i not in tried]
        if not batch:
            return deleted
        for post_id in batch:
            tried.add(post_id)  # type: ignore[arg-type]
            try:
                # Not audited one by one: the account's deletion is one entry, with the number of posts it removed.
                posts.delete_post(session, actor=actor, post_id=post_id, audited=False)  # type: ignore[arg-type]
            except NotFound:  # gone meanwhile (its thread was deleted with an earlier question)
                session.rollback()
                continue
            deleted += 1


def delete_account(session: Session, *, actor: Any, user_id: int, keep_posts: bool) -> None:
    """Delete an account for good (administrators only).

    The row stays, stripped of everything personal and named DELETED_NAME, because posts and the audit trail point
    to it; it can never sign in or come back. Its posts stay under that name, or (keep_posts False) are deleted as
    a moderator deletes them. The last active administrator cannot be deleted, by anyone.
    """
    user = _target(session, actor, user_id)
    if user.status == Status.DELETED:
        raise Invalid('status', 'Dieses Konto ist bereits gelöscht.')
    if user.role == Role.ADMIN and _other_active_admins(session, user_id) == 0:
        raise Invalid('status', 'Das letzte aktive Administrationskonto kann nicht gelöscht werden.')
    posts_deleted = 0 if keep_posts else _delete_posts_of(session, actor, user_id)
    user = session.get(User, user_id)  # type: ignore[assignment]
    if user is None or user.status == Status.DELETED:
        raise NotFound('Dieses Mitglied gibt es nicht.')
    done = _anonymise(session, user)
    audit.record(session, 'user.deleted', actor_id=actor.id, target_type='user', target_id=user_id,
                 keep_posts=bool(keep_posts), posts_deleted=posts_deleted)
    session.commit()
    _after_anonymise(user_id, done)


MSG_LAST_ADMIN_SELF = 'Sie sind die einzige aktive Administratorin oder der einzige aktive Administrator. Ernennen ' \
                      'Sie zuerst eine weitere Person zur Administration; dann können Sie Ihr Konto löschen.'
MAX_LIVE_UPDATES = 500  # changed posts whose open thread pages are told at once; beyond that they see it on reload


@dataclass(frozen=True)
class _Withdrawn:
    """What removing a member's posts left to do after the commit."""

    count: int
    files: tuple[str, ...]
    changed: tuple[int, ...]  # posts that became placeholders in live threads
    removed: tuple[tuple[int, int], ...]  # (board, thread) of threads that went


def _blank_post(session: Session, post: Any) -> None:
    """Drop a post's text, history and reactions (its files go with the account); its place stays as a placeholder.

    For a question others have answered, and for posts in threads the moderation already deleted (whose text was
    still stored). The board's counters are left alone: the thread keeps its question's place.
    """
    from models.board import PostRevision, Reaction

    post.deleted = True
    post.body, post.body_html = '', ''
    post.thanks_count = post.helpful_count = 0
    session.exec(delete(PostRevision).where(col(PostRevision.post_id) == post.id))  # type: ignore[call-overload]
    session.exec(delete(Reaction).where(col(Reaction.post_id) == post.id))  # type: ignore[call-overload]
    search.remove_post(session, post.id)
    session.add(post)


def _withdraw_posts(session: Session, user_id: int) -> _Withdrawn:
    """Remove the text of every post of a member who deletes their own account and chose not to keep their posts.

    As Discourse does it: replies become the usual "Dieser Beitrag wurde gelöscht." placeholders. A thread the member
    opened goes as a whole while nobody else has answered it; once others have, only the question's text goes and
    the others' answers stay, under the thread's title (it names what they answered). So, unlike an administrator's
    deletion with posts (`_delete_posts_of`, which deletes threads with every answer in them), no one else's
    answers disappear with an account. In the caller's transaction; files are returned to be unlinked.
    """
    from models.board import Post, Thread
    from services import moderation, posts

    count = 0
    files: list[str] = []
    changed: list[int] = []
    removed: list[tuple[int, int]] = []
    # Replies first: afterwards a thread's reply_count says whether answers of others remain.
    for questions in (False, True):
        which = col(Post.number) == 1 if questions else col(Post.number) > 1
        after = 0
        while True:
            batch = list(session.exec(select(Post).where(
                Post.author_id == user_id, which, col(Post.deleted).is_(False), col(Post.id) > after)
                .order_by(col(Post.id)).limit(200)))
            if not batch:
                break
            after = batch[-1].id  # type: ignore[assignment]
            for post in batch:
                thread = session.get(Thread, post.thread_id)
                assert thread is not None
                count += 1
                if thread.deleted:
                    _blank_post(session, post)
                elif not questions:
                    files += posts.remove_reply(session, post, thread)
                    changed.append(post.id)  # type: ignore[arg-type]
                elif thread.reply_count > 0:
                    _blank_post(session, post)
                    changed.append(post.id)  # type: ignore[arg-type]
                else:
                    files += moderation.remove_thread(session, thread)
                    _blank_post(session, post)
                    removed.append((thread.board_id, thread.id))  # type: ignore[arg-type]
            session.flush()
    return _Withdrawn(count, tuple(files), tuple(changed), tuple(removed))


def _publish_withdrawn(session: Session, withdrawn: _Withdrawn) -> None:
    from models.board import Post, Thread
    from services import posts

    for board_id, thread_id in withdrawn.removed:
        bus.publish('boards.thread', kind='deleted', board_id=board_id, thread_id=thread_id)
    for post_id in withdrawn.changed[:MAX_LIVE_UPDATES]:
        post = session.get(Post, post_id)
        thread = session.get(Thread, post.thread_id) if post is not None else None
        if post is not None and thread is not None and not thread.deleted:
            posts.publish_changed(session, post, thread)


def delete_own_account(session: Session, *, actor: Any, password: str, keep_posts: bool) -> None:
    """Delete my own account (DSGVO Art. 17) after checking my password.

    The same anonymisation as `delete_account`: profile, picture, messages, uploads, sessions (every open page goes
    to the sign-in page) and the rest go; the row stays as DELETED_NAME. My posts stay under that name, or
    (keep_posts False) lose their text as `_withdraw_posts` describes. The audit entry names the account's number
    only. The last active administrator cannot leave: nobody would be left to run the network.
    """
    require_active(actor)
    user = session.get(User, actor.id)
    if user is None or user.status != Status.ACTIVE:
        raise NotAllowed()
    if user.role == Role.ADMIN and _other_active_admins(session, actor.id) == 0:
        raise Invalid('account', MSG_LAST_ADMIN_SELF)
    if not password:
        raise Invalid('password', 'Bitte geben Sie Ihr Passwort ein.')
    stored_hash = user.password_hash
    _release(session)
    ok, _ = passwords.verify(password[: passwords.MAX_LENGTH], stored_hash)
    if not ok:
        raise Invalid('password', 'Das Passwort stimmt nicht.')
    user = session.get(User, actor.id)
    if user is None or user.status != Status.ACTIVE:  # deactivated or deleted while the password was checked
        raise NotAllowed()
    if user.role == Role.ADMIN and _other_active_admins(session, actor.id) == 0:
        raise Invalid('account', MSG_LAST_ADMIN_SELF)
    user_id: int = user.id  # type: ignore[assignment]
    withdrawn = None if keep_posts else _withdraw_posts(session, user_id)
    user = session.get(User, user_id)  # type: ignore[assignment]
    done = _anonymise(session, user)
    audit.record(session, 'account.self_deleted', actor_id=user_id, target_type='user', target_id=user_id,
                 keep_posts=bool(keep_posts), posts_deleted=withdrawn.count if withdrawn else 0)
    session.commit()
    if withdrawn is not None:
        from services.posts import attachment_path

        for name in withdrawn.files:
            if (path := attachment_path(name)) is not None:
                path.unlink(missing_ok=True)
    _after_anonymise(user_id, done)
    if withdrawn is not None:
        _publish_withdrawn(session, withdrawn)
