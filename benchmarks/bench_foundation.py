"""Foundation figures: start-up time, server time of /login and the signed-in start page, password hashing cost,
and whether 20 concurrent sign-ins stall other users' pages.

    .venv/bin/python benchmarks/bench_foundation.py            # needs Debian's chromium for the sign-ins

Prints figures; asserts nothing (the suite has the tests).
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = 'Rathaus-Fenster-2026'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = {**os.environ, 'VN_DATA_DIR': str(data_dir), 'VN_PORT': str(port)}
    base = f'http://127.0.0.1:{port}'
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f'{base}/healthz', timeout=0.5).status_code == 200:
                return proc, base, time.perf_counter() - t0
        except httpx.HTTPError:
            time.sleep(0.02)
        if time.perf_counter() - t0 > 30:
            raise RuntimeError('server did not start')


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(10)


def median_ms(client: httpx.Client, url: str, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    from services import passwords

    print('== Password hashing (Argon2id via passlib)')
    print(f'   parameters: {passwords.ARGON2_PARAMS}')
    h = passwords.hash_password(PASSWORD)
    t0 = time.perf_counter()
    for _ in range(10):
        passwords.verify(PASSWORD, h)
    print(f'   {(time.perf_counter() - t0) / 10 * 1000:.0f} ms per hash check')

    print('== Start-up to /healthz 200 on an empty data folder (3 runs)')
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            proc, _base, seconds = start_server(Path(tmp) / 'data')
            stop(proc)
            print(f'   {seconds:.2f} s')

    tmp = Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, 'main.py', 'create-admin', '--email', 'ada@essen.de', '--name', 'Ada Admin',
                    '--password-stdin'], input=PASSWORD, text=True, cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, 'VN_DATA_DIR': str(tmp / 'data')})
    proc, base, _ = start_server(tmp / 'data')
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which('chromium') or '/usr/bin/chromium',
                                        args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            page.goto(f'{base}/login')
            page.get_by_label('E-Mail-Adresse').fill('ada@essen.de')
            page.get_by_label('Passwort', exact=True).fill(PASSWORD)
            page.get_by_role('button', name='Anmelden').click()
            page.get_by_text('Willkommen').wait_for()
            cookies = {c['name']: c['value'] for c in context.cookies()}

            print('== Server time, 300 sequential requests each (median / p95)')
            with httpx.Client() as anon:
                anon.get(f'{base}/login')
                med, p95 = median_ms(anon, f'{base}/login', 300)
                print(f'   GET /login:                 {med:.1f} ms / {p95:.1f} ms')
            with httpx.Client(cookies=cookies) as signed:
                med, p95 = median_ms(signed, f'{base}/', 300)
                print(f'   GET / (signed in):          {med:.1f} ms / {p95:.1f} ms')

            print('== 20 concurrent sign-ins while another user loads /login')
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
            print(f'   other user\'s GET /login meanwhile: {len(lat)} requests, median {statistics.median(lat):.1f} ms, '
                  f'max {max(lat):.1f} ms')
            browser.close()
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
