"""What pages cost the server: less CPU to build them, and memory freed as soon as they are gone.

NiceGUI builds every element's props, classes and style as observable collections, and asks `inspect.signature`
about their change handler each time: about a tenth of the server's CPU in the soak benchmark (200 members) went
there. The answer depends only on the handler's function, so it is asked once per function.

Deleted page elements are freed at once, not by the garbage collector's rare full collections. Every element's
props, classes and style list their own bound `_update` method among their change handlers: a reference cycle, so
reference counting alone never frees them; they wait for a full (generation 2) collection. With hundreds of open
pages that wait is long and the heap of closed pages large: each full collection froze the event loop for 3-4 s
(soak benchmark: NiceGUI answered 500 to pages caught in it, and sockets dropped). Emptying the handler lists of
elements that are gone breaks the cycle: a closed page is freed when NiceGUI lets go of it, a little at a time.

NiceGUI escapes every page's element JSON (20-40 KB) for the HTML page with `str.translate` and a table whose
replacements are longer than one character: CPython's slow path, a dictionary lookup per character, about 2 ms of
the event loop per page (a tenth of the start page's build). The same replacements made with `str.replace` take a
fifteenth of that (see `escape_page_json`).
"""

from collections.abc import Callable, Iterable
from typing import Any

import nicegui.client
from nicegui import Client, app, helpers
from nicegui import json as nicegui_json
from nicegui.element import Element

_OBSERVED = ('_props', '_classes', '_style')
TAB_STORAGE_AGE = 3600.0  # seconds


def release(elements: Iterable[Element]) -> None:
    """Drop the change handlers of deleted elements (a deleted element is never drawn again; NiceGUI itself already
    drops their event listeners and children)."""
    for element in elements:
        for name in _OBSERVED:
            handlers = getattr(getattr(element, name, None), '_change_handlers', None)
            if isinstance(handlers, list):
                handlers.clear()


def remember_expected_arguments(original: Callable[[Callable], bool]) -> Callable[[Callable], bool]:
    known: dict[Any, bool] = {}  # function of a bound method → its answer; as many entries as methods in the code

    def expects_arguments(func: Callable) -> bool:
        function = getattr(func, '__func__', None)  # a bound method: the same answer for every instance
        if function is None:
            return original(func)
        answer = known.get(function)
        if answer is None:
            answer = known[function] = original(func)
        return answer

    expects_arguments.vn_remembers = True  # type: ignore[attr-defined]
    return expects_arguments


def _chained_replacements(table: dict[int, Any]) -> list[tuple[str, str]] | None:
    """`table` as a list of str.replace steps with the same result as str.translate, or None when no such list
    exists: translate never looks at its own output, so a step may not bring in a character that a later step
    replaces. Replacing '&' first is enough for an HTML escape table."""
    steps = sorted(((chr(code), str(rep)) for code, rep in table.items() if isinstance(rep, str)),
                   key=lambda step: step[0] != '&')
    if len(steps) != len(table):
        return None
    for i, (_, replacement) in enumerate(steps):
        if any(later in replacement for later, _ in steps[i + 1:]):
            return None
    return steps


class PageJson(str):
    """The element JSON of a page being built: escaped for the HTML page by plain replacements."""

    steps: list[tuple[str, str]] | None = None
    table: Any = None

    def translate(self, table: Any) -> str:
        if table is not PageJson.table or PageJson.steps is None:
            return str.translate(self, table)
        text = str(self)
        for old, new in PageJson.steps:
            text = text.replace(old, new)
        return text


class _JsonForPages:
    """NiceGUI's json module as its client module sees it: `dumps` returns PageJson (a str)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(nicegui_json, name)

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return PageJson(nicegui_json.dumps(*args, **kwargs))


def escape_page_json() -> None:
    """Install the faster escape, only where it gives NiceGUI's own result (checked against its table)."""
    table = getattr(nicegui.client, 'HTML_ESCAPE_TABLE', None)
    steps = _chained_replacements(table) if isinstance(table, dict) else None
    if steps is None or isinstance(nicegui.client.json, _JsonForPages):
        return
    PageJson.table, PageJson.steps = table, steps
    nicegui.client.json = _JsonForPages()  # type: ignore[assignment]


def install() -> None:
    """Once per process. NiceGUI's element removal is wrapped: it is the one way elements leave a page (deleting one
    element, clearing a container, closing a page)."""
    escape_page_json()
    if not getattr(helpers.expects_arguments, 'vn_remembers', False):
        helpers.expects_arguments = remember_expected_arguments(helpers.expects_arguments)
    original = Client.remove_elements
    if getattr(original, 'vn_releases', False):
        return

    def remove_elements(self: Client, elements: Iterable[Element]) -> Any:
        removed = list(elements)
        result = original(self, removed)
        release(removed)
        return result

    remove_elements.vn_releases = True  # type: ignore[attr-defined]
    Client.remove_elements = remove_elements  # type: ignore[method-assign]
    # NiceGUI keeps a storage per browser tab for 30 days, even an empty one; the app stores nothing per tab.
    app.storage.max_tab_storage_age = TAB_STORAGE_AGE
