"""Figures for the administration's statistics page: one function per chart, administrators only.

Every function reads a bounded date range and lets the database count (GROUP BY). Weeks and months are the network's
local ones (Europe/Berlin, weeks from Monday): their limits are computed here as UTC instants and the database sorts
each row into its bucket with one CASE expression. That is the same SQL on SQLite and PostgreSQL and stays exact
across the DST change, where "date_trunc('week', …)" / "strftime(…)" would count in UTC weeks.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select, union
from sqlmodel import Session

from models.board import Post, Thread
from models.event import Event
from models.organization import Organization
from models.user import LoginAttempt, Status, User
from services import recurrence
from services.local_time import ZONE, day_start, today, week_start
from services.permissions import require_admin

WEEKS = 26
TOP_ORGANIZATIONS = 15
MONTHS_BACK = 6
MONTHS_AHEAD = 6
MAX_SERIES = 2000  # series are expanded here (their dates are not rows); more would be a data problem

U, O, P, T, E = User.__table__, Organization.__table__, Post.__table__, Thread.__table__, Event.__table__  # noqa: E741
LA = LoginAttempt.__table__


@dataclass(frozen=True)
class Share:
    """Members of one organisation or level. `label` is a name or a level as stored ('' for "without")."""

    label: str
    count: int


@dataclass(frozen=True)
class Shares:
    items: tuple[Share, ...]
    other: int  # the rest, beyond the top entries ("Andere")


@dataclass(frozen=True)
class Bucket:
    """One week (its Monday) or month (its first day) and its counts."""

    start: date
    values: tuple[int, ...]


def _bucket(column: Any, bounds: list[datetime]) -> Any:
    """The index of the bucket [bounds[i], bounds[i+1]) a time falls into (rows outside are filtered away)."""
    return case(*[(column < bound, i) for i, bound in enumerate(bounds[1:-1])], else_=len(bounds) - 2)


def _weeks(weeks: int, day: date | None) -> tuple[list[date], list[datetime]]:
    """The last `weeks` local weeks up to and including the current one: their Mondays and their limits in UTC."""
    last = week_start(day or today())
    mondays = [last - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    return mondays, [day_start(d) for d in [*mondays, last + timedelta(weeks=1)]]


def _filled(starts: list[date], rows: Any, width: int = 1) -> list[Bucket]:
    """Buckets with no rows get zeros."""
    found: dict[int, list[int]] = {}
    for row in rows:
        found[int(row[0])] = [int(v) for v in row[1:]]
    return [Bucket(start, tuple(found.get(i, [0] * width))) for i, start in enumerate(starts)]


def members_per_organization(session: Session, *, actor: Any, top: int = TOP_ORGANIZATIONS) -> Shares:
    """Active members of the `top` largest organisations; the rest (and members without one) as `other`."""
    require_admin(actor)
    counted = func.count().label('n')
    rows = session.execute(select(O.c.name, counted).select_from(U.join(O, O.c.id == U.c.organization_id))
                           .where(U.c.status == Status.ACTIVE).group_by(O.c.id, O.c.name)
                           .order_by(counted.desc(), O.c.name).limit(top)).all()
    total = session.execute(select(func.count()).select_from(U).where(U.c.status == Status.ACTIVE)).scalar_one()
    items = tuple(Share(name, n) for name, n in rows)
    return Shares(items, total - sum(s.count for s in items))


def members_per_level(session: Session, *, actor: Any) -> Shares:
    """Active members by their organisation's level (kommunal, regional, Land, Bund, sonstige); '' without one."""
    require_admin(actor)
    level = func.coalesce(O.c.level, literal('')).label('level')
    rows = session.execute(select(level, func.count()).select_from(U.outerjoin(O, O.c.id == U.c.organization_id))
                           .where(U.c.status == Status.ACTIVE).group_by(level).order_by(func.count().desc(), level)
                           .limit(50)).all()
    return Shares(tuple(Share(name, n) for name, n in rows), 0)


def new_members_per_week(session: Session, *, actor: Any, weeks: int = WEEKS, day: date | None = None) -> list[Bucket]:
    """Accounts created per local week (pending registrations not counted), the last `weeks` weeks, zero-filled."""
    require_admin(actor)
    starts, bounds = _weeks(weeks, day)
    bucket = _bucket(U.c.created_at, bounds).label('b')
    rows = session.execute(select(bucket, func.count()).where(U.c.created_at >= bounds[0], U.c.created_at < bounds[-1],
                                                              U.c.status != Status.PENDING).group_by(bucket)).all()
    return _filled(starts, rows)


def active_members_per_week(session: Session, *, actor: Any, weeks: int = WEEKS,
                            day: date | None = None) -> list[Bucket]:
    """Distinct members per week who signed in successfully or wrote a post."""
    require_admin(actor)
    starts, bounds = _weeks(weeks, day)
    signed_in = select(LA.c.user_id.label('uid'), _bucket(LA.c.at, bounds).label('b')).where(
        LA.c.success.is_(True), LA.c.user_id.is_not(None), LA.c.at >= bounds[0], LA.c.at < bounds[-1])
    wrote = select(P.c.author_id.label('uid'), _bucket(P.c.created_at, bounds).label('b')).where(
        P.c.author_id.is_not(None), P.c.created_at >= bounds[0], P.c.created_at < bounds[-1])
    both = union(signed_in, wrote).subquery()  # UNION drops the repeats: one row per member and week
    rows = session.execute(select(both.c.b, func.count()).group_by(both.c.b)).all()
    return _filled(starts, rows)


def threads_and_posts_per_week(session: Session, *, actor: Any, weeks: int = WEEKS,
                               day: date | None = None) -> list[Bucket]:
    """New threads and posts (questions and answers) per week, deleted ones not counted: values (threads, posts)."""
    require_admin(actor)
    starts, bounds = _weeks(weeks, day)
    tb = _bucket(T.c.created_at, bounds).label('b')
    threads = dict(session.execute(select(tb, func.count()).where(
        T.c.created_at >= bounds[0], T.c.created_at < bounds[-1], T.c.deleted.is_(False)).group_by(tb)).all())
    pb = _bucket(P.c.created_at, bounds).label('b')
    posts = dict(session.execute(select(pb, func.count()).where(
        P.c.created_at >= bounds[0], P.c.created_at < bounds[-1], P.c.deleted.is_(False)).group_by(pb)).all())
    return [Bucket(start, (int(threads.get(i, 0)), int(posts.get(i, 0)))) for i, start in enumerate(starts)]


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def events_per_month(session: Session, *, actor: Any, day: date | None = None) -> list[Bucket]:
    """Events that take place per local month, the last 6 months and the current one plus the 5 after it (12 in
    all); every date of a series counts, cancelled ones do not."""
    require_admin(actor)
    current = (day or today()).replace(day=1)
    starts = [_add_months(current, i) for i in range(-MONTHS_BACK, MONTHS_AHEAD)]
    bounds = [day_start(d) for d in [*starts, _add_months(current, MONTHS_AHEAD)]]
    lo, hi = bounds[0], bounds[-1]
    bucket = _bucket(E.c.starts_at, bounds).label('b')
    # Single events and the stored dates of series (moved or cancelled on their own): one row each.
    counts = dict(session.execute(select(bucket, func.count()).where(
        E.c.repeat == '', E.c.cancelled.is_(False), E.c.starts_at >= lo, E.c.starts_at < hi).group_by(bucket)).all())
    counts = {int(k): int(v) for k, v in counts.items()}
    series = session.execute(select(E.c.id, E.c.starts_at, E.c.repeat, E.c.repeat_interval, E.c.repeat_until)
                             .where(E.c.repeat != '', E.c.cancelled.is_(False), E.c.starts_at < hi,
                                    E.c.series_ends_at > lo).limit(MAX_SERIES)).all()
    if series:
        stored = set(session.execute(select(E.c.series_id, E.c.recurrence_start).where(
            E.c.series_id.is_not(None), E.c.recurrence_start.is_not(None))
            .where(E.c.series_id.in_([r[0] for r in series]))).all())
        stored = {(sid, _utc(at)) for sid, at in stored}
        for series_id, first, repeat, interval, until in series:
            if until is None:
                continue
            first_local = _utc(first).astimezone(ZONE)
            clock = first_local.timetz().replace(tzinfo=None)
            rule = recurrence.Rule(repeat, interval, until)
            for d in recurrence.occurrence_days(first_local.date(), rule, starts[0], _add_months(current,
                                                                                               MONTHS_AHEAD)):
                begins = datetime.combine(d, clock, ZONE).astimezone(UTC)
                if (series_id, begins) in stored or not lo <= begins < hi:
                    continue
                index = next(i for i in range(len(starts)) if bounds[i] <= begins < bounds[i + 1])
                counts[index] = counts.get(index, 0) + 1
    return [Bucket(start, (counts.get(i, 0),)) for i, start in enumerate(starts)]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
