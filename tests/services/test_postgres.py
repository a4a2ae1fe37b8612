"""The same migrations and the dialect-specific paths (search, throttling, listing) on a real PostgreSQL."""

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from models.user import Role
from services import accounts, db, demo, members
from services import organizations as orgs
from services import settings as site_settings
from services.errors import TooManyAttempts
from services.members import Filters
from tests.services.conftest import PASSWORD, make_user


@pytest.fixture(scope='module')
def pg_engine(postgres_url):
    engine = db.make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text('DROP SCHEMA public CASCADE'))
        conn.execute(text('CREATE SCHEMA public'))
    db.use_engine(engine)
    db.upgrade(postgres_url)  # the real migrations, not create_all
    yield engine
    engine.dispose()


@pytest.fixture
def pg(pg_engine) -> Iterator[Session]:
    db.use_engine(pg_engine)
    with pg_engine.begin() as conn:
        tables = [t for t in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )).scalars()]
        conn.execute(text(f'TRUNCATE {", ".join(f"{chr(34)}{t}{chr(34)}" for t in tables)} RESTART IDENTITY CASCADE'))
    with db.session() as s:
        yield s


def _profile(session: Session, member: accounts.CurrentUser, **fields) -> accounts.CurrentUser:
    db_fields = {'name': member.name, 'organization': 'Stadt Essen', **fields}
    members.update_profile(session, actor=member, user_id=member.id, **db_fields)
    return accounts.get_user(session, member.id)


def test_migrations_build_the_models_schema_on_postgresql(pg_engine):
    with pg_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={'compare_type': True, 'include_object': db.include_object})
        assert compare_metadata(context, SQLModel.metadata) == []
        index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_member_fts_document'"))
        assert 'gin' in index.scalar_one().lower()


def test_registration_sign_in_and_sign_out_on_postgresql(pg):
    admin = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    site_settings.update_settings(pg, actor=admin, values={'registration_mode': 'open'})
    accounts.register(pg, name='Ben Neu', email='Ben@Essen.de', password='Rathaus-Fenster-7',
                      organization='Stadt Essen', consent=True)
    signed = accounts.sign_in(pg, email='ben@essen.DE', password='Rathaus-Fenster-7', ip='10.0.0.1')
    assert accounts.user_for_session(pg, signed.session_id).name == 'Ben Neu'
    accounts.sign_out(pg, session_id=signed.session_id)
    assert accounts.user_for_session(pg, signed.session_id) is None


def test_throttling_counts_failures_on_postgresql(pg):
    make_user(pg, 'Mia Member', 'mia@luenen.de')
    for _ in range(site_settings.get_setting(pg, 'login_free_attempts')):
        with pytest.raises(accounts.Invalid):
            accounts.sign_in(pg, email='mia@luenen.de', password='falsch-falsch', ip='10.0.0.2')
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(pg, email='mia@luenen.de', password=PASSWORD, ip='10.0.0.3')


def test_admin_list_finds_names_regardless_of_case_on_postgresql(pg):
    admin = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    make_user(pg, 'Özlem Yılmaz', 'oezlem@essen.de')
    rows, total = accounts.list_users(pg, actor=admin, query='özlem')
    assert total == 1 and rows[0].name == 'Özlem Yılmaz'


def test_directory_search_folds_umlauts_and_matches_prefixes_on_postgresql(pg):
    ada = _profile(pg, make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN), needs=['Bürgerbeteiligung'])
    _profile(pg, make_user(pg, 'Mia Müller', 'mia@luenen.de'), organization='Stadt Lünen',
             department='Amt für Bürgerbeteiligung', topics=['Bürgerbeteiligung', 'E-Akte'],
             offers=['Bürgerbeteiligung'])
    _profile(pg, make_user(pg, 'Ben Becker', 'ben@essen.de'), position='Teamleitung Vergabe',
             topics=['Vergaberecht'])

    def names(**filters) -> list[str]:
        return [c.name for c in members.search_members(pg, viewer=ada, filters=Filters(**filters)).items]

    assert 'Mia Müller' in names(q='Buergerbeteiligung')
    assert names(q='mueller') == ['Mia Müller']
    assert names(q='vergab') == ['Ben Becker']
    assert names(q='teamleitung vergabe') == ['Ben Becker']
    assert names(q='NEAR( " * : & ! |') == []
    assert names(q='amt bürger')[0] == 'Mia Müller'
    assert names(topic='e-akte') == ['Mia Müller']
    page = members.search_members(pg, viewer=ada, filters=Filters(q='buerger'), sort='name')
    assert [c.name for c in page.items] == ['Ada Admin', 'Mia Müller']
    facets = members.member_facets(pg, viewer=ada, filters=Filters())
    assert {(f.label, f.count) for f in facets.organizations} == {('Stadt Essen', 2), ('Stadt Lünen', 1)}
    assert [c.name for c in members.suggest_helpers(pg, viewer=ada)] == ['Mia Müller']


def test_renaming_an_organisation_reindexes_its_members_on_postgresql(pg):
    ada = _profile(pg, make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN))
    essen = next(o for o in orgs.list_organizations(pg, viewer=ada) if o.name == 'Stadt Essen')
    orgs.update_organization(pg, actor=ada, org_id=essen.id, name='Stadt Essen (Ruhr)', kind='Kommune',
                             level='kommunal', city='Essen')
    found = members.search_members(pg, viewer=ada, filters=Filters(q='ruhr'))
    assert [c.name for c in found.items] == ['Ada Admin']


def test_demo_network_seeds_on_postgresql(pg):
    result = demo.seed_demo(pg, members=30)
    assert (result.organizations_added, result.members_added) == (12, 30)
    assert demo.seed_demo(pg, members=30) == demo.SeedResult(0, 0)


def test_very_broad_search_ranks_the_newest_candidates_on_postgresql(pg, monkeypatch):
    admin = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    site_settings.update_settings(pg, actor=admin, values={'registration_mode': 'open'})
    for i in range(4):
        accounts.register(pg, name=f'Kim Vergabe{i}', email=f'kim{i}@essen.de', password='Rathaus-Fenster-7',
                          organization='Stadt Essen', consent=True)
    monkeypatch.setattr(members, 'RANK_CANDIDATES', 2)
    page = members.search_members(pg, viewer=admin, filters=Filters(q='kim'), page_size=2)
    assert page.total == 4 and page.ranked_among == 2
    assert {c.name for c in page.items} == {'Kim Vergabe2', 'Kim Vergabe3'}


def test_boards_threads_replies_and_news_on_postgresql(pg):
    from services import boards, posts, reading

    admin = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = _profile(pg, make_user(pg, 'Mia Müller', 'mia@luenen.de'), organization='Stadt Lünen')
    board = boards.create_board(pg, actor=admin, name='Digitalisierung & OZG')
    thread_id = boards.create_thread(pg, actor=admin, board_id=board.id, title='Scanstelle für die E-Akte?',
                                     body='Wie macht ihr das?', tags=['E-Akte'])
    assert reading.news_per_board(pg, mia.id) == {board.id: 1}
    first = posts.reply(pg, actor=mia, thread_id=thread_id, body='Zentral, mit [@Ada Admin](/members/1).')
    second = posts.reply(pg, actor=mia, thread_id=thread_id, body='Und mit Schulungen.')
    assert (first.number, second.number) == (2, 3)
    assert posts.mentioned_ids(pg, first.id) == [admin.id]
    view = boards.open_thread(pg, viewer=admin, thread_id=thread_id)
    assert view.first_unread == 2 and [p.number for p in view.posts] == [1, 2, 3]
    assert reading.news_per_board(pg, admin.id) == {}
    listing = boards.list_threads(pg, viewer=mia, slug=board.slug, sort='unanswered')
    assert listing.items == []
    posts.mark_solution(pg, actor=admin, post_id=first.id)
    solved = boards.list_threads(pg, viewer=mia, slug=board.slug, sort='solved')
    assert [r.id for r in solved.items] == [thread_id]


def test_board_search_and_similar_threads_on_postgresql(pg):
    from services import boards, forum_search, posts
    from services.forum_search import PostFilters

    admin = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    board = boards.create_board(pg, actor=admin, name='Bürgerservice')
    other = boards.create_board(pg, actor=admin, name='Personal')
    thread_id = boards.create_thread(pg, actor=admin, board_id=board.id, title='Terminbuchung im Bürgerbüro',
                                     body='Wir führen die Online-Terminbuchung ein.')
    posts.reply(pg, actor=admin, thread_id=thread_id, body='Die Bürgerbeteiligung lief gut.')
    boards.create_thread(pg, actor=admin, board_id=other.id, title='Ausbildung 2027', body='Bürgerbeteiligung?')

    found = forum_search.search_posts(pg, viewer=admin, filters=PostFilters(q='buergerbet'))
    assert found.total == 2
    assert all('<mark>Bürgerbeteiligung</mark>' in hit.snippet_html for hit in found.items)
    only_board = forum_search.search_posts(pg, viewer=admin, filters=PostFilters(q='Bürgerbet', board=board.slug))
    assert [h.thread_id for h in only_board.items] == [thread_id]
    newest = forum_search.search_posts(pg, viewer=admin, filters=PostFilters(q='buergerbet'), sort='newest')
    assert newest.items[0].thread_title == 'Ausbildung 2027'
    similar = boards.similar_threads(pg, viewer=admin, title='Frage zur Terminbuchung')
    assert [r.id for r in similar] == [thread_id]
    assert boards.similar_threads(pg, viewer=admin, title='Wir führen') == []  # body words are not titles
