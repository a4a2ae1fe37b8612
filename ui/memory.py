"""Deleted page elements are freed at once, not by the garbage collector's rare full collections.

Every NiceGUI element owns three observable collections (props, classes, style), and each of them lists its own
bound `_update` method among its change handlers: a reference cycle. Reference counting alone therefore never frees
them; they wait for a full (generation 2) collection. With hundreds of open pages that wait is long and the heap
of closed pages large, so each full collection froze the event loop for 3-4 s (soak benchmark: NiceGUI answered 500
to pages caught in it, and sockets dropped). Emptying the handler lists of elements that are gone breaks the cycle:
a closed page is freed when NiceGUI lets go of it, a little at a time.
"""

from collections.abc import Iterable
from typing import Any

from nicegui import Client, app
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


def install() -> None:
    """Wrap NiceGUI's element removal, once per process: it is the one way elements leave a page (deleting one
    element, clearing a container, closing a page)."""
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
