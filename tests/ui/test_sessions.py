"""Sessions as a browser sees them (issue #8, item 3; ASVS V3): a new cookie at every sign-in, open pages that end
with their session however it ends, the lifetime settings applied to open pages too, and the cookie's flags."""

import asyncio
import importlib
from datetime import timedelta

import httpx
import pytest
from nicegui import Client, core
from nicegui.testing import User
from sqlalchemy import update

from models.base import utcnow
from models.user import Role, UserSession
from services import accounts, db
from tests.ui.conftest import PASSWORD, add_user, set_settings, signed_in, wait_for

# importlib, not `import ui.auth`: NiceGUI's test reset re-imports the `ui` package but keeps its submodules.
auth = importlib.import_module('ui.auth')


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


@pytest.fixture
def mia(ada: accounts.CurrentUser) -> accounts.CurrentUser:
    return add_user('Mia Mitglied', 'mia@luenen.de')


def _browser(cookie: str | None = None, *, scheme: str = 'http') -> httpx.AsyncClient:
    """Another browser against the same app; with `cookie`, one that holds that session cookie."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url=f'{scheme}://test',
                             cookies={'session': cookie} if cookie else None)


def _session_cookie(response: httpx.Response) -> str:
    [header] = [h for h in response.headers.get_list('set-cookie') if h.startswith('session=')]
    return header


async def _two_open_pages(user: User) -> tuple[Client, str]:
    """Mia signed in, with /account open in one tab and the start page in the one the test drives."""
    await signed_in(user, 'mia@luenen.de')
    other_tab = await user.open('/account')
    await user.open('/')
    sid = user.client.request.state.vn_user.session_id  # type: ignore[union-attr]
    assert auth._clients[other_tab.id] == sid
    return other_tab, sid


# ---------------------------------------------------------------- a new cookie at every sign-in


async def test_sign_in_gives_the_browser_a_new_cookie_and_the_old_one_opens_nothing(user: User, mia):
    await user.open('/login')
    before = user.http_client.cookies['session']
    await signed_in(user, 'mia@luenen.de')
    after = user.http_client.cookies['session']
    assert after != before
    # Someone who planted the old cookie in this browser before the sign-in (session fixation) is not signed in.
    async with _browser(before) as planted, _browser(after) as this_browser:
        refused = await planted.get('/account')
        assert (refused.status_code, refused.headers['location']) == (303, '/login?next=%2Faccount')
        assert (await this_browser.get('/account')).status_code == 200


async def test_the_sign_in_handoff_works_once_and_only_for_the_browser_that_signed_in(user: User, mia):
    await user.open('/login')
    planted = user.http_client.cookies['session']
    await signed_in(user, 'mia@luenen.de')
    [handoff] = [path for path in user.back_history if path.startswith('/login/done?t=')]
    async with _browser(planted) as elsewhere, _browser(user.http_client.cookies['session']) as again:
        for browser in (elsewhere, again):
            response = await browser.get(handoff)
            assert (response.status_code, response.headers['location']) == (303, '/login')
            assert 'set-cookie' not in response.headers
    async with _browser() as stranger:
        response = await stranger.get('/login/done?t=' + 'A' * 43)
        assert (response.status_code, response.headers['location']) == (303, '/login')


# ---------------------------------------------------------------- open pages end with their session


def _signed_out_in_another_tab(sid: str, ada, mia) -> None:  # noqa: ANN001
    db.call(accounts.sign_out, session_id=sid)


def _password_changed_on_another_device(sid: str, ada, mia) -> None:  # noqa: ANN001
    other = db.call(accounts.sign_in, email='mia@luenen.de', password=PASSWORD)
    db.call(accounts.change_password, actor=other.user, current_password=PASSWORD,
            new_password='Neues-Kennwort-2027')


def _other_sessions_ended_on_another_device(sid: str, ada, mia) -> None:  # noqa: ANN001
    other = db.call(accounts.sign_in, email='mia@luenen.de', password=PASSWORD)
    db.call(accounts.end_other_sessions, actor=other.user)


def _password_reset_by_link(sid: str, ada, mia) -> None:  # noqa: ANN001
    token = db.call(accounts.create_password_reset, actor=ada, user_id=mia.id)
    db.call(accounts.reset_password, token=token, new_password='Neues-Kennwort-2027')


def _deactivated(sid: str, ada, mia) -> None:  # noqa: ANN001
    db.call(accounts.deactivate_user, actor=ada, user_id=mia.id)


def _deleted(sid: str, ada, mia) -> None:  # noqa: ANN001
    db.call(accounts.delete_account, actor=ada, user_id=mia.id, keep_posts=True)


@pytest.mark.parametrize('ending', [
    _signed_out_in_another_tab, _password_changed_on_another_device, _other_sessions_ended_on_another_device,
    _password_reset_by_link, _deactivated, _deleted,
], ids=lambda f: f.__name__.strip('_'))
async def test_open_pages_go_to_login_at_once_when_the_session_ends(user: User, ada, mia, monkeypatch, ending):
    monkeypatch.setattr(auth, 'CLOSE_DELAY', 0.05)
    other_tab, sid = await _two_open_pages(user)
    ending(sid, ada, mia)
    await user.should_see('Anmelden', retries=30)  # this tab is on /login, without a reload
    assert user.client.request.url.path == '/login'  # type: ignore[union-attr]
    # The other tab is gone on the server too: its buttons can no longer reach a service.
    await wait_for(lambda: other_tab.id not in Client.instances)
    assert db.call(accounts.user_for_session, sid) is None


async def test_signing_out_in_one_tab_ends_the_other_tabs(user: User, mia, monkeypatch):
    monkeypatch.setattr(auth, 'CLOSE_DELAY', 0.05)
    other_tab, _ = await _two_open_pages(user)
    user.find(marker='user-menu').click()
    user.find(marker='sign-out').click()
    await user.should_see('Anmelden', retries=30)
    await wait_for(lambda: other_tab.id not in Client.instances)
    await user.open('/account')
    await user.should_see('Anmelden')


# ---------------------------------------------------------------- lifetime settings reach open pages


def _age(sid: str, **values: object) -> None:
    db.call(lambda s: (s.exec(update(UserSession).where(UserSession.id == sid).values(**values)), s.commit()))


async def test_an_open_page_ends_when_its_session_outlives_session_days(user: User, ada, mia, monkeypatch):
    monkeypatch.setattr(auth, 'CLOSE_DELAY', 0.05)
    set_settings(ada, session_days=1)
    other_tab, sid = await _two_open_pages(user)
    await auth.sweep_open_pages()
    assert other_tab.id in Client.instances  # young enough
    _age(sid, created_at=utcnow() - timedelta(days=1, minutes=1))
    await auth.sweep_open_pages()  # what the app does every SWEEP_INTERVAL
    await user.should_see('Anmelden', retries=30)
    await wait_for(lambda: other_tab.id not in Client.instances)


async def test_an_open_page_ends_after_the_idle_time_unless_it_was_used(user: User, ada, mia, monkeypatch):
    monkeypatch.setattr(auth, 'CLOSE_DELAY', 0.05)
    set_settings(ada, idle_minutes=5)
    other_tab, sid = await _two_open_pages(user)
    _age(sid, last_seen_at=utcnow() - timedelta(minutes=11))  # beyond 5 + TOUCH_INTERVAL
    # An event from the page (typing, a click) is use: it reaches the server over the websocket, not as a page load.
    core.sio.handlers['/']['event']('socket', {'client_id': user.client.id, 'id': -1})  # type: ignore[union-attr]
    await auth.sweep_open_pages()
    assert other_tab.id in Client.instances
    assert db.call(accounts.user_for_session, sid) is not None  # and it counts as seen now
    _age(sid, last_seen_at=utcnow() - timedelta(minutes=11))
    await auth.sweep_open_pages()  # nothing happened on any of its pages since
    await user.should_see('Anmelden', retries=30)
    await wait_for(lambda: other_tab.id not in Client.instances)
    assert db.call(accounts.user_for_session, sid) is None


# ---------------------------------------------------------------- cookie flags


async def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(user: User, ada):
    async with _browser() as browser:
        cookie = _session_cookie(await browser.get('/login')).lower()
    assert '; httponly' in cookie and '; samesite=lax' in cookie
    assert '; secure' not in cookie  # a browser would drop it over http, and nobody could sign in


async def test_the_session_cookie_is_secure_when_the_request_came_over_https(user: User, ada):
    async with _browser(scheme='https') as browser:
        cookie = _session_cookie(await browser.get('/login')).lower()
    assert '; httponly' in cookie and '; samesite=lax' in cookie and cookie.endswith('; secure')


@pytest.fixture
def https_base_url(monkeypatch):
    monkeypatch.setenv('VN_BASE_URL', 'https://netz.example.org')


async def test_the_session_cookie_is_secure_when_vn_base_url_is_https(https_base_url, user: User):
    add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    async with _browser() as browser:  # a proxy in front speaks https; it reaches the app over plain http
        cookie = _session_cookie(await browser.get('/login')).lower()
    assert '; httponly' in cookie and '; samesite=lax' in cookie and '; secure' in cookie


async def test_two_tabs_reloading_after_a_restart_both_find_their_session(user: User, mia, monkeypatch):
    """After a restart NiceGUI reads a browser's storage file on its first request; a second request of the same
    browser (another tab) arriving during that read must not find the storage empty and be sent to /login."""
    from nicegui.persistence.file_persistent_dict import FilePersistentDict

    read = FilePersistentDict.initialize

    async def slow_read(self: FilePersistentDict) -> None:  # a busy disk: the other tab's request comes meanwhile
        await asyncio.sleep(0.2)
        await read(self)

    await signed_in(user, 'mia@luenen.de')
    await user.open('/')
    cookie = user.http_client.cookies['session']
    browser_id = user.client.request.session['id']  # type: ignore[union-attr]
    storage = core.app.storage._users[browser_id]  # noqa: SLF001
    await wait_for(lambda: storage.filepath.exists() and 'sid' in storage.filepath.read_text())
    del core.app.storage._users[browser_id]  # noqa: SLF001 - as after a restart: only the file is left
    monkeypatch.setattr(FilePersistentDict, 'initialize', slow_read)
    async with _browser(cookie) as first_tab, _browser(cookie) as second_tab:
        answers = await asyncio.gather(first_tab.get('/account'), second_tab.get('/account'))
    assert [a.status_code for a in answers] == [200, 200], [a.headers.get('location') for a in answers]
