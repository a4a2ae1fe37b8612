"""The guard in front of every page, the browser's side of sessions, and ending open tabs at once."""

import asyncio
import logging
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from nicegui import Client, app, ui
from starlette.middleware.base import BaseHTTPMiddleware

from services import accounts, bus, db
from services import settings as site_settings
from services.accounts import CurrentUser, SignedIn

log = logging.getLogger(__name__)

# Everything else needs a signed-in, active member (default deny: a new page is protected without opting in).
PUBLIC_PATHS = frozenset({'/login', '/register', '/setup', '/imprint', '/privacy', '/accessibility', '/healthz',
                          '/favicon.ico', '/site-logo'})
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


def start_browser_session(signed: SignedIn) -> None:
    app.storage.user['sid'] = signed.session_id
    app.storage.user['lang'] = signed.user.language


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


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # noqa: ANN201
        path = request.url.path
        # Calendar feeds are fetched by calendar programs without a cookie: the secret in the address is the key.
        feed = path.startswith('/calendar/') and path.endswith('.ics') and path.count('/') == 2
        if not path.startswith('/_nicegui') and (off := switched_off(path)):
            if feed:  # a calendar program cannot follow a redirect to a page: it learns the feed is gone
                return PlainTextResponse('Not Found', status_code=404)
            return RedirectResponse(f'/?off={off}', status_code=303)
        if path in PUBLIC_PATHS or path.startswith(('/_nicegui', *PUBLIC_PREFIXES)) or feed:
            return await call_next(request)
        user = current_user()
        if user is None:
            target = path + (f'?{request.url.query}' if request.url.query else '')
            return RedirectResponse(f'/login?next={quote(target, safe="")}', status_code=303)
        if user.status == 'pending' and path not in PENDING_PATHS:
            return RedirectResponse('/pending', status_code=303)
        return await call_next(request)


# ------------------------------------------------------------ open tabs end with their session

_clients: dict[str, str] = {}  # client id → session id


def track_client(client: Client, sid: str) -> None:
    """Remember which session a page belongs to, so that ending the session can close the page."""
    _clients[client.id] = sid
    client.on_delete(lambda: _clients.pop(client.id, None))


def _on_sessions_ended(event: bus.Event) -> None:
    ended = set(event.data.get('session_ids', ()))
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
        client.delete()


def install() -> None:
    """Add the guard and listen for ended sessions (called once per app start)."""
    from ui.security import SecurityHeadersMiddleware
    from ui.timing import ServerTimingMiddleware

    app.add_middleware(AuthMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outside the guard: its redirects carry the headers too
    app.add_middleware(ServerTimingMiddleware)  # added last, so outermost: it times the guard too
    unsubscribe: list = []
    app.on_startup(lambda: unsubscribe.append(bus.subscribe('sessions.ended', _on_sessions_ended)))
    app.on_shutdown(lambda: [u() for u in unsubscribe])
    app.on_shutdown(lambda: _clients.clear())
    # The frame's live settings (site name, logo, notice) need one subscription of their own for the process.
    from ui.layout import install_live_settings

    install_live_settings()
