"""Moderation: pinning, locking, moving and deleting threads; reports and their queue; the audit trail of each step."""

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.board import Post, PostReport
from services import audit, boards, bus, moderation, posts
from services.errors import Invalid, NotAllowed, NotFound
from services.forum_search import PostFilters, search_posts
from tests.services.boards.conftest import board_row, thread_row
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


@pytest.fixture
def thread_id(session, board_id, mia_member) -> int:
    return boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur Grundsteuer',
                                body='Wie berechnen Sie die Grundsteuer?')




def first_post_id(session: Session, thread_id: int) -> int:
    return session.execute(select(Post.id).where(col(Post.thread_id) == thread_id, col(Post.number) == 1)).scalar_one()


def last_entry(session: Session, action: str):
    entries = audit.list_entries(session, action=action)
    assert entries, f'no audit entry {action}'
    return entries[0]


# ---------------------------------------------------------------- who may moderate


@pytest.mark.parametrize('persona', ['mia_member', 'pia_pending', 'dora_deactivated'])
def test_members_may_not_moderate_threads(session, board_id, other_board_id, thread_id, persona, request):
    actor = request.getfixturevalue(persona)
    calls = [
        lambda: moderation.pin_thread(session, actor=actor, thread_id=thread_id),
        lambda: moderation.lock_thread(session, actor=actor, thread_id=thread_id),
        lambda: moderation.move_thread(session, actor=actor, thread_id=thread_id, board_id=other_board_id),
        lambda: moderation.count_open_reports(session, actor=actor),
        lambda: moderation.list_reports(session, actor=actor),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    session.rollback()
    thread = thread_row(session, thread_id)
    assert (thread.pinned, thread.locked, thread.board_id, thread.deleted) == (False, False, board_id, False)


def test_a_member_may_not_delete_someone_elses_thread(session, thread_id, olaf):
    with pytest.raises(NotAllowed):
        moderation.delete_thread(session, actor=olaf, thread_id=thread_id)
    session.rollback()
    assert not thread_row(session, thread_id).deleted


def test_the_author_deletes_an_unanswered_thread_but_not_an_answered_one(session, board_id, mia_member, olaf):
    lonely = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Niemand antwortet',
                                  body='Schade')
    answered = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Jemand antwortet',
                                    body='Schön')
    posts.reply(session, actor=olaf, thread_id=answered, body='Hier bin ich')
    moderation.delete_thread(session, actor=mia_member, thread_id=lonely)
    assert thread_row(session, lonely).deleted
    assert last_entry(session, 'thread.delete').actor_id == mia_member.id
    with pytest.raises(NotAllowed):
        moderation.delete_thread(session, actor=mia_member, thread_id=answered)
    session.rollback()
    assert not thread_row(session, answered).deleted


@pytest.mark.parametrize('persona', ['mo_moderator', 'ada_admin'])
def test_moderators_and_admins_pin_and_lock(session, thread_id, persona, request):
    actor = request.getfixturevalue(persona)
    moderation.pin_thread(session, actor=actor, thread_id=thread_id)
    moderation.lock_thread(session, actor=actor, thread_id=thread_id)
    thread = thread_row(session, thread_id)
    assert thread.pinned and thread.locked
    moderation.pin_thread(session, actor=actor, thread_id=thread_id, pinned=False)
    moderation.lock_thread(session, actor=actor, thread_id=thread_id, locked=False)
    thread = thread_row(session, thread_id)
    assert not thread.pinned and not thread.locked


def test_moderating_a_missing_or_deleted_thread_is_not_found(session, thread_id, mo_moderator, other_board_id):
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    for call in (lambda t: moderation.pin_thread(session, actor=mo_moderator, thread_id=t),
                 lambda t: moderation.lock_thread(session, actor=mo_moderator, thread_id=t),
                 lambda t: moderation.move_thread(session, actor=mo_moderator, thread_id=t, board_id=other_board_id),
                 lambda t: moderation.delete_thread(session, actor=mo_moderator, thread_id=t)):
        for missing in (thread_id, 999):
            with pytest.raises(NotFound):
                call(missing)


# ---------------------------------------------------------------- moving


def test_move_updates_both_boards(session, board_id, other_board_id, thread_id, mia_member, mo_moderator, olaf):
    stays = boards.create_thread(session, actor=olaf, board_id=board_id, title='Bleibt hier stehen', body='Ja')
    posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort eins')
    posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Antwort zwei')
    deleted = posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort drei')
    posts.delete_post(session, actor=olaf, post_id=deleted.id)
    before = board_row(session, board_id)
    assert (before.thread_count, before.post_count) == (2, 4)
    moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id, board_id=other_board_id)
    source, target = board_row(session, board_id), board_row(session, other_board_id)
    assert (source.thread_count, source.post_count) == (1, 1)
    assert (target.thread_count, target.post_count) == (1, 3)
    assert target.last_thread_id == thread_id and target.last_post_at is not None
    assert thread_row(session, thread_id).board_id == other_board_id
    assert [r.id for r in boards.list_threads(session, viewer=mia_member, slug='technik').items] == [thread_id]
    assert [r.id for r in boards.list_threads(session, viewer=mia_member, slug='allgemeines').items] == [stays]
    entry = last_entry(session, 'thread.move')
    assert (entry.actor_id, entry.target_id) == (mo_moderator.id, str(thread_id))


def test_move_of_the_latest_thread_updates_the_sources_latest_activity(session, board_id, other_board_id,
                                                                       mia_member, mo_moderator, olaf):
    older = boards.create_thread(session, actor=olaf, board_id=board_id, title='Ältere Frage hier', body='Ja')
    latest = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Neueste Frage hier',
                                  body='Ja')
    moderation.move_thread(session, actor=mo_moderator, thread_id=latest, board_id=other_board_id)
    listed = {s.board.slug: s for s in boards.list_boards(session, viewer=mia_member)}
    assert listed['technik'].last_thread_id == latest
    # The source board no longer holds the moved thread: its latest activity is its remaining thread.
    assert listed['allgemeines'].last_thread_id == older
    assert listed['allgemeines'].last_thread_title == 'Ältere Frage hier'


def test_moving_the_only_thread_leaves_the_source_without_activity(session, board_id, other_board_id, thread_id,
                                                                   mia_member, mo_moderator):
    moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id, board_id=other_board_id)
    source = board_row(session, board_id)
    assert (source.thread_count, source.post_count) == (0, 0)
    assert source.last_thread_id is None and source.last_post_at is None


def test_move_to_the_same_board_changes_nothing(session, board_id, thread_id, mo_moderator):
    moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id, board_id=board_id)
    board = board_row(session, board_id)
    assert (board.thread_count, board.post_count) == (1, 1)


def test_move_to_a_missing_board_is_refused(session, board_id, thread_id, mo_moderator):
    with pytest.raises(Invalid) as e:
        moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id, board_id=999)
    assert e.value.field == 'board'
    session.rollback()
    assert thread_row(session, thread_id).board_id == board_id


# ---------------------------------------------------------------- deleting


def test_delete_thread_removes_its_posts_from_search(session, board_id, thread_id, mia_member, mo_moderator, olaf):
    keep = boards.create_thread(session, actor=olaf, board_id=board_id, title='Auch zur Grundsteuer',
                                body='Eine andere Frage')
    posts.reply(session, actor=olaf, thread_id=thread_id, body='Die Grundsteuer berechnet das Finanzamt')
    hits = search_posts(session, viewer=mia_member, filters=PostFilters(q='Grundsteuer')).items
    assert len(hits) == 3
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    hits = search_posts(session, viewer=mia_member, filters=PostFilters(q='Grundsteuer')).items
    assert [h.thread_id for h in hits] == [keep]
    indexed = session.execute(select(func.count()).select_from(select(Post.id).where(
        col(Post.thread_id) == thread_id).subquery())).scalar_one()
    assert indexed == 2  # the rows stay (deleted thread), only the index entries go
    assert [t.id for t in boards.similar_threads(session, viewer=mia_member, title='Grundsteuer')] == [keep]


def test_delete_thread_updates_the_board(session, board_id, thread_id, mia_member, mo_moderator, olaf):
    other = boards.create_thread(session, actor=olaf, board_id=board_id, title='Zweite Frage hier', body='Text')
    posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort')  # thread_id is the latest now
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    board = board_row(session, board_id)
    assert (board.thread_count, board.post_count, board.last_thread_id) == (1, 1, other)
    assert thread_row(session, thread_id).deleted
    entry = last_entry(session, 'thread.delete_by_moderator')
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mo_moderator.id, 'thread', str(thread_id))
    assert 'Frage zur Grundsteuer' in entry.details


def test_moderation_publishes_events(session, board_id, other_board_id, thread_id, mo_moderator):
    seen: list[bus.Event] = []
    bus.subscribe('boards.thread', seen.append)
    moderation.pin_thread(session, actor=mo_moderator, thread_id=thread_id)
    moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id)
    moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id, board_id=other_board_id)
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    assert [(e.data['kind'], e.data['board_id']) for e in seen] == [
        ('changed', board_id), ('changed', board_id), ('moved', board_id), ('moved', other_board_id),
        ('deleted', other_board_id)]
    assert all(e.data['thread_id'] == thread_id for e in seen)


# ---------------------------------------------------------------- reports


def test_report_a_post(session, thread_id, mia_member, olaf, mo_moderator):
    seen: list[bus.Event] = []
    bus.subscribe('moderation.reported', seen.append)
    post_id = first_post_id(session, thread_id)
    report_id = moderation.report_post(session, actor=olaf, post_id=post_id, reason='  Das ist   Werbung. ')
    report = session.get(PostReport, report_id)
    assert report is not None
    assert (report.post_id, report.reporter_id, report.reason, report.status) == (
        post_id, olaf.id, 'Das ist Werbung.', 'open')
    assert [e.data for e in seen] == [{'report_id': report_id, 'post_id': post_id}]
    entry = last_entry(session, 'post.report')
    assert (entry.actor_id, entry.target_id) == (olaf.id, str(post_id))
    assert moderation.count_open_reports(session, actor=mo_moderator) == 1


@pytest.mark.parametrize('reason', ['', '   \n  ', 'x' * 1001])
def test_a_report_needs_a_reason_of_at_most_1000_characters(session, thread_id, olaf, reason):
    with pytest.raises(Invalid) as e:
        moderation.report_post(session, actor=olaf, post_id=first_post_id(session, thread_id), reason=reason)
    assert e.value.field == 'reason'
    session.rollback()
    assert session.execute(select(func.count()).select_from(PostReport)).scalar_one() == 0


def test_a_reason_of_1000_characters_is_fine(session, thread_id, olaf):
    report_id = moderation.report_post(session, actor=olaf, post_id=first_post_id(session, thread_id),
                                       reason='x' * 1000)
    report = session.get(PostReport, report_id)
    assert report is not None and len(report.reason) == 1000


def test_one_open_report_per_member_and_post(session, thread_id, olaf, mo_moderator):
    post_id = first_post_id(session, thread_id)
    first = moderation.report_post(session, actor=olaf, post_id=post_id, reason='Werbung')
    with pytest.raises(Invalid) as e:
        moderation.report_post(session, actor=olaf, post_id=post_id, reason='Immer noch Werbung')
    assert e.value.field == 'reason'
    session.rollback()
    other = make_user(session, 'Ute Unbeteiligt', 'ute@essen.de')
    assert moderation.report_post(session, actor=other, post_id=post_id, reason='Sehe ich auch so')
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='dismiss')  # closes both
    assert moderation.report_post(session, actor=olaf, post_id=post_id, reason='Schon wieder Werbung')
    assert moderation.count_open_reports(session, actor=mo_moderator) == 1


def test_own_posts_and_deleted_posts_cannot_be_reported(session, thread_id, mia_member, mo_moderator, olaf):
    with pytest.raises(NotAllowed):
        moderation.report_post(session, actor=mia_member, post_id=first_post_id(session, thread_id),
                               reason='Ich melde mich selbst')
    reply = posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Wird gelöscht')
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    with pytest.raises(NotFound):
        moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Unpassend')
    with pytest.raises(NotFound):
        moderation.report_post(session, actor=olaf, post_id=999, reason='Unpassend')
    session.rollback()
    assert session.execute(select(func.count()).select_from(PostReport)).scalar_one() == 0


def test_posts_of_a_deleted_thread_cannot_be_reported(session, thread_id, mo_moderator, olaf):
    post_id = first_post_id(session, thread_id)
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    with pytest.raises(NotFound):
        moderation.report_post(session, actor=olaf, post_id=post_id, reason='Unpassend')
    session.rollback()
    assert moderation.count_open_reports(session, actor=mo_moderator) == 0


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_pending_and_deactivated_users_cannot_report(session, thread_id, persona, request):
    with pytest.raises(NotAllowed):
        moderation.report_post(session, actor=request.getfixturevalue(persona),
                               post_id=first_post_id(session, thread_id), reason='Unpassend')


def test_the_report_queue(session, thread_id, mia_member, mo_moderator, olaf):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='**Kauft** meine Software!')
    first = moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Werbung')
    second = moderation.report_post(session, actor=mo_moderator, post_id=first_post_id(session, thread_id),
                                    reason='Doppelt gepostet')
    rows = moderation.list_reports(session, actor=mo_moderator)
    assert [r.id for r in rows] == [first, second]  # oldest first
    row = rows[0]
    assert (row.post_id, row.thread_id, row.thread_title, row.post_number) == (
        reply.id, thread_id, 'Frage zur Grundsteuer', 2)
    assert row.post_excerpt == 'Kauft meine Software!'
    assert row.post_author is not None and row.post_author.name == 'Mia Member'
    assert row.reporter is not None and row.reporter.name == 'Olaf Other'
    assert (row.reason, row.status) == ('Werbung', 'open')
    assert row.url == f'/threads/{thread_id}?page=1#post-2'
    with pytest.raises(Invalid):
        moderation.list_reports(session, actor=mo_moderator, status='gone')


def test_handling_reports(session, thread_id, mia_member, mo_moderator, ada_admin, olaf):
    seen: list[bus.Event] = []
    bus.subscribe('moderation.handled', seen.append)
    post_id = first_post_id(session, thread_id)
    first = moderation.report_post(session, actor=olaf, post_id=post_id, reason='Werbung')
    other = make_user(session, 'Ute Unbeteiligt', 'ute@essen.de')
    second = moderation.report_post(session, actor=other, post_id=post_id, reason='Beleidigend')
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Noch eine Antwort')
    third = moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Unsinn')
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='lock')
    moderation.handle_report(session, actor=ada_admin, report_id=third, action='dismiss')
    assert moderation.list_reports(session, actor=mo_moderator) == []
    assert moderation.count_open_reports(session, actor=mo_moderator) == 0
    # Both reports of the first post were closed by one action.
    assert sorted(r.id for r in moderation.list_reports(session, actor=mo_moderator, status='resolved')) == [
        first, second]
    assert [r.id for r in moderation.list_reports(session, actor=mo_moderator, status='dismissed')] == [third]
    report = session.get(PostReport, second, populate_existing=True)
    assert report is not None and report.handled_by == mo_moderator.id and report.handled_at is not None
    assert report.outcome == 'locked'
    locked, dismissed = last_entry(session, 'report.locked'), last_entry(session, 'report.dismissed')
    assert (locked.actor_id, locked.target_type, locked.target_id) == (mo_moderator.id, 'post', str(post_id))
    assert (dismissed.actor_id, dismissed.target_id) == (ada_admin.id, str(reply.id))
    assert [e.data['report_id'] for e in seen] == [first, third]


def test_only_moderators_handle_reports(session, thread_id, mia_member, mo_moderator, olaf):
    report_id = moderation.report_post(session, actor=olaf, post_id=first_post_id(session, thread_id),
                                       reason='Werbung')
    with pytest.raises(NotAllowed):
        moderation.handle_report(session, actor=mia_member, report_id=report_id, action='dismiss')
    with pytest.raises(NotAllowed):
        moderation.handle_report(session, actor=olaf, report_id=report_id, action='hide')
    with pytest.raises(Invalid):
        moderation.handle_report(session, actor=mo_moderator, report_id=report_id, action='resolved')
    with pytest.raises(NotFound):
        moderation.handle_report(session, actor=mo_moderator, report_id=999, action='dismiss')
    session.rollback()
    assert moderation.count_open_reports(session, actor=mo_moderator) == 1


def test_a_report_on_a_deleted_post_stays_in_the_queue(session, thread_id, mia_member, mo_moderator, olaf):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Beleidigung')
    report_id = moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Beleidigend')
    posts.delete_post(session, actor=mo_moderator, post_id=reply.id)
    rows = moderation.list_reports(session, actor=mo_moderator)
    assert [r.id for r in rows] == [report_id]
    assert rows[0].post_excerpt == ''  # the text is gone with the post


# ---------------------------------------------------------------- the audit trail


def test_every_moderator_action_is_audited(session, board_id, other_board_id, thread_id, mo_moderator, olaf):
    report_id = moderation.report_post(session, actor=olaf, post_id=first_post_id(session, thread_id),
                                       reason='Falsches Forum')
    reply = posts.reply(session, actor=olaf, thread_id=thread_id, body='Eine Antwort')
    steps = [
        ('thread.pin', lambda: moderation.pin_thread(session, actor=mo_moderator, thread_id=thread_id)),
        ('thread.unpin', lambda: moderation.pin_thread(session, actor=mo_moderator, thread_id=thread_id,
                                                       pinned=False)),
        ('thread.lock', lambda: moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id)),
        ('thread.unlock', lambda: moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id,
                                                         locked=False)),
        ('thread.move', lambda: moderation.move_thread(session, actor=mo_moderator, thread_id=thread_id,
                                                       board_id=other_board_id)),
        ('report.dismissed', lambda: moderation.handle_report(session, actor=mo_moderator, report_id=report_id,
                                                              action='dismiss')),
        ('post.edit_by_moderator', lambda: posts.edit_post(session, actor=mo_moderator, post_id=reply.id,
                                                           body='Entschärft')),
        ('thread.solution', lambda: posts.mark_solution(session, actor=mo_moderator, post_id=reply.id)),
        ('thread.unsolve', lambda: posts.unmark_solution(session, actor=mo_moderator, thread_id=thread_id)),
        ('post.delete_by_moderator', lambda: posts.delete_post(session, actor=mo_moderator, post_id=reply.id)),
        ('thread.delete_by_moderator', lambda: moderation.delete_thread(session, actor=mo_moderator,
                                                                       thread_id=thread_id)),
    ]
    for action, step in steps:
        before = len(audit.list_entries(session, action=action))
        step()
        entries = audit.list_entries(session, action=action)
        assert len(entries) == before + 1, action
        assert entries[0].actor_id == mo_moderator.id, action
