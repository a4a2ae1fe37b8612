"""Shared test set-up: cheap password hashing (production cost is covered by its own test and the benchmark)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

from services import passwords

# The whole run is scanned for secrets in log lines and audit entries (issue #8, item 6): see tests/secret_scan.py.
pytest_plugins = ['tests.secret_scan']

FAST_ARGON2 = {'memory_cost': 1024, 'time_cost': 1, 'parallelism': 1}


@pytest.fixture(autouse=True, scope='session')
def _fast_password_hashing():
    passwords.use_params(**FAST_ARGON2)
    yield
    passwords.use_params(**passwords.ARGON2_PARAMS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='session')
def postgres_url():
    """A throwaway PostgreSQL server for this test run (or VN_TEST_POSTGRES_URL when given).

    Uses Debian's server binaries (package "postgresql"); the README's test command installs them.
    """
    given = os.environ.get('VN_TEST_POSTGRES_URL')
    if given:
        yield given
        return
    bindirs = sorted(glob.glob('/usr/lib/postgresql/*/bin'))
    initdb = os.path.join(bindirs[-1], 'initdb') if bindirs else shutil.which('initdb')
    if not initdb or not os.path.exists(initdb):
        pytest.skip('PostgreSQL server binaries are not installed (Debian package "postgresql", see README)')
    bindir = os.path.dirname(initdb)
    folder = tempfile.mkdtemp(prefix='vn-pg-')
    # PostgreSQL refuses to run as root: as root, run it as Debian's "postgres" user.
    as_postgres = ['runuser', '-u', 'postgres', '--'] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, 'postgres', 'postgres')
    data, port = os.path.join(folder, 'data'), _free_port()
    quiet = {'stdout': subprocess.DEVNULL, 'stderr': subprocess.STDOUT, 'check': True}
    subprocess.run([*as_postgres, initdb, '-D', data, '-A', 'trust', '-U', 'vn', '-E', 'UTF8', '--locale=C.UTF-8'],
                   **quiet)
    options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off " \
              '-c full_page_writes=off'
    subprocess.run([*as_postgres, os.path.join(bindir, 'pg_ctl'), '-D', data, '-o', options, '-w', '-l',
                    os.path.join(folder, 'log'), 'start'], **quiet)
    try:
        subprocess.run([*as_postgres, os.path.join(bindir, 'createdb'), '-h', folder, '-p', str(port), '-U', 'vn',
                        'vn_test'], **quiet)
        yield f'postgresql+psycopg://vn@/vn_test?host={folder}&port={port}'
    finally:
        subprocess.run([*as_postgres, os.path.join(bindir, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
