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
"""

from collections.abc import Callable, Iterable
from typing import Any

from nicegui import Client, app, helpers
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


def install() -> None:
    """Once per process. NiceGUI's element removal is wrapped: it is the one way elements leave a page (deleting one
    element, clearing a container, closing a page)."""
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
