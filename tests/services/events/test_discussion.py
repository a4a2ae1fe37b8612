"""Each event's discussion (a thread in the board "Veranstaltungen") and its material after it took place."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from models.base import utcnow
from models.board import Attachment, Board, Post, Thread
from models.event import Event
from services import attendance, events, files
from services.errors import Invalid, NotAllowed
from tests.services.events.conftest import create, local


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Attachments are written to the data folder (restored after the test)."""
    monkeypatch.setattr(files, '_data_dir', None)
    files.configure(tmp_path)


PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'


def _make_past(session, event_id: int) -> None:
    """The event took place yesterday (services refuse to create events in the past)."""
    start = utcnow() - timedelta(days=1)
    session.execute(update(Event.__table__).where(Event.__table__.c.id == event_id).values(
        starts_at=start, ends_at=start + timedelta(hours=2)))
    session.commit()


def test_the_discussion_is_started_once_in_the_events_board(session, mia_member, olaf):
    event_id = create(session, mia_member, title='Fachtag E-Akte')
    first = events.open_discussion(session, actor=olaf, event_id=event_id)
    again = events.open_discussion(session, actor=mia_member, event_id=event_id)
    assert first == again
    thread = session.get(Thread, first)
    board = session.get(Board, thread.board_id)
    assert (board.slug, thread.title) == (events.EVENTS_BOARD_SLUG, 'Fachtag E-Akte')
    body = session.execute(select(Post.body).where(Post.thread_id == first, Post.number == 1)).scalar_one()
    assert f'(/events/{event_id})' in body
    assert session.execute(select(func.count()).select_from(Thread)).scalar_one() == 1
    assert events.get_event(session, viewer=olaf, event_id=event_id).thread_id == first


def test_a_series_and_its_dates_share_one_discussion(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17))
    child_id = events.resolve(session, series_id, date(2027, 3, 17))[0].id
    assert child_id != series_id
    assert events.open_discussion(session, actor=olaf, event_id=child_id) == \
        events.open_discussion(session, actor=mia_member, event_id=series_id)


def test_material_comes_after_the_event_from_organiser_and_attendees(session, mia_member, olaf, ben):
    event_id = create(session, mia_member, starts=local(2027, 3, 10, 10), ends=local(2027, 3, 10, 12))
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    with pytest.raises(NotAllowed):  # not before it took place
        events.add_material(session, actor=mia_member, event_id=event_id, note='Folien', files=[])
    _make_past(session, event_id)
    with pytest.raises(NotAllowed):  # Ben did not attend
        events.add_material(session, actor=ben, event_id=event_id, note='Meine Notizen', files=[])
    with pytest.raises(Invalid) as empty:
        events.add_material(session, actor=olaf, event_id=event_id, note='  ', files=[])
    assert empty.value.field == 'note'
    events.add_material(session, actor=olaf, event_id=event_id, note='Meine Mitschrift', files=[])
    events.add_material(session, actor=mia_member, event_id=event_id, note='', files=[('folien.pdf', PDF)])
    view = events.get_event(session, viewer=ben, event_id=event_id)
    assert [a.filename for a in view.material] == ['folien.pdf']
    bodies = session.execute(select(Post.body).where(Post.thread_id == view.thread_id).order_by(Post.number)
                             ).scalars().all()
    assert bodies[1:] == ['Meine Mitschrift', 'Material zur Veranstaltung']
    assert session.execute(select(func.count()).select_from(Attachment)).scalar_one() == 1


def test_a_forged_file_adds_no_material(session, mia_member):
    event_id = create(session, mia_member)
    _make_past(session, event_id)
    with pytest.raises(Invalid):
        events.add_material(session, actor=mia_member, event_id=event_id, note='Folien',
                            files=[('folien.pdf', b'MZ\x90\x00 not a pdf')])
    assert session.execute(select(func.count()).select_from(Attachment)).scalar_one() == 0
    assert events.get_event(session, viewer=mia_member, event_id=event_id).material == ()
