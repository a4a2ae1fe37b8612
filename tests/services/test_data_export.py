"""The self-service export (DSGVO Art. 15/20): what the ZIP holds, that it holds nothing of anyone else's private
data, its progress, one job at a time, only its owner downloads it, and it is gone after 24 hours."""

import json
import os
import time
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.base import utcnow
from models.board import Attachment
from models.event import Answer
from models.user import User
from services import attendance, boards, data_export, events, files, members, messages, posts, retention
from services.errors import Invalid, NotAllowed, NotFound
from services.events import EventInput
from tests.services.conftest import make_user

PDF = b'%PDF-1.4\n% Bericht von Mia\n%%EOF\n'
BASE = 'https://netz.example.org'


def _png() -> bytes:
    out = BytesIO()
    Image.new('RGB', (64, 64), (200, 30, 30)).save(out, 'PNG')
    return out.getvalue()


@dataclass
class World:
    mia: Any
    olaf: Any
    ada: Any
    thread: int
    olafs_thread: int
    direct: int
    group: int


@pytest.fixture(autouse=True)
def _fresh_jobs():
    data_export.reset()
    yield
    data_export.reset()


@pytest.fixture
def world(session: Session, tmp_path: Path, ada_admin, mia_member) -> World:
    files.configure(tmp_path)
    olaf = make_user(session, 'Olaf Other', 'olaf@essen.de')
    mia = mia_member
    members.update_profile(session, actor=mia, user_id=mia.id, name='Mia Member', organization='Kreis Wesel',
                           bio='Ich mache E-Akte seit 2019.', phone='0281 123', topics=['E-Akte'],
                           offers=['Schulungen'])
    members.set_avatar(session, actor=mia, user_id=mia.id, data=_png())
    # Olaf's private data: his phone (visible to nobody), his bio, his own conversation with Ada.
    members.update_profile(session, actor=olaf, user_id=olaf.id, name='Olaf Other', organization='Stadt Essen',
                           bio='OLAF-BIO-GEHEIM', phone='0201 999999', phone_visibility='none',
                           email_visibility='none')
    board = boards.create_board(session, actor=ada_admin, name='Digitales').id
    thread = boards.create_thread(session, actor=mia, board_id=board, title='Wer nutzt die E-Akte?',
                                  body='MIA-FRAGE: Wer nutzt die E-Akte?')
    posts.reply(session, actor=olaf, thread_id=thread, body='OLAF-ANTWORT: wir', attachments=[('olaf.pdf', PDF)])
    olafs_thread = boards.create_thread(session, actor=olaf, board_id=board, title='Olafs Frage',
                                        body='OLAF-FRAGE')
    posts.reply(session, actor=mia, thread_id=olafs_thread, body='MIA-ANTWORT mit Anhang',
                attachments=[('Bericht 2026/Q1?.pdf', PDF)])
    posts.toggle_reaction(session, actor=mia, post_id=_post_id(session, thread, 2), kind='thanks')
    direct = messages.start_conversation(session, actor=mia, member_ids=[olaf.id], body='MIA-AN-OLAF')
    messages.send_message(session, actor=olaf, conversation_id=direct, body='OLAF-AN-MIA')
    group = messages.start_conversation(session, actor=olaf, member_ids=[mia.id, ada_admin.id], body='GRUPPE-VORHER',
                                        title='Arbeitskreis')
    messages.leave_conversation(session, actor=mia, conversation_id=group)
    messages.send_message(session, actor=olaf, conversation_id=group, body='GRUPPE-NACH-MIAS-AUSTRITT')
    messages.start_conversation(session, actor=olaf, member_ids=[ada_admin.id], body='OLAF-AN-ADA-PRIVAT')
    start = (utcnow() + timedelta(days=20)).replace(tzinfo=None, hour=10, minute=0, second=0, microsecond=0)
    event = events.create_event(session, actor=mia, data=EventInput(
        title='MIA-WORKSHOP', starts=start, ends=start + timedelta(hours=2), location='Kreishaus Wesel'))
    adas = events.create_event(session, actor=ada_admin, data=EventInput(
        title='Fachtag', starts=start, ends=start + timedelta(hours=3), location='Rathaus'))
    attendance.rsvp(session, actor=mia, event_id=adas, answer=Answer.YES)
    attendance.rsvp(session, actor=olaf, event_id=event, answer=Answer.YES)
    messages.block_member(session, actor=mia, member_id=ada_admin.id)
    return World(mia, olaf, ada_admin, thread, olafs_thread, direct, group)


def _post_id(session: Session, thread_id: int, number: int) -> int:
    from models.board import Post

    return session.exec(select(Post.id).where(Post.thread_id == thread_id, Post.number == number)).one()


def _export(session: Session, actor: Any) -> zipfile.ZipFile:
    status = data_export.request_export(session, actor=actor, base_url=BASE, start=False)
    data_export.build(status.token)
    path, _name = data_export.export_file(viewer=actor, token=status.token)
    return zipfile.ZipFile(path)


def _json(archive: zipfile.ZipFile, name: str) -> Any:
    return json.loads(archive.read(name).decode('utf-8'))


def test_export_holds_my_profile_posts_messages_events_answers_and_uploads(session, world):
    archive = _export(session, world.mia)

    names = set(archive.namelist())
    assert {'profile.json', 'posts.json', 'messages.json', 'events.json', 'rsvps.json', 'notifications.json',
            'README.txt', 'uploads/profilbild.webp'} <= names
    profile = _json(archive, 'profile.json')
    assert profile['account']['name'] == 'Mia Member' and profile['account']['email'] == 'mia@kreis-wesel.de'
    assert profile['account']['organization'] == 'Kreis Wesel'
    assert profile['profile']['about_me'] == 'Ich mache E-Akte seit 2019.' and profile['profile']['phone'] == '0281 123'
    assert profile['topics'] == ['E-Akte'] and profile['offers'] == ['Schulungen']
    assert profile['blocked_members'] == [{'id': world.ada.id, 'name': 'Ada Admin'}]
    # The password's hash is not personal data worth having, and would help whoever finds the file.
    password_hash = session.get(User, world.mia.id).password_hash
    assert password_hash.encode() not in b''.join(archive.read(n) for n in archive.namelist())

    written = _json(archive, 'posts.json')
    by_text = {p['text_markdown']: p for p in written['posts']}
    assert set(by_text) == {'MIA-FRAGE: Wer nutzt die E-Akte?', 'MIA-ANTWORT mit Anhang'}
    question = by_text['MIA-FRAGE: Wer nutzt die E-Akte?']
    assert (question['kind'], question['thread_title'], question['link']) == (
        'question', 'Wer nutzt die E-Akte?', f'{BASE}/threads/{world.thread}#post-1')
    answer = by_text['MIA-ANTWORT mit Anhang']
    assert answer['thread_title'] == 'Olafs Frage' and answer['number'] == 2
    [attached] = answer['attachments']
    # The name as stored (the upload check keeps no folders); in the ZIP without characters Windows refuses.
    assert attached['filename'] == 'Q1?.pdf'
    stored = session.exec(select(Attachment.id).where(Attachment.filename == 'Q1?.pdf')).one()
    assert attached['file'] == f'uploads/anhaenge/{stored}-Q1_.pdf'
    assert archive.read(attached['file']) == PDF
    assert written['reactions_given'] == [{'post_id': _post_id(session, world.thread, 2), 'kind': 'thanks',
                                           'link': f'{BASE}/threads/{world.thread}#post-2'}]

    talk = _json(archive, 'messages.json')
    texts = [m['text_markdown'] for m in talk['messages']]
    assert texts == ['MIA-AN-OLAF', 'OLAF-AN-MIA', 'GRUPPE-VORHER']
    assert [m['from_me'] for m in talk['messages']] == [True, False, False]
    direct = next(c for c in talk['conversations'] if c['id'] == world.direct)
    assert direct['with'] == ['Olaf Other'] and direct['link'] == f'{BASE}/messages/{world.direct}'

    [event] = _json(archive, 'events.json')
    assert event['title'] == 'MIA-WORKSHOP' and event['location'] == 'Kreishaus Wesel'
    [answer] = _json(archive, 'rsvps.json')
    assert (answer['event_title'], answer['answer']) == ('Fachtag', 'yes')
    assert 'Auskunft nach Art. 15 DSGVO' in archive.read('README.txt').decode('utf-8')
    assert archive.testzip() is None


def test_export_holds_nothing_private_of_other_members(session, world):
    archive = _export(session, world.mia)

    everything = b''.join(archive.read(name) for name in archive.namelist())
    for secret in ('OLAF-BIO-GEHEIM', '0201 999999', 'olaf@essen.de', 'OLAF-AN-ADA-PRIVAT',
                   'GRUPPE-NACH-MIAS-AUSTRITT', 'ada@essen.de', 'OLAF-FRAGE', 'OLAF-ANTWORT'):
        assert secret.encode() not in everything, secret
    # Olaf's attachment is his upload, not Mia's.
    assert not [n for n in archive.namelist() if n.endswith('olaf.pdf')]
    # Olaf answered Mia's event: the attendee list is not Mia's data.
    assert b'Olaf' not in archive.read('events.json')


def test_progress_is_visible_while_the_export_is_built(session, world, monkeypatch):
    monkeypatch.setattr(data_export, 'BATCH', 1)  # one row per step: many steps even for this small network
    seen: list[tuple[str, int]] = []
    real = data_export._checkpoint

    def watch(job):  # noqa: ANN001, ANN202
        status = data_export.export_status(viewer=world.mia)
        seen.append((status.state, status.progress))
        real(job)

    monkeypatch.setattr(data_export, '_checkpoint', watch)
    status = data_export.request_export(session, actor=world.mia, start=False)
    assert (status.state, status.progress, status.busy) == ('queued', 0, True)

    data_export.build(status.token)

    progress = [p for _state, p in seen]
    assert all(state == 'running' for state, _p in seen[:-1])
    assert progress == sorted(progress) and len(set(progress)) >= 5 and 0 < progress[0] and max(progress) < 100
    done = data_export.export_status(viewer=world.mia)
    assert (done.state, done.progress, done.busy) == ('done', 100, False) and done.size > 0
    assert done.expires_at - utcnow() > timedelta(hours=23, minutes=59)


def test_export_is_built_in_a_background_thread(session, world):
    status = data_export.request_export(session, actor=world.mia)
    deadline = time.monotonic() + 20
    while (current := data_export.export_status(viewer=world.mia)).busy and time.monotonic() < deadline:
        time.sleep(0.05)
    assert current.state == 'done' and current.token == status.token
    path, name = data_export.export_file(viewer=world.mia, token=status.token)
    assert zipfile.ZipFile(path).read('profile.json') and name.startswith('verwaltungsnetz-meine-daten-')


def test_one_export_at_a_time_and_a_new_one_replaces_the_old(session, world):
    first = data_export.request_export(session, actor=world.mia, start=False)
    with pytest.raises(Invalid) as refused:
        data_export.request_export(session, actor=world.mia, start=False)
    assert refused.value.field == 'export'
    data_export.build(first.token)
    old_path, _ = data_export.export_file(viewer=world.mia, token=first.token)

    second = data_export.request_export(session, actor=world.mia, start=False)

    assert second.token != first.token and not old_path.exists()
    with pytest.raises(NotFound):
        data_export.export_file(viewer=world.mia, token=first.token)
    # Another member's job is theirs: it neither waits for nor blocks Mia's.
    data_export.request_export(session, actor=world.olaf, start=False)


def test_only_the_owner_downloads_and_only_a_finished_export(session, world):
    status = data_export.request_export(session, actor=world.mia, start=False)
    with pytest.raises(NotFound):  # not built yet
        data_export.export_file(viewer=world.mia, token=status.token)
    data_export.build(status.token)

    for viewer, token in ((world.olaf, status.token), (world.ada, status.token), (world.mia, 'f' * 32),
                          (world.mia, '../' + status.token), (world.mia, '')):
        with pytest.raises(NotFound):
            data_export.export_file(viewer=viewer, token=token)
    with pytest.raises(NotAllowed):
        data_export.export_file(viewer=None, token=status.token)
    path, _ = data_export.export_file(viewer=world.mia, token=status.token)
    assert path.parent.name == 'exports' and path.name == f'{status.token}.zip'


def test_an_export_expires_after_24_hours(session, world, monkeypatch):
    status = data_export.request_export(session, actor=world.mia, start=False)
    data_export.build(status.token)
    path, _ = data_export.export_file(viewer=world.mia, token=status.token)
    later = utcnow() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(data_export, 'utcnow', lambda: later)

    with pytest.raises(NotFound):
        data_export.export_file(viewer=world.mia, token=status.token)
    assert data_export.export_status(viewer=world.mia) is None
    assert not path.exists()


def test_the_hourly_clean_up_deletes_export_files_older_than_a_day(session, world):
    status = data_export.request_export(session, actor=world.mia, start=False)
    data_export.build(status.token)
    fresh, _ = data_export.export_file(viewer=world.mia, token=status.token)
    folder = fresh.parent
    orphan = folder / ('a' * 32 + '.zip')  # from before a restart: no job knows it any more
    orphan.write_bytes(b'PK')
    day_old = time.time() - 25 * 3600
    os.utime(orphan, (day_old, day_old))

    pruned = retention.prune(session)

    assert pruned.exports == 1 and not orphan.exists() and fresh.exists()
    assert retention.prune(session, now=utcnow() + timedelta(hours=25)).exports == 1
    assert not fresh.exists() and data_export.export_status(viewer=world.mia) is None


def test_the_request_is_audited_with_the_member_number_only(session, world):
    data_export.request_export(session, actor=world.mia, start=False)

    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'account.export')
                           .order_by(col(AuditEntry.id))).all()
    assert (entry.actor_id, entry.target_type, entry.target_id, json.loads(entry.details)) == (
        world.mia.id, 'user', str(world.mia.id), {})


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_only_active_members_export(session, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        data_export.request_export(session, actor=actor, start=False)
    with pytest.raises(NotAllowed):
        data_export.export_status(viewer=actor)


def test_a_large_history_is_read_in_batches(session, world, monkeypatch):
    """Memory stays bounded: no query reads more than BATCH rows, however many posts and messages there are."""
    monkeypatch.setattr(data_export, 'BATCH', 3)
    for i in range(10):
        posts.reply(session, actor=world.mia, thread_id=world.olafs_thread, body=f'Antwort {i}')
        messages.send_message(session, actor=world.mia, conversation_id=world.direct, body=f'Nachricht {i}')
    largest: list[int] = []
    real = data_export._Writer._batches

    def counting(self, query, shape, key):  # noqa: ANN001, ANN202
        for batch in real(self, query, shape, key):
            largest.append(len(batch))
            yield batch

    monkeypatch.setattr(data_export._Writer, '_batches', counting)
    archive = _export(session, world.mia)

    assert max(largest) == 3
    assert len(_json(archive, 'posts.json')['posts']) == 12
    assert len(_json(archive, 'messages.json')['messages']) == 13
