"""Page tests: every test gets its own data folder, so main.py migrates a fresh SQLite database."""

import asyncio
import weakref
from typing import Any

import pytest
from nicegui import Client, context, ui
from nicegui.testing import User

from models.user import Role, Status
from services import accounts, db
from services import settings as site_settings

PASSWORD = 'Gute-Frage-2026'


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv('VN_DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.delenv('VN_DATABASE_URL', raising=False)
    monkeypatch.delenv('VN_STORAGE_SECRET', raising=False)


@pytest.fixture(autouse=True)
def _events_carry_their_page_request(monkeypatch):
    """In a browser every event runs with the request of the page it came from (NiceGUI's Element._handle_event), so
    app.storage.user is that browser's. The simulated user runs handlers with the last request the test task made
    itself; after a navigation the app started (ui.navigate.to, e.g. through /login/done, which gives the browser a
    new cookie) that is the previous page's, with the old cookie. Looking something up on a page fixes that."""
    from nicegui import storage

    find = User.find

    def find_on_the_current_page(self, *args, **kwargs):  # noqa: ANN001, ANN202
        if self.client is not None and self.client.request is not None:
            storage.request_contextvar.set(self.client.request)
        return find(self, *args, **kwargs)

    monkeypatch.setattr(User, 'find', find_on_the_current_page)



class _ToTheUserOfThePage:
    """Stands in for ui.navigate, ui.notify or ui.download while simulated users run: hands each call to the user
    whose page the calling code runs in. NiceGUI's User points these globals at whichever user an attribute was last
    read from; with several users that can be another one than the page's: a sign-in's navigation to /login/done
    went to the previous user when that user's page sent an update while the password was being checked."""

    def __init__(self, users: weakref.WeakSet, last: list, name: str) -> None:
        self._users, self._last, self._name = users, last, name

    def _target(self) -> Any:
        try:
            client = context.client
        except RuntimeError:  # not in a page's code: the user the test touched last
            client = None
        owner = next((u for u in list(self._users) if vars(u).get('client') is client), None) or self._last[0]
        return vars(owner)[self._name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)


@pytest.fixture(autouse=True)
def _page_calls_reach_their_own_user(monkeypatch):
    users: weakref.WeakSet = weakref.WeakSet()
    last: list = [None]
    stand_ins = {name: _ToTheUserOfThePage(users, last, name) for name in ('navigate', 'notify', 'download')}
    init = User.__init__

    def init_and_remember(self, *args, **kwargs):  # noqa: ANN001, ANN202
        init(self, *args, **kwargs)
        users.add(self)

    def getattribute(self, name: str) -> Any:  # noqa: ANN001
        if name not in stand_ins:
            last[0] = self
            ui.navigate, ui.notify, ui.download = stand_ins['navigate'], stand_ins['notify'], stand_ins['download']
        return object.__getattribute__(self, name)

    monkeypatch.setattr(User, '__init__', init_and_remember)
    monkeypatch.setattr(User, '__getattribute__', getattribute)


def add_user(name: str, email: str, *, role: str = Role.MEMBER, status: str = Status.ACTIVE) -> accounts.CurrentUser:
    """A persona made through the shell command's service, then given its role and state by an admin."""
    created, _ = db.call(accounts.create_admin, email=email, name=name, password=PASSWORD)
    admin = created
    if role != Role.ADMIN:
        # Demote through the real service: needs another admin, which the first persona of every test is.
        others = db.call(accounts.list_users, actor=admin, status='active', limit=200)[0]
        boss = next(u for u in others if u.role == Role.ADMIN and u.id != created.id)
        boss_user = db.call(accounts.get_user, boss.id)
        db.call(accounts.set_role, actor=boss_user, user_id=created.id, role=role)
        if status == Status.DEACTIVATED:
            db.call(accounts.deactivate_user, actor=boss_user, user_id=created.id)
        elif status == Status.PENDING:
            raise ValueError('make pending personas by registering in approval mode')
    return db.call(accounts.get_user, created.id)


def set_settings(admin: accounts.CurrentUser, **values: object) -> None:
    db.call(site_settings.update_settings, actor=admin, values=values)


async def sign_in(user: User, email: str, password: str = PASSWORD) -> None:
    """Fill in /login and wait for the outcome: the browser left the page (through /login/done, which hands out
    the new cookie), or the form shows an error. Patient: the machine is shared, and the hash runs in a thread."""
    login = await user.open('/login')
    user.find(marker='field-email').type(email)
    user.find(marker='field-password').type(password)
    user.find(marker='submit').click()
    await left_or_refused(user, login)


async def left_or_refused(user: User, form_page: Client) -> None:
    """Wait until a submitted form has an outcome: the browser left its page, or the form shows an error."""

    def settled() -> bool:
        if user.client is not form_page:
            return True
        return any(getattr(e, 'error', None) or (e.props.get('role') == 'alert' and e.visible)
                   for e in form_page.elements.values())

    await wait_for(settled, timeout=10.0)


async def signed_in(user: User, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait for the start page."""
    await sign_in(user, email, password)
    await user.should_see('Willkommen')


async def wait_for(condition, timeout: float = 3.0) -> None:  # noqa: ANN001
    """Sign-in and uploads run in worker threads; give them time to answer."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met in time')


def nav_link(route: str) -> str:
    """How the main navigation's HTML links a route (ui.layout.nav_html), for should_see / should_not_see."""
    return f'<a href="{route}" class="text-white underline'


def main_nav(user: User) -> str:
    """The main navigation's HTML on the user's open page ('' when the page has none)."""
    found = user.find(marker='main-nav').elements
    return next(iter(found)).content if found else ''


def site_home(user: User) -> str:
    """The header's skip link and link home (site name, logo) as HTML (ui.layout.home_html)."""
    return next(iter(user.find(marker='site-home').elements)).content
