"""Demo calendar: meet-ups, workshops, online sessions and a barcamp between the conferences, with answers."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from models.event import Answer, Event, EventFormat, Repeat
from services import attendance, events
from services.errors import DomainError
from services.local_time import today

# title, days ahead, start, hours, format, place or link, seats, tags, description, repeat
EVENTS: tuple[tuple[Any, ...], ...] = (
    ('Netzwerktreffen Ruhr: E-Akte in der Praxis', 6, time(14), 3, EventFormat.ONSITE,
     'Essen, Rathaus, Ratssaal', 40, ('E-Akte',),
     'Drei Verwaltungen berichten, wie sie die **E-Akte** eingeführt haben – mit Stolpersteinen.\n\n'
     '- Scanstelle und Posteingang\n- Aktenplan\n- Schulung der Kolleg:innen', Repeat.NONE),
    ('Online-Sprechstunde OZG-Leistungen', 3, time(10), 1, EventFormat.ONLINE, 'https://meet.example/ozg', None,
     ('OZG-Umsetzung',), 'Offene Fragen zur Umsetzung des OZG: kommen Sie mit Ihrem Fall.', Repeat.WEEKLY),
    ('Jour fixe Vergabe', 8, time(9, 30), 1, EventFormat.HYBRID, 'Wesel, Kreishaus, Raum 2.14', 12,
     ('Vergaberecht',), 'Kurzer Austausch zu aktuellen Vergabeverfahren. Online-Link folgt per Mail.',
     Repeat.MONTHLY_WEEKDAY),
    ('Barcamp Digitale Verwaltung 2027', 45, time(9), 8, EventFormat.ONSITE, 'Lünen, Hansesaal', 120,
     ('Digitalisierung', 'Barcamp'), 'Ein Tag, viele Sessions: Sie bringen die Themen mit.', Repeat.NONE),
    ('Workshop Bürgerbeteiligung online', 14, time(13), 3, EventFormat.ONLINE, 'https://meet.example/beteiligung', 25,
     ('Bürgerbeteiligung',), 'Werkzeuge und Erfahrungen mit Online-Beteiligung.', Repeat.NONE),
    ('Lunch & Learn: KI-Werkzeuge im Büroalltag', 10, time(12), 1, EventFormat.ONLINE,
     'https://meet.example/ki', 50, ('KI in der Verwaltung',), 'Was geht schon heute – und was (noch) nicht?',
     Repeat.NONE),
    ('Arbeitskreis Informationssicherheit', 20, time(10), 4, EventFormat.ONSITE, 'Bochum, Technisches Rathaus',
     20, ('Informationssicherheit',), 'Austausch der ISB aus den Kommunen.', Repeat.MONTHLY_DATE),
    ('Austausch Personalgewinnung', 4, time(15), 2, EventFormat.HYBRID, 'Duisburg, Stadthaus, Raum 12', 2,
     ('Personalgewinnung',), 'Wie gewinnen wir Nachwuchs? Kleine Runde – die Plätze vor Ort sind knapp.',
     Repeat.NONE),
)


def seed_events(session: Session, *, members: list[Any], rng: random.Random) -> int:
    """Add the demo events (once) with answers from the demo members; returns how many were added."""
    if not members or session.execute(select(func.count()).select_from(Event)).scalar_one():
        return 0
    added = 0
    for title, ahead, start, hours, fmt, place, seats, tags, description, repeat in EVENTS:
        organizer = members[rng.randrange(len(members))]
        day: date = today() + timedelta(days=ahead)
        starts = datetime.combine(day, start)
        data = events.EventInput(
            title=title, starts=starts, ends=starts + timedelta(hours=hours), description=description, format=fmt,
            location=place if fmt != EventFormat.ONLINE else '', online_url=place if fmt == EventFormat.ONLINE else '',
            capacity=seats if fmt != EventFormat.ONLINE else None,
            online_capacity=seats if fmt == EventFormat.ONLINE else None, tags=tags,
            organization_id=organizer.organization_id, repeat=repeat,
            repeat_until=day + timedelta(days=180) if repeat else None)
        event_id = events.create_event(session, actor=organizer, data=data)
        added += 1
        for member in rng.sample(members, min(len(members), rng.randint(3, 15))):
            answer = rng.choice((Answer.YES, Answer.YES, Answer.MAYBE, Answer.NO))
            try:
                attendance.rsvp(session, actor=member, event_id=event_id, answer=answer, seat='onsite',
                                on=day if repeat else None)
            except DomainError:
                continue
    return added
