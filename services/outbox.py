"""The outbox: services add mails in their own transaction (`enqueue`), a background worker sends them (`send_due`).

Nothing is ever sent inside a page request. The worker runs in a thread (ui/background.py, run.io_bound).

Delivery guarantee, honestly: *at least once*, with a small window for *twice*.
- A mail is claimed with a conditional UPDATE (pending → sending, locked_until = now + LEASE) that is committed
  before the SMTP conversation starts; a second worker (or a second run) cannot claim it while the lease lasts.
- Right after the server's "250 OK" the mail is marked sent and committed. If the process dies exactly between the
  two (after the server accepted, before the commit), the lease runs out and the mail is sent again: once more, not
  in a loop. Every mail carries a stable Message-ID made from its id (`<vn-outbox-ID@domain>`), so a duplicate is
  recognisable (and many mail systems drop it).
- A failed attempt is retried after 1, 5, 30 minutes, 2 and 12 hours; after the last attempt the mail is marked
  failed and ONE audit entry 'mail.failed' is written (address, subject, the server's answer; never credentials).
- Without a configured mail server nothing is claimed: the mails wait, nothing is lost.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlmodel import Session

from models.base import utcnow
from models.mail import OutboxMail
from services import audit, mail
from services.errors import DomainError

log = logging.getLogger(__name__)
O = OutboxMail.__table__  # noqa: E741
LEASE = timedelta(minutes=10)  # longer than the slowest attempt (several mail.TIMEOUT steps)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
KEEP_SENT = timedelta(days=30)




# ---------------------------------------------------------------- addresses in mails


def base_url() -> str:
    """The address members open: VN_BASE_URL, else http://VN_HOST:VN_PORT (read from the environment)."""
    from services.config import load_config

    return load_config().public_base_url


def _prefs_key() -> bytes:
    # The server key of the calendar feeds (derived from the storage secret at start-up), not a second secret.
    from services.calendar_feed import _server_key

    return hmac.new(_server_key(), b'mail-settings', hashlib.sha256).digest()


def settings_token(user_id: int) -> str:
    """The secret of a member's one-click mail settings link: their id and an HMAC of it."""
    mac = hmac.new(_prefs_key(), str(user_id).encode(), hashlib.sha256).hexdigest()[:40]
    return f'{user_id}-{mac}'


def user_of_token(token: str) -> int | None:
    """The member id in a genuine token, else None (compared in constant time)."""
    token = (token or '').strip()
    if len(token) > 64 or '-' not in token:
        return None
    raw_id, _, mac = token.partition('-')
    if not raw_id.isdigit() or len(raw_id) > 12:
        return None
    return int(raw_id) if hmac.compare_digest(settings_token(int(raw_id)), token) else None


def settings_url(user_id: int, base: str | None = None) -> str:
    return f'{(base or base_url()).rstrip("/")}/mail-settings/{settings_token(user_id)}'


def message_id(mail_id: int, config: mail.MailConfig) -> str:
    return f'<vn-outbox-{mail_id}@{mail.sender_domain(config) or "verwaltungsnetz"}>'


# ---------------------------------------------------------------- adding


def enqueue(session: Session, *, to: str, subject: str, text: str, html: str = '', user_id: int | None = None,
            kind: str = '') -> OutboxMail:
    """Add a mail in the caller's transaction (the caller commits); the worker sends it."""
    row = OutboxMail(to=to.strip()[:254], subject=' '.join(subject.split())[:300], text=text, html=html,
                     user_id=user_id, kind=kind[:32])
    session.add(row)
    return row


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk form of `enqueue` for the digests (dicts with to, subject, text, html, user_id, kind)."""
    if not rows:
        return
    now = utcnow()
    session.execute(insert(O), [{'to': r['to'].strip()[:254], 'subject': ' '.join(r['subject'].split())[:300],
                                 'text': r['text'], 'html': r.get('html', ''), 'user_id': r.get('user_id'),
                                 'kind': r.get('kind', '')[:32], 'status': 'pending', 'attempts': 0,
                                 'created_at': now, 'next_attempt_at': now, 'last_error': ''} for r in rows])


# ---------------------------------------------------------------- sending


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    claimed: int = 0


def _due(now: datetime) -> Any:
    return or_(and_(O.c.status == 'pending', O.c.next_attempt_at <= now),
               and_(O.c.status == 'sending', O.c.locked_until < now))  # a crashed worker's claim has run out


def claim_one(session: Session, *, now: datetime) -> OutboxMail | None:
    """Claim the next due mail for this worker (committed), or None. Safe with several workers: the UPDATE only
    succeeds while the mail is still due, so two workers never hold the same mail."""
    for _ in range(5):
        mail_id = session.execute(select(O.c.id).where(_due(now)).order_by(O.c.next_attempt_at, O.c.id)
                                  .limit(1)).scalar()
        if mail_id is None:
            session.commit()
            return None
        result = session.execute(update(O).where(O.c.id == mail_id, _due(now)).values(
            status='sending', locked_until=now + LEASE, attempts=O.c.attempts + 1))
        session.commit()
        if result.rowcount == 1:
            return session.get(OutboxMail, mail_id, populate_existing=True)
    return None


def _error_text(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message.format(**error.params)[:500]
    return f'{type(error).__name__}: {error}'[:500]


def send_due(session: Session, *, now: datetime | None = None, limit: int = 50) -> SendReport:
    """Send up to `limit` due mails, one SMTP conversation each; no transaction stays open while the server answers.

    `now` fixes the clock (tests); otherwise each step uses the current time. A failure of the server itself
    (unreachable, hanging, refusing) ends this run after rescheduling that mail: the others wait for the next run
    instead of each costing a time-out. A refused recipient only affects its own mail.
    """
    report = SendReport()
    config = mail.mail_config(session)
    session.commit()
    if not config.configured:
        return report  # the mails wait until a server is set up
    base = base_url()
    for _ in range(max(1, limit)):
        row = claim_one(session, now=now or utcnow())
        if row is None:
            break
        report.claimed += 1
        assert row.id is not None
        headers = {}
        if row.user_id is not None:
            headers['List-Unsubscribe'] = f'<{settings_url(row.user_id, base)}>'
        error: Exception | None = None
        permanent = False
        try:
            mail.send_mail(config, to=row.to, subject=row.subject, text=row.text, html=row.html or None,
                           message_id=message_id(row.id, config), headers=headers)
        except mail.MailNotSent as e:
            error = e
        except DomainError as e:  # Invalid: a bad address will never work
            error, permanent = e, True
        except Exception as e:  # noqa: BLE001 - any other failure of one mail must not stop the worker for good
            log.exception('sending mail %s failed unexpectedly', row.id)
            error = e
        at = now or utcnow()
        if error is None:
            session.execute(update(O).where(O.c.id == row.id).values(status='sent', sent_at=at, locked_until=None,
                                                                     last_error=''))
            session.commit()
            report.sent += 1
            continue
        text = _error_text(error)
        if permanent or row.attempts >= MAX_ATTEMPTS:
            session.execute(update(O).where(O.c.id == row.id).values(status='failed', locked_until=None,
                                                                     last_error=text))
            audit.record(session, 'mail.failed', target_type='mail', target_id=row.id, to=row.to,
                         subject=row.subject, kind=row.kind, attempts=row.attempts, error=text)
            session.commit()
            report.failed += 1
        else:
            session.execute(update(O).where(O.c.id == row.id).values(
                status='pending', locked_until=None, last_error=text,
                next_attempt_at=at + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]))
            session.commit()
            report.retried += 1
        recipient_only = isinstance(error, mail.MailNotSent) and 'to' in error.params
        if not permanent and not recipient_only:
            break
    return report


def purge_sent(session: Session, *, now: datetime | None = None) -> int:
    """Remove mails sent more than KEEP_SENT ago (failed ones stay for the administration)."""
    cutoff = (now or utcnow()) - KEEP_SENT
    result = session.execute(delete(O).where(O.c.status == 'sent', O.c.sent_at < cutoff))
    session.commit()
    return result.rowcount or 0


def counts(session: Session) -> dict[str, int]:
    """How many mails are in each state (for tests and an overview)."""
    from sqlalchemy import func

    rows = session.execute(select(O.c.status, func.count()).group_by(O.c.status)).all()
    return {status: n for status, n in rows}
