"""Page links (not buttons): every page of a list is a URL people can share."""

from collections.abc import Callable
from html import escape

from nicegui import ui

from ui.components.text import link_html
from ui.i18n import _


def pager(current: int, pages: int, url_for: Callable[[int], str]) -> None:
    """One HTML element (paged lists show it twice on long pages, and each NiceGUI element costs the server)."""
    if pages <= 1:
        return
    ui.html(pager_html(current, pages, url_for), tag='nav').props(f'aria-label="{_("Seiten")}"').classes(
        'flex gap-2 items-center flex-wrap').mark('pager')


def pager_html(current: int, pages: int, url_for: Callable[[int], str]) -> str:
    parts = []
    if current > 1:
        parts.append(link_html(url_for(current - 1), _('Zurück'), rel='prev'))
    parts.append(f'<span>{escape(_("Seite {page} von {pages}", page=current, pages=pages))}</span>')
    if current < pages:
        parts.append(link_html(url_for(current + 1), _('Weiter'), rel='next'))
    return ''.join(parts)

