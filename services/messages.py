"""Direct messages between members: conversations of two or a small group, read marks, blocks and reports.

Privacy: a member who blocked me looks, to me, exactly like any member who cannot receive messages now (the same
neutral message). There is no online status: the only presence shown is how far the others have read.
"""

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlmodel import Session

from models.base import utcnow
from models.message import MAX_GROUP, Conversation, ConversationMember, MemberBlock, Message, MessageReport
from models.user import Status, User
from services import audit, bus, rate_limits
from services.board_views import AuthorRef, authors
from services.errors import Invalid, NotAllowed, NotFound
from services.markup import render_markdown
from services.notifications import announce, notify
from services.permissions import require_active, require_moderator

MAX_BODY = 20_000
MAX_TITLE = 120
MAX_REASON = 1000
PAGE_SIZE = 20  # conversations per page of the list
MAX_PAGE_MESSAGES = 100
EXCERPT = 120
REPORTS_PER_PAGE = 30
MAX_BLOCKED = 200

MSG_CANNOT_RECEIVE = '{name} kann derzeit keine Nachrichten empfangen.'
MSG_NO_CONVERSATION = 'Diese Unterhaltung gibt es nicht.'
MSG_NEW = 'Neue Nachricht von {name}'
MSG_NEW_GROUP = 'Neue Nachricht von {name} in „{title}“'
MSG_I_BLOCKED = 'Sie haben {name} blockiert. Heben Sie die Blockierung auf, um wieder zu schreiben.'
MSG_LEFT = 'Sie haben diese Unterhaltung verlassen.'
MSG_NOBODY_LEFT = 'In dieser Unterhaltung ist niemand mehr, der Ihre Nachricht lesen könnte.'
# What a reporter is told when a moderator handled the report (catalogue keys).
MSG_OUTCOME = {
    'dismissed': 'Ihre Meldung zu einer Nachricht wurde geprüft: Die Moderation hat keinen Verstoß festgestellt.',
    'deleted': 'Ihre Meldung zu einer Nachricht wurde bearbeitet: Die Nachricht wurde entfernt.',
}
REPORT_ACTIONS = {'dismiss': 'dismissed', 'delete': 'deleted'}

CM = ConversationMember.__table__
M = Message.__table__
C = Conversation.__table__
U = User.__table__
MB = MemberBlock.__table__
MR = MessageReport.__table__


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class MessageView:
    id: int
    conversation_id: int
    author: AuthorRef | None
    body_html: str  # '' when the moderation removed it
    created_at: datetime

    @property
    def removed(self) -> bool:
        return not self.body_html


@dataclass(frozen=True)
class ConversationRow:
    """One line of /messages."""

    id: int
    is_group: bool
    title: str  # the group's title ('' when it has none)
    others: tuple[AuthorRef, ...]  # the other members still in it (at most a few, for the name)
    others_count: int
    last_message_at: datetime
    excerpt: str
    excerpt_author: str
    excerpt_mine: bool
    unread: int

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        names = [o.name for o in self.others]
        more = self.others_count - len(names)
        return ', '.join(names) + (f' +{more}' if more > 0 else '')


@dataclass(frozen=True)
class ConversationView:
    id: int
    is_group: bool
    title: str
    others: tuple[AuthorRef, ...]  # the other members still in it
    messages: tuple[MessageView, ...]  # oldest to newest
    has_older: bool
    read_by: dict[int, tuple[str, ...]]  # my message id → who read up to it (names; one entry per reader)
    marks: dict[int, int]  # each other member still in it → the newest message they have read (for live updates)
    left: bool
    can_write: bool
    write_blocked: str  # catalogue key why not ('' when writing is possible)
    write_params: dict[str, Any]
    i_blocked: bool  # two people: I blocked the other one
    other_id: int | None  # two people: the other one

    @property
    def name(self) -> str:
        return self.title or ', '.join(o.name for o in self.others) or '—'


@dataclass(frozen=True)
class MessageReportRow:
    id: int
    message_id: int
    conversation_id: int
    excerpt: str
    author: AuthorRef | None
    reporter: AuthorRef | None
    reason: str
    status: str
    created_at: datetime
    outcome: str
    message_removed: bool


# ---------------------------------------------------------------- helpers


def _plain(body_html: str) -> str:
    from services.posts import plain_text

    return plain_text(body_html)


def clean_body(body: str) -> str:
    body = (body or '').replace('\r\n', '\n').strip()
    if not body:
        raise Invalid('body', 'Bitte schreiben Sie eine Nachricht.')
    if len(body) > MAX_BODY:
        from services.posts import thousands

        raise Invalid('body', 'Eine Nachricht darf höchstens {n} Zeichen haben (jetzt: {length}).',
                      n=thousands(MAX_BODY), length=thousands(len(body)))
    return body


def _render(body: str) -> str:
    body_html = render_markdown(body)
    return body_html or '<p>' + html.escape(body) + '</p>'  # never '' (that marks a removed message)


def _blocked_by(session: Session, blocker_ids: list[int], blocked_id: int) -> set[int]:
    """Which of `blocker_ids` blocked `blocked_id`."""
    if not blocker_ids:
        return set()
    return set(session.execute(select(MB.c.blocker_id).where(
        MB.c.blocker_id.in_(blocker_ids), MB.c.blocked_id == blocked_id)).scalars())


def _i_blocked(session: Session, me: int, other: int) -> bool:
    return session.execute(select(MB.c.blocker_id).where(MB.c.blocker_id == me, MB.c.blocked_id == other)).first() \
        is not None


def _membership(session: Session, viewer_id: int, conversation_id: Any) -> ConversationMember:
    """My membership (left or not); NotFound for unknown and other people's conversations alike."""
    if not isinstance(conversation_id, int) or conversation_id <= 0:
        raise NotFound(MSG_NO_CONVERSATION)
    member = session.get(ConversationMember, (conversation_id, viewer_id))
    if member is None:
        raise NotFound(MSG_NO_CONVERSATION)
    return member


def _current_ids(session: Session, conversation_id: int) -> list[int]:
    return list(session.execute(select(CM.c.user_id).where(
        CM.c.conversation_id == conversation_id, CM.c.left_at.is_(None)).order_by(CM.c.user_id)).scalars())


def _view(session: Session, message: Message) -> MessageView:
    people = authors(session, [message.author_id])
    return MessageView(message.id, message.conversation_id, people.get(message.author_id),  # type: ignore[arg-type]
                       message.body_html, message.created_at)


def _write_check(session: Session, actor: Any, conversation: Conversation, others: list[int]) -> None:
    """Refuse writing into a conversation of two whose other side cannot receive (inactive, or blocked me)."""
    if conversation.is_group or len(others) != 1:
        return
    other = session.get(User, others[0])
    assert other is not None
    if _i_blocked(session, actor.id, other.id):  # type: ignore[arg-type]
        raise Invalid('body', MSG_I_BLOCKED, name=other.name)
    if other.status != Status.ACTIVE or _blocked_by(session, [other.id], actor.id):  # type: ignore[list-item]
        raise Invalid('body', MSG_CANNOT_RECEIVE, name=other.name)


def _add_message(session: Session, actor: Any, conversation: Conversation, body: str) -> tuple[Message, list[int]]:
    """Add the message, move the conversation up, mark it read for me and notify the others (no commit).

    Returns the message and who was notified (for `announce`).
    """
    now = utcnow()
    message = Message(conversation_id=conversation.id, author_id=actor.id, body=body,  # type: ignore[arg-type]
                      body_html=_render(body), created_at=now)
    session.add(message)
    conversation.last_message_at = now
    session.flush()
    session.execute(update(CM).where(CM.c.conversation_id == conversation.id, CM.c.user_id == actor.id).values(
        last_read_message_id=message.id))
    others = [i for i in _current_ids(session, conversation.id) if i != actor.id]  # type: ignore[arg-type]
    # A member who blocked the author is not told (in a group they still see the message when they look).
    quiet = _blocked_by(session, others, actor.id)
    receivers = session.execute(select(U.c.id).where(U.c.id.in_(others), U.c.status == Status.ACTIVE)).scalars()
    wanted = [i for i in receivers if i not in quiet]
    url = f'/messages/{conversation.id}'
    if conversation.is_group and conversation.title:
        told = notify(session, wanted, kind='message', text=MSG_NEW_GROUP, url=url,
                      group_key=f'conversation:{conversation.id}', actor_id=actor.id, name=actor.name,
                      title=conversation.title)
    else:
        told = notify(session, wanted, kind='message', text=MSG_NEW, url=url,
                      group_key=f'conversation:{conversation.id}', actor_id=actor.id, name=actor.name)
    return message, told


def _publish_new(session: Session, conversation_id: int, message: Message, actor_id: int, told: list[int]) -> None:
    recipients = [i for i in _current_ids(session, conversation_id) if i != actor_id]
    view = _view(session, message)
    announce(told)
    bus.publish('messages.new', user_ids=recipients, conversation_id=conversation_id, message=view,
                author_id=actor_id)


# ---------------------------------------------------------------- writing


def start_conversation(session: Session, *, actor: Any, member_ids: list[int], body: str, title: str = '') -> int:
    """Write to one member (their conversation with me is reused) or start a group (2..19 others). Returns its id."""
    require_active(actor)
    wanted = []
    for raw in member_ids or []:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise Invalid('members', 'Dieses Mitglied gibt es nicht.')
        if raw != actor.id and raw not in wanted:
            wanted.append(raw)
    if not wanted:
        raise Invalid('members', 'Bitte wählen Sie mindestens ein anderes Mitglied.')
    if len(wanted) + 1 > MAX_GROUP:
        raise Invalid('members', 'Eine Unterhaltung hat höchstens {n} Mitglieder (mit Ihnen).', n=MAX_GROUP)
    title = ' '.join((title or '').split())
    if len(title) > MAX_TITLE:
        raise Invalid('title', 'Der Titel darf höchstens {n} Zeichen haben.', n=MAX_TITLE)
    body = clean_body(body)
    rate_limits.check_messages(session, actor)
    people = {r[0]: (r[1], r[2]) for r in session.execute(
        select(U.c.id, U.c.name, U.c.status).where(U.c.id.in_(wanted))).all()}
    if any(i not in people for i in wanted):
        raise Invalid('members', 'Dieses Mitglied gibt es nicht.')
    blockers = _blocked_by(session, wanted, actor.id)
    for member_id in wanted:
        name, status = people[member_id]
        if status != Status.ACTIVE or member_id in blockers:
            raise Invalid('members', MSG_CANNOT_RECEIVE, name=name)
    if len(wanted) == 1:
        if _i_blocked(session, actor.id, wanted[0]):
            raise Invalid('members', MSG_I_BLOCKED, name=people[wanted[0]][0])
        conversation = _direct(session, actor.id, wanted[0])
    else:
        conversation = None
    if conversation is None:
        conversation = Conversation(created_by=actor.id, is_group=len(wanted) > 1,
                                    title=title if len(wanted) > 1 else '')
        session.add(conversation)
        session.flush()
        for user_id in [actor.id, *wanted]:
            session.add(ConversationMember(conversation_id=conversation.id, user_id=user_id))  # type: ignore[arg-type]
        session.flush()
    message, told = _add_message(session, actor, conversation, body)
    session.commit()
    assert conversation.id is not None
    _publish_new(session, conversation.id, message, actor.id, told)
    return conversation.id


def _direct(session: Session, me: int, other: int) -> Conversation | None:
    mine = CM.alias('mine')
    theirs = CM.alias('theirs')
    found = session.execute(select(C.c.id).select_from(
        C.join(mine, and_(mine.c.conversation_id == C.c.id, mine.c.user_id == me))
        .join(theirs, and_(theirs.c.conversation_id == C.c.id, theirs.c.user_id == other)))
        .where(C.c.is_group.is_(False)).order_by(C.c.id).limit(1)).scalar()
    return session.get(Conversation, found) if found else None


def direct_conversation(session: Session, *, viewer: Any, member_id: int) -> int | None:
    """My conversation with this one member, if we have one (the profile's "Nachricht schreiben" opens it)."""
    require_active(viewer)
    found = _direct(session, viewer.id, member_id)
    return found.id if found else None


def send_message(session: Session, *, actor: Any, conversation_id: int, body: str) -> MessageView:
    """Write into a conversation I am (still) in."""
    require_active(actor)
    membership = _membership(session, actor.id, conversation_id)
    if membership.left_at is not None:
        raise NotAllowed(MSG_LEFT)
    body = clean_body(body)
    rate_limits.check_messages(session, actor)
    conversation = session.get(Conversation, conversation_id)
    assert conversation is not None
    others = [i for i in _current_ids(session, conversation_id) if i != actor.id]
    if not others:
        raise Invalid('body', MSG_NOBODY_LEFT)
    _write_check(session, actor, conversation, others)
    message, told = _add_message(session, actor, conversation, body)
    session.commit()
    _publish_new(session, conversation_id, message, actor.id, told)
    return _view(session, message)


def leave_conversation(session: Session, *, actor: Any, conversation_id: int) -> None:
    """Leave a group: no new messages reach me and I cannot write there any more."""
    require_active(actor)
    membership = _membership(session, actor.id, conversation_id)
    conversation = session.get(Conversation, conversation_id)
    assert conversation is not None
    if not conversation.is_group:
        raise Invalid('conversation', 'Eine Unterhaltung zu zweit kann man nicht verlassen. Sie können das '
                                      'Mitglied aber blockieren.')
    if membership.left_at is not None:
        return
    membership.left_at = utcnow()
    session.commit()
    bus.publish('messages.left', user_ids=[actor.id], conversation_id=conversation_id, member_id=actor.id)


def forget_member(session: Session, user_id: int) -> int:
    """An account is being deleted (in the caller's transaction, no commit): its messages and blocks go; how many
    messages.

    The others keep what they wrote, and the conversation stays theirs, with the account shown as "Ehemaliges
    Mitglied" (its membership stays so that a conversation of two still says with whom it was). Open pages are not
    told: they would show a removed message as removed by the moderation; they show the gap on their next load.
    """
    mine = select(M.c.id).where(M.c.author_id == user_id)
    # Reports of these messages go with them (as the foreign key says; done here so no database relies on it).
    session.execute(delete(MR).where(MR.c.message_id.in_(mine)))
    removed = session.execute(delete(M).where(M.c.author_id == user_id)).rowcount
    session.execute(delete(MB).where(or_(MB.c.blocker_id == user_id, MB.c.blocked_id == user_id)))
    return removed or 0


# ---------------------------------------------------------------- reading


def list_conversations(session: Session, *, viewer: Any, page: int = 1) -> tuple[list[ConversationRow], int]:
    """My conversations (not the ones I left), newest activity first, PAGE_SIZE a page; and how many pages."""
    require_active(viewer)
    total = session.execute(select(func.count()).select_from(CM).where(
        CM.c.user_id == viewer.id, CM.c.left_at.is_(None))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(C.c.id, C.c.is_group, C.c.title, C.c.last_message_at, CM.c.last_read_message_id)
        .select_from(C.join(CM, and_(CM.c.conversation_id == C.c.id, CM.c.user_id == viewer.id)))
        .where(CM.c.left_at.is_(None)).order_by(C.c.last_message_at.desc(), C.c.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    ids = [r[0] for r in rows]
    if not ids:
        return [], pages
    last_ids = select(func.max(M.c.id)).where(M.c.conversation_id.in_(ids)).group_by(M.c.conversation_id)
    last = {r[0]: r for r in session.execute(select(M.c.conversation_id, M.c.author_id, M.c.body_html).where(
        M.c.id.in_(last_ids))).all()}
    unread: dict[int, int] = {}
    for cid, count in session.execute(
            select(M.c.conversation_id, func.count()).select_from(M.join(CM, and_(
                CM.c.conversation_id == M.c.conversation_id, CM.c.user_id == viewer.id)))
            .where(M.c.conversation_id.in_(ids), M.c.id > CM.c.last_read_message_id,
                   or_(M.c.author_id.is_(None), M.c.author_id != viewer.id))
            .group_by(M.c.conversation_id)).all():
        unread[cid] = count
    others: dict[int, list[int]] = {}
    for cid, uid in session.execute(select(CM.c.conversation_id, CM.c.user_id).where(
            CM.c.conversation_id.in_(ids), CM.c.left_at.is_(None), CM.c.user_id != viewer.id)
            .order_by(CM.c.conversation_id, CM.c.joined_at, CM.c.user_id)).all():
        others.setdefault(cid, []).append(uid)
    shown = {cid: uids[:3] for cid, uids in others.items()}
    people = authors(session, {u for uids in shown.values() for u in uids} | {r[1] for r in last.values()})
    result = []
    for cid, is_group, title, at, _read in rows:
        lm = last.get(cid)
        excerpt = ''
        if lm is not None:
            text = _plain(lm[2]) if lm[2] else ''
            excerpt = text[:EXCERPT] + ('…' if len(text) > EXCERPT else '')
        author = people.get(lm[1]) if lm is not None else None
        result.append(ConversationRow(
            cid, is_group, title, tuple(people[u] for u in shown.get(cid, []) if u in people),
            len(others.get(cid, [])), at, excerpt, author.name if author else '',
            lm is not None and lm[1] == viewer.id, unread.get(cid, 0)))
    return result, pages


def open_conversation(session: Session, *, viewer: Any, conversation_id: int, before_id: int | None = None,
                      limit: int = 50) -> ConversationView:
    """A page of messages (oldest to newest of the newest `limit`, or those before `before_id`); showing the newest
    page marks them read."""
    require_active(viewer)
    membership = _membership(session, viewer.id, conversation_id)
    conversation = session.get(Conversation, conversation_id)
    assert conversation is not None
    limit = max(1, min(limit, MAX_PAGE_MESSAGES))
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)  # type: ignore[operator]
    if membership.left_at is not None:
        query = query.where(Message.created_at <= membership.left_at)  # type: ignore[operator]
    found = list(session.exec(query.order_by(Message.id.desc()).limit(limit + 1)).scalars())  # type: ignore[union-attr]
    has_older = len(found) > limit
    found = list(reversed(found[:limit]))
    members = session.execute(select(CM.c.user_id, CM.c.last_read_message_id, CM.c.left_at).where(
        CM.c.conversation_id == conversation_id)).all()
    other_ids = [m[0] for m in members if m[0] != viewer.id and m[2] is None]
    people = authors(session, {m.author_id for m in found} | set(other_ids))
    views = tuple(MessageView(m.id, m.conversation_id, people.get(m.author_id), m.body_html,  # type: ignore[arg-type]
                              m.created_at) for m in found)
    marks = {uid: last_read for uid, last_read, left_at in members if uid != viewer.id and left_at is None}
    names = {uid: people[uid].name for uid in marks if uid in people}
    read_by = read_marks([v.id for v in views if v.author is not None and v.author.id == viewer.id], marks, names)
    if before_id is None and found and found[-1].id > membership.last_read_message_id and \
            membership.left_at is None:
        membership.last_read_message_id = found[-1].id  # type: ignore[assignment]
        session.commit()
        bus.publish('messages.read', user_ids=[viewer.id], conversation_id=conversation_id, reader_id=viewer.id,
                    message_id=found[-1].id)
    left = membership.left_at is not None
    blocked, params, i_blocked = '', {}, False
    other_id = other_ids[0] if not conversation.is_group and len(other_ids) == 1 else None
    if left:
        blocked = MSG_LEFT
    elif not other_ids:
        blocked = MSG_NOBODY_LEFT
    elif other_id is not None:
        try:
            _write_check(session, viewer, conversation, other_ids)
        except Invalid as e:
            blocked, params = e.message, dict(e.params)
        i_blocked = _i_blocked(session, viewer.id, other_id)
    return ConversationView(conversation.id, conversation.is_group, conversation.title,  # type: ignore[arg-type]
                            tuple(people[u] for u in other_ids if u in people), views, has_older,
                            read_by, marks, left, not blocked, blocked, params, i_blocked,
                            other_id)


def read_marks(mine: list[int], marks: dict[int, int], names: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """Under which of my messages (ids, ascending) whose read mark stands: my newest one each reader has read."""
    read_by: dict[int, list[str]] = {}
    for uid, last_read in marks.items():
        upto = [i for i in mine if i <= last_read]
        if upto and uid in names:
            read_by.setdefault(upto[-1], []).append(names[uid])
    return {k: tuple(sorted(v)) for k, v in read_by.items()}


def mark_read(session: Session, *, viewer: Any, conversation_id: int, message_id: int) -> None:
    """A message shown live on an open page: read up to it (never backwards)."""
    require_active(viewer)
    membership = _membership(session, viewer.id, conversation_id)
    if membership.left_at is not None or message_id <= membership.last_read_message_id:
        return
    exists = session.execute(select(M.c.id).where(M.c.id == message_id, M.c.conversation_id == conversation_id)) \
        .first()
    if exists is None:
        return
    membership.last_read_message_id = message_id
    session.commit()
    bus.publish('messages.read', user_ids=[viewer.id], conversation_id=conversation_id, reader_id=viewer.id,
                message_id=message_id)


# Built once: every page's navigation asks (building and keying it cost more than SQLite's answer).
_UNREAD = select(func.count()).select_from(CM).where(
    CM.c.user_id == bindparam('user_id'), CM.c.left_at.is_(None),
    select(M.c.conversation_id).where(
        M.c.conversation_id == CM.c.conversation_id, M.c.id > CM.c.last_read_message_id,
        M.c.author_id != bindparam('user_id')).exists())


def unread_count(session: Session, *, viewer: Any) -> int:
    """How many of my conversations have messages from others that I have not seen (the navigation's badge)."""
    require_active(viewer)
    return session.execute(_UNREAD, {'user_id': viewer.id}).scalar_one()


def member_refs(session: Session, *, viewer: Any, ids: list[int]) -> list[AuthorRef]:
    """Active members by id (the picker of a new message, prefilled from a profile)."""
    require_active(viewer)
    active = set(session.execute(select(U.c.id).where(U.c.id.in_(ids[:MAX_GROUP]), U.c.status == Status.ACTIVE))
                 .scalars())
    people = authors(session, active)
    return [people[i] for i in ids if i in people]


# ---------------------------------------------------------------- blocking


def block_member(session: Session, *, actor: Any, member_id: int) -> None:
    """They can no longer write to me (and are not told why)."""
    require_active(actor)
    if member_id == actor.id:
        raise Invalid('member', 'Sich selbst kann man nicht blockieren.')
    if session.get(User, member_id) is None:
        raise NotFound('Dieses Mitglied gibt es nicht.')
    if session.get(MemberBlock, (actor.id, member_id)) is None:
        session.add(MemberBlock(blocker_id=actor.id, blocked_id=member_id))
        session.commit()
    bus.publish('messages.blocked', user_ids=[actor.id], member_id=member_id)


def unblock_member(session: Session, *, actor: Any, member_id: int) -> None:
    require_active(actor)
    session.execute(delete(MemberBlock).where(MemberBlock.blocker_id == actor.id,  # type: ignore[arg-type]
                                              MemberBlock.blocked_id == member_id))  # type: ignore[arg-type]
    session.commit()
    bus.publish('messages.blocked', user_ids=[actor.id], member_id=member_id)


def list_blocked(session: Session, *, viewer: Any) -> list[AuthorRef]:
    require_active(viewer)
    ids = list(session.execute(select(MB.c.blocked_id).where(MB.c.blocker_id == viewer.id)
                               .order_by(MB.c.created_at).limit(MAX_BLOCKED)).scalars())
    people = authors(session, ids)
    return [people[i] for i in ids if i in people]


# ---------------------------------------------------------------- reports


def report_message(session: Session, *, actor: Any, message_id: int, reason: str) -> int:
    """Tell the moderators about a message in one of my conversations (not my own); one open report per message."""
    require_active(actor)
    message = session.get(Message, message_id) if isinstance(message_id, int) else None
    if message is None:
        raise NotFound('Diese Nachricht gibt es nicht.')
    membership = _membership(session, actor.id, message.conversation_id)
    if membership.left_at is not None and message.created_at > membership.left_at:
        raise NotFound('Diese Nachricht gibt es nicht.')
    if message.author_id == actor.id:
        raise NotAllowed('Eigene Nachrichten können Sie nicht melden.')
    if not message.body_html:
        raise Invalid('reason', 'Diese Nachricht wurde schon entfernt.')
    reason = ' '.join((reason or '').split())
    if not reason:
        raise Invalid('reason', 'Bitte nennen Sie einen Grund.')
    if len(reason) > MAX_REASON:
        raise Invalid('reason', 'Der Grund darf höchstens {n} Zeichen haben.', n=MAX_REASON)
    if session.execute(select(MR.c.id).where(MR.c.message_id == message_id, MR.c.reporter_id == actor.id,
                                             MR.c.status == 'open')).first() is not None:
        raise Invalid('reason', 'Sie haben diese Nachricht schon gemeldet; die Moderation kümmert sich darum.')
    report = MessageReport(message_id=message_id, reporter_id=actor.id, reason=reason)
    session.add(report)
    session.flush()
    audit.record(session, 'message.report', actor_id=actor.id, target_type='message', target_id=message_id,
                 report=report.id)
    session.commit()
    assert report.id is not None
    bus.publish('messages.reported', report_id=report.id, message_id=message_id)
    return report.id


def count_message_reports(session: Session, *, actor: Any, status: str = 'open') -> int:
    require_moderator(actor)
    condition = MR.c.status == 'open' if status == 'open' else MR.c.status != 'open'
    return session.execute(select(func.count()).select_from(MR).where(condition)).scalar_one()


def list_message_reports(session: Session, *, actor: Any, status: str = 'open',
                         page: int = 1) -> list[MessageReportRow]:
    """Reported messages for moderators: open ones oldest first, or (`status='handled'`) handled ones newest first.
    Moderators see the reported message only, never the rest of the conversation."""
    require_moderator(actor)
    if status not in ('open', 'handled'):
        raise Invalid('status', 'Unbekannter Status.')
    query = select(MessageReport)
    if status == 'open':
        query = query.where(MessageReport.status == 'open').order_by(MessageReport.created_at, MessageReport.id)  # type: ignore[arg-type]
    else:
        query = query.where(MessageReport.status != 'open').order_by(MessageReport.created_at.desc(),  # type: ignore[attr-defined]
                                                                     MessageReport.id.desc())  # type: ignore[union-attr]
    reports = list(session.exec(query.limit(REPORTS_PER_PAGE).offset((max(1, page) - 1) * REPORTS_PER_PAGE))
                   .scalars())
    messages = {m.id: m for m in session.exec(select(Message).where(
        Message.id.in_([r.message_id for r in reports]))).scalars()}  # type: ignore[union-attr]
    people = authors(session, {r.reporter_id for r in reports} | {m.author_id for m in messages.values()})
    rows = []
    for r in reports:
        m = messages.get(r.message_id)
        if m is None:
            continue
        rows.append(MessageReportRow(r.id, m.id, m.conversation_id, _plain(m.body_html)[:300] if m.body_html else '',  # type: ignore[arg-type]
                                     people.get(m.author_id), people.get(r.reporter_id),  # type: ignore[arg-type]
                                     r.reason, r.status, r.created_at, r.outcome, not m.body_html))
    return rows


def handle_message_report(session: Session, *, actor: Any, report_id: int, action: str) -> str:
    """Dismiss a report or remove the message (its text is replaced by a notice). Closes every open report of that
    message, writes one audit entry and tells the reporters. Returns the outcome."""
    require_moderator(actor)
    if action not in REPORT_ACTIONS:
        raise Invalid('action', 'Unbekannte Aktion.')
    report = session.get(MessageReport, report_id)
    if report is None:
        raise NotFound('Diese Meldung gibt es nicht.')
    if report.status != 'open':
        raise Invalid('action', 'Diese Meldung wurde schon bearbeitet.')
    message = session.get(Message, report.message_id)
    assert message is not None  # reports go with their message (ON DELETE CASCADE)
    outcome = REPORT_ACTIONS[action]
    if action == 'delete':
        message.body = ''
        message.body_html = ''
    reporters = list(session.execute(select(MR.c.reporter_id).where(
        MR.c.message_id == message.id, MR.c.status == 'open')).scalars())
    closed = session.execute(update(MR).where(MR.c.message_id == message.id, MR.c.status == 'open').values(
        status='dismissed' if action == 'dismiss' else 'resolved', outcome=outcome, handled_by=actor.id,
        handled_at=utcnow())).rowcount
    audit.record(session, 'message_report.deleted' if action == 'delete' else 'message_report.dismissed',
                 actor_id=actor.id, target_type='message', target_id=message.id, report=report_id, reports=closed,
                 conversation=message.conversation_id)
    told = notify(session, [r for r in reporters if r is not None and r != actor.id], kind='moderation.report',
                  text=MSG_OUTCOME[outcome], url='', group_key=f'conversation:{message.conversation_id}',
                  actor_id=actor.id)
    session.commit()
    announce(told)
    if action == 'delete':
        bus.publish('messages.changed', user_ids=_current_ids(session, message.conversation_id),
                    conversation_id=message.conversation_id, message_id=message.id)
    bus.publish('messages.report_handled', report_id=report_id, message_id=message.id, outcome=outcome)
    return outcome
