"""What is new for a member: new and unread marks, read marks, news per board, muting, the "Ungelesen" list."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import Thread, ThreadRead
from models.user import User
from services import boards, moderation, posts, reading
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


@pytest.fixture
def lea(session):
    """A reader who joined before any thread was written."""
    return make_user(session, 'Lea Leserin', 'lea@essen.de')


def start(session: Session, actor, board_id: int, title: str = 'Frage zur E-Akte') -> int:
    return boards.create_thread(session, actor=actor, board_id=board_id, title=title, body='Wie geht das?')


def answer(session: Session, actor, thread_id: int, body: str = 'So geht das.') -> int:
    return posts.reply(session, actor=actor, thread_id=thread_id, body=body).number


def row_of(session: Session, viewer, thread_id: int, slug: str = 'allgemeines'):
    page = boards.list_threads(session, viewer=viewer, slug=slug)
    return next(r for r in page.items if r.id == thread_id)


def news(session: Session, viewer) -> dict[str, int]:
    return {s.board.slug: s.news for s in boards.list_boards(session, viewer=viewer)}


def read_mark(session: Session, user_id: int, thread_id: int) -> int:
    state = session.get(ThreadRead, (user_id, thread_id), populate_existing=True)
    assert state is not None
    return state.last_read_number


def joined_long_ago(session: Session, user) -> None:
    session.execute(update(User).where(col(User.id) == user.id).values(created_at=utcnow() - timedelta(days=400)))
    session.commit()


def backdate(session: Session, thread_id: int, days: float) -> None:
    session.execute(update(Thread).where(col(Thread.id) == thread_id)
                    .values(last_post_at=utcnow() - timedelta(days=days)))
    session.commit()


# ---------------------------------------------------------------- new and unread


def test_a_thread_never_opened_is_new(session, board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    row = row_of(session, lea, thread_id)
    assert (row.is_new, row.unread, row.first_unread) == (True, 0, None)


def test_an_opened_thread_is_neither_new_nor_unread(session, board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    boards.open_thread(session, viewer=lea, thread_id=thread_id)
    row = row_of(session, lea, thread_id)
    assert (row.is_new, row.unread, row.first_unread) == (False, 0, None)


def test_replies_after_reading_are_unread(session, board_id, lea, mia_member, mo_moderator):
    thread_id = start(session, mia_member, board_id)
    boards.open_thread(session, viewer=lea, thread_id=thread_id)
    answer(session, mo_moderator, thread_id)
    answer(session, mia_member, thread_id)
    row = row_of(session, lea, thread_id)
    assert (row.is_new, row.unread, row.first_unread) == (False, 2, 2)
    view = boards.open_thread(session, viewer=lea, thread_id=thread_id)
    assert view.first_unread == 2
    row = row_of(session, lea, thread_id)
    assert (row.unread, row.first_unread) == (0, None)


def test_the_authors_own_posts_are_read(session, board_id, mia_member, mo_moderator):
    thread_id = start(session, mia_member, board_id)
    assert row_of(session, mia_member, thread_id).is_new is False
    assert reading.count_news(session, viewer=mia_member) == 0
    answer(session, mo_moderator, thread_id)
    row = row_of(session, mia_member, thread_id)
    assert (row.unread, row.first_unread) == (1, 2)
    assert reading.count_news(session, viewer=mia_member) == 1
    answer(session, mia_member, thread_id)
    assert row_of(session, mia_member, thread_id).unread == 0
    assert reading.count_news(session, viewer=mia_member) == 0
    assert read_mark(session, mia_member.id, thread_id) == 3


def test_a_reply_in_a_thread_never_opened_makes_the_replier_read_it(session, board_id, mia_member, mo_moderator):
    thread_id = start(session, mia_member, board_id)
    for n in range(3):
        answer(session, mia_member, thread_id, body=f'Nachtrag {n}')
    answer(session, mo_moderator, thread_id)
    assert read_mark(session, mo_moderator.id, thread_id) == 5
    assert reading.count_news(session, viewer=mo_moderator) == 0


def test_mark_read_never_moves_back(session, board_id, lea, mia_member, mo_moderator):
    thread_id = start(session, mia_member, board_id)
    for _ in range(4):
        answer(session, mo_moderator, thread_id)
    reading.mark_read(session, actor=lea, thread_id=thread_id, number=3)
    assert read_mark(session, lea.id, thread_id) == 3
    reading.mark_read(session, actor=lea, thread_id=thread_id, number=1)
    assert read_mark(session, lea.id, thread_id) == 3
    row = row_of(session, lea, thread_id)
    assert (row.unread, row.first_unread) == (2, 4)
    reading.mark_read(session, actor=lea, thread_id=thread_id, number=5)
    assert row_of(session, lea, thread_id).unread == 0


# ---------------------------------------------------------------- news per board


def test_news_is_counted_per_board(session, board_id, other_board_id, lea, mia_member, mo_moderator):
    first = start(session, mia_member, board_id, 'Erste Frage hier')
    start(session, mia_member, board_id, 'Zweite Frage hier')
    read = start(session, mia_member, board_id, 'Dritte Frage hier')
    start(session, mo_moderator, other_board_id, 'Technische Frage')
    boards.open_thread(session, viewer=lea, thread_id=read)
    boards.open_thread(session, viewer=lea, thread_id=first)
    answer(session, mo_moderator, first)
    assert news(session, lea) == {'allgemeines': 2, 'technik': 1}
    assert reading.count_news(session, viewer=lea) == 3
    assert boards.list_threads(session, viewer=lea, slug='allgemeines').board.news == 2
    # Mo answered the first thread (read to his answer) and wrote the technical one.
    assert news(session, mo_moderator) == {'allgemeines': 2, 'technik': 0}


def test_deleted_threads_are_no_news(session, board_id, lea, mia_member, mo_moderator):
    thread_id = start(session, mia_member, board_id)
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    assert reading.count_news(session, viewer=lea) == 0
    assert reading.unread_threads(session, viewer=lea)[1] == 0


def test_a_muted_thread_has_no_news(session, board_id, lea, mia_member, mo_moderator):
    muted = start(session, mia_member, board_id, 'Uninteressante Frage')
    other = start(session, mia_member, board_id, 'Interessante Frage')
    reading.set_thread_watch(session, actor=lea, thread_id=muted, level='muted')
    assert news(session, lea) == {'allgemeines': 1}
    row = row_of(session, lea, muted)
    assert (row.is_new, row.unread) == (False, 0)
    boards.open_thread(session, viewer=lea, thread_id=muted)
    answer(session, mo_moderator, muted)
    assert row_of(session, lea, muted).unread == 0
    assert [r.id for r in reading.unread_threads(session, viewer=lea)[0]] == [other]
    assert boards.open_thread(session, viewer=lea, thread_id=muted).watch == 'muted'


def test_replying_watches_a_thread_but_does_not_unmute_it(session, board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    reading.set_thread_watch(session, actor=lea, thread_id=thread_id, level='muted')
    posts.reply(session, actor=lea, thread_id=thread_id, body='Trotzdem eine Antwort.')
    assert session.get(ThreadRead, (lea.id, thread_id), populate_existing=True).watch == 'muted'
    reading.set_thread_watch(session, actor=lea, thread_id=thread_id, level='normal')
    posts.reply(session, actor=lea, thread_id=thread_id, body='Und noch eine.')
    row = session.get(ThreadRead, (lea.id, thread_id), populate_existing=True)
    assert (row.watch, row.last_read_number) == ('watching', 3)


def test_two_tabs_opening_a_thread_at_once_keep_one_read_mark(session, board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    assert reading.ensure_read_row(session, lea.id, thread_id, number=1) is True
    assert reading.ensure_read_row(session, lea.id, thread_id, number=1) is False  # no IntegrityError
    reading.mark_read(session, actor=lea, thread_id=thread_id, number=1, count_view=True)
    session.commit()
    assert session.get(ThreadRead, (lea.id, thread_id), populate_existing=True).last_read_number == 1


def test_a_muted_board_has_no_news(session, board_id, other_board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    start(session, mia_member, other_board_id, 'Technische Frage')
    reading.set_board_watch(session, actor=lea, board_id=board_id, level='muted')
    assert news(session, lea) == {'allgemeines': 0, 'technik': 1}
    row = row_of(session, lea, thread_id)
    assert (row.is_new, row.unread) == (False, 0)
    page = boards.list_threads(session, viewer=lea, slug='allgemeines')
    assert page.board.watch == 'muted' and page.board.news == 0
    assert {s.board.slug: s.watch for s in boards.list_boards(session, viewer=lea)}['allgemeines'] == 'muted'
    assert [r.title for r in reading.unread_threads(session, viewer=lea)[0]] == ['Technische Frage']
    reading.set_board_watch(session, actor=lea, board_id=board_id, level='normal')
    assert news(session, lea) == {'allgemeines': 1, 'technik': 1}


def test_unknown_watch_levels_and_targets(session, board_id, lea, mia_member):
    thread_id = start(session, mia_member, board_id)
    with pytest.raises(Invalid):
        reading.set_thread_watch(session, actor=lea, thread_id=thread_id, level='loud')
    with pytest.raises(Invalid):
        reading.set_board_watch(session, actor=lea, board_id=board_id, level='loud')
    with pytest.raises(NotFound):
        reading.set_thread_watch(session, actor=lea, thread_id=999, level='muted')
    with pytest.raises(NotFound):
        reading.set_board_watch(session, actor=lea, board_id=999, level='muted')
    with pytest.raises(NotFound):
        reading.mark_board_read(session, actor=lea, board_id=999)


def test_mark_board_read(session, board_id, other_board_id, lea, mia_member, mo_moderator):
    first = start(session, mia_member, board_id, 'Erste Frage hier')
    start(session, mia_member, board_id, 'Zweite Frage hier')
    start(session, mia_member, other_board_id, 'Technische Frage')
    reading.mark_board_read(session, actor=lea, board_id=board_id)
    assert news(session, lea) == {'allgemeines': 0, 'technik': 1}
    assert not row_of(session, lea, first).is_new
    answer(session, mo_moderator, first)  # new activity after marking: news again
    assert news(session, lea) == {'allgemeines': 1, 'technik': 1}
    assert row_of(session, lea, first).is_new
    reading.mark_board_read(session, actor=lea, board_id=board_id)  # a second time moves the moment on
    assert news(session, lea)['allgemeines'] == 0


# ---------------------------------------------------------------- the "Ungelesen" list


def test_unread_threads_newest_activity_first(session, board_id, other_board_id, lea, mia_member, mo_moderator):
    old = start(session, mia_member, board_id, 'Alte Frage hier')
    seen = start(session, mia_member, board_id, 'Gelesene Frage')
    tech = start(session, mo_moderator, other_board_id, 'Technische Frage')
    boards.open_thread(session, viewer=lea, thread_id=old)
    boards.open_thread(session, viewer=lea, thread_id=seen)
    answer(session, mo_moderator, old)
    items, total, page, pages = reading.unread_threads(session, viewer=lea)
    assert [r.id for r in items] == [old, tech]
    assert (total, page, pages) == (2, 1, 1)
    assert (items[0].unread, items[0].first_unread, items[0].is_new) == (1, 2, False)
    assert (items[1].is_new, items[1].board.slug) == (True, 'technik')
    assert items[0].last_poster == 'Mo Moderator'


def test_unread_threads_pages(session, board_id, lea, mia_member):
    joined_long_ago(session, lea)
    now = utcnow()
    ids = []
    for n in range(5):
        thread_id = start(session, mia_member, board_id, f'Frage Nummer {n}')
        session.execute(update(Thread).where(col(Thread.id) == thread_id)
                        .values(last_post_at=now - timedelta(minutes=10 - n)))
        session.commit()
        ids.append(thread_id)
    first, total, page, pages = reading.unread_threads(session, viewer=lea, page_size=2)
    assert [r.id for r in first] == [ids[4], ids[3]] and (total, page, pages) == (5, 1, 3)
    second = reading.unread_threads(session, viewer=lea, page=2, page_size=2)[0]
    assert [r.id for r in second] == [ids[2], ids[1]]
    last, _, page, _ = reading.unread_threads(session, viewer=lea, page=10, page_size=2)
    assert [r.id for r in last] == [ids[0]] and page == 3


def test_nothing_unread(session, board_id, lea):
    assert reading.unread_threads(session, viewer=lea) == ([], 0, 1, 1)
    assert reading.count_news(session, viewer=lea) == 0


# ---------------------------------------------------------------- the news window


def test_threads_older_than_the_news_window_are_no_news(session, board_id, mia_member, lea):
    joined_long_ago(session, lea)
    old = start(session, mia_member, board_id, 'Uralte Frage hier')
    recent = start(session, mia_member, board_id, 'Recht neue Frage')
    backdate(session, old, reading.NEWS_DAYS + 1)
    backdate(session, recent, reading.NEWS_DAYS - 1)
    assert reading.count_news(session, viewer=lea) == 1
    assert [r.id for r in reading.unread_threads(session, viewer=lea)[0]] == [recent]
    assert row_of(session, lea, old).is_new is False
    assert row_of(session, lea, recent).is_new is True


def test_an_old_thread_with_a_new_reply_is_news_again(session, board_id, mia_member, mo_moderator, lea):
    joined_long_ago(session, lea)
    thread_id = start(session, mia_member, board_id)
    boards.open_thread(session, viewer=lea, thread_id=thread_id)
    backdate(session, thread_id, reading.NEWS_DAYS + 10)
    answer(session, mo_moderator, thread_id)
    row = row_of(session, lea, thread_id)
    assert (row.unread, row.first_unread) == (1, 2)
    assert reading.count_news(session, viewer=lea) == 1


def test_threads_from_before_joining_are_no_news(session, board_id, mia_member):
    thread_id = start(session, mia_member, board_id)
    backdate(session, thread_id, 1)
    newcomer = make_user(session, 'Nina Neu', 'nina@essen.de')
    assert reading.count_news(session, viewer=newcomer) == 0
    assert row_of(session, newcomer, thread_id).is_new is False


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_pending_and_deactivated_users_have_no_read_marks(session, board_id, mia_member, persona, request):
    thread_id = start(session, mia_member, board_id)
    outsider = request.getfixturevalue(persona)
    calls = [
        lambda: reading.count_news(session, viewer=outsider),
        lambda: reading.unread_threads(session, viewer=outsider),
        lambda: reading.mark_read(session, actor=outsider, thread_id=thread_id, number=1),
        lambda: reading.set_thread_watch(session, actor=outsider, thread_id=thread_id, level='muted'),
        lambda: reading.set_board_watch(session, actor=outsider, board_id=board_id, level='muted'),
        lambda: reading.mark_board_read(session, actor=outsider, board_id=board_id),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    session.rollback()
    assert session.get(ThreadRead, (outsider.id, thread_id)) is None


def test_read_marks_of_many_open_pages_are_written_together(session, board_id, lea, mia_member, dora_deactivated):
    first = start(session, mia_member, board_id)
    second = start(session, mia_member, board_id)
    reading.mark_read(session, actor=lea, thread_id=second, number=1)
    answer(session, mia_member, second)
    answer(session, mia_member, second)
    done = reading.mark_read_many(session, marks=[(lea, first, 1), (lea, second, 3), (lea, second, 2),
                                                  (dora_deactivated, first, 1)])
    assert done == 3  # the deactivated member's mark is not written
    assert session.get(ThreadRead, (lea.id, first), populate_existing=True).last_read_number == 1
    assert session.get(ThreadRead, (lea.id, second), populate_existing=True).last_read_number == 3  # never back
    assert session.get(ThreadRead, (dora_deactivated.id, first)) is None
