"""The search index holds active members only, and follows every change of state made through the services."""

from models.user import Role
from services import accounts, members
from services import settings as site_settings
from services.members import Filters
from tests.services.conftest import make_user


def _found(session, viewer, q: str) -> list[str]:
    return [c.name for c in members.search_members(session, viewer=viewer, filters=Filters(q=q)).items]


def test_pending_member_is_found_only_after_approval(session, ada_admin):
    signed = accounts.register(session, name='Paula Pending', email='paula@essen.de', password='Rathaus-Fenster-7',
                               organization='Stadt Essen', consent=True)
    assert _found(session, ada_admin, 'paula') == []
    accounts.approve_user(session, actor=ada_admin, user_id=signed.user.id)
    assert _found(session, ada_admin, 'paula') == ['Paula Pending']


def test_deactivated_member_leaves_the_index_and_returns_on_reactivation(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    signed = accounts.register(session, name='Dora Dienst', email='dora@essen.de', password='Rathaus-Fenster-7',
                               organization='Stadt Essen', consent=True)
    assert _found(session, ada_admin, 'dora') == ['Dora Dienst']
    accounts.deactivate_user(session, actor=ada_admin, user_id=signed.user.id)
    assert _found(session, ada_admin, 'dora') == []
    assert members.search_members(session, viewer=ada_admin, filters=Filters(q='dora')).total == 0
    accounts.reactivate_user(session, actor=ada_admin, user_id=signed.user.id)
    assert _found(session, ada_admin, 'dora') == ['Dora Dienst']


def test_promoting_a_deactivated_account_from_the_shell_indexes_it(session, ada_admin):
    dora = make_user(session, 'Dora Deaktiviert', 'dora@bochum.de', role=Role.MEMBER)
    accounts.deactivate_user(session, actor=ada_admin, user_id=dora.id)
    accounts.create_admin(session, email='dora@bochum.de', name='Dora', password='')
    assert _found(session, ada_admin, 'deaktiviert') == ['Dora Deaktiviert']


def test_whole_network_facets_are_cached_and_filtered_ones_are_not(session, ada_admin, monkeypatch):
    first = members.member_facets(session, viewer=ada_admin, filters=Filters())
    mia = make_user(session, 'Mia Neu', 'mia@luenen.de')
    members.update_profile(session, actor=mia, user_id=mia.id, name='Mia Neu', organization='Stadt Lünen',
                           topics=['E-Akte'])
    assert members.member_facets(session, viewer=ada_admin, filters=Filters()) == first  # within the minute
    assert [f.label for f in members.member_facets(session, viewer=ada_admin, filters=Filters(q='mia')).topics] == \
        ['E-Akte']
    monkeypatch.setattr(members, 'FACET_CACHE_SECONDS', 0.0)
    assert members.member_facets(session, viewer=ada_admin, filters=Filters()) != first


def test_very_broad_search_ranks_the_newest_candidates_and_says_so(session, ada_admin, monkeypatch):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    for i in range(5):
        accounts.register(session, name=f'Kim Vergabe{i}', email=f'kim{i}@essen.de', password='Rathaus-Fenster-7',
                          organization='Stadt Essen', consent=True)
    monkeypatch.setattr(members, 'RANK_CANDIDATES', 3)
    first = members.search_members(session, viewer=ada_admin, filters=Filters(q='kim'), page_size=2)
    assert first.total == 5 and first.ranked_among == 3
    assert {c.name for c in first.items} <= {'Kim Vergabe2', 'Kim Vergabe3', 'Kim Vergabe4'}  # the newest three
    beyond = members.search_members(session, viewer=ada_admin, filters=Filters(q='kim'), page=2, page_size=2)
    assert beyond.ranked_among is None and len(beyond.items) == 2  # past the candidates: everything is ranked
    narrow = members.search_members(session, viewer=ada_admin, filters=Filters(q='kim vergabe4'))
    assert narrow.ranked_among is None and [c.name for c in narrow.items] == ['Kim Vergabe4']
