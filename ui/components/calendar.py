"""The calendar's month grid, week and list as escaped HTML: one element per view instead of hundreds.

A month shows up to six weeks of days with several events each; built from NiceGUI elements that would cost tens
of milliseconds per view. As HTML it is a real <table> (with caption and column headers) that screen readers
announce as a grid of days, and every event and "+3 weitere" is a plain link the keyboard reaches.
"""

import calendar
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape

from babel.dates import get_day_names, get_month_names

from models.event import Answer, EventFormat
from services.event_views import Occurrence
from services.local_time import to_local
from ui.components.threads import badge
from ui.i18n import _, current_language

PER_DAY = 3  # events shown in a month cell before "+n weitere"
LOCALES = {'de': 'de_DE', 'en': 'en_GB'}
FORMAT_LABELS = {EventFormat.ONSITE: 'vor Ort', EventFormat.ONLINE: 'online', EventFormat.HYBRID: 'hybrid'}
ANSWER_LABELS = {Answer.YES: 'Zugesagt', Answer.MAYBE: 'Vielleicht', Answer.WAITLIST: 'Warteliste',
                 Answer.NO: 'Nicht dabei'}


@lru_cache(maxsize=8)
def _names(lang: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    locale = LOCALES.get(lang, 'de_DE')
    months = get_month_names('wide', locale=locale)
    days = get_day_names('wide', locale=locale)
    short = get_day_names('abbreviated', locale=locale)
    return (tuple(months[i] for i in range(1, 13)), tuple(days[i] for i in range(7)),
            tuple(short[i].rstrip('.') for i in range(7)))


def month_name(month: int) -> str:
    return _names(current_language())[0][month - 1]


def weekday_name(day: date) -> str:
    return _names(current_language())[1][day.weekday()]


def long_date(day: date) -> str:
    """ "Dienstag, 2. März 2027" / "Tuesday, 2 March 2027"."""
    if current_language() == 'en':
        return f'{weekday_name(day)}, {day.day} {month_name(day.month)} {day.year}'
    return f'{weekday_name(day)}, {day.day}. {month_name(day.month)} {day.year}'


def short_date(day: date) -> str:
    return f'{day.day} {month_name(day.month)[:3]} {day.year}' if current_language() == 'en' \
        else f'{day:%d.%m.%Y}'


def clock(value: datetime) -> str:
    return f'{to_local(value):%H:%M}'


def time_range(starts_at: datetime, ends_at: datetime, all_day: bool) -> str:
    """ "Dienstag, 2. März 2027, 10:00–11:30 Uhr", across days and for all-day events too."""
    first, last = to_local(starts_at), to_local(ends_at)
    if all_day:
        last_day = (last - timedelta(days=1)).date()
        text = long_date(first.date()) if last_day <= first.date() else \
            f'{long_date(first.date())} – {long_date(last_day)}'
        return f'{text} ({_("ganztägig")})'
    if first.date() == last.date():
        return _('{day}, {start}–{end} Uhr', day=long_date(first.date()), start=f'{first:%H:%M}', end=f'{last:%H:%M}')
    return _('{day}, {start} Uhr – {end_day}, {end} Uhr', day=long_date(first.date()), start=f'{first:%H:%M}',
             end_day=long_date(last.date()), end=f'{last:%H:%M}')


def _days_of(item: Occurrence) -> list[date]:
    count = min(max((item.last_day - item.first_day).days + 1, 1), 15)
    return [item.first_day + timedelta(days=i) for i in range(count)]


def by_day(items: list[Occurrence]) -> dict[date, list[Occurrence]]:
    days: dict[date, list[Occurrence]] = defaultdict(list)
    for item in items:
        if item.first_day == item.last_day:
            days[item.first_day].append(item)
        else:
            for day in _days_of(item):
                days[day].append(item)
    return days


def _entry(item: Occurrence, day: date, *, with_format: bool = False) -> str:
    starts_here = item.first_day == day
    when = _('ganztägig') if item.all_day else (clock(item.starts_at) if starts_here else '…')
    classes = 'vn-cal-event'
    extra = ''
    if item.cancelled:
        classes += ' vn-cancelled'
        extra += f' <span class="vn-sr">({escape(_("abgesagt"))})</span>'
    if item.my_answer in (Answer.YES, Answer.MAYBE, Answer.WAITLIST):
        classes += ' vn-mine'
        extra += f' <span class="vn-sr">({escape(_(ANSWER_LABELS[item.my_answer]))})</span>'
    fmt = f' · {escape(_(FORMAT_LABELS.get(item.format, item.format)))}' if with_format else ''
    return (f'<a class="{classes}" href="{escape(item.url)}"><span class="vn-cal-time">{escape(when)}</span> '
            f'{escape(item.title)}{fmt}{extra}</a>')


def month_html(year: int, month: int, items: list[Occurrence], today: date,
               url_for: Callable[[str, date], str]) -> str:
    """A month as a table of weeks (Monday first); `url_for(view, day)` makes the links of the day and "+n"."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    _month, _days, short = _names(current_language())
    days = by_day(items)
    head = ''.join(f'<th scope="col" abbr="{escape(_days[i])}">{escape(short[i])}</th>' for i in range(7))
    rows = []
    day = start
    weeks = -(-(first.weekday() + calendar.monthrange(year, month)[1]) // 7)
    for _week in range(weeks):
        cells = []
        for _i in range(7):
            entries = days.get(day, [])
            classes = ['vn-cal-day']
            if day.month != month:
                classes.append('vn-other-month')
            current = ''
            if day == today:
                classes.append('vn-today')
                current = ' aria-current="date"'
            label = long_date(day) + (f' ({_("heute")})' if day == today else '')
            listed = ''.join(f'<li>{_entry(e, day)}</li>' for e in entries[:PER_DAY])
            more = ''
            if len(entries) > PER_DAY:
                more = (f'<li><a class="vn-cal-more" href="{escape(url_for("week", day))}">'
                        f'{escape(_("+{n} weitere", n=len(entries) - PER_DAY))}</a></li>')
            cells.append(f'<td class="{" ".join(classes)}"{current}><a class="vn-cal-date" '
                         f'href="{escape(url_for("list", day))}" aria-label="{escape(label)}">{day.day}</a>'
                         f'{"<ul>" + listed + more + "</ul>" if listed else ""}</td>')
            day += timedelta(days=1)
        rows.append('<tr>' + ''.join(cells) + '</tr>')
    caption = f'{month_name(month)} {year}'
    return (f'<table class="vn-cal-month"><caption class="vn-sr">{escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def week_html(monday: date, items: list[Occurrence], today: date) -> str:
    """Seven days side by side (stacked on a phone), every event of each day with its time and format."""
    days = by_day(items)
    columns = []
    for i in range(7):
        day = monday + timedelta(days=i)
        entries = days.get(day, [])
        current = ' aria-current="date"' if day == today else ''
        listed = ''.join(f'<li>{_entry(e, day, with_format=True)}</li>' for e in entries)
        body = f'<ul>{listed}</ul>' if listed else f'<p class="vn-cal-empty">{escape(_("Keine Termine"))}</p>'
        columns.append(f'<section class="vn-cal-weekday{" vn-today" if day == today else ""}"{current}>'
                       f'<h2>{escape(weekday_name(day))} <span>{escape(short_date(day))}</span></h2>{body}</section>')
    return f'<div class="vn-cal-week">{"".join(columns)}</div>'


def list_html(items: list[Occurrence], today: date) -> str:
    """Upcoming entries grouped by day, with the viewer's answer and marks."""
    if not items:
        return f'<p>{escape(_("In diesem Zeitraum gibt es keine Veranstaltungen."))}</p>'
    groups: dict[date, list[Occurrence]] = defaultdict(list)
    for item in items:
        groups[item.first_day].append(item)
    parts = []
    for day in sorted(groups):
        heading = long_date(day) + (f' · {_("heute")}' if day == today else '')
        lines = []
        for item in groups[day]:
            marks = []
            if item.cancelled:
                marks.append(badge(_('Abgesagt'), 'bg-red-100 text-red-900'))
            if item.recurring:
                marks.append(badge(_('Serie'), 'bg-slate-200 text-slate-800'))
            if item.my_answer in ANSWER_LABELS:
                marks.append(badge(_(ANSWER_LABELS[item.my_answer]), 'bg-green-100 text-green-900'))
            when = _('ganztägig') if item.all_day else f'{clock(item.starts_at)}–{clock(item.ends_at)}'
            title_class = 'font-medium line-through' if item.cancelled else 'font-medium'
            lines.append(f'<li class="py-2 flex flex-wrap gap-x-3 gap-y-1 items-center">'
                         f'<span class="w-28 shrink-0 text-slate-700">{escape(when)}</span>'
                         f'<a class="{title_class}" href="{escape(item.url)}">{escape(item.title)}</a>'
                         f'<span class="text-sm text-slate-600">{escape(_(FORMAT_LABELS.get(item.format, "")))}'
                         f'</span>{"".join(marks)}</li>')
        parts.append(f'<section><h2>{escape(heading)}</h2>'
                     f'<ul class="divide-y divide-slate-200">{"".join(lines)}</ul></section>')
    return f'<div class="vn-cal-list">{"".join(parts)}</div>'


CALENDAR_CSS = '''
.vn-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.vn-cal-month { width: 100%; table-layout: fixed; border-collapse: collapse; }
.vn-cal-month th { font-weight: 600; padding: .25rem; text-align: left; color: #334155; }
.vn-cal-month td { border: 1px solid #cbd5e1; vertical-align: top; height: 7rem; padding: .25rem; overflow: hidden; }
.vn-cal-month td.vn-other-month { background: #f8fafc; }
.vn-cal-month td.vn-other-month .vn-cal-date { color: #64748b; }
.vn-cal-date { display: inline-block; min-width: 1.75rem; text-align: center; border-radius: 999px;
               color: #0f172a; text-decoration: none; font-weight: 500; }
.vn-today .vn-cal-date, .vn-cal-weekday.vn-today h2 span { background: #1d4f91; color: white; padding: 0 .4rem;
               border-radius: 999px; }
.vn-cal-month ul, .vn-cal-week ul { margin: .15rem 0 0; padding: 0; list-style: none; }
.vn-cal-event { display: block; font-size: .8rem; line-height: 1.2; padding: .1rem .25rem; margin-bottom: .15rem;
                border-radius: 4px; background: #e0e7ff; color: #1e293b; text-decoration: none; overflow: hidden;
                text-overflow: ellipsis; white-space: nowrap; }
.vn-cal-week .vn-cal-event { white-space: normal; }
.vn-cal-event:hover { text-decoration: underline; }
.vn-cal-event.vn-mine { background: #dcfce7; border-left: 3px solid #166534; }
.vn-cal-event.vn-cancelled { background: #f1f5f9; color: #475569; text-decoration: line-through; }
.vn-cal-time { font-weight: 600; }
.vn-cal-more { font-size: .8rem; color: #1d4f91; text-decoration: underline; }
.vn-cal-week { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: .5rem; }
.vn-cal-weekday { border: 1px solid #cbd5e1; border-radius: 6px; padding: .4rem; min-height: 8rem; }
.vn-cal-weekday h2, .vn-cal-list h2 { font-weight: 600; font-size: .95rem; line-height: 1.4; letter-spacing: normal;
                                      margin-bottom: .25rem; }
.vn-cal-list h2 { font-size: 1.1rem; margin-top: 1rem; }
.vn-cal-empty { color: #64748b; font-size: .8rem; }
.vn-cal-list a, .vn-attendees a, .vn-event-links a { color: #1d4f91; text-decoration: underline; }
@media (max-width: 768px) {
  .vn-cal-week { grid-template-columns: 1fr; }
  .vn-cal-month td { height: 4.5rem; }
  .vn-cal-event .vn-cal-time { display: none; }
}
'''
