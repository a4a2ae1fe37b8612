"""The calendar (/events: month, week, list), one event (/events/{id}), its .ics, the attendee CSV and the feed."""

import calendar as pycalendar
from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Request
from fastapi.responses import Response
from nicegui import app, run, ui

from models.event import Answer, EventFormat, Repeat, Seat
from services import attendance, calendar_feed, db, events
from services import settings as site_settings
from services.errors import DomainError, NotFound
from services.event_views import EventView
from services.local_time import to_local, week_start
from services.local_time import today as local_today
from ui import theme
from ui.auth import current_user, require_user
from ui.components.calendar import (
    CALENDAR_CSS,
    FORMAT_LABELS,
    list_html,
    long_date,
    month_html,
    month_name,
    short_date,
    time_range,
    week_html,
)
from ui.components.forms import aria
from ui.components.text import Heading
from ui.components.threads import badge
from ui.i18n import _, error_text
from ui.layout import frame, not_found_page, page
from ui.pages.boards import LiveRefresh
from ui.params import optional_id, parse_id
from ui.workers import in_thread

VIEWS = {'month': 'Monat', 'week': 'Woche', 'list': 'Liste'}
REPEAT_ONE = {Repeat.WEEKLY: 'wöchentlich', Repeat.MONTHLY_WEEKDAY: 'monatlich am {nth} {weekday}',
              Repeat.MONTHLY_DATE: 'monatlich am {day}.'}
REPEAT_MANY = {Repeat.WEEKLY: 'alle {n} Wochen', Repeat.MONTHLY_WEEKDAY: 'alle {n} Monate am {nth} {weekday}',
               Repeat.MONTHLY_DATE: 'alle {n} Monate am {day}.'}
NTH = {1: 'ersten', 2: 'zweiten', 3: 'dritten', 4: 'vierten', -1: 'letzten'}


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip('/')


# ---------------------------------------------------------------- downloads (registered before the pages, so that
# "/events/5.ics" is not taken for the event page of an event called "5.ics")


@app.get('/events/{event_id}.ics', include_in_schema=False)
def event_ics_download(event_id: str, request: Request) -> Response:
    user = current_user()
    try:
        on = date.fromisoformat(request.query_params['on']) if request.query_params.get('on') else None
        name, body = db.call(calendar_feed.event_ics, viewer=user, event_id=parse_id(event_id),
                             base_url=base_url(request), on=on)
    except (DomainError, ValueError):
        raise HTTPException(status_code=404) from None
    return Response(body, media_type='text/calendar; charset=utf-8',
                    headers={'Content-Disposition': f'attachment; filename="{name}"',
                             'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-cache'})


@app.get('/events/{event_id}/attendees.csv', include_in_schema=False)
def attendees_csv_download(event_id: str) -> Response:
    user = current_user()
    try:
        name, text = db.call(attendance.attendees_csv, actor=user, event_id=parse_id(event_id))
    except NotFound:
        raise HTTPException(status_code=404) from None
    except (DomainError, ValueError):
        raise HTTPException(status_code=403) from None
    return Response(text.encode('utf-8'), media_type='text/csv; charset=utf-8',
                    headers={'Content-Disposition': f'attachment; filename="{name}"',
                             'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store'})


@app.get('/calendar/{token}.ics', include_in_schema=False)
def calendar_feed_download(token: str, request: Request) -> Response:
    """Public (calendar programs send no cookie): the secret in the address is the only key."""
    try:
        body = db.call(calendar_feed.feed_ics, token=token, base_url=base_url(request),
                       site_name=db.call(site_settings.get_setting, 'site_name'))
    except DomainError:
        raise HTTPException(status_code=404) from None
    return Response(body, media_type='text/calendar; charset=utf-8',
                    headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=300',
                             'Referrer-Policy': 'no-referrer'})


# ---------------------------------------------------------------- /events


def _parse_day(value: str | None, fallback: date) -> date:
    if not value:
        return fallback
    try:
        if len(value) == 7:
            return date.fromisoformat(value + '-01')
        return date.fromisoformat(value)
    except ValueError:
        return fallback


class CalendarQuery:
    """What the address says: view, day, filters. Links keep everything but what they change."""

    def __init__(self, request: Request) -> None:
        params = request.query_params
        self.view = params.get('view') if params.get('view') in VIEWS else 'month'
        self.today = local_today()
        self.day = _parse_day(params.get('date'), self.today)
        if not date(1970, 1, 1) <= self.day <= date(2200, 1, 1):
            self.day = self.today
        self.mine = params.get('mine') == '1'
        self.org = optional_id(params.get('org'))
        self.format = params.get('format') if params.get('format') in set(EventFormat) else ''
        self.tag = (params.get('tag') or '')[:120]

    @property
    def filters(self) -> events.Filters:
        return events.Filters(mine=self.mine, organization_id=self.org, format=self.format, tag=self.tag)

    def url(self, **changes: Any) -> str:
        values: dict[str, Any] = {'view': self.view, 'date': self.day.isoformat(), 'mine': '1' if self.mine else '',
                                  'org': self.org or '', 'format': self.format, 'tag': self.tag}
        values.update(changes)
        if isinstance(values['date'], date):
            values['date'] = values['date'].isoformat()
        if values['view'] == 'month':
            values['date'] = values['date'][:7]
        return '/events?' + urlencode({k: v for k, v in values.items() if v not in ('', None)})

    def span(self) -> tuple[date, date]:
        """The days the view shows: a month grid (whole weeks), a week, or 31 days of the list."""
        if self.view == 'month':
            first = self.day.replace(day=1)
            start = week_start(first)
            days = pycalendar.monthrange(first.year, first.month)[1]
            weeks = -(-(first.weekday() + days) // 7)
            return start, start + timedelta(days=7 * weeks)
        if self.view == 'week':
            start = week_start(self.day)
            return start, start + timedelta(days=7)
        return self.day, self.day + timedelta(days=31)

    def step(self, direction: int) -> date:
        if self.view == 'month':
            index = self.day.year * 12 + self.day.month - 1 + direction
            return date(index // 12, index % 12 + 1, 1)
        return self.day + timedelta(days=(7 if self.view == 'week' else 31) * direction)

    def heading(self) -> str:
        if self.view == 'month':
            return f'{month_name(self.day.month)} {self.day.year}'
        start, end = self.span()
        return f'{short_date(start)} – {short_date(end - timedelta(days=1))}'


def _calendar_data(user: Any, query: CalendarQuery) -> tuple[list, list, list]:
    start, end = query.span()
    with db.session() as session:
        return (events.calendar_range(session, viewer=user, start=start, end=end, filters=query.filters),
                events.organizations_with_events(session, viewer=user),
                events.event_tags(session, viewer=user))


@page('/events')
async def events_page(request: Request) -> None:
    user = require_user()
    query = CalendarQuery(request)
    items, orgs, tags = await in_thread(_calendar_data, user, query)
    ui.add_css(CALENDAR_CSS)
    with frame(_('Kalender'), user=user):
        with ui.row().classes('w-full items-center gap-3 flex-wrap'):
            with ui.element('nav').props(f'aria-label="{_("Ansicht")}"').classes('flex gap-3'):
                for key, label in VIEWS.items():
                    link = ui.link(_(label), query.url(view=key)).mark(f'view-{key}')
                    if key == query.view:
                        link.props('aria-current=page').classes('font-bold')
            ui.space()
            ui.button(_('Neue Veranstaltung'), icon='add', on_click=lambda: ui.navigate.to('/events/new')).mark(
                'new-event')
        with ui.row().classes('w-full items-center gap-3 flex-wrap'):
            with ui.element('nav').props(f'aria-label="{_("Zeitraum")}"').classes('flex gap-3 items-center'):
                ui.link(_('‹ Zurück'), query.url(date=query.step(-1))).props('rel=prev').mark('previous')
                ui.link(_('Heute'), query.url(date=query.today)).mark('today')
                ui.link(_('Weiter ›'), query.url(date=query.step(1))).props('rel=next').mark('next')
            Heading(query.heading(), 2).mark('period')
            ui.space()
            mine = ui.checkbox(_('Nur meine'), value=query.mine).mark('filter-mine')
            mine.on_value_change(lambda e: ui.navigate.to(query.url(mine='1' if e.value else '')))
            org_options = {0: _('Alle Verwaltungen')} | {i: n for i, n in orgs}
            org = ui.select(org_options, value=query.org if query.org in org_options else 0,
                            label=_('Verwaltung')).props('dense outlined options-dense').classes('w-52').mark(
                'filter-org')
            org.on_value_change(lambda e: ui.navigate.to(query.url(org=e.value or '')))
            formats = {'': _('Alle Formate')} | {k: _(v) for k, v in FORMAT_LABELS.items()}
            fmt = ui.select(formats, value=query.format, label=_('Format')).props(
                'dense outlined options-dense').classes('w-36').mark('filter-format')
            fmt.on_value_change(lambda e: ui.navigate.to(query.url(format=e.value or '')))
            tag_options = {'': _('Alle Schlagwörter')} | {t.key: t.name for t in tags}
            if query.tag and query.tag not in tag_options:
                tag_options[query.tag] = query.tag
            tag = ui.select(tag_options, value=query.tag, label=_('Schlagwort')).props(
                'dense outlined options-dense').classes('w-44').mark('filter-tag')
            tag.on_value_change(lambda e: ui.navigate.to(query.url(tag=e.value or '')))

        if query.view == 'month':
            html = month_html(query.day.year, query.day.month, items, query.today,
                              lambda view, day: query.url(view=view, date=day))
        elif query.view == 'week':
            html = week_html(week_start(query.day), items, query.today)
        else:
            html = list_html([o for o in items if o.ends_at.date() >= query.day or o.on], query.today)
        ui.html(html).classes('w-full').mark(f'calendar-{query.view}')
        ui.link(_('Kalender abonnieren (Outlook, Thunderbird, Smartphone)'), '/account#calendar-feed').classes(
            'text-sm')


# ---------------------------------------------------------------- /events/{id}


def _repeat_text(view: EventView) -> str:
    info = view.series
    if info is None:
        return ''
    one, many = REPEAT_ONE.get(info.kind, ''), REPEAT_MANY.get(info.kind, '')
    from services.recurrence import nth_weekday

    first = info.first_day
    text = _(one if info.interval == 1 else many, n=info.interval, nth=_(NTH[nth_weekday(first)]),
             weekday=long_date(first).split(',')[0], day=first.day)
    return _('Wiederholt sich {rule}, bis {day}', rule=text, day=short_date(info.last_day))


def _seats_text(taken: int, capacity: int | None, where: str) -> str:
    if capacity is None:
        return _('{taken} Zusagen {where} (unbegrenzt)', taken=taken, where=where)
    return _('{taken} / {capacity} Plätze {where}', taken=taken, capacity=capacity, where=where)


def _status_text(view: EventView) -> str:
    mine = view.mine
    if mine.answer == Answer.YES:
        where = _('online') if mine.seat == Seat.ONLINE else _('vor Ort')
        return _('Sie haben zugesagt ({where}).', where=where)
    if mine.answer == Answer.WAITLIST:
        return _('Alle Plätze sind vergeben: Sie stehen auf Platz {n} der Warteliste und rücken automatisch nach.',
                 n=mine.position)
    if mine.answer == Answer.MAYBE:
        return _('Sie haben mit „Vielleicht“ geantwortet.')
    if mine.answer == Answer.NO:
        return _('Sie haben abgesagt.')
    return _('Sie haben noch nicht geantwortet.')


def _attendees_html(view: EventView) -> str:
    groups = {Answer.YES: [], Answer.MAYBE: [], Answer.WAITLIST: []}  # type: dict[str, list[str]]
    for person in view.attendees:
        org = f' <span class="text-slate-600">· {escape(person.member.organization)}</span>' \
            if person.member.organization else ''
        seat = f' <span class="text-slate-600">({escape(_("online"))})</span>' \
            if view.format == EventFormat.HYBRID and person.seat == Seat.ONLINE and person.answer != Answer.MAYBE \
            else ''
        groups[person.answer].append(f'<li><a href="/members/{person.member.id}">{escape(person.member.name)}</a>'
                                     f'{org}{seat}</li>')
    parts = []
    titles = {Answer.YES: 'Zusagen ({n})', Answer.MAYBE: 'Vielleicht ({n})', Answer.WAITLIST: 'Warteliste ({n})'}
    for answer, items in groups.items():
        if not items:
            continue
        tag = 'ol' if answer == Answer.WAITLIST else 'ul'
        parts.append(f'<section><h3 class="text-base font-semibold mt-2">{escape(_(titles[answer], n=len(items)))}</h3>'
                     f'<{tag} class="vn-attendees">{"".join(items)}</{tag}></section>')
    return ''.join(parts) or f'<p>{escape(_("Noch keine Zusagen."))}</p>'


def _details_html(view: EventView) -> str:
    rows = [(_('Wann'), escape(time_range(view.starts_at, view.ends_at, view.all_day)))]
    if view.series:
        rows.append((_('Serie'), escape(_repeat_text(view))))
    rows.append((_('Format'), escape(_(FORMAT_LABELS.get(view.format, view.format)))))
    if view.location:
        rows.append((_('Ort'), escape(view.location)))
    if view.online_url:
        rows.append((_('Online'), f'<a href="{escape(view.online_url)}" rel="noopener noreferrer" target="_blank">'
                                  f'{escape(view.online_url)}</a>'))
    if view.organizer:
        org = f' · {escape(view.organization)}' if view.organization else ''
        rows.append((_('Organisation'), f'<a href="/members/{view.organizer.id}">{escape(view.organizer.name)}</a>'
                                        f'{org}'))
    elif view.organization:
        rows.append((_('Organisation'), escape(view.organization)))
    if not view.is_series:
        seats = []
        if view.format != EventFormat.ONLINE:
            seats.append(_seats_text(view.onsite_taken, view.capacity, _('vor Ort')))
        if view.format != EventFormat.ONSITE:
            seats.append(_seats_text(view.online_taken, view.online_capacity, _('online')))
        if view.waitlist_count:
            seats.append(_('{n} auf der Warteliste', n=view.waitlist_count))
        rows.append((_('Plätze'), escape(' · '.join(seats))))
    if view.deadline:
        local = to_local(view.deadline)
        rows.append((_('Anmeldung bis'), escape(_('{day}, {time} Uhr', day=long_date(local.date()),
                                                  time=f'{local:%H:%M}'))))
    if view.tags:
        rows.append((_('Schlagwörter'), ' '.join(
            f'<a class="no-underline text-xs px-2 py-0.5 rounded-full bg-slate-100 text-slate-800" '
            f'href="/events?view=list&amp;tag={quote(t.key)}">{escape(t.name)}</a>' for t in view.tags)))
    body = ''.join(f'<dt class="font-semibold text-slate-700">{label}</dt><dd class="mb-1">{value}</dd>'
                   for label, value in rows)
    return f'<dl class="vn-event-links grid grid-cols-[max-content_1fr] gap-x-4">{body}</dl>'


async def _load_event(user: Any, event_id: int, on: date | None) -> EventView:
    return await in_thread(db.call, events.get_event, viewer=user, event_id=event_id, on=on)


@page('/events/{event_id}')
async def event_page(event_id: str, request: Request) -> Response | None:
    user = require_user()
    try:
        number = parse_id(event_id)
        on = date.fromisoformat(request.query_params['on']) if request.query_params.get('on') else None
        view = await _load_event(user, number, on)
    except (ValueError, NotFound):
        return not_found_page(user, _('Diese Veranstaltung gibt es nicht (mehr).'), _('Zum Kalender'), '/events')
    ui.add_css(CALENDAR_CSS)
    state: dict[str, Any] = {'view': view}
    with frame(view.title, user=user):
        @ui.refreshable
        def content() -> None:
            _event_body(user, state['view'], state)

        async def reload() -> None:
            try:
                state['view'] = await _load_event(user, number, on)
            except NotFound:
                return
            await content.refresh()  # awaited: the new buttons exist afterwards
            button = state.get('answers', {}).get(state.pop('answered', None))
            if button is not None:  # the redraw replaced the button just pressed: keep the keyboard focus on it
                ui.run_javascript(f'(function f(n) {{ const e = document.getElementById("c{button.id}"); '
                                  'if (e) e.focus(); else if (n) setTimeout(() => f(n - 1), 50); })(20)')

        content()
        ids = {number, view.id}
        LiveRefresh(reload, ('events.rsvp', 'events.event'),
                    accept=lambda e: e.data.get('event_id') in ids or e.data.get('series_id') in ids)
    return None


def _event_body(user: Any, view: EventView, state: dict[str, Any] | None = None) -> None:
    with ui.row().classes('gap-2 items-center flex-wrap'):
        marks = ''
        if view.cancelled:
            marks += badge(_('Abgesagt'), 'bg-red-100 text-red-900')
        if view.moved:
            marks += badge(_('Verschoben'), 'bg-amber-100 text-amber-900')
        if view.series:
            marks += badge(_('Serie'), 'bg-slate-200 text-slate-800')
        if view.past:
            marks += badge(_('Vorbei'), 'bg-slate-200 text-slate-800')
        if marks:
            ui.html(f'<div class="flex gap-2">{marks}</div>').mark('event-marks')
    if view.cancelled:
        ui.label(_('Diese Veranstaltung wurde abgesagt.')).classes('text-negative font-medium').props(
            'role=status').mark('cancelled-note')
    ui.html(_details_html(view)).classes('w-full').mark('event-details')
    _answer_box(user, view, state if state is not None else {})
    if view.is_series and view.series and view.series.next_days:
        Heading(_('Nächste Termine'), 2)
        items = ''.join(f'<li><a href="/events/{view.id}?on={d.isoformat()}">{escape(long_date(d))}</a></li>'
                        for d in view.series.next_days)
        ui.html(f'<ul class="list-disc pl-6">{items}</ul>').mark('series-dates')
    elif view.series and not view.is_series:
        ui.link(_('Alle Termine dieser Serie'), f'/events/{view.series.id}').mark('series-link')
    if view.description_html:
        Heading(_('Beschreibung'), 2)
        ui.html(view.description_html).classes('prose max-w-none').mark('event-description')
    _actions(user, view)
    if not view.is_series:
        Heading(_('Teilnehmende'), 2)
        ui.html(_attendees_html(view)).classes('w-full').mark('attendees')
    if view.past or view.material:
        _material(user, view)


def _answer_box(user: Any, view: EventView, state: dict[str, Any]) -> None:
    with ui.card().classes(theme.CARD).props('flat bordered').mark('rsvp'):
        Heading(_('Ihre Antwort'), 2)
        if not view.is_series:
            ui.label(_status_text(view)).props('role=status aria-live=polite').mark('my-status')
        if view.answer_blocked:
            ui.label(_(view.answer_blocked)).classes(theme.MUTED).mark('answer-blocked')
            return
        closed = view.deadline is not None and view.deadline <= events.utcnow()
        seat = None
        if view.format == EventFormat.HYBRID:
            seat = ui.radio({Seat.ONSITE: _('vor Ort'), Seat.ONLINE: _('online')},
                            value=view.mine.seat or Seat.ONSITE).props('inline').mark('seat')
            aria(seat, _('Teilnahme'))

        async def answer(value: str) -> None:
            state['answered'] = value  # before the write: its live redraw may come before this function returns
            # That redraw deletes this button and its slot: afterwards only the page itself can show the outcome
            # (the soak benchmark found 'The parent element this slot belongs to has been deleted' here).
            client = ui.context.client
            try:
                await run.io_bound(db.call, attendance.rsvp, actor=user, event_id=view.id, answer=value,
                                   seat=seat.value if seat is not None else None, on=view.on)
            except DomainError as e:
                state.pop('answered', None)
                with client:
                    ui.notify(error_text(e), type='negative')
                return
            if view.on is not None:  # the date now has a row of its own: continue on its page
                mine = await in_thread(db.call, events.resolve, view.id, view.on)
                with client:
                    ui.navigate.to(f'/events/{mine[0].id}')
                return
            with client:
                ui.notify(_('Ihre Antwort ist gespeichert.'), type='positive')

        with ui.row().classes('gap-2 flex-wrap').props(f'role=group aria-label="{_("Antwort")}"'):
            for value, label, icon in ((Answer.YES, _('Zusage'), 'check_circle'),
                                       (Answer.MAYBE, _('Vielleicht'), 'help'), (Answer.NO, _('Absage'), 'cancel')):
                chosen = view.mine.answer == value or (value == Answer.YES and view.mine.answer == Answer.WAITLIST)
                button = ui.button(label, icon=icon, on_click=lambda v=value: answer(v)).mark(f'answer-{value}')
                button.props('unelevated' if chosen else 'outline')
                button.props['aria-pressed'] = 'true' if chosen else 'false'
                state.setdefault('answers', {})[value] = button
                if closed and value != Answer.NO:
                    button.disable()
        if closed:
            ui.label(_(events.MSG_CLOSED)).classes(theme.MUTED)


def _actions(user: Any, view: EventView) -> None:
    with ui.row().classes('gap-3 items-center flex-wrap').mark('event-actions'):
        ics = f'/events/{view.id}.ics'
        ui.link(_('In meinen Kalender (.ics)'), ics).props('download').mark('ics-link')

        async def discussion() -> None:
            try:
                thread_id = await in_thread(db.call, events.open_discussion, actor=user, event_id=view.id)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            ui.navigate.to(f'/threads/{thread_id}')

        ui.button(_('Diskussion'), icon='forum', on_click=discussion).props('outline').mark('discussion')
        if not view.can_edit:
            return
        if not view.is_series:
            ui.link(_('Teilnehmende als CSV'), f'/events/{view.id}/attendees.csv').props('download').mark('csv-link')
        if view.on is None:
            ui.button(_('Bearbeiten'), icon='edit', on_click=lambda: ui.navigate.to(f'/events/{view.id}/edit')).props(
                'outline').mark('edit-event')
        else:
            ui.button(_('Diesen Termin verschieben'), icon='schedule',
                      on_click=lambda: _move_dialog(user, view)).props('outline').mark('move-occurrence')
        if view.past:
            return
        label = _('Doch stattfinden lassen') if view.cancelled else (
            _('Serie absagen') if view.is_series else _('Diesen Termin absagen') if view.on or view.series
            else _('Veranstaltung absagen'))
        ui.button(label, icon='event_busy', on_click=lambda: _cancel_dialog(user, view)).props(
            'outline color=negative' if not view.cancelled else 'outline').mark('cancel-event')


def _cancel_dialog(user: Any, view: EventView) -> None:
    reinstate = view.cancelled
    with ui.dialog() as dialog, ui.card().classes('gap-3'):
        Heading(_('Veranstaltung wieder ansetzen?') if reinstate else _('Veranstaltung absagen?'), 2)
        if not reinstate:
            ui.label(_('Sie bleibt im Kalender sichtbar, als abgesagt markiert. Alle, die geantwortet haben, '
                       'erhalten einen Hinweis.'))

        async def confirm() -> None:
            try:
                new_id = await in_thread(db.call, events.cancel_event, actor=user, event_id=view.id, on=view.on,
                                         cancelled=not reinstate)
            except DomainError as e:
                ui.notify(error_text(e), type='negative')
                return
            dialog.close()
            ui.navigate.to(f'/events/{new_id}')

        with ui.row().classes('gap-2 justify-end w-full'):
            ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            ui.button(_('Wieder ansetzen') if reinstate else _('Absagen'), on_click=confirm).props(
                'unelevated' + ('' if reinstate else ' color=negative')).mark('confirm-cancel')
    dialog.open()


def _move_dialog(user: Any, view: EventView) -> None:
    from ui.pages.event_form import parse_local

    start, end = to_local(view.starts_at), to_local(view.ends_at)
    with ui.dialog() as dialog, ui.card().classes('gap-3 w-96'):
        Heading(_('Diesen Termin verschieben'), 2)
        ui.label(_('Nur dieser Termin ändert sich; die anderen Termine der Serie bleiben.')).classes(theme.MUTED)
        day = ui.input(_('Datum'), value=start.date().isoformat()).props('type=date stack-label outlined').mark(
            'move-date')
        begins = ui.input(_('Beginn'), value=f'{start:%H:%M}').props('type=time stack-label outlined').mark(
            'move-start')
        ends = ui.input(_('Ende'), value=f'{end:%H:%M}').props('type=time stack-label outlined').mark('move-end')
        alert = ui.label('').classes('text-negative').props('role=alert')

        async def confirm() -> None:
            try:
                starts_at = parse_local(day.value, begins.value, 'starts')
                ends_at = parse_local(day.value, ends.value, 'ends')
                new_id = await in_thread(db.call, events.move_occurrence, actor=user, series_id=view.id,
                                         on=view.on, starts=starts_at, ends=ends_at)
            except DomainError as e:
                alert.text = error_text(e)
                return
            dialog.close()
            ui.navigate.to(f'/events/{new_id}')

        with ui.row().classes('gap-2 justify-end w-full'):
            ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
            ui.button(_('Verschieben'), on_click=confirm).props('unelevated').mark('confirm-move')
    dialog.open()


def _material(user: Any, view: EventView) -> None:
    Heading(_('Material und Notizen'), 2)
    if view.material:
        items = ''.join(f'<li><a href="{escape(a.url)}" download>{escape(a.filename)}</a></li>'
                        for a in view.material)
        ui.html(f'<ul class="list-disc pl-6">{items}</ul>').mark('material')
    else:
        ui.label(_('Noch kein Material. Wer teilgenommen hat, kann hier Notizen und Dateien ergänzen.')).classes(
            theme.MUTED)
    if view.thread_id:
        ui.link(_('Alle Notizen in der Diskussion'), f'/threads/{view.thread_id}')
    may_add = view.can_edit or view.mine.answer == Answer.YES
    if not may_add or view.is_series or view.on is not None:
        return
    holder = ui.column().classes('w-full gap-2')

    def open_form() -> None:
        from ui.components.editor import PostEditor

        holder.clear()
        with holder:
            editor = PostEditor(_('Notiz'), user=user, marker='material-note')

            async def submit() -> None:
                try:
                    await in_thread(_add_material, user, view.id, editor.value, list(editor.files))
                except DomainError as e:
                    ui.notify(error_text(e), type='negative')
                    return
                ui.notify(_('Danke! Das Material ist für alle sichtbar.'), type='positive')
                ui.navigate.reload()

            ui.button(_('Material speichern'), on_click=submit).mark('material-submit')

    ui.button(_('Material ergänzen'), icon='attach_file', on_click=open_form).props('outline').mark('material-open')


def _add_material(user: Any, event_id: int, note: str, files: list) -> bool:
    db.call(events.add_material, actor=user, event_id=event_id, note=note, files=files)
    return True

