"""Administration pages, legal pages, health check, cookies and the friendly error page."""

import httpx
import pytest
from nicegui import app, ui
from nicegui.testing import User

from models.user import Role
from services import accounts, db
from services import settings as site_settings
from tests.ui.conftest import add_user, set_settings, sign_in, signed_in


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


async def _register_pending(name: str, email: str) -> accounts.CurrentUser:
    signed = db.call(accounts.register, name=name, email=email, password='Rathaus-Fenster-7',
                     organization='Stadt Wesel', consent=True)
    return signed.user


async def test_admin_changes_the_site_name_and_it_shows_at_once(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    field = user.find(marker='field-site_name').elements.pop()
    field.value = 'Netzwerk Ruhr & Rhein'
    user.find(marker='save-settings').click()
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    await user.open('/')
    await user.should_see('Netzwerk Ruhr & Rhein')


async def test_admin_settings_refuse_a_bad_domain_beside_the_field(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    user.find(marker='field-allowed_domains').type('essen.de, kein domain')
    user.find(marker='save-settings').click()
    await user.should_see('ist keine gültige Domain.')
    assert db.call(site_settings.get_setting, 'allowed_domains') == []


async def test_admin_sets_the_attachment_limit_with_a_clear_message_for_nonsense(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    field = user.find(marker='field-max_attachment_mb').elements.pop()
    field.value = 0
    user.find(marker='save-settings').click()
    await user.should_see('Erlaubt sind 1 bis 50 MB.')
    field.value = 25
    user.find(marker='save-settings').click()
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    assert db.call(site_settings.get_setting, 'max_attachment_mb') == 25


async def test_admin_approves_a_pending_account(user: User, ada):
    pia = await _register_pending('Pia Wartend', 'pia@kreis-wesel.de')
    await sign_in(user, 'ada@essen.de')
    await user.should_see('1 Konten warten auf Freischaltung.')
    await user.open('/admin/users?status=pending')
    await user.should_see('Pia Wartend')
    user.find(marker='approve').click()
    await user.should_see('Erledigt.')
    assert db.call(accounts.get_user, pia.id).status == 'active'


async def test_admin_deactivates_a_member(user: User, ada):
    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?q=mia')
    await user.should_see('Mia Mitglied')
    user.find(marker='deactivate').click()
    await user.should_see('Erledigt.')
    assert db.call(accounts.get_user, mia.id).status == 'deactivated'


async def test_admin_creates_an_invitation_link(user: User, ada):
    set_settings(ada, registration_mode='invite')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/invitations')
    user.find(marker='create-invitation').click()
    await user.should_see(marker='invitation-link')
    link = user.find(marker='invitation-link').elements.pop().value
    assert '/register?invite=' in link
    assert db.call(accounts.check_invitation, link.rsplit('=', 1)[1])


async def test_member_cannot_open_administration_pages(user: User, ada):
    add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'mia@luenen.de')
    for path in ('/admin', '/admin/users', '/admin/invitations'):
        await user.open(path)
        await user.should_see('Willkommen, Mia Mitglied!')


async def test_imprint_and_privacy_are_public_and_edited_by_admins(user: User, ada):
    await user.open('/imprint')
    await user.should_see('noch kein Impressum')
    set_settings(ada, imprint_text='**Stadt Essen**, Rathaus', privacy_text='Wir speichern nur, was nötig ist.')
    await user.open('/imprint')
    await user.should_see('Rathaus')
    await user.open('/privacy')
    await user.should_see('Wir speichern nur, was nötig ist.')


async def test_english_visitor_sees_the_sign_in_page_in_english(user: User, ada):
    await user.open('/login')
    user.find('English').click()
    await user.should_see('Sign in')
    await user.should_see('No account yet?')


async def test_healthz_answers_ok_and_protected_routes_redirect(user: User):
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        health = await client.get('/healthz')
        assert (health.status_code, health.text) == (200, 'ok')
        guarded = await client.get('/members?q=digital&page=2')
        assert guarded.status_code == 303
        assert guarded.headers['location'] == '/login?next=%2Fmembers%3Fq%3Ddigital%26page%3D2'


async def test_session_cookie_is_httponly_and_samesite_lax(user: User):
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        response = await client.get('/login')
        cookie = response.headers['set-cookie'].lower()
        assert 'httponly' in cookie
        assert 'samesite=lax' in cookie


async def test_unexpected_error_shows_a_friendly_page_with_an_id(user: User, caplog):
    @ui.page('/boom')
    def boom_page():
        raise RuntimeError('secret internals')

    from ui.auth import PUBLIC_PATHS
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        # The guard would send us to /login; sign in through the real form instead of weakening it.
        add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
        await signed_in(user, 'ada@essen.de')
        cookies = user.http_client.cookies
        response = await client.get('/boom', cookies=cookies)
    assert response.status_code == 500
    assert 'Etwas ist schiefgegangen' in response.text
    assert 'secret internals' not in response.text
    assert '/boom' not in PUBLIC_PATHS
    assert any('unexpected error' in r.getMessage() for r in caplog.records)
    caplog.clear()  # the error was expected here; the user fixture fails on any other ERROR log
