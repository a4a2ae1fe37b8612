"""Calendar benchmark: 20,000 events (2,000 of them series) and 10,000 members.

Figures from issue #5: server time for the month view (median < 50 ms), for an event page with 500 attendees
(< 50 ms) and for a personal feed with 300 events (< 100 ms). Seeds a throw-away SQLite database with bulk SQL,
measures the services in-process, then the pages over HTTP on a real server (Server-Timing header).

    .venv/bin/python benchmarks/bench_events.py      # BENCH_RUNS / BENCH_HTTP_RUNS / BENCH_KEEP to adjust
"""

import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from running import (  # noqa: E402
    PASSWORD,
    clean_up,
    launch_chromium,
    percentiles,
    server_times,
    sign_in_cookies,
    start_server,
    stop,
)

SEED = 5
MEMBERS = 10_000
ORGS = 60
EVENTS = 20_000
SERIES = 2_000
BIG_EVENT_ATTENDEES = 500
FEED_EVENTS = 300
RUNS = int(os.environ.get('BENCH_RUNS', '100'))
HTTP_RUNS = int(os.environ.get('BENCH_HTTP_RUNS', '100'))
WORDS = ('Workshop', 'Austausch', 'Netzwerktreffen', 'Barcamp', 'Jour fixe', 'Sprechstunde', 'Online-Café',
         'Fachtag', 'Arbeitskreis', 'Lunch & Learn')
TOPICS = ('E-Akte', 'OZG', 'Vergaberecht', 'Bürgerbeteiligung', 'Datenschutz', 'KI in der Verwaltung',
          'Personalgewinnung', 'Klimaanpassung', 'Open Data', 'Wissensmanagement')


def db_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S.%f')


def seed(path: Path) -> dict[str, Any]:
    from services import recurrence
    from services.local_time import to_local, to_utc

    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute('PRAGMA synchronous=OFF')
    started = time.perf_counter()
    conn.execute('BEGIN')
    conn.executemany('INSERT INTO organization (id, name, name_key, kind, level, city, website, logo, created_at) '
                     "VALUES (?, ?, ?, 'Kommune', 'kommunal', '', '', '', ?)",
                     [(i, f'Stadt Beispiel {i}', f'stadt beispiel {i}', db_time(now)) for i in range(1, ORGS + 1)])
    conn.executemany('INSERT INTO "user" (id, email, email_key, name, sort_name, password_hash, role, status, '
                     'language, organization_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                     [(u, f'm{u}@example.org', f'm{u}@example.org', f'Mitglied {u}', f'mitglied {u:05d}', '!',
                       'member', 'active', 'de', rng.randint(1, ORGS), db_time(now - timedelta(days=900)))
                      for u in range(1, MEMBERS + 1)])
    conn.executemany('INSERT INTO tag (id, name, key) VALUES (?, ?, ?)',
                     [(i + 1, t, t.lower()) for i, t in enumerate(TOPICS)])
    rows, tags = [], []
    first = now - timedelta(days=365)
    for event_id in range(1, EVENTS + 1):
        local_day = to_local(first).date() + timedelta(days=rng.randint(0, 3 * 365))
        hour = rng.choice((9, 10, 13, 14, 16))
        starts = to_utc(datetime.combine(local_day, datetime.min.time()).replace(hour=hour))
        ends = starts + timedelta(hours=rng.choice((1, 2, 3)))
        fmt = rng.choice(('onsite', 'online', 'hybrid'))
        repeat, interval, until, series_end = '', 1, None, None
        if event_id <= SERIES:
            repeat = rng.choice(('weekly', 'monthly_weekday', 'monthly_date'))
            interval = rng.choice((1, 1, 2, 4)) if repeat == 'weekly' else rng.choice((1, 1, 2))
            until = local_day + timedelta(days=rng.randint(90, 730))
            last = recurrence.last_day(local_day, recurrence.Rule(repeat, interval, until))
            series_end = db_time(to_utc(datetime.combine(last, datetime.min.time()).replace(hour=hour)) +
                                 (ends - starts))
        title = f'{rng.choice(WORDS)} {rng.choice(TOPICS)}'
        rows.append((event_id, title, f'Wir treffen uns zum Thema {title}.', f'<p>Wir treffen uns zum Thema '
                     f'{title}.</p>', db_time(starts), db_time(ends), fmt, 'Rathaus, Raum 1' if fmt != 'online'
                     else '', 'https://meet.example.org/r' if fmt != 'onsite' else '', rng.randint(1, MEMBERS),
                     rng.randint(1, ORGS), rng.choice((None, 20, 50, 100)) if fmt != 'online' else None, repeat,
                     interval, until.isoformat() if until else None, series_end, db_time(now), db_time(now)))
        tags.append((event_id, rng.randint(1, len(TOPICS))))
    conn.executemany(
        'INSERT INTO event (id, title, description, description_html, starts_at, ends_at, all_day, format, location, '
        'online_url, organizer_id, organization_id, capacity, cancelled, sequence, repeat, repeat_interval, '
        'repeat_until, series_ends_at, moved, own_cancel, onsite_taken, online_taken, maybe_count, waitlist_count, '
        'created_at, updated_at) '
        'VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, ?, ?)', rows)
    conn.executemany('INSERT INTO event_tag (event_id, tag_id) VALUES (?, ?)', tags)
    # One big event ahead with 500 attendees (450 yes, 30 maybe, 20 waiting).
    big = EVENTS + 1
    big_start = now + timedelta(days=20)
    conn.execute('INSERT INTO event (id, title, description, description_html, starts_at, ends_at, all_day, format, '
                 'location, online_url, organizer_id, organization_id, capacity, cancelled, sequence, repeat, '
                 'repeat_interval, moved, own_cancel, onsite_taken, online_taken, maybe_count, waitlist_count, '
                 "created_at, updated_at) VALUES (?, 'Fachtag Digitale Verwaltung', 'Der große Fachtag.', "
                 "'<p>Der große Fachtag.</p>', ?, ?, 0, 'onsite', 'Messe Essen', '', 1, 1, 450, 0, 0, '', 1, 0, 0, "
                 '450, 0, 30, 20, ?, ?)', (big, db_time(big_start), db_time(big_start + timedelta(hours=7)),
                                           db_time(now), db_time(now)))
    people = rng.sample(range(2, MEMBERS + 1), BIG_EVENT_ATTENDEES)
    answers = ['yes'] * 450 + ['maybe'] * 30 + ['waitlist'] * 20
    conn.executemany('INSERT INTO rsvp (event_id, user_id, answer, seat, queued_at, answered_at) '
                     "VALUES (?, ?, ?, 'onsite', ?, ?)",
                     [(big, u, a, db_time(now - timedelta(minutes=i)), db_time(now - timedelta(minutes=i)))
                      for i, (u, a) in enumerate(zip(people, answers, strict=True))])
    # Member 1 accepted 300 single events from the last three months on (their feed).
    singles = [r for r in rows if not r[12] and r[4] >= db_time(now - timedelta(days=80))]
    conn.executemany('INSERT INTO rsvp (event_id, user_id, answer, seat, queued_at, answered_at) '
                     "VALUES (?, 1, 'yes', 'onsite', ?, ?)",
                     [(r[0], db_time(now), db_time(now)) for r in rng.sample(singles, FEED_EVENTS)])
    conn.execute('COMMIT')
    conn.execute('ANALYZE')
    conn.close()
    return {'big': big, 'seconds': time.perf_counter() - started, 'today': to_local(now).date()}


def measure(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times)


def months_around(today: date, rng: random.Random, n: int) -> list[date]:
    """Months people look at: mostly this one and the next few, sometimes the past year."""
    out = []
    for _ in range(n):
        offset = rng.choice((0, 0, 0, 1, 1, 2, 3, -1, -2, 6, -6))
        index = today.year * 12 + today.month - 1 + offset
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


def in_process(seeded: dict[str, Any], viewer: Any) -> str:
    from services import calendar_feed, db, events
    from services.local_time import week_start

    rng = random.Random(7)
    today = seeded['today']
    print('== In-process service times (ms, median / p95)')
    months = months_around(today, rng, RUNS)
    sizes = []

    def month() -> None:
        first = months.pop()
        start = week_start(first)
        items = db.call(events.calendar_range, viewer=viewer, start=start, end=start + timedelta(days=42))
        sizes.append(len(items))

    med, p95 = measure(month, RUNS)
    print(f'   calendar_range, a month grid (6 weeks): {med:.1f} / {p95:.1f} '
          f'(on average {sum(sizes) / len(sizes):.0f} entries, series expanded)')
    med, p95 = measure(lambda: db.call(events.get_event, viewer=viewer, event_id=seeded['big']), RUNS)
    print(f'   get_event with {BIG_EVENT_ATTENDEES} attendees: {med:.1f} / {p95:.1f}')
    token = db.call(calendar_feed.my_feed, actor=viewer).token
    size = len(db.call(calendar_feed.feed_ics, token=token))
    med, p95 = measure(lambda: db.call(calendar_feed.feed_ics, token=token), max(10, RUNS // 2))
    print(f'   feed_ics, {FEED_EVENTS} accepted events ({size / 1024:.0f} KB): {med:.1f} / {p95:.1f}')
    return token


def over_http(data_dir: Path, email: str, seeded: dict[str, Any], token: str) -> None:
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
            months = months_around(seeded['today'], rng, HTTP_RUNS)
            urls = [f'/events?view=month&date={m:%Y-%m}' for m in months]
            client.get(urls[0])  # warm-up
            print('   month view:                       {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = [f'/events?view=week&date={m + timedelta(days=rng.randint(0, 27))}' for m in months]
            print('   week view:                        {:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
            urls = [f'/events/{seeded["big"]}'] * HTTP_RUNS
            print(f'   event page, {BIG_EVENT_ATTENDEES} attendees:          '
                  '{:.1f} / {:.1f} ({:.1f})'.format(*server_times(client, urls)))
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            urls = [f'/calendar/{token}.ics'] * max(10, HTTP_RUNS // 2)
            print(f'   personal feed, {FEED_EVENTS} events:         '
                  '{:.1f} / {:.1f} ({:.1f})'.format(*server_times(anonymous, urls)))
    finally:
        stop(proc)


def main() -> None:
    from services import accounts, calendar_feed, db

    started = time.perf_counter()
    # Feed addresses derive from the server key: the benchmark and its server must share it.
    os.environ['VN_STORAGE_SECRET'] = 'bench-events-storage-secret'
    calendar_feed.set_key(os.environ['VN_STORAGE_SECRET'])
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-events-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    path = data_dir / 'verwaltungsnetz.db'
    url = f'sqlite:///{path}'
    try:
        print(f'== Seeding {MEMBERS:,} members, {EVENTS:,} events ({SERIES:,} series), one event with '
              f'{BIG_EVENT_ATTENDEES} attendees, {FEED_EVENTS} accepted events for one member (bulk SQL)')
        db.configure(url)
        db.upgrade(url)
        db.get_engine().dispose()
        seeded = seed(path)
        print(f'   seeded in {seeded["seconds"]:.1f} s')
        db.configure(url)
        member = db.call(accounts.get_user, 1)
        db.call(accounts.create_admin, email='bench-admin@example.org', name='Bench Admin', password=PASSWORD)
        admin = db.call(accounts.get_user, MEMBERS + 1)
        db.call(accounts.create_admin, email=member.email, name=member.name, password=PASSWORD)
        db.call(accounts.set_role, actor=admin, user_id=member.id, role='member')
        viewer = db.call(accounts.get_user, member.id)
        token = in_process(seeded, viewer)
        db.get_engine().dispose()
        over_http(data_dir, viewer.email, seeded, token)
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
