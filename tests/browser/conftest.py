"""Real-browser journeys: `python main.py` on a temporary data folder, driven by Playwright in Debian's Chromium."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests import secret_scan

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
# Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed intranet refuses.
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The app on a free port; a test may give more environment variables with indirect parametrisation."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(('VN_', 'NICEGUI_', 'PYTEST'))}
    env.update(VN_DATA_DIR=str(tmp_path / 'data'), VN_PORT=str(port))
    env.update(getattr(request, 'param', None) or {})
    env = secret_scan.server_env(tmp_path, env)  # the server records its secrets; its log is scanned at the end
    secret_scan.watch_server_log(tmp_path / 'server.log', env)
    log = (tmp_path / 'server.log').open('w')
    process = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f'{base}/healthz', timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise RuntimeError((tmp_path / 'server.log').read_text())
            time.sleep(0.1)
        else:
            raise RuntimeError('server did not start: ' + (tmp_path / 'server.log').read_text())
        yield base
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """End an app server started for a test: politely, then for sure."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, with room for assertions on a busy machine."""
    from playwright.sync_api import sync_playwright

    # CI machines have two cores shared with the server and Chromium: give assertions room before they fail.
    expect.set_options(timeout=15_000)
    if not Path(CHROMIUM).exists():
        pytest.fail(f'Chromium not found at {CHROMIUM}: install Debian\'s package "chromium" (see README)')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope='module')
def chromium() -> Iterator[Any]:
    """One browser for a module whose tests share one running app."""
    with launched_chromium() as launched:
        yield launched


PASSWORD = 'Rathaus-Fenster-2026'


def set_up_first_admin(page, server: str, *, go_to_setup: bool = True) -> None:  # noqa: ANN001
    """Fill in /setup as the first administrator (Ada) and wait for the administration page."""
    from playwright.sync_api import expect

    if go_to_setup:
        page.goto(f'{server}/setup')
    page.get_by_label('Name').fill('Ada Admin')
    page.get_by_label('E-Mail-Adresse').fill('ada@essen.de')
    page.get_by_label('Passwort (mindestens 10 Zeichen)').fill(PASSWORD)
    page.get_by_role('button', name='Administration anlegen').click()
    expect(page.get_by_role('heading', name='Verwaltung', level=1)).to_be_visible()


def sign_in(page, server: str, email: str) -> None:  # noqa: ANN001
    """Sign in through the form and wait for the start page."""
    page.goto(f'{server}/login')
    page.get_by_label('E-Mail').fill(email)
    page.get_by_label('Passwort', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='Anmelden').click()
    expect(page.get_by_text(re.compile('Willkommen'))).to_be_visible()
