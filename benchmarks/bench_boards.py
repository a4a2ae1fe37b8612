"""Discussion-board figures on a large network: 10,000 members, 20 boards, 50,000 threads, 1,000,000 posts.

    .venv/bin/python benchmarks/bench_boards.py            # needs Debian's chromium for the sign-in

Seeds with its own bulk SQL (a million posts through the services would take hours), then measures:
in-process service times (open_thread, list_threads, search_posts), the server time (Server-Timing header) of a
thread page with 50 posts, a board page and a search, and the time from posting a reply in a real browser to its
appearance in 100 other connected pages. Prints figures; asserts nothing. About 10-15 minutes on 2 cores.

Environment: BENCH_POSTS (default 1,000,000), BENCH_RUNS (in-process calls per figure, 100), BENCH_HTTP_RUNS
(requests per figure, 100), BENCH_CLIENTS (live pages, 100), BENCH_ROUNDS (live replies, 5), BENCH_KEEP=1 (keep
the seeded data folder).
"""

import asyncio
import html
import itertools
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from running import PASSWORD, clean_up, launch_chromium, percentiles, server_times, sign_in_cookies, start_server, stop

from services import search  # noqa: E402
from services.demo import DEPARTMENTS, FIRST_NAMES, LAST_NAMES, TOPICS  # noqa: E402

SEED = 2026
POSTS = int(os.environ.get('BENCH_POSTS', '1000000'))
THREADS = max(20, POSTS // 20)
BOARDS = 20
MEMBERS = 10_000
ORGS = 40
RUNS = int(os.environ.get('BENCH_RUNS', '100'))
HTTP_RUNS = int(os.environ.get('BENCH_HTTP_RUNS', '100'))
CLIENTS = int(os.environ.get('BENCH_CLIENTS', '100'))
ROUNDS = int(os.environ.get('BENCH_ROUNDS', '5'))  # replies sent during the live measurement
CHUNK = 50_000  # posts per transaction

BOARD_NAMES = (
    'Digitalisierung & OZG', 'Personal & Ausbildung', 'Bürgerservice', 'Beschaffung & Vergabe', 'Klima & Mobilität',
    'Ankündigungen', 'Haushalt & Finanzen', 'Recht & Datenschutz', 'IT-Sicherheit', 'Bauen & Wohnen',
    'Soziales & Jugend', 'Schule & Bildung', 'Ordnung & Sicherheit', 'Kultur & Sport', 'Wirtschaftsförderung',
    'Organisation & Prozesse', 'Gesundheit', 'Integration', 'Statistik & Open Data', 'Kaffeeküche',
)
WORDS = (
    'Antrag', 'Bescheid', 'Verfahren', 'Bürgerbeteiligung', 'Zuständigkeit', 'Fachverfahren', 'Schnittstelle',
    'Einführung', 'Dienstvereinbarung', 'Personalrat', 'Ausschreibung', 'Vergabe', 'Rahmenvertrag', 'Haushalt',
    'Förderung', 'Satzung', 'Beschluss', 'Ratsvorlage', 'Prozess', 'Digitalisierung', 'Scanstelle', 'Akte',
    'Onlinedienst', 'Terminbuchung', 'Wartezeit', 'Bürgerbüro', 'Kfz-Zulassung', 'Wohngeld', 'Elterngeld',
    'Fachkräfte', 'Ausbildung', 'Homeoffice', 'Schulung', 'Lizenz', 'Datenschutz', 'Informationssicherheit',
    'Barrierefreiheit', 'Klimaschutz', 'Radverkehr', 'Lastenrad', 'Wärmeplanung', 'Photovoltaik', 'Quartier',
    'Kita-Platz', 'Jugendhilfe', 'Integrationskurs', 'Statistik', 'Open-Data', 'Kommune', 'Kreis', 'Land',
    'Erfahrung', 'Lösung', 'Vorlage', 'Muster', 'Checkliste', 'Kosten', 'Zeitplan', 'Pilotprojekt', 'Evaluation',
)
PREFIXES = ('Bürger', 'Bau', 'Personal', 'Haushalts', 'Daten', 'Schul', 'Kita', 'Jugend', 'Sozial', 'Ordnungs',
            'Umwelt', 'Verkehrs', 'Rad', 'Wärme', 'Energie', 'Vergabe', 'Förder', 'Digital', 'Akten', 'Prozess',
            'Service', 'Termin', 'Melde', 'Steuer', 'Gebühren', 'Grundstücks', 'Wohn', 'Eltern', 'Pflege', 'Kultur')
SUFFIXES = ('amt', 'antrag', 'büro', 'stelle', 'konzept', 'planung', 'verfahren', 'gesetz', 'satzung', 'vorlage',
            'recht', 'portal', 'dienst', 'bescheid', 'prüfung', 'beratung', 'verwaltung', 'management', 'schutz',
            'förderung', 'leistung', 'register', 'daten', 'team', 'projekt', 'kosten', 'vertrag', 'system', 'software',
            'schulung')
# A forum's words follow Zipf's law: a few are everywhere, most are rare. Rank r is drawn with weight 1/r.
VOCABULARY = tuple(dict.fromkeys(WORDS + tuple(p + s for p in PREFIXES for s in SUFFIXES)))
ZIPF_CUMULATIVE = tuple(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
FILLER = ('wir', 'haben', 'bei', 'uns', 'das', 'mit', 'der', 'die', 'und', 'für', 'ein', 'eine', 'ist', 'nach',
          'auch', 'noch', 'gute', 'erste', 'seit', 'im', 'am', 'zum', 'gibt', 'es', 'dazu', 'schon', 'sehr')
COMMON = 'Erfahrung'  # in a tenth of all posts: the figures include the broadest search too
QUERIES = ('Scanstelle', 'Wohngeld Bescheid', 'Erfahrung', 'Lastenrad Förderung', 'dienstverein', 'Bürgerbüro',
           'Kita-Platz Jugendhilfe', 'Wärmeplanung', 'Pilotprojekt Evaluation', 'Checkliste', 'Antrag',
           'Schulamt', 'Datenschutz', 'Terminportal', 'Wohnbescheid', 'Kulturförderung')


def db_time(dt: datetime) -> str:
    """As SQLAlchemy's UTCDateTime stores it in SQLite: naive UTC with microseconds."""
    return dt.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S.%f')


def sentence(rng: random.Random) -> str:
    count = rng.randint(8, 16)
    content = iter(rng.choices(VOCABULARY, cum_weights=ZIPF_CUMULATIVE, k=count))
    words = [next(content) if rng.random() < 0.45 else rng.choice(FILLER) for _ in range(count)]
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), COMMON)
    return ' '.join(words).capitalize() + '.'


def post_body(rng: random.Random) -> str:
    return '\n\n'.join(' '.join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3)))


def as_html(body: str) -> str:
    return ''.join(f'<p>{html.escape(p)}</p>' for p in body.split('\n\n'))


def thread_sizes(rng: random.Random) -> list[int]:
    """Posts per thread: most threads short, some long (a thread page of 50 posts needs long ones), sum == POSTS."""
    sizes = [max(1, int(rng.paretovariate(1.3) * 6)) for _ in range(THREADS)]
    scale = POSTS / sum(sizes)
    sizes = [max(1, int(s * scale)) for s in sizes]
    i = 0
    while sum(sizes) < POSTS:
        sizes[i % THREADS] += 1
        i += 1
    while sum(sizes) > POSTS:
        if sizes[i % THREADS] > 1:
            sizes[i % THREADS] -= 1
        i += 1
    return sizes


def seed(path: Path) -> dict[str, Any]:
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute('PRAGMA synchronous=OFF')
    conn.execute('PRAGMA cache_size=-400000')
    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn.execute('BEGIN')
    conn.executemany('INSERT INTO organization (id, name, name_key, kind, level, city, website, logo, created_at) '
                     "VALUES (?, ?, ?, 'Kommune', 'kommunal', ?, '', '', ?)",
                     [(i, f'Stadt Beispiel {i}', f'stadt beispiel {i}', f'Ort {i}', db_time(now))
                      for i in range(1, ORGS + 1)])
    users, fts = [], []
    for uid in range(1, MEMBERS + 1):
        name = f'{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}'
        org = rng.randint(1, ORGS)
        users.append((uid, f'm{uid}@example.org', f'm{uid}@example.org', name, search.sort_key(name), '!', 'member',
                      'active', 'de', org, db_time(now - timedelta(days=800))))
        fts.append((uid, search.fold(name), f'stadt beispiel {org}', '', search.fold(rng.choice(DEPARTMENTS)), '', '',
                    ''))
    conn.executemany('INSERT INTO "user" (id, email, email_key, name, sort_name, password_hash, role, status, '
                     'language, organization_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', users)
    conn.executemany('INSERT INTO member_fts (rowid, name, organization, position, department, tags, bio, location) '
                     'VALUES (?, ?, ?, ?, ?, ?, ?, ?)', fts)
    conn.executemany('INSERT INTO board (id, slug, name, description, position, moderators_only, archived, '
                     'created_at, thread_count, post_count) VALUES (?, ?, ?, ?, ?, 0, 0, ?, 0, 0)',
                     [(i + 1, f'forum-{i + 1}', n, f'Alles rund um {n}', i + 1, db_time(now - timedelta(days=800)))
                      for i, n in enumerate(BOARD_NAMES)])
    conn.execute('COMMIT')
    timings['members'] = time.perf_counter() - started

    sizes = thread_sizes(rng)
    started = time.perf_counter()
    post_id = 0
    post_rows: list[tuple] = []
    fts_rows: list[tuple] = []
    thread_rows: list[tuple] = []
    board_stats: dict[int, list] = {b: [0, 0, None, None] for b in range(1, BOARDS + 1)}
    span = 730 * 86400

    def flush() -> None:
        conn.execute('BEGIN')
        conn.executemany('INSERT INTO thread (id, board_id, author_id, title, created_at, last_post_at, '
                         'last_poster_id, post_count, reply_count, view_count, solution_post_id, pinned, locked, '
                         'deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)', thread_rows)
        conn.executemany('INSERT INTO post (id, thread_id, number, author_id, body, body_html, created_at, deleted, '
                         'thanks_count, helpful_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)', post_rows)
        conn.executemany('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', fts_rows)
        conn.execute('COMMIT')
        thread_rows.clear()
        post_rows.clear()
        fts_rows.clear()

    for tid, size in enumerate(sizes, start=1):
        board = rng.randint(1, BOARDS)
        created = now - timedelta(seconds=rng.randint(0, span))
        title = f'{rng.choice(WORDS)}: {rng.choice(TOPICS)} – {sentence(rng)[:80].rstrip(".")}?'
        author = rng.randint(1, MEMBERS)
        moment = created
        last_author = author
        first_reply = None
        for number in range(1, size + 1):
            post_id += 1
            who = author if number == 1 else rng.randint(1, MEMBERS)
            if number > 1:
                moment = min(now, moment + timedelta(minutes=rng.randint(5, 3000)))
                first_reply = first_reply or post_id
            body = post_body(rng)
            post_rows.append((post_id, tid, number, who, body, as_html(body), db_time(moment), rng.randint(0, 3),
                              rng.randint(0, 2)))
            fts_rows.append((post_id, search.fold(title) if number == 1 else '', search.fold(body)))
            last_author = who
        solution = first_reply if first_reply and rng.random() < 0.4 else None
        thread_rows.append((tid, board, author, title[:200], db_time(created), db_time(moment), last_author, size,
                            size - 1, rng.randint(size, size * 20), solution, 1 if rng.random() < 0.002 else 0))
        stats = board_stats[board]
        stats[0] += 1
        stats[1] += size
        if stats[2] is None or moment > stats[2]:
            stats[2], stats[3] = moment, tid
        if len(post_rows) >= CHUNK:
            flush()
    flush()
    timings['posts'] = time.perf_counter() - started

    started = time.perf_counter()
    conn.execute('BEGIN')
    conn.executemany('UPDATE board SET thread_count = ?, post_count = ?, last_post_at = ?, last_thread_id = ? '
                     'WHERE id = ?', [(s[0], s[1], db_time(s[2]) if s[2] else None, s[3], b)
                                      for b, s in board_stats.items()])
    conn.execute('COMMIT')
    conn.execute("INSERT INTO post_fts (post_fts) VALUES ('optimize')")
    conn.execute('ANALYZE')
    conn.execute('PRAGMA optimize')
    conn.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    conn.close()
    timings['index'] = time.perf_counter() - started
    long_threads = [tid for tid, size in enumerate(sizes, start=1) if size >= 50]
    return {'timings': timings, 'long_threads': long_threads, 'sizes': sizes}


def measure(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times)


def in_process(seeded: dict[str, Any], viewer: Any) -> None:
    from services import boards, db, forum_search
    from services.forum_search import PostFilters

    rng = random.Random(7)
    long_threads = seeded['long_threads']
    print('== In-process service times (ms, median / p95)')
    med, p95 = measure(lambda: db.call(boards.open_thread, viewer=viewer, thread_id=rng.choice(long_threads),
                                       page=1), RUNS)
    print(f'   open_thread, 50 posts (and the read mark written): {med:.1f} / {p95:.1f}')
    for sort in ('activity', 'newest', 'unanswered', 'solved'):
        med, p95 = measure(lambda s=sort: db.call(boards.list_threads, viewer=viewer,
                                                  slug=f'forum-{rng.randint(1, BOARDS)}', sort=s,
                                                  page=rng.randint(1, 5)), RUNS)
        print(f'   list_threads sort={sort}: {med:.1f} / {p95:.1f}')
    med, p95 = measure(lambda: db.call(boards.list_boards, viewer=viewer), RUNS)
    print(f'   list_boards (with news counts): {med:.1f} / {p95:.1f}')
    for q in QUERIES:
        med, p95 = measure(lambda q=q: db.call(forum_search.search_posts, viewer=viewer, filters=PostFilters(q=q)),
                           max(10, RUNS // 5))
        found = db.call(forum_search.search_posts, viewer=viewer, filters=PostFilters(q=q))
        print(f'   search_posts "{q}": {med:.1f} / {p95:.1f} ({found.total}{"+" if found.capped else ""} hits)')
    med, p95 = measure(lambda: db.call(forum_search.search_posts, viewer=viewer, filters=PostFilters(
        q='Bescheid', board='forum-3', solved=True)), max(10, RUNS // 5))
    print(f'   search_posts "Bescheid" in one board, solved only: {med:.1f} / {p95:.1f}')


def over_http(data_dir: Path, email: str, seeded: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    rng = random.Random(11)
    proc, base, startup = start_server(data_dir, timeout=120)
    try:
        print(f'== Over HTTP (server started in {startup:.1f} s); Server-Timing in ms, median / p95 '
              '(round trip median)')
        with sync_playwright() as p:
            browser = launch_chromium(p)
            cookies, _ = sign_in_cookies(browser, base, email)
            browser.close()
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            long_threads = seeded['long_threads']
            urls = [f'/threads/{rng.choice(long_threads)}?page=1' for _ in range(HTTP_RUNS)]
            client.get(urls[0])  # warm-up
            print('   thread page, 50 posts:              {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = [f'/boards/forum-{rng.randint(1, BOARDS)}' for _ in range(HTTP_RUNS)]
            print('   board page (latest activity):       {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = [f'/boards/forum-{rng.randint(1, BOARDS)}?sort=solved&page={rng.randint(1, 5)}'
                    for _ in range(HTTP_RUNS)]
            print('   board page (solved, pages 1-5):     {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = ['/boards'] * HTTP_RUNS
            print('   /boards (counts and news):          {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = ['/search?' + urlencode({'q': rng.choice(QUERIES)}) for _ in range(HTTP_RUNS)]
            print('   search (mixed queries):             {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
    finally:
        stop(proc)
    # The live figure on a freshly started server: the requests above opened hundreds of pages whose sockets never
    # connect (a browser's would), which linger for a minute and would make the garbage collector's work part of it.
    proc, base, _ = start_server(data_dir, timeout=120)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            cookies, _ = sign_in_cookies(browser, base, email)
            browser.close()
        live(base, cookies, email, seeded)
    finally:
        stop(proc)


def live(base: str, cookies: dict[str, str], email: str, seeded: dict[str, Any]) -> None:
    """From the click on "Antwort senden" in a real browser to the reply's text in CLIENTS other open pages."""
    from live_clients import open_clients
    from playwright.sync_api import sync_playwright

    # The longest thread whose last page has room for every reply: a reply that starts a new page is announced
    # to readers of the previous one with a link, not shown.
    room = [t for t in seeded['long_threads'] if 0 < seeded['sizes'][t - 1] % 50 <= 50 - ROUNDS]
    thread_id = max(room, key=lambda t: seeded['sizes'][t - 1])
    pages = -(-seeded['sizes'][thread_id - 1] // 50)
    path = f'/threads/{thread_id}?page={pages}'  # the last page: where a reply appears
    print(f'== Live: {CLIENTS} connected pages on thread {thread_id} (last page {pages}), a reply from a browser')

    async def scenario() -> list[float]:
        clients = await open_clients(base, path, cookies, CLIENTS)
        try:
            latencies = []
            with sync_playwright_in_thread() as poster:
                for round_no in range(ROUNDS):
                    text = f'Live-Antwort {round_no} {random.randint(0, 10**9)}'
                    waits = [asyncio.ensure_future(c.wait_for_text(text, timeout=30)) for c in clients]
                    clicked = await poster.post(text)
                    arrived = await asyncio.gather(*waits)
                    latencies.append([(t - clicked) * 1000 for t in arrived])
            return latencies
        finally:
            await asyncio.gather(*(c.close() for c in clients))

    class sync_playwright_in_thread:  # noqa: N801 - a context manager around a browser in its own thread
        """Playwright's sync API cannot run inside asyncio: the poster's browser lives in a worker thread."""

        def __enter__(self) -> 'sync_playwright_in_thread':
            import concurrent.futures

            self.pool = concurrent.futures.ThreadPoolExecutor(1)
            self.pool.submit(self._start).result()
            return self

        def _start(self) -> None:
            self.pw = sync_playwright().start()
            self.browser = launch_chromium(self.pw)
            context = self.browser.new_context()
            context.add_cookies([{'name': k, 'value': v, 'url': base} for k, v in cookies.items()])
            self.page = context.new_page()
            self.page.goto(base + path)
            self.page.get_by_role('button', name='Antwort schreiben').click()
            self.page.get_by_label('Ihre Antwort').wait_for()

        def _post(self, text: str) -> float:
            self.page.get_by_label('Ihre Antwort').fill(text)
            button = self.page.get_by_role('button', name='Antwort senden')
            clicked = time.perf_counter()
            button.click()
            return clicked

        async def post(self, text: str) -> float:
            return await asyncio.get_running_loop().run_in_executor(self.pool, self._post, text)

        def __exit__(self, *exc: object) -> None:
            self.pool.submit(lambda: (self.browser.close(), self.pw.stop())).result()
            self.pool.shutdown()

    rounds = asyncio.run(scenario())
    for i, values in enumerate(rounds):
        med, p95 = percentiles(values)
        print(f'   reply {i + 1}: arrived in all {len(values)} pages after max {max(values):.0f} ms '
              f'(median {med:.0f}, p95 {p95:.0f})')


def main() -> None:
    from services import accounts, db

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-boards-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    path = data_dir / 'verwaltungsnetz.db'
    url = f'sqlite:///{path}'
    try:
        print(f'== Seeding {MEMBERS:,} members, {BOARDS} boards, {THREADS:,} threads, {POSTS:,} posts (bulk SQL)')
        db.configure(url)
        db.upgrade(url)
        db.get_engine().dispose()
        seeded = seed(path)
        t = seeded['timings']
        print(f'   members {t["members"]:.1f} s, threads and posts with the FTS5 index {t["posts"]:.1f} s, '
              f'optimize and ANALYZE {t["index"]:.1f} s')
        size = sum(p.stat().st_size for p in data_dir.iterdir())
        print(f'   {len(seeded["long_threads"]):,} threads with 50 posts or more; database {size / 1e6:.0f} MB')
        db.configure(url)
        member = db.call(accounts.get_user, 4242)
        # A known password for signing in (create_admin promotes), then back to a plain member's view.
        db.call(accounts.create_admin, email='bench-admin@example.org', name='Bench Admin', password=PASSWORD)
        admin = db.call(accounts.get_user, MEMBERS + 1)
        db.call(accounts.create_admin, email=member.email, name=member.name, password=PASSWORD)
        db.call(accounts.set_role, actor=admin, user_id=member.id, role='member')
        viewer = db.call(accounts.get_user, member.id)
        in_process(seeded, viewer)
        db.get_engine().dispose()
        over_http(data_dir, viewer.email, seeded)
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
