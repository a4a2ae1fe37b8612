"""The journeys a person takes end to end, in a real browser against `python main.py`."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, set_up_first_admin


def _sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f'{base}/login')
    page.get_by_label('E-Mail-Adresse').fill(email)
    page.get_by_label('Passwort', exact=True).fill(password)
    page.get_by_role('button', name='Anmelden').click()


def test_first_admin_sets_up_signs_out_and_signs_in_again(server, browser):
    page = browser.new_page()
    page.goto(server)
    expect(page).to_have_url(re.compile(r'/login\?next=%2F$'))
    page.get_by_role('link', name=re.compile('ersten Administrator anlegen')).click()
    set_up_first_admin(page, server, go_to_setup=False)

    page.get_by_role('button', name=re.compile('Benutzermenü')).click()
    page.get_by_role('menuitem', name='Abmelden').click()
    expect(page).to_have_url(re.compile('/login'))

    page.goto(f'{server}/setup')  # gone now that an administrator exists
    expect(page).to_have_url(re.compile('/login'))

    _sign_in(page, server, 'ADA@essen.de')
    expect(page.get_by_text('Willkommen, Ada Admin!')).to_be_visible()


def test_registration_approval_and_deactivation_reach_open_tabs(server, browser):
    admin = browser.new_context().new_page()
    set_up_first_admin(admin, server)

    member = browser.new_context().new_page()
    member.goto(f'{server}/register')
    member.get_by_label('Name').fill('Mia Mitglied')
    member.get_by_label('Dienstliche E-Mail-Adresse').fill('mia@luenen.de')
    member.get_by_label('Passwort (mindestens 10 Zeichen)').fill('Lippe-Ufer-Weg-12')
    member.get_by_label('Ihre Verwaltung (auswählen oder eingeben)').fill('Stadt Lünen')
    member.keyboard.press('Enter')
    expect(member.locator('.q-menu')).to_have_count(0)  # the list closes once the choice is made
    member.get_by_role('checkbox').click()
    member.get_by_role('button', name='Konto anlegen').click()
    expect(member.get_by_text('muss es noch freischalten')).to_be_visible()

    admin.goto(f'{server}/admin/users?status=pending')
    expect(admin.get_by_text('Mia Mitglied')).to_be_visible()
    expect(admin.get_by_text('mia@luenen.de · Stadt Lünen')).to_be_visible()
    admin.get_by_role('button', name='Freischalten', exact=True).click()
    expect(admin.get_by_text('Erledigt.')).to_be_visible()

    member.goto(server)
    expect(member.get_by_text('Willkommen, Mia Mitglied!')).to_be_visible()

    admin.goto(f'{server}/admin/users?q=mia')
    admin.get_by_role('button', name='Deaktivieren').click()
    # The member's open tab is sent to the sign-in page without reloading by hand.
    expect(member).to_have_url(re.compile('/login'))
    _sign_in(member, server, 'mia@luenen.de', 'Lippe-Ufer-Weg-12')
    expect(member.get_by_text('Dieses Konto ist deaktiviert')).to_be_visible()


def test_keyboard_user_can_skip_to_content_and_sign_in(server, browser):
    page = browser.new_page()
    page.goto(f'{server}/imprint')
    expect(page.get_by_role('heading', name='Impressum', level=1)).to_be_visible()
    page.keyboard.press('Tab')
    expect(page.get_by_role('link', name='Zum Inhalt springen')).to_be_focused()
    page.keyboard.press('Enter')
    expect(page.locator('#main')).to_be_focused()
    assert page.get_by_role('main').count() == 1
    expect(page.locator('html')).to_have_attribute('lang', 'de')

    page.goto(f'{server}/login')  # the e-mail field has the focus; Tab, typing and Enter are enough
    page.keyboard.type('nobody@essen.de')
    page.keyboard.press('Tab')
    page.keyboard.type('irgendein-Passwort')
    page.keyboard.press('Enter')
    expect(page.get_by_text('E-Mail-Adresse oder Passwort ist falsch.')).to_be_visible()
    page.get_by_role('button', name='English').click()
    expect(page.get_by_role('button', name='Sign in')).to_be_visible()
    expect(page.locator('html')).to_have_attribute('lang', re.compile('^en'))
