"""Nothing acknowledged is lost: members reply and answer invitations in Chromium while the app is killed with
SIGKILL at a random moment, twenty times; after each kill the database file holds every write a member saw
acknowledged (and nothing else but the one in flight), and the app starts again on it."""

import asyncio
import os
import random
import time
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.system.harness import (
    STATUS,
    App,
    Members,
    check_database,
    prepare_network,
    stop_writing,
    wait_for,
)

ROUNDS = 20
# Three members, each with a thread page and an event page open: six clients writing at once, which two cores
# shared by the app and Chromium still serve within the time a round has.
MEMBERS = ['Mia Müller', 'Max Schulz', 'Lea Wagner']


def test_every_acknowledged_write_survives_a_sigkill(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f'Chromium not found at {CHROMIUM}: install Debian\'s package "chromium" (see README)')
    seed = int(os.environ.get('VN_CRASH_SEED') or time.time())
    app = App(tmp_path / 'data', tmp_path / 'server.log')
    try:
        figures = asyncio.run(_rounds(app, random.Random(seed)))
    except Exception as e:
        raise AssertionError(f'{e}\n(VN_CRASH_SEED={seed}; end of the server log:)\n{app.log_tail()}') from e
    finally:
        app.stop()
    print(f'\ncrash safety: {figures}, VN_CRASH_SEED={seed}')


async def _rounds(app: App, rng: random.Random) -> str:
    began = time.monotonic()
    app.start()
    writers = prepare_network(app.database, MEMBERS)
    verified, per_round = 0, []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            members = Members(browser, writers)
            await members.sign_in(app.base)
            for round_no in range(1, ROUNDS + 1):
                await members.open(app.base)
                tasks = members.start_writing(round_no)
                kill_at = time.monotonic() + rng.uniform(1, 4)
                # A round in which nothing was acknowledged would check nothing.
                await wait_for(lambda: any(w.round_posts or w.round_answers for w in writers), tasks,
                               'an acknowledged write')
                await asyncio.sleep(kill_at - time.monotonic())
                app.kill()
                await stop_writing(tasks)
                per_round.append(check_database(app.database, writers))
                verified += per_round[-1]
                await asyncio.gather(members.park(), asyncio.to_thread(app.start))
            # The app started on what the last kill left, and each member finds their last reply and answer.
            await members.open(app.base)
            for writer, thread_tab, event_tab in members.tabs:
                if writer.last_body is not None:
                    await expect(thread_tab.get_by_role('article').filter(has_text=writer.last_body)).to_be_visible()
                if writer.answer is not None:
                    await expect(event_tab.get_by_text(STATUS[writer.answer], exact=True)).to_be_visible()
        finally:
            await browser.close()
    return (f'{ROUNDS} kills, {verified} acknowledged writes verified (per round {per_round}), '
            f'{time.monotonic() - began:.0f} s')
