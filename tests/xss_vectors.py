"""XSS vectors that members and administrators could type into any text field of the app.

Each vector, if a browser ever ran it, sets the global marker `window.__xss` (frames set `parent.__xss`) or opens a
dialog with `alert(1)`; the browser test (tests/browser/test_xss_everywhere.py) watches for both. The list follows
the OWASP XSS filter evasion cheat sheet, adapted to what this app does with text: Markdown (markdown2 + nh3),
NiceGUI/Vue elements (text bindings, DOMPurify for `ui.html`), Quasar props, and HTML built on the server with
`html.escape`.
"""

from base64 import b64encode
from dataclasses import dataclass

MARK = 'window.__xss=1'
PARENT_MARK = 'parent.__xss=1'
_DATA_HTML = 'data:text/html;base64,' + b64encode(f'<script>{PARENT_MARK}</script>'.encode()).decode()


@dataclass(frozen=True)
class Vector:
    name: str
    text: str


VECTORS: tuple[Vector, ...] = (
    # <script> in its spellings, and breaking out of a script block the page might build
    Vector('script-tag', f'<script>{MARK}</script>'),
    Vector('script-mixed-case', '<ScRiPt>alert(1)</sCrIpT>'),
    Vector('script-data-src', f'<script src=data:text/javascript,{MARK}></script>'),
    Vector('script-breakout', f'</script><script>{MARK}</script>'),
    Vector('script-split', f'<scr<script>ipt>{MARK}</scr</script>ipt>'),
    Vector('script-after-quote', f'"><script>{MARK}</script>'),
    # event handlers
    Vector('img-onerror', f'<img src=x onerror={MARK}>'),
    Vector('img-onerror-alert', '<img src=x onerror="alert(1)">'),
    Vector('img-onerror-slashes', f'<img/src=x/onerror={MARK}>'),
    Vector('img-onerror-entities', '<img src=x onerror=&#x77;indow.__xss=1>'),
    Vector('img-onerror-unclosed', '<img src=x onerror=alert(1)//'),
    Vector('svg-onload', f'<svg onload={MARK}>'),
    Vector('svg-onload-slash', '<svg/onload=alert(1)//'),
    Vector('body-onload', f'<body onload={MARK}>'),
    Vector('details-ontoggle', f'<details open ontoggle={MARK}>x</details>'),
    Vector('input-autofocus', f'<input autofocus onfocus={MARK}>'),
    Vector('audio-onerror', f'<audio src=x onerror={MARK}>'),
    Vector('video-source-onerror', f'<video><source onerror={MARK}></video>'),
    Vector('marquee-onstart', f'<marquee onstart={MARK}>x</marquee>'),
    Vector('unknown-tag-onclick', f'<x onclick={MARK}>klick</x>'),
    Vector('a-onclick', f'<a href="#" onclick="{MARK}">klick</a>'),
    # attribute breakouts (text that lands inside a quoted attribute)
    Vector('attr-double-quote', f'" onmouseover="{MARK}" x="'),
    Vector('attr-single-quote', f"' onmouseover='{MARK}' x='"),
    Vector('attr-close-tag', f"'><img src=x onerror={MARK}>"),
    Vector('attr-autofocus', f'" autofocus onfocus="{MARK}'),
    # SVG, MathML and embedding elements
    Vector('svg-script', f'<svg><script>{MARK}</script></svg>'),
    Vector('svg-animate', f'<svg><animate onbegin={MARK} attributeName=x dur=1s>'),
    Vector('svg-xlink', f'<svg><a xlink:href="javascript:{MARK}"><text y="20">klick</text></a></svg>'),
    Vector('math-mglyph', f'<math><mtext><table><mglyph><style><img src=x onerror={MARK}>'),
    Vector('math-href', f'<math href="javascript:{MARK}">klick</math>'),
    Vector('iframe-srcdoc', f'<iframe srcdoc="<script>{PARENT_MARK}</script>"></iframe>'),
    Vector('iframe-javascript', f'<iframe src="javascript:{PARENT_MARK}"></iframe>'),
    Vector('object-data', f'<object data="javascript:{MARK}"></object>'),
    Vector('embed-data-html', f'<embed src="{_DATA_HTML}">'),
    Vector('form-formaction', f'<form><button formaction=javascript:{MARK}>klick</button></form>'),
    Vector('meta-refresh', f'<meta http-equiv="refresh" content="0;url=javascript:{MARK}">'),
    Vector('base-href', f'<base href="javascript:{MARK}//">'),
    # raw links with disguised schemes
    Vector('a-javascript', f'<a href="javascript:{MARK}">klick</a>'),
    Vector('a-space-javascript', f'<a href=" javascript:{MARK}">klick</a>'),
    Vector('a-tab-entity', f'<a href="jav&#x09;ascript:{MARK}">klick</a>'),
    Vector('a-decimal-entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
                                 'alert(1)">klick</a>'),
    Vector('a-data-html', f'<a href="{_DATA_HTML}">klick</a>'),
    # Markdown links, images and autolinks
    Vector('md-link-javascript', f'[klick](javascript:{MARK})'),
    Vector('md-link-mixed-case', f'[klick](JaVaScRiPt:{MARK})'),
    Vector('md-link-entity-colon', f'[klick](javascript&#58;{MARK})'),
    Vector('md-link-spaces', f'[klick](  javascript:{MARK}  )'),
    Vector('md-link-data', f'[klick]({_DATA_HTML})'),
    Vector('md-image-javascript', f'![bild](javascript:{MARK})'),
    Vector('md-image-onerror', f'![bild](x" onerror="{MARK})'),
    Vector('md-link-title-breakout', f'[klick](https://example.org "x" onmouseover="{MARK}")'),
    Vector('md-link-url-breakout', f'[klick](https://example.org/" onmouseover="{MARK})'),
    Vector('md-autolink-javascript', f'<javascript:{MARK}>'),
    Vector('md-autolink-breakout', f'<https://example.org/" onmouseover="{MARK}>'),
    Vector('md-reference-link', f'[klick][r]\n\n[r]: javascript:{MARK}'),
    Vector('md-image-in-link', f'[<img src=x onerror={MARK}>](https://example.org)'),
    Vector('md-html-block', f'<div>\n<script>{MARK}</script>\n</div>'),
    # Vue and Quasar template syntax (would run if user text were ever compiled as a template)
    Vector('vue-constructor', f"{{{{ constructor.constructor('{MARK}')() }}}}"),
    Vector('vue-openblock', "{{_openBlock.constructor('alert(1)')()}}"),
    Vector('vue-v-html', f"<div v-html=\"'<img src=x onerror={MARK}>'\"></div>"),
    Vector('vue-bound-attr', f"<p :class=\"constructor.constructor('{MARK}')()\">x</p>"),
    Vector('vue-event', f'<q-btn @click="{MARK}" label="klick"></q-btn>'),
    Vector('js-template-literal', f'${{{MARK}}}'),
    # encodings and Unicode tricks
    Vector('percent-encoded', f'%3Cscript%3E{MARK}%3C/script%3E'),
    Vector('html-entities', f'&lt;script&gt;{MARK}&lt;/script&gt;'),
    Vector('decimal-entities', f'&#60;img src=x onerror={MARK}&#62;'),
    Vector('js-unicode-escapes', f'\\u003cimg src=x onerror={MARK}\\u003e'),
    Vector('fullwidth-brackets', f'＜script＞{MARK}＜/script＞'),
    Vector('zero-width-inside-tag', f'<scr\u200bipt>{MARK}</scr\u200bipt>'),
    Vector('rtl-override', f'\u202e<img src=x onerror={MARK}>\u202c'),
    Vector('tab-separated-attrs', f'<img\tsrc=x\tonerror={MARK}>'),
    # CSS
    Vector('css-expression', f'<div style="width:expression({MARK})">x</div>'),
    Vector('css-url-javascript', f'<p style="background:url(javascript:{MARK})">x</p>'),
    Vector('style-import', f'<style>@import "javascript:{MARK}";</style>'),
    # parser confusion
    Vector('comment-breakout', f'<!--<img src="--><img src=x onerror={MARK}>-->'),
    Vector('noscript-title', f'<noscript><p title="</noscript><img src=x onerror={MARK}>">'),
    Vector('template-tag', f'<template><img src=x onerror={MARK}></template>'),
    Vector('textarea-breakout', f'</textarea><img src=x onerror={MARK}>'),
    Vector('title-breakout', f'</title><img src=x onerror={MARK}>'),
)

# A file name keeps no folders: '/' and '\\' split it (services/uploads.clean_filename).
FILE_NAME_VECTORS: tuple[Vector, ...] = tuple(v for v in VECTORS if '/' not in v.text and '\\' not in v.text)

assert len(VECTORS) >= 50 and len({v.name for v in VECTORS}) == len(VECTORS)
