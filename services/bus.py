"""Domain events inside one process: services publish after commit, pages subscribe for their lifetime."""

import asyncio
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    topic: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Subscription:
    callback: Callable[[Event], Any]
    loop: asyncio.AbstractEventLoop | None


_subscribers: dict[str, list[_Subscription]] = defaultdict(list)
_lock = threading.Lock()


def subscribe(topic: str, callback: Callable[[Event], Any]) -> Callable[[], None]:
    """Call `callback` for each event on `topic`, on the subscriber's event loop; returns the unsubscribe function."""
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    sub = _Subscription(callback, loop)
    with _lock:
        _subscribers[topic].append(sub)

    def unsubscribe() -> None:
        with _lock:
            if sub in _subscribers[topic]:
                _subscribers[topic].remove(sub)

    return unsubscribe


def publish(topic: str, **data: Any) -> None:
    """Deliver an event; services call this only after their transaction committed."""
    event = Event(topic, data)
    with _lock:
        subs = list(_subscribers.get(topic, ()))
    for sub in subs:
        # Services may run in a worker thread (run.io_bound); page callbacks must run on the event loop.
        if sub.loop is not None and not sub.loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is not sub.loop:
                sub.loop.call_soon_threadsafe(_deliver, sub, event)
                continue
        _deliver(sub, event)


def _deliver(sub: _Subscription, event: Event) -> None:
    try:
        sub.callback(event)
    except Exception:
        log.exception('bus subscriber for %s failed', event.topic)


def reset() -> None:
    """Forget every subscriber (tests)."""
    with _lock:
        _subscribers.clear()
