"""Two colleagues exchange direct messages in two real browsers; each sees the other's message arrive without
reloading, and the writer sees "Gelesen" once it was read."""

import re
from pathlib import Path

from playwright.sync_api import expect

from models.user import Role
from services import accounts, db
from tests.browser.conftest import PASSWORD, set_up_first_admin, sign_in


def _add_member(server_data: Path) -> int:
    engine = db.make_engine(f'sqlite:///{server_data / "verwaltungsnetz.db"}')
    db.use_engine(engine)
    try:
        ada = db.call(accounts.get_user, 1)
        mia, _ = db.call(accounts.create_admin, email='mia@luenen.de', name='Mia Müller', password=PASSWORD)
        db.call(accounts.set_role, actor=ada, user_id=mia.id, role=Role.MEMBER)
        return mia.id
    finally:
        engine.dispose()


def test_two_members_exchange_messages_live(server, browser, tmp_path):
    ada = browser.new_context().new_page()
    set_up_first_admin(ada, server)
    mia_id = _add_member(tmp_path / 'data')

    # Ada starts from Mia's profile.
    ada.goto(f'{server}/members/{mia_id}')
    ada.get_by_role('button', name='Nachricht schreiben').click()
    expect(ada).to_have_url(re.compile(f'/messages\\?to={mia_id}$'))
    ada.get_by_label('Nachricht (Markdown)', exact=True).fill('Hallo Mia, habt ihr die **E-Akte** schon?')
    ada.get_by_role('button', name='Senden').click()
    expect(ada).to_have_url(re.compile('/messages/\\d+$'))
    conversation_url = ada.url
    ada_log = ada.get_by_role('log', name='Nachrichten')
    expect(ada_log.get_by_text('Hallo Mia, habt ihr die E-Akte schon?')).to_be_visible()
    expect(ada_log.locator('strong', has_text='E-Akte')).to_be_visible()

    # Mia sees it in her list, unread, and opens it.
    mia = browser.new_context().new_page()
    sign_in(mia, server, 'mia@luenen.de')
    mia.goto(f'{server}/messages')
    mia.get_by_role('link', name='Ada Admin (1 ungelesen)').click()
    expect(mia).to_have_url(conversation_url)
    mia_log = mia.get_by_role('log', name='Nachrichten')
    expect(mia_log.get_by_text('Hallo Mia, habt ihr die E-Akte schon?')).to_be_visible()

    # Ada's open page shows that Mia read it, without a reload.
    expect(ada_log.get_by_text('Gelesen', exact=True)).to_be_visible(timeout=10_000)

    # Mia answers with Ctrl+Enter; it appears on Ada's page at once.
    box = mia.get_by_label('Ihre Nachricht (Markdown)', exact=True)
    box.fill('Ja, seit März. Wir haben eine Scanstelle.')
    box.press('Control+Enter')
    expect(mia_log.get_by_text('Ja, seit März. Wir haben eine Scanstelle.')).to_be_visible()
    expect(box).to_have_value('')
    expect(ada_log.get_by_text('Ja, seit März. Wir haben eine Scanstelle.')).to_be_visible(timeout=10_000)

    # And back again with the button: Mia's page shows it without reloading.
    ada.get_by_label('Ihre Nachricht (Markdown)', exact=True).fill('Danke! Darf ich anrufen?')
    ada.get_by_role('button', name='Senden').click()
    expect(mia_log.get_by_text('Danke! Darf ich anrufen?')).to_be_visible(timeout=10_000)
    expect(ada_log.get_by_text('Gelesen', exact=True)).to_have_count(1)
    assert mia.url == conversation_url and ada.url == conversation_url

    # An unknown conversation is the friendly 404.
    response = ada.goto(f'{server}/messages/999999')
    assert response is not None and response.status == 404
    expect(ada.get_by_text('Diese Unterhaltung gibt es nicht.')).to_be_visible()
