"""The secret scan of the test run (tests/secret_scan.py) finds what it should and fails the run: proven on small
inner test runs that leak a password into a log line, a token into an audit entry, and a server's own session
secret into its log, next to one that leaks nothing."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LEAKS = '''
import logging
import secrets
import subprocess
import sys

from services import audit, db, passwords
from tests import secret_scan


def test_a_password_in_a_log_line():
    passwords.hash_password('Geheimes-Kennwort-42')
    logging.getLogger('services.leaky').info('signed in with %s', 'Geheimes-Kennwort-42')


def test_a_token_in_an_audit_entry():
    db.use_engine(db.make_engine('sqlite://'))
    db.create_all()
    with db.session() as s:
        audit.record(s, 'invitation.created', link=f'/register?invite={secrets.token_urlsafe(32)}')
        s.commit()


def test_a_server_that_logs_its_own_secret(tmp_path):
    env = secret_scan.server_env(tmp_path, {'PATH': '/usr/bin:/bin'})
    secret_scan.watch_server_log(tmp_path / 'server.log', env)
    with (tmp_path / 'server.log').open('w') as log:
        subprocess.run([sys.executable, '-c', 'import secrets; print("sid=" + secrets.token_urlsafe(32))'],
                       env=env, stdout=log, check=True)
'''

CLEAN = '''
import logging
import secrets

from services import passwords


def test_secrets_stay_out_of_the_logs():
    passwords.hash_password('Geheimes-Kennwort-42')
    token = secrets.token_urlsafe(32)
    logging.getLogger('services.careful').info('signed in; session of %d characters', len(token))
'''


def _inner_run(folder: Path, source: str) -> subprocess.CompletedProcess:
    (folder / 'test_inner.py').write_text(textwrap.dedent(source), encoding='utf-8')
    return subprocess.run([sys.executable, '-m', 'pytest', '-p', 'tests.secret_scan', '-p', 'no:cacheprovider', '-q',
                           'test_inner.py'], cwd=folder, env={'PYTHONPATH': str(ROOT), 'PATH': '/usr/bin:/bin'},
                          capture_output=True, text=True, timeout=120)


def test_leaks_into_logs_audit_entries_and_server_logs_fail_the_run(tmp_path):
    result = _inner_run(tmp_path, LEAKS)
    out = result.stdout
    assert '3 passed' in out  # the tests themselves pass: only the scan fails the run
    assert result.returncode == 1, out
    assert "SECRET LEAKED: password 'Geheimes-Kennwort-42' in log services.leaky INFO" in out
    assert 'SECRET LEAKED: secrets.token_urlsafe in test_inner.test_a_token_in_an_audit_entry()' in out
    assert 'in audit entry invitation.created' in out
    assert 'SECRET LEAKED: server process: secrets.token_urlsafe in __main__.<module>()' in out
    assert '3 leaks: the run fails.' in out


def test_a_run_that_keeps_its_secrets_passes(tmp_path):
    result = _inner_run(tmp_path, CLEAN)
    out = result.stdout
    assert result.returncode == 0, out
    assert 'SECRET LEAKED' not in out
    assert 'secrets tracked' in out and '1 log records of this process' in out
