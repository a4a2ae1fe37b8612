"""Deleting my own account (DSGVO Art. 17): the password confirms; profile, messages and uploads go, sessions end,
posts stay as "Ehemaliges Mitglied" or lose their text without taking others' answers along; the audit entry holds
the account's number only."""

import json
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.board import Attachment, Post, Thread
from models.message import Message, MessageReport
from models.notification import Notification
from models.profile import MemberProfile, MemberTag
from models.user import Role, Status, User, UserSession
from services import accounts, boards, bus, data_export, files, images, members, messages, moderation, posts
from services.errors import Invalid, NotAllowed
from tests.services.conftest import PASSWORD, make_user

PDF = b'%PDF-1.4\n% Mias Bericht\n%%EOF\n'


def _png() -> bytes:
    out = BytesIO()
    Image.new('RGB', (64, 64), (30, 120, 30)).save(out, 'PNG')
    return out.getvalue()


@pytest.fixture(autouse=True)
def _data_folder(tmp_path: Path):
    files.configure(tmp_path)
    data_export.reset()
    yield
    data_export.reset()


@pytest.fixture
def olaf(session: Session):
    return make_user(session, 'Olaf Other', 'olaf@essen.de')


@pytest.fixture
def board_id(session: Session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Digitales').id


def sign_in(session: Session, email: str) -> accounts.SignedIn:
    return accounts.sign_in(session, email=email, password=PASSWORD, ip='198.51.100.7', user_agent='Firefox')


def stored(session: Session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def entries(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))))


def collect(topic: str) -> list[bus.Event]:
    got: list[bus.Event] = []
    bus.subscribe(topic, got.append)
    return got


def indexed_posts(session: Session) -> set[int]:
    return set(session.exec(text('SELECT rowid FROM post_fts')).scalars())  # type: ignore[call-overload]


def test_deleting_my_account_removes_profile_messages_uploads_and_ends_my_sessions(session, mia_member, olaf,
                                                                                 board_id):
    mia = mia_member
    members.update_profile(session, actor=mia, user_id=mia.id, name='Mia Member', organization='Kreis Wesel',
                           bio='E-Akte seit 2019', phone='0281 123', topics=['E-Akte'])
    avatar = members.set_avatar(session, actor=mia, user_id=mia.id, data=_png())
    thread = boards.create_thread(session, actor=mia, board_id=board_id, title='Wer nutzt die E-Akte?',
                                  body='Meine Frage', attachments=[('bericht.pdf', PDF)])
    [stored_name] = session.exec(select(Attachment.stored_name)).all()
    conversation = messages.start_conversation(session, actor=mia, member_ids=[olaf.id], body='Hallo Olaf')
    messages.send_message(session, actor=olaf, conversation_id=conversation, body='Hallo Mia')
    [mias_message] = session.exec(select(Message.id).where(Message.author_id == mia.id)).all()
    messages.report_message(session, actor=olaf, message_id=mias_message, reason='Werbung')
    phone, laptop = sign_in(session, 'mia@kreis-wesel.de'), sign_in(session, 'mia@kreis-wesel.de')
    export = data_export.request_export(session, actor=mia, start=False)
    data_export.build(export.token)
    export_path, _ = data_export.export_file(viewer=mia, token=export.token)
    ended = collect('sessions.ended')

    accounts.delete_own_account(session, actor=laptop.user, password=PASSWORD, keep_posts=True)

    gone = stored(session, mia.id)
    assert (gone.name, gone.email, gone.status, gone.organization_id) == (
        'Ehemaliges Mitglied', f'deleted-{mia.id}@invalid', Status.DELETED, None)
    assert session.get(MemberProfile, mia.id) is None
    assert session.exec(select(MemberTag).where(MemberTag.user_id == mia.id)).all() == []
    assert images.avatar_path(avatar) is None
    # Messages: mine are gone (with the report about one of them); Olaf keeps his.
    assert [m.body for m in session.exec(select(Message).where(Message.conversation_id == conversation))] == [
        'Hallo Mia']
    assert session.exec(select(MessageReport)).all() == []
    view = messages.open_conversation(session, viewer=olaf, conversation_id=conversation)
    assert [m.body_html for m in view.messages] == ['<p>Hallo Mia</p>'] and view.can_write is False
    # Uploads: the attachment's row and file are gone, the post stays under the placeholder name.
    assert session.exec(select(Attachment)).all() == [] and posts.attachment_path(stored_name) is None
    question = posts.get_post(session, viewer=olaf, post_id=session.exec(
        select(Post.id).where(Post.thread_id == thread)).one())
    assert question.author.name == 'Ehemaliges Mitglied' and question.body == 'Meine Frage'
    # Sessions: every one ended at once, and open pages were told.
    assert session.exec(select(UserSession).where(UserSession.user_id == mia.id)).all() == []
    assert {phone.session_id, laptop.session_id} <= set(ended[-1].data['session_ids'])
    assert accounts.user_for_session(session, phone.session_id) is None
    assert not export_path.exists()


def test_the_deletion_is_recorded_with_the_account_number_only(session, mia_member):
    accounts.delete_own_account(session, actor=mia_member, password=PASSWORD, keep_posts=True)

    [entry] = entries(session, 'account.self_deleted')
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mia_member.id, 'user', str(mia_member.id))
    assert json.loads(entry.details) == {'keep_posts': True, 'posts_deleted': 0}
    written = f'{entry.details} {entry.ip} {entry.target_id}'.lower()
    assert 'mia' not in written and 'wesel' not in written
    assert entries(session, 'user.deleted') == []  # one action, one entry


def test_deleting_my_posts_keeps_the_answers_of_others(session, mia_member, olaf, mo_moderator, board_id):
    mia = mia_member
    alone = boards.create_thread(session, actor=mia, board_id=board_id, title='Niemand antwortet',
                                 body='Mias einsame Frage')
    answered = boards.create_thread(session, actor=mia, board_id=board_id, title='Wer nutzt die E-Akte?',
                                    body='Mias beantwortete Frage')
    posts.reply(session, actor=mia, thread_id=answered, body='Mias Nachtrag')
    olafs_answer = posts.reply(session, actor=olaf, thread_id=answered, body='Olafs Antwort').id
    olafs = boards.create_thread(session, actor=olaf, board_id=board_id, title='Olafs Frage', body='Olafs Frage')
    mias_reply = posts.reply(session, actor=mia, thread_id=olafs, body='Mias Antwort').id
    moderation.lock_thread(session, actor=mo_moderator, thread_id=olafs)  # locked: still Mia's text goes
    before_index = indexed_posts(session)

    accounts.delete_own_account(session, actor=mia, password=PASSWORD, keep_posts=False)

    session.expire_all()
    assert session.get(Thread, alone).deleted  # nobody else wrote there: the thread goes
    assert not session.get(Thread, answered).deleted and not session.get(Thread, olafs).deleted
    live = session.exec(select(Post.body).where(col(Post.deleted).is_(False))).all()
    assert sorted(live) == ['Olafs Antwort', 'Olafs Frage']
    mine = session.exec(select(Post).where(Post.author_id == mia.id)).all()
    assert len(mine) == 4 and all(p.deleted and p.body == '' and p.body_html == '' for p in mine)
    assert session.get(Thread, answered).reply_count == 1 and session.get(Thread, olafs).reply_count == 0
    assert olafs_answer in indexed_posts(session) and mias_reply in before_index
    assert not {p.id for p in mine} & indexed_posts(session)
    view = boards.open_thread(session, viewer=olaf, thread_id=answered)
    assert [(p.number, p.deleted) for p in view.posts] == [(1, True), (2, True), (3, False)]
    [entry] = entries(session, 'account.self_deleted')
    assert json.loads(entry.details) == {'keep_posts': False, 'posts_deleted': 4}


def test_a_wrong_password_changes_nothing(session, mia_member):
    for wrong in ('', 'falsches-Passwort-1'):
        with pytest.raises(Invalid) as refused:
            accounts.delete_own_account(session, actor=mia_member, password=wrong, keep_posts=True)
        assert refused.value.field == 'password'
    assert stored(session, mia_member.id).status == Status.ACTIVE
    assert entries(session, 'account.self_deleted') == []


def test_the_last_active_administrator_cannot_delete_her_account(session, ada_admin):
    with pytest.raises(Invalid) as refused:
        accounts.delete_own_account(session, actor=ada_admin, password=PASSWORD, keep_posts=True)
    assert refused.value.field == 'account'
    assert stored(session, ada_admin.id).status == Status.ACTIVE

    make_user(session, 'Bea Admin', 'bea@essen.de', role=Role.ADMIN)
    accounts.delete_own_account(session, actor=ada_admin, password=PASSWORD, keep_posts=True)
    assert stored(session, ada_admin.id).status == Status.DELETED


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_only_an_active_member_deletes_their_account_this_way(session, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        accounts.delete_own_account(session, actor=actor, password=PASSWORD, keep_posts=True)
    with pytest.raises(NotAllowed):
        accounts.delete_own_account(session, actor=None, password=PASSWORD, keep_posts=True)
    assert stored(session, actor.id).status == actor.status


def test_a_deleted_account_cannot_sign_in_and_its_address_is_free_again(session, mia_member):
    accounts.delete_own_account(session, actor=mia_member, password=PASSWORD, keep_posts=True)

    with pytest.raises(Invalid):
        sign_in(session, 'mia@kreis-wesel.de')
    with pytest.raises(NotAllowed):  # a page still holding the old member object gets nowhere
        accounts.delete_own_account(session, actor=mia_member, password=PASSWORD, keep_posts=True)
    assert session.exec(select(User).where(User.email_key == 'mia@kreis-wesel.de')).first() is None


def test_the_password_is_checked_outside_a_transaction(session, mia_member, monkeypatch):
    from services import passwords

    seen: list[bool] = []
    real = passwords.verify

    def verify(password, stored_hash):  # noqa: ANN001, ANN202
        seen.append(session.in_transaction())
        return real(password, stored_hash)

    monkeypatch.setattr(passwords, 'verify', verify)
    accounts.delete_own_account(session, actor=mia_member, password=PASSWORD, keep_posts=True)
    assert seen == [False]


def test_an_administrators_deletion_removes_messages_and_uploads_too(session, ada_admin, mia_member, olaf, board_id):
    """One anonymisation for both ways of deleting: the administration's deletion is an Art. 17 erasure as well."""
    boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage', body='?',
                         attachments=[('bericht.pdf', PDF)])
    [stored_name] = session.exec(select(Attachment.stored_name)).all()
    messages.start_conversation(session, actor=mia_member, member_ids=[olaf.id], body='Hallo Olaf')
    from services import notifications

    notifications.notify(session, [mia_member.id], kind='mention', text='Hallo')
    session.commit()

    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)

    assert session.exec(select(Message).where(Message.author_id == mia_member.id)).all() == []
    assert session.exec(select(Notification).where(Notification.user_id == mia_member.id)).all() == []
    assert posts.attachment_path(stored_name) is None
