"""ui/page_costs.py: NiceGUI's question "does this handler expect arguments?" asked once per method."""

from nicegui import helpers
from nicegui.helpers import functions
from nicegui.testing import User

from ui import page_costs


class _Handlers:
    def no_arguments(self) -> None: ...

    def one_argument(self, event: object) -> None: ...

    def optional_argument(self, event: object = None) -> None: ...

    def any_arguments(self, *args: object, **kwargs: object) -> None: ...


def test_the_answer_is_nicegui_s_and_asked_once_per_method():
    asked = []

    def original(func):  # noqa: ANN001, ANN202
        asked.append(func)
        return functions.expects_arguments(func)

    remembered = page_costs.remember_expected_arguments(original)
    first, second = _Handlers(), _Handlers()
    for name in ('no_arguments', 'one_argument', 'optional_argument', 'any_arguments'):
        for handlers in (first, second, first):
            method = getattr(handlers, name)
            assert remembered(method) is functions.expects_arguments(method), name
    assert len(asked) == 4  # one question per method, whichever instance it is bound to
    # Functions made on the fly (a page's lambdas) are asked each time: they come and go with their pages.
    assert remembered(lambda event: None) is True
    assert remembered(lambda: None) is False
    assert len(asked) == 6


async def test_the_running_app_uses_it(user: User):
    await user.open('/login')
    assert getattr(helpers.expects_arguments, 'vn_remembers', False)


async def test_the_served_app_switches_threads_quickly(user: User):
    """main.serve() shortens the GIL switch interval, so database work in worker threads is not held up by the event
    loop building pages (benchmarks/bench_thread_switching.py shows the difference)."""
    import sys

    import main

    await user.open('/login')
    assert main.SWITCH_INTERVAL < 0.005  # Python's default
    assert sys.getswitchinterval() == main.SWITCH_INTERVAL


async def test_the_served_app_collects_garbage_in_short_pauses(user: User):
    """main.serve() sets the collector's thresholds at start-up (the soak benchmark explains the values)."""
    import gc

    import main

    await user.open('/login')
    assert gc.get_threshold() == (main.GC_YOUNG, main.GC_MIDDLE, main.GC_FULL)
    assert main.GC_YOUNG * main.GC_MIDDLE <= 20_000  # a middle collection walks at most this many new objects


# ---------------------------------------------------------------- the page JSON's escape


def test_the_page_json_is_escaped_exactly_as_nicegui_escapes_it():
    import nicegui.client

    table = nicegui.client.HTML_ESCAPE_TABLE
    text = '{"a":"<script>alert(`$x`)</script> &amp; && <<>> ``$$ Grüße ✓","b":"&lt;"}'
    fast = page_costs.PageJson(text).translate(table)
    assert fast == str.translate(text, table)
    assert '<' not in fast and '`' not in fast and '$' not in fast and '&amp;amp;' in fast
    assert page_costs.PageJson(text).translate({ord('a'): 'b'}) == text.replace('a', 'b')  # other tables: translate


def test_a_table_that_replace_steps_cannot_copy_is_left_to_translate():
    steps = page_costs._chained_replacements  # noqa: SLF001
    assert steps({ord('<'): '&lt;', ord('&'): '&amp;'}) == [('&', '&amp;'), ('<', '&lt;')]  # '&' first
    assert steps({ord('a'): 'b', ord('b'): 'c'}) is None  # 'a' → 'b' would then become 'c'; translate gives 'b'
    assert steps({ord('a'): None}) is None  # deleting characters: not a replacement


async def test_the_running_app_serves_pages_through_the_fast_escape(user: User):
    import nicegui.client

    await user.open('/login')
    assert isinstance(nicegui.client.json.dumps({'a': '<b>'}), page_costs.PageJson)
    response = await user.http_client.get('/login')
    assert response.status_code == 200 and '&lt;' in response.text  # the element JSON, escaped for the page


async def test_responses_are_compressed_at_a_level_that_keeps_the_event_loop_free():
    """main.serve() hands NiceGUI this factory for its gzip middleware (NiceGUI adds none under pytest)."""
    import httpx
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    import main

    page = '<div class="flex">Kolleg:innen aus Essen, Lünen und Wesel</div>' * 200

    async def show(request):  # noqa: ANN001, ANN202
        return HTMLResponse(page)

    middleware = main.compressed(Starlette(routes=[Route('/', show)]))
    assert middleware.compresslevel == main.GZIP_LEVEL < 9
    async with httpx.AsyncClient(transport=httpx.ASGITransport(middleware), base_url='http://test') as client:
        response = await client.get('/', headers={'accept-encoding': 'gzip'})
    assert response.headers['content-encoding'] == 'gzip' and response.text == page
    assert int(response.headers['content-length']) < len(page) / 10
