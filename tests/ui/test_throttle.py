"""Anonymous page requests are throttled per address and in total, with 429 before NiceGUI builds a page."""

import re

import httpx
from nicegui import Client, app, ui
from nicegui import __version__ as nicegui_version
from nicegui.testing import User

from models.user import Role
from services import accounts, db
from tests.ui.conftest import PASSWORD, add_user, set_settings, signed_in
from ui import throttle
from ui.security import CONTENT_SECURITY_POLICY

LIMIT = 10  # the lowest the setting allows


async def get(path: str, address: str = '198.51.100.1', client: httpx.AsyncClient | None = None) -> httpx.Response:
    if client is not None:
        return await client.get(path)
    transport = httpx.ASGITransport(app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as anonymous:
        return await anonymous.get(path)


def pages() -> int:
    return len(Client.instances)


def low_limit() -> None:
    admin = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    set_settings(admin, anonymous_pages_per_minute=LIMIT)


async def test_pages_beyond_the_limit_get_429_and_no_page_is_built(user: User):
    low_limit()
    for _ in range(LIMIT):
        before = pages()
        assert (await get('/login')).status_code == 200
        assert pages() == before + 1  # a page served is a NiceGUI client in memory
    before = pages()
    refused = await get('/login')
    assert refused.status_code == 429
    assert pages() == before  # refused before the page (and its client) existed
    assert 1 <= int(refused.headers['retry-after']) <= 60
    assert refused.headers['content-type'].startswith('text/html')
    assert 'Zu viele Seitenaufrufe ohne Anmeldung' in refused.text and 'Too many pages opened' in refused.text
    assert refused.headers['content-security-policy'] == CONTENT_SECURITY_POLICY  # the guard's headers are there
    assert (await get('/register')).status_code == 429  # per address, not per page
    assert (await get('/login', address='198.51.100.2')).status_code == 200  # another address has its own count


async def test_requests_that_build_no_page_are_neither_counted_nor_refused(user: User):
    low_limit()
    static = f'/_nicegui/{nicegui_version}/static/nicegui.css'
    for _ in range(2 * LIMIT):
        assert (await get('/healthz')).status_code == 200
        assert (await get(static)).status_code == 200
        assert (await get('/members')).status_code == 303  # the guard's redirect to /login
    for _ in range(LIMIT):
        assert (await get('/login')).status_code == 200
    assert (await get('/login')).status_code == 429
    assert (await get('/healthz')).status_code == 200
    assert (await get(static)).status_code == 200
    # A page NiceGUI would build for an unknown address (its "not found" page) is a page like any other.
    before = pages()
    assert (await get(f'/_nicegui/{nicegui_version}/unknown')).status_code == 429
    assert pages() == before


async def test_signed_in_members_are_not_counted(user: User):
    low_limit()
    add_user('Mia Member', 'mia@kreis-wesel.de')
    await signed_in(user, 'mia@kreis-wesel.de')  # its sign-in page was one anonymous page of 127.0.0.1
    for _ in range(2 * LIMIT):
        await user.open('/members')
        await user.open('/imprint')
    # The pages of the signed-in member used none of the address's count: nine anonymous pages are left.
    statuses = [(await get('/login', address='127.0.0.1')).status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]


async def test_pages_no_browser_connected_to_are_capped_for_all_addresses_together(user: User, monkeypatch):
    low_limit()
    monkeypatch.setattr(throttle, 'MAX_WAITING_PAGES', throttle.waiting_pages() + 3)
    statuses = [(await get('/login', address=f'203.0.113.{i}')).status_code for i in range(1, 4)]
    assert statuses == [200, 200, 200]  # none of these simulated browsers connects
    before = pages()
    refused = await get('/login', address='203.0.113.99')  # a fresh address, far from its own limit
    assert refused.status_code == 429 and refused.headers['retry-after'] == str(throttle.WAITING_RETRY_AFTER)
    assert pages() == before
    # NiceGUI prunes pages that never connected; then anonymous visitors are served again.
    for client in [c for c in Client.instances.values() if not c.has_socket_connection]:
        client.delete()
    assert (await get('/login', address='203.0.113.99')).status_code == 200


async def test_the_registration_form_says_when_to_try_again(user: User):
    admin = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    set_settings(admin, registrations_per_hour=1)
    # The one attempt this address has in the hour (the simulated browser comes from 127.0.0.1).
    db.call(accounts.register, name='Rita Register', email='rita@essen.de', password=PASSWORD,
            organization='Stadt Essen', consent=True, ip='127.0.0.1')
    await user.open('/register')
    user.find(marker='field-name').type('Ben Neu')
    user.find(marker='field-email').type('ben@essen.de')
    user.find(marker='field-password').type('Rathaus-Fenster-7')
    select = user.find(marker='field-organization').elements.pop()
    select.set_options([*select.options, 'Stadt Essen'])
    select.value = 'Stadt Essen'
    user.find(marker='field-consent').click()
    user.find(marker='submit').click()
    await user.should_see('Von Ihrer Adresse aus gab es in der letzten Stunde zu viele Registrierungsversuche.')
    alert = next(e for e in user.find(ui.label).elements if e.props.get('role') == 'alert')
    minutes = re.fullmatch(r'.*Bitte versuchen Sie es in (\d+) Min\. wieder\.', alert.text)
    assert minutes and 1 <= int(minutes[1]) <= 60
    assert user.find(marker='field-name').elements.pop().value == 'Ben Neu'  # what was typed stays
    assert db.call(accounts.count_users) == 2
