"""`python main.py` plus a probe for the soak benchmark: the same `serve()`, and every SOAK_PROBE_SECONDS one JSON line
in SOAK_PROBE_FILE with what the server holds per open page (NiceGUI clients, user storages, bus subscriptions).

    VN_DATA_DIR=… SOAK_PROBE_FILE=/tmp/probe.jsonl .venv/bin/python benchmarks/soak_server.py

The regular samples read only counters (no walk over all objects: `gc.get_objects()` on a large heap blocks the event
loop for tens of milliseconds, which would show in the very server times the soak measures). A census (full collection,
objects counted by type) runs only when the benchmark asks for one, before the members start and after they stopped.
"""

import asyncio
import contextvars
import gc
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.chdir(ROOT)


_gc_pauses: list[tuple[int, float, float]] = []  # (generation, wall ms, CPU ms of the collecting thread)
_gc_started: dict[str, float] = {}


def _time_collections(phase: str, info: dict) -> None:
    """gc.callbacks: how long each collection held the event loop, and how much of that was CPU (the rest: waiting
    for a CPU on a shared machine). Pauses over NiceGUI's ping timeout (4 s with reconnect_timeout=10) drop sockets."""
    if phase == 'start':
        _gc_started['wall'], _gc_started['cpu'] = time.perf_counter(), time.thread_time()
        _gc_started['running'] = 1.0
        return
    _gc_started['running'] = 0.0
    if 'wall' in _gc_started and info.get('generation') in _young:
        _young[info['generation']].append((time.perf_counter() - _gc_started['wall']) * 1000)
        _young_cpu[info['generation']].append((time.thread_time() - _gc_started['cpu']) * 1000)
        _young_collected[info['generation']] += info.get('collected', 0)
    elif 'wall' in _gc_started and info.get('generation') == 2:
        _gc_pauses.append((2, (time.perf_counter() - _gc_started['wall']) * 1000,
                           (time.thread_time() - _gc_started['cpu']) * 1000))


STALL_MS = 20.0  # the event loop is "stalled" when its heartbeat (every 5 ms) is this late
_stalls: dict[str, float] = {}  # what the event loop thread was running while stalled: seconds (5 ms samples)
_young: dict[int, list[float]] = {0: [], 1: []}  # durations (ms) of generation 0 and 1 collections
_young_cpu: dict[int, list[float]] = {0: [], 1: []}  # their CPU time (ms) of the collecting thread
_young_collected: dict[int, int] = {0: 0, 1: 0}  # objects they freed


def _app_frames(frame: Any) -> str:
    """The app's own functions on a stack (outermost first, at most four), or the innermost library function."""
    ours, innermost = [], None
    while frame is not None:
        name = frame.f_code.co_filename
        if innermost is None:
            innermost = f'{Path(name).name}:{frame.f_code.co_name}'
        if str(ROOT) in name and '/.venv/' not in name and 'soak_server' not in name:
            ours.append(f'{Path(name).stem}.{frame.f_code.co_name}')
        frame = frame.f_back
    return ' > '.join(ours[::-1][-4:]) or f'(library) {innermost}'


def _watch_stalls() -> None:
    """A heartbeat on the event loop and a thread that looks at the loop's stack whenever the beat is late: what
    held the loop while pages waited (sampled every 5 ms; uvloop runs callbacks in C, so they cannot be timed)."""
    import threading

    loop_thread = threading.main_thread().ident
    beat = [time.perf_counter()]

    async def heartbeat() -> None:
        while True:
            beat[0] = time.perf_counter()
            await asyncio.sleep(0.005)

    def watch() -> None:
        while True:
            time.sleep(0.005)
            if (time.perf_counter() - beat[0]) * 1000 < STALL_MS:
                continue
            frame = sys._current_frames().get(loop_thread)  # noqa: SLF001 - a benchmark probe
            if frame is not None:
                key = 'garbage collection' if _gc_started.get('running') else _app_frames(frame)
                _stalls[key] = _stalls.get(key, 0.0) + 0.005

    from nicegui import app, background_tasks

    app.on_startup(lambda: background_tasks.create(heartbeat(), name='soak-heartbeat'))
    threading.Thread(target=watch, name='soak-stalls', daemon=True).start()


def _sample() -> dict:
    from nicegui import Client, app

    from services import bus
    from ui import auth

    clients = list(Client.instances.values())
    return {
        'time': time.time(),
        'rss_kb': _rss_kb(),
        'clients': len(clients),
        'connected': sum(1 for c in clients if c.has_socket_connection),
        'user_storages': len(app.storage._users),  # noqa: SLF001 - a benchmark probe reads NiceGUI's counters
        'tab_storages': len(app.storage._tabs),  # noqa: SLF001
        'session_clients': len(auth._clients),  # noqa: SLF001
        'bus_subscriptions': sum(len(subs) for subs in bus._subscribers.values()),  # noqa: SLF001
        'allocated_blocks': sys.getallocatedblocks(),
        'tasks': len(asyncio.all_tasks()),
        'gc2': [(round(wall, 1), round(cpu, 1)) for _, wall, cpu in _gc_pauses],  # full collections so far
        'stalls': {k: round(v, 3) for k, v in sorted(_stalls.items(), key=lambda kv: -kv[1])[:15]},  # so far
        'young_gc': {g: _summary(ms) for g, ms in _young.items()},
        'young_gc_cpu': {g: _summary(ms) for g, ms in _young_cpu.items()},
        'young_gc_collected': dict(_young_collected),
        'requests': _request_breakdown(),
    }


_breakdown: contextvars.ContextVar[dict | None] = contextvars.ContextVar('soak_breakdown', default=None)
_requests: list[tuple[str, float, float, float, float]] = []  # (path, server ms, awaiting threads, in them, their CPU)


def _time_requests() -> None:
    """Where a page's server time goes: awaiting worker threads (ui.workers.in_thread), of that the work itself (wall
    and CPU of the thread), and the rest on the event loop (the page's own build and whatever else ran meanwhile)."""
    from ui import timing, workers

    original_in_thread = workers.in_thread
    original_call = timing.ServerTimingMiddleware.__call__

    async def in_thread(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        acc = _breakdown.get()
        if acc is None:
            return await original_in_thread(fn, *args, **kwargs)

        def timed() -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                acc['work'] += time.perf_counter() - wall
                acc['cpu'] += time.thread_time() - cpu

        started = time.perf_counter()
        try:
            return await original_in_thread(timed)
        finally:
            acc['awaiting'] += time.perf_counter() - started

    async def timed_call(self: Any, scope: Any, receive: Any, send: Any) -> None:
        if scope['type'] != 'http' or scope['path'].startswith('/_nicegui'):
            return await original_call(self, scope, receive, send)
        acc = {'awaiting': 0.0, 'work': 0.0, 'cpu': 0.0}
        token = _breakdown.set(acc)
        started = time.perf_counter()

        async def first_byte(message: Any) -> None:
            if message['type'] == 'http.response.start':
                acc['server'] = time.perf_counter() - started
            await send(message)

        try:
            await original_call(self, scope, receive, first_byte)
        finally:
            _breakdown.reset(token)
            if 'server' in acc:
                _requests.append((scope['path'], acc['server'] * 1000, acc['awaiting'] * 1000, acc['work'] * 1000,
                                  acc['cpu'] * 1000))

    workers.in_thread = in_thread
    timing.ServerTimingMiddleware.__call__ = timed_call  # type: ignore[method-assign]


def _request_breakdown() -> dict:
    """The requests above and below the 90th percentile of server time: averages of each part (ms)."""
    if len(_requests) < 20:
        return {}
    cut = sorted(r[1] for r in _requests)[int(len(_requests) * 0.9)]
    parts = {}
    for name, rows in (('slowest tenth', [r for r in _requests if r[1] >= cut]),
                       ('the rest', [r for r in _requests if r[1] < cut])):
        n = len(rows)
        parts[name] = [n] + [round(sum(r[i] for r in rows) / n, 1) for i in (1, 2, 3, 4)]
    return parts


def _summary(ms: list[float]) -> list[float]:
    """[count, total ms, p95 ms, max ms]"""
    if not ms:
        return [0, 0.0, 0.0, 0.0]
    ordered = sorted(ms)
    return [len(ms), round(sum(ms), 1), round(ordered[int(len(ms) * 0.95)], 2), round(ordered[-1], 2)]


def _rss_kb() -> int:
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def _census(label: str) -> dict:
    """After a full collection: what is left, by type (only on request, when the members have stopped)."""
    garbage = _garbage() if label == 'during' else {}
    gc.collect()
    counts = Counter(type(o).__module__ + '.' + type(o).__qualname__ for o in gc.get_objects())
    return {**_sample(), 'census': label, 'objects': sum(counts.values()), 'types': counts.most_common(40),
            **garbage, **(_leftovers() if label == 'after' else {})}


def _garbage() -> dict:
    """While members browse: what a full collection finds unreachable (by type), how long freeing it takes and how
    long walking what survives takes (the two parts of a full collection's pause)."""
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what is unreachable in gc.garbage instead of freeing it
    try:
        gc.collect()
        kinds = Counter(type(o).__module__ + '.' + type(o).__qualname__ for o in gc.garbage)
        found = len(gc.garbage)
        gc.garbage.clear()
    finally:
        gc.set_debug(0)
    started = time.perf_counter()
    gc.collect()  # frees what was found, walks the rest
    freed = time.perf_counter()
    gc.collect()  # only walks
    walked = time.perf_counter()
    return {'garbage': found, 'garbage_types': kinds.most_common(40),
            'collect_with_garbage_ms': round((freed - started) * 1000, 1),
            'collect_survivors_ms': round((walked - freed) * 1000, 1)}


def _leftovers() -> dict:
    """Pages NiceGUI has deleted but something still holds: deleted clients and elements of deleted clients, and for
    a few of them the chain of references from a module (what keeps them alive)."""
    from nicegui import Client
    from nicegui.element import Element

    gc.unfreeze()  # get_referrers does not search the frozen generation, where the modules' dicts are
    objects = gc.get_objects()
    dead_clients = [o for o in objects if isinstance(o, Client) and (o.is_deleted or o.id not in Client.instances)]
    orphans = [o for o in objects if isinstance(o, Element) and ((c := o._client()) is None or c.is_deleted)]  # noqa: SLF001
    kinds = Counter(type(e).__qualname__ for e in orphans)
    roots = dead_clients[:3] or orphans[:3]
    chains = [_chain_from_a_module(o, {id(objects), id(dead_clients), id(orphans), id(roots)}) for o in roots]
    del objects
    return {'dead_clients': len(dead_clients), 'orphan_elements': len(orphans), 'orphan_kinds': kinds.most_common(10),
            'paths': [_page_path(o._client() if isinstance(o, Element) else o) for o in roots],  # noqa: SLF001
            'chains': chains}


def _page_path(client: object) -> str:
    page = getattr(client, 'page', None)
    return getattr(page, 'path', '') if page is not None else ''


def _describe(obj: object, module_dicts: dict[int, str]) -> str:
    if id(obj) in module_dicts:
        return f'module {module_dicts[id(obj)]}'
    if isinstance(obj, dict):
        return 'dict{' + ', '.join(repr(k)[:30] for k in list(obj)[:4]) + (', …' if len(obj) > 4 else '') + '}'
    if isinstance(obj, (list, tuple, set)):
        return f'{type(obj).__name__}[{len(obj)}]'
    if callable(obj) and hasattr(obj, '__qualname__'):
        return f'{type(obj).__name__} {obj.__qualname__}'
    return type(obj).__module__ + '.' + type(obj).__qualname__


def _chain_from_a_module(target: object, ignore: set[int], limit: int = 3000) -> list[str]:
    """Breadth-first through gc.get_referrers up to a module's dict: the shortest chain that keeps `target` alive
    (or, if none within `limit` objects, the longest one found)."""
    import types
    from collections import deque

    module_dicts = {id(m.__dict__): name for name, m in list(sys.modules.items()) if getattr(m, '__dict__', None)}
    parent: dict[int, int | None] = {id(target): None}
    nodes = {id(target): target}
    queue = deque([target])
    ignore = ignore | {id(parent), id(nodes), id(queue)}
    last = id(target)
    while queue and len(parent) < limit:
        obj = queue.popleft()
        last = id(obj)
        if id(obj) in module_dicts:
            break
        for ref in gc.get_referrers(obj):
            if id(ref) in parent or id(ref) in ignore or isinstance(ref, types.FrameType):
                continue
            parent[id(ref)] = id(obj)
            nodes[id(ref)] = ref
            queue.append(ref)
    chain, key = [], last
    while key is not None:
        chain.append(_describe(nodes[key], module_dicts))
        key = parent[key]
    return chain


async def _probe(path: Path, every: float) -> None:
    """A sample every `every` seconds; a census whenever the benchmark writes a label into `<path>.census`."""
    trigger = path.with_name(path.name + '.census')
    next_sample = 0.0
    with path.open('a', encoding='utf-8') as out:
        while True:
            if trigger.exists():
                label = trigger.read_text().strip()
                trigger.unlink()
                out.write(json.dumps(_census(label)) + '\n')
                out.flush()
            if time.monotonic() >= next_sample:
                out.write(json.dumps(_sample()) + '\n')
                out.flush()
                next_sample = time.monotonic() + every
            await asyncio.sleep(0.5)


def run() -> int:
    # As main.serve() does, before NiceGUI is imported (its storage path is read at import, and the probe needs
    # NiceGUI before serve() runs): the members' user storage lives in the data folder.
    from services.config import load_config

    os.environ.setdefault('NICEGUI_STORAGE_PATH', str((load_config().data_dir / 'browser-storage').resolve()))
    from nicegui import app, background_tasks

    import main as vn_main

    probe_file = os.environ.get('SOAK_PROBE_FILE')
    if probe_file:
        every = float(os.environ.get('SOAK_PROBE_SECONDS', '10'))
        app.on_startup(lambda: background_tasks.create(_probe(Path(probe_file), every), name='soak-probe'))
        gc.callbacks.append(_time_collections)
        _watch_stalls()
        _time_requests()
    if os.environ.get('SOAK_GC_THRESHOLDS'):  # an experiment: other collector thresholds than main.serve()'s
        thresholds = tuple(int(t) for t in os.environ['SOAK_GC_THRESHOLDS'].split(','))
        tune = vn_main._tune_garbage_collector  # noqa: SLF001

        def tune_then_override() -> None:
            tune()
            gc.set_threshold(*thresholds)

        vn_main._tune_garbage_collector = tune_then_override  # noqa: SLF001
    return vn_main.main([])


if __name__ in {'__main__', '__mp_main__'}:
    sys.exit(run())
