"""How long personal data that nobody needs any more is kept: the clean-up the background job runs hourly.

Content members wrote (posts, messages, events, their profile) stays until they or an administrator delete it; the
audit log is append-only and kept. What goes on its own:
- sign-in attempts (address, time, IP) after LOGIN_ATTEMPTS_DAYS: long enough for throttling and for looking into an
  attack, short enough not to become a record of who signed in when;
- ended sessions (device, IP) after SESSIONS_DAYS;
- notices already read after READ_NOTICES_DAYS;
- used or expired password-reset links after RESETS_DAYS (only their hashes were stored);
- sent e-mails after 30 days (services/outbox.py, KEEP_SENT);
- a member's data export (ZIP in the data folder) after 24 hours (services/data_export.py, EXPIRY).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session, col

from models.base import utcnow
from models.notification import Notification
from models.user import LoginAttempt, PasswordReset, UserSession
from services import data_export

LOGIN_ATTEMPTS_DAYS = 90
SESSIONS_DAYS = 30
READ_NOTICES_DAYS = 180
RESETS_DAYS = 7


@dataclass(frozen=True)
class Pruned:
    login_attempts: int
    sessions: int
    notices: int
    resets: int
    exports: int = 0  # files, not rows


def prune(session: Session, *, now: datetime | None = None) -> Pruned:
    """Delete what is past its time, in one transaction (the background job calls it hourly from a worker thread)."""
    now = now or utcnow()

    def days(n: int) -> datetime:
        return now - timedelta(days=n)

    attempts = session.exec(delete(LoginAttempt).where(  # type: ignore[call-overload]
        col(LoginAttempt.at) < days(LOGIN_ATTEMPTS_DAYS))).rowcount
    sessions = session.exec(delete(UserSession).where(  # type: ignore[call-overload]
        col(UserSession.ended_at).is_not(None), col(UserSession.ended_at) < days(SESSIONS_DAYS))).rowcount
    notices = session.exec(delete(Notification).where(  # type: ignore[call-overload]
        col(Notification.read_at).is_not(None), col(Notification.read_at) < days(READ_NOTICES_DAYS))).rowcount
    resets = session.exec(delete(PasswordReset).where(  # type: ignore[call-overload]
        or_(col(PasswordReset.used_at) < days(RESETS_DAYS), col(PasswordReset.expires_at) < days(RESETS_DAYS)))
    ).rowcount
    session.commit()
    # Files, not rows: after the commit, so that a slow disk holds no transaction.
    exports = data_export.delete_expired(now=now)
    return Pruned(attempts or 0, sessions or 0, notices or 0, resets or 0, exports)
