"""The seeded world of the authorisation matrix: seven personas, two organisations, and objects each of them owns.

Both matrices (services in tests/services/test_authz_matrix.py, pages in tests/ui/test_authz_pages.py) build it
through the real services, so what is tested is what the app would have stored.

Personas, in the order of every table:
    anonymous    nobody signed in (None)
    pending      registered, waiting for approval
    deactivated  was active (owns things), then deactivated by an administrator
    member       an ordinary member of organisation A
    outsider     an ordinary member of organisation B ("member of another organisation")
    moderator    a moderator of organisation A
    admin        an administrator of organisation A

"own" objects belong to the acting persona; "other" objects belong to Olaf, an ordinary member of organisation A who
is none of the personas. Kim and Ben (organisation B) are bystanders: they write in everyone's threads and talk to
everyone, so that "own" and "other" conversations, replies and notices exist.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from models.base import utcnow
from models.board import Attachment
from models.event import Event, Repeat
from models.message import MessageReport
from models.notification import Notification
from models.user import Role, Status, User
from services import accounts, boards, events, messages, moderation, notifications, passwords, posts
from services import organizations as orgs
from services.accounts import CurrentUser
from services.events import EventInput
from services.local_time import today

PASSWORD = 'Gute-Frage-2026'
PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

PERSONAS = ('anonymous', 'pending', 'deactivated', 'member', 'outsider', 'moderator', 'admin')


def cells(entry: Any) -> Iterator[tuple[str, str, str]]:
    """(target, persona, expected code) of every cell of a table row that applies; a row has a line of codes, one
    per persona ('--' where it does not apply), for objects of its own ('own'), of another ('other') or none ('any')."""
    for target in ('own', 'other', 'any'):
        line = getattr(entry, target)
        if line is None:
            continue
        codes = line.split()
        assert len(codes) == len(PERSONAS), f'{target}: {line!r} needs one code per persona'
        for persona, code in zip(PERSONAS, codes, strict=True):
            if code != '--':
                yield target, persona, code
OTHER = 'other'  # the owner of everyone's "other" objects
# Who owns a set of objects: every persona that can own something, and Olaf. Anonymous and pending own nothing.
OWNERS = ('deactivated', 'member', 'outsider', 'moderator', 'admin', OTHER)

# name, e-mail, role, status at the end, organisation ('a' or 'b')
PEOPLE = {
    'pending': ('Pia Pending', 'pia@essen.de', Role.MEMBER, Status.PENDING, 'a'),
    'deactivated': ('Dora Deactivated', 'dora@essen.de', Role.MEMBER, Status.DEACTIVATED, 'a'),
    'member': ('Mia Member', 'mia@essen.de', Role.MEMBER, Status.ACTIVE, 'a'),
    'outsider': ('Otto Outsider', 'otto@kreis-wesel.de', Role.MEMBER, Status.ACTIVE, 'b'),
    'moderator': ('Mo Moderator', 'mo@essen.de', Role.MODERATOR, Status.ACTIVE, 'a'),
    'admin': ('Ada Admin', 'ada@essen.de', Role.ADMIN, Status.ACTIVE, 'a'),
    OTHER: ('Olaf Other', 'olaf@essen.de', Role.MEMBER, Status.ACTIVE, 'a'),
    'kim': ('Kim Bystander', 'kim@kreis-wesel.de', Role.MEMBER, Status.ACTIVE, 'b'),
    'ben': ('Ben Bystander', 'ben@kreis-wesel.de', Role.MEMBER, Status.ACTIVE, 'b'),
}


@dataclass
class World:
    """Ids of everything seeded; dictionaries are keyed by owner (see OWNERS)."""

    users: dict[str, CurrentUser] = field(default_factory=dict)  # persona (and 'other', 'kim', 'ben') → user
    org_a: int = 0
    org_b: int = 0
    board_id: int = 0
    board_slug: str = ''
    second_board_id: int = 0  # where moderators move threads to
    news_board_id: int = 0  # only moderators write here
    thread: dict[str, int] = field(default_factory=dict)  # a thread the owner started (Kim answered it)
    question: dict[str, int] = field(default_factory=dict)  # post 1 of that thread
    answer: dict[str, int] = field(default_factory=dict)  # Kim's reply in the owner's thread
    reply: dict[str, int] = field(default_factory=dict)  # the owner's reply in Kim's thread
    kim_thread: int = 0
    event: dict[str, int] = field(default_factory=dict)  # a single event the owner organises (next month)
    series: dict[str, int] = field(default_factory=dict)  # a weekly series the owner organises
    series_day: object = None  # a date of every series
    past_event: dict[str, int] = field(default_factory=dict)  # an event of the owner that has begun
    conversation: dict[str, int] = field(default_factory=dict)  # the owner and Kim
    group: dict[str, int] = field(default_factory=dict)  # the owner, Kim and Ben
    message: dict[str, int] = field(default_factory=dict)  # written by the owner to Kim
    received: dict[str, int] = field(default_factory=dict)  # written by Kim to the owner
    notice: dict[str, int] = field(default_factory=dict)  # a notification for the owner
    post_report: int = 0  # Kim reported Olaf's reply
    message_report: int = 0  # Kim reported a message of Olaf's
    invitation: int = 0
    attachment: str = ''  # stored name of a file attached to Olaf's question
    attachment_name: str = ''
    extra: dict[str, str] = field(default_factory=dict)  # what a test adds (the page matrix: tokens, an avatar)

    def uid(self, who: str) -> int:
        return self.users[who].id

    def actor(self, persona: str) -> CurrentUser | None:
        return None if persona == 'anonymous' else self.users[persona]


def _add_user(session: Session, who: str, org_id: int) -> CurrentUser:
    name, email, role, status, _org = PEOPLE[who]
    # Everyone starts active (the deactivated persona writes first); the pending one never was.
    start = Status.PENDING if status == Status.PENDING else Status.ACTIVE
    user = User(name=name, email=email, email_key=email.lower(), password_hash=passwords.hash_password(PASSWORD),
                role=role, status=start, organization_id=org_id)
    session.add(user)
    session.commit()
    return accounts.get_user(session, user.id)


def _event_input(title: str, starts: datetime, **more: object) -> EventInput:
    return EventInput(title=title, starts=starts, ends=starts + timedelta(hours=2), location='Rathaus, Raum 101',
                      **more)  # type: ignore[arg-type]


def _latest_notice(session: Session, user_id: int) -> int:
    return session.exec(select(Notification.id).where(Notification.user_id == user_id)
                        .order_by(Notification.id.desc())).first()  # type: ignore[union-attr]


def build_world(session: Session) -> World:
    """Seed the world into an empty database (about 0.3 s)."""
    w = World()
    org_a = orgs.find_or_add_organization(session, 'Stadt Essen')
    org_b = orgs.find_or_add_organization(session, 'Kreis Wesel')
    session.commit()
    w.org_a, w.org_b = org_a.id, org_b.id  # type: ignore[assignment]
    for who, (*_rest, org) in PEOPLE.items():
        w.users[who] = _add_user(session, who, w.org_a if org == 'a' else w.org_b)
    u = w.users
    admin = u['admin']

    general = boards.create_board(session, actor=admin, name='Allgemeines')
    w.board_id, w.board_slug = general.id, general.slug
    w.second_board_id = boards.create_board(session, actor=admin, name='Technik').id
    w.news_board_id = boards.create_board(session, actor=admin, name='Ankündigungen', moderators_only=True).id
    w.kim_thread = boards.create_thread(session, actor=u['kim'], board_id=w.board_id, title='Frage von Kim',
                                        body='Wer kennt sich mit der E-Akte aus?')
    start = datetime.combine(today() + timedelta(days=30), datetime.min.time()).replace(hour=10)
    w.series_day = (start + timedelta(days=7)).date()
    for owner in OWNERS:
        me = u[owner]
        attachments = [('protokoll.pdf', PDF)] if owner == OTHER else None
        w.thread[owner] = boards.create_thread(session, actor=me, board_id=w.board_id, title=f'Frage von {me.name}',
                                               body='Wie machen Sie das mit der Aktenablage?',
                                               attachments=attachments)
        w.question[owner] = _post_id(session, w.thread[owner], 1)
        w.answer[owner] = posts.reply(session, actor=u['kim'], thread_id=w.thread[owner], body='So machen wir es.').id
        w.reply[owner] = posts.reply(session, actor=me, thread_id=w.kim_thread, body=f'Antwort von {me.name}').id
        w.event[owner] = events.create_event(session, actor=me, data=_event_input(f'Fachtag von {me.name}', start))
        w.series[owner] = events.create_event(session, actor=me, data=_event_input(
            f'Stammtisch von {me.name}', start, repeat=Repeat.WEEKLY, repeat_until=start.date() + timedelta(days=60)))
        past = events.create_event(session, actor=me, data=_event_input(f'Rückblick von {me.name}', start))
        # Time travel: an event that has already begun (the form refuses to create one in the past).
        session.exec(update(Event).where(Event.id == past).values(  # type: ignore[call-overload]
            starts_at=utcnow() - timedelta(days=2), ends_at=utcnow() - timedelta(days=2, hours=-2)))
        session.commit()
        w.past_event[owner] = past
        w.conversation[owner] = messages.start_conversation(session, actor=me, member_ids=[u['kim'].id],
                                                            body=f'Hallo Kim, hier {me.name}.')
        w.message[owner] = messages.open_conversation(session, viewer=me,
                                                      conversation_id=w.conversation[owner]).messages[-1].id
        w.received[owner] = messages.send_message(session, actor=u['kim'], conversation_id=w.conversation[owner],
                                                  body='Hallo zurück.').id
        w.group[owner] = messages.start_conversation(session, actor=me, member_ids=[u['kim'].id, u['ben'].id],
                                                     body='Hallo zusammen.', title=f'Runde von {me.name}')
        notifications.notify(session, [me.id], kind='reply', text='Neue Antwort', url=f'/threads/{w.thread[owner]}')
        session.commit()
        w.notice[owner] = _latest_notice(session, me.id)
    w.post_report = moderation.report_post(session, actor=u['kim'], post_id=w.reply[OTHER], reason='Werbung')
    messages.report_message(session, actor=u['kim'], message_id=w.message[OTHER], reason='Werbung')
    w.message_report = session.exec(select(MessageReport.id)).first()  # type: ignore[assignment]
    w.invitation = accounts.create_invitation(session, actor=admin, email='neu@essen.de').id  # type: ignore[assignment]
    file = session.exec(select(Attachment)).first()
    assert file is not None
    w.attachment, w.attachment_name = file.stored_name, file.filename
    accounts.deactivate_user(session, actor=admin, user_id=u['deactivated'].id)
    w.users['deactivated'] = accounts.get_user(session, u['deactivated'].id)
    return w


def _post_id(session: Session, thread_id: int, number: int) -> int:
    from models.board import Post

    return session.exec(select(Post.id).where(Post.thread_id == thread_id, Post.number == number)).one()
