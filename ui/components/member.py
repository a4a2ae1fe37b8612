"""How a member appears in lists and on cards: avatar (or initials), name, administration, tags."""

from urllib.parse import quote

from nicegui import ui

from services.members import MemberCard, TagRef, initials
from ui.i18n import _


def avatar_url(name: str) -> str:
    return f'/media/avatars/{quote(name)}'


def avatar(name: str, file: str, *, size: str = '48px') -> None:
    """The picture, or the initials on a calm colour; decorative, since the name always stands beside it."""
    if file:
        ui.image(avatar_url(file)).props(f'alt="" width={size} height={size}').classes('rounded-full shrink-0').style(
            f'width:{size};height:{size}')
    else:
        ui.avatar(initials(name), color='blue-grey-2', text_color='blue-grey-10', size=size).props(
            'aria-hidden=true').classes('shrink-0')


def tag_chip(tag: TagRef, *, highlighted: bool = False) -> None:
    link = ui.link(tag.name, f'/members?topic={quote(tag.key)}').classes(
        'no-underline text-sm px-2 py-0.5 rounded-full ' +
        ('bg-amber-100 text-amber-900 font-medium' if highlighted else 'bg-slate-100 text-slate-800'))
    if highlighted:
        link.props['aria-label'] = _('{tag} (passt)', tag=tag.name)


def member_card(card: MemberCard) -> None:
    with ui.row().classes('w-full items-start gap-3 no-wrap py-2').mark(f'member-{card.id}'):
        avatar(card.name, card.avatar)
        with ui.column().classes('gap-1 min-w-0'):
            ui.link(card.name, f'/members/{card.id}').classes('font-medium text-base text-slate-900')
            ui.label(' · '.join(p for p in (card.organization, card.position) if p)).classes('text-sm text-slate-600')
            if card.tags:
                with ui.row().classes('gap-1 flex-wrap'):
                    for tag in card.tags:
                        tag_chip(tag, highlighted=tag.key in card.matched)
