"""Markdown from users becomes HTML with formatting only: no scripts, no images, no dangerous links."""

from html.parser import HTMLParser

import pytest

from services.markup import render_markdown


def tags_in(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The elements as a browser's parser sees them: (tag, attributes)."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_empty_text_renders_as_empty_string():
    assert render_markdown('') == ''


def test_blank_text_renders_as_empty_string():
    assert render_markdown('  \n\t\n') == ''


def test_paragraphs_render():
    assert render_markdown('Erster Absatz.\n\nZweiter Absatz.') == '<p>Erster Absatz.</p>\n\n<p>Zweiter Absatz.</p>'


def test_headings_render_one_level_down():
    html = render_markdown('# Über mich\n\n## Aufgaben\n\n###### Klein')
    assert '<h2>Über mich</h2>' in html and '<h3>Aufgaben</h3>' in html and '<h6>Klein</h6>' in html
    assert '<h1' not in html  # the page has its own title


def test_emphasis_renders():
    html = render_markdown('*kursiv*, **fett** und ~~gestrichen~~')
    assert '<em>kursiv</em>' in html and '<strong>fett</strong>' in html and '<s>gestrichen</s>' in html


def test_lists_render():
    html = render_markdown('- Bauamt\n- Ordnungsamt\n\n1. erstens\n2. zweitens')
    assert '<ul>\n<li>Bauamt</li>\n<li>Ordnungsamt</li>\n</ul>' in html
    assert '<ol>\n<li>erstens</li>\n<li>zweitens</li>\n</ol>' in html


def test_links_render_with_nofollow_noopener():
    html = render_markdown('[Stadt Essen](https://www.essen.de "Startseite")')
    assert html == ('<p><a href="https://www.essen.de" title="Startseite" rel="nofollow noopener">'
                    'Stadt Essen</a></p>')


def test_mailto_links_render():
    assert 'href="mailto:mia@kreis-wesel.de"' in render_markdown('[Mail](mailto:mia@kreis-wesel.de)')


def test_bare_url_in_angle_brackets_becomes_a_link():
    html = render_markdown('<https://www.luenen.de>')
    assert '<a href="https://www.luenen.de" rel="nofollow noopener">https://www.luenen.de</a>' in html


def test_every_link_carries_nofollow_noopener():
    html = render_markdown('[a](https://a.de) [b](http://b.de) [c](mailto:c@c.de) <https://d.de>')
    links = [attrs for tag, attrs in tags_in(html) if tag == 'a']
    assert len(links) == 4
    assert all(link['rel'] == 'nofollow noopener' for link in links)


def test_inline_code_renders_and_is_escaped():
    assert render_markdown('Nutze `<b>x</b>`') == '<p>Nutze <code>&lt;b&gt;x&lt;/b&gt;</code></p>'


def test_fenced_code_renders_without_highlighting_markup():
    html = render_markdown('```python\nif a < b:\n    pass\n```')
    assert html == '<pre><code>if a &lt; b:\n    pass\n</code></pre>'


def test_quotes_render():
    assert '<blockquote>' in render_markdown('> Zitat') and 'Zitat' in render_markdown('> Zitat')


def test_tables_render():
    html = render_markdown('| Amt | Ort |\n|---|---|\n| Bauamt | Essen |')
    for tag in ['<table>', '<thead>', '<th>Amt</th>', '<tbody>', '<tr>', '<td>Essen</td>']:
        assert tag in html


def test_horizontal_rule_renders():
    assert '<hr>' in render_markdown('oben\n\n---\n\nunten')


def test_script_tag_does_not_survive():
    html = render_markdown('<script>alert(1)</script>')
    assert '<script' not in html.lower()
    assert html == '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'  # shown as text


def test_script_inside_markdown_does_not_survive():
    html = render_markdown('**fett<script>alert(1)</script>**\n\n- <script>x</script>')
    assert '<script' not in html.lower()


def test_img_tag_with_onerror_yields_no_img():
    html = render_markdown('<img src=x onerror=alert(1)>')
    assert 'img' not in [tag for tag, _ in tags_in(html)]
    assert all('onerror' not in attrs for _, attrs in tags_in(html))


def test_markdown_image_yields_no_img():
    html = render_markdown('![a](http://evil/x.png)')
    assert '<img' not in html.lower() and 'evil' not in html


@pytest.mark.parametrize('text', [
    '[x](javascript:alert(1))',
    '[x](JavaScript:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](java&#115;cript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x][1]\n\n[1]: javascript:alert(1)',
    '<javascript:alert(1)>',
])
def test_javascript_links_get_no_javascript_href(text):
    hrefs = [attrs.get('href') or '' for _, attrs in tags_in(render_markdown(text))]
    assert not any('javascript' in href.lower() for href in hrefs)


@pytest.mark.parametrize('url', ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vbscript:msgbox(1)'])
def test_data_and_other_schemes_get_no_href(url):
    html = render_markdown(f'[x]({url})')
    assert url.split(':')[0] not in html


def test_raw_link_keeps_no_onclick():
    html = render_markdown('<a href="https://x" onclick="y">z</a>')
    assert all('onclick' not in attrs for _, attrs in tags_in(html))


def test_link_title_cannot_break_out_into_attributes():
    links = tags_in(render_markdown('[x](https://a.de "t\\" onmouseover=\\"alert(1)")'))
    assert [tag for tag, _ in links] == ['p', 'a']
    assert set(links[1][1]) <= {'href', 'title', 'rel'}  # the quote stays inside the title


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown('<div style="position:fixed">x</div><iframe src="https://evil"></iframe>')
    assert '<div' not in html and '<iframe' not in html
    assert '&lt;iframe' in html  # the text is still there, as text


def test_html_comments_do_not_survive():
    assert '<!--' not in render_markdown('<!-- geheim -->sichtbar')


@pytest.mark.parametrize('text', [
    '\x00', '\ud800 kaputt', '>' * 5000, '[' * 5000, '*' * 5000, '`' * 5000, '|' * 5000, '<' * 2000,
    '# ' * 2000, '    code\n' * 500, '\r\n\r\n', '&#0;', '&#xD800;',
])
def test_odd_input_never_raises(text):
    assert isinstance(render_markdown(text), str)


def test_deep_quote_nesting_is_shown_as_text():
    html = render_markdown('>' * 5000 + ' tief')
    assert html.startswith('<p>&gt;&gt;') and html.endswith('tief</p>')


def test_ftp_link_loses_its_href():
    links = [attrs for tag, attrs in tags_in(render_markdown('[x](ftp://a.de/x)')) if tag == 'a']
    assert links and 'href' not in links[0]  # markdown2 allows ftp, the sanitiser does not


def test_sanitiser_cleans_even_if_the_markdown_step_lets_html_through(monkeypatch):
    from services import markup

    raw = ('<p onclick="x"><a href="javascript:alert(1)">a</a><a href="data:text/html,x">b</a>'
           '<img src="https://evil/x.png"><script>alert(1)</script><style>p{}</style><!-- c -->'
           '<iframe src="https://evil"></iframe><a href="https://ok.de" target="_blank" rel="opener">c</a></p>')
    monkeypatch.setattr(markup.markdown2, 'markdown', lambda *args, **kwargs: raw)
    html = render_markdown('egal')
    assert html == ('<p><a rel="nofollow noopener">a</a><a rel="nofollow noopener">b</a>'
                    '<a href="https://ok.de" rel="nofollow noopener">c</a></p>')
