"""The authorisation matrix of the pages (ASVS V4.1, V4.2): every route the app serves, requested as each persona,
on objects they own and objects they do not, against an outcome written in the table below.

The routes are read from the running app (`app.routes`, as NiceGUI's `user` fixture starts it): a route without a
row fails `test_every_route_answers_each_persona_as_the_table_says` before any cell runs.

Each persona is a browser of its own (NiceGUI's simulated user, signed in through the real form); the cells are
plain GET requests without following redirects, so the table says exactly what the server answered:

    columns  anonymous, pending, deactivated (signed in, then deactivated), member, outsider (member of another
             organisation), moderator, admin
    own / other / any   as in tests/services/test_authz_matrix.py (the world is tests/authz_personas.py)
    shown    200, the page          file     200, not a page (download, feed, picture, health check)
    login    sent to /login?next=…  pending  sent to the pending notice       home   sent to the start page
    404      the not-found answer   403      refused                          refused  200, the page says "not allowed"
    to:/x    sent to /x (ids as {id})
"""

import asyncio
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from nicegui import Client, app
from nicegui.testing import User
from PIL import Image
from starlette.routing import Mount

from services import accounts, calendar_feed, data_export, db, members, outbox
from services import settings as site_settings
from tests.authz_personas import OTHER, PEOPLE, PERSONAS, World, build_world, cells
from tests.ui.conftest import sign_in

ALL = 'shown shown shown shown shown shown shown'
ACTIVE = 'login pending login shown shown shown shown'
ADMINS = 'login pending login home home home shown'
FILE_FOR_ACTIVE = 'login pending login file file file file'


@dataclass(frozen=True)
class Row:
    path: Callable[[World, str | None], str] | None = None  # (world, owner or None) → the address; None: the route
    own: str | None = None
    other: str | None = None
    any: str | None = None


ROUTES: dict[str, Row] = {
    '/': Row(any=ACTIVE),
    '/accessibility': Row(any=ALL),
    '/account': Row(any=ACTIVE),
    # My finished export is mine alone: its address opens nothing for anyone else.
    '/account/export/{token}.zip': Row(lambda w, o: f'/account/export/{w.extra["export-" + o]}.zip',  # type: ignore
                                       own='-- -- -- file file file file',
                                       other='login pending login 404 404 404 404'),
    '/admin': Row(any=ADMINS),
    '/admin/audit': Row(any=ADMINS),
    '/admin/audit.csv': Row(any='login pending login 403 403 403 file'),
    '/admin/boards': Row(any=ADMINS),
    '/admin/import': Row(any=ADMINS),
    '/admin/invitations': Row(any=ADMINS),
    '/admin/moderation': Row(any='login pending login home home shown shown'),
    '/admin/organizations': Row(any=ADMINS),
    '/admin/stats': Row(any=ADMINS),
    '/admin/users': Row(any=ADMINS),
    '/boards': Row(any=ACTIVE),
    '/boards/{slug}': Row(lambda w, o: f'/boards/{w.board_slug}', any=ACTIVE),
    # Calendar programs send no cookie: the secret in the address is the key, whoever asks.
    '/calendar/{token}.ics': Row(lambda w, o: f'/calendar/{w.extra["feed"]}.ics', any='file ' * 7),
    '/events': Row(any=ACTIVE),
    '/events/new': Row(any=ACTIVE),
    '/events/{event_id}': Row(lambda w, o: f'/events/{w.event[o]}', own='-- -- login shown shown shown shown',
                              other=ACTIVE),
    '/events/{event_id}.ics': Row(lambda w, o: f'/events/{w.event[o]}.ics', own='-- -- login file file file file',
                                  other=FILE_FOR_ACTIVE),
    '/events/{event_id}/attendees.csv': Row(lambda w, o: f'/events/{w.event[o]}/attendees.csv',
                                            own='-- -- login file file file file',
                                            other='login pending login 403 403 file file'),
    '/events/{event_id}/edit': Row(lambda w, o: f'/events/{w.event[o]}/edit',
                                   own='-- -- login shown shown shown shown',
                                   other='login pending login refused refused shown shown'),
    '/favicon.ico': Row(any='file ' * 7),
    '/files/{stored_name}/{filename}': Row(lambda w, o: f'/files/{w.attachment}/{w.attachment_name}',
                                           any=FILE_FOR_ACTIVE),
    '/healthz': Row(any='file ' * 7),
    '/imprint': Row(any=ALL),
    '/login': Row(any='shown home shown home home home home'),
    # Only the browser that just signed in, once, with the secret of that sign-in: without it, back to the form.
    '/login/done': Row(any='to:/login ' * 7),
    '/logout': Row(any='login shown login shown shown shown shown'),
    '/mail-settings/{token}': Row(lambda w, o: f'/mail-settings/{w.extra["mail"]}', any=ALL),
    '/media/avatars/{name}': Row(lambda w, o: f'/media/avatars/{w.extra["avatar"]}', any=FILE_FOR_ACTIVE),
    '/members': Row(any=ACTIVE),
    '/members/{member_id}': Row(lambda w, o: f'/members/{w.uid(o)}', own='-- -- login shown shown shown shown',
                                other=ACTIVE),
    '/messages': Row(any=ACTIVE),
    # Someone else's conversation does not exist for anyone else, administrators included.
    '/messages/{conversation_id}': Row(lambda w, o: f'/messages/{w.conversation[o]}',
                                       own='-- -- login shown shown shown shown',
                                       other='login pending login 404 404 404 404'),
    '/notifications': Row(any=ACTIVE),
    '/notifications/{notice_id}': Row(lambda w, o: f'/notifications/{w.notice[o]}',
                                      own='-- -- login to:/threads/{id} to:/threads/{id} to:/threads/{id} '
                                          'to:/threads/{id}',
                                      other='login pending login to:/notifications to:/notifications '
                                            'to:/notifications to:/notifications'),
    '/organizations': Row(any=ACTIVE),
    '/organizations/{org_id}': Row(lambda w, o: f'/organizations/{w.org_b}', any=ACTIVE),
    '/pending': Row(any='login shown login home home home home'),
    '/privacy': Row(any=ALL),
    '/profile': Row(any=ACTIVE),
    '/register': Row(any='shown home shown home home home home'),
    '/reset/{token}': Row(lambda w, o: f'/reset/{w.extra["reset"]}', any=ALL),
    '/search': Row(any=ACTIVE),
    '/setup': Row(any='to:/login ' * 7),  # an administrator exists
    '/site-logo': Row(any='file ' * 7),  # the logo shows on the sign-in page
    '/threads/{thread_id}': Row(lambda w, o: f'/threads/{w.thread[o]}', own='-- -- login shown shown shown shown',
                                other=ACTIVE),
}


def served_routes() -> dict[str, set[str]]:
    """Every route of the running app but NiceGUI's own: path → methods."""
    found: dict[str, set[str]] = {}
    for route in app.routes:
        path = getattr(route, 'path', '')
        if isinstance(route, Mount) or path.startswith('/_nicegui'):
            continue
        found.setdefault(path, set()).update(getattr(route, 'methods', None) or {'GET'})
    return found


def _png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (60, 40), 'teal').save(out, 'PNG')
    return out.getvalue()


def _seed() -> World:
    data_export.reset()  # export jobs live in memory: forget those of earlier tests' members with the same ids
    with db.session() as s:
        w = build_world(s)
        admin, olaf = w.users['admin'], w.users[OTHER]
        site_settings.update_settings(s, actor=admin, values={'anonymous_pages_per_minute': 10_000})
        w.extra = {
            'avatar': members.set_avatar(s, actor=olaf, user_id=olaf.id, data=_png()),
            'feed': calendar_feed.my_feed(s, actor=olaf).token,
            'reset': accounts.create_password_reset(s, actor=admin, user_id=olaf.id),
            'mail': outbox.settings_token(olaf.id),
        }
        site_settings.set_logo(s, actor=admin, data=_png())
        for owner in ('member', 'outsider', 'moderator', 'admin', OTHER):
            token = data_export.request_export(s, actor=w.users[owner], start=False).token
            data_export.build(token)
            w.extra[f'export-{owner}'] = token
    return w


async def _answer(http: httpx.AsyncClient, path: str) -> str:
    """What the server answers to one GET, as a table code."""
    response = await http.get(path, follow_redirects=False)
    status = response.status_code
    if status in (302, 303, 307):
        location = response.headers['location']
        if location.startswith('/login?next='):
            return 'login'
        if location in ('/', '/pending'):
            return {'/': 'home', '/pending': 'pending'}[location]
        return 'to:' + re.sub(r'/\d+', '/{id}', location.split('#')[0])
    if status == 200 and response.headers.get('X-Nicegui-Content') == 'page':
        match = re.search(r"'client_id': '([0-9a-f-]+)'", response.text)
        assert match is not None
        client = Client.instances[match.group(1)]
        refused = any('not-allowed' in element._markers for element in client.elements.values())
        client.delete()  # no browser will connect to it
        return 'refused' if refused else 'shown'
    if status == 200:
        return 'file'
    return str(status)


async def _signed_in(user: User, who: str) -> None:
    """Sign in through the form and wait until the browser holds the session."""
    await sign_in(user, PEOPLE[who][1])
    for _ in range(100):
        response = await user.http_client.get('/account', follow_redirects=False)
        if response.status_code == 200 or response.headers.get('location') == '/pending':
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f'{who} could not sign in')


async def _browsers(w: World, create_user: Callable[[], User]) -> dict[str, httpx.AsyncClient]:
    """One browser per persona; the deactivated one signed in while still active."""
    admin, dora = w.users['admin'], w.users['deactivated']
    db.call(accounts.reactivate_user, actor=admin, user_id=dora.id)
    browsers = {}
    for persona in PERSONAS:
        user = create_user()
        if persona != 'anonymous':
            await _signed_in(user, persona)
        browsers[persona] = user.http_client
    db.call(accounts.deactivate_user, actor=admin, user_id=dora.id)
    return browsers


async def test_every_route_answers_each_persona_as_the_table_says(user: User, create_user):
    routes = served_routes()
    missing = sorted(routes.keys() - ROUTES.keys())
    assert not missing, 'routes without a row in ROUTES of tests/ui/test_authz_pages.py: ' + ', '.join(missing)
    stale = sorted(ROUTES.keys() - routes.keys())
    assert not stale, 'rows for routes the app no longer serves: ' + ', '.join(stale)
    not_get = sorted(p for p, methods in routes.items() if methods - {'GET', 'HEAD'})
    assert not not_get, f'routes that change something on a plain request (CSRF): {not_get}'

    w = _seed()
    wrong, count = [], 0
    try:
        browsers = await _browsers(w, create_user)
        for route, entry in sorted(ROUTES.items()):
            for target, persona, expected in cells(entry):
                owner = None if target == 'any' else persona if target == 'own' else OTHER
                path = entry.path(w, owner) if entry.path else route
                got = await _answer(browsers[persona], path)
                count += 1
                if got != expected:
                    wrong.append(f'{route:34} {target:5} {persona:11} expected {expected:16} got {got}')
    finally:
        data_export.reset()  # export jobs live in memory; the next test's members have the same ids
    print(f'\nroutes: {len(ROUTES)}, cells: {count}')
    assert not wrong, '\n'.join(wrong)
