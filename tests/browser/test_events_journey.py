"""A member plans a meet-up in a real browser: creates it, finds it in the month, accepts it, downloads its .ics,
and a colleague lands on the waitlist and moves up when a seat is freed."""

import re
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from models.user import Role
from services import accounts, db
from services.local_time import today
from tests.browser.conftest import PASSWORD, set_up_first_admin, sign_in


def _add_member(server_data: Path) -> None:
    engine = db.make_engine(f'sqlite:///{server_data / "verwaltungsnetz.db"}')
    db.use_engine(engine)
    try:
        ada = db.call(accounts.get_user, 1)
        mia, _ = db.call(accounts.create_admin, email='mia@luenen.de', name='Mia Müller', password=PASSWORD)
        db.call(accounts.set_role, actor=ada, user_id=mia.id, role=Role.MEMBER)
    finally:
        engine.dispose()


def test_create_an_event_see_it_in_the_month_accept_it_and_download_its_ics(server, browser, tmp_path):
    ada = browser.new_context(accept_downloads=True).new_page()
    set_up_first_admin(ada, server)
    _add_member(tmp_path / 'data')
    day = today() + timedelta(days=9)

    # Ada plans a workshop with one seat.
    ada.goto(f'{server}/events')
    ada.get_by_role('button', name='Neue Veranstaltung').click()
    ada.get_by_label('Titel').fill('Workshop E-Akte: Scanstelle')
    ada.get_by_label('Beschreibung (Markdown)').fill('Wir teilen **Erfahrungen** mit der Scanstelle.')
    ada.get_by_label('Beginn: Datum').fill(day.isoformat())
    ada.get_by_label('Beginn: Uhrzeit').fill('10:00')
    ada.get_by_label('Ende: Datum').fill(day.isoformat())
    ada.get_by_label('Ende: Uhrzeit').fill('12:30')
    ada.get_by_label('Ort (Adresse, Raum)').fill('Lünen, Rathaus, Raum 104')
    ada.get_by_label('Plätze vor Ort (leer: unbegrenzt)').fill('1')
    ada.get_by_role('button', name='Veranstaltung anlegen').click()
    expect(ada.get_by_role('heading', name='Workshop E-Akte: Scanstelle', level=1)).to_be_visible()
    expect(ada.get_by_text('0 / 1 Plätze vor Ort')).to_be_visible()
    event_url = ada.url

    # It is in the month grid on its day, and the link leads back to it.
    ada.goto(f'{server}/events?view=month&date={day:%Y-%m}')
    cell = ada.locator('td.vn-cal-day', has=ada.get_by_role('link', name=re.compile(f'^\\w+, {day.day}\\. ')))
    expect(cell.get_by_role('link', name=re.compile('10:00 Workshop E-Akte'))).to_be_visible()
    cell.get_by_role('link', name=re.compile('10:00 Workshop E-Akte')).click()
    expect(ada).to_have_url(event_url)

    # Ada takes the only seat.
    ada.get_by_role('button', name='Zusage', exact=True).click()
    expect(ada.get_by_text('Sie haben zugesagt (vor Ort).')).to_be_visible()
    expect(ada.get_by_text('1 / 1 Plätze vor Ort')).to_be_visible()

    # The .ics is a real iCalendar file, 10:00 Berlin time.
    with ada.expect_download() as info:
        ada.get_by_role('link', name='In meinen Kalender (.ics)').click()
    parsed = Calendar.from_ical(Path(info.value.path()).read_bytes())
    vevent = next(c for c in parsed.walk('VEVENT'))
    assert str(vevent['SUMMARY']) == 'Workshop E-Akte: Scanstelle'
    start = vevent.decoded('DTSTART')
    assert (start.date(), start.hour, start.minute, str(start.tzinfo)) == (day, 10, 0, 'Europe/Berlin')
    assert any(c.name == 'VTIMEZONE' for c in parsed.walk())

    # Mia finds no seat and waits; when Ada declines, Mia moves up on her open page without reloading.
    mia = browser.new_context().new_page()
    sign_in(mia, server, 'mia@luenen.de')
    mia.goto(event_url)
    mia.get_by_role('button', name='Zusage', exact=True).click()
    expect(mia.get_by_text(re.compile('Platz 1 der Warteliste'))).to_be_visible()
    ada.get_by_role('button', name='Absage', exact=True).click()
    expect(ada.get_by_text('Sie haben abgesagt.')).to_be_visible()
    expect(mia.get_by_text('Sie haben zugesagt (vor Ort).')).to_be_visible(timeout=10_000)
    mia.goto(f'{server}/')
    expect(mia.get_by_text('Nachgerückt: Sie haben einen Platz bei „Workshop E-Akte: Scanstelle“.')).to_be_visible()
