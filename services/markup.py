"""Markdown from users (profiles, posts) to HTML that is safe to show: markdown2, then nh3 with a short allowlist."""

import html

import markdown2
import nh3

# 'demote-headers' turns '#' into <h2> (the page owns <h1>); 'highlightjs-lang' keeps markdown2 from colouring fenced
# code with Pygments when it happens to be installed (its <div>/<span> markup would only be stripped again).
_EXTRAS = {'tables': None, 'fenced-code-blocks': None, 'strike': None, 'highlightjs-lang': None, 'demote-headers': 1}

ALLOWED_TAGS = frozenset({
    'p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'del', 's', 'ul', 'ol', 'li', 'blockquote',
    'code', 'pre', 'hr', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
})
ALLOWED_ATTRIBUTES = {'a': {'href', 'title'}}
ALLOWED_URL_SCHEMES = frozenset({'http', 'https', 'mailto'})
LINK_REL = 'nofollow noopener'


def _to_html(text: str) -> str:
    try:
        # safe_mode='escape' shows raw HTML as text and turns unsafe link targets (javascript:, data:) into '#'.
        return markdown2.markdown(text, safe_mode='escape', extras=_EXTRAS)
    except Exception:  # markdown2 on odd input (e.g. RecursionError on thousands of nested '>'): show it as text
        return '<p>' + html.escape(text).replace('\n', '<br>') + '</p>'


def render_markdown(text: str) -> str:
    """Safe HTML for Markdown text: no raw HTML, no images, only http/https/mailto links (rel="nofollow noopener")."""
    if not text or not text.strip():
        return ''
    # Lone surrogates (possible in a Python str, never in valid UTF-8) would make nh3 raise UnicodeEncodeError.
    text = text.encode('utf-8', 'replace').decode('utf-8')
    return nh3.clean(
        _to_html(text),
        tags=set(ALLOWED_TAGS),
        clean_content_tags={'script', 'style'},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
