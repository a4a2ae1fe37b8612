"""Slow password work queues on its own pool; page loads keep getting threads meanwhile."""

import asyncio
import importlib
import threading
import time

import pytest
from nicegui.testing import User


async def test_page_work_is_not_queued_behind_password_hashing(user: User):
    workers = importlib.import_module('ui.workers')

    def slow_password_service(_session, seconds: float) -> float:
        time.sleep(seconds)  # stands for Argon2 work
        return seconds

    # More hashing jobs than NiceGUI's shared pool has threads (six on two cores).
    hashing = [asyncio.create_task(workers.with_password(slow_password_service, seconds=0.25)) for _ in range(8)]
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    assert await workers.in_thread(lambda: 42) == 42
    assert time.perf_counter() - started < 0.1  # a thread was free at once, not after a hashing job
    assert await asyncio.gather(*hashing) == [0.25] * 8



async def _read_then_draw(client, release: threading.Event) -> str:  # noqa: ANN001
    workers = importlib.import_module('ui.workers')
    with client:
        return await workers.in_thread(lambda: release.wait(5) and 'rows')


async def test_work_for_a_page_closed_meanwhile_ends_quietly_instead_of_drawing_into_it(user: User):
    """A live update reads the database in a thread, then redraws; a page closed meanwhile must not be drawn into
    (NiceGUI warns "Client has been deleted but is still being used")."""
    workers = importlib.import_module('ui.workers')
    await user.open('/login')
    release = threading.Event()
    closed = asyncio.create_task(_read_then_draw(user.client, release))
    await asyncio.sleep(0.05)
    user.client.delete()
    release.set()
    with pytest.raises(workers.PageGone):
        await closed

    await user.open('/login')  # a page that stays open gets its rows
    assert await _read_then_draw(user.client, release) == 'rows'
