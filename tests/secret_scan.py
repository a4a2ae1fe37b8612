"""A pytest plugin: no secret the app makes or receives may appear in a log line or an audit entry (issue #8, item 6).

During the whole test run it records
- secrets: every value of `secrets.token_urlsafe/token_hex/token_bytes` (session ids, reset, invitation and sign-in
  links, keys), every password that is hashed, verified or checked against the policy, every value written to a
  secret setting (the SMTP password), and every session cookie the app signs (its signature and the browser id in it);
- texts: every log record that reaches the root logger (the app's own loggers, NiceGUI's and uvicorn's at DEBUG),
  with its formatted exception, and every audit entry inserted (all its columns);
- the log files of the servers that browser tests start (tests/browser/conftest.py): the server process records its
  own secrets through `secret_scan_site/sitecustomize.py` into a file next to its log.
At the end of the run it looks for every secret in every text. A finding prints the secret's origin and the line
and fails the run (exit status 1), whatever the tests said. Registered in tests/conftest.py.

Secrets are compared as whole words (the characters of URL-safe tokens), so a token inside a URL or after `sid=` is
found; the few secrets with other characters (passwords with spaces, say) are searched as substrings.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import os
import re
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIN_LENGTH = 8  # shorter values ("kurz", a 2-byte hex) would match ordinary words; no real secret is this short
WORD = re.compile(r'[A-Za-z0-9_\-]+')
EMAIL = re.compile(r'[^@\s]+@[^@\s]+\.[^@\s]+')
SITE_DIR = Path(__file__).with_name('secret_scan_site')
SECRETS_FILE_ENV = 'VN_TEST_SECRETS_FILE'
# Loggers raised to DEBUG: the app's and the web stack's. Not sqlalchemy (its DEBUG echoes every SQL parameter, which
# production never enables) and not the test harness's own clients and servers (httpx, aiosmtpd).
APP_LOGGERS = ('services', 'ui', 'models', 'verwaltungsnetz', 'main', '__main__', 'nicegui', 'uvicorn')
# Random values that are names, not keys: who may fetch a stored file is checked on every request (the logo is public),
# so its name may be shown, for instance in the audit entry of a new logo.
NOT_SECRET = {
    'services.images._store': 'the file name of a stored image',
    'services.posts.check_files': 'the file name of an attachment',
}


@dataclass
class Recorder:
    secrets: dict[str, str] = field(default_factory=dict)  # secret → where it came from
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    servers: list[tuple[Path, Path]] = field(default_factory=list)  # (server log, its secrets file)
    write_to: Path | None = None  # in a server process: append each secret here

    def secret(self, value: Any, origin: str) -> None:
        if isinstance(value, bytes):
            value = value.hex()
        if not isinstance(value, str) or len(value) < MIN_LENGTH:
            return
        if value not in self.secrets:
            self.secrets[value] = origin
            if self.write_to is not None:
                with self.write_to.open('a', encoding='utf-8') as f:
                    f.write(json.dumps([origin, value]) + '\n')

    def text(self, where: str, text: str) -> None:
        if text:
            self.texts.append((where, text))


RECORDER = Recorder()


# ---------------------------------------------------------------- what counts as a secret


FAILED = object()  # what a wrapped call "returned" when it raised


def _caller(frame: Any) -> str:
    """module.function of the code that called, past comprehensions."""
    while frame.f_back is not None and frame.f_code.co_name.startswith('<') and frame.f_code.co_name != '<module>':
        frame = frame.f_back
    return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"


def _wrap(owner: Any, name: str, record: Any) -> None:
    original = getattr(owner, name)
    if getattr(original, 'vn_secret_scan', False):
        return

    @functools.wraps(original)  # the same name, module and signature: tests that enumerate services still see it
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caller = _caller(sys._getframe(1))
        try:
            result = original(*args, **kwargs)
        except BaseException:
            record(FAILED, args, kwargs, caller)  # a password that raised was received all the same
            raise
        record(result, args, kwargs, caller)
        return result

    wrapper.vn_secret_scan = True  # type: ignore[attr-defined]
    setattr(owner, name, wrapper)


def _cookie(signed: Any) -> None:
    """A session cookie as Starlette signs it: base64(JSON) '.' timestamp '.' signature."""
    text = signed.decode() if isinstance(signed, bytes) else str(signed)
    payload, _, rest = text.partition('.')
    RECORDER.secret(rest.rpartition('.')[2], 'session cookie signature')
    try:
        data = json.loads(base64.b64decode(payload + '=' * (-len(payload) % 4)))
    except ValueError:
        return
    if isinstance(data, dict):
        RECORDER.secret(str(data.get('id', '')), 'browser id in the session cookie')
        RECORDER.secret(str(data.get('sid', '')), 'session id in the session cookie')


def _password(value: Any) -> None:
    # An e-mail address typed into the password field is no secret: addresses are in audit entries by design.
    if isinstance(value, str) and not EMAIL.fullmatch(value):
        RECORDER.secret(value, 'password')


def install_secret_wrappers() -> None:
    """Record secrets where they are made or received (idempotent; also used in browser tests' server processes)."""
    for name in ('token_urlsafe', 'token_hex', 'token_bytes'):
        _wrap(secrets, name, lambda result, args, kwargs, caller, name=name: caller in (
            'secrets.token_urlsafe', 'secrets.token_hex') or caller in NOT_SECRET  # their own bytes: counted once
              or RECORDER.secret(result, f'secrets.{name} in {caller}()'))

    from passlib.context import CryptContext

    def password(result: Any, args: tuple, kwargs: dict, caller: str) -> None:
        _password(args[1] if len(args) > 1 else kwargs.get('secret'))

    for name in ('hash', 'verify', 'verify_and_update'):
        _wrap(CryptContext, name, password)

    from itsdangerous import TimestampSigner

    _wrap(TimestampSigner, 'sign', lambda result, args, kwargs, caller: result is not FAILED and _cookie(result))


def install_app_wrappers() -> None:
    """Secrets that reach the services without being hashed: refused passwords and secret settings."""
    from services import passwords
    from services import settings as site_settings

    # Only what the policy accepts: a refused one never becomes anybody's password (tests refuse the e-mail address).
    _wrap(passwords, 'check_policy', lambda result, args, kwargs, caller: result is not FAILED and _password(
        args[0] if args else kwargs.get('password')))

    def secret_settings(result: Any, args: tuple, kwargs: dict, caller: str) -> None:
        for key, value in (kwargs.get('values') or {}).items():
            if key in site_settings.SECRETS:
                RECORDER.secret(value, f'setting {key}')

    _wrap(site_settings, 'update_settings', secret_settings)


# ---------------------------------------------------------------- what must not contain one


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self._exceptions = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the test's business, not ours
            text = str(record.msg)
        if record.exc_info:
            text += '\n' + self._exceptions.formatException(record.exc_info)
        if record.stack_info:
            text += '\n' + record.stack_info
        RECORDER.text(f'log {record.name} {record.levelname}', text)


def _audit_inserted(mapper: Any, connection: Any, target: Any) -> None:
    values = (target.action, target.target_type, target.target_id, target.ip, target.details)
    RECORDER.text(f'audit entry {target.action}', ' '.join(str(v) for v in values if v))


def install_collectors() -> None:
    root = logging.getLogger()
    if not any(isinstance(h, _Collect) for h in root.handlers):
        root.addHandler(_Collect())
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    from sqlalchemy import event

    from models.audit import AuditEntry

    if not event.contains(AuditEntry, 'before_insert', _audit_inserted):
        event.listen(AuditEntry, 'before_insert', _audit_inserted)


# ---------------------------------------------------------------- servers started by browser tests


def server_env(folder: Path, env: dict[str, str]) -> dict[str, str]:
    """Environment for a server subprocess whose log is scanned: it records its secrets into `folder`."""
    paths = [str(SITE_DIR), str(SITE_DIR.parent.parent)]
    if env.get('PYTHONPATH'):
        paths.append(env['PYTHONPATH'])
    return {**env, 'PYTHONPATH': os.pathsep.join(paths), SECRETS_FILE_ENV: str(folder / 'server-secrets.jsonl')}


def watch_server_log(log: Path, env: dict[str, str]) -> None:
    """Scan this server log at the end of the run, against its own secrets and the test process's."""
    RECORDER.servers.append((log, Path(env[SECRETS_FILE_ENV])))


def _server_texts() -> int:
    lines = 0
    for log, secrets_file in RECORDER.servers:
        if secrets_file.exists():
            for line in secrets_file.read_text(encoding='utf-8').splitlines():
                origin, value = json.loads(line)
                RECORDER.secret(value, f'server process: {origin}')
        if log.exists():
            for line in log.read_text(encoding='utf-8', errors='replace').splitlines():
                RECORDER.text(f'server log {log}', line)
                lines += 1
    return lines


def _constants() -> None:
    """Passwords that browser tests type (module constants such as PASSWORD): the test process never hashes them."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(('tests.', 'services.demo')) or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if 'PASSWORD' in attribute and isinstance(value, str):
                RECORDER.secret(value, f'{name}.{attribute}')


# ---------------------------------------------------------------- the scan


@dataclass(frozen=True)
class Finding:
    secret: str
    origin: str
    where: str
    text: str


def scan() -> list[Finding]:
    words = {s: o for s, o in RECORDER.secrets.items() if WORD.fullmatch(s)}
    others = {s: o for s, o in RECORDER.secrets.items() if s not in words}
    findings = []
    for where, text in RECORDER.texts:
        for word in set(WORD.findall(text)):
            if word in words:
                findings.append(Finding(word, words[word], where, text))
        for secret, origin in others.items():
            if secret in text:
                findings.append(Finding(secret, origin, where, text))
    return findings


# ---------------------------------------------------------------- pytest hooks

_results: dict[str, Any] = {}


def pytest_configure(config: Any) -> None:
    install_secret_wrappers()
    install_app_wrappers()
    install_collectors()


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    import pytest

    server_lines = _server_texts()
    _constants()
    findings = scan()
    kinds: dict[str, int] = {}
    for origin in RECORDER.secrets.values():
        kind = origin.removeprefix('server process: ')
        kinds[kind] = kinds.get(kind, 0) + 1
    _results.update(findings=findings, kinds=kinds, secrets=len(RECORDER.secrets), texts=len(RECORDER.texts),
                    server_logs=len(RECORDER.servers), server_lines=server_lines,
                    audit=sum(1 for where, _ in RECORDER.texts if where.startswith('audit entry')))
    if findings:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _results:
        return
    write = terminalreporter.write_line
    terminalreporter.section('secrets in logs and audit entries')
    kinds = ', '.join(f'{n} {kind}' for kind, n in sorted(_results['kinds'].items(), key=lambda kv: -kv[1]))
    write(f"{_results['secrets']} secrets tracked ({kinds})")
    write(f"{_results['texts']} texts scanned: {_results['audit']} audit entries, "
          f"{_results['texts'] - _results['audit'] - _results['server_lines']} log records of this process, "
          f"{_results['server_lines']} lines of {_results['server_logs']} browser-test server logs")
    for finding in _results['findings'][:50]:
        write(f'SECRET LEAKED: {finding.origin} {finding.secret!r} in {finding.where}: {finding.text[:500]!r}',
              red=True, bold=True)
    if _results['findings']:
        write(f"{len(_results['findings'])} leaks: the run fails.", red=True, bold=True)
