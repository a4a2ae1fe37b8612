"""What anonymous page requests cost the server's memory, and that 2,000 of them a minute cannot exhaust it.

    .venv/bin/python benchmarks/bench_anonymous_pages.py          # about nine minutes
    BENCH_MINUTES=8 BENCH_SKIP_COST=1 .venv/bin/python benchmarks/bench_anonymous_pages.py   # a longer flood only

Starts `python main.py` on a fresh data folder and sends plain GETs, as a script would: no browser ever connects to
the pages, so each stays in memory until NiceGUI prunes it (60-70 s). The requests go to 127.0.0.1 with an
X-Forwarded-For header, which uvicorn believes from a proxy on the same machine (FORWARDED_ALLOW_IPS), so each can
come from an address of its own (198.18.0.0/15, the range set aside for benchmarks; nothing leaves this machine).

1. The cost of one page: 400 GETs of /login from 400 addresses with the per-address limit at its highest, RSS before
   and after; then, once NiceGUI pruned them, 400 more (is the memory reused?), and 400 of /register.
2. With the throttle as it ships: 2,000 requests within one minute from one address, then 2,000 within one minute
   from 2,000 addresses, for three minutes (BENCH_MINUTES); answers 200 vs 429 and the RSS curve every 5 s.

The server is the limit on a loaded machine: when it cannot build 2,000 pages a minute, the requests queue and a
"minute" takes longer; the figures say how long it took.

Prints figures; asserts nothing (tests/ui/test_throttle.py has the tests).
"""

import asyncio
import os
import tempfile
import time
from pathlib import Path

import httpx
from running import PASSWORD, clean_up, start_server, stop

RATE = 2000  # requests per minute
MINUTES = int(os.environ.get('BENCH_MINUTES', '3'))  # of the flood from many addresses


def rss_mb(pid: int) -> float:
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    raise RuntimeError('no VmRSS')


def address(i: int) -> str:
    return f'198.18.{i // 250 % 250}.{i % 250 + 1}'


def prepare(data_dir: Path, **settings: object) -> None:
    """A database with an administrator (so that /login is the plain sign-in page) and the given settings."""
    from services import accounts, db
    from services import settings as site_settings
    from services.config import Config

    url = Config(data_dir=data_dir).resolved_database_url
    data_dir.mkdir(parents=True, exist_ok=True)
    db.configure(url)
    db.upgrade(url)
    admin, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)
    if settings:
        db.call(site_settings.update_settings, actor=admin, values=settings)
    db.get_engine().dispose()


async def burst(base: str, n: int, addresses, *, seconds: float, pid: int, path: str = '/login',
                sample_every: float = 5.0, label: str = '') -> dict[int, int]:
    """n GETs spread evenly over `seconds`; prints the RSS every `sample_every` seconds; returns status counts."""
    counts: dict[int, int] = {}
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=20)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()

        async def one(i: int) -> None:
            await asyncio.sleep(max(0.0, started + i * seconds / n - time.perf_counter()))
            for attempt in (1, 2):
                try:
                    response = await client.get(path, headers={'X-Forwarded-For': addresses(i)})
                except httpx.TransportError:  # a kept-alive connection the server closed just then: once more
                    if attempt == 2:
                        counts[0] = counts.get(0, 0) + 1  # 0: no answer
                    continue
                counts[response.status_code] = counts.get(response.status_code, 0) + 1
                return

        async def sampler() -> None:
            while True:
                await asyncio.sleep(sample_every)
                done = sum(counts.values())
                print(f'   {label}{time.perf_counter() - started:5.0f} s  RSS {rss_mb(pid):6.0f} MB  '
                      f'answered {done:5}  (200: {counts.get(200, 0)}, 429: {counts.get(429, 0)})', flush=True)

        sampling = asyncio.create_task(sampler())
        await asyncio.gather(*(one(i) for i in range(n)))
        sampling.cancel()
    return counts


async def idle(seconds: float, pid: int, label: str) -> None:
    for t in range(0, int(seconds), 10):
        await asyncio.sleep(10)
        print(f'   {label}{t + 10:5} s  RSS {rss_mb(pid):6.0f} MB', flush=True)


PAGES = 400  # below MAX_WAITING_PAGES (500) with the warm-up: the cap must not refuse any of them


async def page_cost(base: str, pid: int) -> None:
    print(f'== 1. Memory per anonymous page (/login, {PAGES} at a time; per-address limit 10,000/min)')
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for i in range(20):  # warm-up: first-time imports, caches, templates
            await client.get('/login', headers={'X-Forwarded-For': address(100_000 + i)})
    await asyncio.sleep(1)
    before = rss_mb(pid)
    started = time.perf_counter()
    counts = await burst(base, PAGES, address, seconds=0.01, pid=pid, sample_every=600)
    took = time.perf_counter() - started
    after = rss_mb(pid)
    print(f'   {PAGES} pages in {took:.1f} s {counts}: RSS {before:.0f} → {after:.0f} MB, '
          f'{(after - before) * 1024 / max(counts.get(200, 0), 1):.0f} KB per page')
    print('   waiting 75 s for NiceGUI to prune the pages no browser connected to …')
    await idle(75, pid, 'idle ')
    again = rss_mb(pid)
    counts = await burst(base, PAGES, lambda i: address(500 + i), seconds=0.01, pid=pid, sample_every=600)
    print(f'   {PAGES} more after the prune {counts}: RSS {again:.0f} → {rss_mb(pid):.0f} MB')
    await idle(75, pid, 'idle ')
    again = rss_mb(pid)
    counts = await burst(base, PAGES, lambda i: address(1000 + i), seconds=0.01, pid=pid, path='/register',
                         sample_every=600)
    after = rss_mb(pid)
    print(f'   {PAGES} of /register after the next prune {counts}: RSS {again:.0f} → {after:.0f} MB')


async def under_attack(base: str, pid: int) -> None:
    from ui.throttle import MAX_WAITING_PAGES

    print(f'== 2. {RATE} anonymous requests a minute, throttle as shipped (60 per address and minute, at most '
          f'{MAX_WAITING_PAGES} pages nobody connected to)')
    print(f'   RSS at start {rss_mb(pid):.0f} MB')
    started = time.perf_counter()
    counts = await burst(base, RATE, lambda i: '198.19.0.1', seconds=60, pid=pid, label='one address   ')
    print(f'   one address (took {time.perf_counter() - started:.0f} s): {counts}; RSS {rss_mb(pid):.0f} MB')
    for minute in range(1, MINUTES + 1):
        started = time.perf_counter()
        counts = await burst(base, RATE, lambda i, m=minute: address(m * 10_000 + i), seconds=60, pid=pid,
                             label=f'many, min {minute} ')
        print(f'   {RATE} addresses, minute {minute} (took {time.perf_counter() - started:.0f} s): {counts}; '
              f'RSS {rss_mb(pid):.0f} MB')
    await idle(80, pid, 'after        ')


async def main() -> None:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='bench-anon-'))
    try:
        if not os.environ.get('BENCH_SKIP_COST'):
            data_dir = tmp / 'one' / 'data'
            prepare(data_dir, anonymous_pages_per_minute=10_000)
            proc, base, _ = start_server(data_dir)
            try:
                await page_cost(base, proc.pid)
            finally:
                stop(proc)
        data_dir = tmp / 'two' / 'data'
        prepare(data_dir)
        proc, base, _ = start_server(data_dir)
        try:
            await under_attack(base, proc.pid)
        finally:
            stop(proc)
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    os.environ.setdefault('FORWARDED_ALLOW_IPS', '127.0.0.1')
    asyncio.run(main())
