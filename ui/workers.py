"""Worker threads for slow work, so the event loop stays free for every other browser.

Password hashing gets its own small pool, one thread per hashing slot (see services.passwords): twenty people
signing in at once then queue there, instead of filling NiceGUI's shared pool that page loads need as well.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from nicegui import run

from services import db, passwords

T = TypeVar('T')

_hashing = ThreadPoolExecutor(max_workers=passwords.HASH_SLOTS, thread_name_prefix='vn-hash')


class PageGone(asyncio.CancelledError):
    """The page was abandoned (its response timed out or the server stops) while work ran in a thread.

    A cancellation, not an error: NiceGUI drops the page quietly, as it does for any cancelled page task.
    """


async def in_thread(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run fn in NiceGUI's worker pool; raise PageGone when NiceGUI gave up on the page meanwhile."""
    result = await run.io_bound(fn, *args, **kwargs)
    if result is None:
        raise PageGone()
    return result


async def with_password(service: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a service that hashes or checks a password, in its own session, on the hashing pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_hashing, partial(db.call, service, **kwargs))
