"""Semantic text elements: real headings let screen-reader users jump through a page."""

from html import escape

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from ui.i18n import _

HEADING_CLASSES = {1: 'text-2xl font-semibold', 2: 'text-xl font-semibold', 3: 'text-lg font-medium'}


class Heading(TextElement):
    """An <h1>…<h6> whose text is always escaped."""

    def __init__(self, text: str, level: int = 1) -> None:
        super().__init__(tag=f'h{min(max(level, 1), 6)}', text=text)
        self.classes(HEADING_CLASSES.get(level, 'font-medium') + ' text-slate-900')


class Text(TextElement):
    """Escaped text in any semantic element (dt, dd, span, p …)."""

    def __init__(self, tag: str, text: str) -> None:
        super().__init__(tag=tag, text=text)


def section(marker: str, title: str, body: str, *, classes: str = '') -> ui.element:
    """A titled part of a page in two elements: a <section> named by its <h2> (a region screen readers list), and one
    HTML block holding the heading and `body`, which must be escaped HTML already. For the read-only blocks of a
    busy page (the start page): one element instead of a column, a heading and a list each."""
    with ui.element('section').props(f'aria-labelledby={marker}-title').classes(classes).mark(marker) as box:
        ui.html(h2_html(f'{marker}-title', title) + body).classes('w-full flex flex-col gap-1')
    return box


def h2_html(heading_id: str, title: str) -> str:
    """A second-level heading as `Heading(title, 2)` draws it, with an id that a region can be named by."""
    return f'<h2 id="{heading_id}" class="{HEADING_CLASSES[2]} text-slate-900">{escape(title)}</h2>'


def link_html(href: str, text: str, *, rel: str = '', classes: str = '') -> str:
    """A link as NiceGUI's ui.link draws it (same look, plus `classes`), for HTML blocks."""
    rel_attr = f' rel="{escape(rel)}"' if rel else ''
    return f'<a href="{escape(href)}"{rel_attr} class="{escape(f"nicegui-link {classes}".strip())}">{escape(text)}</a>'


def paragraph_html(text: str, classes: str = '') -> str:
    return f'<p class="{classes}">{escape(text)}</p>' if classes else f'<p>{escape(text)}</p>'


def breadcrumbs(*links: tuple[str, str]) -> ui.element:
    """The way back up (href, text), as one element: a named <nav> whose links are separated by a hidden '›'."""
    separator = '<span aria-hidden="true">›</span>'
    return ui.html(separator.join(link_html(href, text) for href, text in links), tag='nav').props(
        f'aria-label="{_("Brotkrumen")}"').classes('text-sm flex gap-1').mark('breadcrumbs')
