"""Administration: statistics (/admin/stats). Each chart has its numbers as a table beside it (charts alone do not
reach screen-reader users), inside a <details> element that anyone can open."""

from dataclasses import dataclass
from datetime import date
from html import escape

from babel.dates import format_date
from fastapi.responses import RedirectResponse
from nicegui import ui

from services import db, stats
from ui import theme
from ui.components.admin_nav import admin_or_none, admin_tabs
from ui.components.text import Heading
from ui.i18n import _, current_language
from ui.layout import frame, page
from ui.workers import in_thread

LOCALES = {'de': 'de_DE', 'en': 'en_GB'}


@dataclass(frozen=True)
class Figures:
    organizations: stats.Shares
    levels: stats.Shares
    new_members: list[stats.Bucket]
    active_members: list[stats.Bucket]
    posting: list[stats.Bucket]
    events: list[stats.Bucket]


def _load(actor: object) -> Figures:
    """Every figure in one session, in a worker thread (the counts read up to half a year of rows)."""
    with db.session() as s:
        return Figures(stats.members_per_organization(s, actor=actor), stats.members_per_level(s, actor=actor),
                       stats.new_members_per_week(s, actor=actor), stats.active_members_per_week(s, actor=actor),
                       stats.threads_and_posts_per_week(s, actor=actor), stats.events_per_month(s, actor=actor))


def _week(d: date) -> str:
    return _('Woche ab {day}', day=format_date(d, format='short', locale=LOCALES.get(current_language(), 'de_DE')))


def _month(d: date) -> str:
    return format_date(d, format='MMM yyyy', locale=LOCALES.get(current_language(), 'de_DE'))


def _table_html(caption: str, header: list[str], rows: list[list[object]]) -> str:
    head = ''.join(f'<th scope="col" class="text-left p-1">{escape(h)}</th>' for h in header)
    body = ''.join('<tr class="border-t">' + f'<th scope="row" class="text-left font-normal p-1">{escape(str(r[0]))}'
                   '</th>' + ''.join(f'<td class="p-1 text-right">{escape(str(v))}</td>' for v in r[1:]) + '</tr>'
                   for r in rows)
    return (f'<details class="w-full"><summary class="cursor-pointer text-sm">{escape(_("Daten als Tabelle"))}'
            f'</summary><table class="text-sm mt-2"><caption class="sr-only">{escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>')


def _chart(key: str, title: str, labels: list[str], series: list[tuple[str, list[int]]], *, kind: str = 'bar',
           horizontal: bool = False) -> None:
    with ui.card().classes(theme.CARD).props('flat bordered').mark(f'chart-{key}'):
        Heading(title, 2)
        category = {'type': 'category', 'data': labels, 'axisLabel': {'hideOverlap': True}}
        value = {'type': 'value', 'minInterval': 1}
        options = {
            'aria': {'enabled': True},
            'tooltip': {'trigger': 'axis'},
            'legend': {'show': len(series) > 1, 'top': 0},
            'grid': {'left': 8, 'right': 16, 'top': 32, 'bottom': 8, 'containLabel': True},
            'xAxis': value if horizontal else category,
            'yAxis': {**category, 'inverse': True} if horizontal else value,
            'series': [{'name': name, 'type': kind, 'data': values, 'smooth': kind == 'line'}
                       for name, values in series],
        }
        height = f'{max(240, 24 * len(labels) + 60)}px' if horizontal else '280px'
        ui.echart(options).classes('w-full').style(f'height: {height}').props('aria-hidden=true') \
            .mark(f'echart-{key}')
        rows = [[label, *[values[i] for _name, values in series]] for i, label in enumerate(labels)]
        ui.html(_table_html(title, [_('Zeitraum') if not horizontal else _('Gruppe'), *[n for n, _v in series]],
                            rows)).classes('w-full').mark(f'table-{key}')


def _shares(shares: stats.Shares, *, levels: bool = False) -> tuple[list[str], list[int]]:
    labels = [(_(s.label) if s.label else _('ohne Verwaltung')) if levels else s.label for s in shares.items]
    values = [s.count for s in shares.items]
    if shares.other:
        labels.append(_('Andere'))
        values.append(shares.other)
    return labels, values


@page('/admin/stats')
async def admin_stats_page() -> RedirectResponse | None:
    user = admin_or_none()
    if user is None:
        return RedirectResponse('/', status_code=303)
    figures = await in_thread(_load, user)
    with frame(_('Statistik'), user=user):
        admin_tabs('/admin/stats', user)
        ui.label(_('Wochen beginnen am Montag; gezählt wird nach deutscher Zeit.')).classes(theme.MUTED)
        members = _('Mitglieder')
        with ui.grid().classes('w-full gap-4 grid-cols-1 lg:grid-cols-2'):
            labels, values = _shares(figures.organizations)
            _chart('organizations', _('Mitglieder je Verwaltung (die 15 größten)'), labels, [(members, values)],
                   horizontal=True)
            labels, values = _shares(figures.levels, levels=True)
            _chart('levels', _('Mitglieder je Ebene'), labels, [(members, values)], horizontal=True)
            _chart('new-members', _('Neue Mitglieder je Woche (letzte 26 Wochen)'),
                   [_week(b.start) for b in figures.new_members],
                   [(members, [b.values[0] for b in figures.new_members])])
            _chart('active-members', _('Aktive Mitglieder je Woche (angemeldet oder geschrieben)'),
                   [_week(b.start) for b in figures.active_members],
                   [(members, [b.values[0] for b in figures.active_members])], kind='line')
            _chart('posting', _('Themen und Beiträge je Woche'), [_week(b.start) for b in figures.posting],
                   [(_('Themen'), [b.values[0] for b in figures.posting]),
                    (_('Beiträge'), [b.values[1] for b in figures.posting])], kind='line')
            _chart('events', _('Veranstaltungen je Monat'),
                   [_month(b.start) for b in figures.events],
                   [(_('Veranstaltungen'), [b.values[0] for b in figures.events])])
    return None
