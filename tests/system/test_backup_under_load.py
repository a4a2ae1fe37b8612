"""`python main.py backup FILE` while members keep writing: a fresh app started on the copy holds every write that
was acknowledged before the backup began, and the copy is a consistent snapshot (no holes, nothing half-written)."""

import asyncio
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from services.backup import backup
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.system.harness import (
    DATABASE,
    POSTS_PER_PAGE,
    ROOT,
    App,
    Members,
    Writer,
    check_database,
    open_ready,
    prepare_network,
    sign_in,
    stop_writing,
    wait_for,
)

MEMBERS = ['Mia Müller', 'Max Schulz']


def test_a_restored_backup_holds_every_write_acknowledged_before_it_began(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f'Chromium not found at {CHROMIUM}: install Debian\'s package "chromium" (see README)')
    app = App(tmp_path / 'data', tmp_path / 'server.log')
    restored = App(tmp_path / 'restored', tmp_path / 'restored.log')
    try:
        figures = asyncio.run(_backup_and_restore(app, restored, tmp_path / 'sicherung.db'))
    except Exception as e:
        raise AssertionError(f'{e}\n(end of the server logs:)\n{app.log_tail(2000)}\n{restored.log_tail(2000)}') from e
    finally:
        app.stop()
        restored.stop()
    print(f'\nbackup under load: {figures}')


async def _backup_and_restore(app: App, restored: App, target: Path) -> str:
    app.start()
    writers = prepare_network(app.database, MEMBERS)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            members = Members(browser, writers)
            await members.sign_in(app.base)
            await members.open(app.base)
            tasks = members.start_writing(1)
            await wait_for(lambda: all(w.round_posts and w.round_answers for w in writers), tasks,
                           'a reply and an answer of every member')
            # What the members have seen acknowledged when the command starts is what the copy must hold.
            required = {w.name: (len(w.round_posts), len(w.round_answers)) for w in writers}
            before = sum(map(sum, required.values()))
            began = time.monotonic()
            command = await asyncio.create_subprocess_exec(
                sys.executable, 'main.py', 'backup', str(target), cwd=ROOT, env=app.env(),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            output, _ = await command.communicate()
            took = time.monotonic() - began
            assert command.returncode == 0, output.decode()
            during = _acknowledged(writers) - before
            await asyncio.sleep(0.5)
            await stop_writing(tasks)
            app.stop()
            assert during > 0, 'nothing was acknowledged while the backup ran: it was not taken under load'
            after = _acknowledged(writers)

            # Restore as an operator would: the copy becomes the database of an empty data folder.
            restored.data_dir.mkdir()
            shutil.copyfile(target, restored.data_dir / DATABASE)
            restored.start()
            verified = check_database(restored.database, writers, required)

            # A member signs in to the restored app (its new folder has a new secret, so a new sign-in) and finds
            # the reply they saw acknowledged last before the backup.
            mia = writers[0]
            context = await browser.new_context()
            await sign_in(context, restored.base, mia.email)
            page = await context.new_page()
            last = required[mia.name][0] + 1  # post 1 is the question
            await open_ready(page, f'{restored.base}/threads/{mia.thread_id}?page={(last - 1) // POSTS_PER_PAGE + 1}')
            await expect(page.get_by_role('article').filter(has_text=mia.round_posts[last - 2])).to_be_visible()
        finally:
            await browser.close()
    return (f'{verified} writes acknowledged before the backup found in the restored database '
            f'({during} more acknowledged while the {took:.1f} s command ran, {after} in all)')


def _acknowledged(writers: list[Writer]) -> int:
    return sum(len(w.round_posts) + len(w.round_answers) for w in writers)


def test_a_backup_finishes_while_writes_go_on(tmp_path: Path) -> None:
    """SQLite restarts a backup taken in steps whenever another connection writes in between: on a database of
    many steps with a steady stream of writes, such a backup never ends. One step, under one read transaction,
    copies a consistent snapshot while writers go on (WAL)."""
    source = tmp_path / 'large.db'
    con = sqlite3.connect(source)
    con.execute('PRAGMA journal_mode=WAL')
    con.execute('CREATE TABLE post (id INTEGER PRIMARY KEY, body BLOB)')
    con.executemany('INSERT INTO post (body) VALUES (zeroblob(4000))', [()] * 10_000)  # 40 MB: ten steps of old
    con.commit()
    con.close()
    stop, committed = threading.Event(), [0]

    def write() -> None:
        writer = sqlite3.connect(source, isolation_level=None)
        deadline = time.monotonic() + 20  # the test ends even if the backup waits for the writes to stop
        while not stop.is_set() and time.monotonic() < deadline:
            committed[0] = writer.execute("INSERT INTO post (body) VALUES ('neu')").lastrowid
            time.sleep(0.002)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        time.sleep(0.1)
        before, began = committed[0], time.monotonic()
        backup(f'sqlite:///{source}', tmp_path / 'copy.db')
        took, during = time.monotonic() - began, committed[0] - before
    finally:
        stop.set()
        thread.join()
    assert took < 5, f'the backup took {took:.1f} s'
    assert during > 0, 'no write happened while the backup ran'
    copy = sqlite3.connect(tmp_path / 'copy.db')
    assert copy.execute('SELECT max(id) FROM post').fetchone()[0] >= before
    copy.close()
