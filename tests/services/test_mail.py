"""Mail through a real SMTP conversation (aiosmtpd on 127.0.0.1): delivery, refusals, unreachable servers, audit."""

import json
import socket
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import col, select

from models.audit import AuditEntry
from services import mail
from services import settings as site_settings
from services.errors import Invalid, NotAllowed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Inbox:
    """Keeps what arrives; `refuse` makes the server answer DATA with that reply instead."""

    def __init__(self, refuse: str = '', refuse_rcpt: str = '') -> None:
        self.envelopes: list = []
        self.refuse = refuse
        self.refuse_rcpt = refuse_rcpt

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001, ANN201
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
        if self.refuse:
            return self.refuse
        self.envelopes.append(envelope)
        return '250 Message accepted for delivery'


@pytest.fixture
def smtp_server():
    started: list[Controller] = []

    def start(inbox: Inbox) -> int:
        port = _free_port()
        controller = Controller(inbox, hostname='127.0.0.1', port=port)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def configure(session, admin, port: int, **extra) -> None:  # noqa: ANN001
    site_settings.update_settings(session, actor=admin, values={
        'smtp_host': '127.0.0.1', 'smtp_port': port, 'smtp_security': 'none', 'smtp_sender': 'netz@essen.de',
        'site_name': 'Netz Ruhr', **extra})


def mail_audit(session) -> list[AuditEntry]:  # noqa: ANN001
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == 'mail.test').order_by(col(AuditEntry.id))))


def test_not_configured_by_default(session):
    assert mail.smtp_configured(session) is False
    assert mail.mail_config(session).port == 587


def test_configured_needs_host_and_sender(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_host': 'mail.essen.de'})
    assert mail.smtp_configured(session) is False
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_sender': 'netz@essen.de'})
    assert mail.smtp_configured(session) is True


def test_config_hides_the_password_from_its_repr(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': 'Geheim-123'})
    config = mail.mail_config(session)
    assert config.password == 'Geheim-123'
    assert 'Geheim-123' not in repr(config)


def test_test_mail_arrives_with_subject_and_sender(session, ada_admin, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    [envelope] = inbox.envelopes
    assert envelope.mail_from == 'netz@essen.de'
    assert envelope.rcpt_tos == ['ada@essen.de']
    message = message_from_bytes(envelope.content)
    assert str(make_header(decode_header(message['Subject']))) == 'Test-E-Mail von Netz Ruhr'
    assert 'netz@essen.de' in message['From'] and 'Netz Ruhr' in str(make_header(decode_header(message['From'])))
    assert message['Message-ID'].endswith('@essen.de>')
    [entry] = mail_audit(session)
    assert entry.actor_id == ada_admin.id
    details = json.loads(entry.details)
    assert details['result'] == 'ok' and details['to'] == 'ada@essen.de'


def test_send_mail_sends_text_and_html_alternatives(session, ada_admin, smtp_server):
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    mail.send_mail(mail.mail_config(session), to='mia@luenen.de', subject='Einladung\nBcc: x@evil.example',
                   text='Hallo Mia', html='<p>Hallo <b>Mia</b></p>')
    message = message_from_bytes(inbox.envelopes[0].content)
    assert message['Bcc'] is None and message['Subject'] == 'Einladung Bcc: x@evil.example'
    types = [part.get_content_type() for part in message.walk()]
    assert 'text/plain' in types and 'text/html' in types


def test_a_refusing_server_gives_a_clear_message_and_a_failed_audit_entry(session, ada_admin, smtp_server):
    configure(session, ada_admin, smtp_server(Inbox(refuse='550 Relaying denied')), smtp_password='Geheim-123')
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    text = caught.value.message.format(**caught.value.params)
    assert text == 'Der Mailserver hat die Nachricht abgelehnt: 550 Relaying denied'
    [entry] = mail_audit(session)
    details = json.loads(entry.details)
    assert details['result'] == 'failed' and '550 Relaying denied' in details['error']
    assert 'Geheim-123' not in entry.details


def test_a_refused_recipient_is_named(session, ada_admin, smtp_server):
    configure(session, ada_admin, smtp_server(Inbox(refuse_rcpt='550 No such user')))
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='niemand@essen.de')
    assert caught.value.params['to'] == 'niemand@essen.de'
    assert caught.value.params['reply'] == '550 No such user'


def test_starttls_against_a_server_without_it_is_explained(session, ada_admin, smtp_server):
    configure(session, ada_admin, smtp_server(Inbox()), smtp_security='starttls')
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    assert 'STARTTLS' in caught.value.message


def test_nothing_listening_fails_fast_with_a_clear_message(session, ada_admin):
    configure(session, ada_admin, _free_port())
    started = time.monotonic()
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    assert time.monotonic() - started < 3
    assert caught.value.message.startswith('Der Mailserver {host}:{port} nimmt keine Verbindung an.')
    assert json.loads(mail_audit(session)[0].details)['result'] == 'failed'


def test_an_unknown_host_is_named(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={
        'smtp_host': 'kein-server.invalid', 'smtp_sender': 'netz@essen.de', 'smtp_security': 'none'})
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    assert caught.value.params['host'] == 'kein-server.invalid'
    assert 'unbekannt' in caught.value.message


def test_a_silent_server_times_out(session, ada_admin, monkeypatch):
    monkeypatch.setattr(mail, 'TIMEOUT', 0.5)
    with socket.socket() as listener:  # accepts the connection (the kernel does) but never greets
        listener.bind(('127.0.0.1', 0))
        listener.listen()
        configure(session, ada_admin, listener.getsockname()[1])
        with pytest.raises(mail.MailNotSent) as caught:
            mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    assert 'antwortet nicht' in caught.value.message


def test_test_mail_without_a_server_is_refused_clearly(session, ada_admin):
    with pytest.raises(mail.MailNotSent) as caught:
        mail.send_test_mail(session, actor=ada_admin, to='ada@essen.de')
    assert 'kein Mailserver' in caught.value.message


@pytest.mark.parametrize('to', ['', 'keine-adresse', 'a@b', 'ada@essen.de\nBcc: x@y.de'])
def test_test_mail_refuses_a_bad_recipient(session, ada_admin, to):
    with pytest.raises(Invalid) as caught:
        mail.send_test_mail(session, actor=ada_admin, to=to)
    assert caught.value.field == 'to'
    assert mail_audit(session) == []


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_only_admins_send_test_mail(session, request, persona, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    configure(session, request.getfixturevalue('ada_admin'), port)
    with pytest.raises(NotAllowed):
        mail.send_test_mail(session, actor=request.getfixturevalue(persona), to='ada@essen.de')
    assert inbox.envelopes == [] and mail_audit(session) == []


# ---------------------------------------------------------------- a reset link by mail


def test_reset_link_goes_to_the_member_in_their_language(session, ada_admin, mia_member, smtp_server):
    from services import accounts

    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    accounts.set_language(session, actor=mia_member, language='en')
    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)

    to = accounts.mail_password_reset(session, actor=ada_admin, user_id=mia_member.id, token=token,
                                      base_url='https://netz.example/')

    assert to == 'mia@kreis-wesel.de'
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ['mia@kreis-wesel.de']
    message = message_from_bytes(envelope.content)
    assert str(make_header(decode_header(message['Subject']))) == 'New password for Netz Ruhr'
    body = message.get_payload(decode=True).decode()
    assert f'https://netz.example/reset/{token}' in body and 'Hello Mia Member' in body
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'user.password_reset_mailed')).all()
    assert json.loads(entry.details) == {'result': 'ok'} and token not in entry.details
    # The mailed link still works once.
    assert accounts.check_password_reset(session, token)


def test_reset_mail_needs_a_live_link_of_that_member_and_a_server(session, ada_admin, mia_member, mo_moderator,
                                                                 smtp_server):
    from services import accounts

    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(Invalid) as no_server:
        accounts.mail_password_reset(session, actor=ada_admin, user_id=mia_member.id, token=token, base_url='x')
    assert no_server.value.field == 'mail'
    inbox = Inbox()
    configure(session, ada_admin, smtp_server(inbox))
    for user_id, wrong in ((mo_moderator.id, token), (mia_member.id, 'erfunden')):
        with pytest.raises(Invalid) as bad:
            accounts.mail_password_reset(session, actor=ada_admin, user_id=user_id, token=wrong, base_url='x')
        assert bad.value.field == 'token'
    assert inbox.envelopes == []


def test_a_refused_reset_mail_is_reported_and_audited(session, ada_admin, mia_member, smtp_server):
    from services import accounts

    configure(session, ada_admin, smtp_server(Inbox(refuse='554 Rejected by policy')))
    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(mail.MailNotSent):
        accounts.mail_password_reset(session, actor=ada_admin, user_id=mia_member.id, token=token, base_url='x')
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'user.password_reset_mailed')).all()
    assert json.loads(entry.details) == {'result': 'failed'}
