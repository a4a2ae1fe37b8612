"""Soak: many members browse, reply, RSVP and write messages on one server process for half an hour.

    .venv/bin/python benchmarks/bench_soak.py                          # 200 members, 30 minutes
    .venv/bin/python benchmarks/bench_soak.py --minutes 2 --members 50  # a quick check

Seeds a data folder (`seed-demo` with enough members, one direct conversation between neighbours in the member list,
and a signed-in session per member), then starts one server process: `python main.py`'s own `serve()`, through
soak_server.py, which adds a probe that writes the server's counters (NiceGUI clients, user storages, bus
subscriptions, allocated blocks) every 10 s. Each member is a coroutine that, after a random start within the
ramp-up (5 minutes), does what a person does with one browser tab: opens a page (a real GET with the session cookie
over a kept-alive connection, then the Socket.IO connection nicegui.js makes, with the tab's id, so the server builds
the page and keeps its client while the tab is open), reads it for 30-90 s while live updates arrive, sometimes
writes, and opens the next (the old page's client is pruned by NiceGUI 10 s later). Pages: start page, directory
(with and without a search word), a profile, the search page, the boards, a board, a thread, the calendar, an
event, the conversations, a conversation, the notifications. 200 members so make about 3 page loads a second
(--think-min/--think-max 10/40 make 8; on a 2-core machine shared with other work that overloaded the server).

Writes go through the running server's UI like a click: the member's socket emits NiceGUI's `event` messages for the
page's real buttons and text fields (soak_pages.py), so "Antwort schreiben" → type → "Antwort senden" on a thread,
"Zusage"/"Vielleicht"/"Absage" on an event, type → "Senden" in a conversation. A write counts as acknowledged when its
effect reaches the writer's page (the new post or message on the page, "Ihre Antwort ist gespeichert.", or the page
sent on to the post's page); a red notification is a refusal.

Measures, per page type: requests, Server-Timing of the page GET (median, p95, max), errors; per write type:
acknowledged, refused, timed out, click → acknowledgement (median, p95); server errors (HTTP 5xx, other unexpected
statuses, refused sockets, pages that lost their socket, ERROR lines and tracebacks in the server log); the server's
RSS from /proc/<pid>/status every 30 s, printed per minute with the probe's counters, the machine's load and how long
the server's event loop thread ran on a CPU and waited for one (/proc/<pid>/schedstat: on a shared machine the
waiting, not the app, can make the server times), and every full (generation 2) garbage collection with how long it
held the event loop; after the members stop, RSS once the closed pages have been pruned, and a census of live objects
by type before and after (with what still holds elements of deleted pages, if any). Where the time of slow pages goes
(on the event loop or awaiting worker threads, split into the work's wall and CPU time), what the event loop ran while
it was 20 ms or more behind (sampled), and the young and middle garbage collections (count, p95, CPU, freed).
SOAK_GC_THRESHOLDS=a,b,c tries other collector thresholds. Compares each page type with the goal the feature issues
set. Asserts nothing.
BENCH_KEEP=1 keeps the data folder, server.log and probe.jsonl.
"""

import argparse
import asyncio
import base64
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import itsdangerous
from running import clean_up, percentiles, start_server, stop
from soak_pages import SoakPage, WriteFailed, contains

PAGES = {  # kind: weight (how often a member opens such a page)
    'start': 10, 'directory': 5, 'directory search': 6, 'profile': 5, 'search': 7, 'boards': 4, 'board': 7,
    'thread': 16, 'calendar': 7, 'event': 10, 'messages': 5, 'conversation': 10, 'notifications': 3,
}
WRITES = {'thread': ('reply', 0.25), 'event': ('RSVP', 0.4), 'conversation': ('message', 0.4)}
# The server-time goals of the feature issues (ms), as (statistic they named, limit).
GOALS = {
    'start': ('median', 10, '#2: signed-in start page median < 10 ms'),
    'directory search': ('median', 100, '#3: /members?q= median < 100 ms'),
    'thread': ('p95', 60, '#4: thread page p95 < 60 ms'),
    'board': ('p95', 50, '#4: board page < 50 ms'),
    'search': ('p95', 100, '#4: search < 100 ms'),
    'calendar': ('median', 50, '#5: month view median < 50 ms'),
    'event': ('p95', 50, '#5: event page < 50 ms'),
}
SEARCH_WORDS = ('Digitalisierung', 'E-Akte', 'Datenschutz', 'Vergabe', 'Ausbildung', 'Klimaschutz', 'OZG',
                'Open Data', 'Bürgerbeteiligung', 'Radverkehr', 'Personal', 'Wärmeplanung')
ANSWERS = ('Zusage', 'Vielleicht', 'Absage')
WRITE_TIMEOUT = 20.0
RSS_EVERY = 30.0


@dataclass
class Member:
    user_id: int
    email: str
    cookies: dict[str, str]
    conversations: list[int] = field(default_factory=list)
    tab_id: str = field(default_factory=lambda: str(uuid.uuid4()))  # one browser tab: kept across its page loads


@dataclass
class World:
    members: list[Member]
    profiles: list[int]
    boards: list[str]
    threads: list[int]
    events: list[int]


@dataclass
class Stats:
    started: float = field(default_factory=time.perf_counter)
    wall_started: float = field(default_factory=time.time)  # the same moment on the clock the probe writes
    pages: dict[str, list[tuple[float, float, float]]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_examples: dict[str, str] = field(default_factory=dict)
    writes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    write_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refusals: Counter = field(default_factory=Counter)
    live_messages: int = 0
    client_cpu: float = 0.0
    rss: list[tuple[float, int, float]] = field(default_factory=list)  # (seconds in, VmRSS kB, machine load 1 min)
    # (seconds in, the event loop thread's seconds on a CPU, its seconds waiting for one): /proc/<pid>/schedstat
    sched: list[tuple[float, float, float]] = field(default_factory=list)
    lag: dict[int, float] = field(default_factory=lambda: defaultdict(float))  # minute: the members' loop's worst lag

    def error(self, kind: str, example: str) -> None:
        self.errors[kind] += 1
        self.error_examples.setdefault(kind, example[:300])


# ------------------------------------------------------------------ seeding (before the server starts)


def browser_cookie(secret: str, storage_dir: Path, session_id: str) -> dict[str, str]:
    """What a browser holds after signing in: NiceGUI's signed `session` cookie (Starlette's SessionMiddleware) whose
    id names a user storage file with the app's session id in it, as ui.auth.start_browser_session leaves it."""
    browser_id = str(uuid.uuid4())
    storage_dir.mkdir(parents=True, exist_ok=True)
    (storage_dir / f'storage-user-{browser_id}.json').write_text(json.dumps({'sid': session_id, 'lang': 'de'}),
                                                                   encoding='utf-8')
    signed = itsdangerous.TimestampSigner(secret).sign(base64.b64encode(json.dumps({'id': browser_id}).encode()))
    return {'session': signed.decode()}


def prepare(data_dir: Path, n: int) -> World:
    """seed-demo with at least `n` active members, a session for each (through accounts.sign_in), one direct
    conversation between each member and the next, and the ids the members will visit."""
    from sqlmodel import col, select

    from models.base import utcnow
    from models.board import Board, Thread
    from models.event import Event
    from models.user import Role, Status, User
    from services import accounts, db, demo, files
    from services import messages as dm
    from services.config import Config, prepare_data_dir

    started = time.perf_counter()
    config = Config(data_dir=data_dir)
    secret = prepare_data_dir(config)
    files.configure(config.data_dir)
    url = config.resolved_database_url
    db.configure(url)
    db.upgrade(url)
    result = db.call(demo.seed_demo, members=max(demo.MEMBER_COUNT, n + n // 30 + 10))
    print(f'   seed-demo: {result.members_added} members, {result.threads_added} threads, {result.events_added} '
          f'events in {time.perf_counter() - started:.1f} s')

    with db.session() as s:
        people = s.exec(select(User.id, User.email).where(User.status == Status.ACTIVE, User.role != Role.ADMIN)
                        .order_by(col(User.id))).all()
        boards = list(s.exec(select(Board.slug)).all())
        threads = list(s.exec(select(Thread.id).order_by(col(Thread.id))).all())
        events = list(s.exec(select(Event.id).where(Event.repeat == '', col(Event.cancelled).is_(False),
                                                    Event.starts_at > utcnow())).all())
    if len(people) < n:
        raise SystemExit(f'only {len(people)} active demo members, {n} wanted')
    chosen = people[:n]
    started = time.perf_counter()
    storage_dir = data_dir / 'browser-storage'  # where main.serve() tells NiceGUI to keep user storage
    members = []
    for user_id, email in chosen:
        signed = db.call(accounts.sign_in, email=email, password=demo.DEMO_PASSWORD, user_agent='soak')
        members.append(Member(user_id, email, browser_cookie(secret, storage_dir, signed.session_id)))
    print(f'   {n} sessions (Argon2 sign-ins) in {time.perf_counter() - started:.1f} s')
    started = time.perf_counter()
    for i, member in enumerate(members):
        other = members[(i + 1) % n]
        if other is member:
            continue
        actor = db.call(accounts.get_user, member.user_id)
        conversation = db.call(dm.start_conversation, actor=actor, member_ids=[other.user_id],
                               body=f'Hallo {other.email.split("@")[0]}, kurze Frage zum Netzwerktreffen.')
        member.conversations.append(conversation)
        other.conversations.append(conversation)
    print(f'   {n} conversations in {time.perf_counter() - started:.1f} s; {len(threads)} threads, {len(boards)} '
          f'boards, {len(events)} events to answer')
    db.get_engine().dispose()
    return World(members, [p[0] for p in people], boards, threads, events)


# ------------------------------------------------------------------ one member


def page_path(kind: str, member: Member, world: World, rng: random.Random) -> str:
    word = quote(rng.choice(SEARCH_WORDS))
    return {
        'start': lambda: '/',
        'directory': lambda: '/members',
        'directory search': lambda: f'/members?q={word}',
        'profile': lambda: f'/members/{rng.choice(world.profiles)}',
        'search': lambda: f'/search?q={word}',
        'boards': lambda: '/boards',
        'board': lambda: f'/boards/{rng.choice(world.boards)}',
        'thread': lambda: f'/threads/{rng.choice(world.threads)}',
        'calendar': lambda: '/events',
        'event': lambda: f'/events/{rng.choice(world.events)}',
        'messages': lambda: '/messages',
        'conversation': lambda: f'/messages/{rng.choice(member.conversations)}',
        'notifications': lambda: '/notifications',
    }[kind]()


def rendered(marker: str, *, besides: int) -> Any:
    """Acknowledged: the marker is in an element other than the text field it was typed into (whose value the
    server echoes), or the server sent the page on to another address (a reply that starts a new page)."""
    has = contains(marker)

    def check(event: str, payload: Any) -> bool:
        if event == 'open':
            return True
        if event != 'update' or not isinstance(payload, dict):
            return False
        return any(int(k) != besides and element is not None and has(event, element) for k, element in payload.items())

    return check


async def write_text(page: SoakPage, field_label: str, button_label: str, text: str,
                     opener: str | None = None) -> float:
    """Type `text` into the field and press the button; seconds from the click to the acknowledgement."""
    if opener is not None:
        await page.click(page.find(label=opener))
    field_id = await page.wait_for_element(field_label, WRITE_TIMEOUT)
    button_id = await page.wait_for_element(button_label, WRITE_TIMEOUT)
    await page.type_text(field_id, text)
    await asyncio.sleep(0.3)  # the field's debounce: nicegui.js sends the value a moment after the last key
    since = len(page.messages)
    clicked = time.perf_counter()
    await page.click(button_id)
    return await page.wait_for_outcome(since, rendered(text, besides=field_id), WRITE_TIMEOUT) - clicked


async def answer_event(page: SoakPage, rng: random.Random) -> float | None:
    choices = [page.find(label=label, tag='q-btn') for label in ANSWERS]
    usable = [c for c in choices if c is not None and page.props(c).get('aria-pressed') == 'false'
              and not page.props(c).get('disable')]
    if not usable:
        return None
    since = len(page.messages)
    clicked = time.perf_counter()
    await page.click(rng.choice(usable))
    saved = contains('Ihre Antwort ist gespeichert.')
    return await page.wait_for_outcome(since, lambda e, p: e == 'open' or (e == 'notify' and saved(e, p)),
                                       WRITE_TIMEOUT) - clicked


async def write(kind: str, page: SoakPage, member: Member, serial: int, rng: random.Random) -> float | None:
    """One write on the open page; None when the page offers none (a closed thread, an event one cannot answer)."""
    marker = f'soak-{member.user_id}-{serial}'
    if kind == 'thread':
        if page.find(label='Antwort schreiben') is None:
            return None
        return await write_text(page, 'Ihre Antwort', 'Antwort senden',
                                f'Danke für den Hinweis, das probieren wir bei uns auch aus ({marker}).',
                                opener='Antwort schreiben')
    if kind == 'event':
        return await answer_event(page, rng)
    if page.find(label='Ihre Nachricht (Markdown)') is None:
        return None
    return await write_text(page, 'Ihre Nachricht (Markdown)', 'Senden', f'Passt das am Donnerstag? ({marker})')


async def member_loop(member: Member, world: World, base: str, stats: Stats, end: float, args: argparse.Namespace,
                      seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - a benchmark's choices
    await asyncio.sleep(rng.uniform(0, args.ramp))
    async with httpx.AsyncClient(base_url=base, cookies=member.cookies, timeout=30) as http:  # the member's browser
        await visit_pages(member, world, base, stats, end, args, rng, http)


async def visit_pages(member: Member, world: World, base: str, stats: Stats, end: float, args: argparse.Namespace,
                      rng: random.Random, http: httpx.AsyncClient) -> None:
    kinds, weights = list(PAGES), list(PAGES.values())
    serial = 0
    while time.perf_counter() < end:
        kind = rng.choices(kinds, weights)[0]
        path = page_path(kind, member, world, rng)
        page = SoakPage(base, path, member.cookies, connect_timeout=30, http=http)
        page.tab_id = member.tab_id  # nicegui.js keeps it in sessionStorage: a new tab id per page would be a new tab
        dwell_until = time.perf_counter() + rng.uniform(args.think_min, args.think_max)
        try:
            await page.open()
        except Exception as e:  # noqa: BLE001 - every failure is counted and the member goes on
            status = page.status_code
            if status is not None and status >= 500:
                stats.error('HTTP 5xx', f'{path}: {e}')
            elif status is not None and status != 200:
                stats.error(f'HTTP {status}', f'{path}: {e}')
            else:
                stats.error('page open failed (socket)', f'{path}: {type(e).__name__}: {e}')
            await close_quietly(page)
            await asyncio.sleep(max(0.0, dwell_until - time.perf_counter()))
            continue
        at = time.perf_counter() - stats.started
        stats.pages[kind].append((at, page.server_ms if page.server_ms is not None else float('nan'),
                                  page.get_seconds * 1000))
        if kind in WRITES and rng.random() < WRITES[kind][1]:
            name = WRITES[kind][0]
            await asyncio.sleep(rng.uniform(1.0, 3.0))  # reading before writing
            serial += 1
            try:
                seconds = await write(kind, page, member, serial, rng)
            except WriteFailed as e:
                stats.writes[name]['refused'] += 1
                stats.refusals[f'{name}: {e}'] += 1
            except Exception as e:  # noqa: BLE001 - a timeout, a lost socket, a missing button: counted, and on
                stats.writes[name]['failed'] += 1
                stats.error(f'{name} not acknowledged', f'{path}: {type(e).__name__}: {e}')
            else:
                if seconds is None:
                    stats.writes[name]['not offered'] += 1
                else:
                    stats.writes[name]['acknowledged'] += 1
                    stats.write_ms[name].append(seconds * 1000)
        await asyncio.sleep(max(0.0, dwell_until - time.perf_counter()))
        if page.disconnect_reason is not None:
            stats.error(f'page lost its socket ({page.disconnect_reason})', path)
        stats.live_messages += len(page.messages)
        await close_quietly(page)


async def close_quietly(page: SoakPage) -> None:
    """Close a tab; a socket that broke already may complain, which changes nothing for the count."""
    try:
        await page.close()
    except Exception:  # noqa: BLE001, S110 - the page is gone either way
        pass


# ------------------------------------------------------------------ the server's side


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f'/proc/{pid}/status').read_text().splitlines():
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def schedstat(pid: int) -> tuple[float, float] | None:
    """(seconds on a CPU, seconds runnable but waiting for a CPU) of the process's main thread, which runs the event
    loop: the waiting is time the server lost to other work on the machine."""
    try:
        on_cpu, waiting, _ = Path(f'/proc/{pid}/schedstat').read_text().split()
    except (OSError, ValueError):
        return None
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def cpu_seconds(pid: int) -> float:
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')  # utime + stime


async def watch_memory(pid: int, stats: Stats, stop_event: asyncio.Event) -> None:
    while not stop_event.is_set():
        if (kb := rss_kb(pid)) is not None:
            load = float(Path('/proc/loadavg').read_text().split()[0])  # other work on the machine skews the times
            stats.rss.append((time.perf_counter() - stats.started, kb, load))
            if (ran := schedstat(pid)) is not None:
                stats.sched.append((time.perf_counter() - stats.started, *ran))
        try:
            await asyncio.wait_for(stop_event.wait(), RSS_EVERY)
        except TimeoutError:
            pass


def read_probe(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def census(probe_path: Path, label: str, timeout: float = 60) -> dict | None:
    """Ask the server's probe for a full collection and a count of objects by type; its line in the probe file."""
    probe_path.with_name(probe_path.name + '.census').write_text(label)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in read_probe(probe_path) if p.get('census') == label]
        if found:
            return found[0]
        time.sleep(0.5)
    return None


def print_census(before: dict | None, after: dict | None) -> None:
    if not before or not after:
        print('   (no census from the server)')
        return
    print(f'   full collection before the members: {before["objects"]:,} objects, {before["allocated_blocks"]:,} '
          f'blocks, RSS {before["rss_kb"] / 1024:.1f} MB; after they stopped and their pages were pruned: '
          f'{after["objects"]:,} objects, {after["allocated_blocks"]:,} blocks, RSS {after["rss_kb"] / 1024:.1f} MB, '
          f'{after["clients"]} NiceGUI clients, {after["user_storages"]} user storages, '
          f'{after["bus_subscriptions"]} bus subscriptions')
    old = dict(before['types'])
    grown = sorted(((n - old.get(t, 0), t, n) for t, n in after['types']), reverse=True)[:12]
    print('   objects that grew most: ' + ', '.join(f'{t.split(".")[-1]} +{d:,}' for d, t, _ in grown if d > 0))
    if 'orphan_elements' in after:
        kinds = ', '.join(f'{k} {n}' for k, n in after['orphan_kinds'])
        print(f'   deleted pages still held: {after["dead_clients"]} NiceGUI clients, {after["orphan_elements"]} '
              f'elements of deleted clients ({kinds})')
        for path, chain in zip(after['paths'], after['chains'], strict=False):
            print(f'     a page of {path or "?"} is held by: ' + ' → '.join(chain[::-1]))


def log_problems(path: Path) -> tuple[Counter, list[str]]:
    """ERROR/CRITICAL lines and tracebacks in the server log: (counts, first distinct lines)."""
    counts: Counter = Counter()
    examples: list[str] = []
    for line in path.read_text(errors='replace').splitlines():
        kind = ('traceback' if line.startswith('Traceback') else
                'ERROR' if re.search(r'\b(ERROR|CRITICAL)\b', line) else
                'WARNING' if re.search(r'\bWARNING\b', line) else None)
        if kind:
            counts[kind] += 1
            text = re.sub(r'^\d{4}-\d\d-\d\d \S+ ', '', line)[:200]  # without the time stamp
            if kind != 'WARNING' and text not in examples and len(examples) < 8:
                examples.append(text)
            elif kind == 'WARNING' and f'(warning) {text}' not in examples and len(examples) < 8:
                examples.append(f'(warning) {text}')
    return counts, examples


# ------------------------------------------------------------------ report


def fmt(value: float) -> str:
    return '—' if value != value else f'{value:.1f}'  # NaN: no Server-Timing header


def print_stalls(probes: list[dict]) -> None:
    """What held the server's event loop while it was 20 ms or more behind (every page waiting meanwhile waited for
    it), and the young garbage collections (each holds the loop too)."""
    last = next((p for p in reversed(probes) if 'stalls' in p), None)
    if last is None:
        return
    stalls = last['stalls']
    print(f'   event loop 20 ms or more behind: {sum(stalls.values()):.1f} s sampled; what it ran meanwhile:')
    for name, seconds in list(stalls.items())[:12]:
        print(f'     {seconds:7.2f} s  {name}')
    for name, (n, server, awaiting, work, cpu) in last.get('requests', {}).items():
        print(f'   page requests, {name} ({n:,}): server {server:.1f} ms = {server - awaiting:.1f} on the event loop + '
              f'{awaiting:.1f} awaiting worker threads, of which the work ran {work:.1f} ({cpu:.1f} CPU) and '
              f'{awaiting - work:.1f} waited for a thread and the loop')
    for generation, (n, total, p95, longest) in sorted(last['young_gc'].items()):
        cpu = last.get('young_gc_cpu', {}).get(generation, [0, 0.0, 0.0, 0.0])
        freed = last.get('young_gc_collected', {}).get(generation, 0)
        print(f'   generation {generation} collections: {n:,}, {total / 1000:.1f} s in all '
              f'(CPU {cpu[1] / 1000:.1f} s), p95 {p95:.1f} ms (CPU {cpu[2]:.1f}), longest {longest:.1f} ms; '
              f'{freed:,} objects freed')


def report(stats: Stats, probes: list[dict], args: argparse.Namespace, log_path: Path, server_cpu: float,
           seconds: float, after: list[tuple[str, int | None]]) -> None:
    total = sum(len(v) for v in stats.pages.values())
    print(f'\n== Pages: {total} opened in {seconds / 60:.1f} min ({total / seconds:.1f}/s), '
          f'{stats.live_messages} Socket.IO messages received by the pages')
    print(f'   {"page":<18} {"requests":>8} {"server median":>13} {"p95":>7} {"max":>7} {"round trip p95":>14}  goal')
    met = []
    for kind in PAGES:
        rows = stats.pages.get(kind, [])
        if not rows:
            continue
        server = [r[1] for r in rows if r[1] == r[1]]
        med, p95 = percentiles(server) if server else (float('nan'), float('nan'))
        _, rt95 = percentiles([r[2] for r in rows])
        goal = ''
        if kind in GOALS:
            stat, limit, text = GOALS[kind]
            ok_named = (med if stat == 'median' else p95) < limit
            met.append((kind, p95 < limit, ok_named))
            goal = f'{text}: {"met" if ok_named else "MISSED"}' + ('' if stat == 'p95' else
                                                                      f'; p95 {"<" if p95 < limit else ">="} {limit}')
        print(f'   {kind:<18} {len(rows):>8} {fmt(med):>13} {fmt(p95):>7} {fmt(max(server, default=float("nan"))):>7} '
              f'{rt95:>14.1f}  {goal}')
    every = [r[1] for rows in stats.pages.values() for r in rows if r[1] == r[1]]
    if every:
        med, p95 = percentiles(every)
        print(f'   {"all pages":<18} {len(every):>8} {med:>13.1f} {p95:>7.1f} {max(every):>7.1f}')

    print('\n== Writes through the page (Socket.IO events on the real buttons); click → acknowledgement in ms')
    for name in ('reply', 'RSVP', 'message'):
        counts = stats.writes.get(name, Counter())
        values = stats.write_ms.get(name, [])
        med, p95 = percentiles(values) if values else (float('nan'), float('nan'))
        print(f'   {name:<8} acknowledged {counts["acknowledged"]:>5}, refused {counts["refused"]:>3}, '
              f'not acknowledged {counts["failed"]:>3}, nothing to do {counts["not offered"]:>3}; '
              f'median {fmt(med)}, p95 {fmt(p95)}, max {fmt(max(values, default=float("nan")))}')
    for text, n in stats.refusals.most_common(5):
        print(f'     refused {n}x: {text[:150]}')

    problems, examples = log_problems(log_path)
    print('\n== Errors')
    print(f'   seen by the members: {sum(stats.errors.values())}' + (' — ' + ', '.join(
        f'{k}: {v}' for k, v in stats.errors.most_common()) if stats.errors else ''))
    for kind, example in stats.error_examples.items():
        print(f'     e.g. {kind}: {example}')
    print(f'   server log: {problems["ERROR"]} ERROR lines, {problems["traceback"]} tracebacks, '
          f'{problems["WARNING"]} warnings')
    for line in examples:
        print(f'     {line}')

    print(f'\n== Server memory (VmRSS every {RSS_EVERY:.0f} s) and the probe\'s counters at the end of each minute; '
          'p95: server time, rt p95: round trip of the GET (incl. waiting before the app saw it); loop/wait: seconds '
          'the event loop thread ran on a CPU / waited for one in that minute; lag: the simulated members\' own event '
          'loop, worst delay; load: machine, 1 min')
    print(f'   {"minute":>6} {"RSS MB":>7} {"clients":>7} {"connected":>9} {"storages":>8} {"tabs":>5} {"bus subs":>8} '
          f'{"blocks k":>8} {"pages":>5} {"p95 ms":>7} {"rt p95":>7} {"loop/wait s":>11} {"lag s":>5} {"load":>5}')
    per_minute: dict[int, list[float]] = defaultdict(list)
    round_trips: dict[int, list[float]] = defaultdict(list)
    for rows in stats.pages.values():
        for at, server, round_trip in rows:
            round_trips[int(at // 60)].append(round_trip)
            if server == server:
                per_minute[int(at // 60)].append(server)
    previous = (0.0, 0.0)
    for minute in range(int(seconds // 60) + 2):
        within = [r for r in stats.rss if minute * 60 <= r[0] < (minute + 1) * 60]
        probe = [p for p in probes if p['at'] < (minute + 1) * 60]
        last = probe[-1] if probe else {}
        values = per_minute.get(minute, [])
        p95 = percentiles(values)[1] if values else float('nan')
        rt95 = percentiles(round_trips[minute])[1] if round_trips.get(minute) else float('nan')
        sched = [r for r in stats.sched if r[0] < (minute + 1) * 60]
        ran = (sched[-1][1] - previous[0], sched[-1][2] - previous[1]) if sched else (float('nan'),) * 2
        previous = sched[-1][1:] if sched else previous
        if not within and not values:
            continue
        print(f'   {minute:>6} {within[-1][1] / 1024 if within else float("nan"):>7.1f} {last.get("clients", ""):>7} '
              f'{last.get("connected", ""):>9} {last.get("user_storages", ""):>8} {last.get("tab_storages", ""):>5} '
              f'{last.get("bus_subscriptions", ""):>8} {last.get("allocated_blocks", 0) / 1000:>8.0f} '
              f'{len(values):>5} {fmt(p95):>7} {fmt(rt95):>7} {ran[0]:>5.1f}/{ran[1]:<5.1f} '
              f'{stats.lag.get(minute, float("nan")):>5.1f} '
              f'{max(r[2] for r in within) if within else float("nan"):>5.1f}')
    for label, kb in after:
        print(f'   {label}: RSS {kb / 1024 if kb else float("nan"):.1f} MB')
    pauses, seen = [], 0
    for p in probes:  # each full collection, at the first sample that lists it
        for wall, cpu in p.get('gc2', [])[seen:]:
            pauses.append((p['at'] / 60, wall, cpu))
        seen = max(seen, len(p.get('gc2', [])))
    if pauses:
        print(f'   full (generation 2) collections in the server: {len(pauses)}; event loop held for ' + ', '.join(
            f'{wall / 1000:.1f} s (CPU {cpu / 1000:.1f} s) at {max(at, 0):.1f} min' for at, wall, cpu in pauses))
    print_stalls(probes)
    warm = args.warmup * 60
    curve = [(at / 60, kb / 1024) for at, kb, _ in stats.rss if at >= warm]
    if len(curve) >= 3:
        slope = statistics.linear_regression([c[0] for c in curve], [c[1] for c in curve]).slope
        print(f'   after the {args.warmup:g}-minute warm-up: RSS {curve[0][1]:.1f} → {curve[-1][1]:.1f} MB '
              f'(min {min(c[1] for c in curve):.1f}, max {max(c[1] for c in curve):.1f}), '
              f'trend {slope:+.2f} MB/min')
    print(f'   server CPU: {server_cpu:.0f} s in {seconds:.0f} s ({server_cpu / seconds * 100:.0f} % of one core); '
          f'the simulated members\' process: {stats.client_cpu:.0f} s; machine load (1 min) median '
          f'{statistics.median([lo for *_, lo in stats.rss]) if stats.rss else float("nan"):.1f} on '
          f'{os.cpu_count()} cores')
    if met:
        print('\n== Goals: ' + ', '.join(f'{k} {"met" if named else "MISSED"} (p95 {"within" if p95_ok else "over"})'
                                         for k, p95_ok, named in met))


# ------------------------------------------------------------------ main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--minutes', type=float, default=30)
    parser.add_argument('--members', type=int, default=200)
    parser.add_argument('--think-min', type=float, default=30, help='shortest time a page stays open (s)')
    parser.add_argument('--think-max', type=float, default=90, help='longest time a page stays open (s)')
    parser.add_argument('--ramp', type=float, default=None, help='members start within this many seconds '
                        '(default: 300, or a tenth of a shorter run)')
    parser.add_argument('--warmup', type=float, default=None, help='minutes left out of the memory trend '
                        '(default: 5, or a third of a shorter run)')
    parser.add_argument('--seed', type=int, default=2026)
    args = parser.parse_args()
    args.ramp = args.ramp if args.ramp is not None else min(300.0, args.minutes * 6)
    args.warmup = args.warmup if args.warmup is not None else min(5.0, args.minutes / 3)
    return args


async def watch_lag(stats: Stats, stop_event: asyncio.Event) -> None:
    """How late the members' own event loop wakes up: a stalled simulator misses the server's pings too (NiceGUI
    drops a socket that has not answered within ping_interval + ping_timeout, 8 + 4 s with reconnect_timeout=10)."""
    while not stop_event.is_set():
        planned = time.perf_counter() + 0.5
        await asyncio.sleep(0.5)
        late = time.perf_counter() - planned
        minute = int((time.perf_counter() - stats.started) // 60)
        stats.lag[minute] = max(stats.lag[minute], late)


async def progress(stats: Stats, stop_event: asyncio.Event) -> None:
    """One line a minute, so that a long run in the background shows how it goes."""
    while not stop_event.is_set():
        try:
            await asyncio.wait_for(stop_event.wait(), 60)
        except TimeoutError:
            pages = sum(len(v) for v in stats.pages.values())
            writes = sum(c['acknowledged'] for c in stats.writes.values())
            rss, load = (stats.rss[-1][1] / 1024, stats.rss[-1][2]) if stats.rss else (float('nan'), float('nan'))
            common = ', '.join(f'{k} {v}' for k, v in stats.errors.most_common(2))
            print(f'   {(time.perf_counter() - stats.started) / 60:5.1f} min: {pages} pages, {writes} writes '
                  f'acknowledged, {sum(stats.errors.values())} errors{f" ({common})" if common else ""}, '
                  f'server RSS {rss:.0f} MB, load {load:.1f}', flush=True)


async def run(world: World, base: str, pid: int, args: argparse.Namespace, stats: Stats) -> float:
    stop_event = asyncio.Event()
    watcher = asyncio.create_task(watch_memory(pid, stats, stop_event))
    reporter = asyncio.create_task(progress(stats, stop_event))
    lag = asyncio.create_task(watch_lag(stats, stop_event))
    end = time.perf_counter() + args.minutes * 60
    stats.started, stats.wall_started = time.perf_counter(), time.time()
    await asyncio.gather(*(member_loop(m, world, base, stats, end, args, args.seed * 1000 + i)
                           for i, m in enumerate(world.members)))
    seconds = time.perf_counter() - stats.started
    stop_event.set()
    await asyncio.gather(watcher, reporter, lag)
    return seconds


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # the progress lines of a run in the background, as they come
    args = parse_args()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-soak-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    probe_path = tmp / 'probe.jsonl'
    print(f'== Soak: {args.members} members for {args.minutes:g} min on one server process; a page stays open '
          f'{args.think_min:g}-{args.think_max:g} s; ramp-up {args.ramp:g} s; data in {tmp}')
    try:
        world = prepare(data_dir, args.members)
        os.environ['SOAK_PROBE_FILE'] = str(probe_path)
        proc, base, startup = start_server(data_dir, script='benchmarks/soak_server.py')
        print(f'   server pid {proc.pid} started in {startup:.1f} s, RSS {rss_kb(proc.pid) / 1024:.1f} MB')
        censuses = {'before': census(probe_path, 'before')}
        stats = Stats()
        after: list[tuple[str, int | None]] = []
        try:
            cpu_before, own_before = cpu_seconds(proc.pid), time.process_time()
            try:
                seconds = asyncio.run(run(world, base, proc.pid, args, stats))
            except KeyboardInterrupt:  # a run stopped early still reports what it measured
                seconds = time.perf_counter() - stats.started
                print(f'   interrupted after {seconds / 60:.1f} min: the figures so far')
            server_cpu = cpu_seconds(proc.pid) - cpu_before
            stats.client_cpu = time.process_time() - own_before
            after.append(('members stopped', rss_kb(proc.pid)))
            time.sleep(25)  # NiceGUI deletes a page 10 s (reconnect_timeout) after its socket closed
            after.append(('25 s later, closed pages pruned', rss_kb(proc.pid)))
            censuses['after'] = census(probe_path, 'after')
        finally:
            stop(proc)
        probes = [p for p in read_probe(probe_path) if 'census' not in p]
        for p in probes:
            p['at'] = p['time'] - stats.wall_started
        report(stats, probes, args, tmp / 'server.log', server_cpu, seconds, after)
        print_census(censuses['before'], censuses.get('after'))
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
