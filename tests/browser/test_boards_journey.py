"""Two members on the boards in real browsers: one asks, the other answers, and the answer appears live."""

import re
from pathlib import Path

from playwright.sync_api import expect

from models.user import Role
from services import accounts, boards, db
from tests.browser.conftest import PASSWORD, set_up_first_admin, sign_in


def _prepare_network(server_data: Path) -> None:
    """What an administrator would do before the journey: a board and a second member (services, same database)."""
    engine = db.make_engine(f'sqlite:///{server_data / "verwaltungsnetz.db"}')
    db.use_engine(engine)
    try:
        ada = db.call(accounts.get_user, 1)
        mia, _ = db.call(accounts.create_admin, email='mia@luenen.de', name='Mia Müller', password=PASSWORD)
        db.call(accounts.set_role, actor=ada, user_id=mia.id, role=Role.MEMBER)
        db.call(boards.create_board, actor=ada, name='Digitalisierung & OZG',
                description='E-Akte, OZG-Leistungen, digitale Verfahren')
    finally:
        engine.dispose()


def test_a_reply_appears_live_for_the_member_who_asked(server, browser, tmp_path):
    ada = browser.new_context().new_page()
    set_up_first_admin(ada, server)
    _prepare_network(tmp_path / 'data')

    # Ada asks.
    ada.goto(f'{server}/boards')
    ada.get_by_role('link', name='Digitalisierung & OZG').click()
    ada.get_by_role('button', name='Neues Thema').click()
    ada.get_by_label('Titel: Ihre Frage in einem Satz').fill('Wie organisiert ihr die Scanstelle für die E-Akte?')
    ada.get_by_label('Ihr Beitrag').fill('Hallo zusammen,\n\nwir starten 2027 mit der **E-Akte**.')
    ada.get_by_role('button', name='Thema erstellen').click()
    expect(ada.get_by_role('heading', name='Wie organisiert ihr die Scanstelle für die E-Akte?', level=1)
           ).to_be_visible()
    expect(ada.get_by_text('Noch keine Antworten. Wissen Sie weiter?')).to_be_visible()

    # Mia sees it as new and answers.
    mia = browser.new_context().new_page()
    sign_in(mia, server, 'mia@luenen.de')
    mia.goto(f'{server}/boards')
    expect(mia.get_by_text('1 neu')).to_be_visible()
    mia.get_by_role('link', name='Digitalisierung & OZG').click()
    mia.get_by_role('link', name='Wie organisiert ihr die Scanstelle für die E-Akte?').click()
    mia.get_by_role('button', name='Antwort schreiben').click()
    mia.get_by_label('Ihre Antwort').fill('Bei uns in Lünen scannt eine zentrale Scanstelle die Posteingänge.')
    mia.get_by_role('button', name='Antwort senden').click()
    expect(mia.get_by_role('article', name='Beitrag 2')).to_be_visible()

    # Ada's open page shows the answer without a reload, below what she was reading.
    answer = ada.get_by_role('article', name='Beitrag 2')
    expect(answer).to_contain_text('zentrale Scanstelle', timeout=5_000)
    expect(ada.get_by_text('Noch keine Antworten. Wissen Sie weiter?')).to_have_count(0)

    # She marks it as the solution; Mia's page shows the solution under the question.
    ada.get_by_role('button', name='Aktionen zu Beitrag 2').click()
    ada.get_by_role('menuitem', name='Als Lösung markieren').click()
    expect(mia.get_by_role('heading', name='Lösung', level=2)).to_be_visible(timeout=5_000)

    # Anyone finds it again, German-aware: "Luenen" matches "Lünen".
    mia.goto(f'{server}/search?q=Luenen+Scanstelle')
    hits = mia.get_by_role('list', name='Suchergebnisse')
    expect(hits.locator('mark').first).to_be_visible()
    hits.get_by_role('link', name='Wie organisiert ihr die Scanstelle für die E-Akte?').click()
    expect(mia).to_have_url(re.compile(r'/threads/\d+\?page=1#post-2$'))
