"""The member directory: full-text search with German folding, filters, sorting, facets, who can help, newcomers.

Most tests only read, so they share one small directory built once per module (six active members in three
administrations, plus a pending and a deactivated one). Tests that write get the fresh `session` fixture.
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from models.base import utcnow
from models.organization import Organization
from models.user import Status, User
from services import accounts, db, members, search
from services import settings as site_settings
from services.accounts import CurrentUser
from services.errors import NotAllowed
from services.members import Filters
from tests.services.conftest import PASSWORD, make_user

# ---------------------------------------------------------------- helpers


def member(session: Session, name: str, *, organization: str = 'Stadt Essen', **fields: object) -> CurrentUser:
    """An active member with a saved (and therefore indexed) profile, as a fresh CurrentUser."""
    user = make_user(session, name, search.fold(name).replace(' ', '.') + '@example.de')
    members.update_profile(session, actor=user, user_id=user.id, name=name, organization=organization, **fields)
    return accounts.get_user(session, user.id)


def set_user(session: Session, user_id: int, **values: object) -> None:
    session.exec(update(User).where(col(User.id) == user_id).values(**values))  # type: ignore[call-overload]
    members.reindex_member(session, user_id)  # as the account services do after a change of state
    session.commit()


def names(items: list[members.MemberCard] | members.MemberPage) -> list[str]:
    return [card.name for card in (items.items if isinstance(items, members.MemberPage) else items)]


def first_names(items: list[members.MemberCard] | members.MemberPage) -> list[str]:
    return [name.split()[0] for name in names(items)]


@dataclass
class Directory:
    session: Session
    people: dict[str, CurrentUser]
    orgs: dict[str, int]

    def __getitem__(self, first_name: str) -> CurrentUser:
        return self.people[first_name]

    def search(self, *, viewer: str = 'Anna', sort: str = 'name', **filters: object) -> members.MemberPage:
        return members.search_members(self.session, viewer=self[viewer], filters=Filters(**filters), sort=sort)

    def find(self, q: str = '', **kwargs: object) -> list[str]:
        """First names of everyone found, in name order."""
        return first_names(self.search(q=q, **kwargs))

    def facets(self, *, limit: int = 15, **filters: object) -> members.Facets:
        return members.member_facets(self.session, viewer=self['Anna'], filters=Filters(**filters), limit=limit)


PEOPLE = [  # first name, full name, organisation, profile
    ('Anna', 'Anna Schmidt', 'Stadt Essen', {
        'department': 'IT', 'position': 'Sachbearbeiterin', 'topics': ['Digitalisierung', 'E-Akte'],
        'offers': ['E-Akte'], 'needs': ['Vergabe', 'Open Data'], 'bio': 'Ich koordiniere die Einführung der E-Akte.'}),
    ('Bernd', 'Bernd Müller', 'Stadt Essen', {
        'department': 'IT', 'position': 'Referent für Open Data', 'topics': ['Digitalisierung'],
        'offers': ['Vergabe', 'Open Data'], 'needs': ['Cloud-Strategie']}),
    ('Clara', 'Clara Özdemir', 'Stadt Essen', {
        'department': 'Personal', 'position': 'Teamleitung', 'topics': ['Bürgerbeteiligung', 'Wissensmanagement'],
        'bio': 'Früher im Straßenverkehrsamt.'}),
    ('David', 'David Peters', 'Kreis Wesel', {
        'department': 'IT', 'position': 'CIO', 'topics': ['E-Akte', 'Digitalisierung'],
        'offers': ['E-Akte', 'Open Data'], 'needs': ['Bürgerbeteiligung'], 'bio': 'Wasserwirtschaft ist mein Hobby.'}),
    ('Eva', 'Eva Otto', 'Kreis Wesel', {
        'department': 'Recht', 'position': 'Justiziarin', 'topics': ['Buergerbeteiligung'],
        'offers': ['Vergabe', 'Haushaltsrecht']}),
    ('Frank', 'Frank Wassermann', 'Land NRW', {
        'position': 'Referent Strassenbau', 'offers': ['Vergabe', 'Open Data', 'E-Akte']}),
    ('Pia', 'Pia Pending', 'Stadt Essen', {'topics': ['Digitalisierung'], 'offers': ['Vergabe', 'Open Data']}),
    ('Dora', 'Dora Deaktiviert', 'Kreis Wesel', {'topics': ['Digitalisierung'], 'offers': ['Vergabe', 'Open Data']}),
]
ACTIVE = ['Anna', 'Bernd', 'Clara', 'David', 'Eva', 'Frank']
JOINED_DAYS_AGO = {'Clara': 1, 'Anna': 2, 'Frank': 3, 'Bernd': 4, 'Eva': 5, 'David': 6, 'Pia': 0, 'Dora': 0}
SEEN_HOURS_AGO = {'David': 1, 'Eva': 2, 'Anna': 3}


@pytest.fixture(scope='module')
def directory() -> Iterator[Directory]:
    engine = db.make_engine('sqlite://')
    db.use_engine(engine)
    db.create_all()
    with db.session() as session:
        orgs = {}
        for name, kind, level, city in [('Stadt Essen', 'Kommune', 'kommunal', 'Essen'),
                                        ('Kreis Wesel', 'Kreis', 'regional', 'Moers'),
                                        ('Land NRW', 'Land', 'Land', 'Düsseldorf')]:
            org = Organization(name=name, name_key=name.casefold(), kind=kind, level=level, city=city)
            session.add(org)
            session.flush()
            orgs[name] = org.id
        now = utcnow()
        ids = {}
        for first, name, org_name, profile in PEOPLE:
            ids[first] = member(session, name, organization=org_name, **profile).id
            hours = SEEN_HOURS_AGO.get(first)
            set_user(session, ids[first], created_at=now - timedelta(days=JOINED_DAYS_AGO[first]),
                     last_seen_at=now - timedelta(hours=hours) if hours else None)
        set_user(session, ids['Pia'], status=Status.PENDING)
        set_user(session, ids['Dora'], status=Status.DEACTIVATED)
        yield Directory(session, {first: accounts.get_user(session, i) for first, i in ids.items()}, orgs)
    engine.dispose()


# ---------------------------------------------------------------- German folding


def test_spelled_out_umlaut_finds_umlaut(directory):
    assert directory.find('Buergerbeteiligung') == ['Clara', 'David', 'Eva']


def test_umlaut_finds_spelled_out_umlaut(directory):
    # Eva typed 'Buergerbeteiligung'
    assert 'Eva' in directory.find('bürger')


def test_mueller_finds_mueller_with_umlaut(directory):
    assert directory.find('Mueller') == ['Bernd']


def test_search_ignores_case_of_umlauts(directory):
    assert directory.find('MÜLLER') == ['Bernd']
    assert directory.find('özdemir') == ['Clara']


def test_ss_finds_sharp_s(directory):
    assert directory.find('Strassenverkehrsamt') == ['Clara']


def test_sharp_s_finds_ss(directory):
    assert directory.find('Straßenbau') == ['Frank']


def test_decomposed_umlaut_finds_the_same_member(directory):
    assert directory.find(unicodedata.normalize('NFD', 'Müller')) == ['Bernd']


# ---------------------------------------------------------------- what the search looks at


def test_prefix_finds_word_while_typing(directory):
    assert directory.find('digi') == ['Anna', 'Bernd', 'David']


def test_every_word_is_required(directory):
    assert directory.find('Digitalisierung') == ['Anna', 'Bernd', 'David']
    assert directory.find('Digitalisierung Moers') == ['David']
    assert directory.find('Digitalisierung Düsseldorf') == []


@pytest.mark.parametrize(('q', 'found'), [
    ('Özdemir', ['Clara']),  # name
    ('Justiziarin', ['Eva']),  # position
    ('Personal', ['Clara']),  # department
    ('Wesel', ['David', 'Eva']),  # organisation name
    ('Düsseldorf', ['Frank']),  # organisation city
    ('Wissensmanagement', ['Clara']),  # topic
    ('Haushaltsrecht', ['Eva']),  # offer
    ('Cloud', ['Bernd']),  # need
    ('Wasserwirtschaft', ['David']),  # bio
], ids=['name', 'position', 'department', 'organization', 'city', 'topic', 'offer', 'need', 'bio'])
def test_search_looks_in_field(directory, q, found):
    assert directory.find(q) == found


@pytest.mark.parametrize('q', ['AND', 'Anna AND', 'OR Anna', 'NOT', 'NEAR(Anna Schmidt)', 'NEAR(', '"', '"Anna',
                               'Anna"', '*', 'Anna*', '*Anna', 'name:Anna', ':', '-', '-Anna', 'Anna -Schmidt',
                               '^Anna', '(', ')', '{name}: Anna', 'a' * 500, 'ä ö ü ß ' * 30, '\x00', "'; DROP TABLE"])
def test_fts_syntax_typed_by_user_does_not_raise(directory, q):
    page = directory.search(q=q)
    assert page.total == len(page.items)


@pytest.mark.parametrize('q', ['"Anna', 'Anna*', '-Anna', '(Anna)', 'Anna:'])
def test_fts_syntax_around_a_word_is_just_that_word(directory, q):
    assert directory.find(q) == ['Anna']


@pytest.mark.parametrize('q', ['', '   ', '"*:-()'])
def test_query_without_words_lists_all_active_members(directory, q):
    assert directory.find(q) == ACTIVE


@pytest.mark.parametrize('q', ['', 'Pia', 'Dora', 'Pending', 'Deaktiviert', 'Digitalisierung'])
def test_pending_and_deactivated_members_never_appear(directory, q):
    found = directory.find(q)
    assert 'Pia' not in found and 'Dora' not in found


@pytest.mark.parametrize('persona', ['Pia', 'Dora'])
def test_inactive_viewer_may_not_search(directory, persona):
    with pytest.raises(NotAllowed):
        directory.search(viewer=persona)


# ---------------------------------------------------------------- pages and sorting


def test_total_and_pages_follow_page_size(directory):
    first = members.search_members(directory.session, viewer=directory['Anna'], filters=Filters(), sort='name',
                                   page_size=4)
    second = members.search_members(directory.session, viewer=directory['Anna'], filters=Filters(), sort='name',
                                    page=2, page_size=4)
    assert (first.total, first.pages, first.page, second.page) == (6, 2, 1, 2)
    assert first_names(first) + first_names(second) == ACTIVE


def test_page_beyond_the_end_returns_the_last_page(directory):
    page = members.search_members(directory.session, viewer=directory['Anna'], filters=Filters(), sort='name',
                                  page=99, page_size=4)
    assert (page.page, page.pages, first_names(page)) == (2, 2, ['Eva', 'Frank'])


def test_page_below_one_returns_the_first_page(directory):
    page = members.search_members(directory.session, viewer=directory['Anna'], filters=Filters(), sort='name',
                                  page=0, page_size=4)
    assert (page.page, first_names(page)) == (1, ['Anna', 'Bernd', 'Clara', 'David'])


def test_search_without_results_is_one_empty_page(directory):
    page = members.search_members(directory.session, viewer=directory['Anna'], filters=Filters(q='Raumfahrt'), page=3)
    assert (page.items, page.total, page.page, page.pages) == ([], 0, 1, 1)


def test_sort_by_name_puts_umlauts_with_their_base_letter(session):
    for name in ['Zora Zahn', 'Paul Peters', 'Ömer Özdemir', 'Olaf Otto', 'Anna Adam']:
        viewer = member(session, name)
    page = members.search_members(session, viewer=viewer, filters=Filters(), sort='name')
    assert names(page) == ['Anna Adam', 'Ömer Özdemir', 'Olaf Otto', 'Paul Peters', 'Zora Zahn']


def test_sort_newest_lists_recent_joiners_first(directory):
    assert directory.find(sort='newest') == ['Clara', 'Anna', 'Frank', 'Bernd', 'Eva', 'David']


def test_sort_active_lists_recently_seen_first_and_never_seen_last(directory):
    assert directory.find(sort='active') == ['David', 'Eva', 'Anna', 'Frank', 'Clara', 'Bernd']


def test_sort_relevance_ranks_name_match_above_bio_match(directory):
    # Frank Wassermann has it in his name, David only in his bio ('Wasserwirtschaft'); by name David comes first.
    assert directory.find('Wasser', sort='name') == ['David', 'Frank']
    assert directory.find('Wasser', sort='relevance') == ['Frank', 'David']


def test_sort_relevance_without_query_sorts_by_name(directory):
    assert directory.find(sort='relevance') == ACTIVE


def test_unknown_sort_falls_back_to_relevance(directory):
    assert directory.find('Wasser', sort='; DROP TABLE user') == ['Frank', 'David']


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(('filters', 'found'), [
    ({'kind': 'Land'}, ['Frank']),
    ({'level': 'kommunal'}, ['Anna', 'Bernd', 'Clara']),
    ({'department': 'IT'}, ['Anna', 'Bernd', 'David']),
    ({'topic': 'e-akte'}, ['Anna', 'David']),
    ({'city': 'Moers'}, ['David', 'Eva']),
], ids=['kind', 'level', 'department', 'topic', 'city'])
def test_facet_filter_narrows_the_result(directory, filters, found):
    assert directory.find(**filters) == found


def test_organization_filter_narrows_the_result(directory):
    assert directory.find(org=directory.orgs['Kreis Wesel']) == ['David', 'Eva']


def test_topic_filter_ignores_the_tag_as_offer_or_need(directory):
    assert directory.find(topic='vergabe') == []
    assert directory.find(topic='open data') == []


def test_filters_and_query_combine(directory):
    assert directory.find('Digitalisierung', city='Essen') == ['Anna', 'Bernd']
    assert directory.find('Vergabe', department='IT', kind='Kommune') == ['Anna', 'Bernd']


def test_filter_without_matches_gives_empty_page(directory):
    assert directory.find(city='Bochum') == []
    assert directory.find(kind='Land', department='IT') == []


# ---------------------------------------------------------------- matched tags


def test_results_carry_the_tags_that_matched_the_query(directory):
    page = directory.search(q='akte')
    assert {card.name.split()[0]: card.matched for card in page.items} == {
        'Anna': ('e-akte',), 'David': ('e-akte',), 'Frank': ('e-akte',)}


def test_results_carry_the_topic_filtered_by(directory):
    page = directory.search(topic='digitalisierung')
    assert [card.matched for card in page.items] == [('digitalisierung',)] * 3


def test_matched_tags_are_listed_first_on_the_card(directory):
    [david] = directory.search(q='Peters open').items
    assert david.matched == ('open data',)
    assert david.tags[0] == members.TagRef('Open Data', 'open data')


def test_results_without_a_matching_tag_carry_none(directory):
    [bernd] = directory.search(q='Müller').items
    assert bernd.matched == ()
    assert {t.key for t in bernd.tags} == {'digitalisierung', 'vergabe', 'open data', 'cloud-strategie'}


# ---------------------------------------------------------------- facets


def values(facet: list[members.FacetValue]) -> list[tuple[str, int]]:
    return [(v.label, v.count) for v in facet]


def test_facets_count_all_active_members_without_filters(directory):
    f = directory.facets()
    assert values(f.organizations) == [('Stadt Essen', 3), ('Kreis Wesel', 2), ('Land NRW', 1)]
    assert values(f.kinds) == [('Kommune', 3), ('Kreis', 2), ('Land', 1)]
    assert values(f.levels) == [('kommunal', 3), ('regional', 2), ('Land', 1)]
    assert values(f.cities) == [('Essen', 3), ('Moers', 2), ('Düsseldorf', 1)]
    assert values(f.departments) == [('IT', 3), ('Personal', 1), ('Recht', 1)]
    assert values(f.topics) == [('Digitalisierung', 3), ('Bürgerbeteiligung', 2), ('E-Akte', 2),
                                ('Wissensmanagement', 1)]


def test_facet_values_are_what_the_filters_take(directory):
    f = directory.facets()
    assert [v.value for v in f.organizations] == [str(directory.orgs[n]) for n in ('Stadt Essen', 'Kreis Wesel',
                                                                                    'Land NRW')]
    assert [v.value for v in f.topics] == ['digitalisierung', 'buergerbeteiligung', 'e-akte', 'wissensmanagement']
    assert [v.value for v in f.cities] == ['Essen', 'Moers', 'Düsseldorf']


def test_facets_count_within_the_topic_filter(directory):
    f = directory.facets(topic='digitalisierung')
    assert values(f.organizations) == [('Stadt Essen', 2), ('Kreis Wesel', 1)]
    assert values(f.kinds) == [('Kommune', 2), ('Kreis', 1)]
    assert values(f.levels) == [('kommunal', 2), ('regional', 1)]
    assert values(f.cities) == [('Essen', 2), ('Moers', 1)]
    assert values(f.departments) == [('IT', 3)]
    assert values(f.topics) == [('Digitalisierung', 3), ('E-Akte', 2)]


def test_facets_count_within_the_query(directory):
    f = directory.facets(q='Vergabe')  # Anna needs it; Bernd, Eva and Frank offer it
    assert values(f.organizations) == [('Stadt Essen', 2), ('Kreis Wesel', 1), ('Land NRW', 1)]
    assert values(f.departments) == [('IT', 2), ('Recht', 1)]
    assert values(f.topics) == [('Digitalisierung', 2), ('Bürgerbeteiligung', 1), ('E-Akte', 1)]


def test_facets_count_within_query_and_filters(directory):
    f = directory.facets(q='Vergabe', kind='Kommune', department='IT')
    assert values(f.organizations) == [('Stadt Essen', 2)]
    assert values(f.topics) == [('Digitalisierung', 2), ('E-Akte', 1)]


def test_facets_without_matches_are_empty(directory):
    assert directory.facets(q='Raumfahrt') == members.Facets()


def test_facets_are_bounded_by_limit(directory):
    f = directory.facets(limit=2)
    assert values(f.topics) == [('Digitalisierung', 3), ('Bürgerbeteiligung', 2)]


def test_facet_limit_is_not_used_up_by_empty_values(directory):
    assert values(directory.facets(limit=3).departments) == [('IT', 3), ('Personal', 1), ('Recht', 1)]


# ---------------------------------------------------------------- registration and the index


def test_member_registered_into_an_organization_is_found_by_its_city(session, ada_admin, mia_member):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    org = Organization(name='Kreis Wesel', name_key='kreis wesel', kind='Kreis', level='regional', city='Moers')
    session.add(org)
    session.commit()
    accounts.register(session, name='Rita Register', email='rita@kreis-wesel.de', password=PASSWORD,
                      organization=org.id, consent=True)
    page = members.search_members(session, viewer=mia_member, filters=Filters(q='Moers'))
    assert names(page) == ['Rita Register']


def test_member_registered_into_an_organization_is_found_by_its_name(session, ada_admin, mia_member):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    accounts.register(session, name='Rita Register', email='rita@kreis-wesel.de', password=PASSWORD,
                      organization='Kreis Wesel', consent=True)
    assert names(members.search_members(session, viewer=mia_member, filters=Filters(q='Wesel'))) == ['Rita Register']
    assert names(members.search_members(session, viewer=mia_member, filters=Filters(q='Rita'))) == ['Rita Register']


def test_indexed_deactivated_member_is_not_found(session, mia_member, dora_deactivated):
    members.reindex_member(session, dora_deactivated.id)
    session.commit()
    assert names(members.search_members(session, viewer=mia_member, filters=Filters(q='Dora'))) == []


# ---------------------------------------------------------------- who can help


def test_suggest_helpers_orders_by_matching_offers_then_by_last_seen(directory):
    # Anna (Stadt Essen) needs Vergabe and Open Data. Frank offers both (never seen); David (seen 1 h ago) offers
    # Open Data, Eva (seen 2 h ago) Vergabe. Bernd offers both but works for Stadt Essen too.
    helpers = members.suggest_helpers(directory.session, viewer=directory['Anna'])
    assert first_names(helpers) == ['Frank', 'David', 'Eva']


def test_suggest_helpers_carry_the_matching_keys(directory):
    helpers = members.suggest_helpers(directory.session, viewer=directory['Anna'])
    assert [h.matched for h in helpers] == [('open data', 'vergabe'), ('open data',), ('vergabe',)]


def test_helper_cards_show_matching_offers_first(directory):
    david = members.suggest_helpers(directory.session, viewer=directory['Anna'])[1]
    assert [t.key for t in david.tags] == ['open data', 'e-akte']


def test_suggest_helpers_leaves_out_own_organization_and_inactive_members(directory):
    found = first_names(members.suggest_helpers(directory.session, viewer=directory['Anna']))
    assert not {'Anna', 'Bernd', 'Pia', 'Dora'} & set(found)


def test_suggest_helpers_is_bounded_by_limit(directory):
    assert first_names(members.suggest_helpers(directory.session, viewer=directory['Anna'], limit=1)) == ['Frank']


def test_suggest_helpers_without_needs_is_empty(directory):
    assert members.suggest_helpers(directory.session, viewer=directory['Clara']) == []


def test_suggest_helpers_without_matching_offers_is_empty(directory):
    assert members.suggest_helpers(directory.session, viewer=directory['Bernd']) == []  # needs Cloud-Strategie


def test_suggest_helpers_refuses_inactive_viewer(directory):
    with pytest.raises(NotAllowed):
        members.suggest_helpers(directory.session, viewer=directory['Pia'])


@pytest.mark.parametrize('topic', ['open data', 'Open Data', '  OPEN   data '])
def test_helpers_for_topic_accepts_key_or_display_spelling(directory, topic):
    helpers = members.helpers_for_topic(directory.session, viewer=directory['Anna'], topic=topic)
    assert [(h.name, h.matched) for h in helpers] == [('David Peters', ('open data',)),
                                                      ('Frank Wassermann', ('open data',))]


def test_helpers_for_topic_leaves_out_the_viewer_and_own_organization(directory):
    assert first_names(members.helpers_for_topic(directory.session, viewer=directory['Frank'],
                                                 topic='Vergabe')) == ['Eva', 'Bernd']
    assert first_names(members.helpers_for_topic(directory.session, viewer=directory['David'],
                                                 topic='E-Akte')) == ['Anna', 'Frank']


def test_helpers_for_unknown_topic_is_empty(directory):
    assert members.helpers_for_topic(directory.session, viewer=directory['Anna'], topic='Raumfahrt') == []


def test_helpers_for_topic_folds_umlauts(session, mia_member):
    helper = member(session, 'Hanna Hilfreich', organization='Kreis Wesel', offers=['Bürgerbeteiligung'])
    found = members.helpers_for_topic(session, viewer=mia_member, topic='Buergerbeteiligung')
    assert [h.id for h in found] == [helper.id]


def test_member_without_organization_sees_helpers_of_every_organization(session, mia_member):
    helper = member(session, 'Hanna Hilfreich', organization='Kreis Wesel', offers=['Vergabe'])
    assert mia_member.organization_id is None
    assert [h.id for h in members.helpers_for_topic(session, viewer=mia_member, topic='vergabe')] == [helper.id]


def test_helpers_ordered_by_last_seen_follow_updates(session, mia_member):
    early = member(session, 'Erik Early', organization='Kreis Wesel', offers=['Vergabe'])
    late = member(session, 'Lena Late', organization='Kreis Wesel', offers=['Vergabe'])
    now = utcnow()
    set_user(session, early.id, last_seen_at=now)
    set_user(session, late.id, last_seen_at=now - timedelta(days=1))
    assert [h.id for h in members.helpers_for_topic(session, viewer=mia_member, topic='vergabe')] == [early.id, late.id]
    set_user(session, late.id, last_seen_at=now + timedelta(minutes=1))
    assert [h.id for h in members.helpers_for_topic(session, viewer=mia_member, topic='vergabe')] == [late.id, early.id]


# ---------------------------------------------------------------- newcomers


def test_recent_members_lists_newest_active_first(directory):
    recent = members.recent_members(directory.session, viewer=directory['Anna'])
    assert first_names(recent) == ['Clara', 'Anna', 'Frank', 'Bernd', 'Eva', 'David']


def test_recent_members_is_bounded_by_limit(directory):
    assert first_names(members.recent_members(directory.session, viewer=directory['Anna'], limit=2)) == ['Clara',
                                                                                                          'Anna']


def test_recent_member_cards_show_organization_position_and_offers(directory):
    frank = members.recent_members(directory.session, viewer=directory['Anna'], limit=3)[2]
    assert (frank.organization, frank.position, frank.matched) == ('Land NRW', 'Referent Strassenbau', ())
    assert [t.name for t in frank.tags] == ['E-Akte', 'Open Data', 'Vergabe']


def test_recent_members_refuses_inactive_viewer(directory):
    with pytest.raises(NotAllowed):
        members.recent_members(directory.session, viewer=directory['Dora'])
