"""A simulated tab that can also click and type: the page's element tree, kept up to date from the server's updates,
and NiceGUI's `event` messages emitted the way nicegui.js emits them (NiceGUI 3.18).

nicegui.js renders every element of `createApp(parseElements(…))` and, for each listener in an element's `events`,
emits `event` with `{id, client_id, listener_id, args}` when it fires; `args` holds one JSON string per argument
(none for a click, the new value for `update:value`). The server looks the element up by its integer id and
runs the listener as if a person had clicked or typed. No rendering, no JavaScript: a button is found by its
`label` prop, a text field by its `label` prop.
"""

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

from live_clients import LiveClient, _strings

_ELEMENTS = re.compile(r'parseElements\(String\.raw`(?P<raw>.*?)`\)', re.DOTALL)


def parse_elements(html: str) -> dict[int, dict]:
    """The page's initial element tree, unescaped as nicegui.js's `parseElements` does."""
    match = _ELEMENTS.search(html)
    if not match:
        return {}
    raw = (match['raw'].replace('&#36;', '$').replace('&#96;', '`').replace('&gt;', '>').replace('&lt;', '<')
           .replace('&amp;', '&'))
    return {int(k): v for k, v in json.loads(raw).items()}


class WriteFailed(Exception):
    """The page answered a write with an error message (a refusal, not a server error)."""


class SoakPage(LiveClient):
    """A LiveClient that keeps the element tree and can click buttons and fill text fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elements: dict[int, dict] = {}
        self._applied = 0

    def tree(self) -> dict[int, dict]:
        """The elements as the browser would have them now: the page's tree plus every `update` so far."""
        if not self.elements and self.html:
            self.elements = parse_elements(self.html)
        while self._applied < len(self.messages):
            _, event, payload = self.messages[self._applied]
            self._applied += 1
            if event == 'update' and isinstance(payload, dict):
                for key, element in payload.items():
                    if element is None:
                        self.elements.pop(int(key), None)
                    else:
                        self.elements[int(key)] = element
        return self.elements

    def find(self, *, label: str, tag: str | None = None) -> int | None:
        for element_id, element in self.tree().items():
            if (element.get('props') or {}).get('label') == label and (tag is None or element.get('tag') == tag):
                return element_id
        return None

    def props(self, element_id: int) -> dict:
        return (self.tree().get(element_id) or {}).get('props') or {}

    async def wait_for_element(self, label: str, timeout: float) -> int:
        return await self._wait(lambda: self.find(label=label), f'element {label!r}', timeout)

    async def emit(self, element_id: int | None, event_type: str, *args: Any) -> None:
        if not self.sio.connected:
            raise ConnectionError(f'{self.client_id} lost its socket ({self.disconnect_reason}) before {event_type}')
        element = self.tree().get(element_id)
        if element is None:
            raise LookupError(f'element {element_id} is not on the page')
        listener = next((e for e in element.get('events') or () if e['type'] == event_type), None)
        if listener is None:
            raise LookupError(f'element {element_id} has no {event_type} listener')
        await self.sio.emit('event', {'id': element_id, 'client_id': self.client_id,
                                      'listener_id': listener['listener_id'],
                                      'args': [json.dumps(a) for a in args]})

    async def click(self, element_id: int | None) -> None:
        await self.emit(element_id, 'click')

    async def type_text(self, element_id: int, text: str) -> None:
        """What a text field sends after typing: the (debounced) update of its value prop, `update:value` for
        NiceGUI's inputs and text areas, `update:modelValue` for other value elements (types are camel-cased)."""
        types = {e['type'] for e in self.tree().get(element_id, {}).get('events') or ()}
        await self.emit(element_id, 'update:value' if 'update:value' in types else 'update:modelValue', text)

    async def wait_for_outcome(self, since: int, ok: Callable[[str, Any], bool], timeout: float) -> float:
        """The arrival time of the first message from index `since` on that `ok` accepts; a negative notification
        (the page's way of showing a refusal) raises WriteFailed."""

        def check() -> float | None:
            for arrived, event, payload in self.messages[since:]:
                if event == 'notify' and isinstance(payload, dict) and payload.get('type') == 'negative':
                    raise WriteFailed(str(payload.get('message', '')))
                if ok(event, payload):
                    return arrived
            return None

        return await self._wait(check, 'the outcome of a write', timeout)

    async def _wait(self, check: Callable[[], Any], what: str, timeout: float) -> Any:
        deadline = time.perf_counter() + timeout
        while True:
            found = check()
            if found is not None:
                return found
            if self.disconnect_reason is not None:
                raise ConnectionError(f'{self.client_id} disconnected ({self.disconnect_reason}) before {what}')
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f'{what} did not reach {self.client_id} within {timeout} s')
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                pass


def contains(text: str) -> Callable[[str, Any], bool]:
    """An outcome check: some string in the message contains `text` (element texts, props such as innerHTML)."""
    return lambda event, payload: any(text in s for s in _strings(payload))
