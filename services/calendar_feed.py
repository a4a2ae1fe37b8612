"""iCalendar (RFC 5545) for Outlook, Thunderbird and phones: one event's .ics and each member's subscription feed.

The feed's address carries a secret. It is derived from the server key (kept in the data folder, not in the
database) and the member's feed version, so /account can show it again at any time while the database holds only
its hash; renewing raises the version, and the old address stops working at once.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent
from sqlalchemy import select
from sqlmodel import Session

from models.base import utcnow
from models.event import Answer, CalendarFeed, Event, EventFormat, FeedScope, Rsvp
from services import audit, recurrence
from services.errors import Invalid, NotFound
from services.event_views import FeedInfo
from services.events import _COPIED, _tags, resolve, rule_of
from services.local_time import ZONE, aware, to_local
from services.permissions import require_active

E = Event.__table__
R = Rsvp.__table__
PRODID = '-//Verwaltungsnetz//Veranstaltungskalender//DE'
UID_DOMAIN = 'verwaltungsnetz'
FEED_PAST = timedelta(days=90)  # a feed carries the last three months and everything ahead
FEED_LIMIT = 1000
FORMAT_TEXT = {EventFormat.ONSITE: 'vor Ort', EventFormat.ONLINE: 'online', EventFormat.HYBRID: 'hybrid'}

_key: bytes | None = None


def set_key(secret: str) -> None:
    """The server key for feed addresses (main.py passes the storage secret at start-up)."""
    global _key
    _key = hashlib.sha256(b'calendar-feed:' + secret.encode()).digest()


def _server_key() -> bytes:
    global _key
    if _key is None:  # commands and tests without a configured key: a random one for this process
        _key = secrets.token_bytes(32)
    return _key


def _token(user_id: int, version: int) -> str:
    digest = hmac.new(_server_key(), f'{user_id}:{version}'.encode(), hashlib.sha256).digest()
    return digest[:24].hex()  # 192 bits


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _feed_row(session: Session, user_id: int) -> CalendarFeed:
    row = session.get(CalendarFeed, user_id)
    if row is None:
        row = CalendarFeed(user_id=user_id, version=1, token_hash=_hash(_token(user_id, 1)))
        session.add(row)
        session.commit()
    return row


def my_feed(session: Session, *, actor: Any) -> FeedInfo:
    """My subscription address's secret and what it carries."""
    require_active(actor)
    row = _feed_row(session, actor.id)
    return FeedInfo(_token(actor.id, row.version), row.scope)


def renew_feed(session: Session, *, actor: Any) -> FeedInfo:
    """A new secret: calendars subscribed to the old address get 404 from now on."""
    require_active(actor)
    row = _feed_row(session, actor.id)
    row.version += 1
    row.token_hash = _hash(_token(actor.id, row.version))
    audit.record(session, 'calendar.feed_renew', actor_id=actor.id, target_type='user', target_id=actor.id)
    session.commit()
    return FeedInfo(_token(actor.id, row.version), row.scope)


def set_feed_scope(session: Session, *, actor: Any, scope: str) -> FeedInfo:
    require_active(actor)
    if scope not in set(FeedScope):
        raise Invalid('scope', 'Bitte wählen Sie, was der Kalender enthält.')
    row = _feed_row(session, actor.id)
    row.scope = scope
    session.commit()
    return FeedInfo(_token(actor.id, row.version), row.scope)


# ---------------------------------------------------------------- building iCalendar


def _uid(event_id: int) -> str:
    return f'event-{event_id}@{UID_DOMAIN}'


def _when(value: datetime, all_day: bool) -> datetime | date:
    local = aware(value).astimezone(ZONE)
    return local.date() if all_day else local


def _vevent(event: Event, tags: tuple[str, ...], base_url: str, *, uid: str | None = None,
            recurrence_id: datetime | date | None = None) -> VEvent:
    item = VEvent()
    item.add('uid', uid or _uid(event.id))  # type: ignore[arg-type]
    item.add('dtstamp', aware(event.updated_at).astimezone(UTC))
    item.add('sequence', event.sequence)
    item.add('summary', event.title)
    item.add('dtstart', _when(event.starts_at, event.all_day))
    item.add('dtend', _when(event.ends_at, event.all_day))
    if recurrence_id is not None:
        item.add('recurrence-id', recurrence_id)
    url = f'{base_url}/events/{event.id}' if base_url else ''
    lines = [event.description.strip()] if event.description.strip() else []
    lines.append(f'Format: {FORMAT_TEXT.get(event.format, event.format)}')
    if event.online_url:
        lines.append(f'Online: {event.online_url}')
    if url:
        lines.append(url)
    item.add('description', '\n\n'.join(lines))
    location = event.location or event.online_url
    if location:
        item.add('location', location)
    if url:
        item.add('url', url)
    if tags:
        item.add('categories', list(tags))
    item.add('status', 'CANCELLED' if event.cancelled else 'CONFIRMED')
    item.add('transp', 'TRANSPARENT' if event.all_day else 'OPAQUE')
    return item


def _series_components(session: Session, series: Event, tags: tuple[str, ...], base_url: str) -> list[VEvent]:
    """A series: its rule, cancelled dates as EXDATE, changed dates as overrides with RECURRENCE-ID."""
    rule = rule_of(series)
    assert rule is not None
    main = _vevent(series, tags, base_url)
    parts = recurrence.ical_rule(to_local(series.starts_at).date(), rule)
    if series.all_day:
        parts['UNTIL'] = rule.until
    else:  # with a TZID start, UNTIL must be in UTC: the end of the last day, Berlin time
        parts['UNTIL'] = datetime.combine(rule.until, time(23, 59, 59), ZONE).astimezone(UTC)
    main.add('rrule', vRecur(parts))
    components = [main]
    children = list(session.execute(select(Event).where(E.c.series_id == series.id)).scalars())
    cancelled = [_when(c.recurrence_start, series.all_day) for c in children  # type: ignore[arg-type]
                 if c.cancelled and not series.cancelled]
    if cancelled:
        main.add('exdate', cancelled)
    for child in children:
        if child.cancelled and not series.cancelled:
            continue
        # A date that was only answered needs no entry of its own; a moved or edited one does.
        if child.moved or any(getattr(child, k) != getattr(series, k) for k in _COPIED if k != 'thread_id'):
            components.append(_vevent(child, tags, base_url, uid=_uid(series.id),  # type: ignore[arg-type]
                                      recurrence_id=_when(child.recurrence_start, series.all_day)))  # type: ignore[arg-type]
    return components


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add('prodid', PRODID)
    cal.add('version', '2.0')
    cal.add('calscale', 'GREGORIAN')
    cal.add('method', 'PUBLISH')
    cal.add('x-wr-calname', name)
    cal.add('x-wr-timezone', 'Europe/Berlin')
    return cal


def _finish(cal: Calendar) -> bytes:
    cal.add_missing_timezones()  # VTIMEZONE for Europe/Berlin, so Outlook keeps 10:00 at 10:00 across DST
    return cal.to_ical()


def event_ics(session: Session, *, viewer: Any, event_id: int, base_url: str = '',
              on: date | None = None) -> tuple[str, bytes]:
    """One event (a whole series with its exceptions, or one stored date) as a .ics file: (file name, bytes)."""
    require_active(viewer)
    event, day = resolve(session, event_id, on)
    tags = tuple(t.name for t in _tags(session, [event.id]).get(event.id, ()))  # type: ignore[arg-type]
    cal = _calendar(event.title)
    if event.repeat:
        for component in _series_components(session, event, tags, base_url):
            cal.add_component(component)
    else:
        cal.add_component(_vevent(event, tags, base_url))
    local = to_local(event.starts_at)
    return f'veranstaltung-{event.id}-{local:%Y-%m-%d}.ics', _finish(cal)


def feed_ics(session: Session, *, token: str, base_url: str = '', site_name: str = 'Verwaltungsnetz') -> bytes:
    """A member's subscription feed. A wrong or renewed token is simply not found (nothing about any event)."""
    if not token or len(token) > 128:
        raise NotFound()
    row = session.execute(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).scalars().first()
    if row is None or not hmac.compare_digest(_token(row.user_id, row.version), token):
        raise NotFound()
    from models.user import Status, User

    owner = session.get(User, row.user_id)
    if owner is None or owner.status != Status.ACTIVE:
        raise NotFound()
    since = utcnow() - FEED_PAST
    if row.scope == FeedScope.ALL:
        singles = select(Event).where(E.c.repeat == '', E.c.series_id.is_(None), E.c.starts_at >= since)
        series = select(Event).where(E.c.repeat != '', E.c.series_ends_at >= since)
        events = list(session.execute(series.order_by(E.c.starts_at).limit(FEED_LIMIT)).scalars())
        events += list(session.execute(singles.order_by(E.c.starts_at).limit(FEED_LIMIT - len(events))).scalars())
    else:
        answered = select(R.c.event_id).where(R.c.user_id == row.user_id,
                                              R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]))
        events = list(session.execute(select(Event).where(E.c.id.in_(answered), E.c.starts_at >= since)
                                      .order_by(E.c.starts_at).limit(FEED_LIMIT)).scalars())
    tags = _tags(session, [e.id for e in events])  # type: ignore[misc]
    cal = _calendar(site_name)
    for event in events:
        names = tuple(t.name for t in tags.get(event.id, ()))  # type: ignore[arg-type]
        if event.repeat:
            for component in _series_components(session, event, names, base_url):
                cal.add_component(component)
        else:
            # A stored date of a series stands alone here: the "accepted" feed does not carry its series.
            cal.add_component(_vevent(event, names, base_url))
    return _finish(cal)


