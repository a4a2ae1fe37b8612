"""NiceGUI's request middlewares as pure ASGI (ui/nicegui_middlewares.py): the app runs with them, and each answers
as NiceGUI's own does."""

import httpx
import pytest
from nicegui import app, core
from nicegui.middlewares import RedirectWithPrefixMiddleware, SetCacheControlMiddleware
from nicegui.storage import RequestTrackingMiddleware, request_contextvar
from nicegui.testing import User
from nicegui.version import __version__
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from ui.nicegui_middlewares import CacheControl, PrefixedRedirects, RequestTracking


async def test_the_running_app_has_no_base_http_middleware(user: User):
    await user.open('/login')
    classes = [m.cls for m in app.user_middleware]
    assert {RequestTracking, PrefixedRedirects, CacheControl} <= set(classes)
    assert not [c for c in classes if isinstance(c, type) and issubclass(c, BaseHTTPMiddleware)]
    assert app.middleware_stack is not None  # built from that list


def _routes() -> list[Route]:
    async def moved(request: Request) -> RedirectResponse:
        return RedirectResponse(request.query_params.get('to', '/login'), status_code=303)

    async def file(request: Request) -> PlainTextResponse:
        return PlainTextResponse('x', headers={'Cache-Control': 'no-store'})

    return [Route('/moved', moved), Route('/{path:path}', file)]


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://testserver')


async def _get(middleware: type, path: str, **kwargs) -> httpx.Response:  # noqa: ANN003
    async with _client(Starlette(routes=_routes(), middleware=[Middleware(middleware)])) as client:
        return await client.get(path, **kwargs)


@pytest.mark.parametrize(('prefix', 'to'), [('', '/login'), ('/netz', '/login'), ('/netz', '/boards?x=1'),
                                            ('/netz', 'https://elsewhere.example/'), ('/netz', 'relative')])
async def test_redirects_keep_the_proxy_prefix_as_nicegui_does(prefix, to):
    headers = {'X-Forwarded-Prefix': prefix} if prefix else {}
    ours = await _get(PrefixedRedirects, '/moved', params={'to': to}, headers=headers)
    theirs = await _get(RedirectWithPrefixMiddleware, '/moved', params={'to': to}, headers=headers)
    assert ours.status_code == theirs.status_code == 303
    assert ours.headers['location'] == theirs.headers['location']
    assert ours.headers['location'] == (prefix + to if to.startswith('/') else to)


@pytest.fixture
def directives(monkeypatch):
    monkeypatch.setattr(core.app.config, 'cache_control_directives', 'public, max-age=31536000, immutable',
                        raising=False)
    return core.app.config.cache_control_directives


@pytest.mark.parametrize('path', [f'/_nicegui/{__version__}/static/nicegui.css',
                                  f'/_nicegui/{__version__}/dynamic_resources/x.js',
                                  '/_nicegui/0.0.0/static/old.css', '/members', f'/x/_nicegui/{__version__}/a'])
async def test_cache_control_is_set_on_the_same_files_as_nicegui_sets_it(path, directives):
    ours = await _get(CacheControl, path)
    theirs = await _get(SetCacheControlMiddleware, path)
    assert ours.headers['cache-control'] == theirs.headers['cache-control']
    versioned = path.startswith(f'/_nicegui/{__version__}/') and 'dynamic_resources' not in path
    assert ours.headers['cache-control'] == (directives if versioned else 'no-store')


async def test_request_tracking_gives_a_browser_id_a_storage_and_locks_the_cookie_once_answered(monkeypatch):
    seen = {}

    async def page(request: Request) -> PlainTextResponse:
        tracked = request_contextvar.get()
        seen['same request'] = tracked is not None and tracked.scope is request.scope
        seen['id'] = request.session['id']
        seen['active while running'] = dict(core.app.storage._active_request_sessions)  # noqa: SLF001
        seen['responded while running'] = request.state.responded
        return PlainTextResponse('ok')

    created = []

    async def create_user_storage(session_id: str) -> None:
        created.append(session_id)
        core.app.storage._users[session_id] = {}  # noqa: SLF001

    monkeypatch.setattr(core.app.storage, '_create_user_storage', create_user_storage)
    monkeypatch.setattr(core.app.storage, '_users', {})
    states = []

    class Outer:
        """Sees the request state after the tracking middleware's response started."""

        def __init__(self, inner):  # noqa: ANN001
            self.inner = inner

        async def __call__(self, scope, receive, send):  # noqa: ANN001
            async def watch(message):  # noqa: ANN001
                if message['type'] == 'http.response.start':
                    states.append(scope.get('state', {}).get('responded'))
                await send(message)

            await self.inner(scope, receive, watch)

    for tracking in (RequestTracking, RequestTrackingMiddleware):
        seen.clear()
        created.clear()
        core.app.storage._users.clear()  # noqa: SLF001
        client = _client(Starlette(routes=[Route('/', page)], middleware=[
            Middleware(Outer), Middleware(SessionMiddleware, secret_key='s'), Middleware(tracking)]))
        first = await client.get('/')
        assert first.status_code == 200
        browser_id = seen['id']
        assert seen['same request'] and seen['active while running'] == {browser_id: 1}
        assert seen['responded while running'] is False and states[-1] is True
        assert created == [browser_id]
        await client.get('/')  # the same browser (cookie): same id, no second storage
        assert seen['id'] == browser_id and created == [browser_id]
        assert core.app.storage._active_request_sessions == {}  # noqa: SLF001
        await client.aclose()
