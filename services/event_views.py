"""Read models of the calendar: plain values, safe to keep across awaits."""

from dataclasses import dataclass, field
from datetime import date, datetime

from services.board_views import AttachmentRef, AuthorRef, TagRef


@dataclass(slots=True)
class Occurrence:
    """One entry of the calendar: a single event, a stored occurrence, or a computed occurrence of a series.

    A month view makes about two thousand of these: a slotted, unfrozen dataclass is three times cheaper to build.
    """

    event_id: int  # the row: for a computed occurrence, its series
    on: date | None  # the local day of a computed occurrence (its address is /events/{series}?on=day)
    title: str
    starts_at: datetime  # aware UTC
    ends_at: datetime
    all_day: bool
    format: str
    cancelled: bool
    recurring: bool
    organization_id: int | None
    first_day: date  # local days the entry covers (a barcamp over three days shows on each)
    last_day: date
    my_answer: str = ''

    @property
    def url(self) -> str:
        return f'/events/{self.event_id}' + (f'?on={self.on.isoformat()}' if self.on else '')


@dataclass(frozen=True)
class Attendee:
    member: AuthorRef
    answer: str
    seat: str
    answered_at: datetime


@dataclass(frozen=True)
class MyAnswer:
    answer: str  # '' when not answered
    seat: str = ''
    position: int = 0  # place on the waitlist (1 = next to move up)
    event_id: int = 0  # the row the answer belongs to (a series' occurrence gets one on the first answer)


@dataclass(frozen=True)
class SeriesInfo:
    id: int
    kind: str
    interval: int
    first_day: date
    last_day: date
    next_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class EventView:
    id: int  # the row (for a computed occurrence: its series)
    on: date | None
    title: str
    description_html: str
    description: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    format: str
    location: str
    online_url: str
    organizer: AuthorRef | None
    organization_id: int | None
    organization: str
    capacity: int | None
    online_capacity: int | None
    onsite_taken: int
    online_taken: int
    maybe_count: int
    waitlist_count: int
    deadline: datetime | None
    cancelled: bool
    tags: tuple[TagRef, ...]
    series: SeriesInfo | None  # set on a series and on its occurrences
    is_series: bool  # the series itself (no date chosen): answers go to one of its dates
    moved: bool
    thread_id: int | None
    mine: MyAnswer
    can_edit: bool
    answer_blocked: str  # '' when the viewer may answer, else why not (catalogue key)
    past: bool
    attendees: tuple[Attendee, ...] = ()
    material: tuple[AttachmentRef, ...] = field(default=())
    sequence: int = 0

    @property
    def url(self) -> str:
        return f'/events/{self.id}' + (f'?on={self.on.isoformat()}' if self.on else '')


@dataclass(frozen=True)
class FeedInfo:
    token: str
    scope: str
