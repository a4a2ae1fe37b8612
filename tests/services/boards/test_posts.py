"""Posts: replies and their numbers, quotes, mentions, editing with history, deleting, reactions, solutions, files."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session, col

from models.board import Attachment, Mention, Post, PostRevision, Reaction, Thread, ThreadRead
from models.user import Status, User
from services import accounts, audit, boards, bus, files, members, moderation, posts
from services import settings as site_settings
from services.errors import Invalid, NotAllowed, NotFound
from services.forum_search import PostFilters, search_posts
from tests.services.boards.conftest import board_row, thread_row
from tests.services.conftest import make_user

PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

# ---------------------------------------------------------------- helpers


@pytest.fixture
def thread_id(session, board_id, mia_member) -> int:
    """Mia's question."""
    return boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur E-Akte',
                                body='Wie führen Sie die E-Akte ein?\nUnd wer hilft dabei?')


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(files, '_data_dir', None)
    files.configure(tmp_path)
    return tmp_path


@pytest.fixture
def events():
    """Every event on the board topics, in order."""
    seen: list[bus.Event] = []
    for topic in ('boards.post', 'boards.thread', 'moderation.reported'):
        bus.subscribe(topic, seen.append)
    return seen


def first_post_id(session: Session, thread_id: int) -> int:
    return session.execute(select(Post.id).where(col(Post.thread_id) == thread_id, col(Post.number) == 1)).scalar_one()




def count(session: Session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def found(session: Session, viewer, q: str) -> list[int]:
    return [hit.post_id for hit in search_posts(session, viewer=viewer, filters=PostFilters(q=q)).items]


def stored_files(data_dir: Path) -> list[Path]:
    folder = data_dir / 'attachments'
    return sorted(folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------- replying


def test_replies_are_numbered_and_counted(session, board_id, thread_id, mia_member, mo_moderator, olaf):
    first = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort eins')
    second = posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort zwei')
    third = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Danke euch!')
    assert [first.number, second.number, third.number] == [2, 3, 4]
    assert first.author is not None and first.author.name == 'Mo Moderator'
    assert first.body == 'Antwort eins' and first.body_html == '<p>Antwort eins</p>'
    thread = thread_row(session, thread_id)
    assert (thread.post_count, thread.reply_count, thread.last_poster_id) == (4, 3, mia_member.id)
    board = board_row(session, board_id)
    assert (board.thread_count, board.post_count, board.last_thread_id) == (1, 4, thread_id)
    assert board.last_post_at is not None and board.last_post_at >= thread.created_at


def test_numbers_are_not_reused_after_a_delete(session, board_id, thread_id, mo_moderator):
    posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort eins')
    middle = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort zwei')
    posts.delete_post(session, actor=mo_moderator, post_id=middle.id)
    assert posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort drei').number == 4
    thread = thread_row(session, thread_id)
    assert (thread.post_count, thread.reply_count) == (4, 2)
    assert board_row(session, board_id).post_count == 3


def test_replying_makes_the_author_watch_and_read(session, thread_id, mo_moderator, olaf):
    posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort eins')
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort zwei')
    state = session.get(ThreadRead, (olaf.id, thread_id))
    assert state is not None
    assert (state.last_read_number, state.watch) == (reply.number, 'watching')


def test_bad_reply_bodies_are_refused(session, thread_id, mo_moderator):
    for body in ('', '   \n ', 'x' * 50_001):
        with pytest.raises(Invalid) as e:
            posts.reply(session, actor=mo_moderator, thread_id=thread_id, body=body)
        assert e.value.field == 'body'
    session.rollback()
    assert thread_row(session, thread_id).post_count == 1
    assert count(session, Post) == 1


def test_reply_to_a_missing_or_deleted_thread_is_not_found(session, thread_id, mia_member, mo_moderator):
    with pytest.raises(NotFound):
        posts.reply(session, actor=mo_moderator, thread_id=999, body='Hallo?')
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    with pytest.raises(NotFound):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Hallo?')
    with pytest.raises(NotFound):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Hallo?')
    session.rollback()
    assert count(session, Post) == 1


def test_reply_to_a_locked_thread(session, thread_id, mia_member, mo_moderator, ada_admin):
    moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id)
    with pytest.raises(NotAllowed):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Noch eine Frage')
    session.rollback()
    assert thread_row(session, thread_id).post_count == 1
    assert posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Schlusswort').number == 2
    assert posts.reply(session, actor=ada_admin, thread_id=thread_id, body='Nachtrag').number == 3


# ---------------------------------------------------------------- quoting


def test_quote_markdown(session, thread_id, mo_moderator):
    question = posts.get_post(session, viewer=mo_moderator, post_id=first_post_id(session, thread_id))
    assert posts.quote_markdown(question) == (
        '> **Mia Member** (#1):\n>\n> Wie führen Sie die E-Akte ein?\n> Und wer hilft dabei?\n\n')


def test_reply_with_a_quote_remembers_the_quoted_post(session, board_id, thread_id, mia_member, mo_moderator):
    question_id = first_post_id(session, thread_id)
    quote = posts.quote_markdown(posts.get_post(session, viewer=mo_moderator, post_id=question_id))
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body=quote + 'Mit dem Leitfaden.',
                        quoted_post_id=question_id)
    row = session.get(Post, reply.id)
    assert row is not None and row.quoted_post_id == question_id
    assert '<blockquote>' in reply.body_html and 'Mit dem Leitfaden.' in reply.body_html


def test_a_quote_from_another_thread_is_not_linked(session, board_id, thread_id, mia_member, mo_moderator):
    other = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Ganz andere Frage',
                                 body='Anderes Thema')
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Siehe dort',
                        quoted_post_id=first_post_id(session, other))
    row = session.get(Post, reply.id)
    assert row is not None and row.quoted_post_id is None


# ---------------------------------------------------------------- mentions


def mention(user) -> str:
    return f'[@{user.name}](/members/{user.id})'


def test_mentions_of_active_members_are_recorded(session, thread_id, mia_member, mo_moderator, olaf,
                                                 pia_pending, dora_deactivated, events):
    body = (f'Fragen Sie {mention(mo_moderator)} oder {mention(olaf)}, nicht {mention(pia_pending)}, '
            f'{mention(dora_deactivated)}, mich selbst {mention(mia_member)} oder [@Niemand](/members/99999). '
            f'Doppelt: {mention(olaf)}')
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body=body)
    assert sorted(posts.mentioned_ids(session, reply.id)) == sorted([mo_moderator.id, olaf.id])
    created = [e for e in events if e.topic == 'boards.post' and e.data['kind'] == 'created']
    assert sorted(created[-1].data['mentions']) == sorted([mo_moderator.id, olaf.id])


def test_mentions_in_a_new_thread_are_recorded(session, board_id, mia_member, mo_moderator, events):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Wer kennt sich aus?',
                                     body=f'Vielleicht {mention(mo_moderator)}?')
    assert posts.mentioned_ids(session, first_post_id(session, thread_id)) == [mo_moderator.id]
    created = [e for e in events if e.topic == 'boards.post']
    assert created[-1].data['mentions'] == [mo_moderator.id]


def test_an_edit_adds_new_mentions(session, thread_id, mia_member, mo_moderator, olaf):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body=f'Hallo {mention(mo_moderator)}')
    posts.edit_post(session, actor=mia_member, post_id=reply.id,
                    body=f'Hallo {mention(mo_moderator)} und {mention(olaf)}')
    assert sorted(posts.mentioned_ids(session, reply.id)) == sorted([mo_moderator.id, olaf.id])
    assert count(session, Mention) == 2


def test_a_plain_at_sign_is_no_mention(session, thread_id, mia_member, mo_moderator):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id,
                        body=f'Schreiben Sie an @Mo oder an /members/{mo_moderator.id}')
    assert posts.mentioned_ids(session, reply.id) == []


def test_mention_suggestions_name_active_members_but_not_me(session):
    def member(name: str, email: str):
        user = make_user(session, name, email)
        members.update_profile(session, actor=user, user_id=user.id, name=name, organization='Stadt Essen')
        return accounts.get_user(session, user.id)

    mia = member('Mia Member', 'mia2@essen.de')
    moritz = member('Moritz Müller', 'moritz@essen.de')
    monika = member('Monika Maier', 'monika@essen.de')
    member('Anna Schmidt', 'anna@essen.de')
    gone = member('Momo Fort', 'momo@essen.de')
    user = session.get(User, gone.id)
    assert user is not None
    user.status = Status.DEACTIVATED
    members.reindex_member(session, gone.id)
    session.commit()
    suggested = posts.suggest_mentions(session, viewer=mia, prefix='Mo')
    assert [a.name for a in suggested] == ['Monika Maier', 'Moritz Müller']
    assert [a.id for a in posts.suggest_mentions(session, viewer=mia, prefix='muell')] == [moritz.id]
    assert posts.suggest_mentions(session, viewer=mia, prefix='M') == []
    assert [a.id for a in posts.suggest_mentions(session, viewer=moritz, prefix='mia')] == [mia.id]
    assert posts.suggest_mentions(session, viewer=mia, prefix='mia') == []
    assert posts.mention_markdown(suggested[0]) == f'[@Monika Maier](/members/{monika.id})'


# ---------------------------------------------------------------- editing


def test_edit_own_post_keeps_the_history(session, thread_id, mia_member, mo_moderator, events):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Erste Fassung mit Tippfehlr')
    assert reply.edited_at is None
    edited = posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body='Zweite Fassung, korrigiert')
    assert edited.body == 'Zweite Fassung, korrigiert' and edited.edited_at is not None
    assert edited.body_html == '<p>Zweite Fassung, korrigiert</p>'
    posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body='Dritte Fassung')
    history = posts.post_history(session, viewer=mia_member, post_id=reply.id)
    assert [r.body_html for r in history] == ['<p>Zweite Fassung, korrigiert</p>', '<p>Erste Fassung mit Tippfehlr</p>']
    assert all(r.editor == 'Mo Moderator' for r in history)
    assert not audit.list_entries(session, action='post.edit_by_moderator')  # their own post
    changed = [e for e in events if e.topic == 'boards.post' and e.data['kind'] == 'changed']
    assert [e.data['post_id'] for e in changed] == [reply.id, reply.id]


def test_edit_reindexes_the_post(session, thread_id, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Es geht um Wasserwirtschaft')
    posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body='Es geht um Abfallwirtschaft')
    assert found(session, mo_moderator, 'Abfallwirtschaft') == [reply.id]
    assert found(session, mo_moderator, 'Wasserwirtschaft') == []


def test_edit_of_the_question_keeps_the_title_searchable(session, thread_id, mia_member):
    question_id = first_post_id(session, thread_id)
    posts.edit_post(session, actor=mia_member, post_id=question_id, body='Neuer Text zur Frage')
    assert found(session, mia_member, 'E-Akte') == [question_id]  # from the title
    assert found(session, mia_member, 'Neuer Text') == [question_id]


def test_edit_without_a_change_adds_no_history(session, thread_id, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Gleich')
    view = posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body='  Gleich \n')
    assert view.edited_at is None
    assert count(session, PostRevision) == 0


def test_edit_with_a_bad_body_is_refused(session, thread_id, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Gut')
    with pytest.raises(Invalid) as e:
        posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body=' ')
    assert e.value.field == 'body'
    session.rollback()
    assert posts.get_post(session, viewer=mo_moderator, post_id=reply.id).body == 'Gut'


def test_editing_another_members_post_is_refused(session, thread_id, mia_member, olaf):
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Olafs Antwort')
    with pytest.raises(NotAllowed):
        posts.edit_post(session, actor=mia_member, post_id=reply.id, body='Von Mia geändert')
    with pytest.raises(NotAllowed):
        posts.edit_post(session, actor=olaf, post_id=first_post_id(session, thread_id), body='Von Olaf geändert')
    session.rollback()
    assert posts.get_post(session, viewer=mia_member, post_id=reply.id).body == 'Olafs Antwort'
    assert count(session, PostRevision) == 0


def test_moderator_edits_another_members_post_and_is_audited(session, thread_id, mo_moderator, olaf):
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Telefon: 0123 456789')
    posts.edit_post(session, actor=mo_moderator, post_id=reply.id, body='[Telefonnummer entfernt]')
    assert posts.get_post(session, viewer=olaf, post_id=reply.id).body == '[Telefonnummer entfernt]'
    history = posts.post_history(session, viewer=olaf, post_id=reply.id)
    assert len(history) == 1 and history[0].editor == 'Mo Moderator'
    row = session.get(Post, reply.id)
    assert row is not None and row.author_id == olaf.id  # still Olaf's post
    entry = audit.list_entries(session, action='post.edit_by_moderator')[0]
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mo_moderator.id, 'post', str(reply.id))


def test_editing_in_a_locked_thread(session, thread_id, mia_member, mo_moderator):
    question_id = first_post_id(session, thread_id)
    moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id)
    with pytest.raises(NotAllowed):
        posts.edit_post(session, actor=mia_member, post_id=question_id, body='Geändert nach dem Schließen')
    session.rollback()
    posts.edit_post(session, actor=mo_moderator, post_id=question_id, body='Von der Moderation geändert')
    assert posts.get_post(session, viewer=mia_member, post_id=question_id).body == 'Von der Moderation geändert'


# ---------------------------------------------------------------- deleting


def test_delete_leaves_a_placeholder(session, board_id, thread_id, mia_member, mo_moderator, olaf, events):
    keep = posts.reply(session, actor=olaf, thread_id=thread_id, body='Bleibt stehen')
    gone = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Verwaltungsdigitalisierung ist toll')
    posts.edit_post(session, actor=mo_moderator, post_id=gone.id, body='Verwaltungsdigitalisierung ist super')
    posts.toggle_reaction(session, actor=olaf, post_id=gone.id, kind='thanks')
    assert found(session, mia_member, 'Verwaltungsdigitalisierung') == [gone.id]
    posts.delete_post(session, actor=mo_moderator, post_id=gone.id)
    view = posts.get_post(session, viewer=mia_member, post_id=gone.id)
    assert view.deleted and view.body == '' and view.body_html == '' and view.thanks == 0
    row = session.get(Post, gone.id, populate_existing=True)
    assert row is not None and row.deleted and row.body == '' and row.body_html == '' and row.number == 3
    assert found(session, mia_member, 'Verwaltungsdigitalisierung') == []
    assert count(session, PostRevision, col(PostRevision.post_id) == gone.id) == 0
    assert count(session, Reaction, col(Reaction.post_id) == gone.id) == 0
    page = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert [(p.number, p.deleted) for p in page.posts] == [(1, False), (2, False), (3, True)]
    assert page.posts[1].id == keep.id
    assert thread_row(session, thread_id).reply_count == 1
    assert board_row(session, board_id).post_count == 2
    assert [e.data['kind'] for e in events if e.topic == 'boards.post'][-1] == 'changed'
    assert audit.list_entries(session, action='post.delete')[0].target_id == str(gone.id)
    with pytest.raises(NotFound):
        posts.delete_post(session, actor=mo_moderator, post_id=gone.id)
    with pytest.raises(NotFound):
        posts.edit_post(session, actor=mo_moderator, post_id=gone.id, body='wieder da')
    with pytest.raises(NotFound):
        posts.post_history(session, viewer=mia_member, post_id=gone.id)


def test_deleting_another_members_post_is_refused(session, thread_id, mia_member, olaf):
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Olafs Antwort')
    with pytest.raises(NotAllowed):
        posts.delete_post(session, actor=mia_member, post_id=reply.id)
    session.rollback()
    assert not posts.get_post(session, viewer=mia_member, post_id=reply.id).deleted
    assert thread_row(session, thread_id).reply_count == 1


def test_moderator_deletes_another_members_post_and_is_audited(session, thread_id, mo_moderator, olaf):
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Werbung für mein Produkt')
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    assert posts.get_post(session, viewer=olaf, post_id=reply.id).deleted
    entry = audit.list_entries(session, action='post.delete_by_moderator')[0]
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mo_moderator.id, 'post', str(reply.id))


def test_deleting_the_question_deletes_the_thread_while_nobody_answered(session, board_id, thread_id, mia_member):
    posts.delete_post(session, actor=mia_member, post_id=first_post_id(session, thread_id))
    assert thread_row(session, thread_id).deleted
    with pytest.raises(NotFound):
        boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert found(session, mia_member, 'E-Akte') == []
    board = board_row(session, board_id)
    assert (board.thread_count, board.post_count, board.last_thread_id) == (0, 0, None)


def test_the_question_of_an_answered_thread_stays(session, board_id, thread_id, mia_member, mo_moderator):
    posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Eine Antwort')
    with pytest.raises(NotAllowed):
        posts.delete_post(session, actor=mia_member, post_id=first_post_id(session, thread_id))
    session.rollback()
    assert not thread_row(session, thread_id).deleted
    assert found(session, mia_member, 'E-Akte') == [first_post_id(session, thread_id)]
    posts.delete_post(session, actor=mo_moderator, post_id=first_post_id(session, thread_id))
    assert thread_row(session, thread_id).deleted
    assert board_row(session, board_id).post_count == 0


def test_a_deleted_reply_does_not_block_deleting_the_question(session, thread_id, mia_member):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Nachtrag, doch unnötig')
    posts.delete_post(session, actor=mia_member, post_id=reply.id)
    posts.delete_post(session, actor=mia_member, post_id=first_post_id(session, thread_id))
    assert thread_row(session, thread_id).deleted


# ---------------------------------------------------------------- reactions


def test_reactions_toggle_with_counts(session, thread_id, mia_member, mo_moderator, olaf, events):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Hilfreiche Antwort')
    view = posts.toggle_reaction(session, actor=mia_member, post_id=reply.id, kind='thanks')
    assert (view.thanks, view.helpful, view.mine) == (1, 0, ('thanks',))
    view = posts.toggle_reaction(session, actor=mia_member, post_id=reply.id, kind='helpful')
    assert (view.thanks, view.helpful, view.mine) == (1, 1, ('helpful', 'thanks'))
    view = posts.toggle_reaction(session, actor=olaf, post_id=reply.id, kind='thanks')
    assert (view.thanks, view.helpful, view.mine) == (2, 1, ('thanks',))
    view = posts.toggle_reaction(session, actor=mia_member, post_id=reply.id, kind='thanks')
    assert (view.thanks, view.helpful, view.mine) == (1, 1, ('helpful',))
    assert count(session, Reaction) == 2
    row = session.get(Post, reply.id, populate_existing=True)
    assert row is not None and (row.thanks_count, row.helpful_count) == (1, 1)
    reacted = [e for e in events if e.topic == 'boards.post' and e.data['kind'] == 'reacted']
    assert len(reacted) == 4 and (reacted[-1].data['thanks'], reacted[-1].data['helpful']) == (1, 1)
    page = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert page.posts[1].mine == ('helpful',) and page.posts[1].thanks == 1


def test_reactions_on_own_posts_are_refused(session, thread_id, mia_member):
    with pytest.raises(NotAllowed):
        posts.toggle_reaction(session, actor=mia_member, post_id=first_post_id(session, thread_id), kind='thanks')
    session.rollback()
    assert count(session, Reaction) == 0


def test_unknown_reactions_and_deleted_posts(session, thread_id, mia_member, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort')
    with pytest.raises(Invalid) as e:
        posts.toggle_reaction(session, actor=mia_member, post_id=reply.id, kind='angry')
    assert e.value.field == 'reaction'
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    with pytest.raises(NotFound):
        posts.toggle_reaction(session, actor=mia_member, post_id=reply.id, kind='thanks')
    with pytest.raises(NotFound):
        posts.toggle_reaction(session, actor=mia_member, post_id=999, kind='thanks')


# ---------------------------------------------------------------- solutions


def test_thread_author_marks_a_solution(session, thread_id, mia_member, mo_moderator, olaf, events):
    answer = posts.reply(session, actor=olaf, thread_id=thread_id, body='So geht es')
    posts.mark_solution(session, actor=mia_member, post_id=answer.id)
    assert thread_row(session, thread_id).solution_post_id == answer.id
    view = boards.open_thread(session, viewer=olaf, thread_id=thread_id)
    assert view.solution is not None and view.solution.id == answer.id
    assert view.posts[1].is_solution and not view.posts[0].is_solution
    solved = [e for e in events if e.topic == 'boards.thread' and e.data['kind'] == 'solved']
    assert solved[-1].data['post_id'] == answer.id
    entry = audit.list_entries(session, action='thread.solution')[0]
    assert (entry.actor_id, entry.target_id) == (mia_member.id, str(thread_id))


def test_only_the_thread_author_or_a_moderator_marks_a_solution(session, thread_id, mia_member, mo_moderator, olaf):
    answer = posts.reply(session, actor=olaf, thread_id=thread_id, body='So geht es')
    better = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Oder so')
    with pytest.raises(NotAllowed):
        posts.mark_solution(session, actor=olaf, post_id=answer.id)  # the answer's author is not the asker
    session.rollback()
    assert thread_row(session, thread_id).solution_post_id is None
    posts.mark_solution(session, actor=mo_moderator, post_id=answer.id)
    assert thread_row(session, thread_id).solution_post_id == answer.id
    posts.mark_solution(session, actor=mia_member, post_id=better.id)  # replaces the earlier one
    assert thread_row(session, thread_id).solution_post_id == better.id
    with pytest.raises(NotAllowed):
        posts.unmark_solution(session, actor=olaf, thread_id=thread_id)


def test_the_question_is_no_solution(session, thread_id, mia_member):
    with pytest.raises(Invalid) as e:
        posts.mark_solution(session, actor=mia_member, post_id=first_post_id(session, thread_id))
    assert e.value.field == 'solution'
    session.rollback()
    assert thread_row(session, thread_id).solution_post_id is None


def test_unmark_a_solution(session, board_id, thread_id, mia_member, mo_moderator, events):
    answer = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='So geht es')
    posts.mark_solution(session, actor=mia_member, post_id=answer.id)
    posts.unmark_solution(session, actor=mia_member, thread_id=thread_id)
    assert thread_row(session, thread_id).solution_post_id is None
    assert boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='solved').items == []
    assert boards.open_thread(session, viewer=mia_member, thread_id=thread_id).solution is None
    assert audit.list_entries(session, action='thread.unsolve')[0].actor_id == mia_member.id
    assert [e.data['post_id'] for e in events if e.data.get('kind') == 'solved'] == [answer.id, None]


def test_deleting_the_solution_unmarks_it(session, thread_id, mia_member, mo_moderator):
    answer = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='So geht es')
    posts.mark_solution(session, actor=mia_member, post_id=answer.id)
    posts.delete_post(session, actor=mo_moderator, post_id=answer.id)
    assert thread_row(session, thread_id).solution_post_id is None
    assert boards.open_thread(session, viewer=mia_member, thread_id=thread_id).solution is None
    with pytest.raises(NotFound):
        posts.mark_solution(session, actor=mia_member, post_id=answer.id)


# ---------------------------------------------------------------- attachments


def test_a_pdf_is_stored_under_a_random_name(session, data_dir, thread_id, mia_member, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Siehe Anhang',
                        attachments=[('Leitfaden E-Akte.pdf', PDF)])
    assert len(reply.attachments) == 1
    ref = reply.attachments[0]
    assert (ref.filename, ref.content_type, ref.size) == ('Leitfaden E-Akte.pdf', 'application/pdf', len(PDF))
    assert re.fullmatch(r'[0-9a-f]{32}', ref.stored_name)
    assert ref.url == f'/files/{ref.stored_name}/Leitfaden%20E-Akte.pdf'
    assert stored_files(data_dir) == [data_dir / 'attachments' / ref.stored_name]
    assert (data_dir / 'attachments' / ref.stored_name).read_bytes() == PDF
    path, filename, content_type = posts.attachment_for_download(session, viewer=mia_member,
                                                                 stored_name=ref.stored_name)
    assert path.read_bytes() == PDF and path.parent == (data_dir / 'attachments').resolve()
    assert (filename, content_type) == ('Leitfaden E-Akte.pdf', 'application/pdf')
    page = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert [a.stored_name for a in page.posts[1].attachments] == [ref.stored_name]


def test_two_uploads_of_one_file_get_different_names(session, data_dir, board_id, mia_member):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Zwei gleiche Dateien',
                                     body='Doppelt', attachments=[('a.pdf', PDF), ('a.pdf', PDF)])
    names = session.execute(select(Attachment.stored_name)).scalars().all()
    assert len(set(names)) == 2 and len(stored_files(data_dir)) == 2
    page = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert len(page.posts[0].attachments) == 2


def test_downloads_need_a_known_name_and_an_active_member(session, data_dir, thread_id, mo_moderator, mia_member,
                                                          pia_pending):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Anhang',
                        attachments=[('a.pdf', PDF)])
    stored_name = reply.attachments[0].stored_name
    for name in ('0' * 32, '../' + stored_name, stored_name.upper(), '', stored_name + '/x'):
        with pytest.raises(NotFound):
            posts.attachment_for_download(session, viewer=mia_member, stored_name=name)
    with pytest.raises(NotAllowed):
        posts.attachment_for_download(session, viewer=pia_pending, stored_name=stored_name)


def refused_upload(session: Session, data_dir: Path, thread_id: int, actor, attachments) -> Invalid:
    with pytest.raises(Invalid) as e:
        posts.reply(session, actor=actor, thread_id=thread_id, body='Mit Anhang', attachments=attachments)
    session.rollback()
    assert e.value.field == 'attachments'
    assert count(session, Post) == 1
    assert count(session, Attachment) == 0
    assert thread_row(session, thread_id).post_count == 1
    assert stored_files(data_dir) == []
    return e.value


def test_a_program_named_pdf_is_refused(session, data_dir, thread_id, mo_moderator):
    error = refused_upload(session, data_dir, thread_id, mo_moderator,
                           [('bericht.pdf', b'MZ\x90\x00\x03\x00\x00\x00' + b'\x00' * 200)])
    assert error.params.get('name') == 'bericht.pdf'


def test_an_empty_file_is_refused(session, data_dir, thread_id, mo_moderator):
    refused_upload(session, data_dir, thread_id, mo_moderator, [('leer.pdf', b'')])


def test_a_too_big_file_is_refused(session, data_dir, thread_id, ada_admin, mo_moderator):
    site_settings.update_settings(session, actor=ada_admin, values={'max_attachment_mb': 1})
    big = PDF[:9] + b'%' + b'x' * (1024 * 1024) + b'\n%%EOF\n'
    assert len(big) > 1024 * 1024
    error = refused_upload(session, data_dir, thread_id, mo_moderator, [('gross.pdf', big)])
    assert error.params.get('mb') == 1
    fits = PDF[:9] + b'%' + b'x' * (1024 * 1024 - 100) + b'\n%%EOF\n'
    assert len(fits) <= 1024 * 1024
    assert len(posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Passt',
                           attachments=[('passt.pdf', fits)]).attachments) == 1


def test_one_bad_file_refuses_all(session, data_dir, thread_id, mo_moderator):
    refused_upload(session, data_dir, thread_id, mo_moderator,
                   [('gut.pdf', PDF), ('seite.html', b'<html><script>alert(1)</script></html>')])


def test_more_than_five_files_are_refused(session, data_dir, thread_id, mo_moderator):
    refused_upload(session, data_dir, thread_id, mo_moderator, [(f'd{n}.pdf', PDF) for n in range(6)])


def test_a_new_thread_with_a_bad_file_writes_nothing(session, data_dir, board_id, mia_member, thread_id):
    with pytest.raises(Invalid) as e:
        boards.create_thread(session, actor=mia_member, board_id=board_id, title='Mit falschem Anhang',
                             body='Siehe Anhang', attachments=[('bericht.pdf', b'<html>kein pdf</html>')])
    session.rollback()
    assert e.value.field == 'attachments'
    assert count(session, Thread) == 1 and count(session, Post) == 1
    assert board_row(session, board_id).thread_count == 1
    assert stored_files(data_dir) == []


def test_a_failed_commit_leaves_no_file(session, data_dir, thread_id, mo_moderator, events, monkeypatch):
    def broken_commit() -> None:
        raise RuntimeError('database gone')

    monkeypatch.setattr(session, 'commit', broken_commit)
    with pytest.raises(RuntimeError):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Mit Anhang',
                    attachments=[('a.pdf', PDF)])
    monkeypatch.undo()
    session.rollback()
    assert stored_files(data_dir) == []
    assert count(session, Post) == 1 and count(session, Attachment) == 0
    assert events == []


def test_deleting_a_post_removes_its_files(session, data_dir, thread_id, mia_member, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Anhang',
                        attachments=[('a.pdf', PDF), ('b.pdf', PDF)])
    assert len(stored_files(data_dir)) == 2
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    assert stored_files(data_dir) == []
    assert count(session, Attachment) == 0
    for ref in reply.attachments:
        with pytest.raises(NotFound):
            posts.attachment_for_download(session, viewer=mia_member, stored_name=ref.stored_name)


def test_deleting_a_thread_removes_the_files_of_all_its_posts(session, data_dir, board_id, mia_member,
                                                              mo_moderator):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Mit Anhängen',
                                     body='Hier', attachments=[('frage.pdf', PDF)])
    posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Dort', attachments=[('antwort.pdf', PDF)])
    assert len(stored_files(data_dir)) == 2
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    assert stored_files(data_dir) == []
    assert count(session, Attachment) == 0


# ---------------------------------------------------------------- events and permissions


def test_events_are_published_after_writing(session, board_id, mia_member, mo_moderator, events):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage mit Ereignis',
                                     body='Text')
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort')
    topics = [(e.topic, e.data['kind']) for e in events]
    assert topics == [('boards.thread', 'created'), ('boards.post', 'created'), ('boards.post', 'created')]
    assert events[0].data == {'kind': 'created', 'board_id': board_id, 'thread_id': thread_id}
    assert (events[1].data['number'], events[1].data['thread_id']) == (1, thread_id)
    last = events[2].data
    assert (last['board_id'], last['thread_id'], last['post_id'], last['number']) == (board_id, thread_id, reply.id, 2)
    assert last['post'].body == 'Antwort'


def test_no_event_when_a_reply_is_refused(session, thread_id, mo_moderator, events):
    with pytest.raises(Invalid):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='')
    assert events == []


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_pending_and_deactivated_users_may_not_touch_posts(session, thread_id, mo_moderator, persona, request):
    outsider = request.getfixturevalue(persona)
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort')
    calls = [
        lambda: posts.reply(session, actor=outsider, thread_id=thread_id, body='Hallo'),
        lambda: posts.edit_post(session, actor=outsider, post_id=reply.id, body='Hallo'),
        lambda: posts.delete_post(session, actor=outsider, post_id=reply.id),
        lambda: posts.toggle_reaction(session, actor=outsider, post_id=reply.id, kind='thanks'),
        lambda: posts.mark_solution(session, actor=outsider, post_id=reply.id),
        lambda: posts.unmark_solution(session, actor=outsider, thread_id=thread_id),
        lambda: posts.get_post(session, viewer=outsider, post_id=reply.id),
        lambda: posts.post_history(session, viewer=outsider, post_id=reply.id),
        lambda: posts.suggest_mentions(session, viewer=outsider, prefix='Mo'),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    session.rollback()
    assert count(session, Post) == 2 and count(session, Reaction) == 0


def test_search_index_holds_one_entry_per_live_post(session, thread_id, mo_moderator):
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort')
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    indexed = session.execute(text('SELECT rowid FROM post_fts')).scalars().all()
    assert indexed == [first_post_id(session, thread_id)]
