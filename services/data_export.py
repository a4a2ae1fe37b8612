"""A member's own data as one ZIP file (DSGVO Art. 15 access, Art. 20 portability), built in a background thread.

What the ZIP holds (README_TEXT says the same in German, inside the file):
- profile.json: the account, the profile with its tags and visibility choices, notification choices, the calendar
  feed's scope, the sessions and sign-in attempts still kept, the members I blocked.
- posts.json: every thread and reply I wrote that still has its text, with the thread's title and a link; also posts
  the moderation hid and posts in threads the moderation deleted (they are still stored); the reactions I gave.
- messages.json: the conversations I am or was in, and the messages I can read there: mine and those I received. The
  others' messages are included because they were sent to me and the app shows them to me anyway (Art. 15 covers
  data about me that others wrote to me); nothing is included that the app would not show me (a group's messages
  after I left it).
- events.json: the events I organise or organised (without their attendee lists: those are other people's data).
- rsvps.json: my answers to events.
- notifications.json: the notices the app keeps for me.
- uploads/: my profile picture and the files attached to my posts, under cleaned names.
- README.txt: what is inside, in German.

Jobs live in this process's memory; the file lies in <data folder>/exports under a random name and is handed out only
to its owner (export_file). A restart forgets the jobs; the hourly clean-up (services/retention.py) deletes every
file older than EXPIRY. One job per member at a time, at most MAX_BUILDS built at once, so that exports never take
both cores from the pages. Rows are read in batches of BATCH and written straight into the ZIP on disk: memory stays
bounded however much a member wrote.
"""

import io
import json
import logging
import os
import re
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from models.base import utcnow
from models.board import Attachment, Board, Post, Reaction, Thread
from models.event import CalendarFeed, Event, Rsvp
from models.message import Conversation, ConversationMember, MemberBlock, Message
from models.notification import Notification, NotificationPreference
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag
from models.user import LoginAttempt, User, UserSession
from services import audit, db, files, images, uploads
from services.errors import Invalid, NotFound
from services.permissions import require_active

log = logging.getLogger(__name__)

FOLDER = 'exports'
EXPIRY = timedelta(hours=24)
BATCH = 500
MAX_BUILDS = 1  # exports built at the same time in this process; more wait ('queued')
MAX_SESSIONS = 500  # sessions and sign-in attempts are bounded by the clean-up anyway; this bounds one file
MSG_BUSY = 'Ihr Export wird gerade erstellt. Bitte warten Sie, bis er fertig ist.'
MSG_GONE = 'Dieser Export ist abgelaufen oder gehört nicht zu Ihrem Konto.'

README_TEXT = """Ihre Daten aus Verwaltungsnetz
==============================

Diese ZIP-Datei enthält die Daten, die das Netzwerk über Sie gespeichert hat (Auskunft nach Art. 15 DSGVO, in
einem maschinenlesbaren Format nach Art. 20 DSGVO). Erstellt am {created} (UTC).

Die JSON-Dateien lassen sich mit jedem Texteditor öffnen; Zeitangaben sind in UTC (ISO 8601).

profile.json        Ihr Konto (Name, E-Mail-Adresse, Rolle, Verwaltung, Sprache), Ihr Profil mit Themen, Angeboten und
                    Gesuchen und wer welche Angaben sehen darf, Ihre Einstellungen für Benachrichtigungen und das
                    Kalender-Abo, Ihre gespeicherten Sitzungen (Gerät, IP-Adresse) und Anmeldeversuche, die von Ihnen
                    blockierten Mitglieder. Ihr Passwort wird nur als Prüfwert gespeichert und ist nicht enthalten.
posts.json          Ihre Themen und Antworten in den Foren mit Titel und Link, auch ausgeblendete und solche in
                    gelöschten Themen, solange ihr Text gespeichert ist; Ihre Reaktionen (Danke, Hilfreich).
messages.json       Ihre Unterhaltungen und die Nachrichten darin, die Sie lesen können: Ihre eigenen und die an Sie
                    gerichteten. Nachrichten einer Gruppe nach Ihrem Austritt sind nicht enthalten.
events.json         Veranstaltungen, die Sie angelegt haben (ohne Teilnehmendenlisten).
rsvps.json          Ihre Zusagen, Absagen und Wartelistenplätze.
notifications.json  Ihre Benachrichtigungen.
uploads/            Ihr Profilbild und die Dateien, die Sie an Beiträge angehängt haben.

Nicht enthalten sind die Daten anderer Mitglieder, außer wo sie zu Ihren Daten gehören (Namen in Ihren
Unterhaltungen, Titel der Themen, auf die Sie geantwortet haben). Das Protokoll der Administration führt Ihre
Kontonummer bei Aktionen, die Sie ausgeführt haben; Auskunft darüber gibt die Administration.

Die Datei steht 24 Stunden zum Herunterladen bereit und wird danach auf dem Server gelöscht.
"""


def _next_batch(s: Session, query: Any, key: Any, after: Any) -> list[Any]:
    """The next BATCH rows of `query` in the order of `key`, after the last one seen (keyset paging)."""
    if after is not None:
        query = query.where(col(key) > after)
    return list(s.exec(query.order_by(col(key)).limit(BATCH)))


@dataclass
class _Job:
    token: str
    user_id: int
    base_url: str
    requested_at: datetime
    state: str = 'queued'  # queued, running, done, failed
    progress: int = 0  # percent
    size: int = 0  # bytes of the finished file
    finished_at: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class ExportStatus:
    """What /account shows of a member's export."""

    token: str
    state: str  # queued, running, done, failed
    progress: int  # 0..100 (100 only when done)
    requested_at: datetime
    expires_at: datetime | None  # when done: the file is gone after this
    size: int

    @property
    def busy(self) -> bool:
        return self.state in ('queued', 'running')


class _Cancelled(Exception):
    """The account was deleted (or the job replaced) while its export was being built."""


_jobs: dict[int, _Job] = {}  # user id → the member's latest job
_lock = threading.Lock()
_builds = threading.BoundedSemaphore(MAX_BUILDS)
_TOKEN = re.compile(r'[0-9a-f]{32}')


def _status(job: _Job) -> ExportStatus:
    expires = job.finished_at + EXPIRY if job.finished_at is not None else None
    return ExportStatus(job.token, job.state, job.progress, job.requested_at, expires, job.size)


def _path(token: str) -> Path:
    return files.folder(FOLDER) / f'{token}.zip'


def _expired(job: _Job, now: datetime) -> bool:
    return job.finished_at is not None and now >= job.finished_at + EXPIRY


def _drop(job: _Job) -> None:
    """Forget a job and delete its file (under _lock)."""
    job.cancelled = True
    if _jobs.get(job.user_id) is job:
        del _jobs[job.user_id]
    if job.state in ('done', 'failed'):
        _path(job.token).unlink(missing_ok=True)


# ---------------------------------------------------------------- for the member


def request_export(session: Session, *, actor: Any, base_url: str = '', start: bool = True) -> ExportStatus:
    """Start building my export in a background thread (one at a time); a finished older one is replaced.

    `base_url` makes the links in the files absolute. `start` False leaves the building to the caller (tests).
    """
    require_active(actor)
    now = utcnow()
    with _lock:
        old = _jobs.get(actor.id)
        if old is not None and old.state in ('queued', 'running'):
            raise Invalid('export', MSG_BUSY)
        if old is not None:
            _drop(old)
        job = _Job(secrets.token_hex(16), actor.id, base_url.rstrip('/'), now)
        _jobs[actor.id] = job
    # The member's number only: what was exported is everybody's same list, and nothing of its content belongs here.
    audit.record(session, 'account.export', actor_id=actor.id, target_type='user', target_id=actor.id)
    session.commit()
    if start:
        threading.Thread(target=build, args=(job.token,), name=f'vn-export-{actor.id}', daemon=True).start()
    return _status(job)


def export_status(*, viewer: Any) -> ExportStatus | None:
    """My latest export, or None (none requested, or it expired). Reads memory only: cheap enough for a timer."""
    require_active(viewer)
    with _lock:
        job = _jobs.get(viewer.id)
        if job is None:
            return None
        if _expired(job, utcnow()):
            _drop(job)
            return None
        return _status(job)


def export_file(*, viewer: Any, token: str) -> tuple[Path, str]:
    """(path, download name) of my finished, unexpired export; NotFound for anything else, also another's token."""
    require_active(viewer)
    with _lock:
        job = _jobs.get(viewer.id)
        # The token alone opens nothing: it must be this member's current job, compared in constant time.
        if job is None or not isinstance(token, str) or not secrets.compare_digest(job.token, token) or \
                job.state != 'done' or _expired(job, utcnow()):
            raise NotFound(MSG_GONE)
        path = _path(job.token)
        finished = job.finished_at
    if not path.is_file() or finished is None:
        raise NotFound(MSG_GONE)
    return path, f'verwaltungsnetz-meine-daten-{finished:%Y-%m-%d}.zip'


# ---------------------------------------------------------------- house-keeping


def discard(user_id: int) -> None:
    """Forget a member's export and delete its file (their account is being deleted); a running build stops."""
    with _lock:
        job = _jobs.get(user_id)
        if job is not None:
            _drop(job)


def delete_expired(*, now: datetime | None = None) -> int:
    """Delete export files older than EXPIRY, also those a restart orphaned; how many (the hourly clean-up)."""
    now = now or utcnow()
    deleted = 0
    with _lock:
        for job in [j for j in _jobs.values() if _expired(j, now)]:
            deleted += _path(job.token).is_file()
            _drop(job)
    try:
        folder = files.folder(FOLDER)
    except RuntimeError:  # no data folder configured (a command that does not serve): nothing was exported
        return deleted
    limit = (now - EXPIRY).timestamp()
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # a build finished or a job was dropped meanwhile
            continue
    return deleted


def reset() -> None:
    """Forget every job (tests: member ids repeat from one test database to the next)."""
    with _lock:
        for job in _jobs.values():
            job.cancelled = True
        _jobs.clear()


# ---------------------------------------------------------------- building


def _find(token: str) -> _Job | None:
    with _lock:
        return next((j for j in _jobs.values() if secrets.compare_digest(j.token, token)), None)


def _checkpoint(job: _Job) -> None:
    """Between batches: stop when the job was dropped."""
    if job.cancelled:
        raise _Cancelled()


def build(token: str) -> None:
    """Build a requested export (runs in its own thread; waits while MAX_BUILDS others are built)."""
    job = _find(token)
    if job is None or not _TOKEN.fullmatch(token):
        return
    with _builds:
        if job.cancelled:
            return
        job.state = 'running'
        folder = files.folder(FOLDER)
        temp = folder / f'.{token}.zip.tmp'
        try:
            with zipfile.ZipFile(temp, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
                _Writer(archive, job).write()
            with _lock:  # a job dropped now must not come back as 'done'
                if job.cancelled:
                    raise _Cancelled()
                os.replace(temp, _path(token))  # atomically: a download never sees half a file
                job.size = _path(token).stat().st_size
                job.finished_at = utcnow()
                job.progress, job.state = 100, 'done'
        except _Cancelled:
            log.info('export of member %s stopped: the job was dropped', job.user_id)
        except Exception:
            log.exception('export of member %s failed', job.user_id)
            job.state = 'failed'
            job.finished_at = utcnow()
        finally:
            temp.unlink(missing_ok=True)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f'not JSON: {type(value).__name__}')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_iso, indent=None)


def attachment_name(attachment_id: int, filename: str) -> str:
    """The file's place in the ZIP: unique by its id, readable, and safe on Windows, macOS and Linux."""
    name = re.sub(r'[<>:"/\\|?*]', '_', uploads.clean_filename(filename))
    return f'uploads/anhaenge/{attachment_id}-{name}'


class _Writer:
    """Writes one member's files into the ZIP, batch by batch, and keeps the job's progress."""

    def __init__(self, archive: zipfile.ZipFile, job: _Job) -> None:
        self.archive = archive
        self.job = job
        self.user_id = job.user_id
        self.base = job.base_url
        self.done = 0
        self.total = 1

    # --- progress

    def _count(self) -> int:
        uid = self.user_id
        with db.session() as s:
            def count(query: Any) -> int:
                return s.exec(query).one()
            mine = (Post.author_id == uid, col(Post.deleted).is_(False))
            return 2 + sum((  # the profile and the README count one each
                count(select(func.count()).select_from(Post).where(*mine)),
                count(select(func.count()).select_from(Reaction).where(Reaction.user_id == uid)),
                count(select(func.count()).select_from(ConversationMember).where(ConversationMember.user_id == uid)),
                count(select(func.count()).select_from(Message).join(
                    ConversationMember, (col(ConversationMember.conversation_id) == Message.conversation_id) &
                    (col(ConversationMember.user_id) == uid))),
                count(select(func.count()).select_from(Event).where(Event.organizer_id == uid)),
                count(select(func.count()).select_from(Rsvp).where(Rsvp.user_id == uid)),
                count(select(func.count()).select_from(Notification).where(Notification.user_id == uid)),
                count(select(func.count()).select_from(Attachment).join(Post, col(Post.id) == Attachment.post_id)
                      .where(*mine)),
            ))

    def _tick(self, n: int) -> None:
        self.done += n
        # 100 % only once the file is in place (build sets it): a member must not download a half-written ZIP.
        self.job.progress = min(99, self.done * 100 // max(self.total, 1))
        _checkpoint(self.job)

    # --- writing

    def _text(self, name: str, text: str) -> None:
        self.archive.writestr(name, text)

    def _array(self, out: io.TextIOWrapper, batches: Iterator[list[dict[str, Any]]]) -> None:
        out.write('[')
        first = True
        for batch in batches:
            for item in batch:
                out.write('\n  ' if first else ',\n  ')
                out.write(_dumps(item))
                first = False
            self._tick(len(batch))
        out.write('\n]' if not first else ']')

    def _json(self, name: str, parts: dict[str, Iterator[list[dict[str, Any]]]]) -> None:
        """A JSON object whose values are arrays written batch by batch (or one array if `parts` has key '')."""
        with io.TextIOWrapper(self.archive.open(name, 'w'), encoding='utf-8') as out:
            if list(parts) == ['']:
                self._array(out, parts[''])
            else:
                out.write('{')
                for i, (key, batches) in enumerate(parts.items()):
                    out.write(('\n' if i == 0 else ',\n') + f'{_dumps(key)}: ')
                    self._array(out, batches)
                out.write('\n}')
            out.write('\n')

    def _batches(self, query: Callable[[Session, Any], list[Any]], shape: Callable[[Any], dict[str, Any]],
                 key: Callable[[Any], Any]) -> Iterator[list[dict[str, Any]]]:
        """Keyset pages of BATCH rows, each read in a short session of its own (no transaction stays open)."""
        after: Any = None
        while True:
            with db.session() as s:
                rows = query(s, after)
                shaped = [shape(r) for r in rows]
            if not rows:
                return
            yield shaped
            if len(rows) < BATCH:
                return
            after = key(rows[-1])

    def link(self, path: str) -> str:
        return f'{self.base}{path}'

    def write(self) -> None:
        self.total = self._count()
        self._profile()
        self._posts()
        self._messages()
        self._events()
        self._rsvps()
        self._notifications()
        self._uploads()
        self._text('README.txt', README_TEXT.format(created=f'{utcnow():%Y-%m-%d %H:%M}'))
        self._tick(1)

    # --- the files

    def _profile(self) -> None:
        with db.session() as s:
            self._text('profile.json', _dumps(_profile_data(s, self.user_id, self.link)) + '\n')
        self._tick(1)

    def _posts(self) -> None:
        uid = self.user_id

        def posts(s: Session, after: Any) -> list[Any]:
            query = (select(Post, Thread.title, Thread.deleted, Board.name)
                     .join(Thread, col(Thread.id) == Post.thread_id).join(Board, col(Board.id) == Thread.board_id)
                     .where(Post.author_id == uid, col(Post.deleted).is_(False)))
            rows = _next_batch(s, query, Post.id, after)
            ids = [p.id for p, *_ in rows]
            found: dict[int, list[Attachment]] = {}
            for a in s.exec(select(Attachment).where(col(Attachment.post_id).in_(ids)).order_by(col(Attachment.id))):
                found.setdefault(a.post_id, []).append(a)
            return [(p, title, gone, board, found.get(p.id, [])) for p, title, gone, board in rows]  # type: ignore[index]

        def post(row: Any) -> dict[str, Any]:
            p, title, thread_deleted, board, attached = row
            return {
                'id': p.id, 'thread_id': p.thread_id, 'thread_title': title, 'board': board, 'number': p.number,
                'kind': 'question' if p.number == 1 else 'reply',
                'link': self.link(f'/threads/{p.thread_id}#post-{p.number}'),
                'created_at': p.created_at, 'edited_at': p.edited_at, 'text_markdown': p.body,
                'hidden_by_moderation': p.hidden, 'thread_deleted_by_moderation': thread_deleted,
                'attachments': [{'filename': a.filename, 'content_type': a.content_type, 'size': a.size,
                                 'file': attachment_name(a.id, a.filename)} for a in attached],
            }

        def reactions(s: Session, after: Any) -> list[Any]:
            query = (select(Reaction, Post.thread_id, Post.number).join(Post, col(Post.id) == Reaction.post_id)
                     .where(Reaction.user_id == uid))
            if after is not None:
                post_id, kind = after
                query = query.where(or_(col(Reaction.post_id) > post_id,
                                        (col(Reaction.post_id) == post_id) & (col(Reaction.kind) > kind)))
            return list(s.exec(query.order_by(col(Reaction.post_id), col(Reaction.kind)).limit(BATCH)))

        def reaction(row: Any) -> dict[str, Any]:
            r, thread_id, number = row
            return {'post_id': r.post_id, 'kind': r.kind, 'link': self.link(f'/threads/{thread_id}#post-{number}')}

        self._json('posts.json', {
            'posts': self._batches(posts, post, lambda row: row[0].id),
            'reactions_given': self._batches(reactions, reaction, lambda row: (row[0].post_id, row[0].kind)),
        })

    def _messages(self) -> None:
        uid = self.user_id

        def conversations(s: Session, after: Any) -> list[Any]:
            query = (select(Conversation, ConversationMember)
                     .join(ConversationMember, (col(ConversationMember.conversation_id) == Conversation.id) &
                           (col(ConversationMember.user_id) == uid)))
            rows = _next_batch(s, query, Conversation.id, after)
            ids = [c.id for c, _ in rows]
            people: dict[int, list[str]] = {}
            for cid, name in s.exec(select(ConversationMember.conversation_id, User.name)
                                    .join(User, col(User.id) == ConversationMember.user_id)
                                    .where(col(ConversationMember.conversation_id).in_(ids),
                                           ConversationMember.user_id != uid)
                                    .order_by(col(ConversationMember.conversation_id), col(User.id))):
                people.setdefault(cid, []).append(name)
            return [(c, m, people.get(c.id, [])) for c, m in rows]  # type: ignore[arg-type]

        def conversation(row: Any) -> dict[str, Any]:
            c, membership, others = row
            return {'id': c.id, 'title': c.title, 'group': c.is_group, 'with': others,
                    'started_by_me': c.created_by == uid, 'created_at': c.created_at,
                    'joined_at': membership.joined_at, 'left_at': membership.left_at,
                    'link': self.link(f'/messages/{c.id}')}

        def messages(s: Session, after: Any) -> list[Any]:
            # The same rule as the conversation page: my conversations; in a group I left, nothing after I left.
            member = ConversationMember
            query = (select(Message, User.name)
                     .join(member, (col(member.conversation_id) == Message.conversation_id) &
                           (col(member.user_id) == uid))
                     .outerjoin(User, col(User.id) == Message.author_id)
                     .where(or_(col(member.left_at).is_(None), col(Message.created_at) <= member.left_at)))
            return _next_batch(s, query, Message.id, after)

        def message(row: Any) -> dict[str, Any]:
            m, author = row
            return {'id': m.id, 'conversation_id': m.conversation_id, 'from_me': m.author_id == uid,
                    'author': author or '', 'created_at': m.created_at,
                    'removed_by_moderation': not m.body_html, 'text_markdown': m.body}

        self._json('messages.json', {
            'conversations': self._batches(conversations, conversation, lambda row: row[0].id),
            'messages': self._batches(messages, message, lambda row: row[0].id),
        })

    def _events(self) -> None:
        uid = self.user_id

        def rows(s: Session, after: Any) -> list[Any]:
            query = select(Event).where(Event.organizer_id == uid)
            return _next_batch(s, query, Event.id, after)

        def event(e: Event) -> dict[str, Any]:
            return {'id': e.id, 'title': e.title, 'description_markdown': e.description, 'starts_at': e.starts_at,
                    'ends_at': e.ends_at, 'all_day': e.all_day, 'format': e.format, 'location': e.location,
                    'online_url': e.online_url, 'capacity_onsite': e.capacity, 'capacity_online': e.online_capacity,
                    'deadline': e.deadline, 'cancelled': e.cancelled, 'repeat': e.repeat,
                    'repeat_interval': e.repeat_interval, 'repeat_until': e.repeat_until.isoformat()
                    if e.repeat_until else None, 'date_of_series': e.series_id, 'created_at': e.created_at,
                    'updated_at': e.updated_at, 'link': self.link(f'/events/{e.series_id or e.id}')}

        self._json('events.json', {'': self._batches(rows, event, lambda e: e.id)})

    def _rsvps(self) -> None:
        uid = self.user_id

        def rows(s: Session, after: Any) -> list[Any]:
            query = select(Rsvp, Event.title, Event.starts_at, Event.series_id).join(
                Event, col(Event.id) == Rsvp.event_id).where(Rsvp.user_id == uid)
            return _next_batch(s, query, Rsvp.event_id, after)

        def rsvp(row: Any) -> dict[str, Any]:
            r, title, starts_at, series_id = row
            return {'event_id': r.event_id, 'event_title': title, 'event_starts_at': starts_at, 'answer': r.answer,
                    'seat': r.seat, 'answered_at': r.answered_at, 'waitlist_since': r.queued_at
                    if r.answer == 'waitlist' else None, 'link': self.link(f'/events/{series_id or r.event_id}')}

        self._json('rsvps.json', {'': self._batches(rows, rsvp, lambda row: row[0].event_id)})

    def _notifications(self) -> None:
        uid = self.user_id

        def rows(s: Session, after: Any) -> list[Any]:
            query = select(Notification).where(Notification.user_id == uid)
            return _next_batch(s, query, Notification.id, after)

        def notice(n: Notification) -> dict[str, Any]:
            try:
                params = json.loads(n.params or '{}')
            except ValueError:
                params = {}
            text = n.text
            try:
                text = n.text.format(**params)
            except (KeyError, IndexError, ValueError):
                pass
            return {'kind': n.kind, 'text': text, 'link': self.link(n.url) if n.url.startswith('/') else n.url,
                    'created_at': n.created_at, 'read_at': n.read_at}

        self._json('notifications.json', {'': self._batches(rows, notice, lambda n: n.id)})

    def _uploads(self) -> None:
        uid = self.user_id
        with db.session() as s:
            profile = s.get(MemberProfile, uid)
            avatar = profile.avatar if profile else ''
        if avatar and (path := images.avatar_path(avatar)) is not None:
            self.archive.write(path, 'uploads/profilbild.webp', compress_type=zipfile.ZIP_STORED)
        from services.posts import attachment_path  # posts builds on much of the app; only the builder needs it

        after = 0
        while True:
            with db.session() as s:
                batch = list(s.exec(
                    select(Attachment.id, Attachment.filename, Attachment.stored_name)
                    .join(Post, col(Post.id) == Attachment.post_id)
                    .where(Post.author_id == uid, col(Post.deleted).is_(False), col(Attachment.id) > after)
                    .order_by(col(Attachment.id)).limit(BATCH)))
            if not batch:
                return
            for attachment_id, filename, stored_name in batch:
                path = attachment_path(stored_name)
                if path is not None:  # a file that vanished from the disk cannot be exported
                    # Stored, not compressed again: pictures, PDFs and Office files are compressed already.
                    self.archive.write(path, attachment_name(attachment_id, filename),
                                       compress_type=zipfile.ZIP_STORED)
            self._tick(len(batch))
            after = batch[-1][0]


def _profile_data(s: Session, uid: int, link: Callable[[str], str]) -> dict[str, Any]:
    user = s.get(User, uid)
    if user is None:
        raise _Cancelled()
    org = s.get(Organization, user.organization_id) if user.organization_id else None
    profile = s.get(MemberProfile, uid)
    tags: dict[str, list[str]] = {}
    for kind, name in s.exec(select(MemberTag.kind, Tag.name).join(Tag, col(Tag.id) == MemberTag.tag_id)
                             .where(MemberTag.user_id == uid).order_by(col(MemberTag.kind), col(Tag.name))):
        tags.setdefault(kind, []).append(name)
    feed = s.get(CalendarFeed, uid)
    blocked = s.exec(select(User.id, User.name).join(MemberBlock, col(MemberBlock.blocked_id) == User.id)
                     .where(MemberBlock.blocker_id == uid).order_by(col(User.id))).all()
    sessions = s.exec(select(UserSession).where(UserSession.user_id == uid)
                      .order_by(col(UserSession.created_at).desc()).limit(MAX_SESSIONS)).all()
    attempts = s.exec(select(LoginAttempt).where(
        or_(col(LoginAttempt.user_id) == uid, col(LoginAttempt.email_key) == user.email_key))
        .order_by(col(LoginAttempt.at).desc()).limit(MAX_SESSIONS)).all()
    preferences = {p.kind: p.channel for p in s.exec(select(NotificationPreference).where(
        NotificationPreference.user_id == uid))}
    return {
        'account': {'id': user.id, 'name': user.name, 'email': user.email, 'role': user.role, 'status': user.status,
                    'organization': org.name if org else '', 'language': user.language,
                    'created_at': user.created_at, 'last_seen_at': user.last_seen_at,
                    'link': link(f'/members/{user.id}')},
        'profile': None if profile is None else {
            'pronouns': profile.pronouns, 'department': profile.department, 'position': profile.position,
            'location': profile.location, 'about_me': profile.bio, 'phone': profile.phone,
            'other_contact': profile.other_contact, 'has_picture': bool(profile.avatar),
            'picture_file': 'uploads/profilbild.webp' if profile.avatar else None,
            'email_visible_to': profile.email_visibility, 'phone_visible_to': profile.phone_visibility,
            'location_visible_to': profile.location_visibility, 'updated_at': profile.updated_at},
        'topics': tags.get('topic', []), 'offers': tags.get('offer', []), 'needs': tags.get('need', []),
        'notification_choices': preferences,
        'calendar_feed': None if feed is None else {'scope': feed.scope, 'created_at': feed.created_at},
        'blocked_members': [{'id': i, 'name': n} for i, n in blocked],
        'sessions': [{'started_at': x.created_at, 'last_seen_at': x.last_seen_at, 'ended_at': x.ended_at,
                      'ip': x.ip, 'device': x.user_agent} for x in sessions],
        'sign_in_attempts': [{'at': a.at, 'ip': a.ip, 'success': a.success} for a in attempts],
    }
