"""Verwaltungsnetz: `python main.py` serves the app; sub-commands administer it (see --help)."""

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger('verwaltungsnetz')


def _load_config():  # noqa: ANN202
    from services.config import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as e:
        print(e, file=sys.stderr)
        sys.exit(2)


def _open_database(config) -> str:  # noqa: ANN001
    """Create the data folder, connect, migrate; returns the storage secret."""
    from services import db, files
    from services.config import prepare_data_dir

    secret = prepare_data_dir(config)
    files.configure(config.data_dir)
    url = config.resolved_database_url
    db.configure(url)
    db.upgrade(url)
    return secret


def serve(config) -> None:  # noqa: ANN001
    """Start the web app (also what NiceGUI's test plugin runs for every page test)."""
    # Before NiceGUI is imported: keep its per-browser storage inside the data folder, not in the working directory.
    os.environ.setdefault('NICEGUI_STORAGE_PATH', str((config.data_dir / 'browser-storage').resolve()))
    secret = _open_database(config)

    import importlib

    from nicegui import ui

    from services import bus

    importlib.import_module('ui.pages')  # registers every page (a plain import would rebind the name `ui`)
    auth = importlib.import_module('ui.auth')

    bus.reset()
    auth.install(https=config.public_base_url.startswith('https://'))  # Secure cookies (also behind a proxy)
    importlib.import_module('ui.background').install()
    importlib.import_module('ui.page_costs').install()  # cheaper element set-up; closed pages freed at once
    importlib.import_module('ui.nicegui_middlewares').install()  # NiceGUI's request middlewares as pure ASGI
    from services import calendar_feed

    calendar_feed.set_key(secret)
    ui.button.default_props('no-caps')  # German nouns lose their meaning in capitals
    importlib.import_module('ui.layout').install_theme()
    from nicegui import app

    app.on_startup(_tune_garbage_collector)
    sys.setswitchinterval(SWITCH_INTERVAL)
    ui.run(host=config.host, port=config.port, title='Verwaltungsnetz', language='de', storage_secret=secret,
           reload=False, show=False, show_welcome_message=False, reconnect_timeout=10.0,
           gzip_middleware_factory=compressed)


# How hard responses are compressed. A page is 20-40 KB of element JSON, compressed on the event loop: with
# Starlette's default (9) that was a tenth of the start page's time on the loop (py-spy, soak data folder); 5 is about
# three times faster for a response a few per cent larger, which an intranet does not notice.
GZIP_LEVEL = 5


def compressed(app):  # noqa: ANN001, ANN201 - an ASGI app in, the app behind gzip out
    from fastapi.middleware.gzip import GZipMiddleware

    return GZipMiddleware(app, minimum_size=500, compresslevel=GZIP_LEVEL)


# Seconds a thread that wants the GIL waits before it asks the running thread to let go (Python's default: 5 ms).
# Database calls run in worker threads, and SQLite lets go of the GIL for every row it steps through; while the
# event loop builds a page, the worker then waited up to 5 ms for every row. benchmarks/bench_thread_switching.py:
# 50 rows that take 0.15 ms alone took 31 ms (median) and 205 ms (p95) beside a busy thread; 0.8 / 2.0 ms with 0.5 ms.
SWITCH_INTERVAL = 0.0005


# The collector's thresholds: a young collection after this many new objects, a middle one after every GC_MIDDLE
# young ones, and a full one considered after every GC_FULL middle ones (Python also waits until the objects promoted
# since the last full collection are a quarter of the heap).
GC_YOUNG, GC_MIDDLE, GC_FULL = 1_000, 4, 150


def _tune_garbage_collector() -> None:
    """Short pauses. An open page keeps thousands of objects alive; each collection of the younger generations walks
    the ones that survived since the last, so its pause grows with how many objects were made meanwhile. In the soak
    benchmark (200 members, 30 min) Python's 700 / 10 / 10 ran a full collection every few seconds while the heap
    grew; 20,000 / 5 / 10 paused the event loop up to 441 ms (p95, middle generation) and 112 ms (young), and those
    pauses made the p95 server time; 3,000 / 4 / 50: 54 and 16 ms (all pages p95 63 ms). Now 1,000 / 4 / 150:
    17 and 5 ms, all pages p95 49 ms; the larger GC_FULL keeps full collections as rare as before (every 2.6 min,
    about 1.1 s each) and the process at 300 MB."""
    import gc

    gc.collect()
    gc.freeze()  # what exists after start-up lives as long as the process: never scan it again
    gc.set_threshold(GC_YOUNG, GC_MIDDLE, GC_FULL)


def create_admin(config, args: argparse.Namespace) -> int:  # noqa: ANN001
    from services import accounts, db
    from services.errors import DomainError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip('\r\n')
    else:
        password = getpass.getpass('Passwort: ')
    _open_database(config)
    try:
        user, created = db.call(accounts.create_admin, email=args.email, name=args.name, password=password)
    except DomainError as e:
        print(f'Fehler: {e.message.format(**e.params)}', file=sys.stderr)
        return 1
    print(f'{"Angelegt" if created else "Zur Administration gemacht"}: {user.name} <{user.email}>')
    return 0


def seed_demo(config, args: argparse.Namespace) -> int:  # noqa: ANN001
    from services import db, demo

    _open_database(config)
    try:
        result = db.call(demo.seed_demo, force=args.force)
    except demo.RealContent:
        print('Die Datenbank enthält echte Inhalte; Demodaten nur mit --force.', file=sys.stderr)
        return 1
    print(f'Demodaten: {result.organizations_added} Verwaltungen, {result.members_added} Mitglieder, '
          f'{result.boards_added} Foren, {result.threads_added} Themen und {result.events_added} Veranstaltungen '
          'hinzugefügt '
          f'(Passwort aller Demo-Konten: {demo.DEMO_PASSWORD}).')
    return 0


def backup(config, args: argparse.Namespace) -> int:  # noqa: ANN001
    from services.backup import backup as make_backup
    from services.errors import DomainError

    try:
        target = make_backup(config.resolved_database_url, Path(args.file))
    except DomainError as e:
        print(f'Fehler: {e.message.format(**e.params)}', file=sys.stderr)
        return 1
    print(f'Sicherung geschrieben: {target}')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python main.py',
        description='Verwaltungsnetz. Without a command: serve the app (VN_HOST, VN_PORT, VN_DATA_DIR, '
                    'VN_DATABASE_URL, VN_STORAGE_SECRET).')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    p = sub.add_parser('create-admin', help='create an administrator, or promote an existing account')
    p.add_argument('--email', required=True)
    p.add_argument('--name', required=True)
    p.add_argument('--password-stdin', action='store_true', help='read the password from standard input')
    sub.add_parser('seed-demo', help='fill the database with a demo network (German data)').add_argument(
        '--force', action='store_true', help='even if the database holds real content')
    sub.add_parser('backup', help='write a consistent copy of the SQLite database').add_argument('file')
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    logging.getLogger('alembic').setLevel(logging.WARNING)
    if os.environ.get('NICEGUI_USER_SIMULATION'):  # NiceGUI's page tests re-run this file with pytest's argv
        serve(_load_config())
        return 0
    args = build_parser().parse_args(argv)
    config = _load_config()
    commands = {'create-admin': create_admin, 'seed-demo': seed_demo, 'backup': backup}
    if args.command is None:
        serve(config)
        return 0
    return commands[args.command](config, args)


if __name__ in {'__main__', '__mp_main__'}:
    code = main()
    if not os.environ.get('NICEGUI_USER_SIMULATION'):
        sys.exit(code)
