"""Creating and editing an event (/events/new, /events/{id}/edit): one form, every error beside its field."""

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi.responses import Response
from nicegui import ui

from models.event import EventFormat, Repeat
from services import db, events, organizations
from services.errors import DomainError, Invalid, NotAllowed, NotFound
from services.local_time import today as local_today
from ui import theme
from ui.auth import require_user
from ui.components.editor import PostEditor
from ui.components.forms import Form, aria, close_on_choice
from ui.components.text import Heading
from ui.i18n import _
from ui.layout import frame, not_found_page, page
from ui.params import parse_id
from ui.workers import in_thread

REPEAT_OPTIONS = {Repeat.NONE: 'Keine Wiederholung', Repeat.WEEKLY: 'Wöchentlich (am selben Wochentag)',
                  Repeat.MONTHLY_WEEKDAY: 'Monatlich am selben Wochentag (z. B. jeden ersten Dienstag)',
                  Repeat.MONTHLY_DATE: 'Monatlich am selben Datum'}


def parse_local(day: str | None, clock: str | None, field: str, *, all_day: bool = False) -> datetime:
    """A date field and a time field as a naive Berlin wall-clock time; Invalid names the field."""
    try:
        parsed_day = date.fromisoformat((day or '').strip())
    except ValueError:
        raise Invalid(field, 'Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).') from None
    if all_day:
        return datetime.combine(parsed_day, time())
    try:
        parsed_time = time.fromisoformat((clock or '').strip())
    except ValueError:
        raise Invalid(field, 'Bitte geben Sie eine gültige Uhrzeit ein (HH:MM).') from None
    return datetime.combine(parsed_day, parsed_time.replace(second=0, microsecond=0))


def _optional_int(value: Any) -> int | None:
    """Number inputs hand over floats, None or text; the service judges the value."""
    if value in (None, ''):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # type: ignore[return-value]


def _save(user: Any, event_id: int, values: events.EventInput) -> int:
    """Save changes; returns the id (in_thread reads None as an abandoned page)."""
    db.call(events.update_event, actor=user, event_id=event_id, data=values)
    return event_id


def _organization_choices(user: Any) -> dict[int, str]:
    return {o.id: o.name for o in db.call(organizations.list_organization_choices, limit=1000)}


@page('/events/new')
async def new_event_page() -> None:
    user = require_user()
    tomorrow = local_today() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(10))
    data = events.EventInput(title='', starts=start, ends=start + timedelta(hours=2),
                             organization_id=user.organization_id)
    orgs = await in_thread(_organization_choices, user)
    with frame(_('Neue Veranstaltung'), user=user):
        _event_form(user, data, orgs, event_id=None, occurrence=False)


@page('/events/{event_id}/edit')
async def edit_event_page(event_id: str) -> Response | None:
    user = require_user()
    try:
        number = parse_id(event_id)
        data, occurrence = await in_thread(db.call, events.event_for_editing, actor=user, event_id=number)
    except (ValueError, NotFound):
        return not_found_page(user, _('Diese Veranstaltung gibt es nicht (mehr).'), _('Zum Kalender'), '/events')
    except NotAllowed as e:
        with frame(_('Veranstaltung bearbeiten'), user=user):
            ui.label(_(e.message)).mark('not-allowed')
            ui.link(_('Zur Veranstaltung'), f'/events/{number}')
        return None
    orgs = await in_thread(_organization_choices, user)
    with frame(_('Veranstaltung bearbeiten'), user=user):
        if occurrence:
            ui.label(_('Sie bearbeiten einen einzelnen Termin einer Serie; die anderen Termine bleiben.')).classes(
                theme.MUTED)
        _event_form(user, data, orgs, event_id=number, occurrence=occurrence)
    return None


def _event_form(user: Any, data: events.EventInput, orgs: dict[int, str], *, event_id: int | None,
                occurrence: bool) -> None:
    form = Form()
    with ui.column().classes('w-full max-w-3xl gap-3'):
        title = form.field('title', ui.input(_('Titel'), value=data.title).props(
            'outlined maxlength=200 counter autofocus').classes('w-full'))
        editor = PostEditor(_('Beschreibung (Markdown)'), user=user, value=data.description, files=False,
                            marker='description')
        form.fields['description'] = editor.textarea
        all_day = ui.checkbox(_('Ganztägig'), value=data.all_day).mark('field-all_day')
        with ui.row().classes('w-full gap-3 flex-wrap items-start'):
            start_day = form.field('starts', ui.input(_('Beginn: Datum'), value=data.starts.date().isoformat())
                                   .props('type=date stack-label outlined').classes('w-44'))
            start_time = ui.input(_('Beginn: Uhrzeit'), value=f'{data.starts:%H:%M}').props(
                'type=time stack-label outlined').classes('w-36').mark('field-start_time')
            end_day = form.field('ends', ui.input(_('Ende: Datum'), value=data.ends.date().isoformat())
                                 .props('type=date stack-label outlined').classes('w-44'))
            end_time = ui.input(_('Ende: Uhrzeit'), value=f'{data.ends:%H:%M}').props(
                'type=time stack-label outlined').classes('w-36').mark('field-end_time')
        start_time.bind_visibility_from(all_day, 'value', backward=lambda v: not v)
        end_time.bind_visibility_from(all_day, 'value', backward=lambda v: not v)
        ui.label(_('Zeiten in deutscher Zeit (Europe/Berlin).')).classes(theme.MUTED)

        fmt = form.field('format', ui.radio({EventFormat.ONSITE: _('vor Ort'), EventFormat.ONLINE: _('online'),
                                             EventFormat.HYBRID: _('hybrid')}, value=data.format).props('inline'))
        aria(fmt, _('Format'))
        location = form.field('location', ui.input(_('Ort (Adresse, Raum)'), value=data.location).props(
            'outlined maxlength=300').classes('w-full'))
        online_url = form.field('online_url', ui.input(_('Link zur Online-Teilnahme (https://…)'),
                                                       value=data.online_url).props(
            'outlined maxlength=500 type=url inputmode=url').classes('w-full'))
        location.bind_visibility_from(fmt, 'value', backward=lambda v: v != EventFormat.ONLINE)
        online_url.bind_visibility_from(fmt, 'value', backward=lambda v: v != EventFormat.ONSITE)
        with ui.row().classes('w-full gap-3 flex-wrap items-start'):
            capacity = form.field('capacity', ui.number(_('Plätze vor Ort (leer: unbegrenzt)'), value=data.capacity,
                                                        min=1, step=1, precision=0).props('outlined').classes('w-64'))
            online_capacity = form.field('online_capacity', ui.number(
                _('Plätze online (leer: unbegrenzt)'), value=data.online_capacity, min=1, step=1, precision=0)
                .props('outlined').classes('w-64'))
        capacity.bind_visibility_from(fmt, 'value', backward=lambda v: v != EventFormat.ONLINE)
        online_capacity.bind_visibility_from(fmt, 'value', backward=lambda v: v != EventFormat.ONSITE)

        with ui.row().classes('w-full gap-3 flex-wrap items-start') as deadline_row:
            deadline_day = form.field('deadline', ui.input(
                _('Anmeldeschluss: Datum (optional)'), value=data.deadline.date().isoformat() if data.deadline else '')
                .props('type=date stack-label outlined clearable').classes('w-56'))
            deadline_time = ui.input(_('Anmeldeschluss: Uhrzeit'),
                                     value=f'{data.deadline:%H:%M}' if data.deadline else '23:59').props(
                'type=time stack-label outlined').classes('w-40').mark('field-deadline_time')
        org_options = {0: _('Keine Angabe')} | orgs
        organization = form.field('organization_id', ui.select(
            org_options, label=_('Verwaltung (Veranstalter)'), with_input=True,
            value=data.organization_id if data.organization_id in org_options else 0).props('outlined').classes(
            'w-full max-w-md'))
        close_on_choice(organization)
        tags = form.field('tags', ui.select(list(data.tags), label=_('Schlagwörter (höchstens 5)'), multiple=True,
                                            with_input=True, new_value_mode='add-unique', value=list(data.tags))
                          .props('outlined use-chips').classes('w-full max-w-md'))
        tags.props['hint'] = _('Enter legt ein Schlagwort an.')

        repeat = interval = until = None
        if not occurrence:
            Heading(_('Wiederholung'), 2)
            with ui.row().classes('w-full gap-3 flex-wrap items-start'):
                repeat = form.field('repeat', ui.select({k: _(v) for k, v in REPEAT_OPTIONS.items()},
                                                        value=data.repeat, label=_('Wiederholung')).props(
                    'outlined').classes('w-96'))
                close_on_choice(repeat)
                interval = form.field('repeat_interval', ui.number(_('Abstand (alle … Wochen/Monate)'),
                                                                   value=data.repeat_interval, min=1, max=12,
                                                                   step=1, precision=0).props('outlined').classes(
                    'w-56'))
                until = form.field('repeat_until', ui.input(
                    _('Letzter Termin bis (höchstens 2 Jahre)'),
                    value=data.repeat_until.isoformat() if data.repeat_until else '').props(
                    'type=date stack-label outlined clearable').classes('w-64'))
            interval.bind_visibility_from(repeat, 'value', backward=bool)
            until.bind_visibility_from(repeat, 'value', backward=bool)
            deadline_row.bind_visibility_from(repeat, 'value', backward=lambda v: not v)

        def collect() -> events.EventInput:
            whole_day = bool(all_day.value)
            starts = parse_local(start_day.value, start_time.value, 'starts', all_day=whole_day)
            ends = parse_local(end_day.value, end_time.value, 'ends', all_day=whole_day)
            deadline = None
            if deadline_day.value and (repeat is None or not repeat.value):
                deadline = parse_local(deadline_day.value, deadline_time.value or '23:59', 'deadline')
            repeat_until = None
            if until is not None and until.value and repeat is not None and repeat.value:
                try:
                    repeat_until = date.fromisoformat(until.value)
                except ValueError:
                    raise Invalid('repeat_until', 'Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).') from None
            return events.EventInput(
                title=title.value or '', starts=starts, ends=ends, description=editor.value, all_day=whole_day,
                format=fmt.value, location=location.value or '', online_url=online_url.value or '',
                capacity=_optional_int(capacity.value), online_capacity=_optional_int(online_capacity.value),
                deadline=deadline, tags=tuple(tags.value or ()), organization_id=organization.value or None,
                repeat=(repeat.value or Repeat.NONE) if repeat is not None else Repeat.NONE,
                repeat_interval=_optional_int(interval.value) or 1 if interval is not None else 1,  # type: ignore[arg-type]
                repeat_until=repeat_until)

        async def submit() -> None:
            form.clear()
            try:
                values = collect()
                if event_id is None:
                    new_id = await in_thread(db.call, events.create_event, actor=user, data=values)
                else:
                    new_id = await in_thread(_save, user, event_id, values)
            except DomainError as e:
                form.show(e)
                return
            ui.navigate.to(f'/events/{new_id}')

        with ui.row().classes('gap-2'):
            ui.button(_('Veranstaltung anlegen') if event_id is None else _('Änderungen speichern'),
                      on_click=submit).props('unelevated').mark('submit')
            ui.link(_('Abbrechen'), f'/events/{event_id}' if event_id else '/events').classes('self-center')
