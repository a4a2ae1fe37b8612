"""Posts: replying, quoting, @mentions, editing with history, deleting, reactions, solutions and attachments."""

import html
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3
from sqlalchemy import case, delete, func, select, update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import (
    Attachment,
    Board,
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    Thread,
    ThreadRead,
    WatchLevel,
)
from models.user import Status, User
from services import audit, bus, files, notifications, rate_limits, reading, search, uploads
from services import settings as site_settings
from services.board_views import (
    MSG_NO_POST,
    AuthorRef,
    PostView,
    authors,
    edit_window_open,
    live_post,
    live_thread,
    post_url,
    post_views,
)
from services.errors import Invalid, NotAllowed, NotFound
from services.markup import render_markdown
from services.permissions import require_active

MAX_BODY = 50_000  # the ceiling of the setting `max_post_length`, which is the limit in force
MAX_FILES_PER_POST = 5
MAX_HISTORY = 50
# How a mention is written (the editor inserts it when a member is picked): a link to the profile.
MENTION = re.compile(r'\[@([^\]\n]{1,100})\]\(/members/(\d{1,12})\)')

_BLOCK_START = re.compile(r'<(?=/?(?:p|br|li|h[1-6]|td|th|tr|blockquote|pre|ul|ol|table|hr)\b)')

B = Board.__table__
T = Thread.__table__
PO = Post.__table__
TR = ThreadRead.__table__


@dataclass(frozen=True)
class CheckedUpload:
    file: uploads.CheckedFile
    stored_name: str


@dataclass(frozen=True)
class Revision:
    body_html: str
    editor: str
    created_at: Any


# ---------------------------------------------------------------- text and files


MSG_EDIT_WINDOW = ('Beiträge können nur in den ersten {n} Minuten nach dem Schreiben bearbeitet werden. '
                   'Für spätere Änderungen wenden Sie sich bitte an die Moderation.')


def max_post_length(session: Session) -> int:
    """The longest post allowed now (the setting, never above MAX_BODY)."""
    return min(int(site_settings.get_setting(session, 'max_post_length')), MAX_BODY)


def allowed_file_types(session: Session) -> list[str]:
    return list(site_settings.get_setting(session, 'allowed_file_types'))


def edit_window_minutes(session: Session) -> int:
    return int(site_settings.get_setting(session, 'edit_window_minutes'))


def thousands(n: int) -> str:
    """20000 → '20.000' (German grouping; the catalogue gets the number as text)."""
    return f'{n:,}'.replace(',', '.')


def clean_body(body: str, limit: int = MAX_BODY) -> str:
    body = (body or '').replace('\r\n', '\n').strip()
    if not body:
        raise Invalid('body', 'Bitte schreiben Sie einen Text.')
    if len(body) > limit:
        raise Invalid('body', 'Der Text darf höchstens {n} Zeichen haben (jetzt: {length}).', n=thousands(limit),
                      length=thousands(len(body)))
    return body


def plain_text(body_html: str) -> str:
    """The words of a rendered post, for the search index and snippets."""
    spaced = _BLOCK_START.sub(' <', body_html)  # "</p><p>" must not glue two words together
    return ' '.join(html.unescape(nh3.clean(spaced, tags=set())).split())


def max_attachment_bytes(session: Session) -> int:
    return int(site_settings.get_setting(session, 'max_attachment_mb')) * 1024 * 1024


def check_files(session: Session, attachments: list[tuple[str, bytes]]) -> list[CheckedUpload]:
    """Check every file by its content before anything is written; all or none are attached."""
    if len(attachments) > MAX_FILES_PER_POST:
        raise Invalid('attachments', 'Höchstens {n} Dateien pro Beitrag.', n=MAX_FILES_PER_POST)
    if not attachments:
        return []
    limit = max_attachment_bytes(session)
    allowed = allowed_file_types(session)
    return [CheckedUpload(uploads.check_attachment(name, data, max_bytes=limit, allowed=allowed),
                          secrets.token_hex(16)) for name, data in attachments]


def attachment_folder() -> Path:
    return files.folder('attachments')


def attachment_path(stored_name: str) -> Path | None:
    """The file behind a download link, or None (names are ours: 32 hex digits, nothing else)."""
    if not re.fullmatch(r'[0-9a-f]{32}', stored_name or ''):
        return None
    path = attachment_folder() / stored_name
    return path if path.is_file() else None


def commit_files(session: Session, checked: list[CheckedUpload]) -> None:
    """Write the files, then commit: a row never points to a missing file; a failed commit leaves no file."""
    written: list[Path] = []
    try:
        for upload in checked:
            path = attachment_folder() / upload.stored_name
            path.write_bytes(upload.file.data)
            written.append(path)
        session.commit()
    except BaseException:
        session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _add_files(session: Session, post_id: int, checked: list[CheckedUpload]) -> None:
    for upload in checked:
        session.add(Attachment(post_id=post_id, stored_name=upload.stored_name, filename=upload.file.filename,
                               content_type=upload.file.content_type, size=len(upload.file.data)))


def _remove_files(session: Session, post_id: int) -> list[str]:
    names = list(session.execute(select(Attachment.__table__.c.stored_name).where(
        Attachment.__table__.c.post_id == post_id)).scalars())
    session.execute(delete(Attachment).where(col(Attachment.post_id) == post_id))
    return names


def _unlink(names: list[str]) -> None:
    for name in names:
        (attachment_folder() / name).unlink(missing_ok=True)


# ---------------------------------------------------------------- mentions


def _record_mentions(session: Session, post_id: int, body: str, author_id: int) -> list[int]:
    """Record the active members named in a post for the first time; returns them."""
    named = {int(m.group(2)) for m in MENTION.finditer(body)} - {author_id}
    if not named:
        return []
    known = set(session.execute(select(Mention.__table__.c.user_id).where(
        Mention.__table__.c.post_id == post_id)).scalars())
    active = set(session.execute(select(User.__table__.c.id).where(
        User.__table__.c.id.in_(named - known), User.__table__.c.status == Status.ACTIVE)).scalars())
    for user_id in sorted(active):
        session.add(Mention(post_id=post_id, user_id=user_id))
    return sorted(active)


def mentioned_ids(session: Session, post_id: int | None) -> list[int]:
    if post_id is None:
        return []
    return list(session.execute(select(Mention.__table__.c.user_id).where(
        Mention.__table__.c.post_id == post_id)).scalars())


def suggest_mentions(session: Session, *, viewer: Any, prefix: str, limit: int = 6) -> list[AuthorRef]:
    """Active members whose name starts with (a word starting with) `prefix`, for "@Mia…" while typing."""
    require_active(viewer)
    match = search.match_expression(prefix, session.get_bind().dialect.name)
    if not match or len(prefix.strip()) < 2:
        return []
    if session.get_bind().dialect.name == 'postgresql':
        ids_sql = "SELECT user_id FROM member_fts WHERE document @@ to_tsquery('simple', :m) LIMIT 50"
    else:
        ids_sql = 'SELECT rowid FROM member_fts WHERE member_fts MATCH :m LIMIT 50'
        match = f'name : ({match})'
    from sqlalchemy import text

    ids = list(session.execute(text(ids_sql), {'m': match}).scalars())
    found = authors(session, ids)
    ordered = sorted(found.values(), key=lambda a: (search.sort_key(a.name), a.id))
    return [a for a in ordered if a.id != viewer.id][:limit]


def mention_markdown(member: AuthorRef) -> str:
    name = member.name.replace('[', '(').replace(']', ')')
    return f'[@{name}](/members/{member.id})'


# ---------------------------------------------------------------- notices

MSG_NOTICE_REPLY = '{name} hat im Thema „{title}“ geantwortet.'
MSG_NOTICE_MENTION = '{name} hat Sie im Thema „{title}“ erwähnt.'
MSG_NOTICE_REACTION = '{name} hat auf Ihren Beitrag im Thema „{title}“ reagiert.'
MSG_NOTICE_SOLUTION = 'Ihre Antwort im Thema „{title}“ wurde als Lösung markiert.'


def notify_post(session: Session, *, actor: Any, thread: Thread, post: Post, mentioned: list[int],
                watchers: bool) -> list[int]:
    """Tell about a new (or newly visible) post, in the caller's transaction: the members it mentions, and (for
    a reply) those watching the thread. Each member once: a mention wins over a reply. Returns who was told."""
    if post.deleted or post.hidden or thread.deleted:
        return []
    url, group = post_url(thread.id, post.number), f'thread:{thread.id}'  # type: ignore[arg-type]
    told = notifications.notify(session, mentioned, kind='mention', text=MSG_NOTICE_MENTION, url=url, group_key=group,
                                actor_id=actor.id, name=actor.name, title=thread.title)
    if watchers:
        others = set(reading.watcher_ids(session, thread.id, thread.author_id)) - set(told)  # type: ignore[arg-type]
        told += notifications.notify(session, others, kind='reply', text=MSG_NOTICE_REPLY, url=url, group_key=group,
                                     actor_id=actor.id, name=actor.name, title=thread.title)
    return told


# ---------------------------------------------------------------- writing


def new_post(session: Session, *, actor: Any, thread: Thread, number: int, body: str,
             files: list[CheckedUpload], quoted_post_id: int | None = None) -> Post:
    """Add a post (inside the caller's transaction): render once, index, mentions, files."""
    body_html = render_markdown(body)
    post = Post(thread_id=thread.id, number=number, author_id=actor.id, body=body, body_html=body_html,  # type: ignore[arg-type]
                quoted_post_id=quoted_post_id, created_at=thread.last_post_at)
    session.add(post)
    session.flush()
    assert post.id is not None
    search.index_post(session, post.id, title=thread.title if number == 1 else '', body=plain_text(body_html))
    _record_mentions(session, post.id, body, actor.id)
    _add_files(session, post.id, files)
    return post


def _thread_for_writing(session: Session, actor: Any, thread_id: int) -> tuple[Thread, Board]:
    thread = live_thread(session, thread_id)
    board = session.get(Board, thread.board_id)
    assert board is not None
    from services.boards import MSG_LOCKED, may_post_in

    reason = may_post_in(board, actor)
    if reason:
        raise NotAllowed(reason)
    if thread.locked and not actor.is_moderator:
        raise NotAllowed(MSG_LOCKED)
    return thread, board


def reply(session: Session, *, actor: Any, thread_id: int, body: str, quoted_post_id: int | None = None,
          attachments: list[tuple[str, bytes]] | None = None) -> PostView:
    """Answer in a thread. The author watches the thread from now on and has read it to their reply."""
    require_active(actor)
    thread, board = _thread_for_writing(session, actor, thread_id)
    body = clean_body(body, max_post_length(session))
    rate_limits.check_posts(session, actor)
    rate_limits.check_uploads(session, actor, len(attachments or []))  # before the files cost any work
    checked = check_files(session, attachments or [])
    if quoted_post_id is not None:
        quoted = session.get(Post, quoted_post_id)
        if quoted is None or quoted.thread_id != thread_id:
            quoted_post_id = None
    now = utcnow()
    # The counter is raised in the database, so two replies at the same moment get different numbers.
    number = session.execute(update(T).where(T.c.id == thread_id).values(
        post_count=T.c.post_count + 1, reply_count=T.c.reply_count + 1, last_post_at=now, last_poster_id=actor.id)
        .returning(T.c.post_count)).scalar_one()
    session.execute(update(B).where(B.c.id == board.id).values(
        post_count=B.c.post_count + 1, last_post_at=now, last_thread_id=thread_id))
    thread.last_post_at = now
    post = new_post(session, actor=actor, thread=thread, number=number, body=body, files=checked,
                    quoted_post_id=quoted_post_id)
    if not reading.ensure_read_row(session, actor.id, thread_id, number=number, watch=WatchLevel.WATCHING):
        # Writing in a thread means watching it, unless the member muted it on purpose.
        session.execute(update(TR).where(TR.c.user_id == actor.id, TR.c.thread_id == thread_id).values(
            last_read_number=func.max(TR.c.last_read_number, number) if session.get_bind().dialect.name == 'sqlite'
            else func.greatest(TR.c.last_read_number, number),
            watch=case((TR.c.watch == WatchLevel.NORMAL, WatchLevel.WATCHING), else_=TR.c.watch)))
    session.flush()
    told = notify_post(session, actor=actor, thread=thread, post=post, mentioned=mentioned_ids(session, post.id),
                       watchers=True)
    commit_files(session, checked)
    notifications.announce(told)
    view = post_views(session, [post], viewer_id=None, solution_id=None)[0]
    bus.publish('boards.post', kind='created', board_id=board.id, thread_id=thread_id, post_id=post.id,
                number=number, post=view, mentions=mentioned_ids(session, post.id))
    return view


def _own_live_post(session: Session, actor: Any, post_id: int) -> tuple[Post, Thread]:
    post, thread = live_post(session, post_id)
    if post.author_id != actor.id and not actor.is_moderator:
        raise NotAllowed('Sie können nur Ihre eigenen Beiträge ändern.')
    return post, thread


def refuse_closed(session: Session, actor: Any, thread: Thread) -> None:
    """Members change nothing in a locked thread or an archived board; moderators still may (to clean up)."""
    if actor.is_moderator:
        return
    board = session.get(Board, thread.board_id)
    if board is not None and board.archived:
        from services.boards import MSG_ARCHIVED

        raise NotAllowed(MSG_ARCHIVED)
    if thread.locked:
        raise NotAllowed('Das Thema ist geschlossen.')


def edit_post(session: Session, *, actor: Any, post_id: int, body: str) -> PostView:
    """Change a post; the earlier text goes into its history, and the post shows "bearbeitet"."""
    require_active(actor)
    post, thread = _own_live_post(session, actor, post_id)
    refuse_closed(session, actor, thread)
    window = edit_window_minutes(session)
    if not actor.is_moderator and not edit_window_open(post.created_at, window):
        raise NotAllowed(MSG_EDIT_WINDOW, n=window)
    body = clean_body(body, max_post_length(session))
    if body == post.body:
        return post_views(session, [post], viewer_id=actor.id, solution_id=thread.solution_post_id,
                          moderator=actor.is_moderator)[0]
    session.add(PostRevision(post_id=post_id, body=post.body, editor_id=actor.id))
    post.body, post.body_html, post.edited_at = body, render_markdown(body), utcnow()
    if not post.hidden:  # a hidden post stays out of the search until the moderation shows it again
        search.index_post(session, post_id, title=thread.title if post.number == 1 else '',
                          body=plain_text(post.body_html))
    named = _record_mentions(session, post_id, body, post.author_id or actor.id)
    told = notify_post(session, actor=actor, thread=thread, post=post, mentioned=named, watchers=False)
    if post.author_id != actor.id:
        audit.record(session, 'post.edit_by_moderator', actor_id=actor.id, target_type='post', target_id=post_id,
                     thread=thread.id)
    session.commit()
    notifications.announce(told)
    view = post_views(session, [post], viewer_id=None, solution_id=thread.solution_post_id)[0]
    bus.publish('boards.post', kind='changed', board_id=thread.board_id, thread_id=thread.id, post_id=post_id,
                number=post.number, post=view)
    return post_views(session, [post], viewer_id=actor.id, solution_id=thread.solution_post_id,
                      moderator=actor.is_moderator)[0]


def post_history(session: Session, *, viewer: Any, post_id: int) -> list[Revision]:
    """Earlier versions of a post, newest first."""
    require_active(viewer)
    post = session.get(Post, post_id)
    if post is None or post.deleted or (post.hidden and post.author_id != viewer.id and not viewer.is_moderator):
        raise NotFound(MSG_NO_POST)
    revisions = list(session.exec(select(PostRevision).where(PostRevision.post_id == post_id)
                                  .order_by(col(PostRevision.id).desc()).limit(MAX_HISTORY)).scalars())
    people = authors(session, {r.editor_id for r in revisions})
    return [Revision(render_markdown(r.body), people[r.editor_id].name if r.editor_id in people else '', r.created_at)
            for r in revisions]


def delete_post(session: Session, *, actor: Any, post_id: int, audited: bool = True) -> None:
    """Delete a reply: a placeholder keeps its place, so the replies after it keep their meaning.

    The question (post 1) goes with its thread: its author may delete it while nobody has answered. `audited` False
    is for a larger action that records itself once (deleting an account with its posts).
    """
    require_active(actor)
    post, thread = _own_live_post(session, actor, post_id)
    refuse_closed(session, actor, thread)
    if post.number == 1:
        from services import moderation

        moderation.delete_thread(session, actor=actor, thread_id=thread.id, audited=audited)
        return
    names = remove_reply(session, post, thread)
    if audited:
        audit.record(session, 'post.delete' if post.author_id == actor.id else 'post.delete_by_moderator',
                     actor_id=actor.id, target_type='post', target_id=post_id, thread=thread.id)
    session.commit()
    _unlink(names)
    publish_changed(session, post, thread)


def remove_reply(session: Session, post: Post, thread: Thread) -> list[str]:
    """Delete a reply's content in the caller's transaction (no audit, no commit); returns its files to unlink."""
    assert post.id is not None
    post.deleted = True
    post.body, post.body_html = '', ''
    session.execute(delete(PostRevision).where(col(PostRevision.post_id) == post.id))
    session.execute(delete(Reaction).where(col(Reaction.post_id) == post.id))
    post.thanks_count = post.helpful_count = 0
    names = _remove_files(session, post.id)
    search.remove_post(session, post.id)
    thread.reply_count = max(0, thread.reply_count - 1)
    if thread.solution_post_id == post.id:
        thread.solution_post_id = None
    session.execute(update(B).where(B.c.id == thread.board_id).values(post_count=B.c.post_count - 1))
    return names


def publish_changed(session: Session, post: Post, thread: Thread) -> None:
    """Tell open thread pages a post changed (after the commit); the view carries no hidden text."""
    view = post_views(session, [post], viewer_id=None, solution_id=thread.solution_post_id)[0]
    bus.publish('boards.post', kind='changed', board_id=thread.board_id, thread_id=thread.id, post_id=post.id,
                number=post.number, post=view)


# ---------------------------------------------------------------- reactions and solutions


def toggle_reaction(session: Session, *, actor: Any, post_id: int, kind: str) -> PostView:
    """👍 Danke / 💡 Hilfreich: on when off, off when on."""
    require_active(actor)
    if kind not in tuple(ReactionKind):
        raise Invalid('reaction', 'Unbekannte Reaktion.')
    post, thread = live_post(session, post_id)
    if post.author_id == actor.id:
        raise NotAllowed('Eigene Beiträge können Sie nicht bewerten.')
    counter = PO.c.thanks_count if kind == ReactionKind.THANKS else PO.c.helpful_count
    existing = session.get(Reaction, (post_id, actor.id, kind))
    told: list[int] = []
    if existing is None:
        session.add(Reaction(post_id=post_id, user_id=actor.id, kind=kind))
        session.execute(update(PO).where(PO.c.id == post_id).values({counter: counter + 1}))
        url = post_url(thread.id, post.number)  # type: ignore[arg-type]
        # Once per member and post: taking a reaction back and giving it again (or both kinds) tells only once.
        if post.author_id is not None and not post.hidden and not notifications.already_told(
                session, post.author_id, kind='reaction', url=url, actor_id=actor.id):
            told = notifications.notify(session, [post.author_id], kind='reaction', text=MSG_NOTICE_REACTION,
                                        url=url, group_key=f'thread:{thread.id}', actor_id=actor.id, name=actor.name,
                                        title=thread.title)
    else:
        session.delete(existing)
        session.execute(update(PO).where(PO.c.id == post_id).values({counter: counter - 1}))
    session.commit()
    notifications.announce(told)
    session.refresh(post)
    view = post_views(session, [post], viewer_id=actor.id, solution_id=thread.solution_post_id,
                      moderator=actor.is_moderator)[0]
    bus.publish('boards.post', kind='reacted', board_id=thread.board_id, thread_id=thread.id, post_id=post_id,
                number=post.number, thanks=view.thanks, helpful=view.helpful)
    return view


def mark_solution(session: Session, *, actor: Any, post_id: int) -> None:
    """The thread's author or a moderator marks a reply as the solution (replacing an earlier one)."""
    require_active(actor)
    post, thread = live_post(session, post_id)
    if thread.author_id != actor.id and not actor.is_moderator:
        raise NotAllowed('Nur wer gefragt hat oder die Moderation kann eine Lösung markieren.')
    if post.number == 1:
        raise Invalid('solution', 'Die Frage selbst kann nicht die Lösung sein.')
    told: list[int] = []
    if thread.solution_post_id != post_id and post.author_id is not None and not post.hidden:
        told = notifications.notify(session, [post.author_id], kind='solution', text=MSG_NOTICE_SOLUTION,
                                    url=post_url(thread.id, post.number), group_key=f'thread:{thread.id}',  # type: ignore[arg-type]
                                    actor_id=actor.id, title=thread.title)
    thread.solution_post_id = post_id
    audit.record(session, 'thread.solution', actor_id=actor.id, target_type='thread', target_id=thread.id,
                 post=post_id)
    session.commit()
    notifications.announce(told)
    bus.publish('boards.thread', kind='solved', board_id=thread.board_id, thread_id=thread.id, post_id=post_id)


def unmark_solution(session: Session, *, actor: Any, thread_id: int) -> None:
    require_active(actor)
    thread = live_thread(session, thread_id)
    if thread.author_id != actor.id and not actor.is_moderator:
        raise NotAllowed('Nur wer gefragt hat oder die Moderation kann eine Lösung markieren.')
    thread.solution_post_id = None
    audit.record(session, 'thread.unsolve', actor_id=actor.id, target_type='thread', target_id=thread_id)
    session.commit()
    bus.publish('boards.thread', kind='solved', board_id=thread.board_id, thread_id=thread_id, post_id=None)


def get_post(session: Session, *, viewer: Any, post_id: int) -> PostView:
    require_active(viewer)
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound(MSG_NO_POST)
    thread = live_thread(session, post.thread_id)
    return post_views(session, [post], viewer_id=viewer.id, solution_id=thread.solution_post_id,
                      moderator=viewer.is_moderator)[0]


def quote_markdown(view: PostView) -> str:
    """A post as a Markdown quote for a reply."""
    name = view.author.name if view.author else ''
    lines = [f'> **{name}** (#{view.number}):', '>'] + [f'> {line}' for line in view.body.splitlines()]
    return '\n'.join(lines) + '\n\n'


def attachment_for_download(session: Session, *, viewer: Any, stored_name: str) -> tuple[Path, str, str]:
    """(path, file name, content type) of an attachment a signed-in member may download."""
    require_active(viewer)
    row = session.exec(select(Attachment).where(Attachment.stored_name == stored_name)).scalars().first()
    path = attachment_path(stored_name) if row is not None else None
    if row is None or path is None:
        raise NotFound('Diese Datei gibt es nicht (mehr).')
    post = session.get(Post, row.post_id)
    if post is not None and post.hidden and post.author_id != viewer.id and not viewer.is_moderator:
        raise NotFound('Diese Datei gibt es nicht (mehr).')  # hidden with its post
    return path, row.filename, row.content_type

