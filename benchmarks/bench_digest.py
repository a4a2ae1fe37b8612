"""Daily-digest figures: 10,000 members with a few daily notices each in a fresh SQLite file database; the digest
is built into the outbox while other "users" keep reading their notices and writing small rows.

    .venv/bin/python benchmarks/bench_digest.py

Prints the digest's total time and time per member, and the latency of the concurrent reads (a member's unread
notices every 50 ms) and writes (a sign-in record every 200 ms) before and during the digest: the digest commits a
transaction per batch of 500 members, so nobody waits for the whole run. Asserts nothing (the suite has the tests).
"""

import json
import os
import random
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from running import clean_up, percentiles

from models.user import LoginAttempt, Role, Status, User  # noqa: E402
from services.demo import FIRST_NAMES, LAST_NAMES  # noqa: E402

SEED = 2026
MEMBERS = int(os.environ.get('BENCH_MEMBERS', '10000'))
NOTICES = (1, 5)  # daily notices per member: between these
READ_EVERY = 0.05
WRITE_EVERY = 0.2
TEXTS = (('reply', 'Neue Antwort in „{title}“', '/threads/{n}'),
         ('reaction', '{name} hat auf Ihren Beitrag in „{title}“ reagiert', '/threads/{n}'),
         ('event.changed', 'Die Veranstaltung „{title}“ wurde geändert', '/events/{n}'),
         ('event.reminder', 'Morgen: „{title}“', '/events/{n}'))
TITLES = ('Haushaltsplanung 2027', 'E-Akte in der Praxis', 'Onlinezugangsgesetz', 'Stammtisch Ruhr',
          'Vergaberecht <aktuell>', 'Fortbildung Datenschutz')


class Load(threading.Thread):
    """Calls `fn` every `every` seconds until stopped; keeps each call's latency (ms)."""

    def __init__(self, fn, every: float) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.fn, self.every, self.times = fn, every, []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.perf_counter()
            self.fn()
            self.times.append((time.perf_counter() - started) * 1000)
            self.stopping.wait(max(0.0, self.every - (time.perf_counter() - started)))

    def figures(self) -> str:
        med, p95 = percentiles(self.times)
        return f'{len(self.times):4d} calls, median {med:6.1f} ms, p95 {p95:6.1f} ms, max {max(self.times):6.1f} ms'


def seed(engine) -> tuple[list[int], int]:  # noqa: ANN001
    """MEMBERS members (a tenth in English) and their daily notices, made in bulk; returns (member ids, notices)."""
    from sqlalchemy import insert

    from models.base import utcnow
    from models.notification import Notification
    from services import passwords

    rng = random.Random(SEED)
    digest = passwords.hash_password('Rathaus-Fenster-2026')
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(User.__table__), [
            {'name': f'{first} {last}', 'sort_name': f'{last} {first}'.lower(), 'email': f'mitglied{i}@essen.de',
             'email_key': f'mitglied{i}@essen.de', 'password_hash': digest, 'status': Status.ACTIVE,
             'role': Role.MEMBER, 'language': 'en' if i % 10 == 0 else 'de', 'created_at': now}
            for i, (first, last) in enumerate((rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
                                              for _ in range(MEMBERS))])
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM user WHERE email LIKE 'mitglied%'")]
        rows = []
        for user_id in ids:
            for _ in range(rng.randint(*NOTICES)):
                kind, text, url = rng.choice(TEXTS)
                n = rng.randint(1, 500)
                rows.append({'user_id': user_id, 'kind': kind, 'text': text, 'url': url.format(n=n),
                             'params': json.dumps({'title': rng.choice(TITLES), 'name': rng.choice(FIRST_NAMES)},
                                                  ensure_ascii=False),
                             'group_key': f'{url.split("/")[1]}:{n}', 'email': 'daily',
                             'created_at': now - timedelta(hours=rng.randint(1, 23))})
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Notification.__table__), rows[start:start + 5000])
    return ids, len(rows)


def main() -> None:
    from sqlalchemy import func, select

    from models.mail import OutboxMail
    from services import accounts, db, digest, notifications
    from services import settings as site_settings

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-digest-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    url = f'sqlite:///{data_dir / "verwaltungsnetz.db"}'
    try:
        db.configure(url)
        db.upgrade(url)
        admin, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin',
                           password='Rathaus-Fenster-2026')
        db.call(site_settings.update_settings, actor=admin, values={
            'smtp_host': '127.0.0.1', 'smtp_port': 2525, 'smtp_security': 'none', 'smtp_sender': 'netz@essen.de'})
        t0 = time.perf_counter()
        ids, notices = seed(db.get_engine())
        print(f'== {len(ids):,} members, {notices:,} daily notices (seeded in {time.perf_counter() - t0:.1f} s)')

        rng = random.Random(SEED + 1)
        readers_pool = [db.call(accounts.get_user, i) for i in rng.sample(ids, 50)]

        def read() -> None:
            db.call(notifications.unread, viewer=rng.choice(readers_pool), limit=10)

        def write() -> None:
            with db.session() as s:
                s.add(LoginAttempt(email_key='someone@essen.de', ip='10.0.0.1', success=False))
                s.commit()

        readers, writers = Load(read, READ_EVERY), Load(write, WRITE_EVERY)
        readers.start()
        writers.start()
        time.sleep(3)
        for load in (readers, writers):
            load.stopping.set()
            load.join()
        print('== Without a digest (3 s)')
        print(f'   unread-notice reads: {readers.figures()}')
        print(f'   small writes:        {writers.figures()}')

        readers, writers = Load(read, READ_EVERY), Load(write, WRITE_EVERY)
        readers.start()
        writers.start()
        t0 = time.perf_counter()
        [report, *_rest] = db.call(digest.run_due_digests)
        elapsed = time.perf_counter() - t0
        for load in (readers, writers):
            load.stopping.set()
            load.join()
        with db.session() as s:
            queued = s.execute(select(func.count()).select_from(OutboxMail.__table__)).scalar()
            size = s.execute(select(func.sum(func.length(OutboxMail.__table__.c.text)
                                             + func.length(OutboxMail.__table__.c.html)))).scalar()
        print(f'== Daily digest ({report.batches} batches of {digest.BATCH} members, one transaction each)')
        print(f'   total {elapsed:.2f} s for {report.members:,} members / {report.notices:,} notices '
              f'= {elapsed / max(report.members, 1) * 1000:.2f} ms per member; {report.mails:,} mails in the outbox '
              f'({queued:,} rows, {size / 1e6:.1f} MB of text and HTML)')
        print('== During the digest')
        print(f'   unread-notice reads: {readers.figures()}')
        print(f'   small writes:        {writers.figures()}')
        t0 = time.perf_counter()
        again = db.call(digest.run_due_digests)
        print(f'== A second run at once (JobRun): {len(again)} digests, {(time.perf_counter() - t0) * 1000:.1f} ms')
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
