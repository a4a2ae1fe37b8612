"""The outbox and its worker against a real SMTP conversation (aiosmtpd on 127.0.0.1): immediate mails, retries with
back-off, a hanging server, a crashed worker, no server at all."""

import json
import socket
import time
from datetime import timedelta
from email import message_from_bytes as _parse
from email import policy
from email.header import decode_header, make_header

import pytest
from sqlmodel import col, select

from models.audit import AuditEntry
from models.base import utcnow
from models.mail import OutboxMail
from models.notification import Notification
from services import accounts, digest, mail, outbox
from services.local_time import aware
from tests.services import test_mail
from tests.services.test_mail import Inbox, _free_port, configure

smtp_server = test_mail.smtp_server  # the fixture: a real SMTP server (aiosmtpd) on a free port

T0 = (utcnow() + timedelta(hours=1)).replace(microsecond=0)  # after the mails' creation


@pytest.fixture(autouse=True)
def _base_url(monkeypatch):
    monkeypatch.setenv('VN_BASE_URL', 'https://netz.example/')


def _subject(message) -> str:  # noqa: ANN001
    return str(make_header(decode_header(message['Subject'])))


def _parts(message) -> dict[str, str]:  # noqa: ANN001
    return {part.get_content_type(): part.get_content() for part in message.walk()
            if part.get_content_type() in ('text/plain', 'text/html')}


def _rows(session) -> list[OutboxMail]:  # noqa: ANN001
    session.expire_all()
    return list(session.exec(select(OutboxMail).order_by(col(OutboxMail.id))))


def _failed_audit(session) -> list[AuditEntry]:  # noqa: ANN001
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == 'mail.failed')))


def _queue(session, to: str = 'mia@kreis-wesel.de', subject: str = 'Hallo', user_id: int | None = None) -> int:  # noqa: ANN001
    row = outbox.enqueue(session, to=to, subject=subject, text='Text', html='<p>Text</p>', user_id=user_id,
                         kind='notification')
    session.commit()
    assert row.id is not None
    return row.id


def test_nothing_is_sent_without_a_server_and_everything_once_one_is_set_up(session, ada_admin, smtp_server):
    _queue(session)
    report = outbox.send_due(session)
    assert report.claimed == 0
    [row] = _rows(session)
    assert (row.status, row.attempts) == ('pending', 0)

    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    assert outbox.send_due(session).sent == 1
    assert outbox.send_due(session).claimed == 0  # and never again
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ['mia@kreis-wesel.de']
    [row] = _rows(session)
    assert row.status == 'sent' and row.sent_at is not None and row.attempts == 1


def test_a_notice_by_email_becomes_one_mail_in_the_members_language(session, ada_admin, mia_member, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    accounts.set_language(session, actor=mia_member, language='en')
    session.add(Notification(user_id=mia_member.id, kind='message', text='Neue Nachricht von {name}',
                             params=json.dumps({'name': 'Ada <Admin>'}), url='/messages/7', email='email'))
    session.add(Notification(user_id=mia_member.id, kind='reply', text='x', url='/threads/1', email='daily'))
    session.commit()

    assert digest.queue_immediate(session) == 1
    assert digest.queue_immediate(session) == 0  # marked in the same transaction: never queued twice
    assert outbox.send_due(session).sent == 1

    [envelope] = inbox.envelopes
    message = _parse(envelope.content, policy=policy.default)
    assert _subject(message) == 'Netz Ruhr: Direct messages'
    parts = _parts(message)
    assert 'Hello Mia Member' in parts['text/plain']
    assert 'https://netz.example/messages/7' in parts['text/plain']
    assert 'Ada &lt;Admin&gt;' in parts['text/html'] and 'Ada <Admin>' not in parts['text/html']
    prefs = f'https://netz.example/mail-settings/{outbox.settings_token(mia_member.id)}'
    assert prefs in parts['text/plain']
    assert message['List-Unsubscribe'] == f'<{prefs}>'
    # On the wire too, not as an encoded word (mail programs read the address from the raw header).
    assert f'List-Unsubscribe: <{prefs}>'.encode() in envelope.content
    [row] = _rows(session)
    assert message['Message-ID'] == f'<vn-outbox-{row.id}@essen.de>'
    assert row.user_id == mia_member.id and row.kind == 'notification'
    # The digest notice is left for the digest.
    assert len(digest.unmailed(session, mia_member.id)) == 1


def test_several_immediate_notices_share_one_mail_per_member(session, ada_admin, mia_member, mo_moderator):
    configure(session, ada_admin, _free_port())
    for user in (mia_member, mia_member, mo_moderator):
        session.add(Notification(user_id=user.id, kind='mention', text='Erwähnt', url='/threads/2', email='email'))
    session.commit()
    assert digest.queue_immediate(session) == 2
    mails = {m.to: m for m in _rows(session)}
    assert mails['mia@kreis-wesel.de'].subject == 'Netz Ruhr: 2 neue Benachrichtigungen'
    assert mails['mo@luenen.de'].subject == 'Netz Ruhr: Erwähnungen'


def test_a_kind_switched_off_since_is_not_mailed(session, ada_admin, mia_member):
    configure(session, ada_admin, _free_port())
    session.add(Notification(user_id=mia_member.id, kind='mention', text='Erwähnt', email='email'))
    session.commit()
    digest.email_off_by_token(session, token=outbox.settings_token(mia_member.id))
    assert digest.queue_immediate(session) == 0
    assert _rows(session) == [] and digest.unmailed(session, mia_member.id) == []


def test_a_refusing_server_is_retried_with_back_off_then_failed_with_one_audit_entry(session, ada_admin,
                                                                                    smtp_server):
    configure(session, ada_admin, smtp_server(Inbox(refuse='451 Try again later')), smtp_password='Geheim-123')
    mail_id = _queue(session, subject='Tagesübersicht')
    now = T0
    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert outbox.send_due(session, now=now).retried == 1
        [row] = _rows(session)
        assert (row.status, row.attempts) == ('pending', attempt)
        assert '451 Try again later' in row.last_error
        wait = aware(row.next_attempt_at) - now
        waits.append(wait)
        assert outbox.send_due(session, now=now + wait - timedelta(seconds=1)).claimed == 0  # not due yet
        now += wait
    assert waits == list(outbox.BACKOFF)
    assert _failed_audit(session) == []
    assert outbox.send_due(session, now=now).failed == 1
    [row] = _rows(session)
    assert (row.status, row.attempts) == ('failed', outbox.MAX_ATTEMPTS)
    assert outbox.send_due(session, now=now + timedelta(days=2)).claimed == 0
    [entry] = _failed_audit(session)
    details = json.loads(entry.details)
    assert details['to'] == 'mia@kreis-wesel.de' and details['subject'] == 'Tagesübersicht'
    assert '451 Try again later' in details['error']
    assert entry.target_id == str(mail_id) and 'Geheim-123' not in entry.details


def test_a_server_failure_ends_the_run_and_leaves_the_others_waiting(session, ada_admin, smtp_server):
    configure(session, ada_admin, smtp_server(Inbox(refuse='554 Nope')))
    for _ in range(3):
        _queue(session)
    report = outbox.send_due(session, now=T0)
    assert (report.claimed, report.retried) == (1, 1)
    assert sorted(r.attempts for r in _rows(session)) == [0, 0, 1]


def test_a_bad_address_fails_at_once(session, ada_admin, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    _queue(session, to='keine-adresse')
    _queue(session)
    report = outbox.send_due(session, now=T0)
    assert (report.failed, report.sent) == (1, 1)
    assert len(inbox.envelopes) == 1 and len(_failed_audit(session)) == 1


def test_a_hanging_server_costs_one_attempt_and_the_worker_goes_on(session, ada_admin, monkeypatch):
    monkeypatch.setattr(mail, 'TIMEOUT', 0.3)
    with socket.socket() as listener:  # accepts (the kernel does) and never says a word
        listener.bind(('127.0.0.1', 0))
        listener.listen()
        configure(session, ada_admin, listener.getsockname()[1])
        _queue(session)
        started = time.monotonic()
        report = outbox.send_due(session, now=T0)
        assert time.monotonic() - started < 5
    assert report.retried == 1
    [row] = _rows(session)
    assert row.status == 'pending' and 'antwortet nicht' in row.last_error
    assert aware(row.next_attempt_at) == T0 + outbox.BACKOFF[0]


def test_a_mail_claimed_by_a_crashed_worker_is_sent_once_after_its_lease(session, ada_admin, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    mail_id = _queue(session)
    claimed = outbox.claim_one(session, now=T0)  # … and the worker dies before sending or marking it
    assert claimed is not None and claimed.id == mail_id and claimed.status == 'sending'
    assert outbox.send_due(session, now=T0 + timedelta(minutes=1)).claimed == 0  # the lease still holds
    assert inbox.envelopes == []
    assert outbox.send_due(session, now=T0 + outbox.LEASE + timedelta(seconds=1)).sent == 1
    assert outbox.send_due(session, now=T0 + outbox.LEASE * 3).claimed == 0
    assert len(inbox.envelopes) == 1
    [row] = _rows(session)
    assert row.status == 'sent' and row.attempts == 2


def test_two_workers_never_claim_the_same_mail(session):
    _queue(session)
    first = outbox.claim_one(session, now=T0)
    second = outbox.claim_one(session, now=T0)
    assert first is not None and second is None


def test_old_sent_mails_are_purged(session, ada_admin, smtp_server):
    configure(session, ada_admin, smtp_server(Inbox()))
    _queue(session)
    outbox.send_due(session, now=T0)
    assert outbox.purge_sent(session, now=T0 + timedelta(days=29)) == 0
    assert outbox.purge_sent(session, now=T0 + timedelta(days=31)) == 1


def test_settings_tokens_are_bound_to_the_member():
    token = outbox.settings_token(42)
    assert outbox.user_of_token(token) == 42
    assert outbox.user_of_token(token[:-1] + ('0' if token[-1] != '0' else '1')) is None
    assert outbox.user_of_token('43-' + token.split('-', 1)[1]) is None
    for bad in ('', '42', 'abc-def', 'x' * 200):
        assert outbox.user_of_token(bad) is None


def test_base_url_falls_back_to_host_and_port(monkeypatch):
    monkeypatch.delenv('VN_BASE_URL')
    monkeypatch.setenv('VN_HOST', 'netz.local')
    monkeypatch.setenv('VN_PORT', '9000')
    assert outbox.base_url() == 'http://netz.local:9000'


def test_one_round_of_the_background_worker_queues_and_sends(session, ada_admin, mia_member, smtp_server):
    from ui import background

    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    session.add(Notification(user_id=mia_member.id, kind='mention', text='Erwähnt', url='/threads/3', email='email'))
    session.commit()
    background._mail_round()  # noqa: SLF001 - what the worker thread runs every few seconds
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ['mia@kreis-wesel.de']
    background._mail_round()  # noqa: SLF001
    assert len(inbox.envelopes) == 1
