"""The moderation queue's actions: dismiss, hide, delete, lock; every report of the post closed, reporters told,
one audit entry per action; hidden posts in the thread and in the search."""

import json

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from models.audit import AuditEntry
from models.board import Post, PostReport
from services import boards, bus, files, moderation, notifications, posts
from services.errors import Invalid, NotAllowed, NotFound
from services.forum_search import PostFilters, search_posts
from tests.services.boards.conftest import board_row, thread_row
from tests.services.conftest import make_user

PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'


@pytest.fixture
def thread_id(session, board_id, mia_member) -> int:
    return boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur Grundsteuer',
                                body='Wie berechnen Sie die Grundsteuer?')


@pytest.fixture
def ute(session):
    return make_user(session, 'Ute Unbeteiligt', 'ute@essen.de')


@pytest.fixture
def spam(session, thread_id, mia_member, olaf, ute):
    """A reply by Mia that Olaf and Ute reported: (post id, Olaf's report, Ute's report)."""
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Kauft Zauberbohnen bei mir!')
    first = moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Werbung')
    second = moderation.report_post(session, actor=ute, post_id=reply.id, reason='Spam')
    return reply.id, first, second


def audit_count(session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def reports_of(session, post_id: int) -> list[PostReport]:
    session.expire_all()
    return list(session.exec(select(PostReport).where(col(PostReport.post_id) == post_id)
                             .order_by(col(PostReport.id))).scalars())


def found(session, viewer, q: str) -> list[int]:
    return [hit.post_id for hit in search_posts(session, viewer=viewer, filters=PostFilters(q=q)).items]


def notices(session, who) -> list[notifications.NoticeView]:
    return notifications.unread(session, viewer=who)


def post_in_thread(session, viewer, thread_id: int, number: int):
    view = boards.open_thread(session, viewer=viewer, thread_id=thread_id, record_visit=False)
    return next(p for p in view.posts if p.number == number)


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize('persona', ['mia_member', 'olaf', 'dora_deactivated'])
def test_members_may_not_handle_reports_or_unhide(session, spam, persona, request):
    actor = request.getfixturevalue(persona)
    post_id, first, _second = spam
    before = audit_count(session)
    for action in moderation.ACTIONS:
        with pytest.raises(NotAllowed):
            moderation.handle_report(session, actor=actor, report_id=first, action=action)
    with pytest.raises(NotAllowed):
        moderation.unhide_post(session, actor=actor, post_id=post_id)
    with pytest.raises(NotAllowed):
        moderation.count_handled_reports(session, actor=actor)
    session.rollback()
    assert [r.status for r in reports_of(session, post_id)] == ['open', 'open']
    assert audit_count(session) == before


def test_unknown_actions_and_reports(session, spam, mo_moderator):
    _post_id, first, _second = spam
    with pytest.raises(Invalid):
        moderation.handle_report(session, actor=mo_moderator, report_id=first, action='ban')
    with pytest.raises(NotFound):
        moderation.handle_report(session, actor=mo_moderator, report_id=999, action='dismiss')


# ---------------------------------------------------------------- hiding


def test_hiding_closes_every_report_tells_the_reporters_and_audits_once(session, spam, thread_id, mo_moderator,
                                                                       olaf, ute, mia_member):
    handled: list[bus.Event] = []
    changed: list[bus.Event] = []
    bus.subscribe('moderation.handled', handled.append)
    bus.subscribe('boards.post', changed.append)
    post_id, first, second = spam
    before = audit_count(session)
    assert moderation.handle_report(session, actor=mo_moderator, report_id=first, action='hide') == 'hidden'
    assert session.get(Post, post_id, populate_existing=True).hidden
    reports = reports_of(session, post_id)
    assert [(r.status, r.outcome, r.handled_by) for r in reports] == [('resolved', 'hidden', mo_moderator.id)] * 2
    assert audit_count(session) == before + 1
    entry = audit_entries(session, 'report.hidden')[0]
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mo_moderator.id, 'post', str(post_id))
    assert json.loads(entry.details)['reports'] == 2
    for reporter in (olaf, ute):
        [notice] = notices(session, reporter)
        assert notice.text == 'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag ausgeblendet.'
        assert notice.params == {'title': 'Frage zur Grundsteuer'}
        assert notice.url == f'/threads/{thread_id}?page=1#post-2'
    assert notices(session, mia_member) == []  # the author is not told who reported
    assert [e.data['report_id'] for e in handled] == [first]
    [event] = changed
    assert event.data['post'].hidden and event.data['post'].body_html == ''  # the bus never carries hidden text
    with pytest.raises(Invalid):
        moderation.handle_report(session, actor=mo_moderator, report_id=second, action='delete')


def test_a_hidden_post_shows_only_to_its_author_and_the_moderation(session, spam, thread_id, mia_member,
                                                                   mo_moderator, olaf):
    post_id, first, _second = spam
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='hide')
    other = post_in_thread(session, olaf, thread_id, 2)
    assert (other.hidden, other.body, other.body_html) == (True, '', '')
    own = post_in_thread(session, mia_member, thread_id, 2)
    assert own.hidden and 'Zauberbohnen' in own.body_html
    moderator = post_in_thread(session, mo_moderator, thread_id, 2)
    assert moderator.hidden and 'Zauberbohnen' in moderator.body
    assert posts.get_post(session, viewer=olaf, post_id=post_id).body == ''
    with pytest.raises(NotFound):
        posts.post_history(session, viewer=olaf, post_id=post_id)


def test_a_hidden_post_leaves_the_search_until_shown_again(session, spam, mia_member, mo_moderator, olaf):
    post_id, first, _second = spam
    assert found(session, olaf, 'Zauberbohnen') == [post_id]
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='hide')
    assert found(session, olaf, 'Zauberbohnen') == []
    posts.edit_post(session, actor=mia_member, post_id=post_id, body='Kauft Zauberbohnen, jetzt billiger!')
    assert found(session, olaf, 'Zauberbohnen') == []  # an edit does not bring it back
    before = audit_count(session)
    moderation.unhide_post(session, actor=mo_moderator, post_id=post_id)
    assert not session.get(Post, post_id, populate_existing=True).hidden
    assert found(session, olaf, 'billiger') == [post_id]
    assert audit_count(session) == before + 1
    assert audit_entries(session, 'post.unhide')[0].actor_id == mo_moderator.id
    assert 'billiger' in post_in_thread(session, olaf, spam_thread(session, post_id), 2).body


def test_attachments_of_a_hidden_post_are_not_served_to_others(session, tmp_path, monkeypatch, thread_id,
                                                               mia_member, mo_moderator, olaf):
    monkeypatch.setattr(files, '_data_dir', None)
    files.configure(tmp_path)
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Anhang', attachments=[('a.pdf', PDF)])
    stored = reply.attachments[0].stored_name
    report = moderation.report_post(session, actor=olaf, post_id=reply.id, reason='Unpassend')
    moderation.handle_report(session, actor=mo_moderator, report_id=report, action='hide')
    with pytest.raises(NotFound):
        posts.attachment_for_download(session, viewer=olaf, stored_name=stored)
    assert posts.attachment_for_download(session, viewer=mia_member, stored_name=stored)[1] == 'a.pdf'
    assert posts.attachment_for_download(session, viewer=mo_moderator, stored_name=stored)[1] == 'a.pdf'


# ---------------------------------------------------------------- deleting, locking, dismissing


def test_deleting_through_a_report_writes_one_entry(session, spam, thread_id, board_id, mo_moderator, olaf):
    post_id, first, _second = spam
    before = audit_count(session)
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='delete')
    assert session.get(Post, post_id, populate_existing=True).deleted
    assert thread_row(session, thread_id).reply_count == 0
    assert board_row(session, board_id).post_count == 1
    assert audit_count(session) == before + 1
    assert audit_entries(session, 'report.deleted') and not audit_entries(session, 'post.delete_by_moderator')
    assert [r.outcome for r in reports_of(session, post_id)] == ['deleted', 'deleted']
    [notice] = notices(session, olaf)
    assert notice.text == 'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag gelöscht.'
    assert notice.url == f'/threads/{thread_id}'


def test_deleting_a_reported_question_deletes_its_thread(session, thread_id, board_id, mo_moderator, olaf):
    question = session.execute(select(Post.id).where(col(Post.thread_id) == thread_id)).scalar_one()
    report = moderation.report_post(session, actor=olaf, post_id=question, reason='Doppelt')
    moderation.handle_report(session, actor=mo_moderator, report_id=report, action='delete')
    assert thread_row(session, thread_id).deleted
    assert board_row(session, board_id).thread_count == 0
    assert not audit_entries(session, 'thread.delete_by_moderator')
    assert notices(session, olaf)[0].url == ''


def test_locking_through_a_report(session, spam, thread_id, mo_moderator, mia_member, ute):
    post_id, first, _second = spam
    before = audit_count(session)
    moderation.handle_report(session, actor=mo_moderator, report_id=first, action='lock')
    assert thread_row(session, thread_id).locked
    assert audit_count(session) == before + 1 and not audit_entries(session, 'thread.lock')
    with pytest.raises(NotAllowed):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Darf ich noch?')
    assert notices(session, ute)[0].text == 'Ihre Meldung zu „{title}“ wurde bearbeitet: Thema geschlossen.'


def test_dismissing_keeps_the_post(session, spam, thread_id, mo_moderator, olaf, ute):
    post_id, _first, second = spam
    moderation.handle_report(session, actor=mo_moderator, report_id=second, action='dismiss')
    post = session.get(Post, post_id, populate_existing=True)
    assert not post.hidden and not post.deleted and not thread_row(session, thread_id).locked
    assert [(r.status, r.outcome) for r in reports_of(session, post_id)] == [('dismissed', 'dismissed')] * 2
    assert len(notices(session, olaf)) == len(notices(session, ute)) == 1
    assert 'keinen Verstoß' in notices(session, olaf)[0].text
    assert moderation.count_handled_reports(session, actor=mo_moderator) == 2
    handled = moderation.list_reports(session, actor=mo_moderator, status='handled')
    assert sorted(r.id for r in handled) == sorted(r.id for r in reports_of(session, post_id))
    assert {r.outcome for r in handled} == {'dismissed'}


def test_hiding_or_locking_a_deleted_post_is_refused_but_dismissing_works(session, spam, mo_moderator, mia_member):
    post_id, first, _second = spam
    posts.delete_post(session, actor=mia_member, post_id=post_id)
    for action in ('hide', 'lock'):
        with pytest.raises(Invalid):
            moderation.handle_report(session, actor=mo_moderator, report_id=first, action=action)
    session.rollback()
    assert moderation.handle_report(session, actor=mo_moderator, report_id=first, action='delete') == 'deleted'
    assert [r.status for r in reports_of(session, post_id)] == ['resolved', 'resolved']


def test_a_moderator_who_reported_is_not_told_of_their_own_action(session, thread_id, mia_member, mo_moderator):
    reply = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Grenzwertig')
    report = moderation.report_post(session, actor=mo_moderator, post_id=reply.id, reason='Prüfen')
    moderation.handle_report(session, actor=mo_moderator, report_id=report, action='dismiss')
    assert notices(session, mo_moderator) == []


# ---------------------------------------------------------------- helpers used above


def audit_entries(session, action: str) -> list[AuditEntry]:
    from services import audit

    return audit.list_entries(session, action=action)


def spam_thread(session, post_id: int) -> int:
    return session.get(Post, post_id).thread_id
