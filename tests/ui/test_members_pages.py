"""Directory, profiles and organisations as members see them."""

import io

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from PIL import Image

from models.user import Role
from services import accounts, db, members
from services import organizations as orgs
from tests.ui.conftest import add_user, signed_in, wait_for


def _profile(member: accounts.CurrentUser, **fields) -> None:
    values = {'name': member.name, 'organization': 'Stadt Essen', **fields}
    db.call(members.update_profile, actor=member, user_id=member.id, **values)


@pytest.fixture
def network(user: User) -> dict[str, accounts.CurrentUser]:
    """Ada (admin, Essen), Mia (Lünen) and Ben (Essen) with profiles."""
    ada = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Müller', 'mia@luenen.de')
    ben = add_user('Ben Becker', 'ben@essen.de')
    _profile(ada, organization='Stadt Essen', needs=['Bürgerbeteiligung'])
    _profile(mia, organization='Stadt Lünen', department='Amt für Bürgerbeteiligung', position='Referentin',
             topics=['Bürgerbeteiligung', 'E-Akte'], offers=['Bürgerbeteiligung'], phone='02306 1234',
             phone_visibility='org', email_visibility='all', location='Lünen', location_visibility='none')
    _profile(ben, organization='Stadt Essen', position='Teamleitung', topics=['Vergaberecht'], phone='0201 555',
             phone_visibility='org', email_visibility='org')
    return {name: db.call(accounts.get_user, m.id) for name, m in (('ada', ada), ('mia', mia), ('ben', ben))}



async def test_directory_finds_a_colleague_by_topic_with_umlauts_spelled_out(user: User, network):
    await signed_in(user, 'ada@essen.de')
    await user.open('/members?q=Buergerbeteiligung')
    await user.should_see('Mia Müller')  # offers it
    await user.should_not_see('Ben Becker')
    await user.should_see('2 Mitglieder')  # and Ada herself, who is looking for it


async def test_typing_in_the_search_updates_the_results(user: User, network):
    await signed_in(user, 'ada@essen.de')
    await user.open('/members')
    await user.should_see('Ben Becker')
    user.find(marker='member-search').type('vergabe')
    await user.should_not_see('Mia Müller')
    await user.should_see('Ben Becker')


async def test_empty_result_says_so_and_offers_to_clear_filters(user: User, network):
    await signed_in(user, 'ada@essen.de')
    await user.open('/members?q=Raumfahrt')
    await user.should_see('Keine Mitglieder gefunden.')
    await user.should_see(marker='clear-filters')


async def test_facets_filter_by_organisation_and_show_counts(user: User, network):
    await signed_in(user, 'ada@essen.de')
    essen = next(o for o in db.call(orgs.list_organizations, viewer=network['ada']) if o.name == 'Stadt Essen')
    await user.open(f'/members?org={essen.id}')
    await user.should_see('Ben Becker')
    await user.should_not_see('Mia Müller')
    await user.should_see('Verwaltung: Stadt Essen')


async def _facets(user: User) -> str:
    """The filter lists' HTML, once counted (they follow the page)."""

    def block() -> list[ui.html]:
        return [e for e in user.current_layout.descendants() if isinstance(e, ui.html) and 'facets' in e._markers]

    await wait_for(lambda: bool(block()))
    return block()[0].content


async def test_facet_lists_link_each_value_with_its_count_and_mark_the_chosen_one(user: User, network):
    await signed_in(user, 'ada@essen.de')
    essen = next(o for o in db.call(orgs.list_organizations, viewer=network['ada']) if o.name == 'Stadt Essen')
    await user.open('/members')
    html = await _facets(user)
    assert '<h2 class="text-base font-semibold text-slate-900">Verwaltung</h2>' in html
    # Stadt Essen: Ada and Ben, linked to the filtered directory; the count is read out as members.
    assert (f'<a class="nicegui-link truncate min-w-0" href="/members?org={essen.id}">Stadt Essen</a>'
            '<span class="text-slate-600" aria-label="2 Mitglieder">2</span>') in html
    await user.open(f'/members?org={essen.id}')
    html = await _facets(user)
    # The chosen value links back to the unfiltered list and says it is the current one.
    chosen = '<a class="nicegui-link truncate min-w-0 font-bold" href="/members" aria-current=true>Stadt Essen</a>'
    assert chosen in html


async def test_facet_values_are_escaped(user: User, network):
    _profile(network['mia'], organization='<img src=x onerror=alert(1)> & Co')
    await signed_in(user, 'ada@essen.de')
    await user.open('/members')
    html = await _facets(user)
    assert '&lt;img src=x onerror=alert(1)&gt; &amp; Co</a>' in html and '<img' not in html


async def test_a_topic_shows_colleagues_from_other_administrations_who_can_help(user: User, network):
    await signed_in(user, 'ada@essen.de')
    await user.open('/members?topic=buergerbeteiligung')
    await user.should_see(marker='topic-helpers')
    with user.scope(marker='topic-helpers'):
        await user.should_see('Mia Müller')


async def test_start_page_suggests_helpers_for_my_needs_and_new_members(user: User, network):
    await signed_in(user, 'ada@essen.de')
    with user.scope(marker='helpers'):
        await user.should_see('Mia Müller')
        await user.should_not_see('Ben Becker')  # same administration: not suggested
    with user.scope(marker='recent-members'):
        await user.should_see('Ben Becker')


async def test_profile_privacy_differs_by_viewer(user: User, network):
    # Ben (same administration as Ada, phone and e-mail for "my administration") seen by Ada: both visible.
    await signed_in(user, 'ada@essen.de')
    await user.open(f'/members/{network["ben"].id}')
    await user.should_see('0201 555')
    await user.should_see('ben@essen.de')
    # Mia (other administration): e-mail for all, phone only for Lünen, location for nobody.
    await user.open(f'/members/{network["mia"].id}')
    await user.should_see('mia@luenen.de')
    await user.should_not_see('02306 1234')
    with user.scope(marker='offers'):
        await user.should_see('Bürgerbeteiligung')


async def test_own_profile_shows_everything_to_me(user: User, network):
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/members/{network["mia"].id}')
    await user.should_see('02306 1234')
    await user.should_see(marker='edit-profile')


async def test_unknown_member_gives_a_friendly_not_found(user: User, network):
    await signed_in(user, 'ada@essen.de')
    for path, message in (('/members/999999', 'Dieses Mitglied gibt es nicht (mehr).'),
                          ('/members/abc', 'Dieses Mitglied gibt es nicht (mehr).'),
                          ('/organizations/999999', 'Diese Verwaltung gibt es nicht.')):
        response = await user.http_client.get(path)  # signed in: the browser's cookie travels with it
        assert response.status_code == 404, path
        assert message in response.text


async def test_editing_my_profile_saves_tags_and_makes_me_findable(user: User, network):
    await signed_in(user, 'ben@essen.de')
    await user.open('/profile')
    user.find(marker='field-department').type('Zentrale Vergabestelle')
    topics = user.find(marker='field-topics').elements.pop()
    topics.set_options([*topics.options, 'Nachhaltige Beschaffung'])
    topics.value = [*topics.value, 'Nachhaltige Beschaffung']
    user.find(marker='save-profile').click()
    await user.should_see('Profil gespeichert.')
    await user.open('/members?q=nachhaltig')
    await user.should_see('Ben Becker')


async def test_over_long_department_is_refused_beside_the_field(user: User, network):
    await signed_in(user, 'ben@essen.de')
    await user.open('/profile')
    user.find(marker='field-department').elements.pop().value = 'x' * 121
    user.find(marker='save-profile').click()
    await user.should_see('Höchstens 120 Zeichen.')


async def test_script_in_the_bio_is_shown_as_text(user: User, network):
    _profile(network['ben'], bio='Hallo <script>alert(1)</script> **fett**', position='Teamleitung')
    await signed_in(user, 'ada@essen.de')
    await user.open(f'/members/{network["ben"].id}')
    bio = user.find(marker='bio').elements.pop()
    assert '<script' not in bio.content
    assert '<strong>fett</strong>' in bio.content


async def test_avatar_upload_accepts_a_picture_and_refuses_a_renamed_pdf(user: User, network):
    await signed_in(user, 'ben@essen.de')
    await user.open('/profile')
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload('bild.png', 'image/png', b'%PDF-1.4 not a picture')])
    await user.should_see('Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.')
    png = io.BytesIO()
    Image.new('RGB', (300, 200), 'teal').save(png, 'PNG')
    await upload.handle_uploads([SmallFileUpload('bild.png', 'image/png', png.getvalue())])
    await user.should_see('Bild gespeichert.')
    await wait_for(lambda: db.call(members.get_own_profile, actor=network['ben']).avatar != '')


async def test_organisations_list_shows_member_counts(user: User, network):
    await signed_in(user, 'ada@essen.de')
    await user.open('/organizations')
    await user.should_see('Stadt Lünen')
    await user.should_see('2 Mitglieder')  # Ada and Ben in Essen


async def test_avatars_and_profiles_are_not_served_to_visitors(user: User, network):
    import httpx
    from nicegui import app

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        for path in ('/media/avatars/' + 'a' * 32 + '.webp', f'/members/{network["mia"].id}', '/members?q=x',
                     '/organizations'):
            response = await client.get(path)
            assert response.status_code == 303, path
            assert response.headers['location'].startswith('/login?next=')
