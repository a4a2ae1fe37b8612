"""CSV import figures: 10,000 rows (German names, 50 administrations, some bad rows) into a fresh SQLite file
database, while other "users" keep reading the member directory and writing small rows.

    .venv/bin/python benchmarks/bench_import.py

Prints the import's time and rows per second, and the latency of the concurrent reads (a member-directory query every
50 ms) and writes (a sign-in record every 200 ms) before and during the import: the import commits a transaction per
batch of 500 rows, so nobody waits for the whole import. Asserts nothing (the suite has the tests).
"""

import os
import random
import tempfile
import threading
import time
from pathlib import Path

from running import clean_up, percentiles

from models.user import LoginAttempt, Role, Status, User  # noqa: E402
from services.demo import FIRST_NAMES, LAST_NAMES  # noqa: E402

SEED = 2026
ROWS = int(os.environ.get('BENCH_ROWS', '10000'))  # at most member_import.MAX_ROWS
ORGANIZATIONS = 50
EXISTING_MEMBERS = 2_000
READ_EVERY = 0.05
WRITE_EVERY = 0.2


def _address(first: str, last: str, n: int) -> str:
    fold = str.maketrans({'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss', 'Ä': 'ae', 'Ö': 'oe', 'Ü': 'ue'})
    return f'{first}.{last}.{n}'.translate(fold).lower().replace(' ', '') + '@verwaltung.example'


def organization_names() -> list[str]:
    places = ('Essen', 'Dortmund', 'Bochum', 'Lünen', 'Münster', 'Köln', 'Düsseldorf', 'Wesel', 'Unna', 'Hamm',
              'Bielefeld', 'Paderborn', 'Siegen', 'Aachen', 'Bonn', 'Gütersloh', 'Mülheim an der Ruhr')
    kinds = ('Stadt {p}', 'Kreis {p}', 'Stadtwerke {p}')
    names = [k.format(p=p) for p in places for k in kinds]
    return names[:ORGANIZATIONS]


def build_csv(existing_emails: list[str]) -> tuple[bytes, dict[str, int]]:
    """Semicolon CSV in UTF-8 with BOM (Excel's "CSV UTF-8"; some names have a ş, which Windows-1252 lacks), with
    a known share of bad rows."""
    rng = random.Random(SEED)
    orgs = organization_names()
    lines = ['Name;E-Mail;Verwaltung;Ebene']
    bad = {'invalid email': 0, 'missing name': 0, 'duplicate in file': 0, 'already a member': 0}
    emails: list[str] = []
    for i in range(ROWS):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name, email, org = f'{first} {last}', _address(first, last, i), rng.choice(orgs)
        roll = rng.random()
        if roll < 0.01:
            email, bad['invalid email'] = email.replace('@', ' at '), bad['invalid email'] + 1
        elif roll < 0.02:
            name, bad['missing name'] = '', bad['missing name'] + 1
        elif roll < 0.03 and emails:
            email, bad['duplicate in file'] = rng.choice(emails).upper(), bad['duplicate in file'] + 1
        elif roll < 0.04:
            email, bad['already a member'] = rng.choice(existing_emails), bad['already a member'] + 1
        else:
            emails.append(email)
        level = 'kommunal' if org.startswith(('Stadt ', 'Kreis ')) else ''
        lines.append(f'{name};{email};{org};{level}')
    return ('\r\n'.join(lines) + '\r\n').encode('utf-8-sig'), bad


def seed_members(engine) -> list[str]:  # noqa: ANN001
    from sqlmodel import Session

    from models.base import utcnow
    from services import passwords

    rng = random.Random(SEED + 1)
    digest = passwords.hash_password('Rathaus-Fenster-2026')
    emails = []
    with Session(engine) as s:
        for i in range(EXISTING_MEMBERS):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f'mitglied{i}@essen.de'
            emails.append(email)
            s.add(User(name=f'{first} {last}', sort_name=f'{last} {first}'.lower(), email=email, email_key=email,
                       password_hash=digest, status=Status.ACTIVE, role=Role.MEMBER, created_at=utcnow()))
        s.commit()
    return emails


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


def main() -> None:
    from services import accounts, db, member_import, members
    from services.members import Filters

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-import-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    url = f'sqlite:///{data_dir / "verwaltungsnetz.db"}'
    try:
        db.configure(url)
        db.upgrade(url)
        admin, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin',
                           password='Rathaus-Fenster-2026')
        existing = seed_members(db.get_engine())
        reader_user = db.call(accounts.get_user, admin.id)
        data, bad = build_csv(existing)
        print(f'== CSV: {ROWS:,} rows, {len(data) / 1e6:.2f} MB (UTF-8 with BOM, ";"), {ORGANIZATIONS} '
              f'administrations, {EXISTING_MEMBERS:,} members already in the database')
        print('   planted bad rows: ' + ', '.join(f'{k} {v}' for k, v in bad.items()))

        rng = random.Random(SEED + 2)
        words = ('Müller', 'Schmidt', 'Anna', 'Stefan', 'Weber', '')

        def read() -> None:
            db.call(members.search_members, viewer=reader_user, filters=Filters(q=rng.choice(words)))

        def write() -> None:
            with db.session() as s:
                s.add(LoginAttempt(email_key='someone@essen.de', ip='10.0.0.1', success=False))
                s.commit()

        # Baseline: the same load without an import.
        readers, writers = Load(read, READ_EVERY), Load(write, WRITE_EVERY)
        readers.start()
        writers.start()
        time.sleep(3)
        readers.stopping.set()
        writers.stopping.set()
        readers.join()
        writers.join()
        print('== Without an import (3 s)')
        print(f'   directory reads:   {readers.figures()}')
        print(f'   small writes:      {writers.figures()}')

        readers, writers = Load(read, READ_EVERY), Load(write, WRITE_EVERY)
        readers.start()
        writers.start()
        t0 = time.perf_counter()
        parsed = member_import.parse_csv(data)
        t_parse = time.perf_counter() - t0
        marks: list[tuple[float, int]] = []
        report = db.call(member_import.import_members, actor=reader_user, parsed=parsed,
                         progress=lambda done, total: marks.append((time.perf_counter() - t0, done)))
        elapsed = time.perf_counter() - t0
        readers.stopping.set()
        writers.stopping.set()
        readers.join()
        writers.join()
        reasons: dict[str, int] = {}
        for line in report.refused:
            reasons[line.problem] = reasons.get(line.problem, 0) + 1
        print(f'== Import of {ROWS:,} rows ({parsed.encoding}, "{parsed.delimiter}")')
        print(f'   parse + check file: {t_parse:.2f} s; total with import: {elapsed:.2f} s '
              f'= {ROWS / elapsed:,.0f} rows/s')
        print(f'   invited {report.invited:,}, new administrations {report.organizations_created}, '
              f'refused {len(report.refused)}: ' + '; '.join(f'{k} {v}' for k, v in reasons.items()))
        gaps = [b[0] - a[0] for a, b in zip(marks, marks[1:], strict=False)]
        print(f'   {len(gaps)} batches of {member_import.BATCH_SIZE}: longest {max(gaps) * 1000:.0f} ms, '
              f'median {sorted(gaps)[len(gaps) // 2] * 1000:.0f} ms')
        print('== During the import')
        print(f'   directory reads:   {readers.figures()}')
        print(f'   small writes:      {writers.figures()}')
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
