"""The event calendar as members see it: month, week and list, filters, the event form, one event with answers and
the waitlist, a series, downloads, the start page and the calendar subscription on /account.

The tests run on 2026-11-28; dates are computed from `services.local_time.today()`. Events are made through the
services (naive Berlin wall-clock times, as the form sends them), answers too where the page is not under test.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from nicegui import app, ui
from nicegui.testing import User
from sqlalchemy import func, select

from models.event import Answer, Event, EventFormat, Repeat
from models.user import Role
from services import accounts, attendance, calendar_feed, db, events, notifications, organizations
from services.local_time import to_local
from services.local_time import today as local_today
from tests.ui.conftest import add_user, sign_in, wait_for

SLOW = 30  # should_see retries every 0.1 s: three seconds for what a click does in a worker thread
NAVIGATION = 10.0  # seconds for a click's navigation (the next page loads its data in a worker thread)
LIVE_WAIT = 50  # five seconds for a live update (LiveRefresh waits one second)
MONTHS = ('Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober',
          'November', 'Dezember')
NOT_FOUND_TEXT = 'Diese Veranstaltung gibt es nicht (mehr).'


@dataclass
class Network:
    ada: accounts.CurrentUser  # admin (and so moderator)
    mia: accounts.CurrentUser  # member, organises events
    ben: accounts.CurrentUser  # member
    kim: accounts.CurrentUser  # member


@pytest.fixture
def net(user: User) -> Network:
    ada = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Müller', 'mia@luenen.de')
    ben = add_user('Ben Becker', 'ben@essen.de')
    kim = add_user('Kim Klein', 'kim@dortmund.de')
    return Network(ada, mia, ben, kim)


def day_ahead(days: int) -> date:
    return local_today() + timedelta(days=days)


def next_month_day(day: int = 10, months: int = 1) -> date:
    """A day in a month after this one (always in the future)."""
    first = local_today().replace(day=1)
    for _ in range(months):
        first = (first + timedelta(days=32)).replace(day=1)
    return first.replace(day=day)


def next_month_wednesday() -> date:
    """The Wednesday of the week of next month's 10th: in the future, with Thursday in the same week."""
    tenth = next_month_day(10)
    return tenth - timedelta(days=tenth.weekday()) + timedelta(days=2)


def event_input(title: str, day: date, **changes: Any) -> events.EventInput:
    """A valid on-site event on `day`, 10:00-12:00 in Berlin, with the given changes."""
    base = events.EventInput(title=title, starts=datetime.combine(day, time(10)),
                             ends=datetime.combine(day, time(12)), location='Rathaus Essen, Raum 101')
    return replace(base, **changes)


def make_event(actor: accounts.CurrentUser, title: str, day: date, **changes: Any) -> int:
    return db.call(events.create_event, actor=actor, data=event_input(title, day, **changes))


def answer(actor: accounts.CurrentUser, event_id: int, value: str, **kwargs: Any) -> Any:
    return db.call(attendance.rsvp, actor=actor, event_id=event_id, answer=value, **kwargs)


def event_count() -> int:
    with db.session() as session:
        return session.execute(select(func.count()).select_from(Event)).scalar_one()


def _only(user: User, marker: str) -> ui.element:
    elements = user.find(marker=marker).elements
    assert len(elements) == 1, marker
    return next(iter(elements))


def _html(user: User, marker: str) -> str:
    element = _only(user, marker)
    assert isinstance(element, ui.html), marker
    return element.content


def _href(user: User, marker: str) -> str:
    return _only(user, marker).props['href']


async def signed_in(user: User, email: str) -> None:
    """conftest's `signed_in`, with more patience: the first sign-in of a run (cold start, password hashing in a
    worker thread) sometimes takes longer than the three default tries of `should_see`."""
    await sign_in(user, email)
    await user.should_see(marker='welcome', retries=100)


async def switch_to(user: User, email: str) -> None:
    """Sign out through /logout, then sign in as someone else."""
    await user.open('/logout')
    user.find(marker='submit').click()
    await wait_for(lambda: user.back_history[-1] == '/login', timeout=NAVIGATION)
    await signed_in(user, email)


async def _opened(user: User, path: str) -> None:
    """Wait until a click's navigation has arrived at the path."""
    try:
        await wait_for(lambda: user.back_history[-1] == path, timeout=NAVIGATION)
    except AssertionError:
        raise AssertionError(f'expected to arrive at {path}, still at {user.back_history[-1]}') from None


# ---------------------------------------------------------------- /events: month, week, list


async def test_month_view_shows_the_month_its_events_and_today(user: User, net: Network):
    today = local_today()
    day = next_month_day(10, months=2)  # its grid (from the Monday before the 1st) cannot reach today
    make_event(net.mia, 'Fachtag E-Akte', day)
    await signed_in(user, 'ben@essen.de')

    await user.open(f'/events?date={day:%Y-%m}')
    await user.should_see(marker='calendar-month')
    assert _only(user, 'period').text == f'{MONTHS[day.month - 1]} {day.year}'
    grid = _html(user, 'calendar-month')
    assert 'Fachtag E-Akte' in grid
    assert '10:00' in grid
    assert 'aria-current="date"' not in grid  # today is not in this grid
    assert _only(user, 'view-month').props.get('aria-current') == 'page'

    await user.open('/events')  # the default: this month, today marked
    assert _only(user, 'period').text == f'{MONTHS[today.month - 1]} {today.year}'
    grid = _html(user, 'calendar-month')
    assert re.search(r'<td class="vn-cal-day vn-today"[^>]*aria-current="date"', grid)
    assert grid.count('aria-current="date"') == 1
    assert f'aria-label="{_long_german(today)} (heute)"' in grid


def _long_german(day: date) -> str:
    weekdays = ('Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag')
    return f'{weekdays[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}'


async def test_more_than_three_events_on_a_day_link_to_the_week(user: User, net: Network):
    day = next_month_day(10)
    for n in range(4):
        make_event(net.mia, f'Sprechstunde {n + 1}', day, starts=datetime.combine(day, time(9 + n)),
                   ends=datetime.combine(day, time(9 + n, 30)))
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events?date={day:%Y-%m}')
    grid = _html(user, 'calendar-month')
    for n in (1, 2, 3):
        assert f'Sprechstunde {n}' in grid
    assert 'Sprechstunde 4' not in grid  # the fourth hides behind "+1 weitere"
    assert f'<a class="vn-cal-more" href="/events?view=week&amp;date={day.isoformat()}">+1 weitere</a>' in grid

    await user.open(f'/events?view=week&date={day.isoformat()}')  # where "+1 weitere" leads
    week = _html(user, 'calendar-week')
    for n in (1, 2, 3, 4):
        assert f'Sprechstunde {n} · vor Ort' in week


async def test_week_and_list_views_show_their_content(user: User, net: Network):
    day = next_month_wednesday()
    make_event(net.mia, 'Fachtag E-Akte', day)
    make_event(net.mia, 'Webinar Vergabe', day + timedelta(days=1), format=EventFormat.ONLINE, location='',
               online_url='https://meet.example.org/vergabe')
    await signed_in(user, 'ben@essen.de')

    await user.open(f'/events?view=week&date={day.isoformat()}')
    await user.should_not_see(marker='calendar-month')
    monday = day - timedelta(days=day.weekday())
    assert _only(user, 'period').text == f'{monday:%d.%m.%Y} – {monday + timedelta(days=6):%d.%m.%Y}'
    week = _html(user, 'calendar-week')
    assert 'Fachtag E-Akte · vor Ort' in week
    assert 'Webinar Vergabe · online' in week
    assert 'Keine Termine' in week  # the other days of the week
    assert _only(user, 'view-week').props.get('aria-current') == 'page'

    await user.open(f'/events?view=list&date={day.isoformat()}')
    listing = _html(user, 'calendar-list')
    assert _long_german(day) in listing
    assert _long_german(day + timedelta(days=1)) in listing
    assert listing.index('Fachtag E-Akte') < listing.index('Webinar Vergabe')
    assert '10:00–12:00' in listing

    await user.open(f'/events?view=list&date={(day + timedelta(days=40)).isoformat()}')
    assert 'In diesem Zeitraum gibt es keine Veranstaltungen.' in _html(user, 'calendar-list')


async def test_previous_and_next_keep_the_view_and_the_filters(user: User, net: Network):
    await signed_in(user, 'ben@essen.de')
    await user.open('/events?date=2026-12&format=online')
    assert _href(user, 'previous') == '/events?view=month&date=2026-11&format=online'
    assert _href(user, 'next') == '/events?view=month&date=2027-01&format=online'
    assert _href(user, 'view-week') == '/events?view=week&date=2026-12-01&format=online'

    await user.open('/events?view=week&date=2026-12-10')
    assert _href(user, 'previous') == '/events?view=week&date=2026-12-03'
    assert _href(user, 'next') == '/events?view=week&date=2026-12-17'
    assert _href(user, 'today') == f'/events?view=week&date={local_today().isoformat()}'

    await user.open('/events?view=list&date=2026-12-10&mine=1')
    assert _href(user, 'previous') == '/events?view=list&date=2026-11-09&mine=1'
    assert _href(user, 'next') == '/events?view=list&date=2027-01-10&mine=1'

    user.find(marker='next').click()  # the link leads there
    await _opened(user, '/events?view=list&date=2027-01-10&mine=1')
    await user.should_see(marker='calendar-list')
    assert _only(user, 'period').text == '10.01.2027 – 09.02.2027'


async def test_bad_values_in_the_address_show_this_month(user: User, net: Network, caplog):
    today = local_today()
    await signed_in(user, 'ben@essen.de')
    try:
        for query in ('date=garbage&view=nope&org=abc', 'date=2026-13&format=x&mine=yes&tag=' + 'x' * 300,
                      'date=9999-01-01&org=' + '9' * 25, 'date=0001-01&view=week'):
            response = await user.http_client.get(f'/events?{query}')
            assert response.status_code == 200, query
        await user.open('/events?date=garbage&view=nope&org=abc')
        await user.should_see(marker='calendar-month')
        assert _only(user, 'period').text == f'{MONTHS[today.month - 1]} {today.year}'
        assert 'aria-current="date"' in _html(user, 'calendar-month')
        assert _only(user, 'filter-org').value == 0  # "Alle Verwaltungen"
    finally:
        caplog.clear()  # a logged server error would break the teardown of the user fixture (see board tests)


# ---------------------------------------------------------------- filters


async def test_filter_mine_shows_only_events_i_answered(user: User, net: Network):
    day = next_month_day(10)
    accepted = make_event(net.mia, 'Fachtag E-Akte', day)
    maybe = make_event(net.mia, 'Workshop Bürgerdienste', day + timedelta(days=1))
    declined = make_event(net.mia, 'Netzwerktreffen Nord', day + timedelta(days=2))
    make_event(net.mia, 'Schulung Datenschutz', day + timedelta(days=3))
    answer(net.ben, accepted, Answer.YES)
    answer(net.ben, maybe, Answer.MAYBE)
    answer(net.ben, declined, Answer.NO)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events?date={day:%Y-%m}&mine=1')
    grid = _html(user, 'calendar-month')
    assert 'Fachtag E-Akte' in grid
    assert 'Workshop Bürgerdienste' in grid
    assert 'Netzwerktreffen Nord' not in grid
    assert 'Schulung Datenschutz' not in grid
    assert _only(user, 'filter-mine').value is True

    await user.open(f'/events?date={day:%Y-%m}')
    grid = _html(user, 'calendar-month')
    assert 'Netzwerktreffen Nord' in grid
    assert 'Schulung Datenschutz' in grid
    user.find(marker='filter-mine').click()  # ticking the box leads to the filtered address
    await _opened(user, f'/events?view=month&date={day:%Y-%m}&mine=1')
    grid = _html(user, 'calendar-month')
    assert 'Fachtag E-Akte' in grid
    assert 'Schulung Datenschutz' not in grid


async def test_filter_format_shows_only_online_events(user: User, net: Network):
    day = next_month_day(10)
    make_event(net.mia, 'Fachtag E-Akte', day)
    make_event(net.mia, 'Webinar Vergabe', day, format=EventFormat.ONLINE, location='',
               online_url='https://meet.example.org/vergabe')
    make_event(net.mia, 'Hybride Konferenz', day, format=EventFormat.HYBRID,
               online_url='https://meet.example.org/konferenz')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events?view=list&date={day.isoformat()}&format=online')
    listing = _html(user, 'calendar-list')
    assert 'Webinar Vergabe' in listing
    assert 'Fachtag E-Akte' not in listing
    assert 'Hybride Konferenz' not in listing
    assert _only(user, 'filter-format').value == 'online'

    await user.open(f'/events?view=list&date={day.isoformat()}')
    assert 'Hybride Konferenz' in _html(user, 'calendar-list')
    _only(user, 'filter-format').set_value('hybrid')  # choosing a format leads to the filtered address
    await _opened(user, f'/events?view=list&date={day.isoformat()}&format=hybrid')
    listing = _html(user, 'calendar-list')
    assert 'Hybride Konferenz' in listing
    assert 'Webinar Vergabe' not in listing


async def test_filter_organization_shows_only_its_events(user: User, net: Network):
    essen = db.call(organizations.create_organization, actor=net.ada, name='Stadt Essen').id
    wesel = db.call(organizations.create_organization, actor=net.ada, name='Kreis Wesel').id
    day = next_month_day(10)
    make_event(net.mia, 'Fachtag E-Akte', day, organization_id=essen)
    make_event(net.mia, 'Workshop Bürgerdienste', day, organization_id=wesel)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events?view=list&date={day.isoformat()}&org={essen}')
    listing = _html(user, 'calendar-list')
    assert 'Fachtag E-Akte' in listing
    assert 'Workshop Bürgerdienste' not in listing
    org_filter = _only(user, 'filter-org')
    assert org_filter.value == essen
    assert org_filter.options[essen] == 'Stadt Essen'


async def test_filter_tag_shows_only_events_with_the_tag(user: User, net: Network):
    day = next_month_day(10)
    make_event(net.mia, 'Fachtag E-Akte', day, tags=('Digitalisierung',))
    make_event(net.mia, 'Workshop Bürgerdienste', day, tags=('Bürgerservice',))
    (tag,) = [t for t in db.call(events.event_tags, viewer=net.ben) if t.name == 'Digitalisierung']
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events?view=list&date={day.isoformat()}&tag={tag.key}')
    listing = _html(user, 'calendar-list')
    assert 'Fachtag E-Akte' in listing
    assert 'Workshop Bürgerdienste' not in listing
    assert _only(user, 'filter-tag').value == tag.key


# ---------------------------------------------------------------- /events/new


async def _new_form(user: User) -> None:
    await user.open('/events/new')
    await user.should_see(marker='field-title')


def _errors(user: User) -> dict[str, str]:
    """The error shown beside each form field (hidden fields included), by the field's marker."""
    return {marker: element.props['error-message'] for element in user.current_layout.descendants()
            for marker in element._markers if element.props.get('error')}


async def test_creating_an_event_lands_on_its_page(user: User, net: Network):
    day = day_ahead(5)
    await signed_in(user, 'mia@luenen.de')
    await _new_form(user)
    assert _only(user, 'field-starts').value == day_ahead(1).isoformat()  # tomorrow, 10:00-12:00, by default
    user.find(marker='field-title').type('Fachtag E-Akte')
    user.find(marker='field-starts').clear().type(day.isoformat())
    user.find(marker='field-ends').clear().type(day.isoformat())
    user.find(marker='field-start_time').clear().type('14:00')
    user.find(marker='field-end_time').clear().type('16:30')
    user.find(marker='field-location').type('Rathaus Essen, Raum 101')
    user.find(marker='field-capacity').type('20')
    user.find(marker='submit').click()
    await wait_for(lambda: re.fullmatch(r'/events/\d+', user.back_history[-1]) is not None, timeout=NAVIGATION)
    event_id = int(user.back_history[-1].removeprefix('/events/'))
    await user.should_see('Fachtag E-Akte')
    assert '0 / 20 Plätze vor Ort' in _html(user, 'event-details')
    view = db.call(events.get_event, viewer=net.ben, event_id=event_id)
    assert (view.title, view.location, view.capacity, view.organizer.name) == (
        'Fachtag E-Akte', 'Rathaus Essen, Raum 101', 20, 'Mia Müller')
    assert (f'{to_local(view.starts_at):%Y-%m-%d %H:%M}', f'{to_local(view.ends_at):%H:%M}') == (
        f'{day.isoformat()} 14:00', '16:30')


@pytest.mark.parametrize(('fill', 'marker', 'message'), [
    ({'field-title': ''}, 'field-title', 'Bitte geben Sie einen Titel mit mindestens 3 Zeichen ein.'),
    ({'field-end_time': '09:00'}, 'field-ends', 'Das Ende muss nach dem Beginn liegen.'),
    ({'field-starts': 'yesterday', 'field-ends': 'yesterday'}, 'field-starts',
     'Der Beginn liegt in der Vergangenheit. Neue Veranstaltungen beginnen in der Zukunft.'),
    ({'field-format': EventFormat.ONLINE, 'field-online_url': 'http://meet.example.org/vergabe'}, 'field-online_url',
     'Bitte geben Sie einen vollständigen Link ein, der mit https:// beginnt.'),
    ({'field-capacity': 0}, 'field-capacity', 'Die Zahl der Plätze muss mindestens 1 sein (leer lassen: unbegrenzt).'),
], ids=['empty-title', 'end-before-start', 'start-in-past', 'http-link', 'capacity-0'])
async def test_invalid_event_is_refused_beside_the_field(user: User, net: Network, fill: dict, marker: str,
                                                        message: str):
    await signed_in(user, 'mia@luenen.de')
    await _new_form(user)
    values = {'field-title': 'Fachtag E-Akte', 'field-location': 'Rathaus Essen'} | fill
    for name, value in values.items():
        if value == 'yesterday':
            value = day_ahead(-1).isoformat()
        _only(user, name).set_value(value)
    user.find(marker='submit').click()
    await user.should_see(message, retries=SLOW)
    assert _errors(user) == {marker: message}  # beside the field concerned, and only there
    assert user.back_history[-1] == '/events/new'
    assert _only(user, 'field-title').value == values['field-title']  # what was typed stays
    assert event_count() == 0


# ---------------------------------------------------------------- /events/{id}


async def test_answering_yes_takes_a_seat_and_shows_on_the_start_page(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5), capacity=2)
    await signed_in(user, 'ben@essen.de')
    with user.scope(marker='my-events'):
        await user.should_see(content='Sie haben keinen Termin zugesagt.')
    await user.open(f'/events/{event_id}')
    await user.should_see('Fachtag E-Akte')
    assert '0 / 2 Plätze vor Ort' in _html(user, 'event-details')
    assert _only(user, 'my-status').text == 'Sie haben noch nicht geantwortet.'
    assert 'Noch keine Zusagen.' in _html(user, 'attendees')
    assert _only(user, 'answer-yes').props['aria-pressed'] == 'false'

    user.find(marker='answer-yes').click()
    await user.should_see('Sie haben zugesagt (vor Ort).', retries=LIVE_WAIT)
    await user.should_see(content='1 / 2 Plätze vor Ort', retries=SLOW)
    attendees = _html(user, 'attendees')
    assert 'Zusagen (1)' in attendees
    assert f'<a href="/members/{net.ben.id}">Ben Becker</a>' in attendees
    assert _only(user, 'answer-yes').props['aria-pressed'] == 'true'
    assert db.call(attendance.my_answer, net.ben.id, event_id).answer == Answer.YES

    await user.open('/')
    with user.scope(marker='my-events'):
        await user.should_see(content='Fachtag E-Akte')
        await user.should_not_see(content='Sie haben keinen Termin zugesagt.')


async def test_a_full_event_puts_me_on_the_waitlist_and_declining_frees_the_seat(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5), capacity=1)
    answer(net.kim, event_id, Answer.YES)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events/{event_id}')
    assert '1 / 1 Plätze vor Ort' in _html(user, 'event-details')
    assert 'Kim Klein' in _html(user, 'attendees')

    user.find(marker='answer-yes').click()
    await user.should_see(content='Platz 1 der Warteliste', retries=LIVE_WAIT)
    assert _only(user, 'my-status').text == ('Alle Plätze sind vergeben: Sie stehen auf Platz 1 der Warteliste und '
                                            'rücken automatisch nach.')
    await user.should_see(content='Warteliste (1)', retries=SLOW)
    attendees = _html(user, 'attendees')
    assert attendees.index('Kim Klein') < attendees.index('Ben Becker')
    assert db.call(attendance.my_answer, net.ben.id, event_id).answer == Answer.WAITLIST

    answer(net.kim, event_id, Answer.NO)  # Kim's seat goes to Ben, and his open page shows it
    await user.should_see('Sie haben zugesagt (vor Ort).', retries=LIVE_WAIT)
    assert db.call(attendance.my_answer, net.ben.id, event_id).answer == Answer.YES

    user.find(marker='answer-no').click()
    await user.should_see('Sie haben abgesagt.', retries=LIVE_WAIT)
    await user.should_see(content='0 / 1 Plätze vor Ort', retries=SLOW)
    assert 'Noch keine Zusagen.' in _html(user, 'attendees')
    view = db.call(events.get_event, viewer=net.mia, event_id=event_id)
    assert (view.onsite_taken, view.waitlist_count) == (0, 0)


async def test_organiser_sees_edit_cancel_and_csv_a_member_does_not(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5))
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events/{event_id}')
    await user.should_see(marker='ics-link')
    await user.should_see(marker='answer-yes')
    for marker in ('edit-event', 'cancel-event', 'csv-link'):
        await user.should_not_see(marker=marker)

    await switch_to(user, 'mia@luenen.de')
    await user.open(f'/events/{event_id}')
    for marker in ('edit-event', 'cancel-event', 'csv-link'):
        await user.should_see(marker=marker)
    assert _href(user, 'csv-link') == f'/events/{event_id}/attendees.csv'
    assert _href(user, 'ics-link') == f'/events/{event_id}.ics'
    user.find(marker='edit-event').click()
    await _opened(user, f'/events/{event_id}/edit')


async def test_organiser_cancels_an_event_through_the_dialog(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5))
    answer(net.ben, event_id, Answer.YES)
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/events/{event_id}')
    await user.should_not_see('Diese Veranstaltung wurde abgesagt.')
    user.find(marker='cancel-event').click()
    await user.should_see('Veranstaltung absagen?')
    user.find(marker='confirm-cancel').click()
    await user.should_see('Diese Veranstaltung wurde abgesagt.', retries=SLOW)
    await user.should_see(marker='cancelled-note')
    assert 'Abgesagt' in _html(user, 'event-marks')
    await user.should_see(marker='answer-blocked')  # no more answers
    await user.should_not_see(marker='answer-yes')
    assert db.call(events.get_event, viewer=net.ben, event_id=event_id).cancelled
    notices = db.call(notifications.unread, viewer=net.ben)
    assert [(n.text, n.params) for n in notices] == [('Abgesagt: „{title}“', {'title': 'Fachtag E-Akte'})]


# ---------------------------------------------------------------- series and unknown addresses


def _weekly(actor: accounts.CurrentUser, title: str = 'Offene Sprechstunde') -> tuple[int, date]:
    """A weekly series from a day a week ahead for ten weeks; returns its id and its first day."""
    first = day_ahead(7)
    series_id = make_event(actor, title, first, repeat=Repeat.WEEKLY, repeat_until=first + timedelta(weeks=9))
    return series_id, first


async def test_series_page_lists_its_next_dates_and_one_date_takes_answers(user: User, net: Network):
    series_id, first = _weekly(net.mia)
    second = first + timedelta(weeks=1)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events/{series_id}')
    await user.should_see('Nächste Termine')
    dates = _html(user, 'series-dates')
    assert f'<a href="/events/{series_id}?on={first.isoformat()}">{_long_german(first)}</a>' in dates
    assert f'/events/{series_id}?on={second.isoformat()}' in dates
    assert dates.count('<li>') == 8
    assert _only(user, 'answer-blocked').text == 'Bitte wählen Sie einen Termin der Serie.'
    await user.should_not_see(marker='answer-yes')
    assert 'Wiederholt sich wöchentlich' in _html(user, 'event-details')

    await user.open(f'/events/{series_id}?on={second.isoformat()}')
    await user.should_see(marker='answer-yes')
    await user.should_not_see(marker='answer-blocked')
    await user.should_not_see(marker='series-dates')
    assert _long_german(second) in _html(user, 'event-details')
    user.find(marker='answer-yes').click()  # the date gets a row of its own: its page follows
    await wait_for(lambda: re.fullmatch(r'/events/\d+', user.back_history[-1]) is not None
                   and user.back_history[-1] != f'/events/{series_id}', timeout=NAVIGATION)
    await user.should_see('Sie haben zugesagt (vor Ort).', retries=SLOW)
    await user.should_see(marker='series-link')
    assert _href(user, 'series-link') == f'/events/{series_id}'


async def test_unknown_events_and_dates_give_not_found(user: User, net: Network, caplog):
    series_id, first = _weekly(net.mia)
    await signed_in(user, 'ben@essen.de')
    try:
        for path in (f'/events/{series_id}?on={(first + timedelta(days=1)).isoformat()}',
                     f'/events/{series_id}?on=garbage', '/events/999999', '/events/abc', '/events/0',
                     '/events/' + '9' * 20, '/events/999999/edit', '/events/abc/edit'):
            response = await user.http_client.get(path)
            assert response.status_code == 404, path
            assert NOT_FOUND_TEXT in response.text, path
            assert 'Zum Kalender' in response.text, path
        response = await user.http_client.get(f'/events/{series_id}?on={(first + timedelta(weeks=1)).isoformat()}')
        assert response.status_code == 200
    finally:
        caplog.clear()


# ---------------------------------------------------------------- downloads


async def test_event_ics_and_attendee_csv_downloads(user: User, net: Network, caplog):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5))
    answer(net.ben, event_id, Answer.YES)
    try:
        await signed_in(user, 'ben@essen.de')
        response = await user.http_client.get(f'/events/{event_id}.ics')
        assert response.status_code == 200
        assert response.headers['content-type'].startswith('text/calendar')
        assert response.headers['content-disposition'].startswith('attachment;')
        assert 'BEGIN:VCALENDAR' in response.text and 'SUMMARY:Fachtag E-Akte' in response.text
        assert (await user.http_client.get('/events/999999.ics')).status_code == 404
        assert (await user.http_client.get(f'/events/{event_id}/attendees.csv')).status_code == 403

        await switch_to(user, 'mia@luenen.de')
        response = await user.http_client.get(f'/events/{event_id}/attendees.csv')
        assert response.status_code == 200
        assert response.headers['content-type'].startswith('text/csv')
        lines = response.content.decode('utf-8-sig').splitlines()
        assert lines[0] == 'Name;Verwaltung;Antwort;Teilnahme;Geantwortet am'
        assert lines[1].startswith('Ben Becker;;Zusage;vor Ort;')
        assert (await user.http_client.get('/events/999999/attendees.csv')).status_code == 404
    finally:
        caplog.clear()


async def test_calendar_feed_answers_to_its_secret_only(user: User, net: Network):
    make_event(net.mia, 'Fachtag E-Akte', day_ahead(5))
    token = db.call(calendar_feed.my_feed, actor=net.ben).token
    # No session cookie: calendar programs send none.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        response = await client.get(f'/calendar/{token}.ics')
        assert response.status_code == 200
        assert response.headers['content-type'].startswith('text/calendar')
        assert 'BEGIN:VCALENDAR' in response.text
        wrong = ('0' if token[0] != '0' else '1') + token[1:]
        assert (await client.get(f'/calendar/{wrong}.ics')).status_code == 404
        assert (await client.get('/calendar/abc.ics')).status_code == 404


# ---------------------------------------------------------------- /events/{id}/edit


async def test_a_member_may_not_edit_someone_elses_event(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5))
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events/{event_id}/edit')
    await user.should_see(marker='not-allowed')
    assert _only(user, 'not-allowed').text == \
        'Nur die Organisation der Veranstaltung und die Moderation können sie ändern.'
    await user.should_not_see(marker='field-title')
    await user.should_not_see(marker='submit')


async def test_organiser_edits_the_title(user: User, net: Network):
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5), capacity=30)
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/events/{event_id}/edit')
    assert _only(user, 'field-title').value == 'Fachtag E-Akte'
    assert _only(user, 'field-location').value == 'Rathaus Essen, Raum 101'
    assert _only(user, 'field-capacity').value == 30
    assert _only(user, 'field-starts').value == day_ahead(5).isoformat()
    assert _only(user, 'field-start_time').value == '10:00'
    user.find(marker='field-title').clear().type('Fachtag E-Akte 2027')
    user.find(marker='submit').click()
    await _opened(user, f'/events/{event_id}')
    await user.should_see('Fachtag E-Akte 2027', retries=SLOW)
    view = db.call(events.get_event, viewer=net.ben, event_id=event_id)
    assert (view.title, view.capacity, view.location) == ('Fachtag E-Akte 2027', 30, 'Rathaus Essen, Raum 101')
    assert f'{to_local(view.starts_at):%H:%M}' == '10:00'


# ---------------------------------------------------------------- start page


async def test_start_page_shows_my_events_and_notices_until_read(user: User, net: Network):
    full = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5), capacity=1)
    other = make_event(net.mia, 'Workshop Bürgerdienste', day_ahead(6))
    answer(net.kim, full, Answer.YES)
    answer(net.ben, full, Answer.YES)  # waitlist
    answer(net.kim, full, Answer.NO)  # Ben moves up and is told
    with db.session() as session:
        notifications.notify(session, [net.ben.id], kind='event.changed', text=events.MSG_CHANGED,
                             url=f'/events/{other}', title='Workshop Bürgerdienste')
        session.commit()
    await signed_in(user, 'ben@essen.de')
    with user.scope(marker='notices'):
        await user.should_see('Nachgerückt: Sie haben einen Platz bei „Fachtag E-Akte“.')
        await user.should_see('Geändert: „Workshop Bürgerdienste“')
    links = {text: href for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', _only(
        user, 'notice-list').content)}
    assert links == {'Nachgerückt: Sie haben einen Platz bei „Fachtag E-Akte“.': f'/events/{full}',
                     'Geändert: „Workshop Bürgerdienste“': f'/events/{other}'}
    my_events = _html_within(user, 'my-events')
    assert 'Fachtag E-Akte' in my_events
    assert 'Workshop Bürgerdienste' not in my_events  # not answered
    next_events = _html_within(user, 'next-events')
    assert next_events.index('Fachtag E-Akte') < next_events.index('Workshop Bürgerdienste')

    user.find(marker='notices-read').click()
    with user.scope(marker='notices'):
        await user.should_see('Alles gelesen.', retries=SLOW)
    await user.should_not_see(marker='notice-list')
    assert db.call(notifications.unread, viewer=net.ben) == []
    await user.open('/')
    await user.should_see(marker='my-events')
    await user.should_not_see(marker='notices')


def _html_within(user: User, marker: str) -> str:
    """The HTML blocks inside a marked section, joined."""
    return ' '.join(e.content for e in _only(user, marker).descendants() if isinstance(e, ui.html))


# ---------------------------------------------------------------- /account


async def test_account_shows_the_feed_address_and_renewing_changes_it(user: User, net: Network):
    await signed_in(user, 'ben@essen.de')
    await user.open('/account')
    await user.should_see(marker='calendar-feed')
    first = _only(user, 'feed-url').value
    token = db.call(calendar_feed.my_feed, actor=net.ben).token
    assert re.fullmatch(r'https?://[^/]+/calendar/[0-9a-f]{48}\.ics', first)
    assert first.endswith(f'/calendar/{token}.ics')

    user.find(marker='feed-renew').click()
    await user.should_see('Neue Adresse erzeugt. Die bisherige funktioniert nicht mehr.', retries=SLOW)
    await wait_for(lambda: _only(user, 'feed-url').value != first)  # the address is redrawn in a background task
    second = _only(user, 'feed-url').value
    assert '/calendar/' in second and second.endswith('.ics')
    assert second != first
    assert second.endswith(f'/calendar/{db.call(calendar_feed.my_feed, actor=net.ben).token}.ics')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        assert (await client.get(f'/calendar/{token}.ics')).status_code == 404  # the old address stops at once
        assert (await client.get('/' + second.split('/', 3)[3])).status_code == 200
