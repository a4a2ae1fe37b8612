"""How fast a settings change reaches every open page: 200 connected pages, the site name changed on /admin.

    .venv/bin/python benchmarks/bench_settings_fanout.py        # needs Debian's chromium

Starts `python main.py` on a fresh data folder, opens BENCH_CLIENTS simulated tabs on the start page (see
live_clients.py: real page loads and Socket.IO connections, no rendering), then an administrator in a real Chromium
saves a new site name on /admin, BENCH_ROUNDS times. Prints the time from the click on "Speichern" until the new name
had reached each page (median, p95, max per round). Asserts nothing.

Environment: BENCH_CLIENTS (default 200), BENCH_ROUNDS (default 5), BENCH_KEEP=1 (keep the data folder).
"""

import asyncio
import concurrent.futures
import os
import random
import tempfile
import time
from pathlib import Path

from running import PASSWORD, clean_up, launch_chromium, percentiles, sign_in_cookies, start_server, stop

CLIENTS = int(os.environ.get('BENCH_CLIENTS', '200'))
ROUNDS = int(os.environ.get('BENCH_ROUNDS', '5'))


class AdminBrowser:
    """Playwright's sync API cannot run inside asyncio: the administrator's browser lives in a worker thread."""

    def __init__(self, base: str, cookies: dict[str, str]) -> None:
        self.base = base
        self.cookies = cookies
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
        self.page.goto(f'{self.base}/admin')
        self.page.locator('#group-network').get_by_label('Name des Netzwerks').wait_for()

    def _save_name(self, name: str) -> float:
        group = self.page.locator('#group-network')
        group.get_by_label('Name des Netzwerks').fill(name)
        button = group.get_by_role('button', name='Speichern')
        clicked = time.perf_counter()
        button.click()
        return clicked

    async def save_name(self, name: str) -> float:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._save_name, name)

    def __exit__(self, *exc: object) -> None:
        self.pool.submit(lambda: (self.browser.close(), self.pw.stop())).result()
        self.pool.shutdown()


def measure(base: str, admin_cookies: dict[str, str], member_cookies: dict[str, str]) -> list[list[float]]:
    from live_clients import open_clients

    async def scenario() -> list[list[float]]:
        started = time.perf_counter()
        clients = await open_clients(base, '/', member_cookies, CLIENTS)
        print(f'   {CLIENTS} pages open and connected in {time.perf_counter() - started:.1f} s')
        try:
            rounds = []
            with AdminBrowser(base, admin_cookies) as admin:
                for round_no in range(ROUNDS):
                    name = f'Netz {round_no}-{random.randint(10**6, 10**7)}'
                    waits = [asyncio.ensure_future(c.wait_for_text(name, timeout=30)) for c in clients]
                    clicked = await admin.save_name(name)
                    arrived = await asyncio.gather(*waits)
                    rounds.append([(t - clicked) * 1000 for t in arrived])
                    await asyncio.sleep(0.5)
            return rounds
        finally:
            await asyncio.gather(*(c.close() for c in clients))

    return asyncio.run(scenario())


def main() -> None:
    from playwright.sync_api import sync_playwright

    from services import accounts, db

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-settings-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    url = f'sqlite:///{data_dir / "verwaltungsnetz.db"}'
    try:
        db.configure(url)
        db.upgrade(url)
        admin, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)
        member, _ = db.call(accounts.create_admin, email='mia@luenen.de', name='Mia Müller', password=PASSWORD)
        db.call(accounts.set_role, actor=db.call(accounts.get_user, admin.id), user_id=member.id, role='member')
        db.get_engine().dispose()
        proc, base, startup = start_server(data_dir)
        try:
            print(f'== Settings fan-out: {CLIENTS} connected start pages, site name saved on /admin in Chromium '
                  f'(server started in {startup:.1f} s)')
            with sync_playwright() as p:
                browser = launch_chromium(p)
                admin_cookies, _ = sign_in_cookies(browser, base, 'ada@essen.de')
                member_cookies, _ = sign_in_cookies(browser, base, 'mia@luenen.de')
                browser.close()
            rounds = measure(base, admin_cookies, member_cookies)
        finally:
            stop(proc)
        maxima = []
        for i, values in enumerate(rounds):
            med, p95 = percentiles(values)
            maxima.append(max(values))
            print(f'   round {i + 1}: new name in all {len(values)} pages after max {max(values):.0f} ms '
                  f'(median {med:.0f}, p95 {p95:.0f}; from the click, incl. the browser\'s round trip)')
        med_max, _ = percentiles(maxima)
        print(f'   over {len(rounds)} rounds: median of the per-round maximum {med_max:.0f} ms, '
              f'worst {max(maxima):.0f} ms')
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
