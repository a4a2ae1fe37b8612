"""Why main.serve() shortens Python's thread switch interval: a database call in a worker thread while the event loop
thread is busy building a page.

    .venv/bin/python benchmarks/bench_thread_switching.py

SQLite lets go of the GIL for every row it steps through; each time, the worker thread must get it back from the busy
thread, and Python makes it wait up to one switch interval (5 ms by default) before asking. The benchmark reads 50 rows
through SQLAlchemy (as a page's data load does) in a worker thread, alone and while the main thread runs Python code
(as a page build does), once per switch interval. Asserts nothing.
"""

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROUNDS = 200


def measure(engine, switch_interval: float, busy: bool) -> tuple[float, float]:  # noqa: ANN001
    sys.setswitchinterval(switch_interval)
    stop = threading.Event()

    def build_pages() -> None:  # pure Python work, as NiceGUI's element set-up
        while not stop.is_set():
            _ = [{'id': i, 'props': {'a': i}} for i in range(200)]

    busy_thread = threading.Thread(target=build_pages) if busy else None
    if busy_thread:
        busy_thread.start()
    times: list[float] = []

    def read() -> None:
        for _ in range(ROUNDS):
            started = time.perf_counter()
            with engine.connect() as conn:
                conn.execute(text('SELECT id, title, body FROM post ORDER BY id DESC LIMIT 50')).all()
            times.append((time.perf_counter() - started) * 1000)

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    stop.set()
    if busy_thread:
        busy_thread.join()
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95)]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f'sqlite:///{Path(tmp) / "bench.db"}')
        with engine.begin() as conn:
            conn.execute(text('CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT, body TEXT)'))
            conn.execute(text('INSERT INTO post (title, body) VALUES (:t, :b)'),
                         [{'t': f'Thema {i}', 'b': 'Text ' * 40} for i in range(2000)])
        print(f'== 50 rows through SQLAlchemy in a worker thread, {ROUNDS} reads each; ms median / p95')
        for interval in (0.005, 0.001, 0.0005):
            alone = measure(engine, interval, busy=False)
            busy = measure(engine, interval, busy=True)
            print(f'   switch interval {interval * 1000:3.1f} ms: alone {alone[0]:5.2f} / {alone[1]:5.2f}, '
                  f'while the main thread is busy {busy[0]:6.2f} / {busy[1]:6.2f}')
        engine.dispose()


if __name__ == '__main__':
    main()
