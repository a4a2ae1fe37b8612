"""XSS corpus for render_markdown: every vector must come out inert, checked with a real HTML parser.

The vectors follow the OWASP XSS filter evasion cheat sheet, adapted to Markdown input. Each one is run twice: through
render_markdown as is, and with the Markdown step replaced by a pass-through, so that the nh3 allowlist alone has to
make the raw HTML inert (a second line of defence should markdown2 ever let raw HTML through).
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import pytest

from services import markup
from services.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown

JS = 'javascript:alert(1)'
DATA_HTML = 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='

VECTORS = [
    # <script> in its many spellings
    pytest.param('<script>alert(1)</script>', id='script-tag'),
    pytest.param('<ScRiPt>alert(1)</sCrIpT>', id='script-mixed-case'),
    pytest.param('<script src=//evil.example/x.js></script>', id='script-src-protocol-relative'),
    pytest.param('<scr<script>ipt>alert(1)</scr</script>ipt>', id='script-split-by-inner-script'),
    pytest.param('<<script>script>alert(1)<</script>/script>', id='script-nested-angle-brackets'),
    pytest.param('<script/xss src="http://evil.example/x.js"></script>', id='script-slash-attribute'),
    # event handlers
    pytest.param('<img src=x onerror=alert(1)>', id='img-onerror'),
    pytest.param('<img/src=x/onerror=alert(1)>', id='img-onerror-slashes'),
    pytest.param('<IMG SRC=x ONERROR="alert(String.fromCharCode(88,83,83))">', id='img-onerror-uppercase'),
    pytest.param('<img src=x onerror=alert(1)//', id='img-unclosed-tag'),
    pytest.param('<svg onload=alert(1)>', id='svg-onload'),
    pytest.param('<svg/onload=alert(1)//', id='svg-onload-unclosed'),
    pytest.param('<body onload=alert(1)>', id='body-onload'),
    pytest.param('<details open ontoggle=alert(1)>x</details>', id='details-ontoggle'),
    pytest.param('<iframe onload=alert(1)></iframe>', id='iframe-onload'),
    pytest.param('<input autofocus onfocus=alert(1)>', id='input-onfocus-autofocus'),
    pytest.param('<video><source onerror=alert(1)></video>', id='video-source-onerror'),
    pytest.param('<marquee onstart=alert(1)>x</marquee>', id='marquee-onstart'),
    pytest.param('<p onclick="alert(1)">x</p>', id='allowed-tag-with-onclick'),
    pytest.param('<a href="https://ok.example" onmouseover="alert(1)">x</a>', id='raw-a-onmouseover'),
    pytest.param('<a href="https://ok.example" onmouseover="alert(1)', id='raw-a-unclosed-attribute'),
    pytest.param('<x onclick=alert(1)>click</x>', id='unknown-tag-onclick'),
    # SVG, MathML and other foreign or embedding content
    pytest.param('<svg><script>alert(1)</script></svg>', id='svg-script'),
    pytest.param(f'<svg><a xlink:href="{JS}"><text x="0" y="20">x</text></a></svg>', id='svg-a-xlink-href'),
    pytest.param('<svg><animate onbegin=alert(1) attributeName=x dur=1s>', id='svg-animate-onbegin'),
    pytest.param('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', id='math-mglyph-style'),
    pytest.param(f'<math href="{JS}">click</math>', id='math-href'),
    pytest.param(f'<iframe src="{JS}"></iframe>', id='iframe-src-javascript'),
    pytest.param('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', id='iframe-srcdoc'),
    pytest.param(f'<object data="{JS}"></object>', id='object-data'),
    pytest.param(f'<embed src="{DATA_HTML}">', id='embed-data-uri'),
    pytest.param(f'<form action="{JS}"><button>x</button></form>', id='form-action'),
    pytest.param(f'<button formaction="{JS}">x</button>', id='button-formaction'),
    pytest.param(f'<isindex action="{JS}" type=image>', id='isindex-action'),
    pytest.param(f'<meta http-equiv="refresh" content="0;url={JS}">', id='meta-refresh'),
    pytest.param(f'<base href="{JS}//">', id='base-href'),
    pytest.param('<link rel=stylesheet href="http://evil.example/x.css">', id='link-stylesheet'),
    # raw <a href> with dangerous or disguised schemes
    pytest.param(f'<a href="{JS}">x</a>', id='raw-a-href-javascript'),
    pytest.param('<a href="jav&#x09;ascript:alert(1)">x</a>', id='raw-a-href-entity-tab'),
    pytest.param('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
                 id='raw-a-href-decimal-entities'),
    pytest.param('<a href=" &#14; javascript:alert(1)">x</a>', id='raw-a-href-leading-control'),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id='raw-a-href-vbscript'),
    pytest.param(f'<a href="{DATA_HTML}">x</a>', id='raw-a-href-data'),
    # style and CSS
    pytest.param(f'<p style="background:url({JS})">x</p>', id='style-attribute-url'),
    pytest.param('<div style="width: expression(alert(1))">x</div>', id='css-expression'),
    pytest.param("<style>@import 'http://evil.example/x.css';</style>", id='style-tag-import'),
    pytest.param('<style>body{background:url("javascript:alert(1)")}</style>', id='style-tag-javascript-url'),
    # parser confusion: comments, noscript, template and friends
    pytest.param('<!--<script>alert(1)</script>-->', id='comment-hiding-script'),
    pytest.param('<!--><img src=x onerror=alert(1)>-->', id='comment-early-close'),
    pytest.param('<!--[if gte IE 4]><script>alert(1)</script><![endif]-->', id='conditional-comment'),
    pytest.param('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', id='noscript-title-breakout'),
    pytest.param('<template><script>alert(1)</script></template>', id='template-script'),
    pytest.param('<textarea></textarea><script>alert(1)</script>', id='textarea-then-script'),
    pytest.param('<title><img src="</title><img src=x onerror=alert(1)>">', id='title-breakout'),
    pytest.param('<xmp><p title="</xmp><img src=x onerror=alert(1)>">', id='xmp-breakout'),
    pytest.param('<![CDATA[<script>alert(1)</script>]]>', id='cdata-section'),
    pytest.param('<?xml-stylesheet href="javascript:alert(1)"?>', id='processing-instruction'),
    pytest.param('<div><p><b><i><script>alert(1)', id='nested-unclosed-tags'),
    # Markdown inline links with dangerous schemes
    pytest.param(f'[x]({JS})', id='md-link-javascript'),
    pytest.param('[x](JaVaScRiPt:alert(1))', id='md-link-mixed-case'),
    pytest.param('[x](jav&#x09;ascript:alert(1))', id='md-link-entity-tab'),
    pytest.param('[x](jav&#x0A;ascript:alert(1))', id='md-link-entity-newline'),
    pytest.param('[x](java\tscript:alert(1))', id='md-link-literal-tab'),
    pytest.param('[x](&#x6A;avascript:alert(1))', id='md-link-hex-entity'),
    pytest.param('[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
                 id='md-link-decimal-entities'),
    pytest.param('[x](javascript&colon;alert(1))', id='md-link-named-entity-colon'),
    pytest.param('[x](\x01javascript:alert(1))', id='md-link-leading-control-char'),
    pytest.param('[x]( javascript:alert(1))', id='md-link-leading-space'),
    pytest.param('[x](\u00a0javascript:alert(1))', id='md-link-leading-nbsp'),
    pytest.param(f'[x](<{JS}>)', id='md-link-angle-brackets'),
    pytest.param('[x](javascript://%0aalert(1))', id='md-link-comment-newline'),
    pytest.param('[x](vbscript:msgbox(1))', id='md-link-vbscript'),
    pytest.param(f'[x]({DATA_HTML})', id='md-link-data'),
    pytest.param('[x](DaTa:text/html,<script>alert(1)</script>)', id='md-link-data-mixed-case'),
    pytest.param('[x](file:///etc/passwd)', id='md-link-file'),
    pytest.param(f'[x](mailto:{JS})', id='md-link-mailto-then-javascript'),
    pytest.param(f'[[x]({JS})](https://ok.example)', id='md-link-nested'),
    pytest.param('[<img src=x onerror=alert(1)>](https://ok.example)', id='md-link-text-html'),
    pytest.param('[x](https://ok.example"onmouseover="alert(1))', id='md-link-url-quote-breakout'),
    # link titles trying to break out of their attribute
    pytest.param('[x](https://ok.example "t\\" onmouseover=\\"alert(1)")', id='md-title-escaped-quote'),
    pytest.param('[x](https://ok.example \'t\' onmouseover=\'alert(1)\')', id='md-title-single-quotes'),
    pytest.param('[x](https://ok.example "t&quot; onmouseover=&quot;alert(1)")', id='md-title-entity-quote'),
    pytest.param('[x](https://ok.example "<script>alert(1)</script>")', id='md-title-script'),
    # reference-style links
    pytest.param(f'[x][1]\n\n[1]: {JS}', id='md-ref-javascript'),
    pytest.param('[x][1]\n\n[1]: JaVaScRiPt:alert(1) "t"', id='md-ref-mixed-case-with-title'),
    pytest.param('[x][1]\n\n[1]: jav&#x09;ascript:alert(1)', id='md-ref-entity-tab'),
    pytest.param(f'[x][1]\n\n[1]: {DATA_HTML}', id='md-ref-data'),
    pytest.param('[x][1]\n\n[1]: https://ok.example "a\\" onmouseover=\\"alert(1)"', id='md-ref-title-breakout'),
    pytest.param(f'[x]\n\n[x]: <{JS}>', id='md-ref-shortcut-angle-brackets'),
    # autolinks
    pytest.param(f'<{JS}>', id='autolink-javascript'),
    pytest.param('<JaVaScRiPt:alert(1)>', id='autolink-mixed-case'),
    pytest.param('<jav&#x09;ascript:alert(1)>', id='autolink-entity-tab'),
    pytest.param('<vbscript:msgbox(1)>', id='autolink-vbscript'),
    pytest.param(f'<{DATA_HTML}>', id='autolink-data'),
    pytest.param('<https://ok.example/"onmouseover="alert(1)>', id='autolink-quote-breakout'),
    pytest.param('<mailto:x@ok.example?body=<script>alert(1)</script>>', id='autolink-mailto-script'),
    pytest.param('https://ok.example/<script>alert(1)</script>', id='bare-url-with-script'),
    # Markdown images (remote images would leak the reader's IP, so none may render)
    pytest.param('![x](http://evil.example/x.png)', id='md-image-remote'),
    pytest.param('![x](https://evil.example/x.png)', id='md-image-remote-https'),
    pytest.param('![x](http://evil.example/x.png "\\" onerror=\\"alert(1)")', id='md-image-onerror-in-title'),
    pytest.param(f'![x]({JS})', id='md-image-javascript'),
    pytest.param(f'![x]({DATA_HTML})', id='md-image-data'),
    pytest.param('![x][img]\n\n[img]: http://evil.example/x.png', id='md-image-reference'),
    pytest.param('[![x](http://evil.example/x.png)](https://ok.example)', id='md-image-inside-link'),
    pytest.param('![<img src=x onerror=alert(1)>](http://evil.example/x.png)', id='md-image-alt-html'),
    # raw HTML inside Markdown blocks
    pytest.param(f'| a | b |\n|---|---|\n| <script>alert(1)</script> | [x]({JS}) |', id='table-cell-script-and-link'),
    pytest.param('| a |\n|---|\n| ![x](http://evil.example/x.png) |', id='table-cell-image'),
    pytest.param('| <img src=x onerror=alert(1)> |\n|---|\n| x |', id='table-header-img'),
    pytest.param('- <svg onload=alert(1)>\n- [x](vbscript:msgbox(1))', id='list-items'),
    pytest.param('> <iframe src="https://evil.example"></iframe>\n> [x](javascript:alert(1))', id='blockquote'),
    pytest.param('**<img src=x onerror=alert(1)>** *<a href="javascript:alert(1)">x</a>*', id='emphasis-around-html'),
    pytest.param('# <svg onload=alert(1)>', id='heading-svg'),
    pytest.param('x<br onclick=alert(1)>y', id='br-onclick'),
    # code must stay code
    pytest.param('```html\n<script>alert(1)</script>\n```', id='fenced-code-script'),
    pytest.param('```\n</code></pre><script>alert(1)</script>\n```', id='fenced-code-breakout'),
    pytest.param('```"><script>alert(1)</script>\nx\n```', id='fenced-code-info-string'),
    pytest.param('`</code><img src=x onerror=alert(1)>`', id='inline-code-breakout'),
    pytest.param('    <script>alert(1)</script>', id='indented-code-script'),
]

_SCHEME = re.compile(r'^([a-z][a-z0-9+.\-]*):')
_SAFE_HREF_STARTS = ('/', '#')


class _Inspector(HTMLParser):
    """Collects every element, attribute and markup declaration the way a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []  # start tags with their attributes
        self.end_tags: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.declarations.append(f'comment: {data!r}')

    def handle_decl(self, decl):
        self.declarations.append(f'declaration: {decl!r}')

    def handle_pi(self, data):
        self.declarations.append(f'processing instruction: {data!r}')

    def unknown_decl(self, data):
        self.declarations.append(f'unknown declaration: {data!r}')


def _inspect(rendered: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(rendered)
    inspector.close()
    return inspector


def _normalised_href(value: str) -> str:
    """The href as a browser would judge its scheme, erring on the strict side.

    HTMLParser has already decoded character references once (as a browser does); decoding a second time is stricter
    than any browser. Whitespace, control and format characters are dropped everywhere, not only where browsers drop
    them (tab/CR/LF anywhere, C0 and space at the ends).
    """
    value = html.unescape(value)
    value = ''.join(c for c in value if not (c.isspace() or unicodedata.category(c) in {'Cc', 'Cf', 'Zs', 'Zl', 'Zp'}))
    return value.lower()


def unsafe_parts(rendered: str) -> list[str]:
    """Everything in the rendered HTML that could run script, load a resource or is outside the allowlist."""
    problems = []
    inspector = _inspect(rendered)
    problems += inspector.declarations
    problems += [f'end tag </{tag}> is not allowed' for tag in inspector.end_tags if tag not in ALLOWED_TAGS]
    for tag, attrs in inspector.elements:
        if tag not in ALLOWED_TAGS:
            problems.append(f'element <{tag}> is not allowed')
        if tag == 'img':
            problems.append('an <img> is rendered')
        allowed_attributes = set(ALLOWED_ATTRIBUTES.get(tag, set())) | ({'rel'} if tag == 'a' else set())
        names = [name for name, _ in attrs]
        for name, value in attrs:
            if name.startswith('on'):
                problems.append(f'event handler {name}={value!r} on <{tag}>')
            if name in {'style', 'src', 'srcdoc'}:
                problems.append(f'attribute {name}={value!r} on <{tag}>')
            if name not in allowed_attributes:
                problems.append(f'attribute {name} is not allowed on <{tag}>')
            if name == 'href':
                href = _normalised_href(value or '')
                scheme = _SCHEME.match(href)
                if scheme and scheme.group(1) not in ALLOWED_URL_SCHEMES:
                    problems.append(f'href {value!r} has scheme {scheme.group(1)!r}')
                if not scheme and not href.startswith(_SAFE_HREF_STARTS):
                    problems.append(f'href {value!r} is neither http/https/mailto nor relative to / or #')
        if tag == 'a' and not {'nofollow', 'noopener'} <= set((dict(attrs).get('rel') or '').split()):
            problems.append(f'<a> without rel="nofollow noopener": {attrs!r}')
        if len(names) != len(set(names)):
            problems.append(f'duplicate attributes on <{tag}>: {names!r}')
    return problems


@pytest.mark.parametrize('text', VECTORS)
def test_vector_renders_inert(text):
    rendered = render_markdown(text)
    assert unsafe_parts(rendered) == [], rendered


@pytest.mark.parametrize('text', VECTORS)
def test_vector_is_inert_even_if_the_markdown_step_lets_raw_html_through(text, monkeypatch):
    monkeypatch.setattr(markup.markdown2, 'markdown', lambda source, *args, **kwargs: source)
    rendered = render_markdown(text)
    assert unsafe_parts(rendered) == [], rendered


def test_corpus_is_large_enough_and_ids_are_unique():
    ids = [param.id for param in VECTORS]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids))


def test_inspector_catches_what_it_must_catch():
    """The checks above only mean something if they fail on unsafe HTML."""
    assert unsafe_parts('<p><a href="https://ok.example" rel="nofollow noopener">x</a></p>') == []
    for bad in [
        '<script>alert(1)</script>', '<img src="https://evil.example/x.png">', '<p onclick="x">y</p>',
        '<p style="color:red">y</p>', '<iframe srcdoc="x"></iframe>', '<a href="https://ok.example">no rel</a>',
        '<a href="java&#x09;script:alert(1)" rel="nofollow noopener">x</a>',
        '<a href=" JAVASCRIPT:alert(1)" rel="nofollow noopener">x</a>',
        '<a href="&#1;javascript:alert(1)" rel="nofollow noopener">x</a>',
        '<a href="data:text/html,x" rel="nofollow noopener">x</a>',
        '<a href="members/12" rel="nofollow noopener">x</a>', '<!-- x -->', '<div>x</div>',
    ]:
        assert unsafe_parts(bad), bad


def test_fenced_code_with_script_stays_escaped_text_in_code():
    rendered = render_markdown('```html\n<script>alert(1)</script>\n```')
    # markdown2 surrounds a block-level tag inside a fence with blank lines; only the whitespace is off, not the text
    assert rendered.startswith('<pre><code>') and rendered.endswith('</code></pre>')
    assert rendered.removeprefix('<pre><code>').removesuffix('</code></pre>').strip() == (
        '&lt;script&gt;alert(1)&lt;/script&gt;')
    assert [tag for tag, _ in _inspect(rendered).elements] == ['pre', 'code']


def test_remote_markdown_image_renders_no_img_and_no_url():
    rendered = render_markdown('Vorher ![Logo](http://evil.example/x.png "Titel") nachher')
    assert [tag for tag, _ in _inspect(rendered).elements if tag == 'img'] == []
    assert 'evil.example' not in rendered


def test_percent_encoded_colon_is_not_a_scheme():
    # Browsers do not decode %3A before looking for a scheme, so this is a harmless relative path (that is why it is
    # not in VECTORS: the strict check above only accepts relative links starting with '/' or '#').
    hrefs = [dict(attrs).get('href') for tag, attrs in _inspect(render_markdown('[x](javascript%3Aalert(1))')).elements
             if tag == 'a']
    assert all(href is None or ':' not in href for href in hrefs)


# Legitimate Markdown still renders (and passes the same checks).


def _rendered_safely(text: str) -> str:
    rendered = render_markdown(text)
    assert unsafe_parts(rendered) == [], rendered
    return rendered


def test_heading_renders_demoted_to_h2():
    assert _rendered_safely('# Über uns') == '<h2>Über uns</h2>'


def test_list_renders():
    assert _rendered_safely('- eins\n- zwei') == '<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>'


def test_emphasis_renders():
    assert _rendered_safely('*kursiv* und **fett**') == '<p><em>kursiv</em> und <strong>fett</strong></p>'


def test_inline_code_renders():
    assert _rendered_safely('Nutze `a < b`') == '<p>Nutze <code>a &lt; b</code></p>'


def test_quote_renders():
    rendered = _rendered_safely('> Zitat')
    assert rendered.startswith('<blockquote>') and '<p>Zitat</p>' in rendered


def test_table_renders():
    rendered = _rendered_safely('| Amt | Ort |\n|---|---|\n| Bauamt | Essen |')
    for part in ['<table>', '<th>Amt</th>', '<td>Bauamt</td>', '<td>Essen</td>']:
        assert part in rendered


def test_https_link_keeps_its_href():
    rendered = _rendered_safely('[Stadt Essen](https://www.essen.de/rathaus?x=1&y=2)')
    assert rendered == ('<p><a href="https://www.essen.de/rathaus?x=1&amp;y=2" rel="nofollow noopener">'
                        'Stadt Essen</a></p>')


def test_mention_link_keeps_its_relative_href():
    rendered = _rendered_safely('Danke, [@Mia Müller](/members/12)!')
    assert rendered == '<p>Danke, <a href="/members/12" rel="nofollow noopener">@Mia Müller</a>!</p>'
