"""Demo seeding (idempotent, refusing real content), the demo boards and the SQLite backup."""

import json
import sqlite3
import string
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.base import utcnow
from models.board import Board, Mention, Post, Reaction, ReactionKind, Thread
from models.organization import Organization
from models.user import Role, Status, User
from services import accounts, backup, bus, db, demo, demo_boards, demo_events, forum_search
from services import members as member_service
from services.errors import Invalid
from tests.services.conftest import make_user

# Without moderators (fewer than 50 demo members) nobody may write the announcements.
THREADS_WITHOUT_ANNOUNCEMENTS = sum(len(b.topics) for b in demo_boards.BOARDS if not b.moderators_only)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def members(session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.role != Role.ADMIN)))


# ---------------------------------------------------------------- demo


def test_seed_demo_adds_12_organizations_and_the_requested_members(session):
    result = demo.seed_demo(session, members=40, boards=False)
    assert result == demo.SeedResult(12, 40)
    assert count(session, Organization) == 12
    assert count(session, User) == 40
    assert {o.name for o in session.exec(select(Organization))} == {name for name, *_ in demo.ORGANIZATIONS}
    assert all(u.email_key.endswith('.example') and u.organization_id for u in members(session))


def test_seeded_members_can_sign_in_with_the_demo_password(session):
    demo.seed_demo(session, members=40, boards=False)
    active = session.exec(select(User).where(User.status == 'active')).first()
    assert accounts.sign_in(session, email=active.email, password=demo.DEMO_PASSWORD).user.id == active.id


def test_second_seed_adds_nothing_and_writes_no_audit(session):
    demo.seed_demo(session, members=40, boards=False)
    audit_rows = count(session, AuditEntry)
    assert demo.seed_demo(session, members=40, boards=False) == demo.SeedResult(0, 0)
    assert count(session, User) == 40
    assert count(session, Organization) == 12
    assert count(session, AuditEntry) == audit_rows


def test_seed_is_recorded_in_audit(session):
    demo.seed_demo(session, members=40, boards=False)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == 'demo.seeded')).one()
    assert json.loads(entry.details) == {'organizations': 12, 'members': 40, 'boards': 0, 'threads': 0,
                                         'events': 0}


def test_seed_refuses_database_with_a_real_member(session, mia_member):
    with pytest.raises(demo.RealContent):
        demo.seed_demo(session, members=40)
    assert count(session, User) == 1
    assert count(session, Organization) == 0


def test_seed_refuses_database_with_a_real_organization(session):
    from services import organizations as orgs

    orgs.find_or_add_organization(session, 'Gemeinde Schermbeck')
    session.commit()
    with pytest.raises(demo.RealContent):
        demo.seed_demo(session, members=40)
    assert count(session, User) == 0


def test_seed_with_force_adds_demo_data_beside_real_content(session, mia_member):
    assert demo.seed_demo(session, members=40, force=True, boards=False) == demo.SeedResult(12, 40)
    assert count(session, User) == 41
    assert session.get(User, mia_member.id).email == 'mia@kreis-wesel.de'


def test_admin_only_database_is_not_real_content(session, ada_admin):
    assert not demo.has_real_content(session)
    assert demo.seed_demo(session, members=40, boards=False) == demo.SeedResult(12, 40)
    assert count(session, User) == 41


def test_boards_are_created_by_the_existing_administrator(session, ada_admin):
    demo.seed_demo(session, members=40)
    creators = session.exec(select(AuditEntry.actor_id).where(AuditEntry.action == 'board.create')).all()
    assert creators == [ada_admin.id] * 6
    assert session.exec(select(func.count()).select_from(Thread).where(Thread.author_id == ada_admin.id)).one() == 0


def test_small_network_gets_no_announcements_until_a_moderator_joins(session):
    """Without an administrator the boards are created without an actor; without moderators nobody announces."""
    result = demo.seed_demo(session, members=40)
    assert result == demo.SeedResult(12, 40, 6, THREADS_WITHOUT_ANNOUNCEMENTS, len(demo_events.EVENTS))
    assert session.exec(select(AuditEntry.actor_id).where(AuditEntry.action == 'board.create')).all() == [None] * 6
    announcements = session.exec(select(Board).where(Board.slug == 'ankuendigungen')).one()
    assert announcements.moderators_only and announcements.thread_count == 0
    assert count(session, Thread) == THREADS_WITHOUT_ANNOUNCEMENTS

    # The 50th demo member is a moderator: a later, larger seed adds the announcements and nothing else.
    assert demo.seed_demo(session, members=60) == demo.SeedResult(0, 20, 0, 5)
    assert count(session, Thread) == THREADS_WITHOUT_ANNOUNCEMENTS + 5


def test_seed_adds_only_the_missing_members_when_asked_for_more(session):
    demo.seed_demo(session, members=40, boards=False)
    assert demo.seed_demo(session, members=45, boards=False) == demo.SeedResult(0, 5)
    assert count(session, User) == 45


# ---------------------------------------------------------------- demo boards (the full demo, seeded once)


@pytest.fixture(scope='module')
def seeded_database(empty_schema: sqlite3.Connection):
    """The full `seed-demo` (200 members, boards, threads) in memory, built once for this module."""
    engine = db.make_engine('sqlite://')
    with engine.connect() as conn:
        empty_schema.backup(conn.connection.driver_connection)
    db.use_engine(engine)
    bus.reset()
    member_service.forget_cached_facets()
    with db.session() as s:
        result = demo.seed_demo(s)
    with engine.connect() as conn:
        yield result, conn.connection.driver_connection
    engine.dispose()


@pytest.fixture
def seeded(seeded_database):
    """A fresh copy of the seeded demo per test (a test may change it)."""
    result, source = seeded_database
    engine = db.make_engine('sqlite://')
    with engine.connect() as conn:
        source.backup(conn.connection.driver_connection)
    db.use_engine(engine)
    bus.reset()
    member_service.forget_cached_facets()
    with db.session() as s:
        yield result, s
    bus.reset()
    engine.dispose()


def aware(value):
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def all_threads(session: Session) -> list[Thread]:
    return list(session.exec(select(Thread).order_by(col(Thread.id))))


def test_demo_texts_fit_together():
    """Every template names only known blanks; solutions and "R…|" replies point at replies that exist."""
    known = {'ort', 'aus', 'vorname', 'frage', 'kolleg'} | {f'r{i}' for i in range(8)}
    topics = [(board, topic) for board in demo_boards.BOARDS for topic in board.topics]
    assert len(topics) == 60
    assert len({t.title for _, t in topics}) == 60
    for board, topic in topics:
        assert len(topic.replies) == 0 or 2 <= len(topic.replies) <= 8, topic.title
        assert len(topic.tags.split(',')) <= 5
        for i, text in enumerate((topic.question, *topic.replies)):
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            assert names <= known, (topic.title, names - known)
            assert all(int(n[1:]) < len(topic.replies) and int(n[1:]) != i - 1 for n in names if n.startswith('r'))
            by = demo_boards._BY.match(text)  # noqa: SLF001
            if i and by and by.group(2):
                assert int(by.group(2)) < i - 1 and not topic.replies[int(by.group(2))].startswith('Q|')
        if topic.solution is not None:
            assert not topic.replies[topic.solution].startswith('Q|'), topic.title
        if board.moderators_only:
            assert not topic.replies and topic.solution is None  # only moderators could answer


def test_seed_demo_adds_the_six_boards(seeded):
    result, s = seeded
    boards = list(s.exec(select(Board).order_by(col(Board.position))))
    assert [b.name for b in boards] == ['Digitalisierung & OZG', 'Personal & Ausbildung', 'Bürgerservice',
                                        'Beschaffung & Vergabe', 'Klima & Mobilität', 'Ankündigungen']
    assert [b.slug for b in boards if b.moderators_only] == ['ankuendigungen']
    assert all(40 < len(b.description) <= 500 for b in boards)
    assert result == demo.SeedResult(12, 200, 6, 60, len(demo_events.EVENTS))
    entry = s.exec(select(AuditEntry).where(AuditEntry.action == 'demo.seeded')).one()
    assert json.loads(entry.details) == {'organizations': 12, 'members': 200, 'boards': 6, 'threads': 60,
                                         'events': len(demo_events.EVENTS)}


def test_seed_demo_writes_sixty_threads_with_two_to_eight_replies(seeded):
    result, s = seeded
    threads = all_threads(s)
    assert len(threads) == result.threads_added == 60
    replies = [t.reply_count for t in threads]
    assert all(n == 0 or 2 <= n <= 8 for n in replies) and max(replies) == 8
    answered = [t for t in threads if t.reply_count]
    assert len(answered) >= 45
    ankuendigungen = s.exec(select(Board.id).where(Board.slug == 'ankuendigungen')).one()
    assert len([t for t in threads if not t.reply_count and t.board_id != ankuendigungen]) >= 3  # unanswered ones
    for thread in threads:
        numbers = s.exec(select(Post.number).where(Post.thread_id == thread.id).order_by(col(Post.number))).all()
        assert numbers == list(range(1, thread.reply_count + 2)) and thread.post_count == len(numbers)
    for board in s.exec(select(Board)):
        mine = [t for t in threads if t.board_id == board.id]
        assert board.thread_count == len(mine) and board.post_count == sum(t.reply_count + 1 for t in mine)


def test_about_forty_percent_are_solved_by_whoever_asked(seeded):
    _, s = seeded
    solved = [t for t in all_threads(s) if t.solution_post_id]
    assert 0.35 <= len(solved) / 60 <= 0.5
    for thread in solved:
        post = s.get(Post, thread.solution_post_id)
        assert post.thread_id == thread.id and post.number > 1 and post.author_id != thread.author_id
    solution_entries = s.exec(select(AuditEntry).where(AuditEntry.action == 'thread.solution')).all()
    assert len(solution_entries) == len(solved)
    assert {e.actor_id for e in solution_entries} <= {t.author_id for t in solved}


def test_answers_come_from_other_administrations(seeded):
    _, s = seeded
    org = dict(s.exec(select(User.id, User.organization_id)).all())
    for thread in all_threads(s):
        answers = s.exec(select(Post.author_id).where(Post.thread_id == thread.id, Post.number > 1)).all()
        assert all(org[a] != org[thread.author_id] for a in answers if a != thread.author_id)


def test_announcements_are_written_and_pinned_by_moderators(seeded):
    _, s = seeded
    board = s.exec(select(Board).where(Board.slug == 'ankuendigungen')).one()
    threads = [t for t in all_threads(s) if t.board_id == board.id]
    assert len(threads) == 5 and all(t.reply_count == 0 for t in threads)
    assert {s.get(User, t.author_id).role for t in threads} == {Role.MODERATOR}
    assert 2 <= len([t for t in threads if t.pinned]) <= 3
    assert not [t for t in all_threads(s) if t.pinned and t.board_id != board.id]


def test_threads_spread_over_eight_weeks_and_replies_come_later(seeded):
    _, s = seeded
    now = utcnow()
    threads = all_threads(s)
    started = sorted(aware(t.created_at) for t in threads)
    assert now - timedelta(weeks=10) < started[0] < now - timedelta(weeks=6)
    assert started[-1] > now - timedelta(weeks=2)
    for thread in threads:
        times = [aware(p.created_at) for p in s.exec(select(Post).where(Post.thread_id == thread.id)
                                                          .order_by(col(Post.number)))]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert times[0] == aware(thread.created_at) and times[-1] == aware(thread.last_post_at) < now
        assert all((t + timedelta(hours=1)).weekday() < 5 for t in times)  # nobody writes at the weekend
        author = s.get(User, thread.author_id)
        assert aware(author.last_seen_at) >= times[0]
    for board in s.exec(select(Board)):
        mine = [t for t in threads if t.board_id == board.id]
        latest = max(mine, key=lambda t: aware(t.last_post_at))
        assert aware(board.last_post_at) == aware(latest.last_post_at) and board.last_thread_id == latest.id


def test_posts_carry_markdown_mentions_and_reactions(seeded):
    _, s = seeded
    html = ' '.join(s.exec(select(Post.body_html)))
    for tag in ('<ul>', '<ol>', '<pre><code>', '<blockquote>', '<a href="https://', '<a href="/members/'):
        assert tag in html
    assert '{' not in ' '.join(s.exec(select(Post.body)))  # every template blank was filled
    mentioned = s.exec(select(Mention.user_id)).all()
    assert len(mentioned) >= 10
    assert {s.get(User, i).status for i in mentioned} == {Status.ACTIVE}
    reactions = s.exec(select(Reaction)).all()
    assert len(reactions) >= 100
    for post in s.exec(select(Post)):
        mine = [r for r in reactions if r.post_id == post.id]
        assert post.thanks_count == len([r for r in mine if r.kind == ReactionKind.THANKS])
        assert post.helpful_count == len([r for r in mine if r.kind == ReactionKind.HELPFUL])
        assert post.author_id not in {r.user_id for r in mine}


def test_demo_threads_are_found_by_the_forum_search(seeded):
    _, s = seeded
    viewer = accounts.get_user(s, s.exec(select(User.id).where(User.status == Status.ACTIVE)).first())
    page = forum_search.search_posts(s, viewer=viewer, filters=forum_search.PostFilters(q='Lastenräder'))
    assert any(hit.thread_title.startswith('Lastenräder im Dienst') for hit in page.items)


def test_second_full_seed_adds_no_boards_threads_or_reactions(seeded):
    _, s = seeded
    before = [count(s, model) for model in (Board, Thread, Post, Reaction, Mention, AuditEntry)]
    assert demo.seed_demo(s) == demo.SeedResult(0, 0, 0, 0)
    assert [count(s, model) for model in (Board, Thread, Post, Reaction, Mention, AuditEntry)] == before


# ---------------------------------------------------------------- backup


def test_backup_copies_a_file_database(tmp_path):
    url = f'sqlite:///{tmp_path}/src.db'
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.create_all()
        with db.session() as s:
            make_user(s, 'Bea Backup', 'bea@essen.de')
        target = backup.backup(url, tmp_path / 'copy.db')
    finally:
        engine.dispose()

    assert target == (tmp_path / 'copy.db').resolve()
    assert not (tmp_path / 'copy.db.partial').exists()
    con = sqlite3.connect(target)
    try:
        rows = con.execute('SELECT name, email FROM "user"').fetchall()
        journal_mode = con.execute('PRAGMA journal_mode').fetchone()[0]
    finally:
        con.close()
    assert rows == [('Bea Backup', 'bea@essen.de')]
    assert journal_mode == 'delete'


def _plain_sqlite_file(path):
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE t (x INTEGER)')
    con.commit()
    con.close()
    return path


def test_backup_refuses_an_existing_target_file(tmp_path):
    source = _plain_sqlite_file(tmp_path / 'src.db')
    target = tmp_path / 'copy.db'
    target.write_bytes(b'keep me')
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{source}', target)
    assert e.value.field == 'file'
    assert target.read_bytes() == b'keep me'


def test_backup_refuses_a_missing_target_folder(tmp_path):
    source = _plain_sqlite_file(tmp_path / 'src.db')
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{source}', tmp_path / 'nowhere' / 'copy.db')
    assert e.value.field == 'file'


def test_backup_refuses_postgresql_with_pg_dump_hint(tmp_path):
    with pytest.raises(Invalid) as e:
        backup.backup('postgresql+psycopg://vn@localhost/vn', tmp_path / 'copy.db')
    assert e.value.field == 'database' and 'pg_dump' in e.value.message
    assert not (tmp_path / 'copy.db').exists()


def test_backup_refuses_a_missing_source_database(tmp_path):
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{tmp_path}/missing.db', tmp_path / 'copy.db')
    assert e.value.field == 'database' and e.value.params == {'path': str(tmp_path / 'missing.db')}
    assert not (tmp_path / 'copy.db').exists()
    assert not (tmp_path / 'missing.db').exists()

