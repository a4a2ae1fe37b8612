"""Every HTTP response carries the security headers; a response with a stricter policy of its own keeps it."""

import httpx
from nicegui import app
from nicegui.testing import User

from ui.security import CONTENT_SECURITY_POLICY


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        return await client.get(path)


async def test_pages_redirects_and_plain_routes_carry_the_headers(user: User):
    for path in ('/login', '/members', '/healthz', '/calendar/unknown.ics'):  # a page, the guard's redirect, plain
        response = await _get(path)
        headers = response.headers
        assert headers['content-security-policy'] == CONTENT_SECURITY_POLICY, path
        assert "frame-ancestors 'none'" in headers['content-security-policy']
        assert "object-src 'none'" in headers['content-security-policy']
        assert headers['x-frame-options'] == 'DENY'
        assert headers['x-content-type-options'] == 'nosniff'
        assert headers['referrer-policy'] == 'same-origin'
        assert 'camera=()' in headers['permissions-policy']


async def test_no_source_outside_this_origin_is_allowed():
    # The app runs in intranets without internet: no directive may name another host or scheme-wide source.
    for directive in CONTENT_SECURITY_POLICY.split('; '):
        sources = directive.split()[1:]
        assert all(s.startswith("'") or s in ('data:', 'blob:') for s in sources), directive


async def test_websockets_and_lifespan_pass_the_middlewares_untouched():
    """The guard, the headers and the timing handle HTTP only; a websocket (NiceGUI's socket) or the server's lifespan
    messages reach the app as they came."""
    from ui.auth import AuthMiddleware
    from ui.security import SecurityHeadersMiddleware
    from ui.timing import ServerTimingMiddleware

    seen = []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        seen.append((scope['type'], receive, send))

    for middleware in (AuthMiddleware, SecurityHeadersMiddleware, ServerTimingMiddleware):
        for kind in ('websocket', 'lifespan'):
            await middleware(app)({'type': kind}, 'receive', 'send')
    assert seen == [('websocket', 'receive', 'send'), ('lifespan', 'receive', 'send')] * 3
