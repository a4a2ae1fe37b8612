"""axe-core for the accessibility tests: fetched once from the npm registry, verified against the pinned sha512,
cached under .cache/axe-core/, and injected into the page by Playwright (no CDN, nothing from the page's origin)."""

import base64
import hashlib
import io
import tarfile
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
VERSION = '4.14.1'
TARBALL = f'https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz'
# The registry's `dist.integrity` for this version: a tarball that differs (a mirror, a proxy, a compromised
# registry) is refused before any of its code reaches a browser.
INTEGRITY = 'sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=='
CACHE = ROOT / '.cache' / 'axe-core' / VERSION
# WCAG 2.0 and 2.1, levels A and AA: what BITV 2.0 (via EN 301 549) requires.
TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']


def _verify(data: bytes) -> None:
    algorithm, _, expected = INTEGRITY.partition('-')
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise RuntimeError(f'axe-core {VERSION}: tarball integrity mismatch ({algorithm}-{actual})')


def script() -> str:
    """The text of axe.min.js; the verified tarball is kept in the cache, so the registry is asked once."""
    tarball = CACHE / f'axe-core-{VERSION}.tgz'
    if tarball.exists():
        data = tarball.read_bytes()
    else:
        response = httpx.get(TARBALL, timeout=60, follow_redirects=True)
        response.raise_for_status()
        data = response.content
    _verify(data)  # also on the cached copy: the cache folder is writable by anything on the machine
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tarball.write_bytes(data)
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as archive:
        member = archive.extractfile('package/axe.min.js')
        if member is None:
            raise RuntimeError(f'axe-core {VERSION}: no package/axe.min.js in the tarball')
        return member.read().decode()


def inject(page: Page, source: str) -> None:
    """Put axe into the page unless it is there (the app's CSP allows inline scripts, which NiceGUI needs anyway)."""
    if not page.evaluate('() => typeof window.axe === "object"'):
        page.add_script_tag(content=source)


def run(page: Page, source: str) -> list[dict[str, Any]]:
    """The WCAG 2.x A/AA violations axe finds in the whole document as it is now (no rule or element left out)."""
    inject(page, source)
    result = page.evaluate(
        '''async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return {violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}))};
        }''',
        TAGS,
    )
    return result['violations']


def rules(page: Page, source: str) -> list[str]:
    """The ids of the rules that the tags select (for the report: what was checked)."""
    inject(page, source)
    return page.evaluate('(tags) => axe.getRules(tags).map(r => r.ruleId)', TAGS)


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable list for a failing assertion: rule, impact, and each element with axe's explanation."""
    lines = []
    for v in violations:
        lines.append(f'{v["id"]} ({v["impact"]}): {v["help"]}')
        for node in v['nodes'][:8]:
            lines.append(f'    {node["target"]}\n        {node["html"]}\n        {node["summary"]}'.replace(
                '\n  Fix', '\n        Fix'))
        if len(v['nodes']) > 8:
            lines.append(f'    … and {len(v["nodes"]) - 8} more')
    return '\n'.join(lines)
