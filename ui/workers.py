"""Worker threads for slow work, so the event loop stays free for every other browser.

Password hashing gets its own small pool, one thread per hashing slot (see services.passwords): twenty people
signing in at once then queue there, instead of filling NiceGUI's shared pool that page loads need as well.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from nicegui import context, run

from services import db, passwords

T = TypeVar('T')

_hashing = ThreadPoolExecutor(max_workers=passwords.HASH_SLOTS, thread_name_prefix='vn-hash')


class PageGone(asyncio.CancelledError):
    """The page was abandoned (its response timed out, it was closed, or the server stops) while work ran in a
    thread.

    A cancellation, not an error: NiceGUI drops the page quietly, as it does for any cancelled page task.
    """


async def in_thread(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run fn in NiceGUI's worker pool; raise PageGone when NiceGUI gave up on the page meanwhile (the caller would
    otherwise go on to draw into a page that is gone)."""
    result = await run.io_bound(fn, *args, **kwargs)
    if result is None or _page_closed():
        raise PageGone()
    return result


def _page_closed() -> bool:
    try:
        return context.client.is_deleted
    except RuntimeError:  # called outside any page (a background job): there is no page to be gone
        return False


async def with_password(service: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a service that hashes or checks a password, in its own session, on the hashing pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_hashing, partial(db.call, service, **kwargs))
