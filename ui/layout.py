"""The app frame: skip link, header with navigation and user menu, main landmark, footer."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Response
from nicegui import Client, app, context, ui

from services import db
from services import settings as site_settings
from services.accounts import CurrentUser
from ui import theme
from ui.auth import track_client
from ui.components.text import Heading
from ui.i18n import LANGUAGES, QUASAR_LANGUAGE, _, current_language


class page(ui.page):  # noqa: N801 - used as a decorator like ui.page
    """ui.page whose Quasar language and <html lang> follow the user's language."""

    def resolve_language(self) -> str:  # type: ignore[override]
        return QUASAR_LANGUAGE[current_language()]


@dataclass(frozen=True)
class NavItem:
    route: str
    label: str
    icon: str
    admin_only: bool = False
    moderator_only: bool = False  # for moderators who are not administrators (admins reach it from /admin)


# Only the areas that exist are shown: a link must never lead to a missing page.
NAV = (
    NavItem('/', 'Start', 'home'),
    NavItem('/members', 'Mitglieder', 'groups'),
    NavItem('/boards', 'Foren', 'forum'),
    NavItem('/events', 'Kalender', 'event'),
    NavItem('/messages', 'Nachrichten', 'mail'),
    NavItem('/admin/moderation', 'Moderation', 'flag', moderator_only=True),
    NavItem('/admin', 'Verwaltung', 'admin_panel_settings', admin_only=True),
)


def nav_items(user: CurrentUser | None) -> list[NavItem]:
    routes = set(Client.page_routes.values())
    def allowed(item: NavItem) -> bool:
        if item.admin_only:
            return user is not None and user.is_admin
        if item.moderator_only:
            return user is not None and user.is_moderator and not user.is_admin
        return True

    return [n for n in NAV if n.route in routes and allowed(n)]


def site_name() -> str:
    return db.call(site_settings.get_setting, 'site_name')


def install_theme() -> None:
    """Colours and focus styles, once for all pages (Quasar reads its brand colours from these variables)."""
    ui.add_css(f'''
        :root {{ --q-primary: {theme.PRIMARY}; --q-secondary: {theme.SECONDARY}; --q-accent: {theme.ACCENT};
                 --q-positive: {theme.POSITIVE}; --q-negative: {theme.NEGATIVE}; }}
        :focus-visible {{ outline: 3px solid #f59e0b !important; outline-offset: 2px; }}
        .vn-skip {{ position: absolute; left: -9999px; top: 0; z-index: 9999; }}
        .vn-skip:focus {{ left: 1rem; top: 1rem; background: white; padding: .5rem 1rem; }}
        .vn-nav a.vn-active {{ text-decoration: underline; text-underline-offset: 6px; }}
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


@contextmanager
def frame(title: str, *, user: CurrentUser | None = None, bare: bool = False) -> Iterator[None]:
    """Wrap a page. `bare` pages (sign-in, set-up, pending) show no navigation."""
    name = site_name()
    ui.page_title(f'{title} · {name}')
    client = context.client
    if user is not None:
        track_client(client, user.session_id)
    path = client.request.url.path if client.request else ''

    with ui.header().classes('bg-primary text-white items-center justify-between px-4 py-2 gap-2 flex-wrap'):
        ui.link(_('Zum Inhalt springen'), '#main').classes('vn-skip text-primary')  # first stop of the Tab key
        ui.link(name, '/' if user else '/login').classes('text-xl font-semibold text-white no-underline').props(
            f'aria-label="{_("Startseite")}: {_escape_attr(name)}"')
        if user is not None and not bare:
            # One navigation for every screen: it wraps below the site name on a phone, so no second menu is needed.
            with ui.element('nav').classes('vn-nav flex flex-wrap gap-x-4 gap-y-1 order-last md:order-none w-full '
                                           'md:w-auto').props(f'aria-label="{_("Hauptnavigation")}"'):
                for item in nav_items(user):
                    link = ui.link(_(item.label), item.route).classes('text-white').mark(
                        'nav-' + (item.route.strip('/') or 'start'))
                    if item.route == path:
                        link.classes('vn-active').props('aria-current="page"')
            _user_menu(user)
        elif user is not None:
            _user_menu(user, minimal=True)
        else:
            _language_switch()

    # Quasar's q-page is already the <main> landmark; this inner block is the skip link's target.
    with ui.element('div').props('id=main tabindex=-1').classes(theme.PAGE + ' flex flex-col'):
        Heading(title, 1)
        yield

    with ui.footer().classes('bg-slate-100 text-slate-700 justify-center gap-6 py-2'):
        with ui.element('nav').props(f'aria-label="{_("Rechtliches")}"').classes('flex gap-6'):
            ui.link(_('Impressum'), '/imprint').classes('text-slate-800')
            ui.link(_('Datenschutz'), '/privacy').classes('text-slate-800')


def _escape_attr(text: str) -> str:
    return text.replace('&', '&amp;').replace('"', '&quot;').replace('<', '&lt;')


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
        ui.menu_item(user.name).props('disable role=presentation')
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
