"""The content settings at work: the longest post, the file types allowed as attachments, the edit window."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from models.board import Post
from services import boards, files, posts, uploads
from services import settings as site_settings
from services.board_views import edit_window_open
from services.errors import Invalid, NotAllowed

PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
CSV = b'Name;Ort\nMia;Essen\n'


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(files, '_data_dir', None)
    files.configure(tmp_path)


@pytest.fixture
def thread_id(session, board_id, mia_member) -> int:
    return boards.create_thread(session, actor=mia_member, board_id=board_id, title='Frage zur Grundsteuer',
                                body='Wie berechnen Sie die Grundsteuer?')


def setting(session, admin, **values) -> None:
    site_settings.update_settings(session, actor=admin, values=values)


def age(session, post_id: int, minutes: int) -> None:
    """Pretend the post was written `minutes` ago."""
    then = datetime.now(UTC) - timedelta(minutes=minutes)
    session.execute(update(Post).where(col(Post.id) == post_id).values(created_at=then))
    session.commit()


# ---------------------------------------------------------------- max_post_length


def test_the_default_limit_is_the_setting_not_the_ceiling(session, thread_id, mia_member):
    assert posts.max_post_length(session) == 20_000
    with pytest.raises(Invalid) as e:
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='x' * 20_001)
    assert e.value.field == 'body' and e.value.params == {'n': '20.000', 'length': '20.001'}
    assert posts.reply(session, actor=mia_member, thread_id=thread_id, body='x' * 20_000).number == 2


def test_a_lower_limit_applies_to_new_threads_replies_and_edits(session, ada_admin, board_id, thread_id,
                                                                mia_member, mo_moderator):
    answer = posts.reply(session, actor=mia_member, thread_id=thread_id, body='y' * 900)
    setting(session, ada_admin, max_post_length=500)
    with pytest.raises(Invalid) as e:
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='x' * 501)
    assert e.value.params['n'] == '500'
    with pytest.raises(Invalid):
        boards.create_thread(session, actor=mia_member, board_id=board_id, title='Noch eine Frage', body='x' * 501)
    with pytest.raises(Invalid):
        posts.edit_post(session, actor=mo_moderator, post_id=answer.id, body='z' * 501)
    assert posts.edit_post(session, actor=mia_member, post_id=answer.id, body='z' * 500).body == 'z' * 500


# ---------------------------------------------------------------- allowed_file_types


def test_check_attachment_refuses_types_the_administration_did_not_allow():
    with pytest.raises(Invalid) as e:
        uploads.check_attachment('liste.csv', CSV, allowed=['pdf', 'png'])
    assert e.value.field == 'attachments'
    assert e.value.params['types'] == '.pdf, .png' and e.value.params['ext'] == '.csv'
    assert uploads.check_attachment('liste.csv', CSV, allowed=['csv']).kind == 'csv'
    with pytest.raises(Invalid):  # the content check still runs on an allowed type
        uploads.check_attachment('bericht.pdf', b'kein pdf', allowed=['pdf'])


def test_the_accept_list_follows_the_allowed_types():
    assert uploads.accept_list(['pdf', 'docx']) == '.pdf,.docx'
    assert uploads.accept_list(['pdf', 'exe']) == '.pdf'


def test_replies_follow_the_setting(session, ada_admin, thread_id, mia_member):
    setting(session, ada_admin, allowed_file_types=['pdf'])
    with pytest.raises(Invalid) as e:
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Liste', attachments=[('l.csv', CSV)])
    assert e.value.params['types'] == '.pdf'
    assert len(posts.reply(session, actor=mia_member, thread_id=thread_id, body='PDF',
                           attachments=[('a.pdf', PDF)]).attachments) == 1
    setting(session, ada_admin, allowed_file_types=['csv'])
    with pytest.raises(Invalid):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='PDF', attachments=[('a.pdf', PDF)])
    assert len(posts.reply(session, actor=mia_member, thread_id=thread_id, body='Liste',
                           attachments=[('l.csv', CSV)]).attachments) == 1


# ---------------------------------------------------------------- edit_window_minutes


def test_edit_window_open():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert edit_window_open(now - timedelta(days=400), 0, now)
    assert edit_window_open(now - timedelta(minutes=10), 10, now)
    assert not edit_window_open(now - timedelta(minutes=10, seconds=1), 10, now)
    assert not edit_window_open((now - timedelta(minutes=11)).replace(tzinfo=None), 10, now)  # SQLite's naive times


def test_after_the_window_only_moderators_edit(session, ada_admin, thread_id, mia_member, mo_moderator):
    answer = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Erste Fassung')
    age(session, answer.id, 11)
    assert posts.edit_post(session, actor=mia_member, post_id=answer.id, body='Zweite Fassung').body == (
        'Zweite Fassung')  # no window by default
    setting(session, ada_admin, edit_window_minutes=10)
    with pytest.raises(NotAllowed) as e:
        posts.edit_post(session, actor=mia_member, post_id=answer.id, body='Dritte Fassung')
    assert e.value.params == {'n': 10} and 'Moderation' in e.value.message
    assert posts.edit_post(session, actor=mo_moderator, post_id=answer.id, body='Vierte Fassung').body == (
        'Vierte Fassung')
    fresh = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Gerade geschrieben')
    assert posts.edit_post(session, actor=mia_member, post_id=fresh.id, body='Gleich verbessert').body == (
        'Gleich verbessert')
    assert boards.open_thread(session, viewer=mia_member, thread_id=thread_id).edit_window_minutes == 10
