"""The bell (count, live), the notification centre (/notifications) and the preferences on /account."""

import asyncio
import re

import pytest
from nicegui.testing import User

from models.board import WatchLevel
from models.user import Role
from services import accounts, boards, db, events, notifications, posts, reading
from tests.ui.conftest import add_user, main_nav, nav_link, sign_in, signed_in, wait_for
from ui import layout


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


@pytest.fixture
def mia(ada) -> accounts.CurrentUser:
    return add_user('Mia Mitglied', 'mia@luenen.de')


def bell_of(user: User):  # noqa: ANN201
    """The bell of the user's open page, as registered for live updates."""
    return next(bell for pages in layout._bells.values()  # noqa: SLF001
                for client_id, bell in pages.items() if client_id == user.client.id)


def bell_label(user: User) -> str:
    return user.find(marker='bell').elements.pop().props['aria-label']


def bell_count(user: User) -> str | None:
    """The number beside the bell's icon (hidden from screen readers, which hear the label), None when none."""
    found = re.search(r'<span class="vn-count[^"]*" aria-hidden="true">([^<]*)</span>',
                      user.find(marker='bell').elements.pop().content)
    return found.group(1) if found else None


def tell(member: accounts.CurrentUser, n: int = 1, group: str = 'thread:1', text: str = 'Hinweis {i}') -> None:
    with db.session() as session:
        told = []
        for i in range(n):
            told += notifications.notify(session, [member.id], kind='reply', text=text, url='/members',
                                         group_key=group, i=i)
        session.commit()
    notifications.announce(told)


async def test_the_bell_shows_the_unread_count_and_leads_to_the_centre(user: User, ada, mia):
    tell(mia, 3)
    await signed_in(user, 'mia@luenen.de')
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen: 3 ungelesen')
    assert bell_count(user) == '3'
    bell = user.find(marker='bell').elements.pop()
    assert bell.props['tag'] == 'a' and bell.props['href'] == '/notifications'  # a link: opens in a new tab too
    await user.open(bell.props['href'])
    await user.should_see('3 ungelesen')  # the heading of /notifications' status line
    assert user.find(marker='notices-unread').elements.pop().text == '3 ungelesen'


async def test_no_unread_notices_show_no_count(user: User, ada, mia):
    await signed_in(user, 'mia@luenen.de')
    assert bell_label(user) == 'Benachrichtigungen'
    assert bell_count(user) is None


async def test_the_bell_counts_up_live_when_a_reply_arrives_for_that_member_only(user: User, create_user, ada, mia):
    with db.session() as session:
        board_id = boards.create_board(session, actor=ada, name='Allgemeines').id
    thread_id = db.call(boards.create_thread, actor=mia, board_id=board_id, title='E-Akte?', body='Frage')
    await signed_in(user, 'mia@luenen.de')
    admin_page = create_user()
    await signed_in(admin_page, 'ada@essen.de')
    assert bell_label(user) == 'Benachrichtigungen' and bell_label(admin_page) == 'Benachrichtigungen'
    page = user.client
    db.call(posts.reply, actor=ada, thread_id=thread_id, body='Antwort')
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen: 1 ungelesen')
    assert user.client is page  # no reload
    assert bell_count(user) == '1'
    assert bell_label(admin_page) == 'Benachrichtigungen'  # the one who wrote is not told
    db.call(reading.set_thread_watch, actor=ada, thread_id=thread_id, level=WatchLevel.WATCHING)
    db.call(posts.reply, actor=mia, thread_id=thread_id, body='Danke')
    await wait_for(lambda: bell_label(admin_page) == 'Benachrichtigungen: 1 ungelesen')
    assert bell_label(user) == 'Benachrichtigungen: 1 ungelesen'
    # Reading them elsewhere (another tab) empties the bell here too.
    db.call(notifications.mark_read, actor=mia)
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen')
    assert bell_count(user) is None


async def test_the_centre_groups_notices_and_marks_them_read(user: User, ada, mia):
    tell(mia, 5, group='thread:7', text='Antwort {i} im Thema')
    tell(mia, 1, group='', text='Einzelner Hinweis {i}')
    await signed_in(user, 'mia@luenen.de')
    await user.open('/notifications')
    await user.should_see('6 ungelesen')
    groups = user.find(marker='notice-group').elements
    assert len(groups) == 2
    await user.should_see('Einzelner Hinweis 0')
    await user.should_see('Antwort 4 im Thema')
    await user.should_see('Antwort 2 im Thema')
    await user.should_not_see('Antwort 1 im Thema')  # older ones of the group are counted, not shown
    await user.should_see('und 2 ältere dazu')
    links = {e.text: e.props['href'] for e in user.find(marker='notice-unread').elements}
    assert len(links) == 4 and all(href.startswith('/notifications/') for href in links.values())
    # Opening one marks it read and leads to its place.
    await user.open(links['Antwort 4 im Thema'])
    await user.should_see('Mitglieder')
    assert db.call(notifications.unread_count, viewer=mia) == 5
    await user.open('/notifications')
    await user.should_see('5 ungelesen')
    assert [e.text for e in user.find(marker='notice-read').elements] == ['Antwort 4 im Thema']
    user.find(marker='notices-read-all').click()
    await user.should_see('Alles gelesen.')
    assert db.call(notifications.unread_count, viewer=mia) == 0
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen')
    await user.should_not_see(marker='notice-unread')


async def test_someone_elses_notice_id_changes_nothing(user: User, ada, mia):
    tell(ada, 1, text='Für Ada {i}')
    ada_notice = db.call(notifications.unread, viewer=ada)[0]
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/notifications/{ada_notice.id}')
    await user.should_see('Noch keine Benachrichtigungen')
    await user.open('/notifications/99999999999999999999999')
    await user.should_see('Noch keine Benachrichtigungen')
    assert db.call(notifications.unread_count, viewer=ada) == 1


async def test_the_centre_is_paginated(user: User, ada, mia):
    for i in range(notifications.PAGE_SIZE + 2):
        tell(mia, 1, group=f'thread:{i}', text=f'Thema {i:02d} {{i}}')
    await signed_in(user, 'mia@luenen.de')
    await user.open('/notifications')
    assert len(user.find(marker='notice-group').elements) == notifications.PAGE_SIZE
    await user.should_see(f'Thema {notifications.PAGE_SIZE + 1:02d} 0')
    await user.should_not_see('Thema 00 0')
    await user.open('/notifications?page=2')
    await user.should_see('Thema 00 0')
    assert len(user.find(marker='notice-group').elements) == 2


async def test_preferences_on_the_account_page_are_saved_per_change(user: User, ada, mia):
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    await user.should_see('Benachrichtigungen')
    await user.should_see('Erwähnungen (@Name)')
    select = user.find(marker='pref-mention').elements.pop()
    assert select.value == 'email' and select.props['aria-label'] == 'Erwähnungen (@Name)'
    assert user.find(marker='pref-reply').elements.pop().value == 'daily'
    select.value = 'off'
    await user.should_see('Gespeichert: Erwähnungen (@Name) – Aus.')
    assert db.call(notifications.get_preferences, actor=mia)['mention'] == 'off'
    await user.open('/account')
    assert user.find(marker='pref-mention').elements.pop().value == 'off'


async def test_the_start_page_links_to_the_centre(user: User, ada, mia):
    tell(mia, 1, text='Hallo {i}')
    await signed_in(user, 'mia@luenen.de')
    head = user.find(marker='notices-head').elements.pop().content
    assert '<a href="/notifications" class="nicegui-link">Alle Benachrichtigungen</a>' in head


def _message_from(session, sender, recipient) -> None:  # noqa: ANN001
    """A conversation of two with one message from `sender` (not yet seen by `recipient`)."""
    from models.message import Conversation, ConversationMember, Message

    conversation = Conversation(created_by=sender.id)
    session.add(conversation)
    session.flush()
    session.add(ConversationMember(conversation_id=conversation.id, user_id=sender.id))
    session.add(ConversationMember(conversation_id=conversation.id, user_id=recipient.id))
    session.add(Message(conversation_id=conversation.id, author_id=sender.id, body='Hallo', body_html='Hallo'))


async def test_the_messages_badge_counts_up_live(user: User, ada, mia):
    from services import bus

    await signed_in(user, 'mia@luenen.de')
    assert nav_link('/messages') + '">Nachrichten</a>' in main_nav(user)  # no count, no badge
    with db.session() as session:
        _message_from(session, ada, mia)
        session.commit()
    bus.publish('messages.new', user_ids=[ada.id, mia.id])
    await wait_for(lambda: 'aria-label="Nachrichten: 1 ungelesen"' in main_nav(user))
    assert '<span class="vn-count" aria-hidden="true">1</span>' in main_nav(user)


async def test_live_counts_speak_the_page_s_language_not_the_sender_s(user: User, ada, mia):
    """The count arrives through the bus, in whatever request sent the message (here none: the network's default,
    German); an English member's navigation and bell stay English."""
    from services import bus

    db.call(accounts.set_language, actor=mia, language='en')
    await sign_in(user, 'mia@luenen.de')
    await user.should_see('Welcome')
    with db.session() as session:
        _message_from(session, ada, mia)
        notifications.notify(session, [mia.id], kind='event.changed', text=events.MSG_CHANGED, url='/events/1',
                             title='Fachtag')
        session.commit()
    bus.publish('messages.new', user_ids=[ada.id, mia.id])
    notifications.announce([mia.id])
    await wait_for(lambda: 'aria-label="Messages: 1 unread"' in main_nav(user))
    await wait_for(lambda: bell_label(user) == 'Notifications: 1 unread')


async def test_the_first_counts_come_after_the_page_and_never_undo_a_live_update(user: User, ada, mia, monkeypatch):
    """The frame reads the counts in a worker thread after building the page. When a notice arrives while that read
    is still on its way, the read's older answer must not replace the live count."""
    import threading

    read_started, release = threading.Event(), threading.Event()

    def slow_unread(session, member, with_messages):  # noqa: ANN001, ANN202
        read_started.set()
        release.wait(5)
        return 0, 0  # what the database said before the notice below

    await signed_in(user, 'mia@luenen.de')
    monkeypatch.setattr(layout, '_unread', slow_unread)
    await user.open('/members')
    await wait_for(read_started.is_set)
    tell(mia, 1)  # the live update: the bell shows 1
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen: 1 ungelesen')
    release.set()
    await wait_for(lambda: bell_count(user) == '1')
    await asyncio.sleep(0.3)  # the first counts have arrived meanwhile and were left unused
    assert bell_label(user) == 'Benachrichtigungen: 1 ungelesen'


async def test_an_older_recount_that_answers_last_does_not_replace_a_newer_count(user: User, ada, mia, monkeypatch):
    """Live recounts run in worker threads and may finish out of order: the bell shows the count of the read that
    started last."""
    import threading

    await signed_in(user, 'mia@luenen.de')
    await wait_for(lambda: bell_of(user).notices_read > 0)  # the page's first counts have arrived
    real, calls = notifications.unread_counts, []
    answered_late, release = threading.Event(), threading.Event()

    def first_one_slow(session, user_ids):  # noqa: ANN001, ANN202
        calls.append(user_ids)
        counts = real(session, user_ids)
        if len(calls) == 1:  # read now, answered after the next recount
            answered_late.set()
            release.wait(5)
        return counts

    monkeypatch.setattr(notifications, 'unread_counts', first_one_slow)
    tell(mia, 1, group='thread:1')
    await wait_for(answered_late.is_set)
    tell(mia, 1, group='thread:2')
    await wait_for(lambda: bell_label(user) == 'Benachrichtigungen: 2 ungelesen')
    release.set()
    await asyncio.sleep(0.5)  # the older answer (1) has arrived meanwhile and was left unused
    assert len(calls) == 2
    assert bell_label(user) == 'Benachrichtigungen: 2 ungelesen'
