"""Notices by e-mail: immediate mails, the daily and weekly digests, and the one-click mail settings.

Each notice keeps the member's channel from when it was made (Notification.email: 'email', 'daily', 'weekly' or ''
for the app only) and `emailed_at` once a mail carries it. A mail is put into the outbox in the same transaction that
marks its notices, so a notice is mailed once: a crash before the commit loses neither, after it the outbox has it.

A notice whose kind the member has since set to the app only or off (for instance through the link in a mail) is
marked without a mail. Nothing is assembled while no mail server is set up: the notices wait (emailed_at stays
empty) and go out, in one mail per member, once one is.

Digests run at 07:00 Europe/Berlin (the weekly one on Mondays). A JobRun row keeps the last slot that ran: a restart
does not repeat it, and a missed slot (the server was down) is caught up once, not once per missed day. The work goes
in batches of members, each its own transaction, so pages keep getting the database between batches.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from models.base import utcnow
from models.mail import JobRun
from models.notification import CHANNELS, DEFAULT_CHANNELS, KINDS, Notification, NotificationPreference
from models.user import Status, User
from services import mail, mail_texts, outbox
from services import settings as site_settings
from services.errors import Invalid, NotFound
from services.local_time import ZONE, aware, week_start

N = Notification.__table__
NP = NotificationPreference.__table__
U = User.__table__
DIGEST_HOUR = time(7, 0)
DIGEST_CHANNELS = ('daily', 'weekly')
MAIL_CHANNELS = ('email', 'daily', 'weekly')
BATCH = 500  # members per transaction
IMMEDIATE_LIMIT = 1000  # notices per run of the immediate mails
# A notice that waited longer than this for its mail (typically: from before a mail server was set up) stays in the
# app only; nobody wants a "new reply" mail about last month, or a first digest with everything since the pilot.
MAX_AGE = {'email': timedelta(days=2), 'daily': timedelta(days=8), 'weekly': timedelta(days=15)}


@dataclass
class DigestReport:
    channel: str
    members: int = 0
    notices: int = 0
    mails: int = 0
    batches: int = 0
    slot: datetime | None = None


# ---------------------------------------------------------------- assembling mails


def _current_channels(session: Session, user_ids: list[int]) -> dict[tuple[int, str], str]:
    rows = session.execute(select(NP.c.user_id, NP.c.kind, NP.c.channel).where(NP.c.user_id.in_(user_ids))).all()
    return {(u, k): c for u, k, c in rows if c in CHANNELS}


def _mail_batch(session: Session, notices: list[Any], *, mode: str, site: str, base: str, now: datetime) -> int:
    """Turn the notices (rows of id, user_id, kind, text, params, url, created_at) into one mail per member, add
    them to the outbox and mark the notices, in the session's transaction. Returns the number of mails."""
    if not notices:
        return 0
    user_ids = sorted({n.user_id for n in notices})
    users = {r.id: r for r in session.execute(select(U.c.id, U.c.name, U.c.email, U.c.language, U.c.status)
                                              .where(U.c.id.in_(user_ids))).all()}
    chosen = _current_channels(session, user_ids)
    per_user: dict[int, list[Any]] = defaultdict(list)
    for n in notices:
        per_user[n.user_id].append(n)
    rows: list[dict[str, Any]] = []
    for user_id, items in per_user.items():
        user = users.get(user_id)
        if user is None or user.status != Status.ACTIVE or not user.email:
            continue
        # What the member wants now: a kind switched to the app only (or off) since is not mailed.
        items = [n for n in items if chosen.get((user_id, n.kind), DEFAULT_CHANNELS.get(n.kind, 'app'))
                 in MAIL_CHANNELS and now - aware(n.created_at) <= MAX_AGE[mode]]
        if not items:
            continue
        lang = mail_texts.language(user.language)
        lines = [mail_texts.Line(n.kind, mail_texts.notice_text(n.text, n.params, lang),
                                 mail_texts.link(base, n.url), n.created_at) for n in items]
        subject, text, html = mail_texts.compose(lang, mode=mode, site=site, name=user.name, lines=lines,
                                                 base_url=base, prefs_url=outbox.settings_url(user_id, base))
        rows.append({'to': user.email, 'subject': subject, 'text': text, 'html': html, 'user_id': user_id,
                     'kind': 'notification' if mode == 'email' else f'digest.{mode}'})
    outbox.enqueue_many(session, rows)
    ids = [n.id for n in notices]
    for start in range(0, len(ids), 900):  # stay below SQLite's bound-parameter limit
        session.execute(update(N).where(N.c.id.in_(ids[start:start + 900]), N.c.emailed_at.is_(None))
                        .values(emailed_at=now))
    return len(rows)


def _columns() -> tuple[Any, ...]:
    return (N.c.id, N.c.user_id, N.c.kind, N.c.text, N.c.params, N.c.url, N.c.created_at)


def queue_immediate(session: Session, *, now: datetime | None = None, limit: int = IMMEDIATE_LIMIT) -> int:
    """Notices for 'by e-mail at once' not mailed yet become mails: one per member and run (several notices that
    arrived since the last run share one mail). Returns the number of mails; nothing while no server is set up."""
    if not mail.smtp_configured(session):
        session.commit()
        return 0
    now = now or utcnow()
    notices = session.execute(select(*_columns()).where(N.c.email == 'email', N.c.emailed_at.is_(None))
                              .order_by(N.c.id).limit(limit)).all()
    if not notices:
        session.commit()
        return 0
    site = site_settings.get_setting(session, 'site_name')
    count = _mail_batch(session, list(notices), mode='email', site=site, base=outbox.base_url(), now=now)
    session.commit()
    return count


def build_digest(session: Session, channel: str, *, now: datetime | None = None, batch: int = BATCH) -> DigestReport:
    """One digest mail per member with unmailed notices of this channel ('daily' or 'weekly'), in batches of
    members, each batch its own transaction. Safe to repeat: a member already done has nothing left."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(channel)
    now = now or utcnow()
    report = DigestReport(channel)
    site = site_settings.get_setting(session, 'site_name')
    base = outbox.base_url()
    after = 0
    while True:
        user_ids = list(session.execute(select(N.c.user_id).where(
            N.c.email == channel, N.c.emailed_at.is_(None), N.c.user_id > after).group_by(N.c.user_id)
            .order_by(N.c.user_id).limit(batch)).scalars())
        if not user_ids:
            session.commit()
            break
        after = user_ids[-1]
        notices = list(session.execute(select(*_columns()).where(
            N.c.user_id.in_(user_ids), N.c.email == channel, N.c.emailed_at.is_(None), N.c.created_at <= now)
            .order_by(N.c.user_id, N.c.id)).all())
        report.mails += _mail_batch(session, notices, mode=channel, site=site, base=base, now=now)
        session.commit()
        report.members += len(user_ids)
        report.notices += len(notices)
        report.batches += 1
    return report


def due_slot(channel: str, now: datetime) -> datetime:
    """The newest scheduled time (07:00 Berlin; for 'weekly' on a Monday) at or before `now`, in UTC."""
    local = aware(now).astimezone(ZONE)  # type: ignore[union-attr]
    day = local.date()
    if channel == 'weekly':
        day = week_start(day)
    slot = datetime.combine(day, DIGEST_HOUR, ZONE)
    if slot > local:
        day -= timedelta(days=7 if channel == 'weekly' else 1)
        slot = datetime.combine(day, DIGEST_HOUR, ZONE)
    return slot.astimezone(UTC)


def run_due_digests(session: Session, *, now: datetime | None = None) -> list[DigestReport]:
    """Run each digest whose slot has come and did not run yet (called every minute by the background worker)."""
    now = now or utcnow()
    done: list[DigestReport] = []
    if not mail.smtp_configured(session):
        session.commit()
        return done  # not recorded: the slot is caught up once a server is set up
    for channel in DIGEST_CHANNELS:
        slot = due_slot(channel, now)
        name = f'digest.{channel}'
        row = session.get(JobRun, name)
        if row is not None and aware(row.last_run_at) >= slot:  # type: ignore[operator]
            continue
        report = build_digest(session, channel, now=now)
        report.slot = slot
        row = session.get(JobRun, name)
        if row is None:
            session.add(JobRun(name=name, last_run_at=slot))
        else:
            row.last_run_at = slot
            session.add(row)
        session.commit()
        done.append(report)
    return done


# ---------------------------------------------------------------- the one-click settings (no sign-in)


@dataclass(frozen=True)
class MailSettings:
    user_id: int
    name: str
    language: str
    channels: dict[str, str] = field(default_factory=dict)  # every kind → its channel

    @property
    def any_email(self) -> bool:
        return any(c in MAIL_CHANNELS for c in self.channels.values())


def _owner(session: Session, token: str) -> User:
    user_id = outbox.user_of_token(token)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or user.status == Status.DELETED:
        raise NotFound()
    return user


def preferences_by_token(session: Session, *, token: str) -> MailSettings:
    """Whose link this is and their channel for every kind; a wrong token is NotFound."""
    user = _owner(session, token)
    chosen = dict(session.execute(select(NP.c.kind, NP.c.channel).where(NP.c.user_id == user.id)).all())
    channels = {k: chosen[k] if chosen.get(k) in CHANNELS else DEFAULT_CHANNELS[k] for k in KINDS}
    result = MailSettings(user.id, user.name, mail_texts.language(user.language), channels)  # type: ignore[arg-type]
    session.commit()
    return result


def _store(session: Session, user_id: int, kind: str, channel: str) -> None:
    row = session.get(NotificationPreference, (user_id, kind))
    if row is None:
        session.add(NotificationPreference(user_id=user_id, kind=kind, channel=channel))
    else:
        row.channel = channel
        session.add(row)


def set_preference_by_token(session: Session, *, token: str, kind: str, channel: str) -> MailSettings:
    """Set one kind's channel through the link in a mail."""
    user = _owner(session, token)
    if kind not in KINDS:
        raise Invalid('kind', 'Diese Art von Benachrichtigung gibt es nicht.')
    if channel not in CHANNELS:
        raise Invalid(kind, 'Bitte wählen Sie einen der angebotenen Wege.')
    _store(session, user.id, kind, channel)  # type: ignore[arg-type]
    session.commit()
    return preferences_by_token(session, token=token)


def email_off_by_token(session: Session, *, token: str) -> MailSettings:
    """No more e-mail at all: every kind that was mailed (at once or in a digest) is shown in the app only."""
    settings = preferences_by_token(session, token=token)
    for kind, channel in settings.channels.items():
        if channel in MAIL_CHANNELS:
            _store(session, settings.user_id, kind, 'app')
    session.commit()
    return preferences_by_token(session, token=token)


def unmailed(session: Session, user_id: int) -> list[int]:
    """The ids of a member's notices still waiting for a mail."""
    return list(session.execute(select(N.c.id).where(N.c.user_id == user_id, N.c.email != '',
                                                     N.c.emailed_at.is_(None)).order_by(N.c.id)).scalars())
