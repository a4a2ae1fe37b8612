"""What both benchmarks need: start `python main.py` on a data folder, sign in with Chromium, read Server-Timing."""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = 'Rathaus-Fenster-2026'
# As the browser tests: without the background-networking flags Chromium keeps dialling Google's hosts.
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, *, timeout: float = 60,
                 script: str = 'main.py') -> tuple[subprocess.Popen, str, float]:
    """(process, base URL, seconds until /healthz answered 200); the log goes to server.log beside the data folder."""
    port = free_port()
    env = {**os.environ, 'VN_DATA_DIR': str(data_dir), 'VN_PORT': str(port)}
    base = f'http://127.0.0.1:{port}'
    started = time.perf_counter()
    log = (data_dir.parent / 'server.log').open('w')
    proc = subprocess.Popen([sys.executable, script], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    while True:
        try:
            if httpx.get(f'{base}/healthz', timeout=0.5).status_code == 200:
                return proc, base, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.02)
        if proc.poll() is not None:
            raise RuntimeError(f'server exited with {proc.returncode}; see {data_dir.parent / "server.log"}')
        if time.perf_counter() - started > timeout:
            raise RuntimeError('server did not start')


def clean_up(tmp: Path, data_dir: Path, started: float) -> None:
    """After a benchmark: close the database, remove its folder (unless BENCH_KEEP is set), print the total time."""
    from services import db

    try:
        db.get_engine().dispose()
    except RuntimeError:  # never configured: the benchmark failed before
        pass
    if os.environ.get('BENCH_KEEP'):
        print(f'   kept {data_dir} (BENCH_KEEP)')
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'== Total {time.perf_counter() - started:.0f} s')


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def sign_in_cookies(browser, base: str, email: str, password: str = PASSWORD) -> tuple[dict[str, str], float]:  # noqa: ANN001
    """Sign in through the real form; (the session cookies, seconds from the click to the start page)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f'{base}/login')
    page.get_by_label('E-Mail-Adresse').fill(email)
    page.get_by_label('Passwort', exact=True).fill(password)
    started = time.perf_counter()
    page.get_by_role('button', name='Anmelden').click()
    page.get_by_text('Willkommen').wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    cookies = {c['name']: c['value'] for c in context.cookies()}
    context.close()
    return cookies, seconds


def launch_chromium(playwright):  # noqa: ANN001, ANN201
    return playwright.chromium.launch(executable_path=shutil.which('chromium') or '/usr/bin/chromium',
                                      args=CHROMIUM_ARGS)


def percentiles(values: list[float]) -> tuple[float, float]:
    """(median, p95)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def server_times(client: httpx.Client, urls: list[str]) -> tuple[float, float, float]:
    """GET each URL in turn: (median and p95 of the Server-Timing duration, median round trip), in ms."""
    server, round_trip = [], []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        round_trip.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:  # httpx follows no redirects: a lost session shows as 303 here
            raise RuntimeError(f'{url}: {response.status_code} {response.headers.get("location", "")}')
        server.append(float(response.headers['server-timing'].split('dur=')[1]))
    median, p95 = percentiles(server)
    return median, p95, statistics.median(round_trip)
