"""Accounts, their server-side sessions, sign-in attempts and invitations."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Role(StrEnum):
    MEMBER = 'member'
    MODERATOR = 'moderator'
    ADMIN = 'admin'


class Status(StrEnum):
    PENDING = 'pending'
    ACTIVE = 'active'
    DEACTIVATED = 'deactivated'
    # The account was deleted: the row stays (posts and the audit trail point to it) with every personal value
    # replaced, so it reads "Ehemaliges Mitglied" and can never sign in again.
    DELETED = 'deleted'


class User(SQLModel, table=True):
    # Nearly every member is active, so "status = active" narrows nothing: these indexes lead with the status so
    # that counting per organisation and the directory's orders (name, newest, recently seen) walk an index
    # instead of sorting every member.
    __table_args__ = (
        Index('ix_user_status_organization', 'status', 'organization_id'),
        Index('ix_user_status_sort_name', 'status', 'sort_name'),
        Index('ix_user_status_created_at', 'status', 'created_at'),
        Index('ix_user_status_last_seen_at', 'status', 'last_seen_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    # Lower-cased address: uniqueness must not depend on how someone typed it.
    email_key: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=100)
    # Lower-cased, umlauts spelled out: sorts "Özdemir" with the O's, not after Z.
    sort_name: str = Field(default='', max_length=120, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.MEMBER, max_length=16, index=True)
    status: str = Field(default=Status.PENDING, max_length=16, index=True)
    organization_id: int | None = Field(default=None, foreign_key='organization.id', index=True, ondelete='SET NULL')
    language: str = Field(default='de', max_length=5)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    last_seen_at: datetime | None = Field(default=None, index=True)
    # The invitation this member joined through (administrators see who joined through which link). No foreign key:
    # invitation already points to user, and invitations are revoked, never deleted.
    invitation_id: int | None = Field(default=None, index=True)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie only carries a reference; ending the row ends the session."""

    __tablename__ = 'user_session'

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='user.id', index=True, ondelete='CASCADE')
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ip: str = Field(default='', max_length=64)
    user_agent: str = Field(default='', max_length=255)
    ended_at: datetime | None = Field(default=None)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = 'login_attempt'
    __table_args__ = (
        Index('ix_login_attempt_email_at', 'email_key', 'at'),
        Index('ix_login_attempt_ip_at', 'ip', 'at'),
        Index('ix_login_attempt_at', 'at'),  # the statistics count sign-ins per week
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    email_key: str = Field(max_length=254)
    ip: str = Field(default='', max_length=64)
    user_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    success: bool = False


class Invitation(SQLModel, table=True):
    """A registration link. Only the SHA-256 of its secret is stored: the administration sees the link once, when it
    is made, and a database leak lets nobody register."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(default='', max_length=254)  # when set, only this address can use the link
    name: str = Field(default='', max_length=100)  # prefilled on the registration form (imported members)
    note: str = Field(default='', max_length=200)  # what the link is for ("Workshop Digitalisierung 2027")
    organization_id: int | None = Field(default=None, foreign_key='organization.id', ondelete='SET NULL')
    max_uses: int = Field(default=1)  # 0: as often as it is used before it expires
    use_count: int = Field(default=0)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    used_at: datetime | None = None  # the last use
    used_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a new password. Only the token's SHA-256 is stored: a database leak opens no account."""

    __tablename__ = 'password_reset'

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key='user.id', index=True, ondelete='CASCADE')
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
