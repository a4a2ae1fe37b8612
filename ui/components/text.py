"""Semantic text elements: real headings let screen-reader users jump through a page."""

from nicegui.elements.mixins.text_element import TextElement


class Heading(TextElement):
    """An <h1>…<h6> whose text is always escaped."""

    def __init__(self, text: str, level: int = 1) -> None:
        super().__init__(tag=f'h{min(max(level, 1), 6)}', text=text)
        sizes = {1: 'text-2xl font-semibold', 2: 'text-xl font-semibold', 3: 'text-lg font-medium'}
        self.classes(sizes.get(level, 'font-medium') + ' text-slate-900')


class Text(TextElement):
    """Escaped text in any semantic element (dt, dd, span, p …)."""

    def __init__(self, tag: str, text: str) -> None:
        super().__init__(tag=tag, text=text)
