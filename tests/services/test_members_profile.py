"""Member profiles: editing my own profile, tags and their suggestions, and who sees which field."""


import pytest
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from models.audit import AuditEntry
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag
from models.user import Status, User
from services import accounts, members, search
from services.accounts import CurrentUser
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


def save(session: Session, who: CurrentUser, **fields: object) -> None:
    """Save `who`'s own profile; name and organisation default to sensible values."""
    data: dict = {'name': who.name, 'organization': 'Stadt Essen'}
    data.update(fields)
    members.update_profile(session, actor=who, user_id=who.id, **data)


def member(session: Session, name: str, *, organization: str = 'Stadt Essen', **fields: object) -> CurrentUser:
    """An active member with a saved (and therefore indexed) profile, as a fresh CurrentUser."""
    user = make_user(session, name, search.fold(name).replace(' ', '.') + '@example.de')
    save(session, user, name=name, organization=organization, **fields)
    return accounts.get_user(session, user.id)


def own(session: Session, who: CurrentUser) -> members.OwnProfile:
    session.expire_all()
    return members.get_own_profile(session, actor=who)


def save_invalid(session: Session, who: CurrentUser, **fields: object) -> Invalid:
    with pytest.raises(Invalid) as e:
        save(session, who, **fields)
    session.rollback()
    return e.value


def tag_rows(session: Session) -> list[Tag]:
    session.expire_all()
    return list(session.exec(select(Tag).order_by(col(Tag.key))))


def names(page: members.MemberPage) -> list[str]:
    return [card.name for card in page.items]


FULL_PROFILE = {
    'name': 'Mia Musterfrau', 'organization': 'Kreis Wesel', 'pronouns': 'sie/ihr', 'department': 'Fachbereich IT',
    'position': 'Sachbearbeiterin Digitalisierung', 'location': 'Moers', 'bio': 'Erste Zeile\n\nZweiter Absatz',
    'phone': '+49 (2841) 202-0', 'other_contact': 'Matrix: @mia:kreis-wesel.de', 'email_visibility': 'all',
    'phone_visibility': 'org', 'location_visibility': 'none', 'topics': ['E-Akte', 'Digitalisierung'],
    'offers': ['Open Data'], 'needs': ['Bürgerbeteiligung'],
}


# ---------------------------------------------------------------- editing my profile


def test_update_profile_saves_every_field(session, mia_member):
    save(session, mia_member, **FULL_PROFILE)
    assert own(session, mia_member) == members.OwnProfile(
        name='Mia Musterfrau', organization='Kreis Wesel', pronouns='sie/ihr', department='Fachbereich IT',
        position='Sachbearbeiterin Digitalisierung', location='Moers', bio='Erste Zeile\n\nZweiter Absatz',
        phone='+49 (2841) 202-0', other_contact='Matrix: @mia:kreis-wesel.de', email_visibility='all',
        phone_visibility='org', location_visibility='none', avatar='', topics=('Digitalisierung', 'E-Akte'),
        offers=('Open Data',), needs=('Bürgerbeteiligung',),
    )


def test_update_profile_stores_name_sort_name_and_organization_on_the_user(session, mia_member):
    save(session, mia_member, name='Ömer Özdemir', organization='Kreis Wesel')
    session.expire_all()
    user = session.get(User, mia_member.id)
    org = session.get(Organization, user.organization_id)
    assert (user.name, user.sort_name, org.name) == ('Ömer Özdemir', 'oemer oezdemir', 'Kreis Wesel')


def test_own_profile_of_member_who_never_saved_has_defaults(session, mia_member):
    profile = own(session, mia_member)
    assert (profile.name, profile.organization, profile.bio, profile.topics) == ('Mia Member', '', '', ())
    assert (profile.email_visibility, profile.phone_visibility, profile.location_visibility) == ('org', 'none', 'all')


def test_update_profile_collapses_spaces_in_single_line_fields_but_keeps_bio_lines(session, mia_member):
    save(session, mia_member, name='  Mia   Member ', position=' Leitung \n Bürgeramt ', bio='  a\n\n  b  ')
    profile = own(session, mia_member)
    assert (profile.name, profile.position, profile.bio) == ('Mia Member', 'Leitung Bürgeramt', 'a\n\n  b')


def test_update_profile_of_another_member_is_not_allowed_even_for_admin(session, ada_admin, mia_member):
    with pytest.raises(NotAllowed):
        members.update_profile(session, actor=ada_admin, user_id=mia_member.id, name='Gehackt',
                               organization='Stadt Essen')
    session.rollback()
    assert own(session, mia_member).name == 'Mia Member'


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_update_profile_by_inactive_member_is_not_allowed(session, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        save(session, actor, position='Neu')
    session.rollback()
    assert session.get(MemberProfile, actor.id) is None


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_get_own_profile_by_inactive_member_is_not_allowed(session, request, persona):
    with pytest.raises(NotAllowed):
        members.get_own_profile(session, actor=request.getfixturevalue(persona))


@pytest.mark.parametrize(('field', 'limit'), sorted({**members.LIMITS, 'name': 100}.items()))
def test_update_profile_refuses_over_long_field_naming_it(session, mia_member, field, limit):
    value = ('1' if field == 'phone' else 'x') * (limit + 1)
    assert save_invalid(session, mia_member, **{field: value}).field == field
    assert session.get(MemberProfile, mia_member.id) is None


def test_update_profile_accepts_every_field_at_exactly_its_limit(session, mia_member):
    values = {field: ('1' if field == 'phone' else 'x') * limit
              for field, limit in {**members.LIMITS, 'name': 100}.items()}
    save(session, mia_member, **values)
    profile = own(session, mia_member)
    assert {field: getattr(profile, field) for field in values} == values


def test_update_profile_refuses_empty_name(session, mia_member):
    for name in ['', '   ', '\n\t']:
        assert save_invalid(session, mia_member, name=name).field == 'name', repr(name)


def test_update_profile_refuses_empty_organization(session, mia_member):
    for organization in ['', '   ']:
        assert save_invalid(session, mia_member, organization=organization).field == 'organization'


def test_update_profile_refuses_phone_with_other_characters(session, mia_member):
    for phone in ['ruf mich an', '0201 123 45 ext. 6', '0201<script>', '0201;123']:
        assert save_invalid(session, mia_member, phone=phone).field == 'phone', phone


def test_update_profile_accepts_phone_with_digits_spaces_and_punctuation(session, mia_member):
    save(session, mia_member, phone='+49 (201) 88-123/4.5')
    assert own(session, mia_member).phone == '+49 (201) 88-123/4.5'


@pytest.mark.parametrize('field', ['email_visibility', 'phone_visibility', 'location_visibility'])
def test_update_profile_refuses_unknown_visibility(session, mia_member, field):
    for value in ['public', '', 'ALL']:
        assert save_invalid(session, mia_member, **{field: value}).field == field, value


def test_update_profile_stores_html_verbatim_as_text(session, mia_member):
    script = '<script>alert(1)</script>'
    save(session, mia_member, name=f'Mia {script}', position=script, department='<b>IT</b>', bio=f'{script} **fett**',
         other_contact='<a href="javascript:alert(1)">x</a>', topics=['<img src=x onerror=alert(1)>'])
    profile = own(session, mia_member)
    assert (profile.name, profile.position, profile.department) == (f'Mia {script}', script, '<b>IT</b>')
    assert profile.bio == f'{script} **fett**'
    assert profile.other_contact == '<a href="javascript:alert(1)">x</a>'
    assert profile.topics == ('<img src=x onerror=alert(1)>',)


def test_member_view_bio_html_contains_no_script(session, mia_member):
    save(session, mia_member, bio='<script>alert(1)</script> **fett** <img src=x onerror=alert(1)>')
    view = members.get_member(session, viewer=mia_member, member_id=mia_member.id)
    assert '<script' not in view.bio_html and '<img' not in view.bio_html
    assert '<strong>fett</strong>' in view.bio_html


def test_update_profile_writes_audit_entry(session, mia_member):
    save(session, mia_member, position='Neu')
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == 'profile.updated')).all()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (mia_member.id, 'user', str(mia_member.id))


def test_refused_update_leaves_stored_profile_unchanged(session, mia_member):
    save(session, mia_member, position='Alt', topics=['E-Akte'])
    save_invalid(session, mia_member, position='Neu', topics=['x' * 51])
    profile = own(session, mia_member)
    assert (profile.position, profile.topics) == ('Alt', ('E-Akte',))


def test_organization_typed_with_other_case_and_spaces_reuses_the_existing_one(session, mia_member, mo_moderator):
    save(session, mia_member, organization='Stadt Essen')
    save(session, mo_moderator, organization='  stadt   ESSEN ')
    session.expire_all()
    assert session.exec(select(func.count(col(Organization.id)))).one() == 1
    assert session.get(User, mo_moderator.id).organization_id == session.get(User, mia_member.id).organization_id
    assert own(session, mo_moderator).organization == 'Stadt Essen'


def test_new_organization_typed_in_profile_is_added(session, mia_member):
    save(session, mia_member, organization='Gemeinde  Alpen')
    session.expire_all()
    org = session.exec(select(Organization)).one()
    assert (org.name, org.kind) == ('Gemeinde Alpen', 'Sonstige')


# ---------------------------------------------------------------- tags


def test_tag_spellings_that_fold_alike_become_one_tag_named_as_first_typed(session, mia_member):
    save(session, mia_member, topics=['  E-Akte ', 'e-akte', 'E-akte'])
    assert own(session, mia_member).topics == ('E-Akte',)
    assert [(t.name, t.key) for t in tag_rows(session)] == [('E-Akte', 'e-akte')]


def test_tag_keeps_its_first_spelling_when_another_member_types_it_differently(session, mia_member, mo_moderator):
    save(session, mia_member, topics=['E-Akte'])
    save(session, mo_moderator, topics=['e-AKTE'])
    assert own(session, mo_moderator).topics == ('E-Akte',)
    assert len(tag_rows(session)) == 1


def test_tags_with_umlaut_and_spelled_out_umlaut_are_one_tag(session, mia_member):
    save(session, mia_member, topics=['Bürgerbeteiligung', 'Buergerbeteiligung'])
    assert [(t.name, t.key) for t in tag_rows(session)] == [('Bürgerbeteiligung', 'buergerbeteiligung')]


@pytest.mark.parametrize('kind', ['topics', 'offers', 'needs'])
def test_tag_over_50_characters_is_refused_naming_its_list(session, mia_member, kind):
    assert save_invalid(session, mia_member, **{kind: ['x' * 51]}).field == kind


def test_tag_of_50_characters_is_accepted(session, mia_member):
    save(session, mia_member, topics=['x' * 50])
    assert own(session, mia_member).topics == ('x' * 50,)


@pytest.mark.parametrize('kind', ['topics', 'offers', 'needs'])
def test_more_than_20_tags_are_refused(session, mia_member, kind):
    assert save_invalid(session, mia_member, **{kind: [f'Thema {i}' for i in range(21)]}).field == kind


def test_20_tags_plus_other_spellings_of_them_are_accepted(session, mia_member):
    save(session, mia_member, topics=[f'Thema {i}' for i in range(20)] + ['THEMA 0', 'thema  1'])
    assert len(own(session, mia_member).topics) == 20


def test_empty_and_punctuation_only_tags_are_dropped(session, mia_member):
    save(session, mia_member, topics=['', '   ', '#', ', ;', '#Open Data,'])
    assert own(session, mia_member).topics == ('Open Data',)


def test_same_tag_may_be_topic_and_offer(session, mia_member):
    save(session, mia_member, topics=['E-Akte'], offers=['e-akte'], needs=['E-AKTE'])
    profile = own(session, mia_member)
    assert (profile.topics, profile.offers, profile.needs) == (('E-Akte',), ('E-Akte',), ('E-Akte',))
    assert len(tag_rows(session)) == 1


def test_saving_again_replaces_the_tags(session, mia_member):
    save(session, mia_member, topics=['E-Akte', 'Open Data'], offers=['Vergabe'], needs=['Recht'])
    save(session, mia_member, topics=['Open Data', 'Digitalisierung'], offers=[], needs=['Recht'])
    profile = own(session, mia_member)
    assert (profile.topics, profile.offers, profile.needs) == (('Digitalisierung', 'Open Data'), (), ('Recht',))
    session.expire_all()
    assert session.exec(select(func.count()).select_from(MemberTag)).one() == 3


def test_suggest_tags_returns_existing_tags_by_prefix_most_used_first(session, mia_member, mo_moderator):
    save(session, mia_member, topics=['Agile Verwaltung', 'Agenda 2030', 'Personal'])
    save(session, mo_moderator, topics=['Agile Verwaltung', 'Magazin'])
    assert members.suggest_tags(session, prefix='ag') == ['Agile Verwaltung', 'Agenda 2030']


def test_suggest_tags_folds_the_prefix(session, mia_member):
    save(session, mia_member, topics=['Bürgerbeteiligung', 'Bauen'])
    assert members.suggest_tags(session, prefix='bürg') == ['Bürgerbeteiligung']
    assert members.suggest_tags(session, prefix='BUERG') == ['Bürgerbeteiligung']


def test_suggest_tags_for_blank_prefix_is_empty(session, mia_member):
    save(session, mia_member, topics=['Agenda 2030'])
    assert members.suggest_tags(session, prefix='') == []
    assert members.suggest_tags(session, prefix='   ') == []


def test_suggest_tags_is_bounded_by_limit(session, mia_member):
    save(session, mia_member, topics=[f'Thema {i:02}' for i in range(12)])
    assert members.suggest_tags(session, prefix='thema', limit=3) == ['Thema 00', 'Thema 01', 'Thema 02']


def test_popular_tags_are_ordered_by_use_and_leave_out_unused_tags(session, mia_member, mo_moderator, ada_admin):
    save(session, mia_member, topics=['Vergabe', 'Open Data', 'E-Akte'], offers=['Altes Thema'])
    save(session, mo_moderator, topics=['Open Data', 'E-Akte'])
    save(session, ada_admin, topics=['E-Akte'])
    save(session, mia_member, topics=['Vergabe', 'Open Data', 'E-Akte'])  # 'Altes Thema' is no longer used
    assert members.popular_tags(session) == ['E-Akte', 'Open Data', 'Vergabe']


def test_folded_key_of_longest_allowed_tag_fits_its_column(session, mia_member):
    save(session, mia_member, topics=['Größenmaß-Prüfämter für Übergänge über Straßenmaße'])  # 50 characters
    [tag] = tag_rows(session)
    assert len(tag.key) <= Tag.__table__.c.key.type.length


def test_sort_name_of_longest_allowed_name_fits_its_column(session, mia_member):
    save(session, mia_member, name='Ä' * 100)
    session.expire_all()
    assert len(session.get(User, mia_member.id).sort_name) <= User.__table__.c.sort_name.type.length


# ---------------------------------------------------------------- who sees which field


@pytest.fixture
def trio(session: Session) -> dict[str, CurrentUser]:
    """Sam and Olga work for Stadt Essen, Xaver for Kreis Wesel."""
    return {'self': member(session, 'Sam Selbst'), 'same_org': member(session, 'Olga Organisation'),
            'other_org': member(session, 'Xaver Extern', organization='Kreis Wesel')}


SEEN_BY = {'all': {'self', 'same_org', 'other_org'}, 'org': {'self', 'same_org'}, 'none': {'self'}}


@pytest.mark.parametrize('visibility', ['all', 'org', 'none'])
@pytest.mark.parametrize('field', ['email', 'phone', 'location'])
def test_field_is_shown_only_to_whom_its_visibility_allows(session, trio, field, visibility):
    sam = trio['self']
    save(session, sam, phone='0201 88-1', location='Hattingen', **{f'{field}_visibility': visibility})
    stored = {'email': 'sam.selbst@example.de', 'phone': '0201 88-1', 'location': 'Hattingen'}[field]
    seen = {viewer: getattr(members.get_member(session, viewer=trio[viewer], member_id=sam.id), field)
            for viewer in ('self', 'same_org', 'other_org')}
    assert seen == {viewer: stored if viewer in SEEN_BY[visibility] else None for viewer in seen}


def test_hidden_fields_do_not_hide_the_rest_of_the_profile(session, trio):
    sam = trio['self']
    save(session, sam, position='Referent', topics=['E-Akte'], email_visibility='none', phone='1',
         phone_visibility='none', location='Hattingen', location_visibility='none')
    view = members.get_member(session, viewer=trio['other_org'], member_id=sam.id)
    assert (view.email, view.phone, view.location) == (None, None, None)
    assert (view.name, view.organization, view.position, view.is_self) == ('Sam Selbst', 'Stadt Essen', 'Referent',
                                                                           False)
    assert [t.name for t in view.topics] == ['E-Akte']


def test_empty_phone_and_location_are_none_even_for_self(session, trio):
    sam = trio['self']
    view = members.get_member(session, viewer=sam, member_id=sam.id)
    assert (view.phone, view.location, view.is_self) == (None, None, True)


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_profile_of_inactive_member_is_not_found_for_others(session, request, mia_member, persona):
    with pytest.raises(NotFound):
        members.get_member(session, viewer=mia_member, member_id=request.getfixturevalue(persona).id)


def test_profile_of_unknown_member_is_not_found(session, mia_member):
    with pytest.raises(NotFound):
        members.get_member(session, viewer=mia_member, member_id=999_999)


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_inactive_viewer_may_not_view_profiles(session, request, mia_member, persona):
    with pytest.raises(NotAllowed):
        members.get_member(session, viewer=request.getfixturevalue(persona), member_id=mia_member.id)


def test_profile_of_member_deactivated_after_saving_is_not_found(session, trio):
    session.exec(update(User).where(col(User.id) == trio['self'].id).values(status=Status.DEACTIVATED))
    session.commit()
    with pytest.raises(NotFound):
        members.get_member(session, viewer=trio['same_org'], member_id=trio['self'].id)


@pytest.mark.parametrize(('visibility', 'findable'), [('all', True), ('org', False), ('none', False)])
def test_location_is_searchable_only_when_visible_to_all(session, trio, visibility, findable):
    save(session, trio['self'], location='Hattingen', location_visibility=visibility)
    for viewer in (trio['same_org'], trio['other_org']):
        page = members.search_members(session, viewer=viewer, filters=members.Filters(q='Hattingen'))
        assert names(page) == (['Sam Selbst'] if findable else [])


def test_location_hidden_later_is_no_longer_searchable(session, trio):
    save(session, trio['self'], location='Hattingen', location_visibility='all')
    save(session, trio['self'], location='Hattingen', location_visibility='none')
    page = members.search_members(session, viewer=trio['other_org'], filters=members.Filters(q='Hattingen'))
    assert page.total == 0
