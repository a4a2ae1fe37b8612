"""Direct messages: starting, writing, reading, read marks, blocking (without revealing it), leaving, reports."""

import pytest
from sqlmodel import Session, select

from models.audit import AuditEntry
from models.message import MAX_GROUP, ConversationMember, Message, MessageReport
from models.notification import Notification
from models.user import Role, Status
from services import bus
from services import messages as dm
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user


@pytest.fixture
def ben(session: Session):
    return make_user(session, 'Ben Bauer', 'ben@hamm.de')


@pytest.fixture
def cleo(session: Session):
    return make_user(session, 'Cleo Clausen', 'cleo@unna.de')


def _notices(session: Session, user_id: int) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user_id)))


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


# ---------------------------------------------------------------- starting and writing


def test_start_a_conversation_of_two_notifies_and_announces(session, mia_member, ben):
    seen = []
    bus.subscribe('messages.new', seen.append)
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo **Ben**')
    view = dm.open_conversation(session, viewer=ben, conversation_id=cid)
    assert [m.body_html for m in view.messages] == ['<p>Hallo <strong>Ben</strong></p>']
    assert view.messages[0].author.name == 'Mia Member'
    assert not view.is_group and view.name == 'Mia Member'
    [notice] = _notices(session, ben.id)
    assert (notice.kind, notice.url, notice.group_key, notice.actor_id) == (
        'message', f'/messages/{cid}', f'conversation:{cid}', mia_member.id)
    assert '{name}' in notice.text and 'Mia Member' in notice.params
    assert _notices(session, mia_member.id) == []  # never the writer
    assert [(e.data['user_ids'], e.data['conversation_id']) for e in seen] == [([ben.id], cid)]


def test_writing_to_the_same_member_again_reuses_the_conversation(session, mia_member, ben):
    first = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Eins')
    again = dm.start_conversation(session, actor=ben, member_ids=[mia_member.id], body='Zwei')
    assert again == first
    assert dm.direct_conversation(session, viewer=mia_member, member_id=ben.id) == first
    assert [m.body_html for m in dm.open_conversation(session, viewer=mia_member, conversation_id=first).messages] \
        == ['<p>Eins</p>', '<p>Zwei</p>']


def test_a_group_is_made_for_several_and_never_reused(session, mia_member, ben, cleo):
    first = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id, cleo.id], body='Hallo',
                                  title='  AG   E-Akte ')
    second = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id, cleo.id], body='Hallo')
    assert first != second
    view = dm.open_conversation(session, viewer=cleo, conversation_id=first)
    assert view.is_group and view.title == 'AG E-Akte'
    assert {o.name for o in view.others} == {'Mia Member', 'Ben Bauer'}
    assert len(_notices(session, ben.id)) == 2 and len(_notices(session, cleo.id)) == 2


def test_group_of_twenty_allowed_twenty_one_refused(session, mia_member):
    others = [make_user(session, f'Kollege {i}', f'k{i}@hamm.de').id for i in range(MAX_GROUP)]
    with pytest.raises(Invalid) as e:
        dm.start_conversation(session, actor=mia_member, member_ids=others, body='Hallo alle')
    assert e.value.field == 'members' and e.value.params == {'n': 20}
    cid = dm.start_conversation(session, actor=mia_member, member_ids=others[:MAX_GROUP - 1], body='Hallo alle')
    assert len(session.exec(select(ConversationMember).where(ConversationMember.conversation_id == cid)).all()) == 20


def test_refusals_when_starting(session, mia_member, ben, dora_deactivated, pia_pending):
    with pytest.raises(Invalid, match='mindestens ein anderes'):
        dm.start_conversation(session, actor=mia_member, member_ids=[mia_member.id], body='Hallo')
    with pytest.raises(Invalid, match='gibt es nicht'):
        dm.start_conversation(session, actor=mia_member, member_ids=[999_999], body='Hallo')
    for inactive in (dora_deactivated, pia_pending):
        with pytest.raises(Invalid) as e:
            dm.start_conversation(session, actor=mia_member, member_ids=[inactive.id], body='Hallo')
        assert e.value.message == dm.MSG_CANNOT_RECEIVE and e.value.params == {'name': inactive.name}
    with pytest.raises(Invalid) as e:
        dm.start_conversation(session, actor=mia_member, member_ids=[ben.id, dora_deactivated.id], body='Hallo')
    assert e.value.params == {'name': 'Dora Deactivated'}
    with pytest.raises(NotAllowed):
        dm.start_conversation(session, actor=dora_deactivated, member_ids=[ben.id], body='Hallo')
    assert session.exec(select(Message)).all() == []


def test_a_deleted_member_cannot_receive(session, mia_member, ben):
    from models.user import User

    session.get(User, ben.id).status = Status.DELETED
    session.commit()
    with pytest.raises(Invalid, match='kann derzeit keine Nachrichten'):
        dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo')


@pytest.mark.parametrize(('body', 'fragment'), [('', 'Bitte schreiben'), ('   \n ', 'Bitte schreiben'),
                                                 ('x' * 20_001, 'höchstens')])
def test_empty_and_too_long_messages_are_refused(session, mia_member, ben, body, fragment):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo')
    with pytest.raises(Invalid, match=fragment) as e:
        dm.send_message(session, actor=mia_member, conversation_id=cid, body=body)
    assert e.value.field == 'body'
    with pytest.raises(Invalid, match=fragment):
        dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body=body)
    assert len(dm.open_conversation(session, viewer=mia_member, conversation_id=cid).messages) == 1


def test_exactly_twenty_thousand_characters_are_fine(session, mia_member, ben):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='x' * 20_000)
    [message] = session.exec(select(Message).where(Message.conversation_id == cid)).all()
    assert len(message.body) == 20_000


def test_someone_elses_or_an_unknown_conversation_is_not_found(session, mia_member, ben, cleo):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Unter uns')
    for bad in (cid, 999_999, 0, -1, 'x'):
        with pytest.raises(NotFound):
            dm.send_message(session, actor=cleo, conversation_id=bad, body='Ich auch')
        with pytest.raises(NotFound):
            dm.open_conversation(session, viewer=cleo, conversation_id=bad)
    assert len(session.exec(select(Message)).all()) == 1


def test_markdown_is_sanitised_once_on_write(session, mia_member, ben):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo')
    dm.send_message(session, actor=mia_member, conversation_id=cid,
                    body='<script>alert(1)</script> [klick](javascript:alert(2)) <img src=x onerror=alert(3)>')
    message = session.exec(select(Message).order_by(Message.id.desc())).first()
    assert '<script' not in message.body_html and 'javascript:' not in message.body_html
    assert '<a href="#" rel="nofollow noopener">klick</a>' in message.body_html  # the link target is defused
    assert '&lt;img src=x onerror=alert(3)&gt;' in message.body_html and '<img' not in message.body_html
    assert '&lt;script&gt;' in message.body_html  # shown as text
    assert message.body.startswith('<script>')  # kept as written


# ---------------------------------------------------------------- blocking


def test_a_block_refuses_without_revealing_it(session, mia_member, ben, dora_deactivated):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo')
    dm.block_member(session, actor=ben, member_id=mia_member.id)
    with pytest.raises(Invalid) as blocked:
        dm.send_message(session, actor=mia_member, conversation_id=cid, body='Noch was')
    with pytest.raises(Invalid) as start_blocked:
        dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Neu')
    with pytest.raises(Invalid) as inactive:
        dm.start_conversation(session, actor=mia_member, member_ids=[dora_deactivated.id], body='Hallo')
    # The same neutral words as for anyone who cannot receive messages now; nothing says "blockiert".
    assert blocked.value.message == start_blocked.value.message == inactive.value.message == dm.MSG_CANNOT_RECEIVE
    assert 'block' not in blocked.value.message.lower()
    view = dm.open_conversation(session, viewer=mia_member, conversation_id=cid)
    assert not view.can_write and view.write_blocked == dm.MSG_CANNOT_RECEIVE and not view.i_blocked
    # Ben sees his own block, can unblock, and then Mia can write again.
    assert [b.name for b in dm.list_blocked(session, viewer=ben)] == ['Mia Member']
    ben_view = dm.open_conversation(session, viewer=ben, conversation_id=cid)
    assert ben_view.i_blocked and not ben_view.can_write
    with pytest.raises(Invalid, match='blockiert'):
        dm.send_message(session, actor=ben, conversation_id=cid, body='Hm')
    dm.unblock_member(session, actor=ben, member_id=mia_member.id)
    assert dm.list_blocked(session, viewer=ben) == []
    dm.send_message(session, actor=mia_member, conversation_id=cid, body='Noch was')


def test_a_blocker_in_a_group_is_not_notified_and_cannot_be_added_by_the_blocked(session, mia_member, ben, cleo):
    cid = dm.start_conversation(session, actor=cleo, member_ids=[ben.id, mia_member.id], body='Hallo')
    dm.block_member(session, actor=ben, member_id=mia_member.id)
    before = len(_notices(session, ben.id))
    dm.send_message(session, actor=mia_member, conversation_id=cid, body='Frage an alle')
    assert len(_notices(session, ben.id)) == before
    with pytest.raises(Invalid, match='kann derzeit keine'):
        dm.start_conversation(session, actor=mia_member, member_ids=[cleo.id, ben.id], body='Neue Gruppe')


def test_blocking_refusals(session, mia_member):
    with pytest.raises(Invalid):
        dm.block_member(session, actor=mia_member, member_id=mia_member.id)
    with pytest.raises(NotFound):
        dm.block_member(session, actor=mia_member, member_id=999_999)


# ---------------------------------------------------------------- leaving


def test_a_left_member_sees_no_new_messages_and_cannot_write(session, mia_member, ben, cleo):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id, cleo.id], body='Vorher')
    dm.leave_conversation(session, actor=cleo, conversation_id=cid)
    dm.send_message(session, actor=mia_member, conversation_id=cid, body='Nachher')
    with pytest.raises(NotAllowed):
        dm.send_message(session, actor=cleo, conversation_id=cid, body='Ich bin weg')
    view = dm.open_conversation(session, viewer=cleo, conversation_id=cid)
    assert [m.body_html for m in view.messages] == ['<p>Vorher</p>'] and view.left and not view.can_write
    assert dm.list_conversations(session, viewer=cleo)[0] == []
    assert dm.unread_count(session, viewer=cleo) == 0
    assert len(_notices(session, cleo.id)) == 1  # only the first one
    assert {o.name for o in dm.open_conversation(session, viewer=ben, conversation_id=cid).others} == {'Mia Member'}


def test_a_conversation_of_two_cannot_be_left(session, mia_member, ben):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo')
    with pytest.raises(Invalid):
        dm.leave_conversation(session, actor=mia_member, conversation_id=cid)
    with pytest.raises(NotFound):
        dm.leave_conversation(session, actor=mia_member, conversation_id=999)


# ---------------------------------------------------------------- reading, unread counts, read marks


def test_unread_counts_and_read_marks(session, mia_member, ben, cleo):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Eins')
    dm.send_message(session, actor=mia_member, conversation_id=cid, body='Zwei')
    other = dm.start_conversation(session, actor=cleo, member_ids=[ben.id], body='Hallo Ben')
    assert dm.unread_count(session, viewer=ben) == 2
    assert dm.unread_count(session, viewer=mia_member) == 0
    rows, pages = dm.list_conversations(session, viewer=ben)
    assert pages == 1
    assert [(r.id, r.name, r.unread, r.excerpt) for r in rows] == [(other, 'Cleo Clausen', 1, 'Hallo Ben'),
                                                                   (cid, 'Mia Member', 2, 'Zwei')]
    # Not read yet: no mark under Mia's messages.
    assert dm.open_conversation(session, viewer=mia_member, conversation_id=cid).read_by == {}
    read = []
    bus.subscribe('messages.read', read.append)
    dm.open_conversation(session, viewer=ben, conversation_id=cid)
    assert read and read[0].data['user_ids'] == [ben.id]
    assert dm.unread_count(session, viewer=ben) == 1
    view = dm.open_conversation(session, viewer=mia_member, conversation_id=cid)
    assert view.read_by == {view.messages[-1].id: ('Ben Bauer',)}
    # A new message from Mia: the mark stays under the one Ben read.
    new = dm.send_message(session, actor=mia_member, conversation_id=cid, body='Drei')
    view = dm.open_conversation(session, viewer=mia_member, conversation_id=cid)
    assert view.read_by == {view.messages[-2].id: ('Ben Bauer',)}
    dm.mark_read(session, viewer=ben, conversation_id=cid, message_id=new.id)
    assert dm.open_conversation(session, viewer=mia_member, conversation_id=cid).read_by == {new.id: ('Ben Bauer',)}
    dm.mark_read(session, viewer=ben, conversation_id=cid, message_id=1)  # never backwards
    assert dm.open_conversation(session, viewer=mia_member, conversation_id=cid).read_by == {new.id: ('Ben Bauer',)}
    with pytest.raises(NotFound):
        dm.mark_read(session, viewer=cleo, conversation_id=cid, message_id=new.id)


def test_older_pages_and_reading_only_marks_the_newest_page(session, mia_member, ben):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Nachricht 0')
    for i in range(1, 7):
        dm.send_message(session, actor=mia_member, conversation_id=cid, body=f'Nachricht {i}')
    first = dm.open_conversation(session, viewer=ben, conversation_id=cid, limit=3)
    assert [m.body_html for m in first.messages] == ['<p>Nachricht 4</p>', '<p>Nachricht 5</p>', '<p>Nachricht 6</p>']
    assert first.has_older
    older = dm.open_conversation(session, viewer=ben, conversation_id=cid, before_id=first.messages[0].id, limit=3)
    assert [m.body_html for m in older.messages] == ['<p>Nachricht 1</p>', '<p>Nachricht 2</p>', '<p>Nachricht 3</p>']
    oldest = dm.open_conversation(session, viewer=ben, conversation_id=cid, before_id=older.messages[0].id, limit=3)
    assert [m.body_html for m in oldest.messages] == ['<p>Nachricht 0</p>'] and not oldest.has_older
    member = session.get(ConversationMember, (cid, ben.id))
    session.refresh(member)
    assert member.last_read_message_id == first.messages[-1].id


def test_the_list_is_paginated_newest_activity_first(session, mia_member):
    people = [make_user(session, f'Person {i}', f'p{i}@hamm.de') for i in range(dm.PAGE_SIZE + 2)]
    ids = [dm.start_conversation(session, actor=mia_member, member_ids=[p.id], body=f'Hallo {i}')
           for i, p in enumerate(people)]
    dm.send_message(session, actor=mia_member, conversation_id=ids[0], body='Wieder oben')
    first, pages = dm.list_conversations(session, viewer=mia_member)
    assert pages == 2 and len(first) == dm.PAGE_SIZE
    assert first[0].id == ids[0] and first[0].excerpt_mine and first[0].unread == 0
    second, _ = dm.list_conversations(session, viewer=mia_member, page=2)
    assert [r.id for r in second] == [ids[2], ids[1]]


# ---------------------------------------------------------------- reports and moderation


def _reported(session, mia_member, ben):
    cid = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Kauf meine Software!')
    message = session.exec(select(Message).where(Message.conversation_id == cid)).first()
    report = dm.report_message(session, actor=ben, message_id=message.id, reason='  Werbung  ')
    return cid, message, report


def test_report_a_message_and_the_rules_of_reporting(session, mia_member, ben, cleo):
    cid, message, report_id = _reported(session, mia_member, ben)
    report = session.get(MessageReport, report_id)
    assert (report.reason, report.status, report.reporter_id) == ('Werbung', 'open', ben.id)
    assert len(_audit(session, 'message.report')) == 1
    with pytest.raises(Invalid, match='schon gemeldet'):
        dm.report_message(session, actor=ben, message_id=message.id, reason='Nochmal')
    with pytest.raises(NotAllowed):
        dm.report_message(session, actor=mia_member, message_id=message.id, reason='Eigene')
    with pytest.raises(NotFound):
        dm.report_message(session, actor=cleo, message_id=message.id, reason='Fremd')
    with pytest.raises(NotFound):
        dm.report_message(session, actor=ben, message_id=999_999, reason='Gibt es nicht')
    other = dm.start_conversation(session, actor=cleo, member_ids=[ben.id], body='Hallo')
    cleo_msg = session.exec(select(Message).where(Message.conversation_id == other)).first()
    with pytest.raises(Invalid, match='Grund'):
        dm.report_message(session, actor=ben, message_id=cleo_msg.id, reason='   ')
    with pytest.raises(Invalid, match='höchstens'):
        dm.report_message(session, actor=ben, message_id=cleo_msg.id, reason='x' * 1001)


def test_only_moderators_see_and_handle_message_reports(session, mia_member, ben, mo_moderator, ada_admin):
    _cid, _message, report_id = _reported(session, mia_member, ben)
    for who in (mia_member, ben):
        with pytest.raises(NotAllowed):
            dm.list_message_reports(session, actor=who)
        with pytest.raises(NotAllowed):
            dm.count_message_reports(session, actor=who)
        with pytest.raises(NotAllowed):
            dm.handle_message_report(session, actor=who, report_id=report_id, action='delete')
    [row] = dm.list_message_reports(session, actor=mo_moderator)
    assert (row.id, row.excerpt, row.author.name, row.reporter.name, row.reason) == (
        report_id, 'Kauf meine Software!', 'Mia Member', 'Ben Bauer', 'Werbung')
    assert dm.count_message_reports(session, actor=ada_admin) == 1
    assert session.get(MessageReport, report_id).status == 'open'


def test_deleting_a_reported_message_replaces_its_text_audits_once_and_tells_the_reporter(
        session, mia_member, ben, mo_moderator):
    cid, message, report_id = _reported(session, mia_member, ben)
    changed = []
    bus.subscribe('messages.changed', changed.append)
    assert dm.handle_message_report(session, actor=mo_moderator, report_id=report_id, action='delete') == 'deleted'
    session.refresh(message)
    assert message.body == '' and message.body_html == ''
    view = dm.open_conversation(session, viewer=mia_member, conversation_id=cid)
    assert view.messages[0].removed
    [entry] = _audit(session, 'message_report.deleted')
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mo_moderator.id, 'message', str(message.id))
    notices = [n for n in _notices(session, ben.id) if n.kind == 'moderation.report']
    assert [n.text for n in notices] == [dm.MSG_OUTCOME['deleted']]
    assert changed and changed[0].data['message_id'] == message.id
    assert dm.list_message_reports(session, actor=mo_moderator) == []
    [handled] = dm.list_message_reports(session, actor=mo_moderator, status='handled')
    assert handled.outcome == 'deleted' and handled.message_removed
    with pytest.raises(Invalid, match='schon bearbeitet'):
        dm.handle_message_report(session, actor=mo_moderator, report_id=report_id, action='dismiss')


def test_dismissing_keeps_the_message(session, mia_member, ben, mo_moderator):
    _cid, message, report_id = _reported(session, mia_member, ben)
    with pytest.raises(Invalid):
        dm.handle_message_report(session, actor=mo_moderator, report_id=report_id, action='hide')
    with pytest.raises(NotFound):
        dm.handle_message_report(session, actor=mo_moderator, report_id=999, action='dismiss')
    assert dm.handle_message_report(session, actor=mo_moderator, report_id=report_id, action='dismiss') == 'dismissed'
    session.refresh(message)
    assert message.body_html == '<p>Kauf meine Software!</p>'
    assert len(_audit(session, 'message_report.dismissed')) == 1
    assert session.get(MessageReport, report_id).status == 'dismissed'
    assert [n.text for n in _notices(session, ben.id) if n.kind == 'moderation.report'] == [
        dm.MSG_OUTCOME['dismissed']]


def test_a_moderator_role_is_needed_even_for_admin_like_names(session, mia_member):
    pretender = make_user(session, 'Not Admin', 'na@hamm.de', role=Role.MEMBER)
    with pytest.raises(NotAllowed):
        dm.list_message_reports(session, actor=pretender)
