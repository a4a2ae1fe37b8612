"""Foundation figures: start-up time, server time of /login and the signed-in start page, password hashing cost,
and whether 20 concurrent sign-ins stall other users' pages.

    .venv/bin/python benchmarks/bench_foundation.py            # needs Debian's chromium for the sign-ins

Prints figures; asserts nothing (the suite has the tests).
"""

import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bench_anonymous_pages import prepare
from running import PASSWORD, launch_chromium, server_times, sign_in_cookies, start_server, stop


def loop_lag_during_sign_ins(n: int = 20) -> None:
    """In-process: n sign-ins through run.io_bound, as the sign-in page calls them, while a ticker measures how late
    the event loop answers (what every other browser would feel)."""
    import asyncio

    from nicegui import run

    from services import accounts, db

    with tempfile.TemporaryDirectory() as tmp:
        url = f'sqlite:///{tmp}/lag.db'
        db.configure(url)
        db.upgrade(url)
        db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)

        async def scenario() -> tuple[float, float, float]:
            lags: list[float] = []
            done = asyncio.Event()

            async def ticker() -> None:
                while not done.is_set():
                    t0 = time.perf_counter()
                    await asyncio.sleep(0.005)
                    lags.append((time.perf_counter() - t0 - 0.005) * 1000)

            tick = asyncio.create_task(ticker())
            t0 = time.perf_counter()
            await asyncio.gather(*(run.io_bound(db.call, accounts.sign_in, email='ada@essen.de', password=PASSWORD)
                                   for _ in range(n)))
            total = time.perf_counter() - t0
            done.set()
            await tick
            return total, statistics.median(lags), max(lags)

        total, median_lag, max_lag = asyncio.run(scenario())
        print(f'   in-process: {n} sign-ins done after {total:.2f} s; event-loop lag median {median_lag:.1f} ms, '
              f'max {max_lag:.1f} ms')


def main() -> None:
    from services import passwords

    print('== Password hashing (Argon2id via passlib)')
    print(f'   parameters: {passwords.ARGON2_PARAMS}')
    h = passwords.hash_password(PASSWORD)
    t0 = time.perf_counter()
    for _ in range(10):
        passwords.verify(PASSWORD, h)
    print(f'   {(time.perf_counter() - t0) / 10 * 1000:.0f} ms per hash check')

    print('== 20 concurrent sign-ins: is the event loop free meanwhile?')
    loop_lag_during_sign_ins()

    print('== Start-up to /healthz 200 on an empty data folder (3 runs)')
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            proc, _base, seconds = start_server(Path(tmp) / 'data')
            stop(proc)
            print(f'   {seconds:.2f} s')

    tmp = Path(tempfile.mkdtemp())
    # 300 sequential /login requests from one address are more than the anonymous page throttle allows (60 a minute
    # by default, #8): the benchmark measures the page, so it raises the limit.
    prepare(tmp / 'data', anonymous_pages_per_minute=10_000)
    proc, base, _ = start_server(tmp / 'data')
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch_chromium(p)
            cookies, _ = sign_in_cookies(browser, base, 'ada@essen.de')

            print('== 300 sequential requests each: server time (Server-Timing) median / p95, and round trip median')
            with httpx.Client() as anon:
                anon.get(f'{base}/login')
                med, p95, rtt = server_times(anon, [f'{base}/login'] * 300)
                print(f'   GET /login:                 {med:.1f} ms / {p95:.1f} ms   (round trip {rtt:.1f} ms)')
            with httpx.Client(cookies=cookies) as signed:
                med, p95, rtt = server_times(signed, [f'{base}/'] * 300)
                print(f'   GET / (signed in, admin):   {med:.1f} ms / {p95:.1f} ms   (round trip {rtt:.1f} ms)')

            print('== 20 concurrent sign-ins in 20 Chromium tabs while another user loads /login '
                  '(Chromium shares the 2 cores)')
            # The 600 pages above never connected (httpx speaks no Socket.IO): until NiceGUI prunes them, the
            # throttle refuses new anonymous pages (#8, MAX_WAITING_PAGES). Wait for that, as a browser would.
            waited = time.perf_counter()
            while httpx.get(f'{base}/login').status_code == 429 and time.perf_counter() - waited < 60:
                time.sleep(1)
            print(f'   (waited {time.perf_counter() - waited:.0f} s for the unconnected pages to be pruned)')
            pages = []
            for _ in range(20):
                ctx = browser.new_context()
                pg = ctx.new_page()
                pg.goto(f'{base}/login')
                pg.get_by_label('E-Mail-Adresse').fill('ada@essen.de')
                pg.get_by_label('Passwort', exact=True).fill(PASSWORD)
                pages.append(pg)
            lat: list[float] = []
            stop_flag = threading.Event()

            def probe() -> None:
                with httpx.Client() as c:
                    while not stop_flag.is_set():
                        t0 = time.perf_counter()
                        c.get(f'{base}/login')
                        lat.append((time.perf_counter() - t0) * 1000)

            thread = threading.Thread(target=probe)
            thread.start()
            t0 = time.perf_counter()
            for pg in pages:
                pg.get_by_role('button', name='Anmelden').click(no_wait_after=True)
            for pg in pages:
                pg.get_by_text('Willkommen').wait_for(timeout=60_000)
            all_done = time.perf_counter() - t0
            stop_flag.set()
            thread.join()
            print(f'   all 20 signed in after {all_done:.2f} s')
            print(f'   other user\'s GET /login meanwhile: {len(lat)} requests, '
                  f'median {statistics.median(lat):.1f} ms, '
                  f'max {max(lat):.1f} ms')
            browser.close()
    finally:
        stop(proc)
        if os.environ.get('BENCH_KEEP'):
            print(f'   kept {tmp} (server.log inside)')
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
