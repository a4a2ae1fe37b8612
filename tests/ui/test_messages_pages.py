"""Direct messages as members see them: the list, a conversation, writing, live messages, 404s, the profile button,
and the moderators' section for reported messages."""

import pytest
from nicegui.testing import User

from models.user import Role
from services import accounts, db, members
from services import messages as dm
from tests.ui.conftest import add_user, set_settings, sign_in, wait_for

SLOW = 60


async def eventually(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    await wait_for(condition, timeout)


def _shows(user: User, text: str) -> bool:
    """A message's text is on the page (its body is HTML, which the simulated user does not read as text)."""
    return any(text in e.content for e in user.find(marker='message-body').elements)


async def signed_in(user: User, email: str) -> None:
    """Sign in and wait for the start page (patiently: the machine is shared, the password hash takes a while)."""
    await sign_in(user, email)
    await user.should_see('Willkommen', retries=SLOW)


@pytest.fixture
def people(user: User) -> dict[str, accounts.CurrentUser]:
    ada = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Müller', 'mia@luenen.de')
    ben = add_user('Ben Becker', 'ben@essen.de')
    cleo = add_user('Cleo Conrad', 'cleo@unna.de')
    for member, org in ((mia, 'Stadt Lünen'), (ben, 'Stadt Essen'), (cleo, 'Kreis Unna')):
        db.call(members.update_profile, actor=member, user_id=member.id, name=member.name, organization=org)
    return {'ada': ada, 'mia': mia, 'ben': ben, 'cleo': cleo}


async def test_the_list_shows_conversations_with_unread_counts_and_excerpts(user: User, people):
    mia, ben, cleo = people['mia'], people['ben'], people['cleo']
    first = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Habt ihr die **E-Akte** schon?')
    db.call(dm.send_message, actor=mia, conversation_id=first, body='Und wie läuft es?')
    group = db.call(dm.start_conversation, actor=cleo, member_ids=[ben.id, mia.id], body='Treffen im Mai',
                    title='AG Digitalisierung')
    await signed_in(user, 'ben@essen.de')
    await user.open('/messages')
    await user.should_see('Mia Müller (2 ungelesen)')
    await user.should_see('Mia Müller: Und wie läuft es?')
    await user.should_see('AG Digitalisierung (1 ungelesen)')
    await user.should_see(marker=f'conversation-{first}')
    await user.should_see(marker=f'conversation-{group}')
    await user.should_see('Sie haben niemanden blockiert.')


async def test_open_a_conversation_send_a_message_and_see_the_reply_arrive_live(user: User, people):
    mia, ben = people['mia'], people['ben']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Hallo Ben, eine **Frage**')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/messages/{cid}')
    await user.should_see(marker='message-body')
    assert 'Hallo Ben, eine <strong>Frage</strong>' in user.find(marker='message-body').elements.pop().content
    log = user.find(marker='message-log').elements.pop()
    assert log.props['role'] == 'log' and log.props['aria-live'] == 'polite'
    assert db.call(dm.unread_count, viewer=ben) == 0  # opening it read it
    user.find(marker='message-input').type('Gern, worum geht es?')
    user.find(marker='send').click()
    await eventually(lambda: _shows(user, 'Gern, worum geht es?'))
    await eventually(lambda: db.call(dm.unread_count, viewer=mia) == 1)  # stored; Mia has not read it
    assert user.find(marker='message-input').elements.pop().value == ''
    # Mia has not looked yet: no read mark; she answers and it appears here without a reload.
    mine = db.call(dm.open_conversation, viewer=ben, conversation_id=cid).messages[-1].id
    read_mark = user.find(marker=f'read-{mine}').elements.pop()
    assert read_mark.text == ''
    db.call(dm.send_message, actor=mia, conversation_id=cid, body='Um die Scanstelle.')
    await eventually(lambda: _shows(user, 'Um die Scanstelle.'))
    db.call(dm.open_conversation, viewer=mia, conversation_id=cid)  # Mia looks: my message gets its read mark
    await eventually(lambda: read_mark.text == 'Gelesen')
    await eventually(lambda: db.call(dm.unread_count, viewer=ben) == 0)  # shown live, so read


async def test_an_empty_message_shows_the_error_beside_the_field(user: User, people):
    mia, ben = people['mia'], people['ben']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Hallo')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/messages/{cid}')
    user.find(marker='send').click()
    await user.should_see('Bitte schreiben Sie eine Nachricht.', retries=SLOW)


async def test_someone_elses_or_an_unknown_conversation_is_a_friendly_404(user: User, people):
    mia, ben = people['mia'], people['ben']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Nur für Ben')
    await signed_in(user, 'cleo@unna.de')
    for path in (f'/messages/{cid}', '/messages/999999', '/messages/abc'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
        assert 'Diese Unterhaltung gibt es nicht.' in response.text, path
        assert 'Nur für Ben' not in response.text


async def test_the_profile_button_starts_a_new_message_then_opens_the_conversation(user: User, people):
    mia, ben = people['mia'], people['ben']
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/members/{mia.id}')
    user.find(marker='write-message').click()
    await eventually(lambda: user.back_history[-1] == f'/messages?to={mia.id}')
    await user.should_see(marker=f'picked-{mia.id}')
    user.find(marker='field-body').type('Hallo Mia!')
    user.find(marker='start-send').click()
    await eventually(lambda: db.call(dm.direct_conversation, viewer=ben, member_id=mia.id) is not None)
    cid = db.call(dm.direct_conversation, viewer=ben, member_id=mia.id)
    await eventually(lambda: user.back_history[-1] == f'/messages/{cid}')
    # The second time the button leads straight into the conversation.
    response = await user.http_client.get(f'/messages?to={mia.id}', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == f'/messages/{cid}'
    await user.open(f'/members/{ben.id}')  # my own profile: no button
    await user.should_not_see(marker='write-message')


async def test_no_profile_button_when_messages_are_switched_off(user: User, people):
    set_settings(people['ada'], module_messages=False)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/members/{people["mia"].id}')
    await user.should_see('Mia Müller')
    await user.should_not_see(marker='write-message')


async def test_a_group_is_started_with_the_member_picker(user: User, people):
    mia, cleo = people['mia'], people['cleo']
    await signed_in(user, 'ben@essen.de')
    await user.open('/messages')
    user.find(marker='member-search').type('Mia')
    await user.should_see(marker=f'pick-{mia.id}', retries=SLOW)
    user.find(marker=f'pick-{mia.id}').click()
    user.find(marker='member-search').type('Cleo')
    await user.should_see(marker=f'pick-{cleo.id}', retries=SLOW)
    user.find(marker=f'pick-{cleo.id}').click()
    await user.should_see(marker=f'picked-{cleo.id}')
    user.find(marker='field-title').type('Dreier-Runde')
    user.find(marker='field-body').type('Hallo ihr beiden')
    user.find(marker='start-send').click()
    await eventually(lambda: db.call(dm.list_conversations, viewer=cleo)[0] != [])
    [row] = db.call(dm.list_conversations, viewer=cleo)[0]
    assert row.is_group and row.title == 'Dreier-Runde' and {o.name for o in row.others} == {'Ben Becker',
                                                                                           'Mia Müller'}


async def test_blocking_from_the_conversation_and_unblocking_on_the_list(user: User, people):
    mia, ben = people['mia'], people['ben']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Kauf was!')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/messages/{cid}')
    user.find(marker='block').click()
    await user.should_see(marker='confirm-block')
    with user.scope(marker='confirm-block'):
        user.find(marker='confirm').click()
    await eventually(lambda: db.call(dm.list_blocked, viewer=ben) != [])
    await user.should_see(marker='unblock', retries=SLOW)
    await user.open('/messages')
    await user.should_see(marker=f'blocked-{mia.id}')
    user.find(marker=f'unblock-{mia.id}').click()
    await eventually(lambda: db.call(dm.list_blocked, viewer=ben) == [])


async def test_report_a_message_and_a_moderator_removes_it(user: User, people):
    mia, ben, ada = people['mia'], people['ben'], people['ada']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Werbung für mein Produkt')
    [message] = db.call(dm.open_conversation, viewer=mia, conversation_id=cid).messages
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/messages/{cid}')
    user.find(marker=f'report-{message.id}').click()
    await user.should_see(marker='report-dialog')
    with user.scope(marker='report-dialog'):
        user.find(marker='field-reason').type('Werbung')
        user.find(marker='send-report').click()
    await eventually(lambda: len(db.call(dm.list_message_reports, actor=ada)) == 1)
    [report] = db.call(dm.list_message_reports, actor=ada)
    db.call(dm.handle_message_report, actor=ada, report_id=report.id, action='delete')
    await user.should_see('Diese Nachricht wurde von der Moderation entfernt.', retries=SLOW)  # live
    await user.should_not_see(marker='message-body')


async def test_moderators_see_reported_messages_in_the_queue(user: User, people):
    mia, ben, ada = people['mia'], people['ben'], people['ada']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Beleidigung')
    [message] = db.call(dm.open_conversation, viewer=ben, conversation_id=cid).messages
    report_id = db.call(dm.report_message, actor=ben, message_id=message.id, reason='Ton')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/moderation')
    await user.should_see('Gemeldete Nachrichten (1)')
    await user.should_see(marker=f'message-report-{report_id}')
    await user.should_see('Beleidigung')  # the excerpt, as text
    user.find(marker=f'message-delete-{report_id}').click()
    await user.should_see(marker='confirm-message-delete')
    assert db.call(dm.count_message_reports, actor=ada) == 1  # nothing happens before the confirmation
    with user.scope(marker='confirm-message-delete'):
        user.find(marker='confirm').click()
    await user.should_see('Die Nachricht wurde entfernt.', retries=SLOW)
    await eventually(lambda: db.call(dm.count_message_reports, actor=ada) == 0)
    await user.should_see('Gemeldete Nachrichten (0)', retries=SLOW)


async def test_a_member_cannot_open_the_moderation_queue(user: User, people):
    await signed_in(user, 'ben@essen.de')
    response = await user.http_client.get('/admin/moderation', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/'


async def test_older_messages_are_a_page_away(user: User, people):
    mia, ben = people['mia'], people['ben']
    cid = db.call(dm.start_conversation, actor=mia, member_ids=[ben.id], body='Nachricht 0')
    for i in range(1, 52):
        db.call(dm.send_message, actor=mia, conversation_id=cid, body=f'Nachricht {i}')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/messages/{cid}')
    assert len(user.find(marker='message-body').elements) == 50
    user.find(marker='older').click()
    await user.should_see(marker='newest', retries=SLOW)
    contents = sorted(e.content for e in user.find(marker='message-body').elements)
    assert contents == ['<p>Nachricht 0</p>', '<p>Nachricht 1</p>']
    await user.should_not_see(marker='older')
