"""Sending e-mail through the SMTP server the administration set up at /admin (group "E-Mail").

`send_mail` blocks for up to TIMEOUT seconds per step: call it from a worker thread (the pages use run.io_bound).
"""

import email.policy
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from sqlmodel import Session

from services import audit
from services import settings as site_settings
from services.accounts import is_email
from services.errors import DomainError, Invalid
from services.permissions import require_admin

TIMEOUT = 10.0  # seconds for connecting and for each answer of the server


class MailNotSent(DomainError):
    """The mail server could not be reached or refused the message; the message says why, in plain words."""


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: str  # starttls, ssl, none
    sender: str
    user: str = ''
    password: str = field(default='', repr=False)  # never in a repr, a log line or an error message
    sender_name: str = ''

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def mail_config(session: Session) -> MailConfig:
    values = site_settings.get_settings(session)
    return MailConfig(host=values['smtp_host'], port=int(values['smtp_port']), security=values['smtp_security'],
                      sender=values['smtp_sender'], user=values['smtp_user'], password=values['smtp_password'],
                      sender_name=values['site_name'])


def smtp_configured(session: Session) -> bool:
    """Whether mail can be sent at all (a server and a sender address are set)."""
    return mail_config(session).configured


def _one_line(text: str) -> str:
    return ' '.join(str(text).split())


def _reply(error: smtplib.SMTPResponseException) -> str:
    raw = error.smtp_error
    text = raw.decode('utf-8', 'replace') if isinstance(raw, bytes) else str(raw)
    return f'{error.smtp_code} {_one_line(text)}'[:300]


def build_message(config: MailConfig, *, to: str, subject: str, text: str, html: str | None = None,
                  message_id: str = '', headers: dict[str, str] | None = None) -> EmailMessage:
    """`message_id` (a stable one for outbox mails, so a duplicate is recognisable) and extra `headers`
    (List-Unsubscribe …) are optional; header values are made one line."""
    # RFC 5322 allows lines of 998 characters; with the default 78 a long token (the settings link in
    # List-Unsubscribe) would be folded into an encoded word that mail programs cannot use as an address.
    message = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
    message['From'] = formataddr((_one_line(config.sender_name), config.sender))
    message['To'] = to
    message['Subject'] = _one_line(subject)
    message['Date'] = formatdate(localtime=False)
    message['Message-ID'] = _one_line(message_id) or make_msgid(domain=sender_domain(config))
    for name, value in (headers or {}).items():
        message[name] = _one_line(value)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype='html')
    return message


def sender_domain(config: MailConfig) -> str:
    return config.sender.rsplit('@', 1)[-1]


def send_mail(config: MailConfig, *, to: str, subject: str, text: str, html: str | None = None,
              message_id: str = '', headers: dict[str, str] | None = None) -> None:
    """Send one message; raise MailNotSent with a clear German message when that does not work."""
    if not config.configured:
        raise MailNotSent('Es ist noch kein Mailserver eingerichtet (Server und Absenderadresse fehlen).')
    to = (to or '').strip()
    if not is_email(to):
        raise Invalid('to', 'Das ist keine gültige E-Mail-Adresse.')
    message = build_message(config, to=to, subject=subject, text=text, html=html, message_id=message_id,
                            headers=headers)
    where = {'host': config.host, 'port': config.port}
    try:
        context = ssl.create_default_context()
        if config.security == 'ssl':
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT)
        with smtp:
            smtp.ehlo()
            if config.security == 'starttls':
                if not smtp.has_extn('starttls'):
                    raise MailNotSent('Der Mailserver {host}:{port} bietet keine verschlüsselte Verbindung (STARTTLS) '
                                      'an. Wählen Sie eine andere Verschlüsselung.', **where)
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.user:
                smtp.login(config.user, config.password)
            smtp.send_message(message)
    except MailNotSent:
        raise
    except socket.gaierror:
        raise MailNotSent('Der Mailserver „{host}“ ist unbekannt. Bitte prüfen Sie den Servernamen.', **where) from None
    except ConnectionRefusedError:
        raise MailNotSent('Der Mailserver {host}:{port} nimmt keine Verbindung an. Bitte prüfen Sie Server und Port.',
                          **where) from None
    except TimeoutError:
        raise MailNotSent('Der Mailserver {host}:{port} antwortet nicht (keine Antwort nach {seconds} Sekunden).',
                          seconds=f'{TIMEOUT:g}', **where) from None
    except ssl.SSLCertVerificationError:
        raise MailNotSent('Das Zertifikat des Mailservers {host} ist nicht gültig.', **where) from None
    except ssl.SSLError:
        raise MailNotSent('Die verschlüsselte Verbindung zu {host}:{port} ist fehlgeschlagen. Bitte prüfen Sie die '
                          'Verschlüsselung und den Port.', **where) from None
    except smtplib.SMTPAuthenticationError:
        raise MailNotSent('Der Mailserver hat die Anmeldung abgelehnt. Bitte prüfen Sie Benutzername und Passwort.',
                          **where) from None
    except smtplib.SMTPNotSupportedError:
        raise MailNotSent('Der Mailserver {host} unterstützt die Anmeldung nicht. Lassen Sie den Benutzernamen leer '
                          'oder wählen Sie eine Verschlüsselung.', **where) from None
    except smtplib.SMTPSenderRefused as e:
        raise MailNotSent('Der Mailserver hat die Absenderadresse {sender} abgelehnt: {reply}', sender=config.sender,
                          reply=_reply(e), **where) from None
    except smtplib.SMTPRecipientsRefused as e:
        replies = '; '.join(f'{code} {_one_line(msg.decode("utf-8", "replace") if isinstance(msg, bytes) else msg)}'
                            for code, msg in e.recipients.values())[:300]
        raise MailNotSent('Der Mailserver hat die Empfängeradresse {to} abgelehnt: {reply}', to=to, reply=replies,
                          **where) from None
    except smtplib.SMTPServerDisconnected as e:
        if 'timed out' in str(e):  # smtplib turns a timeout while waiting for an answer into a disconnect
            raise MailNotSent('Der Mailserver {host}:{port} antwortet nicht (keine Antwort nach {seconds} Sekunden).',
                              seconds=f'{TIMEOUT:g}', **where) from None
        raise MailNotSent('Der Mailserver {host}:{port} hat die Verbindung unerwartet beendet.', **where) from None
    except smtplib.SMTPResponseException as e:
        raise MailNotSent('Der Mailserver hat die Nachricht abgelehnt: {reply}', reply=_reply(e), **where) from None
    except (smtplib.SMTPException, OSError) as e:
        reason = _one_line(str(e))[:200] or type(e).__name__
        raise MailNotSent('Die Verbindung zum Mailserver {host}:{port} ist fehlgeschlagen: {reason}', reason=reason,
                          **where) from None


def send_test_mail(session: Session, *, actor: Any, to: str) -> None:
    """Send a short test message with the stored settings (administrators only); one audit entry either way."""
    require_admin(actor)
    to = (to or '').strip()
    if not is_email(to):
        raise Invalid('to', 'Das ist keine gültige E-Mail-Adresse.')
    config = mail_config(session)
    session.rollback()  # end the read: no transaction stays open while the mail server takes its time
    error: MailNotSent | None = None
    try:
        send_mail(config, to=to, subject=f'Test-E-Mail von {config.sender_name}',
                  text=f'Diese Nachricht kommt von {config.sender_name}.\n\n'
                       'Sie bestätigt, dass der Mailserver richtig eingerichtet ist: E-Mails aus dem Netzwerk '
                       '(Einladungen, Passwort-Links, Benachrichtigungen) kommen an.\n')
    except MailNotSent as e:
        error = e
    details: dict[str, Any] = {'to': to, 'result': 'ok' if error is None else 'failed',
                               'server': f'{config.host}:{config.port}'}
    if error is not None:
        details['error'] = error.message.format(**error.params)
    audit.record(session, 'mail.test', actor_id=actor.id, target_type='mail', target_id=to, **details)
    session.commit()
    if error is not None:
        raise error
