"""Accessibility (BITV 2.0 / WCAG 2.1 AA): axe-core on every page, as anonymous, pending, member, moderator and
administrator, in a seeded demo network; and keyboard-only journeys with a visible focus on every stop.

The pages are a table: every route the app registers must have a row (or a written reason why it only redirects),
so a new page without an accessibility check fails `test_every_page_has_an_accessibility_check`.
"""

import ast
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from models.board import Board, Thread
from models.notification import Notification
from models.user import Role, Status, User
from services import accounts, boards, calendar_feed, db, demo, events, messages, outbox, posts
from services.local_time import today
from tests.browser import axe
from tests.browser.conftest import PASSWORD, ROOT, _free_port, stop

ADMIN_EMAIL = 'ada@essen.de'
JOURNEY_THREAD = 'Barrierefreie PDF-Formulare: Wer prüft bei euch?'
JOURNEY_EVENT = 'Werkstatt: Barrierefreiheit im Intranet'


# ------------------------------------------------------------------ the seeded network


@dataclass
class Network:
    base: str
    member_email: str
    moderator_email: str
    pending_email: str
    ids: dict[str, Any]  # what the page paths need: thread, event, conversation, tokens …


def _seed(data: Path, env: dict[str, str]) -> None:
    """What an operator does: `seed-demo`, then `create-admin` (both through the command line)."""
    def run(*args: str, stdin: str = '') -> None:
        done = subprocess.run([sys.executable, 'main.py', *args], cwd=ROOT, env=env, input=stdin, text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    run('seed-demo')
    run('create-admin', '--email', ADMIN_EMAIL, '--name', 'Ada Admin', '--password-stdin', stdin=PASSWORD + '\n')


def _prepare(data: Path, secret: str) -> tuple[dict[str, Any], dict[str, str]]:
    """What the demo does not hold yet, made through the services: a conversation with a reported message, a thread
    and an event for the journeys, a reset link, an invitation, a mail-settings link."""
    engine = db.make_engine(f'sqlite:///{data / "verwaltungsnetz.db"}')
    db.use_engine(engine)
    try:
        with db.session() as s:
            def first(*where: Any) -> User:
                return s.exec(select(User).where(col(User.email_key).like(f'%.{demo.DEMO_DOMAIN}'), *where)
                              .order_by(col(User.id))).first()

            member = first(User.role == Role.MEMBER, User.status == Status.ACTIVE)
            other = s.exec(select(User).where(User.role == Role.MEMBER, User.status == Status.ACTIVE,
                                              User.id != member.id, User.organization_id != member.organization_id)
                           .order_by(col(User.id))).first()
            emails = {'member': member.email, 'moderator': first(User.role == Role.MODERATOR).email,
                      'pending': first(User.status == Status.PENDING).email}
            admin_id = s.exec(select(User.id).where(User.email_key == ADMIN_EMAIL)).one()
            member_id, other_id = member.id, other.id
            board_id = s.exec(select(Board.id).where(col(Board.moderators_only).is_(False))
                              .order_by(col(Board.id))).first()
            # The seeded thread with most replies: the longest page, with quotes, reactions and a solution.
            busy = s.exec(select(Thread.id).where(col(Thread.deleted).is_(False))
                          .order_by(col(Thread.reply_count).desc(), col(Thread.id))).first()
            notice = s.exec(select(Notification.id).where(Notification.user_id == member_id)
                            .order_by(col(Notification.id))).first()
        ada = db.call(accounts.get_user, admin_id)
        mia = db.call(accounts.get_user, member_id)
        olaf = db.call(accounts.get_user, other_id)

        thread = db.call(boards.create_thread, actor=olaf, board_id=board_id, title=JOURNEY_THREAD,
                         body='Wir stellen unsere Antragsformulare auf **barrierefreie PDFs** um. Wer prüft das?')
        db.call(posts.reply, actor=ada, thread_id=thread, body='Bei uns prüft die Stelle für Barrierefreiheit.')
        day = today() + timedelta(days=12)
        event = db.call(events.create_event, actor=ada, data=events.EventInput(
            title=JOURNEY_EVENT, starts=datetime.combine(day, clock(10)), ends=datetime.combine(day, clock(12)),
            location='Essen, Rathaus, Raum 101', capacity=20,
            description='Wir prüfen gemeinsam Formulare mit Screenreader und Tastatur.'))
        conversation = db.call(messages.start_conversation, actor=mia, member_ids=[other_id],
                               body='Hallo, haben Sie die Unterlagen zur E-Akte noch?')
        answer = db.call(messages.send_message, actor=olaf, conversation_id=conversation,
                         body='Ja, ich schicke sie Ihnen morgen. Gruß aus der [Nachbarstadt](https://example.org).')
        db.call(messages.report_message, actor=mia, message_id=answer.id, reason='Testmeldung für die Moderation.')
        reset = db.call(accounts.create_password_reset, actor=ada, user_id=other_id)
        invitation = db.call(accounts.create_invitation, actor=ada, name='Ines Neu', note='Barrierefreiheit')
    finally:
        engine.dispose()
    previous = calendar_feed._key  # the mail-settings token derives from the server's key; restore ours afterwards
    try:
        calendar_feed.set_key(secret)
        mail_token = outbox.settings_token(member_id)
    finally:
        calendar_feed._key = previous
    ids = dict(thread=thread, busy_thread=busy, event=event, conversation=conversation, member=member_id,
               other=other_id, notice=notice, reset=reset, invitation=invitation.token, mail=mail_token,
               board=db_board_slug(data, board_id), organization=1)
    return ids, emails


def db_board_slug(data: Path, board_id: int) -> str:
    engine = db.make_engine(f'sqlite:///{data / "verwaltungsnetz.db"}')
    try:
        with engine.connect() as c:
            return c.exec_driver_sql('SELECT slug FROM board WHERE id = ?', (board_id,)).scalar_one()
    finally:
        engine.dispose()


def _start(data: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**env, 'VN_PORT': str(port)}
    process = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=log.open('w'),
                               stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    deadline = time.monotonic() + 60  # two busy cores: the first start compiles and imports a lot
    while time.monotonic() < deadline:
        try:
            if httpx.get(f'{base}/healthz', timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError('server did not start: ' + log.read_text())


@pytest.fixture(scope='module')
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    folder = tmp_path_factory.mktemp('a11y')
    data = folder / 'data'
    secret = secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith(('VN_', 'NICEGUI_', 'PYTEST'))}
    env.update(VN_DATA_DIR=str(data), VN_STORAGE_SECRET=secret)
    _seed(data, env)
    ids, emails = _prepare(data, secret)
    process, base = _start(data, env, folder / 'server.log')
    try:
        yield Network(base, emails['member'], emails['moderator'], emails['pending'], ids)
    finally:
        stop(process)


@pytest.fixture(scope='module')
def axe_source() -> str:
    return axe.script()


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f'{base}/login')
    page.get_by_label('E-Mail').fill(email)
    page.get_by_label('Passwort', exact=True).fill(password)
    page.get_by_role('button', name='Anmelden').click()
    page.wait_for_url(re.compile(r'/(pending)?$'))


def _credentials(network: Network, role: str) -> tuple[str, str] | None:
    return {'anonymous': None, 'pending': (network.pending_email, demo.DEMO_PASSWORD),
            'member': (network.member_email, demo.DEMO_PASSWORD),
            'moderator': (network.moderator_email, demo.DEMO_PASSWORD), 'admin': (ADMIN_EMAIL, PASSWORD)}[role]


# ------------------------------------------------------------------ the pages


@dataclass(frozen=True)
class Check:
    role: str
    route: str  # the registered route this row covers
    path: str  # formatted with Network.ids
    state: str = ''  # what is open besides the page itself (a menu, a dialog, an editor)
    action: Callable[[Page], None] | None = None


def _click(name: str, role: str = 'button') -> Callable[[Page], None]:
    def act(page: Page) -> None:
        page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]
    return act


def _open_user_menu(page: Page) -> None:
    page.get_by_role('button', name=re.compile('^Benutzermenü')).click()
    expect(page.get_by_role('menuitem', name='Abmelden')).to_be_visible()


def _open_post_actions(page: Page) -> None:
    page.get_by_role('button', name=re.compile(r'^Aktionen zu Beitrag \d+$')).first.click()
    expect(page.get_by_role('menu')).to_be_visible()


def _open_report_dialog(page: Page) -> None:
    _open_post_actions(page)
    page.get_by_role('menuitem', name=re.compile('^Melden')).click()
    expect(page.get_by_role('dialog')).to_be_visible()


def _open_reply_editor(page: Page) -> None:
    page.get_by_role('button', name='Antwort schreiben').click()
    expect(page.get_by_label('Ihre Antwort')).to_be_visible()


def _open_uploader(page: Page) -> None:
    """The uploader is built on demand; the focus moves from the vanished button to the uploader's own."""
    _open_reply_editor(page)
    page.get_by_role('button', name='Dateien anhängen').click()
    expect(page.get_by_role('button', name='Dateien auswählen')).to_be_focused()


CHECKS = (
    # Anonymous: the pages before signing in, and the legal pages everyone may read.
    Check('anonymous', '/login', '/login'),
    Check('anonymous', '/register', '/register'),
    Check('anonymous', '/register', '/register?invite={invitation}', 'with an invitation'),
    Check('anonymous', '/reset/{token}', '/reset/{reset}'),
    Check('anonymous', '/reset/{token}', '/reset/not-a-valid-token', 'invalid link'),
    Check('anonymous', '/mail-settings/{token}', '/mail-settings/{mail}'),
    Check('anonymous', '/imprint', '/imprint'),
    Check('anonymous', '/privacy', '/privacy'),
    Check('anonymous', '/accessibility', '/accessibility'),
    Check('anonymous', '/login', '/login', 'in English', _click('Sprache wechseln: English')),
    # A pending account sees only its waiting page.
    Check('pending', '/pending', '/pending'),
    # A member: every area of the network.
    Check('member', '/', '/'),
    Check('member', '/', '/', 'user menu open', _open_user_menu),
    Check('member', '/members', '/members'),
    Check('member', '/members', '/members?q=Digitalisierung&org=2', 'search with a filter'),
    Check('member', '/members/{member_id}', '/members/{other}'),
    Check('member', '/members/{member_id}', '/members/{member}', 'own profile as others see it'),
    Check('member', '/members/{member_id}', '/members/999999', 'not found'),
    Check('member', '/profile', '/profile'),
    Check('member', '/organizations', '/organizations'),
    Check('member', '/organizations/{org_id}', '/organizations/{organization}'),
    Check('member', '/boards', '/boards'),
    Check('member', '/boards/{slug}', '/boards/{board}'),
    Check('member', '/boards/{slug}', '/boards/{board}', 'new thread form open', _click('Neues Thema')),
    Check('member', '/threads/{thread_id}', '/threads/{busy_thread}'),
    Check('member', '/threads/{thread_id}', '/threads/{busy_thread}', 'post actions menu open', _open_post_actions),
    Check('member', '/threads/{thread_id}', '/threads/{busy_thread}', 'report dialog open', _open_report_dialog),
    Check('member', '/threads/{thread_id}', '/threads/{thread}', 'reply editor open', _open_reply_editor),
    Check('member', '/threads/{thread_id}', '/threads/{thread}', 'uploader open', _open_uploader),
    Check('member', '/events', '/events'),
    Check('member', '/events', '/events?view=month', 'month'),
    Check('member', '/events', '/events?view=list', 'list'),
    Check('member', '/events/{event_id}', '/events/{event}'),
    Check('member', '/events/{event_id}', '/events/1', 'seeded event'),
    Check('member', '/events/new', '/events/new'),
    Check('member', '/messages', '/messages'),
    Check('member', '/messages', '/messages', 'new message form open', _click('Neue Nachricht')),
    Check('member', '/messages/{conversation_id}', '/messages/{conversation}'),
    Check('member', '/notifications', '/notifications'),
    Check('member', '/account', '/account'),
    Check('member', '/search', '/search?q=E-Akte'),
    Check('member', '/search', '/search?q=Barrierefreiheit&solved=1&sort=newest', 'filtered'),
    Check('member', '/imprint', '/imprint'),
    Check('member', '/privacy', '/privacy'),
    Check('member', '/accessibility', '/accessibility'),
    Check('member', '/logout', '/logout'),
    # A moderator: the moderation queue with only its own tab.
    Check('moderator', '/admin/moderation', '/admin/moderation'),
    Check('moderator', '/threads/{thread_id}', '/threads/{busy_thread}', 'moderation menu open',
          _click('Moderation')),
    # An administrator: every tab of the administration, and what only administrators see elsewhere.
    Check('admin', '/', '/'),
    Check('admin', '/admin', '/admin'),
    Check('admin', '/admin/users', '/admin/users'),
    Check('admin', '/admin/invitations', '/admin/invitations'),
    Check('admin', '/admin/import', '/admin/import'),
    Check('admin', '/admin/organizations', '/admin/organizations'),
    Check('admin', '/admin/boards', '/admin/boards'),
    Check('admin', '/admin/moderation', '/admin/moderation'),
    Check('admin', '/admin/audit', '/admin/audit'),
    Check('admin', '/admin/stats', '/admin/stats'),
    Check('admin', '/events/{event_id}/edit', '/events/{event}/edit'),
    Check('admin', '/threads/{thread_id}', '/threads/{thread}'),
    Check('admin', '/members/{member_id}', '/members/{member}'),
)

# Routes that never show a page of their own, each with the reason; the test checks that they really redirect.
REDIRECT_ONLY = {
    '/notifications/{notice_id}': ('member', '/notifications/{notice}', 'marks the notice read and goes to its place'),
    '/setup': ('anonymous', '/setup', 'exists only until the first administrator; see test_setup_page'),
}
ROLES = ('anonymous', 'pending', 'member', 'moderator', 'admin')


def registered_routes() -> set[str]:
    """Every page route in ui/: decorators `@page('…')` or `@ui.page('…')`, read from the source."""
    found = set()
    for file in (ROOT / 'ui').rglob('*.py'):
        for node in ast.walk(ast.parse(file.read_text(encoding='utf-8'))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                if not (isinstance(deco, ast.Call) and deco.args and isinstance(deco.args[0], ast.Constant)):
                    continue
                name = deco.func.attr if isinstance(deco.func, ast.Attribute) else getattr(deco.func, 'id', '')
                if name == 'page':
                    found.add(deco.args[0].value)
    return found


def test_every_page_has_an_accessibility_check():
    registered = registered_routes()
    assert len(registered) > 30, registered  # the scan itself works
    covered = {c.route for c in CHECKS} | set(REDIRECT_ONLY)
    assert sorted(registered - covered) == [], 'pages without an axe check: add a row to CHECKS'
    assert sorted(covered - registered) == [], 'rows for pages that no longer exist'
    assert {c.role for c in CHECKS} == set(ROLES)


# ------------------------------------------------------------------ axe


def _settle(page: Page) -> None:
    """Wait until the page has stopped changing: NiceGUI fills some parts after the socket connects."""
    expect(page.locator('h1').first).to_be_visible()
    page.wait_for_load_state('load')
    page.evaluate('''() => new Promise(resolve => {
        let timer; const started = Date.now();
        const done = () => { observer.disconnect(); resolve(true); };
        const observer = new MutationObserver(() => {
            clearTimeout(timer); timer = setTimeout(done, Date.now() - started > 4000 ? 0 : 250); });
        observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        timer = setTimeout(done, 250);
    })''')


def _check_role(network: Network, chromium: Any, source: str, role: str) -> tuple[list[str], int]:
    context = chromium.new_context(locale='de-DE')
    page = context.new_page()
    failures: list[str] = []
    checked = 0
    try:
        credentials = _credentials(network, role)
        if credentials:
            _sign_in(page, network.base, *credentials)
        for check in (c for c in CHECKS if c.role == role):
            path = check.path.format(**network.ids)
            page.goto(network.base + path)
            _settle(page)
            assert '/login' not in page.url or role == 'anonymous', f'{role} was sent to {page.url} from {path}'
            if check.action is not None:
                check.action(page)
                _settle(page)
            violations = axe.run(page, source)
            checked += 1
            if violations:
                failures.append(f'--- {role} {path} {check.state}\n{axe.describe(violations)}')
    finally:
        context.close()
    return failures, checked


@pytest.mark.parametrize('role', ROLES)
def test_axe_finds_no_wcag_a_or_aa_violations(network, chromium, axe_source, role):
    failures, checked = _check_role(network, chromium, axe_source, role)
    assert checked == sum(1 for c in CHECKS if c.role == role)
    assert not failures, '\n'.join(failures)


@pytest.mark.parametrize('route', sorted(REDIRECT_ONLY))
def test_redirect_only_routes_show_no_page_of_their_own(network, chromium, route):
    role, path, _reason = REDIRECT_ONLY[route]
    path = path.format(**network.ids)
    context = chromium.new_context()
    page = context.new_page()
    try:
        credentials = _credentials(network, role)
        if credentials:
            _sign_in(page, network.base, *credentials)
        page.goto(network.base + path)
        _settle(page)  # where it led is a page of its own, checked by its row in CHECKS
        assert urlsplit(page.url).path != path
    finally:
        context.close()


def test_setup_page(server, chromium, axe_source):
    """/setup exists only while no administrator does: checked on a fresh app."""
    page = chromium.new_page()
    try:
        page.goto(f'{server}/setup')
        _settle(page)
        violations = axe.run(page, axe_source)
        assert not violations, axe.describe(violations)
        page.goto(f'{server}/login')  # the hint to set up the app shows on the sign-in page meanwhile
        _settle(page)
        violations = axe.run(page, axe_source)
        assert not violations, axe.describe(violations)
    finally:
        page.close()


def test_axe_sees_a_violation(network, chromium, axe_source):
    """The check can fail: the tags select axe's WCAG 2.0/2.1 A and AA rules (69 in axe 4.14), and an unnamed icon
    button and grey-on-white text are reported."""
    page = chromium.new_page()
    try:
        page.goto(f'{network.base}/imprint')
        _settle(page)
        assert {'color-contrast', 'button-name', 'label', 'link-name', 'aria-required-children', 'nested-interactive',
                'html-has-lang', 'document-title', 'bypass'} <= set(axe.rules(page, axe_source))
        page.evaluate('''() => {
            const main = document.getElementById('main');
            main.insertAdjacentHTML('beforeend',
                '<button><i class="q-icon" aria-hidden="true"></i></button><p style="color:#aaa">grau</p>');
        }''')
        found = {v['id'] for v in axe.run(page, axe_source)}
        assert {'button-name', 'color-contrast'} <= found
    finally:
        page.close()


# ------------------------------------------------------------------ keyboard only

FOCUS = '''() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {tag: e.tagName, name: e.getAttribute('aria-label') || e.innerText?.slice(0, 60) || e.value || '',
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
            shadow: s.boxShadow !== 'none', inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth};
}'''


def _focus_visible(page: Page) -> dict[str, Any]:
    """The focused element, asserting that a sighted keyboard user can see where the focus is."""
    for _attempt in range(20):  # a redraw or a programmatic focus may take a moment to land and scroll
        focus = page.evaluate(FOCUS)
        if focus is not None and focus['inView']:
            break
        page.wait_for_timeout(100)
    assert focus is not None, 'the focus left the page'
    assert focus['outline'] or focus['shadow'], f'no visible focus indicator on {focus}'
    assert focus['inView'], f'the focused element is off screen: {focus}'
    return focus


def _is_focused(page: Page, locator: Any) -> bool:
    return locator.evaluate('e => e === document.activeElement || e.contains(document.activeElement)')


def _tab_to(page: Page, locator: Any, limit: int = 150) -> int:
    """Press Tab until `locator` has the focus, checking the visible focus at every stop; returns the presses."""
    expect(locator).to_be_attached()
    for presses in range(1, limit + 1):
        page.keyboard.press('Tab')
        _focus_visible(page)
        if _is_focused(page, locator):
            return presses
    raise AssertionError(f'{locator} not reached with {limit} presses of Tab')


@pytest.fixture
def keyboard_page(chromium) -> Iterator[Page]:
    context = chromium.new_context(locale='de-DE')
    yield context.new_page()
    context.close()


def _keyboard_sign_in(page: Page, network: Network) -> None:
    page.goto(f'{network.base}/login')
    _settle(page)
    email = page.get_by_label('E-Mail-Adresse')
    if not _is_focused(page, email):  # the field has autofocus; a keyboard user would tab to it otherwise
        _tab_to(page, email)
    _focus_visible(page)
    page.keyboard.type(network.member_email)
    _tab_to(page, page.get_by_label('Passwort', exact=True))
    page.keyboard.type(demo.DEMO_PASSWORD)
    _tab_to(page, page.get_by_role('button', name='Anmelden'))
    page.keyboard.press('Enter')
    expect(page.get_by_text(re.compile('Willkommen'))).to_be_visible()


def test_keyboard_sign_in(network, keyboard_page):
    page = keyboard_page
    _keyboard_sign_in(page, network)
    # The first stop on the next page is the skip link, visible when focused, and it leads to the content.
    page.keyboard.press('Tab')
    assert _focus_visible(page)['name'] == 'Zum Inhalt springen'
    page.keyboard.press('Enter')
    expect(page.locator('#main')).to_be_focused()


def test_keyboard_search_the_directory(network, keyboard_page):
    page = keyboard_page
    _keyboard_sign_in(page, network)
    _tab_to(page, page.get_by_role('navigation', name='Hauptnavigation').get_by_role('link', name='Mitglieder'))
    page.keyboard.press('Enter')
    search = page.get_by_label('Suche nach Name, Thema, Amt, Verwaltung …')
    expect(search).to_be_focused()  # autofocus: the directory is for searching
    _focus_visible(page)
    count = page.get_by_role('status').filter(has_text=re.compile(r'\d+ Mitglied'))
    expect(count).to_be_visible()
    everyone = count.inner_text()
    page.keyboard.type('Barrierefreiheit')
    expect(page).to_have_url(re.compile(r'q=Barrierefreiheit'))
    expect(count).not_to_have_text(everyone)  # the list now holds the hits (announced by the status region)
    first = page.get_by_role('list', name='Suchergebnisse').get_by_role('link').first
    name = first.inner_text()
    _tab_to(page, first, limit=200)
    page.keyboard.press('Enter')
    expect(page.get_by_role('heading', name=name, level=1)).to_be_visible()


def test_keyboard_reply_to_a_thread(network, keyboard_page):
    page = keyboard_page
    _keyboard_sign_in(page, network)
    page.goto(f'{network.base}/threads/{network.ids["thread"]}')
    _settle(page)
    _tab_to(page, page.get_by_role('button', name='Antwort schreiben'))
    page.keyboard.press('Enter')
    box = page.get_by_label('Ihre Antwort')
    expect(box).to_be_focused()
    _focus_visible(page)
    page.keyboard.type('Bei uns prüft das Team Barrierefreiheit jedes Formular mit NVDA.')
    _tab_to(page, page.get_by_role('button', name='Antwort senden'))
    page.keyboard.press('Enter')
    expect(page.get_by_role('article', name='Beitrag 3')).to_contain_text('jedes Formular mit NVDA')


def test_keyboard_accept_an_event(network, keyboard_page, axe_source):
    page = keyboard_page
    _keyboard_sign_in(page, network)
    page.goto(f'{network.base}/events/{network.ids["event"]}')
    _settle(page)
    _tab_to(page, page.get_by_role('button', name='Zusage', exact=True))
    page.keyboard.press('Space')
    expect(page.get_by_text('Sie haben zugesagt (vor Ort).')).to_be_visible()
    _focus_visible(page)  # the focus stays on the page (not lost to <body>) after the answer redraws
    _settle(page)
    violations = axe.run(page, axe_source)  # the page after answering, with the attendee list
    assert not violations, axe.describe(violations)
