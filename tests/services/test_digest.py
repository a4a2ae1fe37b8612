"""Daily and weekly digests: grouping, language, the schedule (JobRun: no repeat, one catch-up) and the one-click
mail settings behind the link in every mail."""

import json
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from sqlmodel import col, select

from models.mail import JobRun, OutboxMail
from models.notification import KINDS, Notification, NotificationPreference
from services import accounts, digest, outbox
from services.catalogue_en import EN
from services.errors import Invalid, NotFound
from services.local_time import to_utc
from tests.services import test_mail
from tests.services.conftest import make_user
from tests.services.test_mail import Inbox, _free_port, configure

smtp_server = test_mail.smtp_server  # the fixture: a real SMTP server (aiosmtpd) on a free port


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A Berlin wall-clock time in 2026 as aware UTC (2 March 2026 is a Monday)."""
    return to_utc(datetime(2026, month, day, hour, minute))


@pytest.fixture(autouse=True)
def _base_url(monkeypatch):
    monkeypatch.setenv('VN_BASE_URL', 'https://netz.example')


@pytest.fixture
def mail_ready(session, ada_admin):
    configure(session, ada_admin, _free_port())


def add(session, user, kind: str, channel: str, *, at: datetime, text: str = 'Neue Antwort in {title}',  # noqa: ANN001
        url: str = '/threads/1', **params) -> None:
    session.add(Notification(user_id=user.id, kind=kind, text=text, params=json.dumps(params or {'title': 'Haushalt'}),
                             url=url, email=channel, created_at=at))
    session.commit()


def mails(session, kind: str | None = None) -> list[OutboxMail]:  # noqa: ANN001
    session.expire_all()
    query = select(OutboxMail).order_by(col(OutboxMail.id))
    if kind:
        query = query.where(OutboxMail.kind == kind)
    return list(session.exec(query))


def test_slots_are_seven_in_berlin_and_mondays_for_the_weekly_digest():
    assert digest.due_slot('daily', berlin(3, 6, 59)) == berlin(2, 7)
    assert digest.due_slot('daily', berlin(3, 7)) == berlin(3, 7)
    assert digest.due_slot('weekly', berlin(8, 23)) == berlin(2, 7)  # Sunday → the Monday before
    assert digest.due_slot('weekly', berlin(9, 6)) == berlin(2, 7)  # Monday before seven
    assert digest.due_slot('weekly', berlin(9, 7, 1)) == berlin(9, 7)
    # Across the change to summer time 07:00 stays 07:00 Berlin (05:00 UTC instead of 06:00).
    assert digest.due_slot('daily', berlin(30, 8)) == datetime(2026, 3, 30, 5, 0, tzinfo=UTC)


def test_daily_digest_groups_by_kind_and_marks_the_notices(session, mail_ready, mia_member):
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9), title='Haushalt 2027')
    add(session, mia_member, 'event.changed', 'daily', at=berlin(2, 10), text='Geändert: {title}', url='/events/4',
        title='Stammtisch')
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 11), title='E-Akte')
    add(session, mia_member, 'reaction', 'weekly', at=berlin(2, 11))
    add(session, mia_member, 'mention', 'email', at=berlin(2, 11), text='Erwähnt von {who}', who='Ada')

    reports = digest.run_due_digests(session, now=berlin(3, 7, 5))

    daily = {r.channel: r for r in reports}['daily']
    assert (daily.members, daily.notices, daily.mails) == (1, 3, 1)
    [mail] = mails(session, 'digest.daily')
    assert mail.to == 'mia@kreis-wesel.de' and mail.user_id == mia_member.id
    assert mail.subject == 'Netz Ruhr: Ihre Tagesübersicht (3)'
    text = mail.text
    # Grouped: the kind's heading once, its notices beneath, in the order of KINDS (replies before events).
    assert text.count('Antworten in Themen, denen Sie folgen') == 1
    assert text.index('Haushalt 2027') < text.index('E-Akte') < text.index('Geänderte Veranstaltungen') \
        < text.index('Geändert: Stammtisch')
    assert 'https://netz.example/events/4' in text and 'https://netz.example/threads/1' in text
    assert outbox.settings_url(mia_member.id, 'https://netz.example') in text
    assert '<h3' in mail.html and 'Haushalt 2027' in mail.html
    # Immediate and weekly notices are not in the daily digest; the daily ones are done.
    remaining = digest.unmailed(session, mia_member.id)
    assert len(remaining) == 1  # the immediate one (queue_immediate's business); the weekly one ran too
    assert 'Erwähnt' not in text and 'Erwähnungen' not in text


def test_weekly_digest_in_english_with_translated_texts(session, mail_ready, mia_member, monkeypatch):
    monkeypatch.setitem(EN, 'Neue Antwort in {title}', 'New reply in {title}')
    accounts.set_language(session, actor=mia_member, language='en')
    add(session, mia_member, 'reply', 'weekly', at=berlin(3, 9), title='<b>Haushalt</b>')
    add(session, mia_member, 'event.reminder', 'weekly', at=berlin(4, 9), text='Unübersetzt {title}')
    digest.run_due_digests(session, now=berlin(9, 7, 30))
    [mail] = mails(session, 'digest.weekly')
    assert mail.subject == 'Netz Ruhr: your weekly digest (2)'
    assert 'Hello Mia Member' in mail.text and 'Replies in threads you follow' in mail.text
    assert 'New reply in <b>Haushalt</b>' in mail.text
    assert 'Unübersetzt Haushalt' in mail.text  # no English text yet: the German one rather than nothing
    assert '&lt;b&gt;Haushalt&lt;/b&gt;' in mail.html and '<b>Haushalt</b>' not in mail.html
    assert mails(session, 'digest.daily') == []


def test_a_second_run_the_same_day_does_nothing_and_the_next_day_runs(session, mail_ready, mia_member):
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9))
    assert [r.channel for r in digest.run_due_digests(session, now=berlin(3, 7, 1))] == ['daily', 'weekly']
    add(session, mia_member, 'reply', 'daily', at=berlin(3, 9))
    assert digest.run_due_digests(session, now=berlin(3, 12)) == []  # a restart at noon: nothing again
    assert len(mails(session, 'digest.daily')) == 1
    assert [r.channel for r in digest.run_due_digests(session, now=berlin(4, 7))] == ['daily']
    assert len(mails(session, 'digest.daily')) == 2
    assert session.get(JobRun, 'digest.daily').last_run_at.replace(tzinfo=UTC) == berlin(4, 7)


def test_a_missed_day_is_caught_up_once(session, mail_ready, mia_member, mo_moderator):
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9))
    digest.run_due_digests(session, now=berlin(3, 7))
    # The server was down on the 4th; on the 5th at 09:30 it runs once for what is waiting.
    add(session, mia_member, 'reply', 'daily', at=berlin(3, 10))
    add(session, mia_member, 'solution', 'daily', at=berlin(4, 10))
    add(session, mo_moderator, 'reply', 'daily', at=berlin(4, 11))
    [report] = digest.run_due_digests(session, now=berlin(5, 9, 30))
    assert (report.channel, report.members, report.notices, report.mails) == ('daily', 2, 3, 2)
    assert digest.run_due_digests(session, now=berlin(5, 10)) == []
    latest = [m for m in mails(session, 'digest.daily') if m.to == 'mia@kreis-wesel.de'][-1]
    assert latest.subject == 'Netz Ruhr: Ihre Tagesübersicht (2)'


def test_no_server_no_digest_and_the_slot_is_caught_up_later(session, ada_admin, mia_member):
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9))
    assert digest.run_due_digests(session, now=berlin(3, 7)) == []
    assert session.get(JobRun, 'digest.daily') is None and mails(session) == []
    configure(session, ada_admin, _free_port())
    assert [r.mails for r in digest.run_due_digests(session, now=berlin(3, 8))] == [1, 0]


def test_digests_skip_inactive_members_and_kinds_switched_to_the_app(session, mail_ready, mia_member,
                                                                     dora_deactivated):
    add(session, dora_deactivated, 'reply', 'daily', at=berlin(2, 9))
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9))
    session.add(NotificationPreference(user_id=mia_member.id, kind='reply', channel='app'))
    session.commit()
    [daily, _weekly] = digest.run_due_digests(session, now=berlin(3, 7))
    assert daily.notices == 2 and daily.mails == 0 and mails(session) == []
    assert digest.unmailed(session, mia_member.id) == [] and digest.unmailed(session, dora_deactivated.id) == []


def test_a_long_digest_lists_fifty_and_counts_the_rest(session, mail_ready, mia_member):
    for i in range(55):
        session.add(Notification(user_id=mia_member.id, kind='reply', text='Antwort {n}', params=json.dumps({'n': i}),
                                 email='daily', created_at=berlin(2, 9)))
    session.commit()
    digest.run_due_digests(session, now=berlin(3, 7))
    [mail] = mails(session, 'digest.daily')
    assert mail.subject.endswith('(55)') and '… und 5 weitere' in mail.text
    assert mail.text.count('\n- Antwort') == 50


def test_batches_cover_every_member_once(session, mail_ready):
    people = [make_user(session, f'Person {i}', f'person{i}@essen.de') for i in range(7)]
    for person in people:
        add(session, person, 'reply', 'daily', at=berlin(2, 9))
    report = digest.build_digest(session, 'daily', now=berlin(3, 7), batch=3)
    assert (report.batches, report.members, report.mails) == (3, 7, 7)
    assert sorted(m.to for m in mails(session)) == sorted(p.email for p in people)


def test_a_digest_goes_out_through_smtp_with_the_preferences_header(session, ada_admin, mia_member, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9))
    digest.run_due_digests(session, now=berlin(3, 7))
    assert outbox.send_due(session).sent == 1
    message = message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    assert message['List-Unsubscribe'] == f'<https://netz.example/mail-settings/{outbox.settings_token(mia_member.id)}>'
    assert 'Tagesübersicht' in str(message['Subject'])


# ---------------------------------------------------------------- the one-click settings


def test_settings_by_token_show_and_change_the_channels(session, mia_member):
    token = outbox.settings_token(mia_member.id)
    settings = digest.preferences_by_token(session, token=token)
    assert settings.name == 'Mia Member' and set(settings.channels) == set(KINDS)
    assert settings.channels['mention'] == 'email' and settings.channels['reply'] == 'daily'
    assert digest.set_preference_by_token(session, token=token, kind='reply', channel='weekly').channels['reply'] \
        == 'weekly'
    off = digest.email_off_by_token(session, token=token)
    assert not off.any_email
    assert set(off.channels.values()) == {'app'}
    assert session.get(NotificationPreference, (mia_member.id, 'reply')).channel == 'app'


def test_settings_refuse_nonsense_and_wrong_tokens(session, mia_member, mo_moderator):
    token = outbox.settings_token(mia_member.id)
    with pytest.raises(Invalid):
        digest.set_preference_by_token(session, token=token, kind='reply', channel='fax')
    with pytest.raises(Invalid):
        digest.set_preference_by_token(session, token=token, kind='gossip', channel='app')
    forged = f'{mo_moderator.id}-{token.split("-", 1)[1]}'
    for bad in (forged, '', 'kaputt', token + '0'):
        with pytest.raises(NotFound):
            digest.preferences_by_token(session, token=bad)
        with pytest.raises(NotFound):
            digest.set_preference_by_token(session, token=bad, kind='reply', channel='off')
    assert session.get(NotificationPreference, (mo_moderator.id, 'reply')) is None


def test_notices_that_waited_too_long_stay_in_the_app(session, ada_admin, mia_member):
    # Notices from before a mail server existed: last month's reply is not mailed, yesterday's is.
    add(session, mia_member, 'reply', 'daily', at=berlin(1, 9, month=2), title='Alt')
    add(session, mia_member, 'reply', 'daily', at=berlin(2, 9), title='Neu')
    add(session, mia_member, 'mention', 'email', at=berlin(1, 9, month=2), text='Erwähnt von {who}', who='Alt')
    configure(session, ada_admin, _free_port())

    assert digest.queue_immediate(session, now=berlin(3, 7, 5)) == 0
    digest.run_due_digests(session, now=berlin(3, 7, 5))

    [mail] = mails(session, 'digest.daily')
    assert 'Neu' in mail.text and 'Alt' not in mail.text
    assert mails(session, 'notification') == []
    assert digest.unmailed(session, mia_member.id) == []  # marked, so never mailed later either
