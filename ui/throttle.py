"""Anonymous page requests are throttled before NiceGUI builds the page.

Every page NiceGUI serves is a Client that lives in the server's memory until its browser connects and later leaves,
or, if no browser ever connects (a script that only GETs), until NiceGUI prunes it: every 10 seconds it deletes
clients older than 60 seconds that never connected. benchmarks/bench_anonymous_pages.py measures about 0.2 MB per
anonymous page (/login, /register). So whoever can request pages without signing in could fill the memory with
pages nobody will use.

Two limits answer such requests with 429 and Retry-After, before the page (and its Client) exists:
- per address, `anonymous_pages_per_minute` (a setting, default 60; services/rate_limits.py keeps the counts, in a
  table of bounded size);
- for all addresses together, at most MAX_WAITING_PAGES pages that no browser has connected to yet. A real browser
  connects within a second of loading a page, so only a flood reaches this bound; it is what caps the memory when
  the requests come from very many addresses (or from behind one proxy that does not say who its clients are).

Not counted: signed-in members (their pages are theirs to open), and requests that build no page (static files,
NiceGUI's resources and websocket, /healthz, /login/done, calendar feeds): only a request that a page route or the
not-found page would answer is. This middleware sits behind the guard (ui/auth.py), which answers every other
anonymous request with a redirect to /login, a response without a page.

The address is the one uvicorn gives: behind a reverse proxy on the same machine (FORWARDED_ALLOW_IPS, by default
127.0.0.1) the client's address from X-Forwarded-For, else the connecting address. A proxy elsewhere must be listed
in FORWARDED_ALLOW_IPS, or all its clients share one address and one limit.
"""

import html
from typing import Any

from nicegui import Client, app
from nicegui.storage import request_contextvar
from starlette.responses import HTMLResponse
from starlette.routing import Match

from services import db, rate_limits
from services import settings as site_settings
from services.catalogue_en import EN
from ui.auth import current_user

# At ~0.2 MB per page (measured for /login and /register) this keeps pages that no browser connected to at about
# 100 MB, whatever the number of addresses. Real browsers connect within a second: even 500 sign-in pages opened in
# the same second stay below it.
MAX_WAITING_PAGES = 500
WAITING_RETRY_AFTER = 10  # seconds: NiceGUI prunes unconnected pages every 10 seconds
MSG_TOO_MANY = 'Zu viele Seitenaufrufe ohne Anmeldung. Bitte versuchen Sie es in {seconds} Sekunden noch einmal.'
MSG_TITLE = 'Zu viele Anfragen'


def builds_page(scope: dict) -> bool:
    """Whether NiceGUI would answer this request with a page (a page route, or its not-found page)."""
    pages = set(Client.page_routes.values())
    partial = False
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return getattr(route, 'path', None) in pages
        partial = partial or match == Match.PARTIAL
    return not partial  # a wrong method gets a plain 405; nothing at all gets NiceGUI's 404 page


def waiting_pages() -> int:
    """Pages whose browser has not connected (yet, or ever)."""
    return sum(1 for client in list(Client.instances.values()) if not client.has_socket_connection)


def _known_member() -> bool:
    """The guard already found a signed-in member for this request (every path but the public ones)."""
    request = request_contextvar.get()
    return request is not None and getattr(request.state, 'vn_user', None) is not None


def _signed_in() -> bool:
    """A public path: the browser counts as signed in only with a live session (one query, as the page makes)."""
    try:
        sid = app.storage.user.get('sid')
    except (RuntimeError, AssertionError):  # no browser storage for this request
        return False
    return bool(sid) and current_user() is not None


def too_many(seconds: int) -> HTMLResponse:
    """A small page in both languages: the visitor has not chosen one, and no page of ours may be built now."""
    texts = [(lang, html.escape(title), html.escape(text.format(seconds=seconds))) for lang, title, text in (
        ('de', MSG_TITLE, MSG_TOO_MANY), ('en', EN[MSG_TITLE], EN[MSG_TOO_MANY]))]
    body = ''.join(f'<section lang="{lang}"><h1>{title}</h1><p>{text}</p></section>' for lang, title, text in texts)
    page = (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{texts[0][1]} · {texts[1][1]}'
            f'</title></head><body>{body}</body></html>')
    return HTMLResponse(page, status_code=429, headers={'Retry-After': str(seconds), 'Cache-Control': 'no-store'})


class AnonymousThrottleMiddleware:
    """Plain ASGI (no task per request): a refused request costs as little as possible."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope['type'] == 'http' and not _known_member() and builds_page(scope) and not _signed_in():
            client = scope.get('client')
            address = client[0] if client else ''
            limit = int(db.call(site_settings.get_setting, 'anonymous_pages_per_minute'))
            wait = rate_limits.anonymous_page(address, limit)
            if not wait and waiting_pages() >= MAX_WAITING_PAGES:
                wait = WAITING_RETRY_AFTER
            if wait:
                await too_many(wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install() -> None:
    """Add the throttle; call it before the guard is added, so that it runs behind the guard. Forgets old counts."""
    rate_limits.anonymous_pages.clear()
    app.add_middleware(AnonymousThrottleMiddleware)
