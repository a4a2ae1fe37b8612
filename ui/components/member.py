"""How a member appears in lists and on cards: avatar (or initials), name, administration, tags.

A list of cards is one HTML element built here (every value escaped; the browser's DOMPurify checks it again), not
a dozen NiceGUI elements per card: a page of twenty results then costs one element to build and send instead of 250
(and an open page keeps fewer objects alive for the garbage collector to walk).
"""

from html import escape
from urllib.parse import quote

from nicegui import ui

from services.members import MemberCard, TagRef, initials
from ui.i18n import _


def avatar_url(name: str) -> str:
    return f'/media/avatars/{quote(name)}'


def avatar(name: str, file: str, *, size: str = '48px') -> None:
    """The picture, or the initials on a calm colour; decorative, since the name always stands beside it."""
    ui.html(avatar_html(name, file, size)).classes('shrink-0')


def avatar_html(name: str, file: str, size: str) -> str:
    style = f'width:{size};height:{size}'
    if file:
        return f'<img src="{escape(avatar_url(file))}" alt="" style="{style}" class="rounded-full object-cover">'
    return (f'<span aria-hidden="true" style="{style};font-size:calc({size} * 0.4)" class="rounded-full flex '
            'items-center justify-center bg-blue-grey-2 text-blue-grey-10 font-medium">'
            f'{escape(initials(name))}</span>')


def _tag_html(tag: TagRef, highlighted: bool) -> str:
    colours = 'bg-amber-100 text-amber-900 font-medium' if highlighted else 'bg-slate-100 text-slate-800'
    label = f' aria-label="{escape(_("{tag} (passt)", tag=tag.name))}"' if highlighted else ''
    return (f'<a href="/members?topic={quote(tag.key)}"{label} class="no-underline text-sm px-2 py-0.5 rounded-full '
            f'{colours}">{escape(tag.name)}</a>')


def tag_chip(tag: TagRef, *, highlighted: bool = False) -> None:
    ui.html(_tag_html(tag, highlighted))


def member_card_html(card: MemberCard) -> str:
    details = ' · '.join(p for p in (card.organization, card.position) if p)
    tags = ''.join(_tag_html(t, t.key in card.matched) for t in card.tags)
    return (
        '<div class="flex items-start gap-3 py-2 flex-nowrap">'
        f'{avatar_html(card.name, card.avatar, "48px")}'
        '<div class="flex flex-col gap-1 min-w-0">'
        f'<a href="/members/{card.id}" class="font-medium text-base text-slate-900 underline">{escape(card.name)}</a>'
        f'<div class="text-sm text-slate-600">{escape(details)}</div>'
        + (f'<div class="flex flex-wrap gap-1">{tags}</div>' if tags else '') +
        '</div></div>')


MEMBER_LIST = 'w-full divide-y divide-slate-200'


def member_list(cards: list[MemberCard], *, label: str = '') -> ui.html:
    """Members as one list element (`data-member` on each item names the member)."""
    element = ui.html(member_items_html(cards), tag='ul').classes(MEMBER_LIST)
    if label:
        element.props['aria-label'] = label
    return element


def member_items_html(cards: list[MemberCard]) -> str:
    return ''.join(f'<li data-member="{card.id}">{member_card_html(card)}</li>' for card in cards)


def member_list_html(cards: list[MemberCard]) -> str:
    """The same list inside a larger HTML block."""
    return f'<ul class="{MEMBER_LIST}">{member_items_html(cards)}</ul>'
