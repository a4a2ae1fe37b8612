"""A member fills in their profile in a real browser and finds themself by a topic."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import set_up_first_admin

LONG_NAME = 'Hochschule für Polizei und öffentliche Verwaltung des Landes Nordrhein-Westfalen'


def test_member_edits_profile_and_is_found_by_topic(server, browser):
    page = browser.new_page()
    set_up_first_admin(page, server)

    page.get_by_role('button', name=re.compile('Benutzermenü')).click()
    page.get_by_role('menuitem', name='Profil').click()
    expect(page.get_by_role('heading', name='Mein Profil')).to_be_visible()
    page.get_by_label('Verwaltung', exact=True).fill(LONG_NAME)
    page.keyboard.press('Enter')
    expect(page.locator('.q-menu')).to_have_count(0)  # the list closes once the choice is made
    page.get_by_label('Fachbereich / Amt').fill('Amt für Digitalisierung')
    for label, tag in (('Themen, an denen ich arbeite', 'Bürgerbeteiligung'), ('Ich kann helfen bei', 'E-Akte')):
        page.get_by_label(label).fill(tag)
        page.keyboard.press('Enter')
        expect(page.locator('.q-chip', has_text=tag)).to_be_visible()  # the server took the new tag
        page.keyboard.press('Escape')  # close the suggestion list before moving on
        expect(page.locator('.q-menu')).to_have_count(0)
    page.get_by_role('button', name='Profil speichern').click()
    expect(page.get_by_text('Profil gespeichert.')).to_be_visible()

    page.goto(f'{server}/members')
    # A name too long for the filter column is cut with an ellipsis, and its count stays on its line (Quasar's .flex
    # wraps unless told not to: the count once fell below the name).
    org = page.locator('[data-facet="org"] li').filter(has_text='Hochschule')
    expect(org).to_be_visible()
    link_height, row_height, cut = org.evaluate(
        "li => [li.querySelector('a').getBoundingClientRect().height, li.getBoundingClientRect().height, "
        "li.querySelector('a').scrollWidth > li.querySelector('a').clientWidth]")
    assert cut, 'the name fits: this check no longer tests a long name'
    assert row_height <= link_height + 1, (row_height, link_height)
    page.get_by_label('Suche nach Name, Thema, Amt, Verwaltung …').fill('Buergerbet')
    expect(page.get_by_text('1 Mitglied', exact=True)).to_be_visible()
    hit = page.get_by_role('list', name='Suchergebnisse').get_by_role('link', name='Ada Admin')
    expect(hit).to_be_visible()
    expect(page).to_have_url(re.compile(r'/members\?q=Buergerbet$'))  # the result is a link

    hit.click()
    expect(page.get_by_role('heading', name='Ada Admin', level=1)).to_be_visible()
    expect(page.get_by_text('Amt für Digitalisierung')).to_be_visible()
    page.get_by_role('link', name='E-Akte').click()  # a topic leads to everyone tagged with it
    expect(page).to_have_url(re.compile(r'/members\?topic=e-akte'))
    page.get_by_label('Suche nach Name, Thema, Amt, Verwaltung …').fill('Raumfahrt')
    expect(page.get_by_text('Keine Mitglieder gefunden.')).to_be_visible()
