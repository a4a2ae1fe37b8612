"""How fast one notice reaches the bell of every open page: 1,000 connected pages, an administrator's reply.

    .venv/bin/python benchmarks/bench_notification_fanout.py        # needs Debian's chromium

Starts `python main.py` on a fresh data folder with BENCH_MEMBERS members who all watch one thread, signs each of
them in once (Chromium, the real form) and opens BENCH_TABS simulated tabs per member on the start page (see
live_clients.py: real page loads and Socket.IO connections, no rendering), BENCH_MEMBERS x BENCH_TABS pages in all.
Then an administrator in a real Chromium writes a reply in that thread, BENCH_ROUNDS times: the server makes one
notice per member (posts.reply → notifications.notify, one preference query), publishes 'notifications.new', and the
one bell subscriber of the process updates every open page of those members. Prints the time from the click on
"Antwort senden" until the new count ("Benachrichtigungen: n ungelesen") had reached each page (median, p95, max
per round). Asserts nothing.

Each member's tabs are opened right after their sign-in: cookies of a sign-in whose browser had no page open for
a few minutes were refused (303 to /login) in a first run that signed all members in before opening any tab.
Signing in costs about two seconds per member (a password hash and a page load), so the default is 100 members with
10 tabs each: the fan-out still goes to 1,000 pages, and the database still writes 100 notices per reply.

Environment: BENCH_MEMBERS (default 100), BENCH_TABS (default 10), BENCH_ROUNDS (default 5), BENCH_KEEP=1.
"""

import asyncio
import concurrent.futures
import os
import tempfile
import time
from pathlib import Path

from running import PASSWORD, clean_up, launch_chromium, percentiles, sign_in_cookies, start_server, stop

MEMBERS = int(os.environ.get('BENCH_MEMBERS', '100'))
TABS = int(os.environ.get('BENCH_TABS', '10'))
ROUNDS = int(os.environ.get('BENCH_ROUNDS', '5'))


class AdminBrowser:
    """Playwright's sync API cannot run inside asyncio: the administrator's browser lives in a worker thread."""

    def __init__(self, base: str, cookies: dict[str, str], thread_id: int) -> None:
        self.base = base
        self.cookies = cookies
        self.thread_id = thread_id
        self.pool = concurrent.futures.ThreadPoolExecutor(1)

    def __enter__(self) -> 'AdminBrowser':
        self.pool.submit(self._start).result()
        return self

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = launch_chromium(self.pw)
        context = self.browser.new_context()
        context.add_cookies([{'name': k, 'value': v, 'url': self.base} for k, v in self.cookies.items()])
        self.page = context.new_page()
        self.page.goto(f'{self.base}/threads/{self.thread_id}')
        self.page.get_by_role('button', name='Antwort schreiben').click()
        self.page.get_by_label('Ihre Antwort').wait_for()

    def _reply(self, text: str) -> float:
        self.page.get_by_label('Ihre Antwort').fill(text)
        button = self.page.get_by_role('button', name='Antwort senden')
        clicked = time.perf_counter()
        button.click()
        self.page.get_by_text(text).first.wait_for()  # the composer stays open for the next round
        return clicked

    async def reply(self, text: str) -> float:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._reply, text)

    def __exit__(self, *exc: object) -> None:
        self.pool.submit(lambda: (self.browser.close(), self.pw.stop())).result()
        self.pool.shutdown()


def measure(base: str, emails: list[str], thread_id: int) -> list[list[float]]:
    """Sign each member in and open their tabs at once (a member's server-side storage stays in use while a tab of
    theirs is connected), then reply BENCH_ROUNDS times and time the bells."""
    from live_clients import open_clients
    from playwright.sync_api import sync_playwright

    pool = concurrent.futures.ThreadPoolExecutor(1)  # Playwright's sync API, outside the event loop
    state: dict = {}

    def start() -> None:
        state['pw'] = sync_playwright().start()
        state['browser'] = launch_chromium(state['pw'])

    def sign_in(email: str) -> dict[str, str]:
        return sign_in_cookies(state['browser'], base, email)[0]

    def finish() -> None:
        state['browser'].close()
        state['pw'].stop()

    async def scenario() -> list[list[float]]:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(pool, start)
        started = time.perf_counter()
        clients = []
        try:
            for i, email in enumerate(emails):
                cookies = await loop.run_in_executor(pool, sign_in, email)
                try:
                    clients += await open_clients(base, '/', cookies, TABS)
                except RuntimeError as e:
                    raise RuntimeError(f'member {i}: {e}') from e
            admin_cookies = await loop.run_in_executor(pool, sign_in, 'ada@essen.de')  # last: used right away
            await loop.run_in_executor(pool, finish)
            print(f'   {len(emails) + 1} sign-ins and {len(clients)} pages open and connected in '
                  f'{time.perf_counter() - started:.1f} s')
            rounds = []
            with AdminBrowser(base, admin_cookies, thread_id) as admin:
                for round_no in range(1, ROUNDS + 1):
                    label = f'Benachrichtigungen: {round_no} ungelesen'
                    waits = [asyncio.ensure_future(c.wait_for_text(label, timeout=60)) for c in clients]
                    clicked = await admin.reply(f'Antwort Nummer {round_no} an alle')
                    arrived = await asyncio.gather(*waits)
                    rounds.append([(t - clicked) * 1000 for t in arrived])
                    await asyncio.sleep(1.0)
            return rounds
        finally:
            await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
            pool.shutdown()

    return asyncio.run(scenario())


def prepare(url: str) -> tuple[list[str], int]:
    """The administrator, the members, and a thread all of them watch; returns (member addresses, thread id)."""
    from models.board import WatchLevel
    from services import accounts, boards, db, reading

    db.configure(url)
    db.upgrade(url)
    admin, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)
    admin = db.call(accounts.get_user, admin.id)
    emails = []
    started = time.perf_counter()
    board_id = db.call(boards.create_board, actor=admin, name='Allgemeines').id
    thread_id = db.call(boards.create_thread, actor=admin, board_id=board_id, title='Eine Frage an alle',
                        body='Wer beobachtet dieses Thema?')
    for i in range(MEMBERS):
        email = f'mitglied{i:04d}@essen.de'
        member, _ = db.call(accounts.create_admin, email=email, name=f'Mitglied {i:04d}', password=PASSWORD)
        db.call(accounts.set_role, actor=admin, user_id=member.id, role='member')
        db.call(reading.set_thread_watch, actor=db.call(accounts.get_user, member.id), thread_id=thread_id,
                level=WatchLevel.WATCHING)
        emails.append(email)
    print(f'   {MEMBERS} members watching thread {thread_id} made in {time.perf_counter() - started:.1f} s')
    db.get_engine().dispose()
    return emails, thread_id


def main() -> None:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-notices-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    url = f'sqlite:///{data_dir / "verwaltungsnetz.db"}'
    try:
        emails, thread_id = prepare(url)
        proc, base, startup = start_server(data_dir)
        try:
            print(f'== Notification fan-out: {MEMBERS} members x {TABS} tabs = {MEMBERS * TABS} connected start '
                  f'pages, a reply in a thread they all watch (server started in {startup:.1f} s)')
            rounds = measure(base, emails, thread_id)
        finally:
            stop(proc)
        maxima = []
        for i, values in enumerate(rounds):
            med, p95 = percentiles(values)
            maxima.append(max(values))
            print(f'   round {i + 1}: new count on the bell of all {len(values)} pages after max {max(values):.0f} ms '
                  f'(median {med:.0f}, p95 {p95:.0f}; from the click, incl. the browser\'s round trip)')
        med_max, _ = percentiles(maxima)
        print(f'   over {len(rounds)} rounds: median of the per-round maximum {med_max:.0f} ms, '
              f'worst {max(maxima):.0f} ms (target: under 1,000 ms)')
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
