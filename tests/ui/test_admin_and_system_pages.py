"""Administration pages, legal pages, health check, cookies and the friendly error page."""

import httpx
import pytest
from nicegui import app, ui
from nicegui.testing import User

from models.user import Role
from services import accounts, db
from services import settings as site_settings
from tests.ui.conftest import add_user, nav_link, set_settings, sign_in, signed_in, site_home


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
    user.find(marker='save-network').click()
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    await user.open('/')
    assert '>Netzwerk Ruhr &amp; Rhein</span>' in site_home(user)  # escaped
    assert user.client.title == 'Start · Netzwerk Ruhr & Rhein'


async def test_admin_settings_refuse_a_bad_domain_beside_the_field(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    user.find(marker='field-allowed_domains').type('essen.de, kein domain')
    user.find(marker='save-membership').click()
    await user.should_see('ist keine gültige Domain.')
    assert db.call(site_settings.get_setting, 'allowed_domains') == []


async def test_admin_sets_the_attachment_limit_with_a_clear_message_for_nonsense(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    field = user.find(marker='field-max_attachment_mb').elements.pop()
    field.value = 0
    user.find(marker='save-content').click()
    await user.should_see('Erlaubt sind 1 bis 50.')
    assert field.error == 'Erlaubt sind 1 bis 50.'
    field.value = 25
    user.find(marker='save-content').click()
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


# ---------------------------------------------------------------- the settings page, group by group


@pytest.mark.parametrize(('group', 'marker', 'value', 'key', 'stored'), [
    ('network', 'field-notice_text', 'Wartung am Freitag', 'notice_text', 'Wartung am Freitag'),
    ('membership', 'field-default_visibility', 'all', 'default_visibility', 'all'),
    ('modules', 'field-module_messages', False, 'module_messages', False),
    ('content', 'field-edit_window_minutes', 30, 'edit_window_minutes', 30),
    ('security', 'field-session_days', 7, 'session_days', 7),
    ('email', 'field-smtp_host', 'Mail.Essen.de', 'smtp_host', 'mail.essen.de'),
    ('legal', 'field-accessibility_text', 'Weitgehend barrierefrei.', 'accessibility_text',
     'Weitgehend barrierefrei.'),
])
async def test_each_settings_group_saves_its_own_values(user: User, ada, group, marker, value, key, stored):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    user.find(marker=marker).elements.pop().value = value
    user.find(marker=f'save-{group}').click()
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    assert db.call(site_settings.get_setting, key) == stored


async def test_a_bad_mail_port_is_shown_beside_the_field_and_nothing_is_stored(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    port = user.find(marker='field-smtp_port').elements.pop()
    port.value = 70000
    user.find(marker='field-smtp_host').elements.pop().value = 'mail.essen.de'
    user.find(marker='save-email').click()
    await user.should_see('Erlaubt sind 1 bis 65535.')
    assert port.error == 'Erlaubt sind 1 bis 65535.'
    assert db.call(site_settings.get_setting, 'smtp_host') == ''


async def test_the_mail_password_is_never_shown_kept_when_empty_and_removable(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    await user.should_see('Passwort: nicht gesetzt')
    password = user.find(marker='field-smtp_password').elements.pop()
    password.value = 'Sehr-Geheim-42'
    user.find(marker='save-email').click()
    await user.should_see('Passwort: gespeichert')
    assert password.value == ''
    assert db.call(site_settings.get_setting, 'smtp_password') == 'Sehr-Geheim-42'
    user.find(marker='field-smtp_user').elements.pop().value = 'netz'
    user.find(marker='save-email').click()  # the empty password field keeps the stored one
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    assert db.call(site_settings.get_setting, 'smtp_password') == 'Sehr-Geheim-42'
    await user.open('/admin')  # a fresh page: the secret is not in it
    assert password.value == ''
    await user.should_see('Passwort: gespeichert')
    assert not any('Sehr-Geheim-42' in str(e.props.get('value', '')) for e in user.find(ui.input).elements)
    user.find(marker='remove-smtp-password').click()
    await user.should_see('Passwort: nicht gesetzt')
    assert db.call(site_settings.get_setting, 'smtp_password') == ''


async def test_test_mail_is_sent_through_the_stored_server_and_failures_are_explained(user: User, ada):
    import socket

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
            received.append(envelope)
            return '250 OK'

    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname='127.0.0.1', port=port)
    controller.start()
    try:
        set_settings(ada, smtp_host='127.0.0.1', smtp_port=port, smtp_security='none', smtp_sender='netz@essen.de')
        await signed_in(user, 'ada@essen.de')
        await user.open('/admin')
        user.find(marker='send-test-mail').click()
        await user.should_see('Die Test-E-Mail an ada@essen.de ist verschickt.')
        assert [e.rcpt_tos for e in received] == [['ada@essen.de']]
    finally:
        controller.stop()
    user.find(marker='send-test-mail').click()  # the server is gone now
    await user.should_see(f'Der Mailserver 127.0.0.1:{port} nimmt keine Verbindung an.')
    user.find(marker='field-to').elements.pop().value = 'keine-adresse'
    user.find(marker='send-test-mail').click()
    await user.should_see('Das ist keine gültige E-Mail-Adresse.')


async def test_admin_uploads_a_logo_it_shows_in_the_header_and_a_pdf_is_refused(user: User, ada):
    import io

    from nicegui.elements.upload_files import SmallFileUpload
    from PIL import Image

    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    upload = user.find(marker='logo-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload('logo.png', 'image/png', b'%PDF-1.4 kein Bild')])
    await user.should_see('Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.')
    assert db.call(site_settings.get_setting, 'logo') == ''
    png = io.BytesIO()
    Image.new('RGB', (300, 100), 'navy').save(png, 'PNG')
    await upload.handle_uploads([SmallFileUpload('logo.png', 'image/png', png.getvalue())])
    await user.should_see('Logo gespeichert.')
    name = db.call(site_settings.get_setting, 'logo')
    assert name
    assert f'<img alt="" src="/site-logo?v={name[:8]}"' in site_home(user)
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        served = await client.get('/site-logo')  # public: the sign-in page shows it too
    assert served.status_code == 200 and served.headers['content-type'] == 'image/webp'
    assert 'max-age=300' in served.headers['cache-control']
    user.find(marker='remove-logo').click()
    await user.should_see('Logo entfernt.')
    assert db.call(site_settings.get_setting, 'logo') == ''


@pytest.mark.parametrize('role', [Role.MEMBER, Role.MODERATOR])
async def test_members_and_moderators_are_sent_away_from_the_settings(user: User, ada, role):
    add_user('Mo Zweit', 'mo@luenen.de', role=role)
    await signed_in(user, 'mo@luenen.de')
    await user.open('/admin')
    await user.should_see('Willkommen, Mo Zweit!')
    await user.should_not_see(marker='save-network')


async def test_accessibility_statement_is_public_and_linked_in_the_footer(user: User, ada):
    await user.open('/accessibility')
    await user.should_see('noch keine Erklärung zur Barrierefreiheit')
    await user.should_see('Barrierefreiheit')
    set_settings(ada, accessibility_text='## Stand\nDiese Seite ist **weitgehend** barrierefrei.<script>x</script>')
    await user.open('/accessibility')
    [text] = user.find(marker='legal-text').elements
    assert '<strong>weitgehend</strong>' in text.content and '<script' not in text.content
    # Whatever the operator writes, the page says what the software itself is tested for.
    await user.should_see('Was die Software prüft')
    await user.should_see(marker='software-tests')


async def test_welcome_text_and_description_are_on_the_start_page_sanitised(user: User, ada):
    set_settings(ada, site_description='Der kurze Draht zwischen Kommunen',
                 welcome_text='Bitte **stellen Sie sich vor**. <img src=x onerror=alert(1)>')
    await signed_in(user, 'ada@essen.de')
    await user.should_see('Der kurze Draht zwischen Kommunen')
    [welcome] = user.find(marker='welcome-text').elements
    assert '<strong>stellen Sie sich vor</strong>' in welcome.content
    assert '<img' not in welcome.content


async def test_switched_off_areas_leave_the_navigation_and_their_addresses_lead_home(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.should_see(nav_link('/boards'))
    set_settings(ada, module_boards=False, module_events=False)
    await user.open('/boards')
    await user.should_see('Die Foren sind in diesem Netzwerk abgeschaltet.')
    await user.should_not_see(nav_link('/boards'))
    await user.should_not_see(nav_link('/events'))
    await user.should_not_see(marker='board-news')
    await user.open('/events/3')
    await user.should_see('Der Kalender und die Veranstaltungen sind in diesem Netzwerk abgeschaltet.')
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        for path, area in (('/threads/1', 'boards'), ('/events/1.ics', 'events'), ('/boards/x', 'boards')):
            response = await client.get(path)
            assert (response.status_code, response.headers['location']) == (303, f'/?off={area}')
        # A calendar program cannot follow a redirect to a page: a feed of a switched-off calendar is gone.
        assert (await client.get('/calendar/abc.ics')).status_code == 404
    await user.open('/search?q=Rathaus')
    await user.should_see(marker='search-members')
    await user.should_not_see('Beiträge')
    set_settings(ada, module_boards=True)
    await user.open('/boards')
    await user.should_see(nav_link('/boards'))


async def test_visitors_without_a_choice_get_the_default_language(user: User, ada):
    set_settings(ada, default_language='en')
    await user.open('/login')
    await user.should_see('Sign in')
    user.find('Deutsch').click()  # a visitor's own choice wins
    await user.should_see('Anmelden')
