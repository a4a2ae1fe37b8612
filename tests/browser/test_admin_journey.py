"""An administrator renames the network and announces maintenance in one browser; a colleague's open page in another
browser shows both at once, without reloading."""

from pathlib import Path

from playwright.sync_api import expect

from models.user import Role
from services import accounts, db
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


def test_a_new_site_name_and_notice_reach_an_open_page_in_another_browser(server, browser, tmp_path):
    ada = browser.new_context().new_page()
    set_up_first_admin(ada, server)  # lands on /admin
    _add_member(tmp_path / 'data')

    mia = browser.new_context().new_page()
    sign_in(mia, server, 'mia@luenen.de')
    header = mia.locator('header')
    expect(header.get_by_role('link', name='Verwaltungsnetz')).to_be_visible()
    expect(mia.get_by_role('status').filter(has_text='Wartung')).to_have_count(0)
    mia.evaluate('window.vnNotReloaded = true')  # gone if the page were loaded again

    network = ada.locator('#group-network')
    network.get_by_label('Name des Netzwerks').fill('Kommunalnetz West')
    network.get_by_role('switch', name='Hinweis auf allen Seiten anzeigen').click()
    network.get_by_label('Text des Hinweises').fill('Heute ab 18 Uhr Wartung')
    network.get_by_role('button', name='Speichern').click()
    expect(ada.get_by_text('Gespeichert. Die Änderungen gelten ab sofort.')).to_be_visible()

    expect(header.get_by_role('link', name='Kommunalnetz West')).to_be_visible()
    expect(mia).to_have_title('Start · Kommunalnetz West')
    expect(mia.get_by_role('status').filter(has_text='Heute ab 18 Uhr Wartung')).to_be_visible()
    assert mia.evaluate('window.vnNotReloaded') is True
    # Ada's own page follows as well.
    expect(ada.locator('header').get_by_role('link', name='Kommunalnetz West')).to_be_visible()
