"""Slow password work queues on its own pool; page loads keep getting threads meanwhile."""

import asyncio
import importlib
import time

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
