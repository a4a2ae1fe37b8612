"""Who gets which notice, in which channel; preferences; the notification centre's list and read marks."""

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models.board import WatchLevel
from models.notification import CHANNELS, DEFAULT_CHANNELS, KINDS, Notification
from models.user import Status
from services import accounts, boards, bus, events, moderation, notifications, posts, reading
from services.errors import Invalid, NotAllowed
from tests.services.conftest import make_user
from tests.services.events.conftest import event_data


@pytest.fixture(autouse=True)
def fresh_objects(session: Session) -> None:
    """One session serves a whole test: what a commit wrote is read back as a new session would."""
    session.expire_on_commit = True


@pytest.fixture
def olaf(session):
    return make_user(session, 'Olaf Other', 'olaf@essen.de')


@pytest.fixture
def kim(session):
    return make_user(session, 'Kim Klein', 'kim@dortmund.de')


@pytest.fixture
def board_id(session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Allgemeines').id


@pytest.fixture
def announced():
    """Every 'notifications.new' publication's user ids."""
    seen: list[list[int]] = []
    bus.subscribe('notifications.new', lambda e: seen.append(list(e.data['user_ids'])))
    return seen


def notices(session: Session, user_id: int | None = None, kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(session.execute(query).scalars())


def who(session: Session, kind: str) -> set[int]:
    return {n.user_id for n in notices(session, kind=kind)}


def mention(member) -> str:  # noqa: ANN001
    return f'[@{member.name}](/members/{member.id})'


def watch(session: Session, member, thread_id: int, level: str = WatchLevel.WATCHING) -> None:  # noqa: ANN001
    reading.set_thread_watch(session, actor=member, thread_id=thread_id, level=level)


# ---------------------------------------------------------------- preferences


def test_preferences_default_to_the_defaults_and_keep_a_choice(session, mia_member):
    assert notifications.get_preferences(session, actor=mia_member) == DEFAULT_CHANNELS
    assert DEFAULT_CHANNELS['mention'] == 'email' and DEFAULT_CHANNELS['reply'] == 'daily'
    notifications.set_preference(session, actor=mia_member, kind='reply', channel='weekly')
    notifications.set_preference(session, actor=mia_member, kind='reply', channel='off')
    notifications.set_preference(session, actor=mia_member, kind='mention', channel='app')
    chosen = notifications.get_preferences(session, actor=mia_member)
    assert chosen == DEFAULT_CHANNELS | {'reply': 'off', 'mention': 'app'}
    assert set(chosen) == set(KINDS) and set(chosen.values()) <= set(CHANNELS)


@pytest.mark.parametrize(('kind', 'channel', 'field'), [
    ('nonsense', 'app', 'kind'), ('', 'app', 'kind'), ('reply', 'sms', 'reply'), ('reply', '', 'reply')])
def test_an_unknown_kind_or_channel_is_refused(session, mia_member, kind, channel, field):
    with pytest.raises(Invalid) as caught:
        notifications.set_preference(session, actor=mia_member, kind=kind, channel=channel)
    assert caught.value.field == field
    assert notifications.get_preferences(session, actor=mia_member) == DEFAULT_CHANNELS


def test_only_active_members_have_preferences(session, pia_pending, dora_deactivated):
    for member in (pia_pending, dora_deactivated):
        with pytest.raises(NotAllowed):
            notifications.get_preferences(session, actor=member)
        with pytest.raises(NotAllowed):
            notifications.set_preference(session, actor=member, kind='reply', channel='off')


# ---------------------------------------------------------------- notify itself


def test_notify_skips_the_actor_inactive_members_and_those_who_switched_it_off(
        session, ada_admin, mia_member, olaf, kim, pia_pending, dora_deactivated):
    gone = make_user(session, 'Gina Gone', 'gina@essen.de', status=Status.DELETED)
    notifications.set_preference(session, actor=kim, kind='reply', channel='off')
    told = notifications.notify(session, [ada_admin.id, mia_member.id, mia_member.id, olaf.id, kim.id,
                                          pia_pending.id, dora_deactivated.id, gone.id],
                                kind='reply', text='{name} hat geantwortet.', url='/threads/1', group_key='thread:1',
                                actor_id=ada_admin.id, name='Ada')
    session.commit()
    assert told == sorted([mia_member.id, olaf.id])
    rows = notices(session)
    assert sorted(r.user_id for r in rows) == told  # once each, though Mia was named twice
    assert {(r.kind, r.group_key, r.actor_id, r.url, r.params) for r in rows} == {
        ('reply', 'thread:1', ada_admin.id, '/threads/1', '{"name": "Ada"}')}


def test_the_email_column_follows_each_members_channel(session, mia_member, olaf, kim, ada_admin):
    notifications.set_preference(session, actor=mia_member, kind='solution', channel='app')
    notifications.set_preference(session, actor=olaf, kind='solution', channel='email')
    notifications.set_preference(session, actor=kim, kind='solution', channel='weekly')
    notifications.notify(session, [mia_member.id, olaf.id, kim.id, ada_admin.id], kind='solution', text='x')
    session.commit()
    assert {r.user_id: r.email for r in notices(session)} == {
        mia_member.id: '', olaf.id: 'email', kim.id: 'weekly', ada_admin.id: DEFAULT_CHANNELS['solution']}
    assert all(r.emailed_at is None for r in notices(session))


def test_an_unknown_kind_is_a_programming_error(session, mia_member):
    with pytest.raises(ValueError, match='unknown notification kind'):
        notifications.notify(session, [mia_member.id], kind='nonsense', text='x')


# ---------------------------------------------------------------- boards


def test_a_reply_tells_watchers_and_the_thread_author_but_not_the_replier(
        session, board_id, mia_member, olaf, kim, ada_admin, announced):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    watch(session, olaf, thread_id)
    watch(session, kim, thread_id, WatchLevel.NORMAL)  # read it, does not watch
    view = posts.reply(session, actor=ada_admin, thread_id=thread_id, body='Antwort')
    assert who(session, 'reply') == {mia_member.id, olaf.id}
    row = notices(session, olaf.id)[0]
    assert row.group_key == f'thread:{thread_id}' and row.actor_id == ada_admin.id
    assert row.url == f'/threads/{thread_id}?page=1#post-{view.number}'
    assert row.text == posts.MSG_NOTICE_REPLY and 'Ada Admin' in row.params and 'E-Akte?' in row.params
    assert sorted(announced[-1]) == sorted([mia_member.id, olaf.id])
    # The one who replied watches now: the next reply tells Ada, never Olaf about his own.
    posts.reply(session, actor=olaf, thread_id=thread_id, body='Danke')
    assert len(notices(session, ada_admin.id, 'reply')) == 1
    assert len(notices(session, olaf.id, 'reply')) == 1


def test_a_muted_author_an_inactive_watcher_and_switched_off_replies_are_not_told(
        session, board_id, mia_member, olaf, kim, ada_admin):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    watch(session, mia_member, thread_id, WatchLevel.MUTED)
    watch(session, olaf, thread_id)
    watch(session, kim, thread_id)
    notifications.set_preference(session, actor=kim, kind='reply', channel='off')
    accounts.deactivate_user(session, actor=ada_admin, user_id=olaf.id)
    posts.reply(session, actor=ada_admin, thread_id=thread_id, body='Antwort')
    assert notices(session) == []


def test_a_member_both_mentioned_and_watching_gets_only_the_mention(session, board_id, mia_member, olaf, kim,
                                                                   ada_admin):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    watch(session, olaf, thread_id)
    posts.reply(session, actor=ada_admin, thread_id=thread_id,
                body=f'{mention(olaf)} und {mention(kim)}, was meinen Sie?')
    assert [(n.user_id, n.kind) for n in notices(session) if n.user_id == olaf.id] == [(olaf.id, 'mention')]
    assert who(session, 'mention') == {olaf.id, kim.id}
    assert who(session, 'reply') == {mia_member.id}
    assert notices(session, kim.id)[0].text == posts.MSG_NOTICE_MENTION


def test_a_watcher_who_switched_mentions_off_still_gets_the_reply(session, board_id, mia_member, olaf, ada_admin):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    watch(session, olaf, thread_id)
    notifications.set_preference(session, actor=olaf, kind='mention', channel='off')
    posts.reply(session, actor=ada_admin, thread_id=thread_id, body=f'{mention(olaf)}?')
    assert [n.kind for n in notices(session, olaf.id)] == ['reply']


def test_mentions_in_a_new_thread_and_in_an_edit_tell_each_member_once(session, board_id, mia_member, olaf, kim,
                                                                     announced):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?',
                                     body=f'Frage an {mention(olaf)} und mich {mention(mia_member)}')
    assert who(session, 'mention') == {olaf.id}
    assert announced[-1] == [olaf.id]
    post_id = session.execute(select(posts.Post.id).where(posts.Post.thread_id == thread_id)).scalar_one()
    posts.edit_post(session, actor=mia_member, post_id=post_id, body=f'Frage an {mention(olaf)} und {mention(kim)}')
    assert sorted(n.user_id for n in notices(session, kind='mention')) == sorted([olaf.id, kim.id])


def test_no_notice_about_a_hidden_post(session, board_id, mia_member, olaf, kim, mo_moderator):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    view = posts.reply(session, actor=olaf, thread_id=thread_id, body='Werbung')
    report_id = moderation.report_post(session, actor=mia_member, post_id=view.id, reason='Werbung')
    moderation.handle_report(session, actor=mo_moderator, report_id=report_id, action='hide')
    session.execute(Notification.__table__.delete())
    session.commit()
    posts.edit_post(session, actor=olaf, post_id=view.id, body=f'Werbung für {mention(kim)}')
    assert notices(session, kim.id) == []
    posts.toggle_reaction(session, actor=kim, post_id=view.id, kind='thanks')
    assert notices(session) == []


def test_a_reaction_tells_the_author_once_per_member_and_post(session, board_id, mia_member, olaf, kim):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    view = posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort')
    session.execute(Notification.__table__.delete())
    session.commit()
    posts.toggle_reaction(session, actor=mia_member, post_id=view.id, kind='thanks')
    posts.toggle_reaction(session, actor=mia_member, post_id=view.id, kind='thanks')  # taken back
    posts.toggle_reaction(session, actor=mia_member, post_id=view.id, kind='thanks')  # and given again
    posts.toggle_reaction(session, actor=mia_member, post_id=view.id, kind='helpful')
    posts.toggle_reaction(session, actor=kim, post_id=view.id, kind='helpful')
    rows = notices(session)
    assert [(r.user_id, r.kind, r.actor_id) for r in rows] == [(olaf.id, 'reaction', mia_member.id),
                                                              (olaf.id, 'reaction', kim.id)]
    assert rows[0].group_key == f'thread:{thread_id}'


def test_a_solution_tells_the_replys_author_once(session, board_id, mia_member, olaf, mo_moderator):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    answer = posts.reply(session, actor=olaf, thread_id=thread_id, body='Antwort')
    own = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Selbst gefunden')
    session.execute(Notification.__table__.delete())
    session.commit()
    posts.mark_solution(session, actor=mia_member, post_id=answer.id)
    posts.mark_solution(session, actor=mo_moderator, post_id=answer.id)  # already the solution: nothing new
    posts.mark_solution(session, actor=mia_member, post_id=own.id)  # her own reply: she is not told
    assert [(r.user_id, r.kind, r.actor_id, r.text) for r in notices(session)] == [
        (olaf.id, 'solution', mia_member.id, posts.MSG_NOTICE_SOLUTION)]


def test_a_handled_report_tells_the_reporters_grouped_by_thread(session, board_id, mia_member, olaf, kim,
                                                                mo_moderator):
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='E-Akte?', body='Frage')
    view = posts.reply(session, actor=olaf, thread_id=thread_id, body='Werbung')
    report_id = moderation.report_post(session, actor=mia_member, post_id=view.id, reason='Werbung')
    moderation.report_post(session, actor=kim, post_id=view.id, reason='Spam')
    session.execute(Notification.__table__.delete())
    session.commit()
    moderation.handle_report(session, actor=mo_moderator, report_id=report_id, action='hide')
    rows = notices(session, kind='moderation.report')
    assert sorted(r.user_id for r in rows) == sorted([mia_member.id, kim.id])
    assert {(r.group_key, r.actor_id) for r in rows} == {(f'thread:{thread_id}', mo_moderator.id)}


# ---------------------------------------------------------------- accounts and events


def test_an_approved_registration_is_told_to_the_member(session, ada_admin, pia_pending, announced):
    accounts.approve_user(session, actor=ada_admin, user_id=pia_pending.id)
    rows = notices(session)
    assert [(r.user_id, r.kind, r.actor_id, r.text) for r in rows] == [
        (pia_pending.id, 'account.approved', ada_admin.id, accounts.MSG_APPROVED_NOTICE)]
    assert announced[-1] == [pia_pending.id]


def test_event_notices_are_grouped_by_event_and_skip_the_editor(session, mia_member, olaf, kim):
    from services import attendance

    event_id = events.create_event(session, actor=mia_member, data=event_data(capacity=1))
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes')  # waitlist
    attendance.rsvp(session, actor=mia_member, event_id=event_id, answer='maybe')
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='no')  # Kim moves up
    assert [(r.user_id, r.kind) for r in notices(session)] == [(kim.id, 'event.promoted')]
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    rows = notices(session, kind='event.cancelled')
    assert {r.user_id for r in rows} == {kim.id}  # Mia cancelled it; Olaf said no
    assert {(r.group_key, r.actor_id) for r in rows} == {(f'event:{event_id}', mia_member.id)}
    assert all(r.group_key == f'event:{event_id}' for r in notices(session))


# ---------------------------------------------------------------- the notification centre


def _seed(session: Session, member, *, threads: int, per_thread: int, loose: int = 0) -> None:  # noqa: ANN001
    for t in range(threads):
        for i in range(per_thread):
            notifications.notify(session, [member.id], kind='reply', text='{n}', url=f'/threads/{t}',
                                 group_key=f'thread:{t}', n=f'{t}-{i}')
    for i in range(loose):
        notifications.notify(session, [member.id], kind='account.approved', text='{n}', n=f'loose-{i}')
    session.commit()


def test_the_list_groups_by_subject_newest_first_with_a_count_of_more(session, mia_member, olaf):
    _seed(session, mia_member, threads=2, per_thread=5, loose=2)
    _seed(session, olaf, threads=1, per_thread=1)
    notifications.notify(session, [mia_member.id], kind='reply', text='{n}', group_key='thread:0', n='0-latest')
    session.commit()
    data = notifications.list_notices(session, viewer=mia_member)
    assert [g.key.split(':')[0] for g in data.groups] == ['thread', 'notice', 'notice', 'thread']
    first = data.groups[0]
    assert first.key == 'thread:0' and first.total == 6 and first.unread == 6
    assert [n.params['n'] for n in first.notices] == ['0-latest', '0-4', '0-3']
    assert first.more == 3
    assert [n.params['n'] for g in data.groups[1:3] for n in g.notices] == ['loose-1', 'loose-0']
    assert data.groups[3].key == 'thread:1' and data.groups[3].total == 5
    assert data.unread == 13 and (data.page, data.pages) == (1, 1)


def test_the_list_is_paged_by_groups(session, mia_member):
    _seed(session, mia_member, threads=0, per_thread=0, loose=7)
    page2 = notifications.list_notices(session, viewer=mia_member, page=2, page_size=3)
    assert (page2.page, page2.pages) == (2, 3)
    assert [g.notices[0].params['n'] for g in page2.groups] == ['loose-3', 'loose-2', 'loose-1']
    last = notifications.list_notices(session, viewer=mia_member, page=99, page_size=3)
    assert last.page == 3 and [g.notices[0].params['n'] for g in last.groups] == ['loose-0']


def test_opening_a_notice_marks_it_read_and_gives_its_place(session, mia_member, olaf):
    reads: list[list[int]] = []
    bus.subscribe('notifications.read', lambda e: reads.append(e.data['user_ids']))
    notifications.notify(session, [mia_member.id, olaf.id], kind='reply', text='x', url='/threads/4#post-2')
    notifications.notify(session, [mia_member.id], kind='reply', text='x', url='https://evil.example/')
    session.commit()
    mine, others, evil = notices(session, mia_member.id)[0], notices(session, olaf.id)[0], notices(session)[-1]
    assert notifications.open_notice(session, actor=olaf, notice_id=mine.id) == ''  # not his: nothing changes
    assert notifications.unread_counts(session, [mia_member.id, olaf.id]) == {mia_member.id: 2, olaf.id: 1}
    assert notifications.open_notice(session, actor=mia_member, notice_id=mine.id) == '/threads/4#post-2'
    assert reads == [[mia_member.id]]
    assert notifications.open_notice(session, actor=mia_member, notice_id=evil.id) == ''  # read, but no off-site
    assert notifications.unread_count(session, viewer=mia_member) == 0
    assert notifications.unread_count(session, viewer=olaf) == 1 and others.read_at is None


def test_mark_all_read_touches_only_my_notices(session, mia_member, olaf):
    _seed(session, mia_member, threads=1, per_thread=3)
    _seed(session, olaf, threads=1, per_thread=2)
    assert notifications.mark_read(session, actor=mia_member) == 3
    assert notifications.unread_counts(session, [mia_member.id, olaf.id, 999]) == {mia_member.id: 0, olaf.id: 2,
                                                                                  999: 0}
    assert all(n.read for g in notifications.list_notices(session, viewer=mia_member).groups for n in g.notices)
    with pytest.raises(NotAllowed):
        notifications.list_notices(session, viewer=make_user(session, 'Dora', 'dora2@x.de',
                                                             status=Status.DEACTIVATED))


def test_a_reminder_is_grouped_by_its_event(session, mia_member, olaf):
    from datetime import UTC, datetime

    from services import attendance

    event_id = events.create_event(session, actor=mia_member, data=event_data())
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    assert attendance.send_due_reminders(session, now=datetime(2027, 3, 9, 20, tzinfo=UTC)) == 1
    assert [(r.user_id, r.kind, r.group_key) for r in notices(session)] == [
        (olaf.id, 'event.reminder', f'event:{event_id}')]


def test_defaults_mail_mentions_messages_and_approvals_at_once_and_the_rest_daily():
    from models.notification import DEFAULT_CHANNELS, KINDS

    assert {k for k in KINDS if DEFAULT_CHANNELS[k] == 'email'} == {'mention', 'message', 'account.approved'}
    assert {DEFAULT_CHANNELS[k] for k in KINDS} == {'email', 'daily'}
