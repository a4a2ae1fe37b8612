"""SQLModel tables, one module per domain. Importing this package registers every table."""

from models.audit import AuditEntry
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag
from models.setting import Setting
from models.user import Invitation, LoginAttempt, User, UserSession

__all__ = ['AuditEntry', 'Invitation', 'LoginAttempt', 'MemberProfile', 'MemberTag', 'Organization', 'Setting', 'Tag',
           'User', 'UserSession']
