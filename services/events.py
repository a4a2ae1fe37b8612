"""Events and series: creating, editing, cancelling, moving one date of a series, and reading the calendar.

Times come in as wall-clock times in Berlin (what people type) and are stored in UTC. A series is one row; the
calendar computes its dates for the viewed range only (`services.recurrence`).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.base import utcnow
from models.board import Attachment, Board, Post
from models.event import Answer, Event, EventFormat, EventTag, Repeat, Rsvp
from models.organization import Organization
from models.profile import Tag
from services import audit, bus, notifications, recurrence
from services.board_views import AttachmentRef, TagRef, authors
from services.errors import Invalid, NotAllowed, NotFound
from services.event_views import EventView, MyAnswer, Occurrence, SeriesInfo
from services.local_time import ZONE, aware, day_start, to_local, to_utc
from services.markup import render_markdown
from services.members import _tag_ids, clean_tags
from services.permissions import is_active, require_active

E = Event.__table__
ET = EventTag.__table__
R = Rsvp.__table__
TG = Tag.__table__

MAX_TITLE = 200
MIN_TITLE = 3
MAX_DESCRIPTION = 20_000
MAX_LOCATION = 300
MAX_URL = 500
MAX_DURATION = timedelta(days=14)  # also bounds the calendar's range query: nothing starts earlier and still runs
MAX_CAPACITY = 100_000
MAX_EVENT_TAGS = 5
MAX_RANGE_DAYS = 62  # the calendar reads at most about two months at once
MAX_ATTENDEES_SHOWN = 2000
_TICK = timedelta(microseconds=1)  # an end at midnight belongs to the day before
EVENTS_BOARD_SLUG = 'veranstaltungen'

MSG_NO_EVENT = 'Diese Veranstaltung gibt es nicht.'
MSG_NO_DATE = 'An diesem Tag findet die Serie nicht statt.'
MSG_CANCELLED = 'Diese Veranstaltung ist abgesagt.'
MSG_STARTED = 'Diese Veranstaltung hat schon begonnen.'
MSG_CLOSED = 'Die Anmeldung ist geschlossen.'
MSG_PICK_DATE = 'Bitte wählen Sie einen Termin der Serie.'
MSG_CHANGED = 'Geändert: „{title}“'
MSG_MOVED = 'Verschoben: „{title}“'
MSG_CANCELLED_NOTICE = 'Abgesagt: „{title}“'
MSG_REINSTATED = 'Findet doch statt: „{title}“'


@dataclass(frozen=True)
class EventInput:
    """What the form sends. Times are wall-clock times in Berlin; for all-day events only the days count."""

    title: str
    starts: datetime
    ends: datetime
    description: str = ''
    all_day: bool = False
    format: str = EventFormat.ONSITE
    location: str = ''
    online_url: str = ''
    capacity: int | None = None
    online_capacity: int | None = None
    deadline: datetime | None = None
    tags: tuple[str, ...] = ()
    organization_id: int | None = None
    repeat: str = Repeat.NONE
    repeat_interval: int = 1
    repeat_until: date | None = None


@dataclass(frozen=True)
class Filters:
    mine: bool = False  # only events I answered (yes, maybe, waitlist)
    organization_id: int | None = None
    format: str = ''
    tag: str = ''  # tag key




# ---------------------------------------------------------------- validation


def _clean_url(url: str) -> str:
    url = (url or '').strip()
    if not url:
        return ''
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme.lower() != 'https' or not parts.hostname or any(c.isspace() for c in url) \
            or '.' not in parts.hostname and parts.hostname != 'localhost':
        raise Invalid('online_url', 'Bitte geben Sie einen vollständigen Link ein, der mit https:// beginnt.')
    return url


def _clean_capacity(value: Any, field_name: str) -> int | None:
    if value in (None, ''):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(field_name, 'Bitte geben Sie eine ganze Zahl ein.') from None
    if number < 1:
        raise Invalid(field_name, 'Die Zahl der Plätze muss mindestens 1 sein (leer lassen: unbegrenzt).')
    if number > MAX_CAPACITY:
        raise Invalid(field_name, 'Höchstens {n} Plätze.', n=MAX_CAPACITY)
    return number


def _times(data: EventInput) -> tuple[datetime, datetime]:
    """Start and end in UTC; all-day events run from the first day's midnight to the midnight after the last."""
    if data.all_day:
        first, last = data.starts.date(), data.ends.date()
        if last < first:
            raise Invalid('ends', 'Der letzte Tag darf nicht vor dem ersten liegen.')
        return day_start(first), day_start(last + timedelta(days=1))
    starts, ends = to_utc(data.starts.replace(tzinfo=None)), to_utc(data.ends.replace(tzinfo=None))
    if ends <= starts:
        raise Invalid('ends', 'Das Ende muss nach dem Beginn liegen.')
    return starts, ends


def _clean(session: Session, actor: Any, data: EventInput, *, new: bool,
           series_fields: bool) -> tuple[dict[str, Any], list[str]]:
    title = ' '.join((data.title or '').split())
    if len(title) < MIN_TITLE:
        raise Invalid('title', 'Bitte geben Sie einen Titel mit mindestens {n} Zeichen ein.', n=MIN_TITLE)
    if len(title) > MAX_TITLE:
        raise Invalid('title', 'Der Titel darf höchstens {n} Zeichen haben (jetzt: {length}).', n=MAX_TITLE,
                      length=len(title))
    description = (data.description or '').strip()
    if len(description) > MAX_DESCRIPTION:
        raise Invalid('description', 'Die Beschreibung darf höchstens {n} Zeichen haben (jetzt: {length}).',
                      n=MAX_DESCRIPTION, length=len(description))
    starts_at, ends_at = _times(data)
    if new and starts_at < utcnow() - timedelta(minutes=5):
        raise Invalid('starts', 'Der Beginn liegt in der Vergangenheit. Neue Veranstaltungen beginnen in der Zukunft.')
    if ends_at - starts_at > MAX_DURATION:
        raise Invalid('ends', 'Eine Veranstaltung dauert höchstens {n} Tage.', n=MAX_DURATION.days)
    if data.format not in set(EventFormat):
        raise Invalid('format', 'Bitte wählen Sie ein Format.')
    location = ' '.join((data.location or '').split())
    if len(location) > MAX_LOCATION:
        raise Invalid('location', 'Der Ort darf höchstens {n} Zeichen haben.', n=MAX_LOCATION)
    if data.format == EventFormat.ONLINE:
        location = ''  # an online event has no place (a form may still send what was typed before)
    elif not location:
        raise Invalid('location', 'Bitte geben Sie den Ort an (Adresse, Raum).')
    online_url = _clean_url(data.online_url) if data.format != EventFormat.ONSITE else ''
    capacity = _clean_capacity(data.capacity, 'capacity') if data.format != EventFormat.ONLINE else None
    online_capacity = _clean_capacity(data.online_capacity, 'online_capacity') \
        if data.format != EventFormat.ONSITE else None
    deadline = None
    if data.deadline is not None:
        if series_fields and data.repeat:
            raise Invalid('deadline', 'Serien haben keinen Anmeldeschluss: Zusagen schließen mit Beginn des Termins.')
        deadline = to_utc(data.deadline.replace(tzinfo=None))
        if deadline > starts_at:
            raise Invalid('deadline', 'Der Anmeldeschluss muss vor dem Beginn liegen.')
    names = clean_tags(list(data.tags), 'tags')
    if len(names) > MAX_EVENT_TAGS:
        raise Invalid('tags', 'Höchstens {n} Schlagwörter.', n=MAX_EVENT_TAGS)
    organization_id = data.organization_id if data.organization_id is not None else actor.organization_id
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise Invalid('organization_id', 'Diese Verwaltung gibt es nicht.')
    values: dict[str, Any] = dict(
        title=title, description=description, description_html=render_markdown(description), starts_at=starts_at,
        ends_at=ends_at, all_day=data.all_day, format=data.format, location=location, online_url=online_url,
        capacity=capacity, online_capacity=online_capacity, deadline=deadline, organization_id=organization_id)
    if series_fields:
        values.update(_clean_repeat(data, starts_at, ends_at))
    return values, names


def _clean_repeat(data: EventInput, starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
    if not data.repeat:
        return dict(repeat=Repeat.NONE, repeat_interval=1, repeat_until=None, series_ends_at=None)
    if data.repeat not in set(Repeat):
        raise Invalid('repeat', 'Bitte wählen Sie, wie sich die Veranstaltung wiederholt.')
    try:
        interval = int(data.repeat_interval)
    except (TypeError, ValueError):
        raise Invalid('repeat_interval', 'Bitte geben Sie eine ganze Zahl ein.') from None
    if not 1 <= interval <= recurrence.MAX_INTERVAL:
        raise Invalid('repeat_interval', 'Der Abstand muss zwischen 1 und {n} liegen.', n=recurrence.MAX_INTERVAL)
    first = to_local(starts_at).date()
    bound = first + timedelta(days=recurrence.MAX_SERIES_DAYS)
    until = data.repeat_until or bound  # a series without an end ends after two years
    if until < first:
        raise Invalid('repeat_until', 'Das Ende der Serie darf nicht vor dem ersten Termin liegen.')
    if until > bound:
        raise Invalid('repeat_until', 'Eine Serie darf höchstens zwei Jahre dauern (bis {day}).',
                      day=bound.strftime('%d.%m.%Y'))
    rule = recurrence.Rule(data.repeat, interval, until)
    last = recurrence.last_day(first, rule)
    duration = ends_at - starts_at
    last_start = to_utc(datetime.combine(last, to_local(starts_at).time()))
    return dict(repeat=data.repeat, repeat_interval=interval, repeat_until=until, series_ends_at=last_start + duration)


# ---------------------------------------------------------------- permissions and lookups


def _event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(MSG_NO_EVENT)
    return event


def may_edit(event: Event, actor: Any) -> bool:
    # Active first: a deactivated organiser's stale object must not pass (and nobody's None may).
    return is_active(actor) and (event.organizer_id == actor.id or bool(getattr(actor, 'is_moderator', False)))


def _require_editor(event: Event, actor: Any) -> None:
    if not may_edit(event, actor):
        raise NotAllowed('Nur die Organisation der Veranstaltung und die Moderation können sie ändern.')


def rule_of(event: Event) -> recurrence.Rule | None:
    if not event.repeat or event.repeat_until is None:
        return None
    return recurrence.Rule(event.repeat, event.repeat_interval, event.repeat_until)


def _occurrence_start(series: Event, day: date) -> datetime:
    return to_utc(datetime.combine(day, to_local(series.starts_at).time()))


def _stored_date(session: Session, series: Event, day: date) -> tuple[datetime, Event | None]:
    """The rule's start for a day of a series and that date's stored row, if any; NotFound for other days."""
    rule = rule_of(series)
    if rule is None or not recurrence.is_occurrence(to_local(series.starts_at).date(), rule, day):
        raise NotFound(MSG_NO_DATE)
    start = _occurrence_start(series, day)
    return start, session.execute(select(Event).where(E.c.series_id == series.id, E.c.recurrence_start == start)
                                  ).scalars().first()


def occurrence_row(session: Session, series: Event, day: date) -> Event:
    """The stored row of one date of a series, made on first need (an answer, a cancellation, a move)."""
    start, found = _stored_date(session, series, day)
    if found is not None:
        return found
    child = Event(series_id=series.id, recurrence_start=start, starts_at=start,
                  ends_at=start + (aware(series.ends_at) - aware(series.starts_at)), cancelled=series.cancelled,
                  **{k: getattr(series, k) for k in _COPIED})
    session.add(child)
    try:
        session.flush()
    except IntegrityError:  # two first answers at the same moment: one row, the other reads it
        session.rollback()
        return session.execute(select(Event).where(E.c.series_id == series.id, E.c.recurrence_start == start)
                               ).scalars().one()
    for tag_id in session.execute(select(ET.c.tag_id).where(ET.c.event_id == series.id)).scalars().all():
        session.add(EventTag(event_id=child.id, tag_id=tag_id))
    return child


# Fields an occurrence takes from its series (and keeps in step with when the series changes).
_COPIED = ('title', 'description', 'description_html', 'all_day', 'format', 'location', 'online_url', 'organizer_id',
           'organization_id', 'capacity', 'online_capacity', 'thread_id')


def resolve(session: Session, event_id: int, on: date | None) -> tuple[Event, date | None]:
    """The row for an address: a single event, a stored occurrence, or a series and one of its days."""
    event = _event(session, event_id)
    if on is None or not event.repeat:
        return event, None
    _start, child = _stored_date(session, event, on)
    return (child, None) if child is not None else (event, on)


# ---------------------------------------------------------------- writing


def create_event(session: Session, *, actor: Any, data: EventInput) -> int:
    """Any member creates an event or a series; returns its id."""
    require_active(actor)
    values, tags = _clean(session, actor, data, new=True, series_fields=True)
    event = Event(organizer_id=actor.id, **values)
    session.add(event)
    session.flush()
    assert event.id is not None
    for tag_id in _tag_ids(session, tags):
        session.add(EventTag(event_id=event.id, tag_id=tag_id))
    audit.record(session, 'event.create', actor_id=actor.id, target_type='event', target_id=event.id,
                 repeat=event.repeat)
    session.commit()
    bus.publish('events.event', kind='created', event_id=event.id)
    return event.id


def update_event(session: Session, *, actor: Any, event_id: int, data: EventInput) -> None:
    """The organiser or a moderator changes an event. A change to a series reaches its stored future dates too
    (their own time stays when it was moved); a stored date of a series changes alone."""
    require_active(actor)
    event = _event(session, event_id)
    _require_editor(event, actor)
    is_series = bool(event.repeat)
    values, tags = _clean(session, actor, data, new=False, series_fields=event.series_id is None)
    if event.series_id is not None:
        values['moved'] = event.moved or values['starts_at'] != aware(event.recurrence_start) or \
            values['ends_at'] - values['starts_at'] != aware(event.ends_at) - aware(event.starts_at)
    if not values.get('repeat') and is_series and session.execute(
            select(func.count()).select_from(E).where(E.c.series_id == event.id)).scalar_one():
        raise Invalid('repeat', 'Diese Serie hat schon Zusagen zu einzelnen Terminen: sie bleibt eine Serie. '
                                'Sie können sie absagen oder einzelne Termine ändern.')
    if not is_series and values.get('repeat') and session.execute(
            select(func.count()).select_from(R).where(R.c.event_id == event.id)).scalar_one():
        raise Invalid('repeat', 'Zu dieser Veranstaltung gibt es schon Antworten: sie kann keine Serie mehr werden.')
    # Attendees hear of changes that matter to their diary: time and place.
    significant = (aware(event.starts_at), aware(event.ends_at), event.location, event.online_url) != (
        values['starts_at'], values['ends_at'], values['location'], values['online_url'])
    old_duration = aware(event.ends_at) - aware(event.starts_at)
    old_time = to_local(event.starts_at).time()
    for key, value in values.items():
        setattr(event, key, value)
    event.sequence += 1
    event.updated_at = utcnow()
    session.execute(ET.delete().where(ET.c.event_id == event.id))
    tag_ids = _tag_ids(session, tags)
    for tag_id in tag_ids:
        session.add(EventTag(event_id=event.id, tag_id=tag_id))
    changed = [event.id]
    if event.series_id is not None:  # one date changed: the series' iCalendar entry changes with it
        parent = _event(session, event.series_id)
        parent.sequence += 1
        parent.updated_at = event.updated_at
    if is_series:
        changed += _follow_series(session, event, tag_ids, old_time, old_duration)
    promoted = [p for row_id in changed for p in _fill_free_seats(session, row_id)]
    told = _tell_attendees(session, changed, actor, 'event.changed', MSG_CHANGED,
                           title=event.title) if significant else []
    audit.record(session, 'event.update', actor_id=actor.id, target_type='event', target_id=event.id)
    session.commit()
    notifications.announce(told + promoted)
    bus.publish('events.event', kind='changed', event_id=event.id)


def _follow_series(session: Session, series: Event, tag_ids: list[int], old_time: time,
                   old_duration: timedelta) -> list[int]:
    """Carry a series' change to its stored dates that have not begun; returns their ids. Every stored date (a
    past or moved one too) keeps answering to its day at the series' new time, so the calendar never shows a
    date twice."""
    new_time, duration = to_local(series.starts_at).time(), aware(series.ends_at) - aware(series.starts_at)
    retimed = new_time != old_time or duration != old_duration
    now = utcnow()
    changed: list[int] = []
    for child in session.execute(select(Event).where(E.c.series_id == series.id)).scalars():
        day = to_local(child.recurrence_start).date()  # type: ignore[arg-type]
        if retimed:
            child.recurrence_start = to_utc(datetime.combine(day, new_time))
        if aware(child.starts_at) <= now:
            continue  # what took place stays as it was
        for key in _COPIED:
            setattr(child, key, getattr(series, key))
        if retimed and not child.moved:
            child.starts_at = child.recurrence_start  # type: ignore[assignment]
            child.ends_at = aware(child.starts_at) + duration
        child.sequence += 1
        child.updated_at = now
        session.execute(ET.delete().where(ET.c.event_id == child.id))
        for tag_id in tag_ids:
            session.add(EventTag(event_id=child.id, tag_id=tag_id))
        changed.append(child.id)  # type: ignore[arg-type]
    return changed


def cancel_event(session: Session, *, actor: Any, event_id: int, on: date | None = None,
                 cancelled: bool = True) -> int:
    """Cancel (or reinstate) an event, a whole series, or one date of a series (`on`). It stays visible, marked
    as cancelled; those who answered are told. Returns the id of the changed row."""
    require_active(actor)
    event = _event(session, event_id)
    _require_editor(event, actor)
    series = event if event.repeat else (_event(session, event.series_id) if event.series_id else None)
    if on is not None and event.repeat:
        event = occurrence_row(session, event, on)
    rows = [event]
    if event.repeat:
        # A date cancelled on its own stays cancelled when the whole series is reinstated.
        rows += [c for c in session.execute(select(Event).where(E.c.series_id == event.id)).scalars()
                 if cancelled or not c.own_cancel]
    elif event.series_id is not None:
        event.own_cancel = cancelled
    changed = [row for row in rows if row.cancelled != cancelled]
    if not changed:
        session.commit()  # a stored date may have been made just now
        return event.id  # type: ignore[return-value]
    now = utcnow()
    for row in changed:
        row.cancelled = cancelled
        row.sequence += 1
        row.updated_at = now
    if series is not None and series is not event:
        # The series' own iCalendar entry changes too (its EXDATE list): calendars need a higher SEQUENCE.
        series.sequence += 1
        series.updated_at = now
    told = _tell_attendees(session, [r.id for r in changed if r.id is not None], actor, 'event.cancelled',
                           MSG_CANCELLED_NOTICE if cancelled else MSG_REINSTATED, title=event.title)
    audit.record(session, 'event.cancel' if cancelled else 'event.reinstate', actor_id=actor.id, target_type='event',
                 target_id=event.id)
    session.commit()
    notifications.announce(told)
    bus.publish('events.event', kind='changed', event_id=event.id)
    return event.id  # type: ignore[return-value]


def move_occurrence(session: Session, *, actor: Any, series_id: int, on: date, starts: datetime,
                    ends: datetime) -> int:
    """Move one date of a series without touching the others; returns the date's row id."""
    require_active(actor)
    series = _event(session, series_id)
    _require_editor(series, actor)
    if not series.repeat:
        raise NotFound(MSG_NO_DATE)
    child = occurrence_row(session, series, on)
    starts_at, ends_at = _times(EventInput(title=series.title, starts=starts, ends=ends, all_day=series.all_day))
    if ends_at - starts_at > MAX_DURATION:
        raise Invalid('ends', 'Eine Veranstaltung dauert höchstens {n} Tage.', n=MAX_DURATION.days)
    if starts_at < utcnow():
        raise Invalid('starts', 'Der neue Beginn liegt in der Vergangenheit.')
    child.starts_at, child.ends_at, child.moved = starts_at, ends_at, True
    child.sequence += 1
    child.updated_at = series.updated_at = utcnow()
    series.sequence += 1  # the series' iCalendar entry gains an override
    told = _tell_attendees(session, [child.id], actor, 'event.changed',  # type: ignore[list-item]
                           MSG_MOVED, title=series.title)
    audit.record(session, 'event.move', actor_id=actor.id, target_type='event', target_id=child.id,
                 series=series_id)
    session.commit()
    notifications.announce(told)
    bus.publish('events.event', kind='changed', event_id=child.id)
    return child.id  # type: ignore[return-value]


def _tell_attendees(session: Session, event_ids: list[int], actor: Any, kind: str, text: str,
                    **params: Any) -> list[int]:
    """A notice to everyone who said yes, maybe or waits, except the one who made the change."""
    if not event_ids:
        return []
    rows = session.execute(select(R.c.user_id, R.c.event_id).where(
        R.c.event_id.in_(event_ids), R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]))).all()
    by_event: dict[int, list[int]] = {}
    for user_id, event_id in rows:
        by_event.setdefault(event_id, []).append(user_id)
    told: list[int] = []
    for event_id, user_ids in by_event.items():  # one notify (one preference query) per event, not per member
        told += notifications.notify(session, user_ids, kind=kind, text=text, url=f'/events/{event_id}',
                                     group_key=f'event:{event_id}', actor_id=actor.id, **params)
    return told


def _fill_free_seats(session: Session, event_id: int) -> list[int]:
    from services.attendance import fill_free_seats

    return fill_free_seats(session, event_id)


# ---------------------------------------------------------------- discussion and material


def _events_board(session: Session) -> Board:
    board = session.execute(select(Board).where(Board.slug == EVENTS_BOARD_SLUG)).scalars().first()
    if board is None:
        position = (session.execute(select(func.max(Board.position))).scalar() or 0) + 1
        board = Board(slug=EVENTS_BOARD_SLUG, name='Veranstaltungen', position=position,
                      description='Diskussionen zu den Veranstaltungen im Kalender: Fragen, Mitfahrgelegenheiten, '
                                  'Material und Notizen.')
        session.add(board)
        session.flush()
    return board


def open_discussion(session: Session, *, actor: Any, event_id: int) -> int:
    """The event's thread in the board "Veranstaltungen", started on first need; returns its id."""
    from services import boards

    require_active(actor)
    event = _event(session, event_id)
    root = _event(session, event.series_id) if event.series_id else event  # a series shares one discussion
    if root.thread_id is not None:
        return root.thread_id
    board = _events_board(session)
    session.commit()
    when = to_local(root.starts_at)
    body = (f'Hier sprechen wir über die Veranstaltung **[{_escape_md(root.title)}](/events/{root.id})** '
            f'am {when:%d.%m.%Y}: Fragen, Hinweise, Material und Notizen.')
    title = root.title if len(root.title) >= boards.MIN_TITLE else f'Veranstaltung: {root.title}'
    thread_id = boards.create_thread(session, actor=actor, board_id=board.id, title=title,  # type: ignore[arg-type]
                                     body=body)
    won = session.execute(update(E).where(E.c.id == root.id, E.c.thread_id.is_(None)).values(thread_id=thread_id))
    if won.rowcount == 0:  # someone else started it at the same moment: keep theirs
        from models.board import Thread

        session.execute(update(Thread.__table__).where(Thread.__table__.c.id == thread_id).values(deleted=True))
        session.commit()
        return _event(session, root.id).thread_id  # type: ignore[return-value]
    session.execute(update(E).where(E.c.series_id == root.id).values(thread_id=thread_id))
    session.commit()
    return thread_id


def _escape_md(text: str) -> str:
    return ''.join('\\' + c if c in '\\`*_{}[]()#+-.!<>|' else c for c in text)


def add_material(session: Session, *, actor: Any, event_id: int, note: str,
                 files: list[tuple[str, bytes]]) -> None:
    """After an event began, its organiser and attendees (and moderators) add notes and files for everyone who
    could not come; they land in the event's discussion, with the checks and limits of any post."""
    from services import posts

    require_active(actor)
    event = _event(session, event_id)
    if aware(event.starts_at) > utcnow():
        raise NotAllowed('Material und Notizen kommen nach der Veranstaltung.')
    attended = session.execute(select(R.c.answer).where(R.c.event_id == event_id, R.c.user_id == actor.id)
                               ).scalar() == Answer.YES
    if not (may_edit(event, actor) or attended):
        raise NotAllowed('Material ergänzen können die Organisation und alle, die teilgenommen haben.')
    if not files and not (note or '').strip():
        raise Invalid('note', 'Bitte schreiben Sie eine Notiz oder hängen Sie eine Datei an.')
    thread_id = open_discussion(session, actor=actor, event_id=event_id)
    posts.reply(session, actor=actor, thread_id=thread_id, body=(note or '').strip() or 'Material zur Veranstaltung',
                attachments=files)


def _material(session: Session, thread_id: int | None) -> tuple[AttachmentRef, ...]:
    if thread_id is None:
        return ()
    A, P = Attachment.__table__, Post.__table__
    rows = session.execute(select(A.c.id, A.c.stored_name, A.c.filename, A.c.size, A.c.content_type)
                           .join(P, P.c.id == A.c.post_id).where(P.c.thread_id == thread_id, P.c.deleted.is_(False))
                           .order_by(A.c.id).limit(100)).all()
    return tuple(AttachmentRef(*r) for r in rows)


# ---------------------------------------------------------------- reading


def _tags(session: Session, event_ids: list[int]) -> dict[int, tuple[TagRef, ...]]:
    found: dict[int, list[TagRef]] = {}
    if event_ids:
        for event_id, name, key in session.execute(select(ET.c.event_id, TG.c.name, TG.c.key).join(
                TG, TG.c.id == ET.c.tag_id).where(ET.c.event_id.in_(event_ids)).order_by(TG.c.name)).all():
            found.setdefault(event_id, []).append(TagRef(name, key))
    return {k: tuple(v) for k, v in found.items()}


_COLUMNS = (E.c.id, E.c.title, E.c.starts_at, E.c.ends_at, E.c.all_day, E.c.format, E.c.cancelled,
            E.c.organization_id, E.c.series_id, E.c.repeat, E.c.repeat_interval, E.c.repeat_until,
            E.c.recurrence_start)


def _filtered(query: Any, viewer: Any, filters: Filters, session: Session) -> Any:
    if filters.organization_id is not None:
        query = query.where(E.c.organization_id == filters.organization_id)
    if filters.format in set(EventFormat):
        query = query.where(E.c.format == filters.format)
    if filters.tag:
        query = query.where(E.c.id.in_(select(ET.c.event_id).join(TG, TG.c.id == ET.c.tag_id)
                                       .where(TG.c.key == filters.tag)))
    return query


def calendar_range(session: Session, *, viewer: Any, start: date, end: date,
                   filters: Filters = Filters()) -> list[Occurrence]:  # noqa: B008 - a frozen value
    """Everything in the calendar between two local days [start, end), series expanded for this range only,
    ordered by start. The range is at most about two months."""
    require_active(viewer)
    if end <= start:
        return []
    end = min(end, start + timedelta(days=MAX_RANGE_DAYS))
    lo, hi = day_start(start), day_start(end)
    # Single events and stored dates: the index on (repeat, starts_at) reads just this range.
    single = select(*_COLUMNS).where(E.c.repeat == '', E.c.starts_at >= lo - MAX_DURATION, E.c.starts_at < hi,
                                     E.c.ends_at > lo)
    series = select(*_COLUMNS).where(E.c.repeat != '', E.c.starts_at < hi, E.c.series_ends_at > lo)
    mine: dict[int, str] = {}
    if filters.mine:
        answered = select(R.c.event_id).where(R.c.user_id == viewer.id,
                                              R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]))
        single = single.where(E.c.id.in_(answered))
        series = None  # answers belong to stored dates, never to a whole series
    rows = list(session.execute(_filtered(single, viewer, filters, session)).all())
    series_rows = list(session.execute(_filtered(series, viewer, filters, session)).all()) if series is not None \
        else []
    ids = [r[0] for r in rows]
    if ids:
        mine = dict(session.execute(select(R.c.event_id, R.c.answer).where(R.c.user_id == viewer.id,
                                                                             R.c.event_id.in_(ids))).all())
    items = []
    for r in rows:
        items.append(_stored_occurrence(r, mine.get(r[0], '')))
    if series_rows:
        items += _expand(session, series_rows, rows, start, end, lo, hi)
    items.sort(key=lambda o: (o.starts_at, not o.all_day, o.title))
    return items


def _stored_occurrence(r: Any, answer: str) -> Occurrence:
    """A calendar entry from a row of `_COLUMNS` (a single event or a stored date of a series)."""
    first_local, last_local = r[2].astimezone(ZONE), (r[3] - _TICK).astimezone(ZONE)
    return Occurrence(r[0], None, r[1], r[2], r[3], r[4], r[5], r[6], r[8] is not None, r[7], first_local.date(),
                      max(first_local.date(), last_local.date()), answer)


def _expand(session: Session, series_rows: list, rows: list, start: date, end: date, lo: datetime,
            hi: datetime) -> list[Occurrence]:
    """The series' computed dates in the range, except those that have a stored row (moved ones included).
    The hot loop of a month view (over a thousand dates): plain arithmetic, one time-zone conversion per date."""
    stored = {(r[8], r[12]) for r in rows if r[8] is not None and r[12] is not None}
    # A stored date moved out of this range still replaces its computed date.
    stored |= set(session.execute(select(E.c.series_id, E.c.recurrence_start).where(
        E.c.recurrence_start >= lo - MAX_DURATION, E.c.recurrence_start < hi, E.c.series_id.is_not(None))).all())
    items = []
    earliest = start - MAX_DURATION
    for r in series_rows:
        series_id, title, all_day, fmt, cancelled, org = r[0], r[1], r[4], r[5], r[6], r[7]
        first_local = r[2].astimezone(ZONE)
        clock, duration = first_local.time().replace(tzinfo=None), r[3] - r[2]
        span_days = (((r[3] - _TICK).astimezone(ZONE)).date() - first_local.date()).days
        rule = recurrence.Rule(r[9], r[10], r[11])
        for day in recurrence.occurrence_days(first_local.date(), rule, earliest, end):
            begins = datetime.combine(day, clock, ZONE).astimezone(UTC)
            if (series_id, begins) in stored:
                continue
            # All-day dates run whole local days, whatever the DST change does to the hours.
            finishes = day_start(day + timedelta(days=span_days + 1)) if all_day else begins + duration
            if finishes <= lo or begins >= hi:
                continue
            items.append(Occurrence(series_id, day, title, begins, finishes, all_day, fmt, cancelled, True, org,
                                    day, day + timedelta(days=span_days)))
    return items


def upcoming(session: Session, *, viewer: Any, limit: int = 5, mine: bool = False) -> list[Occurrence]:
    """The next events (for the start page): mine only, or the network's open ones (not cancelled)."""
    require_active(viewer)
    now = utcnow()
    if mine:  # my answers are on stored rows only: one indexed query, not a walk through the months
        rows = session.execute(select(*_COLUMNS, R.c.answer).join(R, R.c.event_id == E.c.id).where(
            R.c.user_id == viewer.id, R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]),
            E.c.repeat == '', E.c.cancelled.is_(False), E.c.ends_at > now)
            .order_by(E.c.starts_at, E.c.all_day.desc(), E.c.title).limit(max(1, min(limit, 50)))).all()
        return [_stored_occurrence(r, r[-1]) for r in rows]
    today = to_local(now).date()
    found: list[Occurrence] = []
    # Look ahead a month at a time; a quiet calendar stops after a year.
    for months in range(12):
        start = today + timedelta(days=31 * months)
        batch = calendar_range(session, viewer=viewer, start=start, end=start + timedelta(days=31))
        found += [o for o in batch if o.ends_at > now and not o.cancelled]
        if len(found) >= limit:
            break
    return found[:limit]


def get_event(session: Session, *, viewer: Any, event_id: int, on: date | None = None) -> EventView:
    """An event page: details, seats, the viewer's answer and the attendee list (members only)."""
    from services import attendance

    require_active(viewer)
    event, on = resolve(session, event_id, on)
    series = event if event.repeat else (_event(session, event.series_id) if event.series_id else None)
    starts_at, ends_at = aware(event.starts_at), aware(event.ends_at)
    if on is not None:
        starts_at = _occurrence_start(event, on)
        ends_at = starts_at + (aware(event.ends_at) - aware(event.starts_at))
        if event.all_day:
            ends_at = day_start(on + (to_local(event.ends_at).date() - to_local(event.starts_at).date()))
    people = authors(session, [event.organizer_id])
    org_name = session.execute(select(Organization.__table__.c.name).where(
        Organization.__table__.c.id == event.organization_id)).scalar() if event.organization_id else ''
    series_info = None
    if series is not None:
        rule = rule_of(series)
        assert rule is not None
        first = to_local(series.starts_at).date()
        today = to_local(utcnow()).date()
        next_days = tuple(recurrence.occurrence_days(first, rule, today, today + timedelta(days=120)))[:8] \
            if event.repeat and on is None else ()
        series_info = SeriesInfo(series.id, rule.kind, rule.interval, first,  # type: ignore[arg-type]
                                 recurrence.last_day(first, rule), next_days)
    is_series = bool(event.repeat) and on is None
    stored = on is None and not event.repeat
    mine = attendance.my_answer(session, viewer.id, event.id) if stored else MyAnswer('')  # type: ignore[arg-type]
    blocked = attendance.answer_blocked(event, starts_at)
    if is_series:
        blocked = blocked or MSG_PICK_DATE
    return EventView(
        id=event.id, on=on, title=event.title, description_html=event.description_html,  # type: ignore[arg-type]
        description=event.description, starts_at=starts_at, ends_at=ends_at, all_day=event.all_day,
        format=event.format, location=event.location, online_url=event.online_url,
        organizer=people.get(event.organizer_id) if event.organizer_id else None,
        organization_id=event.organization_id, organization=org_name or '', capacity=event.capacity,
        online_capacity=event.online_capacity, onsite_taken=event.onsite_taken if stored else 0,
        online_taken=event.online_taken if stored else 0, maybe_count=event.maybe_count if stored else 0,
        waitlist_count=event.waitlist_count if stored else 0, deadline=aware(event.deadline) if event.deadline
        else None, cancelled=event.cancelled, tags=_tags(session, [event.id]).get(event.id, ()),  # type: ignore[list-item]
        series=series_info, is_series=is_series, moved=event.moved, thread_id=event.thread_id, mine=mine,
        can_edit=may_edit(event, viewer), answer_blocked=blocked, past=ends_at <= utcnow(),
        attendees=attendance.attendees(session, event.id) if stored else (),  # type: ignore[arg-type]
        material=_material(session, event.thread_id) if starts_at <= utcnow() else (), sequence=event.sequence)


def event_for_editing(session: Session, *, actor: Any, event_id: int) -> tuple[EventInput, bool]:
    """The form's values for an event (wall-clock times) and whether it is a stored date of a series."""
    require_active(actor)
    event = _event(session, event_id)
    _require_editor(event, actor)
    ends = to_local(event.ends_at)
    if event.all_day:
        ends -= timedelta(days=1)
    data = EventInput(
        title=event.title, starts=to_local(event.starts_at), ends=ends, description=event.description,
        all_day=event.all_day, format=event.format, location=event.location, online_url=event.online_url,
        capacity=event.capacity, online_capacity=event.online_capacity,
        deadline=to_local(event.deadline) if event.deadline else None,
        tags=tuple(t.name for t in _tags(session, [event_id]).get(event_id, ())),
        organization_id=event.organization_id, repeat=event.repeat, repeat_interval=event.repeat_interval,
        repeat_until=event.repeat_until)
    return data, event.series_id is not None


def organizations_with_events(session: Session, *, viewer: Any, limit: int = 200) -> list[tuple[int, str]]:
    """Administrations for the calendar's filter: those that organise events."""
    require_active(viewer)
    O = Organization.__table__  # noqa: N806, E741
    rows = session.execute(select(O.c.id, O.c.name).where(O.c.id.in_(
        select(E.c.organization_id).where(E.c.organization_id.is_not(None)).distinct())).order_by(O.c.name)
        .limit(limit)).all()
    return [(r[0], r[1]) for r in rows]


def event_tags(session: Session, *, viewer: Any, limit: int = 100) -> list[TagRef]:
    """Tags used on events, most used first (for the calendar's filter)."""
    require_active(viewer)
    rows = session.execute(select(TG.c.name, TG.c.key).join(ET, ET.c.tag_id == TG.c.id).group_by(
        TG.c.id, TG.c.name, TG.c.key).order_by(func.count().desc(), TG.c.name).limit(limit)).all()
    return [TagRef(r[0], r[1]) for r in rows]
