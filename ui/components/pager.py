"""Page links (not buttons): every page of a list is a URL people can share."""

from collections.abc import Callable

from nicegui import ui

from ui.i18n import _


def pager(current: int, pages: int, url_for: Callable[[int], str]) -> None:
    if pages <= 1:
        return
    with ui.element('nav').props(f'aria-label="{_("Seiten")}"').classes('flex gap-2 items-center flex-wrap'):
        if current > 1:
            ui.link(_('Zurück'), url_for(current - 1)).props('rel=prev')
        ui.label(_('Seite {page} von {pages}', page=current, pages=pages))
        if current < pages:
            ui.link(_('Weiter'), url_for(current + 1)).props('rel=next').mark('next-page')
