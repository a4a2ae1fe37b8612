"""A consistent copy of the database while the app runs."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from services.errors import Invalid


def backup(database_url: str, target: Path) -> Path:
    """Copy the SQLite database with its online backup API (readers and writers may go on meanwhile)."""
    url = make_url(database_url)
    if not url.drivername.startswith('sqlite'):
        raise Invalid('database', 'PostgreSQL: bitte mit pg_dump sichern, z. B. pg_dump -Fc -f sicherung.dump DBNAME')
    source = Path(url.database or '')
    if not source.is_file():
        raise Invalid('database', 'Die Datenbank {path} gibt es nicht.', path=str(source))
    target = target.expanduser().resolve()
    if target.exists():
        raise Invalid('file', '{path} gibt es schon; nichts wurde überschrieben.', path=str(target))
    if not target.parent.is_dir():
        raise Invalid('file', 'Den Ordner {path} gibt es nicht.', path=str(target.parent))
    partial = target.with_name(target.name + '.partial')
    src = sqlite3.connect(f'file:{source}?mode=ro', uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            with dst:
                # One step, under one read transaction: a consistent snapshot while the app goes on writing (WAL).
                # In steps, SQLite starts over whenever another connection writes in between: never ends under load.
                src.backup(dst, pages=-1)
            check = dst.execute('PRAGMA integrity_check').fetchone()[0]
            dst.execute('PRAGMA journal_mode=DELETE')  # one self-contained file, no -wal beside it
        finally:
            dst.close()
    finally:
        src.close()
    if check != 'ok':
        partial.unlink(missing_ok=True)
        raise Invalid('file', 'Die Sicherung ist beschädigt: {detail}', detail=check)
    partial.rename(target)  # appears only when complete
    return target
