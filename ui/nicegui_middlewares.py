"""NiceGUI's three request middlewares, rewritten as pure ASGI with the same behaviour.

NiceGUI adds them as Starlette `BaseHTTPMiddleware`s: each runs the rest of every request in a task of its own,
passes the response through memory streams, and leaves reference cycles behind (task groups, streams, the cached
request, a caught exception's traceback). The soak benchmark's census of a full collection under load found those
objects from hundreds of finished requests waiting for it: they had lived long enough to reach the oldest
generation, so only a full collection frees them, and a full collection holds the event loop for every open page.
Three layers of it on every request, page or file, also cost the event loop time.

`install` hands NiceGUI these classes where it looks its own up (before `ui.run` adds them); each is checked in
tests/ui/test_nicegui_middlewares.py against what NiceGUI's does.
"""

import uuid

import nicegui.storage
import nicegui.ui_run
from nicegui import core
from nicegui.version import __version__
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from ui.asgi import HttpMiddleware


class RequestTracking(HttpMiddleware):
    """Every request gets NiceGUI's browser id in its session cookie and a user storage; while it runs, its session
    counts as active (NiceGUI does not prune a storage in use), and once the response has started, the browser
    storage is read-only (the cookie has been sent)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        nicegui.storage.request_contextvar.set(request)
        session = request.session
        if 'id' not in session:
            session['id'] = str(uuid.uuid4())
        request.state.responded = False
        session_id = session['id']
        storage = core.app.storage
        active = storage._active_request_sessions  # noqa: SLF001 - NiceGUI's own bookkeeping, as its middleware does
        active[session_id] += 1
        try:
            if session_id not in storage._users:  # noqa: SLF001
                await storage._create_user_storage(session_id)  # noqa: SLF001

            async def send_tracked(message: Message) -> None:
                if message['type'] == 'http.response.start':
                    request.state.responded = True
                await send(message)

            await self.app(scope, receive, send_tracked)
        finally:
            active[session_id] -= 1
            if active[session_id] <= 0:
                del active[session_id]


class PrefixedRedirects(HttpMiddleware):
    """Behind a proxy that serves the app under a path (`X-Forwarded-Prefix`), redirects to a path of the app keep
    that prefix."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = Headers(scope=scope).get('x-forwarded-prefix', '')
        if not prefix:  # NiceGUI's would prepend nothing
            await self.app(scope, receive, send)
            return

        async def send_prefixed(message: Message) -> None:
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                location = headers.get('location')
                if location is not None and location.startswith('/'):
                    headers['location'] = prefix + location
            await send(message)

        await self.app(scope, receive, send_prefixed)


class CacheControl(HttpMiddleware):
    """NiceGUI's versioned static files (its JavaScript, CSS, fonts) may be cached as NiceGUI's settings say."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope['path']
        if not path.startswith(f'/_nicegui/{__version__}/') or \
                path.startswith(f'/_nicegui/{__version__}/dynamic_resources/'):
            await self.app(scope, receive, send)
            return

        async def send_cached(message: Message) -> None:
            if message['type'] == 'http.response.start':
                MutableHeaders(scope=message)['Cache-Control'] = core.app.config.cache_control_directives
            await send(message)

        await self.app(scope, receive, send_cached)


def install() -> None:
    """Before `ui.run`: NiceGUI adds the middlewares by these module-level names when it starts."""
    nicegui.storage.RequestTrackingMiddleware = RequestTracking  # type: ignore[misc, assignment]
    nicegui.ui_run.RedirectWithPrefixMiddleware = PrefixedRedirects  # type: ignore[misc, assignment]
    nicegui.ui_run.SetCacheControlMiddleware = CacheControl  # type: ignore[misc, assignment]
