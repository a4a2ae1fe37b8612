"""The event calendar: events and series, answers (RSVP) with a waitlist, tags, and personal calendar feeds.

A series is one row with a repeat rule; its occurrences are computed for the range being viewed. An occurrence
becomes a row of its own (a child with `series_id` and `recurrence_start`) only when it needs one: someone answers
for that date, or the organiser cancels or moves just that date.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class EventFormat(StrEnum):
    ONSITE = 'onsite'  # vor Ort
    ONLINE = 'online'
    HYBRID = 'hybrid'


class Repeat(StrEnum):
    NONE = ''
    WEEKLY = 'weekly'  # every N weeks on the start's weekday
    MONTHLY_WEEKDAY = 'monthly_weekday'  # "jeden ersten Dienstag" (or the last one)
    MONTHLY_DATE = 'monthly_date'  # on the start's day of the month


class Answer(StrEnum):
    YES = 'yes'  # Zusage, with a seat
    MAYBE = 'maybe'
    NO = 'no'
    WAITLIST = 'waitlist'  # said yes when every seat was taken; moves up in order


class Seat(StrEnum):
    ONSITE = 'onsite'
    ONLINE = 'online'


class FeedScope(StrEnum):
    ACCEPTED = 'accepted'  # the events I accepted (and "vielleicht")
    ALL = 'all'  # every event of the network


class Event(SQLModel, table=True):
    # The calendar reads single events by start time and the (few) series separately: both lead with `repeat`.
    __table_args__ = (
        Index('ix_event_repeat_starts', 'repeat', 'starts_at'),
        Index('ix_event_series_occurrence', 'series_id', 'recurrence_start', unique=True),
        # Stored dates of any series in the viewed range (they replace the computed ones).
        Index('ix_event_recurrence_start', 'recurrence_start'),
    )

    id: int | None = Field(default=None, primary_key=True)
    # A materialised occurrence of a series: its series and the start the rule gave it (UTC).
    series_id: int | None = Field(default=None, foreign_key='event.id', ondelete='CASCADE')
    recurrence_start: datetime | None = Field(default=None)
    moved: bool = Field(default=False)  # an occurrence whose time differs from the rule's
    title: str = Field(max_length=200)
    description: str = Field(default='')  # Markdown as written
    description_html: str = Field(default='')  # sanitised, rendered once on write
    starts_at: datetime  # UTC; all-day events: local midnight of the first day
    ends_at: datetime  # UTC; all-day events: local midnight after the last day
    all_day: bool = Field(default=False)
    format: str = Field(default=EventFormat.ONSITE, max_length=8)
    location: str = Field(default='', max_length=300)
    online_url: str = Field(default='', max_length=500)
    organizer_id: int | None = Field(default=None, foreign_key='user.id', index=True, ondelete='SET NULL')
    organization_id: int | None = Field(default=None, foreign_key='organization.id', index=True,
                                        ondelete='SET NULL')
    capacity: int | None = Field(default=None)  # seats on site (None: no limit)
    online_capacity: int | None = Field(default=None)  # seats online
    deadline: datetime | None = Field(default=None)  # acceptances close then (UTC)
    cancelled: bool = Field(default=False)
    own_cancel: bool = Field(default=False)  # a date of a series cancelled on its own (stays so if the series returns)
    sequence: int = Field(default=0)  # iCalendar SEQUENCE: grows with every change
    repeat: str = Field(default=Repeat.NONE, max_length=16)
    repeat_interval: int = Field(default=1)
    repeat_until: date | None = Field(default=None)  # last day of the series (local)
    series_ends_at: datetime | None = Field(default=None)  # end of the series' last possible occurrence (UTC)
    thread_id: int | None = Field(default=None, foreign_key='thread.id', ondelete='SET NULL')
    onsite_taken: int = Field(default=0)
    online_taken: int = Field(default=0)
    maybe_count: int = Field(default=0)
    waitlist_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventTag(SQLModel, table=True):
    __tablename__ = 'event_tag'
    __table_args__ = (Index('ix_event_tag_tag', 'tag_id', 'event_id'),)

    event_id: int = Field(primary_key=True, foreign_key='event.id', ondelete='CASCADE')
    tag_id: int = Field(primary_key=True, foreign_key='tag.id', ondelete='CASCADE')


class Rsvp(SQLModel, table=True):
    # The waitlist is read in order of joining; "my events" reads a member's answers.
    __table_args__ = (
        Index('ix_rsvp_event_answer_queued', 'event_id', 'answer', 'seat', 'queued_at'),
        Index('ix_rsvp_user_answer', 'user_id', 'answer'),
    )

    event_id: int = Field(primary_key=True, foreign_key='event.id', ondelete='CASCADE')
    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    answer: str = Field(max_length=8)
    seat: str = Field(default=Seat.ONSITE, max_length=8)
    queued_at: datetime = Field(default_factory=utcnow)  # when the member joined the waitlist (its order)
    answered_at: datetime = Field(default_factory=utcnow)
    reminded_at: datetime | None = Field(default=None)


class CalendarFeed(SQLModel, table=True):
    """A member's subscription address. Only a hash of its secret is stored; renewing changes the secret."""

    __tablename__ = 'calendar_feed'

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    version: int = Field(default=1)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    scope: str = Field(default=FeedScope.ACCEPTED, max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
