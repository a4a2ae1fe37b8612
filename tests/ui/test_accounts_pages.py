"""Sign-in, guard, set-up, registration modes, pending notice, sign-out, password change — as users see them."""


import pytest
from nicegui.testing import User

from models.user import Role, Status
from services import accounts, db
from tests.ui.conftest import PASSWORD, add_user, left_or_refused, nav_link, set_settings, sign_in, signed_in, wait_for


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


@pytest.fixture
def mia(ada: accounts.CurrentUser) -> accounts.CurrentUser:
    return add_user('Mia Mitglied', 'mia@luenen.de')



def _at(user: User) -> str:
    """Where the browser landed: after a sign-in that is past /login/done, which only hands out the new cookie."""
    request = user.client.request if user.client else None
    if request is None:
        return ''
    return request.url.path + (f'?{request.url.query}' if request.url.query else '')


async def test_guard_sends_visitors_to_login_and_back_to_their_page(user: User, mia):
    await user.open('/account?tab=1')
    await user.should_see('Anmelden')
    user.find(marker='field-email').type('mia@luenen.de')
    user.find(marker='field-password').type(PASSWORD)
    user.find(marker='submit').click()
    await wait_for(lambda: _at(user) == '/account?tab=1')
    await user.should_see('Passwort ändern')


async def test_redirect_after_sign_in_stays_on_this_site(user: User, mia):
    for evil in ('https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)'):
        await user.open(f'/login?next={evil}')
        user.find(marker='field-email').type('mia@luenen.de')
        user.find(marker='field-password').type(PASSWORD)
        user.find(marker='submit').click()
        await wait_for(lambda: _at(user) == '/')
        await user.open('/logout')
        user.find(marker='submit').click()


async def test_wrong_password_shows_a_message_beside_the_field_and_keeps_the_email(user: User, mia):
    await sign_in(user, 'mia@luenen.de', 'falsches-passwort')
    await user.should_see('E-Mail-Adresse oder Passwort ist falsch.')
    assert user.find(marker='field-email').elements.pop().value == 'mia@luenen.de'


async def test_empty_sign_in_form_asks_for_the_email(user: User, ada):
    await user.open('/login')
    user.find(marker='submit').click()
    await user.should_see('Bitte geben Sie Ihre E-Mail-Adresse ein.')


async def test_sixth_failed_sign_in_is_slowed_with_a_clear_message(user: User, mia):
    for _ in range(5):
        await sign_in(user, 'mia@luenen.de', 'falsches-passwort')
        await user.should_see('E-Mail-Adresse oder Passwort ist falsch.')
    await sign_in(user, 'mia@luenen.de', PASSWORD)
    await user.should_see('Zu viele fehlgeschlagene Anmeldeversuche')


async def test_deactivated_member_cannot_sign_in(user: User, ada):
    add_user('Dora Deaktiviert', 'dora@bochum.de', status=Status.DEACTIVATED)
    await sign_in(user, 'dora@bochum.de')
    await user.should_see('Dieses Konto ist deaktiviert')


async def test_setup_creates_the_first_admin_and_then_is_gone(user: User):
    await user.open('/login')
    await user.should_see('Noch ist keine Administration eingerichtet.')
    await user.open('/setup')
    user.find(marker='field-name').type('Ada Admin')
    user.find(marker='field-email').type('ada@essen.de')
    user.find(marker='field-password').type(PASSWORD)
    user.find(marker='submit').click()
    await wait_for(lambda: db.call(accounts.admin_exists))
    await user.should_see('Einstellungen')
    await user.open('/setup')  # now redirected away, for anyone
    await user.should_not_see('Administration anlegen')


async def test_setup_rejects_a_short_password_beside_the_field(user: User):
    await user.open('/setup')
    user.find(marker='field-name').type('Ada Admin')
    user.find(marker='field-email').type('ada@essen.de')
    user.find(marker='field-password').type('kurz')
    user.find(marker='submit').click()
    await user.should_see('Das Passwort muss mindestens 10 Zeichen lang sein.')
    assert not db.call(accounts.admin_exists)


async def _register(user: User, *, name='Ben Neu', email='ben@essen.de', password='Rathaus-Fenster-7',
                    org='Stadt Essen', consent=True, path='/register') -> None:
    form_page = await user.open(path)
    user.find(marker='field-name').type(name)
    user.find(marker='field-email').type(email)
    user.find(marker='field-password').type(password)
    select = user.find(marker='field-organization').elements.pop()
    if org not in select.options:  # what Quasar's new-value event does for typed text
        select.set_options([*select.options, org])
    select.value = org
    if consent:
        user.find(marker='field-consent').click()
    user.find(marker='submit').click()
    await left_or_refused(user, form_page)


async def test_registration_in_approval_mode_leads_to_the_pending_notice_only(user: User, ada):
    await _register(user)
    await user.should_see('muss es noch freischalten')
    await user.open('/account')  # every other page leads back to the notice
    await user.should_see('muss es noch freischalten')
    await user.should_not_see('Passwort ändern')


async def test_registration_in_open_mode_signs_in_at_once(user: User, ada):
    set_settings(ada, registration_mode='open')
    await _register(user)
    await user.should_see('Willkommen, Ben Neu!')


async def test_registration_in_domain_mode_refuses_other_domains(user: User, ada):
    set_settings(ada, allowed_domains='essen.de, luenen.de', registration_mode='domains')
    await _register(user, email='ben@gmail.com')
    await user.should_see('Registrieren können sich nur Adressen dieser Domains: essen.de, luenen.de.')
    await _register(user, email='ben@stadt.luenen.de')
    await user.should_see('Willkommen, Ben Neu!')


async def test_registration_in_invite_mode_needs_an_invitation(user: User, ada):
    set_settings(ada, registration_mode='invite')
    await user.open('/register')
    await user.should_see('nur mit einer gültigen Einladung')
    invitation = db.call(accounts.create_invitation, actor=ada)
    await _register(user, path=f'/register?invite={invitation.token}')
    await user.should_see('Willkommen, Ben Neu!')


async def test_registration_closed_says_so(user: User, ada):
    set_settings(ada, registration_mode='closed')
    await user.open('/register')
    await user.should_see('Die Registrierung ist derzeit geschlossen.')


async def test_registration_requires_consent_and_keeps_the_input(user: User, ada):
    await _register(user, consent=False)
    await user.should_see('Bitte stimmen Sie der Datenschutzerklärung zu.')
    assert user.find(marker='field-name').elements.pop().value == 'Ben Neu'


async def test_registration_with_a_taken_email_says_so(user: User, mia):
    await _register(user, email='MIA@luenen.de')
    await user.should_see('Mit dieser E-Mail-Adresse gibt es schon ein Konto.')


async def test_script_in_a_name_is_shown_as_text(user: User, ada):
    set_settings(ada, registration_mode='open')
    await _register(user, name='<script>alert(1)</script>')
    await user.should_see('Willkommen, <script>alert(1)</script>!')


async def test_navigation_shows_administration_only_to_admins(user: User, mia):
    await sign_in(user, 'mia@luenen.de')
    await user.should_see('Willkommen, Mia Mitglied!')
    await user.should_see(nav_link('/'))
    await user.should_not_see(nav_link('/admin'))
    await user.open('/admin')  # and the page itself refuses
    await user.should_not_see('Name des Netzwerks')


async def test_admin_sees_administration_in_the_navigation(user: User, ada):
    await sign_in(user, 'ada@essen.de')
    await user.should_see('Willkommen, Ada Admin!')
    await user.should_see(nav_link('/admin'))


async def test_sign_out_ends_the_session_on_the_server(user: User, mia):
    await sign_in(user, 'mia@luenen.de')
    await user.should_see('Willkommen, Mia Mitglied!')
    sid = user.client.request.state.vn_user.session_id if user.client and user.client.request else ''
    user.find(marker='user-menu').click()  # the menu is built when opened
    user.find(marker='sign-out').click()
    await user.should_see('Anmelden')
    assert sid and db.call(accounts.user_for_session, sid) is None
    await user.open('/')
    await user.should_see('Anmelden')


async def test_password_change_ends_other_sessions(user: User, mia):
    elsewhere = db.call(accounts.sign_in, email='mia@luenen.de', password=PASSWORD)
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    user.find(marker='field-current_password').type(PASSWORD)
    user.find(marker='field-new_password').type('Neues-Kennwort-2027')
    user.find(marker='change-password').click()
    await user.should_see('Passwort geändert.')
    assert db.call(accounts.user_for_session, elsewhere.session_id) is None
    await user.open('/account')  # this browser stays signed in
    await user.should_see('Passwort ändern')


async def test_deactivation_ends_an_open_page_at_once(user: User, ada, mia, monkeypatch):
    import importlib

    from nicegui import Client

    # importlib, not `import ui.auth`: NiceGUI's test reset re-imports the `ui` package but keeps its submodules.
    monkeypatch.setattr(importlib.import_module('ui.auth'), 'CLOSE_DELAY', 0.05)
    await sign_in(user, 'mia@luenen.de')
    await user.should_see('Willkommen, Mia Mitglied!')
    await user.open('/account')
    open_page = user.client
    assert open_page is not None
    db.call(accounts.deactivate_user, actor=ada, user_id=mia.id)
    await user.should_see('Anmelden')
    # The old page is gone on the server too: its buttons can no longer reach a service.
    await wait_for(lambda: open_page.id not in Client.instances)


async def test_language_switch_to_english_is_stored_per_user(user: User, mia):
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    user.find(marker='language').elements.pop().value = 'en'
    await user.should_see('Change password')
    assert db.call(accounts.get_user, mia.id).language == 'en'


async def test_pending_member_cannot_open_pages(user: User, ada):
    await _register(user, email='pia@essen.de', name='Pia Wartend')
    await user.should_see('muss es noch freischalten')
    await user.open('/admin/users')
    await user.should_see('muss es noch freischalten')


async def test_password_can_be_shown_with_a_named_button(user: User, ada):
    await user.open('/login')
    field = user.find(marker='field-password').elements.pop()
    toggle = user.find(marker='password-toggle').elements.pop()
    assert (field.props['type'], toggle.props['aria-label']) == ('password', 'Passwort anzeigen')
    user.find(marker='password-toggle').click()
    assert (field.props['type'], toggle.props['aria-label']) == ('text', 'Passwort verbergen')
    user.find(marker='password-toggle').click()
    assert field.props['type'] == 'password'
