"""Sessions in a real browser (issue #8, item 3): a new cookie at sign-in; signing out in one tab and changing the
password on one device send the open pages of that session, and only those, to /login without a reload; and the
cookie is Secure exactly when the request came over HTTPS as a trusted proxy says."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, set_up_first_admin

NEW_PASSWORD = 'Rathaus-Tuer-2027'


def _session_cookie(context) -> str:  # noqa: ANN001
    return next(c['value'] for c in context.cookies() if c['name'] == 'session')


def _sign_in(page, server: str, password: str) -> None:  # noqa: ANN001
    page.goto(f'{server}/login')
    page.get_by_label('E-Mail-Adresse').fill('ada@essen.de')
    page.get_by_label('Passwort', exact=True).fill(password)
    page.get_by_role('button', name='Anmelden').click()
    expect(page.get_by_text('Willkommen, Ada Admin!')).to_be_visible()


def test_open_pages_follow_their_session_to_login(server, browser):
    laptop = browser.new_context()
    tab = laptop.new_page()
    tab.goto(f'{server}/setup')
    before = _session_cookie(laptop)
    set_up_first_admin(tab, server, go_to_setup=False)
    assert _session_cookie(laptop) != before  # signing in (here: setting up) issues a new cookie

    second_tab = laptop.new_page()
    second_tab.goto(f'{server}/account')
    expect(second_tab.get_by_role('heading', name='Passwort ändern')).to_be_visible()
    phone = browser.new_context().new_page()
    _sign_in(phone, server, PASSWORD)

    # A new password on the laptop ends the phone's session: its open page goes to /login by itself.
    second_tab.get_by_label('Bisheriges Passwort').fill(PASSWORD)
    second_tab.get_by_label('Neues Passwort (mindestens 10 Zeichen)').fill(NEW_PASSWORD)
    second_tab.get_by_role('button', name='Passwort ändern').click()
    expect(second_tab.get_by_text('Passwort geändert.')).to_be_visible()
    expect(phone).to_have_url(re.compile(r'/login$'))
    expect(tab).to_have_url(re.compile(r'/admin$'))  # the laptop's own session goes on

    _sign_in(phone, server, NEW_PASSWORD)
    # Signing out in one tab ends the other tab of that browser, and nothing on the other device.
    second_tab.get_by_role('button', name=re.compile('^Benutzermenü')).click()
    second_tab.get_by_role('menuitem', name='Abmelden').click()
    expect(second_tab).to_have_url(re.compile(r'/login$'))
    expect(tab).to_have_url(re.compile(r'/login$'))
    expect(tab.get_by_role('button', name='Anmelden')).to_be_visible()
    phone.reload()
    expect(phone.get_by_text('Willkommen, Ada Admin!')).to_be_visible()


def _cookie_flags(server: str, **headers: str) -> str:
    response = httpx.get(f'{server}/login', headers=headers)
    [cookie] = [h for h in response.headers.get_list('set-cookie') if h.startswith('session=')]
    return cookie.lower()


def test_the_cookie_is_secure_when_the_local_proxy_says_https(server):
    assert '; httponly' in _cookie_flags(server) and '; samesite=lax' in _cookie_flags(server)
    assert '; secure' not in _cookie_flags(server)
    # The test talks from 127.0.0.1, the address uvicorn trusts by default (a proxy on the same machine).
    assert _cookie_flags(server, **{'X-Forwarded-Proto': 'https'}).endswith('; secure')


@pytest.mark.parametrize('server', [{'FORWARDED_ALLOW_IPS': '10.9.9.9'}], indirect=True)
def test_the_proxy_header_counts_only_from_a_trusted_address(server):
    assert '; secure' not in _cookie_flags(server, **{'X-Forwarded-Proto': 'https'})
