"""Rate limits against abuse: how much one account may write, upload or have sent in a short time, and how often one
address may register or open pages without being signed in.

Per account the limits are counted in the database, from rows that exist anyway (posts by their author, files by
the author of their post, messages by their author, audit entries of avatars and reset links). So they hold across
restarts and across several instances of the app, and need no table of their own. Every count reads at most
`limit` rows through an index (messages: per conversation written in lately, see check_messages), so it adds no
noticeable time to a write. Two requests of one member at the same instant may both pass: a limit against floods, not
an exact quota.

Per address (registrations, anonymous page requests) nothing is stored in the database: there is no account yet to
store it with, and a flood of requests must not turn into a flood of writes. The counts live in memory, in a table of
fixed size per address that cannot grow beyond MAX_ADDRESSES, however many addresses an attacker uses.

Moderators and administrators are exempt from the limits on posts, messages and uploads: they are appointed by the
administration, and their work (announcements, moderation notes) comes in bursts. Nobody is exempt from the limit on
reset links: it protects the member whose mailbox receives them.

Limits (defaults; the administration changes them under Einstellungen → Sicherheit) and why they are generous:
- 30 posts (threads count with their first post) in 10 minutes: one every 20 seconds for ten minutes; nobody who
  reads what they answer writes faster, a script hits the limit at once.
- 60 messages in 10 minutes: chats are short and quick ("ok", "danke"), so twice the posts.
- 20 files in 10 minutes (attachments and profile pictures): four posts with the most files a post may carry.
- 20 registration attempts per address and hour: one person needs one to three; an office behind one address can
  still register a handful of colleagues an hour; an administration raises it for an on-boarding day, or sends
  invitations: registrations with a valid invitation are not counted (the invitation limits its own uses).
- 5 reset links (and 5 reset mails) per account and hour: each new link voids the previous one, so more means a
  mistake or someone filling the member's mailbox.
- 60 anonymous pages per address and minute (see ui/throttle.py): a visitor reads the sign-in, registration, imprint
  and privacy pages, a handful a minute; signed-in members are never counted.
"""

import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models.audit import AuditEntry
from models.base import utcnow
from models.board import Attachment, Post
from models.message import Message
from services import settings as site_settings
from services.errors import RateLimited

CONTENT_WINDOW = timedelta(minutes=10)
REGISTRATION_WINDOW = timedelta(hours=1)
RESET_WINDOW = timedelta(hours=1)
RESET_LINKS_PER_HOUR = 5
ANONYMOUS_PAGE_WINDOW = 60.0  # seconds
MAX_ADDRESSES = 10_000  # addresses remembered per table: about 2 MB at most

MSG_POSTS = ('Sie haben in kurzer Zeit sehr viele Beiträge geschrieben (höchstens {limit} in {window} Minuten). '
             'Bitte versuchen Sie es in {minutes} Min. wieder.')
MSG_MESSAGES = ('Sie haben in kurzer Zeit sehr viele Nachrichten geschrieben (höchstens {limit} in {window} Minuten). '
                'Bitte versuchen Sie es in {minutes} Min. wieder.')
MSG_UPLOADS = ('Sie haben in kurzer Zeit sehr viele Dateien hochgeladen (höchstens {limit} in {window} Minuten). '
               'Bitte versuchen Sie es in {minutes} Min. wieder.')
MSG_REGISTRATIONS = ('Von Ihrer Adresse aus gab es in der letzten Stunde zu viele Registrierungsversuche. '
                     'Bitte versuchen Sie es in {minutes} Min. wieder.')
MSG_RESET_LINKS = ('Für dieses Konto wurden in der letzten Stunde schon {limit} Links zum Zurücksetzen des Passworts '
                   'erstellt. Bitte versuchen Sie es in {minutes} Min. wieder.')
MSG_RESET_MAILS = ('An dieses Konto gingen in der letzten Stunde schon {limit} E-Mails zum Zurücksetzen des Passworts. '
                   'Bitte versuchen Sie es in {minutes} Min. wieder.')


_suspended: ContextVar[bool] = ContextVar('rate_limits_suspended', default=False)


@contextmanager
def suspended() -> Iterator[None]:
    """For the system's own bulk writes in the name of members (the demo network): the limits are for people."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def exempt(actor: Any) -> bool:
    """Moderators and administrators write without limits on posts, messages and uploads."""
    return _suspended.get() or bool(getattr(actor, 'is_moderator', False))


def _enforce(newest: list[datetime], *, limit: int, window: timedelta, now: datetime, adding: int, message: str,
             **params: Any) -> None:
    """Raise RateLimited unless `adding` more fit beside the events in the window (`newest`: their times).

    When they do not fit, the wait is until enough of the earlier ones have left the window: the one at position
    limit - adding (newest first) is the last that has to go.
    """
    keep = max(limit - adding, 0)
    if len(newest) <= keep:
        return
    blocking = sorted(newest, reverse=True)[keep]
    # The window includes its start: the blocking event counts until just after it is `window` old.
    wait = math.floor((blocking + window - now).total_seconds()) + 1
    raise RateLimited(message, retry_after=max(wait, 1), limit=limit, window=round(window.total_seconds() / 60),
                      **params)


# ---------------------------------------------------------------- per account, counted in the database


def check_posts(session: Session, actor: Any) -> None:
    """Before a new thread or reply: refuse when the author wrote `posts_per_10_minutes` posts in 10 minutes.

    Deleted posts count too: deleting and writing again must not reset the count.
    """
    if exempt(actor):
        return
    limit = int(site_settings.get_setting(session, 'posts_per_10_minutes'))
    now = utcnow()
    newest = list(session.execute(
        select(Post.__table__.c.created_at).where(
            Post.__table__.c.author_id == actor.id, Post.__table__.c.created_at >= now - CONTENT_WINDOW)
        .order_by(Post.__table__.c.created_at.desc()).limit(limit)).scalars())  # ix_post_author_created
    _enforce(newest, limit=limit, window=CONTENT_WINDOW, now=now, adding=1, message=MSG_POSTS)


def check_uploads(session: Session, actor: Any, files: int) -> None:
    """Before storing `files` new files (attachments or a profile picture) of this member."""
    if files <= 0 or exempt(actor):
        return
    limit = int(site_settings.get_setting(session, 'uploads_per_10_minutes'))
    now = utcnow()
    since = now - CONTENT_WINDOW
    post = Post.__table__.c
    attachments = session.execute(
        select(post.created_at).select_from(Attachment.__table__.join(Post.__table__,
                                                                      Attachment.__table__.c.post_id == post.id))
        .where(post.author_id == actor.id, post.created_at >= since)
        .order_by(post.created_at.desc()).limit(limit)).scalars()
    audit = AuditEntry.__table__.c
    avatars = session.execute(
        select(audit.at).where(audit.actor_id == actor.id, audit.action == 'profile.avatar_changed', audit.at >= since)
        .order_by(audit.at.desc()).limit(limit)).scalars()
    _enforce([*attachments, *avatars], limit=limit, window=CONTENT_WINDOW, now=now, adding=files, message=MSG_UPLOADS)


def check_messages(session: Session, actor: Any) -> None:
    """Before a new message: refuse when the author wrote `messages_per_10_minutes` messages in 10 minutes."""
    if exempt(actor):
        return
    limit = int(site_settings.get_setting(session, 'messages_per_10_minutes'))
    now = utcnow()
    message = Message.__table__.c
    newest = list(session.execute(  # index (author_id, created_at): at most `limit` rows read
        select(message.created_at).where(message.author_id == actor.id, message.created_at >= now - CONTENT_WINDOW)
        .order_by(message.created_at.desc()).limit(limit)).scalars())
    _enforce(newest, limit=limit, window=CONTENT_WINDOW, now=now, adding=1, message=MSG_MESSAGES)


def _audited(session: Session, action: str, user_id: int, since: datetime, limit: int) -> list[datetime]:
    audit = AuditEntry.__table__.c
    return list(session.execute(
        select(audit.at).where(audit.action == action, audit.target_type == 'user', audit.target_id == str(user_id),
                               audit.at >= since).order_by(audit.at.desc()).limit(limit)).scalars())


def check_reset_link(session: Session, user_id: int) -> None:
    """Before a new password-reset link for this member (whoever asks for it)."""
    now = utcnow()
    newest = _audited(session, 'user.password_reset_created', user_id, now - RESET_WINDOW, RESET_LINKS_PER_HOUR)
    _enforce(newest, limit=RESET_LINKS_PER_HOUR, window=RESET_WINDOW, now=now, adding=1, message=MSG_RESET_LINKS)


def check_reset_mail(session: Session, user_id: int) -> None:
    """Before mailing a reset link to this member: the same link may be sent again, but not without end."""
    now = utcnow()
    newest = _audited(session, 'user.password_reset_mailed', user_id, now - RESET_WINDOW, RESET_LINKS_PER_HOUR)
    _enforce(newest, limit=RESET_LINKS_PER_HOUR, window=RESET_WINDOW, now=now, adding=1, message=MSG_RESET_MAILS)


# ---------------------------------------------------------------- per address, counted in memory


class AddressWindow:
    """Hits per address within a sliding window, in constant memory per address and for at most `max_addresses`.

    Each address keeps three numbers: the window-long bucket of the clock it last counted in, the hits in that
    bucket and in the one before. The hits of the last `seconds` are estimated as all of the current bucket's plus
    the share of the previous bucket's that still lies in the sliding window (as if they were spread evenly). A
    hit that is refused is not counted, so hammering does not prolong the wait.

    When the table is full, the address used longest ago is forgotten first (its window has almost always passed
    already). An attacker with more addresses than that gains nothing he could not get with fresh addresses anyway.
    """

    def __init__(self, seconds: float, max_addresses: int = MAX_ADDRESSES) -> None:
        self.seconds = seconds
        self.max_addresses = max_addresses
        self._entries: OrderedDict[str, list[float]] = OrderedDict()  # address → [bucket, previous, current]
        self._lock = threading.Lock()  # registrations arrive from worker threads

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def hit(self, address: str, limit: int, now: float | None = None) -> int:
        """Count a hit and return 0, or return the seconds until the next hit will be counted (this one is not)."""
        now = time.monotonic() if now is None else now
        limit = max(limit, 1)
        window = self.seconds
        bucket = math.floor(now / window)
        with self._lock:
            entry = self._entries.get(address)
            if entry is None:
                while len(self._entries) >= self.max_addresses:
                    self._entries.popitem(last=False)  # the least recently used first
                entry = self._entries[address] = [bucket, 0, 0]
            else:
                self._entries.move_to_end(address)
            if entry[0] != bucket:
                entry[1] = entry[2] if entry[0] == bucket - 1 else 0
                entry[0], entry[2] = bucket, 0
            _, previous, current = entry
            elapsed = now - bucket * window
            if previous * (1 - elapsed / window) + current < limit:
                entry[2] += 1
                return 0
        if current < limit:
            # Within this bucket (previous > 0 here), once enough of the previous bucket's share has slid out.
            wait = window * (1 - (limit - current) / previous) - elapsed
        else:
            # In the next bucket this one's hits are the previous ones; they slide out over its course.
            wait = window - elapsed + window * (1 - limit / current)
        return max(1, math.floor(wait) + 1)  # the estimate has to fall below the limit, not just reach it


anonymous_pages = AddressWindow(ANONYMOUS_PAGE_WINDOW)
# One table per database: two apps in one process (the tests) do not share their counts.
_registrations: 'weakref.WeakKeyDictionary[Any, AddressWindow]' = weakref.WeakKeyDictionary()
_registrations_lock = threading.Lock()


def check_registration(session: Session, ip: str) -> None:
    """Count a registration attempt from this address; refuse when the address used up `registrations_per_hour`."""
    if not ip:
        return  # commands and tests without an address
    engine = session.get_bind()
    with _registrations_lock:
        window = _registrations.get(engine)
        if window is None:
            window = _registrations[engine] = AddressWindow(REGISTRATION_WINDOW.total_seconds())
    limit = int(site_settings.get_setting(session, 'registrations_per_hour'))
    wait = window.hit(ip[:64], limit)
    if wait:
        raise RateLimited(MSG_REGISTRATIONS, retry_after=wait, limit=limit)


def anonymous_page(address: str, limit: int, now: float | None = None) -> int:
    """Count an anonymous page request from this address: 0, or the seconds it has to wait."""
    return anonymous_pages.hit(address[:64], limit, now)
