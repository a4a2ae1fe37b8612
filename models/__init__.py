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
from models.mail import JobRun, OutboxMail
from models.message import Conversation, ConversationMember, MemberBlock, Message, MessageReport
from models.notification import Notification, NotificationPreference
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag
from models.setting import Setting
from models.user import Invitation, LoginAttempt, PasswordReset, User, UserSession

__all__ = [
    'Attachment', 'AuditEntry', 'Board', 'BoardWatch', 'CalendarFeed', 'Conversation', 'ConversationMember', 'Event',
    'EventTag', 'Invitation', 'JobRun', 'LoginAttempt', 'MemberBlock', 'MemberProfile', 'MemberTag', 'Mention',
    'Message', 'MessageReport', 'Notification', 'NotificationPreference', 'Organization', 'OutboxMail',
    'PasswordReset', 'Post', 'PostReport', 'PostRevision', 'Reaction', 'Rsvp', 'Setting', 'Tag', 'Thread',
    'ThreadRead', 'ThreadTag', 'User', 'UserSession',
]
