"""Abuse limits: sign-in throttling against distributed and sprayed guessing; per-account limits on posts, messages,
uploads and reset links; per-address limits on registrations; the bounded in-memory address table."""

import socket
from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select, update
from sqlmodel import Session

from models.audit import AuditEntry
from models.base import utcnow
from models.board import Attachment, Post
from models.message import Message
from models.user import LoginAttempt, User
from services import accounts, boards, files, mail, members, posts, rate_limits
from services import messages as dm
from services import settings as site_settings
from services.errors import Invalid, RateLimited, TooManyAttempts
from tests.services.conftest import PASSWORD, make_user

WRONG = 'Falsches-Passwort-99'
PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
LIMIT = 5  # the lowest value the settings allow for posts, messages and uploads: keeps the tests short


def _png() -> bytes:
    out = BytesIO()
    Image.new('RGB', (32, 32), (20, 90, 160)).save(out, 'PNG')
    return out.getvalue()


def limits(session: Session, admin, **values: object) -> None:
    site_settings.update_settings(session, actor=admin, values=values)


def count(session: Session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def age(session: Session, table, column, minutes: int) -> None:
    """Move every row of a table `minutes` into the past (as if the clock had run on)."""
    session.execute(update(table).values({column: utcnow() - timedelta(minutes=minutes)}))
    session.commit()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(files, '_data_dir', None)
    files.configure(tmp_path)
    return tmp_path


@pytest.fixture
def board_id(session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Allgemeines').id


@pytest.fixture
def ben(session):
    return make_user(session, 'Ben Beispiel', 'ben@hamm.de')


# ---------------------------------------------------------------- sign-in throttling (ASVS V2.2.1)


def fail_sign_in(session: Session, email: str, ip: str) -> None:
    with pytest.raises(Invalid):
        accounts.sign_in(session, email=email, password=WRONG, ip=ip)


def test_guessing_one_account_from_many_addresses_is_throttled_per_account(session, mia_member):
    free = site_settings.DEFAULTS['login_free_attempts']
    for i in range(free):  # every guess from an address of its own: the address counts cannot add up
        fail_sign_in(session, 'mia@kreis-wesel.de', ip=f'198.51.100.{i + 1}')
    with pytest.raises(TooManyAttempts) as e:  # from a fresh address, and even with the right password
        accounts.sign_in(session, email='MIA@kreis-wesel.de', password=PASSWORD, ip='203.0.113.200')
    assert 0 < e.value.retry_after <= accounts.BASE_DELAY
    # The wait doubles with every failure past the free ones, up to the longest wait of the settings.
    session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(seconds=accounts.BASE_DELAY + 1)))
    session.commit()
    fail_sign_in(session, 'mia@kreis-wesel.de', ip='203.0.113.201')
    with pytest.raises(TooManyAttempts) as e:
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip='203.0.113.202')
    assert accounts.BASE_DELAY < e.value.retry_after <= 2 * accounts.BASE_DELAY


def test_rotating_addresses_buys_no_more_guesses_than_the_account_allows(session, mia_member):
    free = site_settings.DEFAULTS['login_free_attempts']
    tried = refused = 0
    for i in range(50):  # fifty addresses within a few seconds: the account admits its free attempts only
        try:
            accounts.sign_in(session, email='mia@kreis-wesel.de', password=WRONG, ip=f'198.51.100.{i + 1}')
        except TooManyAttempts:
            refused += 1
        except Invalid:
            tried += 1
    assert (tried, refused) == (free, 50 - free)
    assert count(session, LoginAttempt, LoginAttempt.email_key == 'mia@kreis-wesel.de') == free


def test_one_address_spraying_many_accounts_is_throttled_for_every_account(session, mia_member, ben):
    free = site_settings.DEFAULTS['login_free_attempts']
    sprayer = '198.51.100.66'
    for i in range(free):  # one guess each at different accounts, known and unknown
        fail_sign_in(session, 'ben@hamm.de' if i == 0 else f'person{i}@essen.de', ip=sprayer)
    for email in ('mia@kreis-wesel.de', 'nobody@essen.de'):
        with pytest.raises(TooManyAttempts):
            accounts.sign_in(session, email=email, password=PASSWORD, ip=sprayer)
    # Neither account was locked by the sprayer: from their own addresses they sign in.
    assert accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip='203.0.113.7').user.id == \
        mia_member.id
    assert accounts.sign_in(session, email='ben@hamm.de', password=PASSWORD, ip='203.0.113.8').user.id == ben.id


# ---------------------------------------------------------------- posts


def test_posts_under_the_limit_work_and_the_next_one_is_refused_with_the_wait(session, ada_admin, mia_member,
                                                                               board_id):
    limits(session, ada_admin, posts_per_10_minutes=LIMIT)
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur E-Akte',
                                     body='Wie führen Sie die E-Akte ein?')
    for n in range(LIMIT - 1):  # the question counts as a post
        posts.reply(session, actor=mia_member, thread_id=thread_id, body=f'Nachtrag {n}')
    with pytest.raises(RateLimited) as e:
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Noch einer')
    session.rollback()
    with pytest.raises(RateLimited):  # a new thread is a post too
        boards.create_thread(session, actor=mia_member, board_id=board_id, title='Noch eine Frage', body='Text')
    session.rollback()
    assert e.value.message == rate_limits.MSG_POSTS
    assert e.value.params['limit'] == LIMIT and e.value.params['window'] == 10
    assert 1 <= e.value.params['minutes'] <= 10 and 540 < e.value.retry_after <= 601
    assert count(session, Post, Post.author_id == mia_member.id) == LIMIT


def test_deleted_posts_still_count_and_posts_older_than_ten_minutes_do_not(session, ada_admin, mia_member, board_id):
    limits(session, ada_admin, posts_per_10_minutes=LIMIT)
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur E-Akte',
                                     body='Wie führen Sie die E-Akte ein?')
    replies = [posts.reply(session, actor=mia_member, thread_id=thread_id, body=f'Nachtrag {n}')
               for n in range(LIMIT - 1)]
    for reply in replies:
        posts.delete_post(session, actor=mia_member, post_id=reply.id)
    with pytest.raises(RateLimited):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Neu geschrieben')
    session.rollback()
    age(session, Post, 'created_at', 11)
    assert posts.reply(session, actor=mia_member, thread_id=thread_id, body='Später wieder').number == LIMIT + 1


def test_each_member_has_a_limit_of_their_own_and_moderators_are_exempt(session, ada_admin, mia_member, ben,
                                                                         mo_moderator, board_id):
    limits(session, ada_admin, posts_per_10_minutes=LIMIT)
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur E-Akte',
                                     body='Wie führen Sie die E-Akte ein?')
    for n in range(LIMIT - 1):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body=f'Nachtrag {n}')
    assert posts.reply(session, actor=ben, thread_id=thread_id, body='Ben antwortet').number == LIMIT + 1
    for n in range(2 * LIMIT):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body=f'Hinweis der Moderation {n}')
    assert count(session, Post, Post.author_id == mo_moderator.id) == 2 * LIMIT


# ---------------------------------------------------------------- uploads


def test_files_count_across_posts_and_the_refused_files_cost_nothing(session, ada_admin, mia_member, board_id,
                                                                     data_dir):
    limits(session, ada_admin, uploads_per_10_minutes=LIMIT)
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Vorlagen zur E-Akte',
                                     body='Anbei', attachments=[(f'v{n}.pdf', PDF) for n in range(3)])
    posts.reply(session, actor=mia_member, thread_id=thread_id, body='Und zwei mehr',
                attachments=[('a.pdf', PDF), ('b.pdf', PDF)])
    with pytest.raises(RateLimited) as e:
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Noch eine', attachments=[('c.pdf', PDF)])
    session.rollback()
    assert e.value.message == rate_limits.MSG_UPLOADS and e.value.params['limit'] == LIMIT
    assert count(session, Attachment) == LIMIT
    assert len(list((data_dir / 'attachments').iterdir())) == LIMIT
    # Writing without files is still fine.
    assert posts.reply(session, actor=mia_member, thread_id=thread_id, body='Ohne Anhang').number == 3


def test_a_profile_picture_is_an_upload_too(session, ada_admin, mia_member, board_id, data_dir):
    limits(session, ada_admin, uploads_per_10_minutes=LIMIT)
    for _ in range(LIMIT):
        members.set_avatar(session, actor=mia_member, user_id=mia_member.id, data=_png())
    with pytest.raises(RateLimited):
        members.set_avatar(session, actor=mia_member, user_id=mia_member.id, data=_png())
    session.rollback()
    with pytest.raises(RateLimited):
        boards.create_thread(session, actor=mia_member, board_id=board_id, title='Mit Anhang', body='Anbei',
                             attachments=[('v.pdf', PDF)])
    session.rollback()


def test_uploads_older_than_ten_minutes_leave_the_window(session, ada_admin, mia_member, mo_moderator, board_id,
                                                         data_dir):
    limits(session, ada_admin, uploads_per_10_minutes=LIMIT)
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Vorlagen zur E-Akte',
                                     body='Anbei', attachments=[(f'v{n}.pdf', PDF) for n in range(LIMIT)])
    with pytest.raises(RateLimited):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Mehr', attachments=[('x.pdf', PDF)])
    session.rollback()
    age(session, Post, 'created_at', 11)
    assert posts.reply(session, actor=mia_member, thread_id=thread_id, body='Mehr',
                       attachments=[('x.pdf', PDF)]).number == 2
    # Moderators upload without a limit.
    for n in range(2):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Vorlagen',
                    attachments=[(f'm{n}{k}.pdf', PDF) for k in range(LIMIT)])


# ---------------------------------------------------------------- messages


def test_messages_under_the_limit_work_and_the_next_one_is_refused_in_any_conversation(session, ada_admin,
                                                                                        mia_member, ben):
    cleo = make_user(session, 'Cleo Claßen', 'cleo@hamm.de')
    limits(session, ada_admin, messages_per_10_minutes=LIMIT)
    to_ben = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo Ben')
    for n in range(LIMIT - 2):
        dm.send_message(session, actor=mia_member, conversation_id=to_ben, body=f'Nachricht {n}')
    dm.start_conversation(session, actor=mia_member, member_ids=[cleo.id], body='Hallo Cleo')
    with pytest.raises(RateLimited) as e:
        dm.send_message(session, actor=mia_member, conversation_id=to_ben, body='Noch eine')
    session.rollback()
    with pytest.raises(RateLimited):
        dm.start_conversation(session, actor=mia_member, member_ids=[cleo.id, ben.id], body='Gruppe', title='Wir')
    session.rollback()
    assert e.value.message == rate_limits.MSG_MESSAGES and e.value.params['limit'] == LIMIT
    assert count(session, Message, Message.author_id == mia_member.id) == LIMIT
    # The others still answer, in the same conversation.
    assert dm.send_message(session, actor=ben, conversation_id=to_ben, body='Hallo Mia').body_html


def test_messages_older_than_ten_minutes_leave_the_window_and_moderators_are_exempt(session, ada_admin, mia_member,
                                                                                    ben, mo_moderator):
    limits(session, ada_admin, messages_per_10_minutes=LIMIT)
    to_ben = dm.start_conversation(session, actor=mia_member, member_ids=[ben.id], body='Hallo Ben')
    for n in range(LIMIT - 1):
        dm.send_message(session, actor=mia_member, conversation_id=to_ben, body=f'Nachricht {n}')
    with pytest.raises(RateLimited):
        dm.send_message(session, actor=mia_member, conversation_id=to_ben, body='Noch eine')
    session.rollback()
    age(session, Message, 'created_at', 11)
    assert dm.send_message(session, actor=mia_member, conversation_id=to_ben, body='Später').body_html
    to_mo = dm.start_conversation(session, actor=mo_moderator, member_ids=[ben.id], body='Hinweis')
    for n in range(2 * LIMIT):
        dm.send_message(session, actor=mo_moderator, conversation_id=to_mo, body=f'Hinweis {n}')


# ---------------------------------------------------------------- registrations per address


def register(session: Session, email: str, ip: str, **extra) -> accounts.SignedIn:
    data = {'name': 'Rita Register', 'email': email, 'password': PASSWORD, 'organization': 'Stadt Essen',
            'consent': True, 'ip': ip, **extra}
    return accounts.register(session, **data)


def test_registration_attempts_are_limited_per_address(session, ada_admin, mia_member):
    limits(session, ada_admin, registrations_per_hour=3)
    office = '198.51.100.20'
    register(session, 'rita@essen.de', office)
    with pytest.raises(Invalid):  # a failed attempt counts too: else the form would probe addresses without end
        register(session, 'mia@kreis-wesel.de', office)
    session.rollback()
    register(session, 'rolf@essen.de', office)
    with pytest.raises(RateLimited) as e:
        register(session, 'ruth@essen.de', office)
    session.rollback()
    assert e.value.message == rate_limits.MSG_REGISTRATIONS and 1 <= e.value.params['minutes'] <= 60
    assert count(session, User, User.email_key == 'ruth@essen.de') == 0
    # Another address is not affected; neither are invitations, which the administration hands out one by one.
    register(session, 'ruth@essen.de', '203.0.113.20')
    invite = accounts.create_invitation(session, actor=ada_admin, email='udo@essen.de')
    register(session, 'udo@essen.de', office, invitation=invite.token)
    assert count(session, User, User.email_key.in_(['ruth@essen.de', 'udo@essen.de'])) == 2


def test_invalid_form_input_is_not_counted_as_an_attempt(session, ada_admin):
    limits(session, ada_admin, registrations_per_hour=1)
    with pytest.raises(Invalid):
        register(session, 'rita@essen.de', '198.51.100.21', consent=False)
    session.rollback()
    assert register(session, 'rita@essen.de', '198.51.100.21').user.email == 'rita@essen.de'


# ---------------------------------------------------------------- password-reset links


def test_reset_links_per_account_and_hour(session, ada_admin, mia_member, ben):
    for _ in range(rate_limits.RESET_LINKS_PER_HOUR):
        token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(RateLimited) as e:
        accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    session.rollback()
    assert e.value.message == rate_limits.MSG_RESET_LINKS and e.value.params['limit'] == 5
    assert accounts.check_password_reset(session, token)  # the last link made still works
    accounts.create_password_reset(session, actor=ada_admin, user_id=ben.id)  # another member is not affected


def test_reset_mails_per_account_and_hour(session, ada_admin, mia_member):
    with socket.socket() as s:  # a port nobody listens on: every mail fails at once, and is counted all the same
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    limits(session, ada_admin, smtp_port=port, smtp_host='127.0.0.1', smtp_security='none',
           smtp_sender='netz@essen.de')
    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    for _ in range(rate_limits.RESET_LINKS_PER_HOUR):
        with pytest.raises(mail.MailNotSent):
            accounts.mail_password_reset(session, actor=ada_admin, user_id=mia_member.id, token=token,
                                         base_url='http://netz.example')
    with pytest.raises(RateLimited) as e:
        accounts.mail_password_reset(session, actor=ada_admin, user_id=mia_member.id, token=token,
                                     base_url='http://netz.example')
    assert e.value.message == rate_limits.MSG_RESET_MAILS
    assert count(session, AuditEntry, AuditEntry.action == 'user.password_reset_mailed') == 5


# ---------------------------------------------------------------- the in-memory address table


def test_address_window_allows_the_limit_and_says_how_long_to_wait():
    window = rate_limits.AddressWindow(60)
    assert [window.hit('198.51.100.1', 3, now=600.0 + i) for i in range(3)] == [0, 0, 0]
    wait = window.hit('198.51.100.1', 3, now=603.0)
    assert 0 < wait <= 60
    assert window.hit('198.51.100.1', 3, now=603.0 + wait - 1) > 0  # not a second early
    assert window.hit('198.51.100.1', 3, now=603.0 + wait) == 0
    assert window.hit('198.51.100.2', 3, now=603.0) == 0  # every address has its own count


def test_address_window_slides_and_refused_hits_do_not_prolong_the_wait():
    window = rate_limits.AddressWindow(60)
    for i in range(10):
        assert window.hit('a', 10, now=630.0 + i) == 0  # the second half of one minute
    for _ in range(100):  # hammering while refused
        assert window.hit('a', 10, now=640.0) > 0
    # Half a minute into the next minute, half of those ten lie outside the sliding window: five more fit.
    assert [window.hit('a', 10, now=690.0) for _ in range(5)] == [0] * 5
    assert window.hit('a', 10, now=690.0) > 0
    assert window.hit('a', 10, now=900.0) == 0  # long after, everything is forgotten


def test_address_window_cannot_grow_beyond_its_size():
    window = rate_limits.AddressWindow(60, max_addresses=100)
    for i in range(10_000):
        window.hit(f'2001:db8::{i:x}', 5, now=1000.0)
    assert len(window) == 100
    assert window.hit('2001:db8::270f', 5, now=1000.0) == 0  # the newest ones are kept
