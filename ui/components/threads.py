"""Threads in a list, as one escaped HTML element (a board page shows 30 of them; see ui/components/member.py)."""

from html import escape
from urllib.parse import quote

from nicegui import ui

from services.board_views import ThreadRow, page_of
from ui.components.when import time_html
from ui.i18n import _


def badge(text: str, colours: str, *, name: str = '') -> str:
    """A small coloured label; `name` marks it (data-badge) for tests and styles."""
    marker = f' data-badge="{escape(name)}"' if name else ''
    return f'<span class="text-xs font-medium px-2 py-0.5 rounded-full {colours}"{marker}>{escape(text)}</span>'


def thread_link(row: ThreadRow) -> str:
    """Straight to the first unread post when there is one."""
    if row.first_unread:
        return f'/threads/{row.id}?page={page_of(row.first_unread)}#post-{row.first_unread}'
    return f'/threads/{row.id}'


def thread_row_html(row: ThreadRow, *, show_board: bool = False) -> str:
    badges = []
    if row.pinned:
        badges.append(badge(_('Angeheftet'), 'bg-blue-100 text-blue-900'))
    if row.solved:
        badges.append(badge(_('Gelöst'), 'bg-green-100 text-green-900'))
    if row.locked:
        badges.append(badge(_('Geschlossen'), 'bg-slate-200 text-slate-800'))
    if row.is_new:
        badges.append(badge(_('Neu'), 'bg-amber-100 text-amber-900'))
    elif row.unread:
        badges.append(badge(_('{n} ungelesen', n=row.unread), 'bg-amber-100 text-amber-900'))
    author = row.author.name if row.author else _('Ehemaliges Mitglied')
    origin = f' · {escape(row.author.organization)}' if row.author and row.author.organization else ''
    board = (f'<a href="/boards/{quote(row.board.slug)}" class="text-slate-700 underline">'
             f'{escape(row.board.name)}</a> · ' if show_board else '')
    tags = ''.join(f'<a href="/search?q={quote(t.name)}" class="no-underline text-xs px-2 py-0.5 rounded-full '
                   f'bg-slate-100 text-slate-800">{escape(t.name)}</a>' for t in row.tags)
    last = _('Letzte Antwort {when} von {name}', when='§', name=row.last_poster) if row.reply_count else _(
        'Gefragt {when}', when='§')
    last_html = escape(last).replace('§', time_html(row.last_post_at if row.reply_count else row.created_at))
    replies = _('1 Antwort') if row.reply_count == 1 else _('{n} Antworten', n=row.reply_count)
    views = _('1 Aufruf') if row.view_count == 1 else _('{n} Aufrufe', n=row.view_count)
    return (
        '<div class="flex items-start justify-between gap-3 py-3 flex-wrap">'
        '<div class="flex flex-col gap-1 min-w-0 grow basis-80">'
        '<div class="flex items-center gap-2 flex-wrap">'
        f'<a href="{escape(thread_link(row))}" class="font-medium text-base text-slate-900 underline">'
        f'{escape(row.title)}</a>{"".join(badges)}</div>'
        f'<div class="text-sm text-slate-600">{board}{escape(author)}{origin}</div>'
        + (f'<div class="flex flex-wrap gap-1">{tags}</div>' if tags else '') +
        '</div>'
        f'<div class="text-sm text-slate-700 flex flex-col items-end shrink-0 max-sm:items-start">'
        f'<span>{escape(replies)} · {escape(views)}</span><span>{last_html}</span></div>'
        '</div>')


THREAD_LIST = 'w-full divide-y divide-slate-200'


def thread_items_html(rows: list[ThreadRow], *, show_board: bool = False) -> str:
    return ''.join(f'<li data-thread="{row.id}">{thread_row_html(row, show_board=show_board)}</li>' for row in rows)


def thread_list_html(rows: list[ThreadRow], *, show_board: bool = False, label: str = '') -> str:
    """The same list inside a larger HTML block."""
    named = f' aria-label="{escape(label)}"' if label else ''
    return f'<ul class="{THREAD_LIST}"{named}>{thread_items_html(rows, show_board=show_board)}</ul>'


def thread_list(rows: list[ThreadRow], *, show_board: bool = False, label: str = '') -> ui.html:
    """Threads as one list element (`data-thread` on each item names the thread)."""
    element = ui.html(thread_items_html(rows, show_board=show_board), tag='ul').classes(THREAD_LIST)
    if label:
        element.props['aria-label'] = label
    return element


def thread_section(title: str, rows: list[ThreadRow], *, empty: str, marker: str, more: str = '') -> None:
    """A titled short list of threads from several boards (start page, a member's profile), as a named region;
    `more` is escaped HTML after the list (a link to the rest)."""
    from ui import theme
    from ui.components.text import paragraph_html, section

    body = thread_list_html(rows, show_board=True, label=title) if rows else paragraph_html(empty, theme.MUTED)
    section(marker, title, body + more, classes='w-full')
