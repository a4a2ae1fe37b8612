"""Simulated NiceGUI browser tabs: many open pages that receive live updates, without one Chromium each.

A `LiveClient` does what nicegui.js (NiceGUI 3.18) does after a page load, and nothing more:
GET the page (with the session cookies), read the socket query from the inline `createApp(…, {query: …})` call,
then connect Socket.IO on `<prefix>/_nicegui_ws/socket.io` with that query plus `document_id`, `tab_id` and
`old_tab_id`. The page asks for the *implicit* handshake (`implicit_handshake=true`), so the server registers the tab
inside its `connect` handler; from then on the page is "connected" and its outbox sends `update` messages here.
Messages are not rendered, only time-stamped on arrival and searched for text.

Needs python-socketio's asyncio client, which uses aiohttp for the WebSocket; both come with NiceGUI already.
"""

import ast
import asyncio
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import socketio

# The options object of `createApp(parseElements(…), {version: …, prefix: "…", query: {…}, … transports: […]})`;
# `query` and `transports` are Python reprs there (nicegui.js defines `True`/`False`/`None` for them).
_PREFIX = re.compile(r'^\s*prefix: "(?P<v>[^"]*)",$', re.MULTILINE)
_QUERY = re.compile(r'^\s*query: (?P<v>\{.*\}),$', re.MULTILINE)
_ACK_INTERVAL = 3.0  # as nicegui.js: `setInterval(() => ack(), 3000)`


def _query_value(value: Any) -> str:
    """How engine.io-client puts a value into the query string (`encodeURIComponent(String(value))`)."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


class LiveClient:
    """One simulated browser tab on a NiceGUI page; every Socket.IO message it gets is kept with its arrival time."""

    def __init__(self, base_url: str, path: str, cookies: dict[str, str] | None = None, *,
                 connect_timeout: float = 30.0, http: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip('/')
        self.http = http  # a browser's kept-alive connection for the GET (with the cookies); else one per page
        self.path = path
        self.cookies = dict(cookies or {})
        self.connect_timeout = connect_timeout
        self.client_id: str | None = None
        self.tab_id = str(uuid.uuid4())  # sessionStorage.__nicegui_tab_id of a fresh tab
        self.document_id = str(uuid.uuid4())  # window.documentId, new for each page load
        self.next_message_id = 0  # window.nextMessageId: messages below it are duplicates (replayed after a rewind)
        self.html = ''
        self.get_seconds = 0.0  # page GET round trip
        self.status_code: int | None = None  # of the page GET
        self.server_ms: float | None = None  # the page GET's `Server-Timing: app;dur=…`, when the app sent one
        self.connect_seconds = 0.0  # Socket.IO connect incl. the implicit handshake
        self.messages: list[tuple[float, str, Any]] = []  # (perf_counter at arrival, event, payload)
        self.disconnect_reason: str | None = None
        self._acked_message_id = -1
        self._ack_task: asyncio.Task | None = None
        self._arrived = asyncio.Event()
        self._closing = False
        self._connect_error: Any = None
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on('*', self._on_message)
        self.sio.on('connect_error', self._on_connect_error)
        self.sio.on('disconnect', self._on_disconnect)

    async def open(self) -> None:
        """Load the page like a browser and connect its socket; returns once the server counts the tab as connected."""
        started = time.perf_counter()
        if self.http is not None:
            response = await self.http.get(self.path, headers={'Accept': 'text/html'})
        else:
            async with httpx.AsyncClient(base_url=self.base_url, cookies=self.cookies,
                                         timeout=self.connect_timeout) as http:
                response = await http.get(self.path, headers={'Accept': 'text/html'})
        self.get_seconds = time.perf_counter() - started
        self.status_code = response.status_code
        if 'dur=' in (timing := response.headers.get('server-timing', '')):
            self.server_ms = float(timing.split('dur=')[1].split(';')[0].split(',')[0])
        if response.status_code != 200:  # no redirects are followed: a lost session shows as 303 to /login
            raise RuntimeError(f'GET {self.path}: {response.status_code} {response.headers.get("location", "")}')
        self.html = response.text
        prefix_match, query_match = _PREFIX.search(self.html), _QUERY.search(self.html)
        if not query_match or not prefix_match:
            raise RuntimeError(f'GET {self.path}: no NiceGUI page (createApp options not found)')
        prefix = prefix_match['v']
        query = ast.literal_eval(query_match['v'])  # client_id, next_message_id, implicit_handshake (+ app extras)
        self.client_id = query['client_id']
        self.next_message_id = int(query['next_message_id'])
        query.update(document_id=self.document_id, tab_id=self.tab_id, old_tab_id=None)  # as nicegui.js's mounted()
        url = f'{self.base_url}/?{urlencode({k: _query_value(v) for k, v in query.items()})}'
        headers = {'Cookie': '; '.join(f'{k}={v}' for k, v in self.cookies.items())} if self.cookies else {}
        started = time.perf_counter()
        try:
            await self.sio.connect(url, headers=headers, transports=['websocket'],
                                   socketio_path=f'{prefix}/_nicegui_ws/socket.io', wait_timeout=self.connect_timeout)
        except socketio.exceptions.ConnectionError as e:
            raise RuntimeError(f'socket of {self.client_id} refused: {self._connect_error or e}') from e
        self.connect_seconds = time.perf_counter() - started
        if not query.get('implicit_handshake'):  # only for prefetched pages; nicegui.js then emits it explicitly
            ok = await self.sio.call('handshake', dict(query), timeout=self.connect_timeout)
            if not ok:
                raise RuntimeError(f'handshake of {self.client_id} failed')
        self._ack_task = asyncio.create_task(self._ack_loop())

    async def wait_for_text(self, text: str, timeout: float) -> float:
        """The `time.perf_counter()` at which the first message containing `text` arrived (also if that was earlier).

        Searches every string in the payload (element texts, props, keys), so pick markers that are unique and
        no prefix of another ("reply-1" also matches "reply-10").
        """
        deadline = time.perf_counter() + timeout
        checked = 0
        while True:
            while checked < len(self.messages):
                arrived, _, payload = self.messages[checked]
                checked += 1
                if any(text in s for s in _strings(payload)):
                    return arrived
            if self.disconnect_reason is not None:
                raise ConnectionError(f'{self.client_id} disconnected ({self.disconnect_reason}) before {text!r}')
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f'{text!r} did not reach {self.client_id} within {timeout} s')
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                pass

    async def close(self) -> None:
        """Close the socket like a closed tab (the server deletes the page after its reconnect_timeout)."""
        self._closing = True
        if self._ack_task:
            self._ack_task.cancel()
        if self.sio.connected:
            await self.sio.disconnect()
        else:
            await self.sio.eio.disconnect(abort=True)  # a half-open engine.io connection after a refused namespace

    async def _on_message(self, event: str, *args: Any) -> None:
        arrived = time.perf_counter()
        payload = args[0] if len(args) == 1 else list(args)
        if isinstance(payload, dict) and '_id' in payload:  # as nicegui.js: drop duplicates, remember the next id
            message_id = payload.pop('_id')
            if message_id < self.next_message_id:
                return
            self.next_message_id = message_id + 1
        self.messages.append((arrived, event, payload))
        self._arrived.set()

    async def _on_connect_error(self, data: Any = None) -> None:
        self._connect_error = data

    async def _on_disconnect(self, reason: Any = None) -> None:
        self.disconnect_reason = 'closed' if self._closing else str(reason)
        self._arrived.set()

    async def _ack_loop(self) -> None:
        """Let the server prune its message history, as nicegui.js does every 3 s."""
        while True:
            await asyncio.sleep(_ACK_INTERVAL)
            if self.sio.connected and self._acked_message_id < self.next_message_id:
                await self.sio.emit('ack', {'client_id': self.client_id, 'next_message_id': self.next_message_id})
                self._acked_message_id = self.next_message_id


async def open_clients(base_url: str, path: str, cookies: dict[str, str], n: int, *,
                       batch_size: int = 20) -> list[LiveClient]:
    """Open `n` tabs on `path`, `batch_size` at a time (each GET is followed by its socket connect right away).

    NiceGUI prunes pages whose socket has not connected within 60 s of the GET, and a page that loses its socket is
    deleted after `reconnect_timeout`; if any tab fails, the ones already open are closed and the error is raised.
    """
    clients: list[LiveClient] = []
    try:
        for start in range(0, n, batch_size):
            batch = [LiveClient(base_url, path, cookies) for _ in range(min(batch_size, n - start))]
            clients.extend(batch)
            await asyncio.gather(*(c.open() for c in batch))
    except BaseException:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        raise
    return clients
