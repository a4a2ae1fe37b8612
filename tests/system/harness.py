"""The app as a real process with members writing through Chromium, and what counts as acknowledged.

A write is acknowledged when its author saw the result on the page: the reply in the thread after pressing send, or
the status line of the event saying the new answer. Both appear only after the service committed, so every
acknowledged write must be in the database file, whatever happens to the process afterwards.
"""

import asyncio
import itertools
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect
from playwright.async_api import Error as PlaywrightError

from models.user import Role
from services import accounts, boards, db, events
from services import settings as site_settings
from services.local_time import today
from tests.browser.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DATABASE = 'verwaltungsnetz.db'
POSTS_PER_PAGE = 50
BUTTONS = {'yes': 'Zusage', 'maybe': 'Vielleicht', 'no': 'Absage'}
STATUS = {'yes': 'Sie haben zugesagt (vor Ort).', 'maybe': 'Sie haben mit „Vielleicht“ geantwortet.',
          'no': 'Sie haben abgesagt.'}
CYCLE = ('yes', 'maybe', 'no')  # three answers: a pending click and the last acknowledged one never look alike


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class App:
    """`python main.py` on one data folder and one port, started and stopped (or killed) as often as wanted."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(('VN_', 'NICEGUI_', 'PYTEST'))}
        env.update(VN_DATA_DIR=str(self.data_dir), VN_PORT=str(self.port))
        return env

    def start(self, timeout: float = 40) -> float:
        """Start and wait for /healthz; returns the seconds it took."""
        assert self.process is None
        began = time.monotonic()
        with self.log_path.open('a') as log:
            log.write(f'\n===== start {self.starts + 1}\n')
            log.flush()
            self.process = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=self.env(), stdout=log,
                                            stderr=subprocess.STDOUT)
        self.starts += 1
        while time.monotonic() - began < timeout:
            try:
                if httpx.get(f'{self.base}/healthz', timeout=1).status_code == 200:
                    return time.monotonic() - began
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError('the app stopped while starting:\n' + self.log_tail())
            time.sleep(0.05)
        self.kill()
        raise RuntimeError('the app did not answer /healthz:\n' + self.log_tail())

    def kill(self) -> None:
        """SIGKILL to the server process itself: it dies wherever it is, no shutdown handler runs, nothing is
        flushed. (What the process handed to the operating system survives; a power cut would be another test.)"""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors='replace')[-chars:] if self.log_path.exists() else ''


@dataclass
class Writer:
    """One member and everything they saw acknowledged; `round_*` is what the current round adds."""

    name: str
    email: str
    user_id: int
    thread_id: int
    event_id: int
    last_number: int = 1  # the thread's last post number in the database when the round began
    last_body: str | None = None  # the newest reply in the database when the round began
    answer: str | None = None  # the member's answer in the database when the round began
    audit_after: int = 0  # audit entries up to this id existed when the round began
    round_posts: list[str] = field(default_factory=list)
    pending_post: str | None = None  # sent, not (yet) seen on the page
    round_answers: list[str] = field(default_factory=list)
    pending_answer: str | None = None
    seq: itertools.count = field(default_factory=itertools.count)

    def new_round(self) -> None:
        self.round_posts, self.pending_post, self.round_answers, self.pending_answer = [], None, [], None


def prepare_network(database: Path, names: list[str]) -> list[Writer]:
    """What an administrator sets up before: Ada (admin), the members, and for each member a thread and an event
    (organised by Ada) of their own, so that nobody else's write can change what a member sees."""
    engine = db.make_engine(f'sqlite:///{database}')
    db.use_engine(engine)
    try:
        ada, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)
        # The members write far faster than people do: the posting limit against abuse would stop them.
        db.call(site_settings.set_setting, actor=ada, key='posts_per_10_minutes', value=10_000)
        board = db.call(boards.create_board, actor=ada, name='Absturztest', description='Antworten unter Last')
        day = today() + timedelta(days=30)
        writers = []
        for name in names:
            email = f'{name.split()[0].lower()}@luenen.de'
            member, _ = db.call(accounts.create_admin, email=email, name=name, password=PASSWORD)
            db.call(accounts.set_role, actor=ada, user_id=member.id, role=Role.MEMBER)
            thread_id = db.call(boards.create_thread, actor=ada, board_id=board.id, title=f'Fragen an {name}',
                                body='Bitte hier antworten.')
            event_id = db.call(events.create_event, actor=ada, data=events.EventInput(
                title=f'Treffen mit {name}', starts=datetime.combine(day, clock(10)),
                ends=datetime.combine(day, clock(12)), location='Lünen, Rathaus'))
            writers.append(Writer(name, email, member.id, thread_id, event_id))
        return writers
    finally:
        engine.dispose()


async def sign_in(context: BrowserContext, base: str, email: str) -> None:
    page = await context.new_page()
    await page.goto(f'{base}/login')
    await page.get_by_label('E-Mail').fill(email)
    await page.get_by_label('Passwort', exact=True).fill(PASSWORD)
    await page.get_by_role('button', name='Anmelden').click()
    await expect(page.get_by_text('Willkommen', exact=False).first).to_be_visible()
    await page.close()


async def open_ready(page: Page, url: str) -> None:
    """Load a page and wait for its websocket: a click before the handshake would go nowhere."""
    await page.goto(url)
    if '/login' in page.url:
        raise AssertionError(f'{url} sent the member to the sign-in page: the session did not survive')
    await page.wait_for_function('window.did_handshake === true')


class Members:
    """Two clients of the app per member, a thread page and an event page, signed in once: their cookie outlives
    restarts. Each page has a browser context (a window) of its own, as a tab in the background would have its
    animation frames throttled, and Playwright waits for those before every click."""

    def __init__(self, browser: Browser, writers: list[Writer]) -> None:
        self.browser = browser
        self.writers = writers
        self.tabs: list[tuple[Writer, Page, Page]] = []

    async def sign_in(self, base: str) -> None:
        for writer in self.writers:
            context = await self.browser.new_context()
            await sign_in(context, base, writer.email)
            twin = await self.browser.new_context(storage_state=await context.storage_state())
            self.tabs.append((writer, await context.new_page(), await twin.new_page()))

    async def open(self, base: str) -> None:
        loads = []
        for writer, thread_tab, event_tab in self.tabs:
            page_no = (writer.last_number - 1) // POSTS_PER_PAGE + 1
            loads.append(open_ready(thread_tab, f'{base}/threads/{writer.thread_id}?page={page_no}'))
            loads.append(open_ready(event_tab, f'{base}/events/{writer.event_id}'))
        await asyncio.gather(*loads)

    def start_writing(self, round_no: int) -> list[asyncio.Task]:
        tasks = []
        for writer, thread_tab, event_tab in self.tabs:
            writer.new_round()
            tasks.append(asyncio.create_task(reply_loop(thread_tab, writer, round_no)))
            tasks.append(asyncio.create_task(answer_loop(event_tab, writer)))
        return tasks

    async def park(self) -> None:
        """Leave the dead app's pages, so that their reconnect attempts do not race the next round's page loads."""
        await asyncio.gather(*(_leave(tab) for _, *tabs in self.tabs for tab in tabs))


async def _leave(tab: Page) -> None:
    """Go to about:blank. A page that navigates itself at that moment (NiceGUI reloads a page whose server went away;
    a reply that starts a new page sends its writer there) aborts the goto: try again (a CI run failed so)."""
    for attempt in range(5):
        try:
            await tab.goto('about:blank')
            return
        except PlaywrightError as e:
            if 'ERR_ABORTED' not in str(e) or attempt == 4:
                raise
            await asyncio.sleep(0.2)


async def reply_loop(page: Page, writer: Writer, round_no: int) -> None:
    box = page.get_by_label('Ihre Antwort')
    while True:
        if not await box.is_visible():  # the composer opens on demand, and closes when a reply starts a new page
            await page.wait_for_function('window.did_handshake === true')
            await page.get_by_role('button', name='Antwort schreiben').click()
        marker = f'Absturztest {writer.name}, Runde {round_no}, Antwort {next(writer.seq)}.'  # the dot: 1 is not 10
        await box.fill(marker)
        writer.pending_post = marker  # from the click on, the reply may be stored without its author knowing
        await page.get_by_role('button', name='Antwort senden').click()
        await expect(page.get_by_role('article').filter(has_text=marker)).to_be_visible(timeout=30_000)
        writer.round_posts.append(marker)
        writer.pending_post = None


async def answer_loop(page: Page, writer: Writer) -> None:
    answer = writer.answer
    while True:
        answer = CYCLE[(CYCLE.index(answer) + 1) % len(CYCLE)] if answer else CYCLE[0]
        writer.pending_answer = answer
        await page.get_by_role('button', name=BUTTONS[answer], exact=True).click()
        await expect(page.get_by_text(STATUS[answer], exact=True)).to_be_visible(timeout=30_000)
        writer.round_answers.append(answer)
        writer.pending_answer = None


async def wait_for(condition: Callable[[], bool], tasks: list[asyncio.Task], what: str, timeout: float = 60) -> None:
    """Let the writers write until the condition holds; a writer that stopped on an error ends the wait with it."""
    deadline = time.monotonic() + timeout
    while not condition():
        if any(t.done() for t in tasks):
            await stop_writing(tasks)
        assert time.monotonic() < deadline, f'{what}: not within {timeout:.0f} s'
        await asyncio.sleep(0.02)


async def stop_writing(tasks: list[asyncio.Task]) -> None:
    """Cancel the writers; one that ended on its own failed for a reason other than the kill."""
    failed = [t for t in tasks if t.done() and not t.cancelled() and t.exception() is not None]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if failed:
        raise failed[0].exception()  # type: ignore[misc]


def _holds(stored: list[str], sent: list[str], pending: str | None, required: int) -> bool:
    """Stored is what was sent, in order, cut off somewhere at or after the first `required` writes: every
    acknowledged write is there, nothing unsent, nothing twice, nothing out of order. The one write in flight when
    the app died may be there or not."""
    sent = [*sent, pending] if pending is not None else sent
    return len(stored) >= required and stored == sent[:len(stored)]


def check_database(database: Path, writers: list[Writer], required: dict[str, tuple[int, int]] | None = None) -> int:
    """Open the file as the next start would, check it, and move every writer's baseline on.

    `required` (posts, answers) per writer: how many of the round's acknowledged writes must be there; by default
    all of them (a backup taken while writing went on needs only those acknowledged before it began). Returns the
    acknowledged writes verified."""
    verified = 0
    con = sqlite3.connect(database)
    try:
        result = con.execute('PRAGMA integrity_check').fetchall()
        assert result == [('ok',)], f'integrity_check: {result}'
        for w in writers:
            posts, answers = (required or {}).get(w.name, (len(w.round_posts), len(w.round_answers)))
            bodies = [b for (b,) in con.execute('SELECT body FROM post WHERE thread_id = ? AND number > ? '
                                                'ORDER BY number', (w.thread_id, w.last_number))]
            stored = [json.loads(d)['answer'] for (d,) in con.execute(
                "SELECT details FROM audit_entry WHERE action = 'event.rsvp' AND actor_id = ? AND target_id = ? "
                'AND id > ? ORDER BY id', (w.user_id, str(w.event_id), w.audit_after))]
            assert _holds(bodies, w.round_posts, w.pending_post, posts), \
                f'{w.name}: {posts} of the replies {w.round_posts} acknowledged (in flight: {w.pending_post}), ' \
                f'stored {bodies}'
            assert _holds(stored, w.round_answers, w.pending_answer, answers), \
                f'{w.name}: {answers} of the answers {w.round_answers} acknowledged (in flight: ' \
                f'{w.pending_answer}), stored {stored}'
            row = con.execute('SELECT answer FROM rsvp WHERE event_id = ? AND user_id = ?',
                              (w.event_id, w.user_id)).fetchone()
            assert (row[0] if row else None) == (stored[-1] if stored else w.answer), f'{w.name}: rsvp row {row}'
            verified += posts + answers
            w.answer = row[0] if row else None
            w.last_number += len(bodies)
            w.last_body = bodies[-1] if bodies else w.last_body
        _check_counters(con, writers)
        audit_now = con.execute('SELECT coalesce(max(id), 0) FROM audit_entry').fetchone()[0]
        for w in writers:
            w.audit_after = audit_now
    finally:
        con.close()
    return verified


def _check_counters(con: sqlite3.Connection, writers: list[Writer]) -> None:
    """The counters a write updates next to its row: a torn transaction would leave them out of step."""
    for w in writers:
        post_count, reply_count, highest, replies = con.execute(
            'SELECT t.post_count, t.reply_count, max(p.number), sum(p.number > 1 AND NOT p.deleted) '
            'FROM thread t JOIN post p ON p.thread_id = t.id WHERE t.id = ?', (w.thread_id,)).fetchone()
        assert (post_count, reply_count) == (highest, replies), f'{w.name}: thread counters {post_count, reply_count}' \
                                                                 f' for {highest} posts, {replies} replies'
        taken, maybe, yes_rows, maybe_rows = con.execute(
            'SELECT e.onsite_taken, e.maybe_count, '
            "(SELECT count(*) FROM rsvp WHERE event_id = e.id AND answer = 'yes'), "
            "(SELECT count(*) FROM rsvp WHERE event_id = e.id AND answer = 'maybe') FROM event e WHERE e.id = ?",
            (w.event_id,)).fetchone()
        assert (taken, maybe) == (yes_rows, maybe_rows), f'{w.name}: event counters {taken, maybe} for ' \
                                                         f'{yes_rows} yes, {maybe_rows} maybe'
