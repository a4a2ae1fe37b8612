"""Known-vulnerable dependencies fail the suite (issue #8, item 7): pip-audit checks every package installed in the test
environment, pinned to the version installed, against a vulnerability database.

Which database: PIP_AUDIT_OSV_URL (an OSV API mirror inside the intranet, for machines without internet), else OSV's
public API, else PyPI's. When none answers, the audit is skipped and says so: a green run then proves nothing about
dependencies. The second test shows that the audit as run here fails on a vulnerable pin, against a local stand-in
for an OSV mirror that knows one (made-up) advisory.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from packaging.version import Version

OSV_URL = os.environ.get('PIP_AUDIT_OSV_URL', 'https://api.osv.dev/v1/query')
# What pip-audit's PyPI service asks for: one release's JSON (a proxy may answer only project pages).
PYPI_PROBE = f"https://pypi.org/pypi/packaging/{metadata.version('packaging')}/json"
PROJECT = 'verwaltungsnetz'  # this app itself: not on any index, nothing to look up


def _pip_audit() -> list[str]:
    beside = Path(sys.executable).with_name('pip-audit')
    found = str(beside) if beside.exists() else shutil.which('pip-audit')
    if found is None:
        pytest.skip('pip-audit is not installed (it belongs in the [test] extra of pyproject.toml)')
    return [found]


def installed_pins() -> list[str]:
    """Every distribution of this environment as NAME==VERSION (what is installed is what runs)."""
    pins = {}
    for dist in metadata.distributions():
        name = dist.metadata['Name']
        if name and name.lower() != PROJECT:
            pins[name.lower()] = f'{name}=={dist.version}'
    return sorted(pins.values())


@dataclass(frozen=True)
class Audit:
    returncode: int
    findings: dict[str, list[str]]  # 'name==version' → advisory ids
    output: str


def audit(pins: list[str], folder: Path, *, service: str = 'osv', osv_url: str = OSV_URL) -> Audit:
    """pip-audit over exactly these pins (no resolving, no pip), --strict: a package it cannot check fails too."""
    requirements = folder / 'pins.txt'
    requirements.write_text('\n'.join(pins) + '\n', encoding='utf-8')
    report = folder / 'audit.json'
    command = [*_pip_audit(), '--strict', '--no-deps', '--disable-pip', '-r', str(requirements), '-s', service,
               '--osv-url', osv_url, '--progress-spinner', 'off', '--cache-dir', str(folder / 'cache'),
               '--timeout', '30', '-f', 'json', '-o', str(report)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    findings: dict[str, list[str]] = {}
    if report.exists() and report.read_text(encoding='utf-8').strip():
        for dependency in json.loads(report.read_text(encoding='utf-8'))['dependencies']:
            if dependency.get('vulns'):
                findings[f"{dependency['name']}=={dependency['version']}"] = [v['id'] for v in dependency['vulns']]
    return Audit(result.returncode, findings, result.stdout + result.stderr)


def _reachable() -> tuple[str | None, list[str]]:
    """The first vulnerability service that answers, and why the others did not."""
    why = []
    probes = (('osv', lambda: httpx.post(OSV_URL, json={'package': {'name': 'pip', 'ecosystem': 'PyPI'},
                                                      'version': '20.0'}, timeout=10)),
              ('pypi', lambda: httpx.get(PYPI_PROBE, timeout=10)))
    for service, probe in probes:
        try:
            response = probe()
            response.raise_for_status()
            return service, why
        except httpx.HTTPError as e:
            why.append(f'{service} ({OSV_URL if service == "osv" else PYPI_PROBE}): {type(e).__name__}: {e}')
    return None, why


def test_installed_dependencies_have_no_known_vulnerabilities(tmp_path):
    _pip_audit()
    service, why = _reachable()
    if service is None:
        pytest.skip('no vulnerability database reachable from this machine: ' + '; '.join(why) +
                    ' (set PIP_AUDIT_OSV_URL to an OSV mirror)')
    result = audit(installed_pins(), tmp_path, service=service)
    assert result.findings == {}, result.output
    assert result.returncode == 0, result.output


# ---------------------------------------------------------------- the audit fails on a vulnerable pin

ADVISORY = {'id': 'VN-TEST-2026-0001', 'summary': 'made-up advisory of the local stand-in', 'schema_version': '1.6.0',
            'affected': [{'package': {'name': 'jinja2', 'ecosystem': 'PyPI'},
                          'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': '2.11.3'}]}]}]}


class _Mirror(BaseHTTPRequestHandler):
    """Answers OSV's /v1/query as a mirror would that knows the one advisory above."""

    def do_POST(self) -> None:  # noqa: N802
        query = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        hit = query['package']['name'] == 'jinja2' and Version(query['version']) < Version('2.11.3')
        body = json.dumps({'vulns': [ADVISORY]} if hit else {}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def mirror():
    server = ThreadingHTTPServer(('127.0.0.1', 0), _Mirror)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{server.server_address[1]}/v1/query'
    server.shutdown()
    server.server_close()


def test_the_audit_fails_on_a_known_vulnerable_pin_and_passes_without_it(tmp_path, mirror):
    vulnerable = audit(['jinja2==2.10', 'idna==3.10'], tmp_path, osv_url=mirror)
    assert vulnerable.returncode == 1, vulnerable.output
    assert vulnerable.findings == {'jinja2==2.10': ['VN-TEST-2026-0001']}
    fixed = audit(['jinja2==3.1.6', 'idna==3.10'], tmp_path, osv_url=mirror)
    assert (fixed.returncode, fixed.findings) == (0, {}), fixed.output
    assert len(installed_pins()) > 20 and any(p.lower().startswith('nicegui==') for p in installed_pins())
