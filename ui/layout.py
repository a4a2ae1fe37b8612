"""The app frame: skip link, header with navigation and user menu, notice banner, main landmark, footer.

The parts of the frame that come from settings (site name and page title, logo, notice banner) follow a change at
once in every open page: one bus subscription for the whole process reads the settings once and updates the
registered headers (see `install_live_settings`).
"""

import itertools
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import Response
from nicegui import Client, app, background_tasks, context, run, ui

from services import bus, db, messages, notifications
from services import settings as site_settings
from services.accounts import CurrentUser
from services.errors import NotAllowed
from ui import theme
from ui.auth import track_client
from ui.components.text import Heading
from ui.i18n import LANGUAGES, QUASAR_LANGUAGE, _, current_language, set_site_language, translate

log = logging.getLogger(__name__)


class page(ui.page):  # noqa: N801 - used as a decorator like ui.page
    """ui.page whose Quasar language and <html lang> follow the user's language.

    NiceGUI answers 500 when an async page is not built within its response timeout (3 s). With hundreds of open
    pages a full garbage collection can stall the event loop for seconds (soak benchmark); a page caught in it
    should arrive late, not fail. 20 s still turns a real hang into an error page."""

    def __init__(self, path: str, *, response_timeout: float = 20.0, **kwargs: Any) -> None:
        super().__init__(path, response_timeout=response_timeout, **kwargs)

    def resolve_language(self) -> str:  # type: ignore[override]
        return QUASAR_LANGUAGE[current_language()]


@dataclass(frozen=True)
class NavItem:
    route: str
    label: str
    icon: str
    admin_only: bool = False
    moderator_only: bool = False  # for moderators who are not administrators (admins reach it from /admin)
    module: str = ''  # the setting that switches this area on and off


# Only the areas that exist are shown: a link must never lead to a missing page.
NAV = (
    NavItem('/', 'Start', 'home'),
    NavItem('/members', 'Mitglieder', 'groups'),
    NavItem('/boards', 'Foren', 'forum', module='module_boards'),
    NavItem('/events', 'Kalender', 'event', module='module_events'),
    NavItem('/messages', 'Nachrichten', 'mail', module='module_messages'),
    NavItem('/admin/moderation', 'Moderation', 'flag', moderator_only=True),
    NavItem('/admin', 'Verwaltung', 'admin_panel_settings', admin_only=True),
)


def nav_items(user: CurrentUser | None, values: dict[str, Any] | None = None) -> list[NavItem]:
    """The areas this user may open: existing pages, their role, and (with `values`, the settings) switched on."""
    routes = set(Client.page_routes.values())
    if values is None:
        values = db.call(site_settings.get_settings)

    def allowed(item: NavItem) -> bool:
        if item.module and not values.get(item.module, True):
            return False
        if item.admin_only:
            return user is not None and user.is_admin
        if item.moderator_only:
            return user is not None and user.is_moderator and not user.is_admin
        return True

    return [n for n in NAV if n.route in routes and allowed(n)]


def site_name() -> str:
    return db.call(site_settings.get_setting, 'site_name')


def logo_url(name: str) -> str:
    """The logo's address; the file name in the query makes browsers fetch a new logo at once."""
    return f'/site-logo?v={quote(name[:8])}' if name else ''


def notice_shown(values: dict[str, Any]) -> str:
    """The banner's text, or '' when none is shown."""
    return values['notice_text'].strip() if values['notice_enabled'] else ''


def install_theme() -> None:
    """Colours and focus styles, once for all pages."""
    # Quasar sets its brand colours as variables on <body> from NiceGUI's configuration, which beats any :root rule;
    # left at NiceGUI's defaults, white text on a primary button had a contrast of 3.1:1 (axe: color-contrast).
    app.colors(primary=theme.PRIMARY, secondary=theme.SECONDARY, accent=theme.ACCENT, positive=theme.POSITIVE,
               negative=theme.NEGATIVE)
    ui.add_css(f'''
        :root {{ --q-primary: {theme.PRIMARY}; --q-secondary: {theme.SECONDARY}; --q-accent: {theme.ACCENT};
                 --q-positive: {theme.POSITIVE}; --q-negative: {theme.NEGATIVE}; }}
        /* NiceGUI's link blue (#3b82f6) has 3.7:1 on white; in its own layer, so text-* classes still win. */
        @layer nicegui {{ .nicegui-link {{ color: {theme.PRIMARY}; }} }}
        /* In the first layer: of !important rules the earliest layer wins, and Quasar removes outlines from buttons
           and fields with !important in its last layer (keyboard users saw no focus on them). */
        @layer theme {{ :focus-visible {{ outline: 3px solid #f59e0b !important; outline-offset: 2px !important; }} }}
        .vn-skip {{ position: absolute; left: -9999px; top: 0; z-index: 9999; }}
        .vn-skip:focus {{ left: 1rem; top: 1rem; background: white; padding: .5rem 1rem; }}
        .vn-nav a.vn-active {{ text-decoration: underline; text-underline-offset: 6px; }}
        .vn-count {{ background: #b91c1c; color: white; border-radius: 9999px; padding: 0 .4em; font-size: .75rem;
                     line-height: 1.25rem; min-width: 1.25rem; text-align: center; }}
        /* Text members wrote (Markdown): Tailwind's reset removes list markers and margins, so they come back here. */
        .prose p, .prose ul, .prose ol, .prose pre, .prose blockquote, .prose table {{ margin: .5em 0; }}
        .prose ul {{ list-style: disc; padding-left: 1.5em; }}
        .prose ol {{ list-style: decimal; padding-left: 1.5em; }}
        .prose blockquote {{ border-left: 4px solid #cbd5e1; padding-left: .75em; color: #334155; }}
        .prose code {{ background: #f1f5f9; padding: 0 .25em; border-radius: 3px; font-size: .9em; }}
        .prose pre {{ background: #f1f5f9; padding: .5em .75em; overflow-x: auto; }}
        .prose pre code {{ padding: 0; }}
        .prose h2 {{ font-size: 1.25em; font-weight: 600; margin: .75em 0 .25em; }}
        .prose h3, .prose h4, .prose h5, .prose h6 {{ font-weight: 600; margin: .75em 0 .25em; }}
        .prose table {{ border-collapse: collapse; }}
        .prose th, .prose td {{ border: 1px solid #cbd5e1; padding: .25em .5em; text-align: left; }}
        .prose a {{ color: {theme.PRIMARY}; text-decoration: underline; }}
        mark {{ background: #fde68a; color: inherit; padding: 0 .1em; }}
    ''', shared=True)


@dataclass(eq=False)
class _Header:
    """The elements of one open page that show settings."""

    client: Client
    title: str
    home: ui.html  # the skip link, and the link home with the logo and the site name (see home_html)
    target: str
    skip: str  # the skip link's text, in the page's language (a settings change arrives from another browser)
    name: str
    notice: ui.element
    notice_text: ui.label


_headers: dict[str, _Header] = {}  # client id → its header; dropped when the client is deleted


def _register(header: _Header) -> None:
    client = header.client
    _headers[client.id] = header
    client.on_delete(lambda: _headers.pop(client.id, None))


def home_html(name: str, logo: str, target: str, skip: str) -> str:
    """The skip link (the first stop of the Tab key) and the link home. The logo is decoration beside the name
    (alt=""): the link's name is the site name. One HTML block: the frame is on every page."""
    image = f'<img alt="" src="{escape(logo_url(logo))}" class="h-10 w-auto">' if logo else ''
    return (f'<a href="#main" class="vn-skip text-primary">{escape(skip)}</a>'
            f'<a href="{target}" class="flex items-center gap-3 text-white no-underline">{image}'
            f'<span class="text-xl font-semibold">{escape(name)}</span></a>')


def _page_title(title: str, name: str) -> str:
    return f'{title} · {name}'


@contextmanager
def frame(title: str, *, user: CurrentUser | None = None, bare: bool = False) -> Iterator[None]:
    """Wrap a page. `bare` pages (sign-in, set-up, pending) show no navigation."""
    values = db.call(site_settings.get_settings)
    set_site_language(values['default_language'])  # another app instance may have changed it
    name = values['site_name']
    ui.page_title(_page_title(title, name))
    client = context.client
    if user is not None:
        track_client(client, user.session_id)
        # A pending member reaches the public pages (imprint, privacy) too: no navigation they cannot use, no bell.
        bare = bare or user.status != 'active'
    path = client.request.url.path if client.request else ''

    with ui.header().classes('bg-primary text-white items-center justify-between px-4 py-2 gap-2 flex-wrap'):
        target, skip = ('/' if user else '/login'), _('Zum Inhalt springen')
        home = ui.html(home_html(name, values['logo'], target, skip)).mark('site-home')
        if user is not None and not bare:
            # One navigation for every screen: it wraps below the site name on a phone, so no second menu is needed.
            # One escaped HTML block, not an element per link: the frame is on every page, and each NiceGUI element
            # costs the server time (soak benchmark); the messages count redraws the block (see on_messages).
            items = nav_items(user, values)
            nav = ui.html('', tag='nav').classes(
                'vn-nav flex flex-wrap items-center gap-x-4 gap-y-1 order-last md:order-none w-full md:w-auto').props(
                f'aria-label="{_("Hauptnavigation")}"').mark('main-nav')
            nav_bar = _NavBar(nav, items, path, current_language())
            with ui.row().classes('items-center gap-1 no-wrap'):
                _bell(client, user, nav_bar)
                _user_menu(user)
        elif user is not None:
            _user_menu(user, minimal=True)
        else:
            _language_switch()

    # The administration's notice (e.g. planned maintenance), on every page; a status region, so screen readers
    # announce it when it appears while the page is open.
    text = notice_shown(values)
    with ui.element('div').props('role=status').classes(
            'w-full bg-amber-100 text-slate-900 border-l-4 border-amber-500 px-4 py-2').mark('site-notice') as notice:
        notice_text = ui.label(text).mark('site-notice-text')
    notice.set_visibility(bool(text))
    _register(_Header(client, title, home, target, skip, name, notice, notice_text))

    # Quasar's q-page is already the <main> landmark; this inner block is the skip link's target.
    with ui.element('div').props('id=main tabindex=-1').classes(theme.PAGE + ' flex flex-col'):
        Heading(title, 1)
        yield

    with ui.footer().classes('bg-slate-100 text-slate-700 justify-center gap-6 py-2'):
        links = (('/imprint', _('Impressum')), ('/privacy', _('Datenschutz')),
                 ('/accessibility', _('Barrierefreiheit')))
        ui.html(''.join(f'<a href="{route}" class="text-slate-800 underline">{escape(label)}</a>'
                        for route, label in links), tag='nav').props(f'aria-label="{_("Rechtliches")}"').classes(
            'flex flex-wrap gap-x-6 gap-y-1').mark('legal-nav')


# ------------------------------------------------------------ live settings in every open page

LIVE_KEYS = frozenset({'site_name', 'logo', 'notice_enabled', 'notice_text'})


def _apply(header: _Header, values: dict[str, Any]) -> None:
    """Bring one open page's frame up to date; only what changed is sent to its browser."""
    name = values['site_name']
    if header.name != name:
        header.name = name
        title = _page_title(header.title, name)
        header.client.title = title
        header.client.run_javascript(f'document.title = {json.dumps(title)}')
    home = home_html(name, values['logo'], header.target, header.skip)
    if header.home.content != home:
        header.home.content = home
    text = notice_shown(values)
    if header.notice_text.text != text:
        header.notice_text.text = text
    if header.notice.visible != bool(text):
        header.notice.set_visibility(bool(text))


def on_settings_changed(event: bus.Event) -> None:
    """One subscriber for the whole process: read the settings once, then update every open page."""
    keys = set(event.data.get('keys') or [event.data.get('key')])
    values = db.call(site_settings.get_settings)
    set_site_language(values['default_language'])
    if not keys & LIVE_KEYS:
        return
    started = time.perf_counter()
    for client_id, header in list(_headers.items()):
        if header.client.is_deleted:
            _headers.pop(client_id, None)
            continue
        try:
            _apply(header, values)
        except Exception:  # noqa: BLE001 - one page that vanished meanwhile must not stop the others
            log.debug('page %s could not be updated', client_id, exc_info=True)
    log.debug('settings change shown in %d pages in %.1f ms', len(_headers), (time.perf_counter() - started) * 1000)


def install_live_settings() -> None:
    """Subscribe once per app start (ui.auth.install calls this); pages only register their header elements."""
    unsubscribe: list = []

    def start() -> None:
        try:
            set_site_language(db.call(site_settings.get_setting, 'default_language'))
        except Exception:  # noqa: BLE001 - a database problem shows on the first page with a clear message
            log.warning('could not read the default language at start-up', exc_info=True)
        unsubscribe.append(bus.subscribe('settings.changed', on_settings_changed))
        unsubscribe.append(bus.subscribe('notifications.new', on_notices))
        unsubscribe.append(bus.subscribe('notifications.read', on_notices))
        unsubscribe.append(bus.subscribe('messages.new', on_messages))
        unsubscribe.append(bus.subscribe('messages.read', on_messages))

    app.on_startup(start)
    app.on_shutdown(lambda: [u() for u in unsubscribe])
    app.on_shutdown(lambda: _headers.clear())
    app.on_shutdown(lambda: _bells.clear())


# ------------------------------------------------------------ the bell and the messages badge, live


def count_text(n: int) -> str:
    """A badge's number: at most two digits."""
    return str(n) if n < 100 else '99+'


@dataclass(eq=False)
class _BellLink:
    """The bell: a link to the notification centre whose name says how many notices are unread, with the count
    beside the icon (hidden from screen readers, which hear the name). One element: it is on every page."""

    element: ui.html
    lang: str  # the page's language (see _NavBar)

    def show(self, n: int) -> None:
        label = translate('Benachrichtigungen', self.lang)
        name = translate('{label}: {n} ungelesen', self.lang, label=label, n=n) if n else label
        content = BELL_ICON + (f'<span class="vn-count absolute -top-1 -right-1" aria-hidden="true">'
                               f'{count_text(n)}</span>' if n else '')
        if self.element.content != content:
            self.element.content = content
        if self.element.props.get('aria-label') != name:
            self.element.props['aria-label'] = name
            self.element.update()


BELL_ICON = '<i class="q-icon notranslate material-icons" aria-hidden="true" role="presentation">notifications</i>'


@dataclass(eq=False)
class _NavBar:
    """The main navigation as one HTML block; the "Nachrichten" link carries the unread count (badge and name)."""

    element: ui.html
    items: list[NavItem]
    path: str
    lang: str  # the page's language: a live update runs in the request of whoever sent the message

    def show(self, unread_messages: int) -> None:
        content = nav_html(self.items, self.path, unread_messages, self.lang)
        if self.element.content != content:
            self.element.content = content


def nav_html(items: list[NavItem], path: str, unread_messages: int, lang: str) -> str:
    """The navigation's links; the current page's is marked (aria-current), and the messages link says how many
    conversations are unread in its name, while the badge beside it is hidden from screen readers."""
    links = []
    for item in items:
        label = translate(item.label, lang)
        current = ' vn-active" aria-current="page' if item.route == path else ''
        link = f'<a href="{item.route}" class="text-white underline{current}"'
        if item.route == '/messages' and unread_messages:
            name = translate('{label}: {n} ungelesen', lang, label=label, n=unread_messages)
            count = count_text(unread_messages)
            links.append(f'<span class="inline-flex items-center gap-1">{link} aria-label="{escape(name)}">'
                         f'{escape(label)}</a><span class="vn-count" aria-hidden="true">{count}</span></span>')
        else:
            links.append(f'{link}>{escape(label)}</a>')
    return ''.join(links)


@dataclass(eq=False)
class _Bell:
    client: Client
    user: CurrentUser
    bell: _BellLink
    messages: _NavBar | None
    # The number of the read (`_reads`) that each count shown came from: reads run in worker threads and may finish
    # out of order; a page shows only a read that started after the one it shows (so after every change it was told of).
    notices_read: int = 0
    messages_read: int = 0

    def show_notices(self, count: int, read: int) -> None:
        if read > self.notices_read and not self.client.is_deleted:
            self.notices_read = read
            self.bell.show(count)

    def show_messages(self, count: int, read: int) -> None:
        if self.messages is not None and read > self.messages_read and not self.client.is_deleted:
            self.messages_read = read
            self.messages.show(count)


_reads = itertools.count(1)  # numbers the count reads in the order they start


_bells: dict[int, dict[str, _Bell]] = {}  # user id → client id → the bell of each open page of that member


def _unread(session: Any, user: CurrentUser, with_messages: bool) -> tuple[int, int]:
    """Both counts of the frame in one database session (the frame is on every page)."""
    return (notifications.unread_count(session, viewer=user),
            messages.unread_count(session, viewer=user) if with_messages else 0)


def _bell(client: Client, user: CurrentUser, nav_bar: _NavBar) -> None:
    """The bell with the unread count; it and the messages count follow new notices live (see on_notices)."""
    link = ui.html('', tag='a').props('href=/notifications').classes(
        'relative inline-flex items-center justify-center w-10 h-10 rounded-full text-white text-2xl '
        'hover:bg-white/10').mark('bell')
    with_messages = any(item.route == '/messages' for item in nav_bar.items)
    count = _BellLink(link, current_language())
    bell = _Bell(client, user, count, nav_bar if with_messages else None)
    bell.bell.show(0)
    nav_bar.show(0)
    pages = _bells.setdefault(user.id, {})
    pages[client.id] = bell
    background_tasks.create(_first_counts(bell), name='bell counts')

    def forget() -> None:
        mine = _bells.get(user.id)
        if mine is not None:
            mine.pop(client.id, None)
            if not mine:
                _bells.pop(user.id, None)

    client.on_delete(forget)


async def _first_counts(bell: _Bell) -> None:
    """The page's counts, read in a worker thread while (or after) the page is sent: counting on the event loop
    was a third of the frame's time there, and the frame is on every page."""
    read = next(_reads)
    try:
        counts = await run.io_bound(db.call, _unread, bell.user, bell.messages is not None)
    except Exception:  # noqa: BLE001 - e.g. the member was deactivated meanwhile; the page is closed then
        log.debug('first counts of page %s not read', bell.client.id, exc_info=True)
        return
    if counts is None:  # the server is stopping
        return
    notices, unread_messages = counts
    bell.show_notices(notices, read)
    bell.show_messages(unread_messages, read)


def _open_bells(user_ids: Any) -> dict[int, list[_Bell]]:
    found: dict[int, list[_Bell]] = {}
    for user_id in user_ids or ():
        pages = _bells.get(user_id)
        if not pages:
            continue
        for client_id, bell in list(pages.items()):
            if bell.client.is_deleted:
                pages.pop(client_id, None)
            else:
                found.setdefault(user_id, []).append(bell)
    return found


def on_notices(event: bus.Event) -> None:
    """One subscriber for the whole process: the members concerned who have a page open get their bells recounted
    (in a worker thread, one query for all of them)."""
    open_bells = _open_bells(event.data.get('user_ids'))
    if open_bells:
        background_tasks.create(_recount_notices(open_bells), name='recount notices')


async def _recount_notices(open_bells: dict[int, list[_Bell]]) -> None:
    started, read = time.perf_counter(), next(_reads)
    counts = await run.io_bound(db.call, notifications.unread_counts, list(open_bells))
    if counts is None:  # the server is stopping
        return
    for user_id, bells in open_bells.items():
        for bell in bells:
            try:
                bell.show_notices(counts.get(user_id, 0), read)
            except Exception:  # noqa: BLE001 - one page that vanished meanwhile must not stop the others
                log.debug('bell of page %s could not be updated', bell.client.id, exc_info=True)
    log.debug('bells of %d members updated in %.1f ms', len(open_bells), (time.perf_counter() - started) * 1000)


def on_messages(event: bus.Event) -> None:
    """New direct messages: the "Nachrichten" count of the members concerned who have a page open with it,
    recounted in a worker thread."""
    open_bells = {user_id: shown for user_id, bells in _open_bells(event.data.get('user_ids')).items()
                  if (shown := [b for b in bells if b.messages is not None])}
    if open_bells:
        background_tasks.create(_recount_messages(open_bells), name='recount messages')


def _unread_messages(session: Any, members: list[CurrentUser]) -> dict[int, int]:
    counts = {}
    for member in members:
        try:
            counts[member.id] = messages.unread_count(session, viewer=member)
        except NotAllowed:  # deactivated meanwhile: their pages are being closed
            log.debug('messages count of member %s not read', member.id)
    return counts


async def _recount_messages(open_bells: dict[int, list[_Bell]]) -> None:
    read = next(_reads)
    counts = await run.io_bound(db.call, _unread_messages, [bells[0].user for bells in open_bells.values()])
    if counts is None:  # the server is stopping
        return
    for user_id, bells in open_bells.items():
        if user_id in counts:
            for bell in bells:
                bell.show_messages(counts[user_id], read)


def _user_menu(user: CurrentUser, *, minimal: bool = False) -> None:
    """The account button; its menu is built when opened (every page shows the button, few open the menu)."""
    button = ui.element('q-btn').props('flat round color=white icon=account_circle').mark('user-menu')
    button.props['aria-label'] = f'{_("Benutzermenü")}: {user.name}'
    button.props['aria-haspopup'] = 'menu'
    button.on('click', lambda: _open_user_menu(button, user, minimal))


def _open_user_menu(button: ui.element, user: CurrentUser, minimal: bool) -> None:
    from ui.pages.accounts import sign_out_now

    button.clear()
    with button, ui.menu().props('role=menu') as menu:
        # Who is signed in, as a caption: a disabled menu item would be an item a screen reader offers but cannot
        # use (axe: aria-required-children).
        ui.label(user.name).props('role=presentation').classes('px-4 py-2 font-medium text-slate-700')
        if not minimal:
            if '/profile' in set(Client.page_routes.values()):
                ui.menu_item(_('Profil'), lambda: ui.navigate.to('/profile')).props('role=menuitem')
            ui.menu_item(_('Konto'), lambda: ui.navigate.to('/account')).props('role=menuitem')
        ui.menu_item(_('Abmelden'), sign_out_now).props('role=menuitem').mark('sign-out')
    menu.open()


def _language_switch() -> None:
    def switch(lang: str) -> None:
        app.storage.user['lang'] = lang
        ui.navigate.reload()

    other = 'en' if current_language() == 'de' else 'de'
    ui.button(LANGUAGES[other], on_click=lambda: switch(other)).props(
        f'flat color=white lang={other} aria-label="{_("Sprache wechseln")}: {LANGUAGES[other]}"')


def not_found_page(user: CurrentUser | None, message: str, back_label: str, back_route: str) -> Response:
    """Our own friendly page, sent with status 404 (bookmarks and crawlers learn that the thing is gone)."""
    with frame(_('Nicht gefunden'), user=user):
        ui.label(message).mark('not-found')
        ui.link(back_label, back_route)
    client = context.client
    assert client.request is not None
    return client.build_response(client.request, 404)
