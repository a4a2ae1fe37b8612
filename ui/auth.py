"""The guard in front of every page, the browser's side of sessions, and ending open tabs at once."""

import asyncio
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from nicegui import Client, app, context, core, run, ui
from starlette.types import Receive, Scope, Send

from services import accounts, bus, db
from services import settings as site_settings
from services.accounts import CurrentUser, SignedIn
from ui.asgi import HttpMiddleware

log = logging.getLogger(__name__)

# Everything else needs a signed-in, active member (default deny: a new page is protected without opting in).
PUBLIC_PATHS = frozenset({'/login', '/login/done', '/register', '/setup', '/imprint', '/privacy', '/accessibility',
                          '/healthz', '/favicon.ico', '/site-logo'})
# Password-reset links (/reset/{token}) and the one-click mail settings in every e-mail (/mail-settings/{token}) are
# opened without a session: the token is the key.
PUBLIC_PREFIXES = ('/reset/', '/mail-settings/')
PENDING_PATHS = frozenset({'/pending', '/logout'})
# Areas an administrator can switch off (/admin, "Module"): the setting, the name used in '/?off=…', the paths.
MODULES = (
    ('module_boards', 'boards', ('/boards', '/threads')),
    ('module_events', 'events', ('/events', '/calendar')),
    ('module_messages', 'messages', ('/messages',)),
)
CLOSE_DELAY = 1.0  # seconds between telling a page to go to /login and deleting it on the server
HANDOFF_TTL = 60.0  # seconds from a sign-in to the browser collecting its new cookie at /login/done
SWEEP_INTERVAL = 60.0  # seconds between checks of the open pages against their sessions' lifetimes


def safe_next(target: str | None) -> str:
    """Only a local path may follow a sign-in: no scheme, no host, no `//`, no backslash (open redirect, XSS)."""
    if not target or not target.startswith('/') or target.startswith('//') or '\\' in target:
        return '/'
    if any(ch in target for ch in '\r\n\t') or any(ord(ch) < 32 for ch in target):
        return '/'
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return '/'
    return target


def session_id() -> str:
    return app.storage.user.get('sid', '')


def current_user() -> CurrentUser | None:
    """The member signed in in this browser, checked against the database (once per request)."""
    from nicegui.storage import request_contextvar

    request = request_contextvar.get()
    if request is not None and hasattr(request.state, 'vn_user'):
        return request.state.vn_user
    user = db.call(accounts.user_for_session, session_id())
    if request is not None:
        request.state.vn_user = user
    return user


def require_user() -> CurrentUser:
    """For page code behind the guard: the signed-in member (the middleware made sure there is one)."""
    user = current_user()
    if user is None:
        raise PermissionError('page reached without a session')
    return user


# ------------------------------------------------------------ a new cookie for every sign-in


@dataclass(frozen=True)
class _Handoff:
    browser: str  # the browser id in the cookie of the page that signed in
    session_id: str
    language: str
    target: str
    deadline: float


_handoffs: dict[str, _Handoff] = {}  # one-time secret → the session waiting for its browser
_arrivals: dict[str, _Handoff] = {}  # new browser id → the session its first request takes over


def _prune(waiting: dict[str, _Handoff]) -> None:
    now = time.monotonic()
    for key in [k for k, h in waiting.items() if h.deadline < now]:
        waiting.pop(key, None)


def start_browser_session(signed: SignedIn, target: str) -> None:
    """After a sign-in in a page event: send the browser through /login/done, which gives it a new cookie, then on.

    The event came over the websocket, which cannot set a cookie. And the session must not be tied to the browser id
    the cookie had before: whoever planted that cookie in the browser (session fixation, ASVS 3.2.1) would share
    the new session. So /login/done issues a new browser id, known only to this browser, and the session moves there.
    """
    request = context.client.request
    browser = request.session.get('id', '') if request is not None else ''
    _prune(_handoffs)
    once = secrets.token_urlsafe(32)
    _handoffs[once] = _Handoff(browser, signed.session_id, signed.user.language, safe_next(target),
                               time.monotonic() + HANDOFF_TTL)
    ui.navigate.to(f'/login/done?t={once}')


async def _login_done(request: Request, t: str = '') -> RedirectResponse:
    """Give the browser that just signed in a new browser id; its next request takes the session over. (async: on
    the event loop, like every other use of the hand-off tables, not in a worker thread.)"""
    handoff = _handoffs.pop(t, None) if t else None
    # Only the browser whose page signed in, and only once, soon: a leaked address is worth nothing.
    if handoff is None or handoff.deadline < time.monotonic() or handoff.browser != request.session.get('id'):
        return RedirectResponse('/login', status_code=303)
    browser = str(uuid.uuid4())
    request.session['id'] = browser  # Starlette's session middleware sends the new cookie with this response
    _prune(_arrivals)
    _arrivals[browser] = handoff
    return RedirectResponse(handoff.target, status_code=303)


def _arrive(request: Request) -> None:
    """The first request with a new browser id from /login/done: its storage gets the session."""
    handoff = _arrivals.pop(request.session.get('id', ''), None) if _arrivals else None
    if handoff is not None and handoff.deadline >= time.monotonic():
        app.storage.user['sid'] = handoff.session_id
        app.storage.user['lang'] = handoff.language


def end_browser_session() -> None:
    lang = app.storage.user.get('lang')
    app.storage.user.clear()
    if lang:
        app.storage.user['lang'] = lang  # the language of the sign-in page stays as chosen


def switched_off(path: str) -> str | None:
    """The name of the switched-off area a path belongs to, or None (settings are cached: no query per request)."""
    for key, name, bases in MODULES:
        if any(path == base or path.startswith(base + '/') for base in bases):
            return None if db.call(site_settings.get_setting, key) else name
    return None


class AuthMiddleware(HttpMiddleware):
    """The guard: a redirect (or 404) instead of the page when the request may not pass."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = _refusal(Request(scope, receive))
        await (refusal or self.app)(scope, receive, send)


def _refusal(request: Request) -> Response | None:
    """What the guard answers instead of the page, or None: the request may pass."""
    _arrive(request)
    path = request.url.path
    # Calendar feeds are fetched by calendar programs without a cookie: the secret in the address is the key.
    feed = path.startswith('/calendar/') and path.endswith('.ics') and path.count('/') == 2
    if not path.startswith('/_nicegui') and (off := switched_off(path)):
        if feed:  # a calendar program cannot follow a redirect to a page: it learns the feed is gone
            return PlainTextResponse('Not Found', status_code=404)
        return RedirectResponse(f'/?off={off}', status_code=303)
    if path in PUBLIC_PATHS or path.startswith(('/_nicegui', *PUBLIC_PREFIXES)) or feed:
        return None
    user = current_user()
    if user is None:
        target = path + (f'?{request.url.query}' if request.url.query else '')
        return RedirectResponse(f'/login?next={quote(target, safe="")}', status_code=303)
    if user.status == 'pending' and path not in PENDING_PATHS:
        return RedirectResponse('/pending', status_code=303)
    return None


# ------------------------------------------------------------ open tabs end with their session

_clients: dict[str, str] = {}  # client id → session id


def track_client(client: Client, sid: str) -> None:
    """Remember which session a page belongs to, so that ending the session can close the page."""
    _clients[client.id] = sid
    client.on_delete(lambda: _clients.pop(client.id, None))


def _on_sessions_ended(event: bus.Event) -> None:
    _close_pages(set(event.data.get('session_ids', ())))


def _close_pages(ended: set[str]) -> None:
    for client_id, sid in list(_clients.items()):
        if sid not in ended:
            continue
        client = Client.instances.get(client_id)
        _clients.pop(client_id, None)
        if client is None:
            continue
        try:
            with client:
                ui.navigate.to('/login')
        except Exception:  # noqa: BLE001 - a client that vanished meanwhile needs nothing more
            log.debug('client %s gone before it could be signed out', client_id)
        # Then drop the page on the server: even a browser that ignores the redirect can fire no more events.
        asyncio.get_running_loop().call_later(CLOSE_DELAY, _delete_client, client_id)


def _delete_client(client_id: str) -> None:
    client = Client.instances.get(client_id)
    if client is not None and not client.is_deleted:
        # A tab that already disconnected has NiceGUI's own deletion pending; it would delete the client a second
        # time and log a KeyError from `Client.delete`.
        for document_id in list(client._delete_tasks):  # noqa: SLF001 - NiceGUI offers no public way to cancel it
            client._cancel_delete_task(document_id)  # noqa: SLF001
        client.delete()


# ------------------------------------------------------------ idle and too old: open pages too

_used: set[str] = set()  # ids of clients that sent events since the last sweep


def _count_events_as_use() -> None:
    """Page events count as use of the session, as page loads do (for the idle sign-out). NiceGUI offers no hook
    for every event, so its socket.io handler is wrapped, once per process."""
    handlers = core.sio.handlers.get('/', {})
    original = handlers.get('event')
    if original is None or getattr(original, 'vn_counts_use', False):
        return

    def on_event(sid: str, msg: Any) -> Any:
        client_id = msg.get('client_id') if isinstance(msg, dict) else None
        if client_id in _clients:
            _used.add(client_id)
        return original(sid, msg)

    on_event.vn_counts_use = True  # type: ignore[attr-defined]
    handlers['event'] = on_event


async def sweep_open_pages() -> None:
    """Send open pages to /login whose session is over: too old, idle, or ended where this process missed it.

    Without this an open tab would outlive the session lifetime settings: its events reach the services without
    a page load, and only page loads check the session.
    """
    open_sessions = set(_clients.values())
    used = {_clients[c] for c in list(_used) if c in _clients}
    _used.clear()
    if not open_sessions:
        return
    over = await run.io_bound(db.call, accounts.check_open_sessions, open_sessions, used=used)
    if over:
        _close_pages(set(over))


async def _sweep_forever() -> None:
    while True:
        await asyncio.sleep(SWEEP_INTERVAL)
        try:
            await sweep_open_pages()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception('checking open pages against their sessions failed; trying again')


# ------------------------------------------------------------ Secure cookies behind HTTPS

_https = [False]  # VN_BASE_URL starts with https://


def _secure(header: bytes) -> bytes:
    attributes = [part.strip().lower() for part in header.split(b';')[1:]]
    return header if b'secure' in attributes else header + b'; Secure'


class SecureCookies:
    """The outermost layer: every cookie gets the Secure flag when the app is reached over HTTPS, i.e. when
    VN_BASE_URL is https:// or the request came over https. Behind a proxy that is what X-Forwarded-Proto says,
    which uvicorn believes only from the addresses in FORWARDED_ALLOW_IPS (default 127.0.0.1: a proxy on the same
    machine); from anyone else the header is ignored. (Starlette's session middleware knows only a fixed flag.)"""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope['type'] != 'http' or not (_https[0] or scope.get('scheme') == 'https'):
            await self.app(scope, receive, send)
            return

        async def send_secure(message: dict) -> None:
            if message['type'] == 'http.response.start':
                message['headers'] = [(k, _secure(v) if k.lower() == b'set-cookie' else v)
                                      for k, v in message.get('headers', [])]
            await send(message)

        await self.app(scope, receive, send_secure)


def _outermost_secure_cookies() -> None:
    """Wrap the whole middleware stack (NiceGUI adds the session middleware last, outside everything added here)."""
    build = app.build_middleware_stack
    if getattr(build, 'vn_secure_cookies', False):
        return

    def build_with_secure_cookies() -> Any:
        return SecureCookies(build())

    build_with_secure_cookies.vn_secure_cookies = True  # type: ignore[attr-defined]
    app.build_middleware_stack = build_with_secure_cookies  # type: ignore[method-assign]


def _user_storage_loaded_before_use() -> None:
    """NiceGUI registers a browser's user storage before reading its file, so a second request of the same browser
    that arrives during the read (two tabs reloading after a restart) found it empty: no session, sent to /login.
    Here the storage is registered only once it is read (a request racing it reads the file too; the first wins)."""
    from nicegui.storage import Storage

    if getattr(Storage._create_user_storage, 'vn_loaded_first', False):  # noqa: SLF001
        return

    async def create_user_storage(self: Storage, session_id: str) -> None:
        storage = Storage._create_persistent_dict(f'user-{session_id}')  # noqa: SLF001
        await storage.initialize()
        self._users.setdefault(session_id, storage)  # noqa: SLF001

    create_user_storage.vn_loaded_first = True  # type: ignore[attr-defined]
    Storage._create_user_storage = create_user_storage  # type: ignore[method-assign]  # noqa: SLF001


def install(*, https: bool = False) -> None:
    """Add the guard and listen for ended sessions (called once per app start). `https`: VN_BASE_URL is https://."""
    from ui.security import SecurityHeadersMiddleware
    from ui.timing import ServerTimingMiddleware

    _https[0] = https
    _outermost_secure_cookies()
    _user_storage_loaded_before_use()
    _count_events_as_use()
    _handoffs.clear()
    _arrivals.clear()
    app.add_api_route('/login/done', _login_done, methods=['GET'], include_in_schema=False)
    from ui import throttle

    throttle.install()  # before the guard, so inside it: the guard's redirects build no page and are not counted
    app.add_middleware(AuthMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outside the guard: its redirects carry the headers too
    app.add_middleware(ServerTimingMiddleware)  # added last, so outermost: it times the guard too
    unsubscribe: list = []
    app.on_startup(lambda: unsubscribe.append(bus.subscribe('sessions.ended', _on_sessions_ended)))
    app.on_shutdown(lambda: [u() for u in unsubscribe])
    app.on_shutdown(lambda: _clients.clear())
    sweeper: list[asyncio.Task] = []
    app.on_startup(lambda: sweeper.append(asyncio.get_running_loop().create_task(_sweep_forever())))
    app.on_shutdown(lambda: [t.cancel() for t in sweeper])
    # The frame's live settings (site name, logo, notice) need one subscription of their own for the process.
    from ui.layout import install_live_settings

    install_live_settings()
