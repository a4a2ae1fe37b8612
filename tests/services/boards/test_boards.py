"""Boards and threads: managing boards, listing boards and threads, starting and opening threads, similar threads."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import Board, Post, Thread, ThreadRead
from models.user import Role, Status
from services import audit, boards, moderation, posts, reading
from services import settings as site_settings
from services.board_views import POSTS_PER_PAGE
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


def new_board(session: Session, admin, name: str = 'Allgemeines', **kwargs) -> int:
    return boards.create_board(session, actor=admin, name=name, **kwargs).id


def new_thread(session: Session, actor, board_id: int, title: str = 'Frage zur E-Akte',
               body: str = 'Wie führen Sie die E-Akte ein?', **kwargs) -> int:
    return boards.create_thread(session, actor=actor, board_id=board_id, title=title, body=body, **kwargs)


def set_thread(session: Session, thread_id: int, **values) -> None:
    session.execute(update(Thread).where(col(Thread.id) == thread_id).values(**values))
    session.commit()


def count(session: Session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def titles(page) -> list[str]:
    return [row.title for row in page.items]


# ---------------------------------------------------------------- board administration


def test_admin_creates_a_board_with_a_slug_from_its_name(session, ada_admin):
    ref = boards.create_board(session, actor=ada_admin, name='  Bürgerbeteiligung &  Open Data ',
                              description='Alles zur Beteiligung')
    assert ref.name == 'Bürgerbeteiligung & Open Data'
    assert ref.slug == 'buergerbeteiligung-open-data'
    assert ref.description == 'Alles zur Beteiligung'
    assert not ref.moderators_only and not ref.archived
    entry = audit.list_entries(session, action='board.create')[0]
    assert entry.actor_id == ada_admin.id and entry.target_id == str(ref.id)


def test_admin_may_choose_the_slug(session, ada_admin):
    ref = boards.create_board(session, actor=ada_admin, name='Ankündigungen', slug='News-2026',
                              moderators_only=True)
    assert ref.slug == 'news-2026'
    assert ref.moderators_only


@pytest.mark.parametrize('persona', ['mo_moderator', 'mia_member', 'pia_pending', 'dora_deactivated'])
def test_only_admins_create_boards(session, persona, request):
    with pytest.raises(NotAllowed):
        boards.create_board(session, actor=request.getfixturevalue(persona), name='Allgemeines')
    assert count(session, Board) == 0


def test_deactivated_admin_creates_no_board(session):
    former = make_user(session, 'Alte Admin', 'alt@essen.de', role=Role.ADMIN, status=Status.DEACTIVATED)
    with pytest.raises(NotAllowed):
        boards.create_board(session, actor=former, name='Allgemeines')


@pytest.mark.parametrize('name', ['', '   ', 'x' * 81])
def test_bad_board_names_are_refused(session, ada_admin, name):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name=name)
    assert e.value.field == 'name'
    assert count(session, Board) == 0


def test_board_name_of_80_characters_is_fine(session, ada_admin):
    assert boards.create_board(session, actor=ada_admin, name='x' * 80).name == 'x' * 80


def test_too_long_description_is_refused(session, ada_admin):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='Allgemeines', description='d' * 501)
    assert e.value.field == 'description'


@pytest.mark.parametrize('slug', ['mit leerzeichen', 'a--b', '-vorn', 'hinten-', 'straße', 'a_b', 'x/y', 'a' * 61])
def test_bad_slugs_are_refused(session, ada_admin, slug):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='Allgemeines', slug=slug)
    assert e.value.field == 'slug'
    assert count(session, Board) == 0


@pytest.mark.parametrize('slug', sorted(boards.RESERVED_SLUGS))
def test_reserved_slugs_are_refused(session, ada_admin, slug):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='Allgemeines', slug=slug)
    assert e.value.field == 'slug'
    assert e.value.message == 'Diese Adresse ist reserviert.'


def test_a_name_that_becomes_a_reserved_slug_is_refused(session, ada_admin):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='Neu')
    assert e.value.field == 'slug'


def test_a_name_without_letters_needs_a_slug(session, ada_admin):
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='!!!')
    assert e.value.field == 'slug'
    assert boards.create_board(session, actor=ada_admin, name='!!!', slug='ausrufe').slug == 'ausrufe'


def test_duplicate_slugs_are_refused(session, ada_admin):
    boards.create_board(session, actor=ada_admin, name='Allgemeines')
    with pytest.raises(Invalid) as e:
        boards.create_board(session, actor=ada_admin, name='Allgemeines')
    assert e.value.field == 'slug'
    assert e.value.message == 'Diese Adresse ist schon vergeben.'
    with pytest.raises(Invalid):
        boards.create_board(session, actor=ada_admin, name='Etwas anderes', slug='ALLGEMEINES')
    assert count(session, Board) == 1


def test_admin_updates_a_board(session, ada_admin):
    board_id = new_board(session, ada_admin)
    ref = boards.update_board(session, actor=ada_admin, board_id=board_id, name='Allgemeines & Sonstiges',
                              description='Was sonst nirgends passt', slug='sonstiges', moderators_only=True)
    assert (ref.name, ref.slug, ref.description, ref.moderators_only) == (
        'Allgemeines & Sonstiges', 'sonstiges', 'Was sonst nirgends passt', True)
    assert boards.get_board(session, viewer=ada_admin, slug='sonstiges').id == board_id
    with pytest.raises(NotFound):
        boards.get_board(session, viewer=ada_admin, slug='allgemeines')
    assert audit.list_entries(session, action='board.update')[0].target_id == str(board_id)


def test_update_keeps_the_slug_when_none_is_given(session, ada_admin):
    board_id = new_board(session, ada_admin)
    assert boards.update_board(session, actor=ada_admin, board_id=board_id, name='Neuer Name').slug == 'allgemeines'


def test_update_refuses_a_slug_of_another_board_and_reserved_ones(session, ada_admin):
    new_board(session, ada_admin, 'Technik')
    board_id = new_board(session, ada_admin)
    for slug in ('technik', 'admin', 'Nicht gut'):
        with pytest.raises(Invalid) as e:
            boards.update_board(session, actor=ada_admin, board_id=board_id, name='Allgemeines', slug=slug)
        assert e.value.field == 'slug'
    session.rollback()
    assert boards.get_board(session, viewer=ada_admin, slug='allgemeines').id == board_id


def test_update_of_a_missing_board_is_not_found(session, ada_admin):
    with pytest.raises(NotFound):
        boards.update_board(session, actor=ada_admin, board_id=999, name='Allgemeines')


@pytest.mark.parametrize('persona', ['mo_moderator', 'mia_member'])
def test_only_admins_update_archive_and_move_boards(session, ada_admin, persona, request):
    board_id = new_board(session, ada_admin)
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        boards.update_board(session, actor=actor, board_id=board_id, name='Gekapert')
    with pytest.raises(NotAllowed):
        boards.archive_board(session, actor=actor, board_id=board_id)
    with pytest.raises(NotAllowed):
        boards.move_board(session, actor=actor, board_id=board_id, offset=1)
    session.rollback()
    ref = boards.get_board(session, viewer=ada_admin, slug='allgemeines')
    assert ref.name == 'Allgemeines' and not ref.archived


def test_archived_boards_are_listed_last_and_can_come_back(session, ada_admin, mia_member):
    first = new_board(session, ada_admin, 'Erstes')
    new_board(session, ada_admin, 'Zweites')
    boards.archive_board(session, actor=ada_admin, board_id=first)
    listed = boards.list_boards(session, viewer=mia_member)
    assert [b.board.name for b in listed] == ['Zweites', 'Erstes']
    assert listed[1].board.archived
    assert audit.list_entries(session, action='board.archive')[0].target_id == str(first)
    boards.archive_board(session, actor=ada_admin, board_id=first, archived=False)
    assert [b.board.name for b in boards.list_boards(session, viewer=mia_member)] == ['Erstes', 'Zweites']
    assert audit.list_entries(session, action='board.unarchive')


def test_move_board_changes_the_order(session, ada_admin, mia_member):
    a, _, c = (new_board(session, ada_admin, name) for name in ('Anton', 'Berta', 'Caesar'))

    def order() -> list[str]:
        return [s.board.name for s in boards.list_boards(session, viewer=mia_member)]

    boards.move_board(session, actor=ada_admin, board_id=c, offset=-1)
    assert order() == ['Anton', 'Caesar', 'Berta']
    boards.move_board(session, actor=ada_admin, board_id=a, offset=1)
    assert order() == ['Caesar', 'Anton', 'Berta']
    boards.move_board(session, actor=ada_admin, board_id=c, offset=-1)  # already first: stays
    assert order() == ['Caesar', 'Anton', 'Berta']
    boards.move_board(session, actor=ada_admin, board_id=c, offset=10)  # past the end: last
    assert order() == ['Anton', 'Berta', 'Caesar']
    assert len(audit.list_entries(session, action='board.move')) == 4
    with pytest.raises(NotFound):
        boards.move_board(session, actor=ada_admin, board_id=999, offset=1)


def test_new_boards_come_after_existing_ones(session, ada_admin, mia_member):
    new_board(session, ada_admin, 'Zeppelin')
    new_board(session, ada_admin, 'Anton')
    assert [s.board.name for s in boards.list_boards(session, viewer=mia_member)] == ['Zeppelin', 'Anton']


# ---------------------------------------------------------------- list of boards


def test_list_boards_shows_counts_and_latest_activity(session, ada_admin, mia_member, mo_moderator):
    busy = new_board(session, ada_admin, 'Belebt')
    new_board(session, ada_admin, 'Leer')
    older = new_thread(session, mia_member, busy, title='Ältere Frage')
    newer = new_thread(session, mia_member, busy, title='Neuere Frage')
    posts.reply(session, actor=mo_moderator, thread_id=newer, body='Erste Antwort')
    posts.reply(session, actor=mo_moderator, thread_id=older, body='Späte Antwort')
    listed = {s.board.name: s for s in boards.list_boards(session, viewer=mia_member)}
    assert (listed['Belebt'].thread_count, listed['Belebt'].post_count) == (2, 4)
    assert listed['Belebt'].last_thread_id == older
    assert listed['Belebt'].last_thread_title == 'Ältere Frage'
    assert listed['Belebt'].last_post_at is not None
    assert (listed['Leer'].thread_count, listed['Leer'].post_count) == (0, 0)
    assert listed['Leer'].last_post_at is None and listed['Leer'].last_thread_title == ''


# ---------------------------------------------------------------- list of threads


@pytest.fixture
def three_threads(session, ada_admin, mia_member, mo_moderator) -> dict[str, int]:
    """A board with three threads: 'Alt' (answered and solved, active most recently), 'Mittel', 'Jung'."""
    board_id = new_board(session, ada_admin)
    now = utcnow()
    ids = {}
    for age, title in ((3, 'Alt ist die Frage'), (2, 'Mittel ist die Frage'), (1, 'Jung ist die Frage')):
        ids[title.split()[0]] = thread_id = new_thread(session, mia_member, board_id, title=title)
        set_thread(session, thread_id, created_at=now - timedelta(days=age), last_post_at=now - timedelta(days=age))
    answer = posts.reply(session, actor=mo_moderator, thread_id=ids['Alt'], body='Die Antwort')
    posts.mark_solution(session, actor=mia_member, post_id=answer.id)
    return ids


def test_threads_sorted_by_activity(session, mia_member, three_threads):
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines')
    assert titles(page) == ['Alt ist die Frage', 'Jung ist die Frage', 'Mittel ist die Frage']
    assert page.total == 3 and page.pages == 1
    assert page.board is not None and page.board.thread_count == 3


def test_unknown_sort_means_activity(session, mia_member, three_threads):
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='; DROP TABLE thread')
    assert titles(page) == ['Alt ist die Frage', 'Jung ist die Frage', 'Mittel ist die Frage']


def test_threads_sorted_newest_first(session, mia_member, three_threads):
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='newest')
    assert titles(page) == ['Jung ist die Frage', 'Mittel ist die Frage', 'Alt ist die Frage']


def test_unanswered_threads(session, mia_member, three_threads):
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='unanswered')
    assert titles(page) == ['Jung ist die Frage', 'Mittel ist die Frage']
    assert page.total == 2
    assert all(row.reply_count == 0 for row in page.items)


def test_solved_threads(session, mia_member, three_threads):
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='solved')
    assert titles(page) == ['Alt ist die Frage']
    assert page.total == 1
    assert page.items[0].solved and page.items[0].reply_count == 1
    assert page.items[0].last_poster == 'Mo Moderator'
    assert page.items[0].author is not None and page.items[0].author.name == 'Mia Member'


def test_pinned_threads_on_top_in_every_sort(session, mia_member, mo_moderator, three_threads):
    moderation.pin_thread(session, actor=mo_moderator, thread_id=three_threads['Mittel'])
    activity = boards.list_threads(session, viewer=mia_member, slug='allgemeines')
    assert titles(activity) == ['Mittel ist die Frage', 'Alt ist die Frage', 'Jung ist die Frage']
    assert activity.items[0].pinned and not activity.items[1].pinned
    newest = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='newest')
    assert titles(newest) == ['Mittel ist die Frage', 'Jung ist die Frage', 'Alt ist die Frage']
    unanswered = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort='unanswered')
    assert titles(unanswered) == ['Mittel ist die Frage', 'Jung ist die Frage']


def test_thread_list_pages(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    now = utcnow()
    for n in range(1, 6):
        thread_id = new_thread(session, mia_member, board_id, title=f'Frage Nummer {n}')
        set_thread(session, thread_id, last_post_at=now - timedelta(hours=10 - n))
    first = boards.list_threads(session, viewer=mia_member, slug='allgemeines', page_size=2)
    assert titles(first) == ['Frage Nummer 5', 'Frage Nummer 4']
    assert (first.total, first.page, first.pages) == (5, 1, 3)
    second = boards.list_threads(session, viewer=mia_member, slug='allgemeines', page=2, page_size=2)
    assert titles(second) == ['Frage Nummer 3', 'Frage Nummer 2']
    last = boards.list_threads(session, viewer=mia_member, slug='allgemeines', page=99, page_size=2)
    assert (titles(last), last.page) == (['Frage Nummer 1'], 3)
    before = boards.list_threads(session, viewer=mia_member, slug='allgemeines', page=-4, page_size=2)
    assert before.page == 1 and titles(before) == titles(first)
    assert len(boards.list_threads(session, viewer=mia_member, slug='allgemeines').items) == 5


def test_thread_list_of_an_empty_board(session, ada_admin, mia_member):
    new_board(session, ada_admin)
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', page=3)
    assert (page.items, page.total, page.page, page.pages) == ([], 0, 1, 1)


def test_deleted_threads_are_not_listed(session, mia_member, mo_moderator, three_threads):
    moderation.delete_thread(session, actor=mo_moderator, thread_id=three_threads['Jung'])
    for sort in boards.THREAD_SORTS:
        page = boards.list_threads(session, viewer=mia_member, slug='allgemeines', sort=sort)
        assert 'Jung ist die Frage' not in titles(page)
    page = boards.list_threads(session, viewer=mia_member, slug='allgemeines')
    assert page.total == 2 and len(page.items) == 2


def test_thread_list_of_unknown_board_is_not_found(session, mia_member):
    with pytest.raises(NotFound):
        boards.list_threads(session, viewer=mia_member, slug='gibt-es-nicht')


def test_thread_list_shows_tags(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    new_thread(session, mia_member, board_id, tags=['Vergabe', 'E-Akte', 'e-akte '])
    row = boards.list_threads(session, viewer=mia_member, slug='allgemeines').items[0]
    assert [t.name for t in row.tags] == ['E-Akte', 'Vergabe']
    assert [t.key for t in row.tags] == ['e-akte', 'vergabe']


# ---------------------------------------------------------------- starting a thread


def test_create_thread_writes_the_thread_its_first_post_and_counters(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, title='  Frage   zur E-Akte ', body='**Wie** geht das?')
    thread = session.get(Thread, thread_id)
    assert thread is not None
    assert (thread.title, thread.author_id, thread.post_count, thread.reply_count) == (
        'Frage zur E-Akte', mia_member.id, 1, 0)
    first = session.execute(select(Post).where(col(Post.thread_id) == thread_id)).scalars().one()
    assert first.number == 1 and first.body == '**Wie** geht das?'
    assert '<strong>Wie</strong>' in first.body_html
    board = session.get(Board, board_id)
    assert board is not None
    assert (board.thread_count, board.post_count, board.last_thread_id) == (1, 1, thread_id)
    state = session.get(ThreadRead, (mia_member.id, thread_id))
    assert state is not None and state.last_read_number == 1 and state.watch == 'watching'
    assert audit.list_entries(session, action='thread.create')[0].target_id == str(thread_id)


@pytest.mark.parametrize(('title', 'params'), [
    ('', {}),
    ('    ', {}),
    ('abcd', {'n': 5}),
    ('x' * 300, {'n': 200, 'length': 300}),
])
def test_bad_titles_are_refused_with_a_message(session, ada_admin, mia_member, title, params):
    board_id = new_board(session, ada_admin)
    with pytest.raises(Invalid) as e:
        new_thread(session, mia_member, board_id, title=title)
    assert e.value.field == 'title'
    assert e.value.message
    assert e.value.params == params
    session.rollback()
    assert count(session, Thread) == 0 and count(session, Post) == 0


def test_titles_of_5_and_200_characters_are_fine(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    assert new_thread(session, mia_member, board_id, title='abcde')
    assert new_thread(session, mia_member, board_id, title='y' * 200)


@pytest.mark.parametrize('body', ['', ' \n\r\n  ', 'x' * 50_001])
def test_bad_bodies_are_refused(session, ada_admin, mia_member, body):
    board_id = new_board(session, ada_admin)
    with pytest.raises(Invalid) as e:
        new_thread(session, mia_member, board_id, body=body)
    assert e.value.field == 'body'
    assert e.value.message
    session.rollback()
    assert count(session, Thread) == 0


def test_a_body_of_50000_characters_is_fine_when_the_setting_allows_it(session, ada_admin, mia_member):
    site_settings.set_setting(session, actor=ada_admin, key='max_post_length', value=50_000)
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, body='x' * 50_000)
    assert len(session.execute(select(Post.body).where(col(Post.thread_id) == thread_id)).scalar_one()) == 50_000


def test_more_than_five_tags_are_refused(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    with pytest.raises(Invalid) as e:
        new_thread(session, mia_member, board_id, tags=['eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs'])
    assert e.value.field == 'tags'
    session.rollback()
    assert count(session, Thread) == 0
    assert new_thread(session, mia_member, board_id, tags=['eins', 'zwei', 'drei', 'vier', 'fünf', 'Fünf'])


def test_create_thread_in_a_missing_board_is_not_found(session, mia_member):
    with pytest.raises(NotFound):
        new_thread(session, mia_member, 999)


def test_moderators_only_board(session, ada_admin, mo_moderator, mia_member):
    board_id = new_board(session, ada_admin, 'Ankündigungen', moderators_only=True)
    with pytest.raises(NotAllowed) as e:
        new_thread(session, mia_member, board_id, title='Meine Ankündigung')
    assert e.value.message == 'In diesem Forum schreibt nur die Moderation.'
    thread_id = new_thread(session, mo_moderator, board_id, title='Wartung am Samstag')
    assert new_thread(session, ada_admin, board_id, title='Neue Nutzungsregeln')
    with pytest.raises(NotAllowed):
        posts.reply(session, actor=mia_member, thread_id=thread_id, body='Danke!')
    view = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert not view.can_reply and view.reply_blocked
    assert posts.reply(session, actor=mo_moderator, thread_id=thread_id, body='Nachtrag').number == 2
    session.rollback()
    assert count(session, Thread) == 2


def test_archived_board_refuses_posts(session, ada_admin, mo_moderator, mia_member):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id)
    boards.archive_board(session, actor=ada_admin, board_id=board_id)
    for actor in (mia_member, mo_moderator, ada_admin):
        with pytest.raises(NotAllowed):
            new_thread(session, actor, board_id, title='Noch eine Frage')
        with pytest.raises(NotAllowed):
            posts.reply(session, actor=actor, thread_id=thread_id, body='Noch eine Antwort')
    session.rollback()
    assert count(session, Thread) == 1 and count(session, Post) == 1
    view = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert not view.can_reply and 'archiviert' in view.reply_blocked
    assert [p.number for p in view.posts] == [1]  # still readable


def test_archived_board_refuses_edits_by_members(session, ada_admin, mia_member, mo_moderator):
    """"Nobody writes in it any more": changing one's post or thread title is writing too."""
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, title='Frage vor dem Archiv')
    answer = posts.reply(session, actor=mia_member, thread_id=thread_id, body='Nachtrag vor dem Archiv')
    boards.archive_board(session, actor=ada_admin, board_id=board_id)
    with pytest.raises(NotAllowed):
        posts.edit_post(session, actor=mia_member, post_id=answer.id, body='Geändert im Archiv')
    with pytest.raises(NotAllowed):
        boards.edit_thread(session, actor=mia_member, thread_id=thread_id, title='Umbenannt im Archiv')
    session.rollback()
    assert posts.get_post(session, viewer=mia_member, post_id=answer.id).body == 'Nachtrag vor dem Archiv'
    assert boards.open_thread(session, viewer=mia_member, thread_id=thread_id).title == 'Frage vor dem Archiv'


# ---------------------------------------------------------------- opening a thread


@pytest.fixture
def long_thread(session, ada_admin, mia_member, mo_moderator) -> int:
    """A thread by Mia with 120 posts (the question and 119 answers by Mo): three pages."""
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, title='Eine lange Diskussion')
    for n in range(2, 121):
        posts.reply(session, actor=mo_moderator, thread_id=thread_id, body=f'Antwort Nummer {n}')
    return thread_id


def numbers(view) -> list[int]:
    return [p.number for p in view.posts]


def test_open_thread_shows_50_posts_per_page(session, long_thread):
    reader = make_user(session, 'Lea Leserin', 'lea@essen.de')
    view = boards.open_thread(session, viewer=reader, thread_id=long_thread, page=1)
    assert POSTS_PER_PAGE == 50
    assert numbers(view) == list(range(1, 51))
    assert (view.page, view.pages, view.post_count, view.reply_count) == (1, 3, 120, 119)
    assert view.posts[1].body == 'Antwort Nummer 2'
    assert view.question is not None and view.question.number == 1
    last = boards.open_thread(session, viewer=reader, thread_id=long_thread, page=3)
    assert numbers(last) == list(range(101, 121))
    assert boards.open_thread(session, viewer=reader, thread_id=long_thread, page=77).page == 3
    assert boards.open_thread(session, viewer=reader, thread_id=long_thread, page=0).page == 1


def test_open_thread_lands_on_the_page_of_the_first_unread_post(session, long_thread):
    reader = make_user(session, 'Lea Leserin', 'lea@essen.de')
    first = boards.open_thread(session, viewer=reader, thread_id=long_thread)
    assert first.page == 1 and first.first_unread is None  # never opened: from the beginning
    again = boards.open_thread(session, viewer=reader, thread_id=long_thread)
    assert again.first_unread == 51 and again.page == 2
    assert numbers(again) == list(range(51, 101))
    reading.mark_read(session, actor=reader, thread_id=long_thread, number=117)
    later = boards.open_thread(session, viewer=reader, thread_id=long_thread)
    assert later.first_unread == 118 and later.page == 3


def test_opening_a_page_moves_the_read_mark_to_its_end(session, long_thread):
    reader = make_user(session, 'Lea Leserin', 'lea@essen.de')
    boards.open_thread(session, viewer=reader, thread_id=long_thread, page=2)
    state = session.get(ThreadRead, (reader.id, long_thread))
    assert state is not None and state.last_read_number == 100
    boards.open_thread(session, viewer=reader, thread_id=long_thread, page=1)
    session.refresh(state)
    assert state.last_read_number == 100  # reading an earlier page does not move it back


def test_question_and_solution_are_on_every_page(session, mia_member, long_thread):
    solution_id = session.execute(select(Post.id).where(col(Post.thread_id) == long_thread,
                                                        col(Post.number) == 10)).scalar_one()
    posts.mark_solution(session, actor=mia_member, post_id=solution_id)
    view = boards.open_thread(session, viewer=mia_member, thread_id=long_thread, page=2)
    assert numbers(view) == list(range(51, 101))
    assert view.question is not None and view.question.number == 1
    assert view.question.body == 'Wie führen Sie die E-Akte ein?'
    assert view.solution is not None and view.solution.number == 10 and view.solution.is_solution
    assert view.solution.body == 'Antwort Nummer 10'
    first_page = boards.open_thread(session, viewer=mia_member, thread_id=long_thread, page=1)
    assert first_page.solution is not None and first_page.solution.number == 10
    assert [p.number for p in first_page.posts if p.is_solution] == [10]


def test_views_are_counted_once_per_visit(session, ada_admin, mia_member, mo_moderator):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id)

    def views() -> int:
        return session.execute(select(Thread.view_count).where(col(Thread.id) == thread_id)).scalar_one()

    boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert views() == 0  # the author's own visit right after writing
    boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id)
    assert views() == 1
    boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id)
    assert views() == 1  # the same visit
    session.execute(update(ThreadRead).where(col(ThreadRead.user_id) == mo_moderator.id)
                    .values(viewed_at=utcnow() - timedelta(hours=2)))
    session.commit()
    boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id)
    assert views() == 2
    assert boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id).view_count == 2


def test_open_thread_tells_what_the_viewer_may_do(session, ada_admin, mia_member, mo_moderator):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, tags=['Vergabe'])
    other = make_user(session, 'Olaf Other', 'olaf@essen.de')
    own = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert own.is_author and own.can_mark_solution and own.can_reply and not own.can_moderate
    assert own.watch == 'watching'
    assert [t.name for t in own.tags] == ['Vergabe']
    assert own.author is not None and own.author.name == 'Mia Member'
    theirs = boards.open_thread(session, viewer=other, thread_id=thread_id)
    assert not theirs.is_author and not theirs.can_mark_solution and theirs.can_reply
    moderated = boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id)
    assert moderated.can_moderate and moderated.can_mark_solution
    moderation.lock_thread(session, actor=mo_moderator, thread_id=thread_id)
    locked = boards.open_thread(session, viewer=other, thread_id=thread_id)
    assert locked.locked and not locked.can_reply and locked.reply_blocked
    assert boards.open_thread(session, viewer=mo_moderator, thread_id=thread_id).can_reply


def test_missing_and_deleted_threads_are_not_found(session, ada_admin, mia_member, mo_moderator):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id)
    with pytest.raises(NotFound):
        boards.open_thread(session, viewer=mia_member, thread_id=999)
    moderation.delete_thread(session, actor=mo_moderator, thread_id=thread_id)
    with pytest.raises(NotFound):
        boards.open_thread(session, viewer=mia_member, thread_id=thread_id)


def test_author_renames_a_thread_and_the_new_title_is_searchable(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id, title='Frage zur Vergabe')
    boards.edit_thread(session, actor=mia_member, thread_id=thread_id, title='Frage zum Haushaltsrecht',
                       tags=['Haushalt'])
    view = boards.open_thread(session, viewer=mia_member, thread_id=thread_id)
    assert view.title == 'Frage zum Haushaltsrecht' and [t.name for t in view.tags] == ['Haushalt']
    assert [t.id for t in boards.similar_threads(session, viewer=mia_member, title='Haushaltsrecht')] == [thread_id]
    assert boards.similar_threads(session, viewer=mia_member, title='Vergabe') == []


def test_others_may_not_rename_a_thread(session, ada_admin, mia_member, mo_moderator):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id)
    other = make_user(session, 'Olaf Other', 'olaf@essen.de')
    with pytest.raises(NotAllowed):
        boards.edit_thread(session, actor=other, thread_id=thread_id, title='Gekaperter Titel')
    boards.edit_thread(session, actor=mo_moderator, thread_id=thread_id, title='Besserer Titel')
    assert boards.open_thread(session, viewer=other, thread_id=thread_id).title == 'Besserer Titel'


# ---------------------------------------------------------------- similar threads


def test_similar_threads_finds_a_thread_by_a_word_of_its_title(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    wanted = new_thread(session, mia_member, board_id, title='Bürgerbeteiligung online organisieren',
                        body='Welche Werkzeuge nutzen Sie?')
    new_thread(session, mia_member, board_id, title='Ganz etwas anderes', body='Hier geht es um Bürgerbeteiligung.')
    found = boards.similar_threads(session, viewer=mia_member, title='Wie klappt Buergerbeteiligung bei Ihnen')
    assert [row.id for row in found] == [wanted]
    assert found[0].title == 'Bürgerbeteiligung online organisieren'
    assert found[0].board.slug == 'allgemeines'
    assert [r.id for r in boards.similar_threads(session, viewer=mia_member, title='bürgerbet')] == [wanted]


def test_similar_threads_ignores_short_words_and_empty_titles(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    new_thread(session, mia_member, board_id, title='Wo ist die IT')
    assert boards.similar_threads(session, viewer=mia_member, title='') == []
    assert boards.similar_threads(session, viewer=mia_member, title='?! ... "') == []


def test_similar_threads_does_not_find_deleted_threads(session, ada_admin, mia_member, mo_moderator):
    board_id = new_board(session, ada_admin)
    kept = new_thread(session, mia_member, board_id, title='Vergabe von Reinigungsleistungen')
    gone = new_thread(session, mia_member, board_id, title='Vergabe von Beratungsleistungen')
    moderation.delete_thread(session, actor=mo_moderator, thread_id=gone)
    assert [r.id for r in boards.similar_threads(session, viewer=mia_member, title='Vergabe')] == [kept]


def test_similar_threads_respects_the_limit(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    for n in range(7):
        new_thread(session, mia_member, board_id, title=f'Digitalisierung Teil {n}')
    assert len(boards.similar_threads(session, viewer=mia_member, title='Digitalisierung')) == 5
    assert len(boards.similar_threads(session, viewer=mia_member, title='Digitalisierung', limit=2)) == 2


# ---------------------------------------------------------------- pending and deactivated members


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_pending_and_deactivated_users_are_refused_everywhere(session, ada_admin, mia_member, persona, request):
    board_id = new_board(session, ada_admin)
    thread_id = new_thread(session, mia_member, board_id)
    outsider = request.getfixturevalue(persona)
    calls = [
        lambda: boards.list_boards(session, viewer=outsider),
        lambda: boards.get_board(session, viewer=outsider, slug='allgemeines'),
        lambda: boards.list_threads(session, viewer=outsider, slug='allgemeines'),
        lambda: boards.open_thread(session, viewer=outsider, thread_id=thread_id),
        lambda: boards.similar_threads(session, viewer=outsider, title='E-Akte'),
        lambda: new_thread(session, outsider, board_id, title='Darf ich das?'),
        lambda: boards.edit_thread(session, actor=outsider, thread_id=thread_id, title='Darf ich das?'),
        lambda: posts.reply(session, actor=outsider, thread_id=thread_id, body='Darf ich das?'),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    session.rollback()
    assert count(session, Thread) == 1 and count(session, Post) == 1
    assert session.execute(select(Thread.view_count).where(col(Thread.id) == thread_id)).scalar_one() == 0


def test_nobody_signed_in_is_refused(session, ada_admin, mia_member):
    board_id = new_board(session, ada_admin)
    new_thread(session, mia_member, board_id)
    with pytest.raises(NotAllowed):
        boards.list_boards(session, viewer=None)
    with pytest.raises(NotAllowed):
        boards.list_threads(session, viewer=None, slug='allgemeines')


def test_board_choices_list_every_board_in_order_without_counting(session, ada_admin, mia_member):
    first = boards.create_board(session, actor=ada_admin, name='Erstes Forum')
    old = boards.create_board(session, actor=ada_admin, name='Altes Forum')
    last = boards.create_board(session, actor=ada_admin, name='Letztes Forum')
    boards.archive_board(session, actor=ada_admin, board_id=old.id)
    assert [b.slug for b in boards.board_choices(session, viewer=mia_member)] == [first.slug, last.slug, old.slug]


def test_redrawing_an_open_thread_records_no_visit(session, ada_admin, mia_member, mo_moderator):
    from models.board import ThreadRead

    board = boards.create_board(session, actor=ada_admin, name='Allgemein')
    thread_id = boards.create_thread(session, actor=mo_moderator, board_id=board.id, title='Frage zur Akte',
                                     body='Wer weiß mehr?')
    boards.open_thread(session, viewer=mia_member, thread_id=thread_id, record_visit=False)
    assert session.get(ThreadRead, (mia_member.id, thread_id)) is None
    boards.open_thread(session, viewer=ada_admin, thread_id=thread_id)  # a visit: counted once
    for _ in range(2):
        assert boards.open_thread(session, viewer=ada_admin, thread_id=thread_id, record_visit=False).view_count == 1
