"""SQLModel tables, one module per domain. Importing this package registers every table."""

from models.audit import AuditEntry
from models.board import (
                          Attachment,
                          Board,
                          BoardWatch,
                          Mention,
                          Post,
                          PostReport,
                          PostRevision,
                          Reaction,
                          Thread,
                          ThreadRead,
                          ThreadTag,
)
from models.event import CalendarFeed, Event, EventTag, Rsvp
from models.notification import Notification
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag
from models.setting import Setting
from models.user import Invitation, LoginAttempt, User, UserSession

__all__ = [
    'Attachment', 'AuditEntry', 'Board', 'BoardWatch', 'CalendarFeed', 'Event', 'EventTag', 'Invitation',
    'LoginAttempt', 'MemberProfile', 'MemberTag', 'Mention', 'Notification', 'Organization', 'Post', 'PostReport',
    'PostRevision', 'Reaction', 'Rsvp', 'Setting', 'Tag', 'Thread', 'ThreadRead', 'ThreadTag', 'User', 'UserSession',
]
