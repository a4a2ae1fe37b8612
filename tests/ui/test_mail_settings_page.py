"""/mail-settings/{token}: the one-click link in every notification mail, usable without signing in."""

from nicegui.testing import User

from models.user import Role
from services import db, digest, outbox
from tests.ui.conftest import add_user


def _channels(user_id: int) -> dict[str, str]:
    return db.call(digest.preferences_by_token, token=outbox.settings_token(user_id)).channels


async def test_the_link_shows_the_member_and_stops_all_mail_without_sign_in(user: User):
    add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Member', 'mia@kreis-wesel.de')
    await user.open(f'/mail-settings/{outbox.settings_token(mia.id)}')
    await user.should_see('E-Mail-Einstellungen von Mia Member')
    await user.should_see('Sie erhalten derzeit E-Mails aus dem Netzwerk.')
    assert _channels(mia.id)['mention'] == 'email'
    user.find(marker='email-off').click()
    await user.should_see('Sie erhalten keine E-Mails aus dem Netzwerk; Benachrichtigungen sehen Sie in der App.')
    assert set(_channels(mia.id).values()) == {'app'}


async def test_one_kind_is_changed_at_once(user: User):
    add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Member', 'mia@kreis-wesel.de')
    await user.open(f'/mail-settings/{outbox.settings_token(mia.id)}')
    select = user.find(marker='mail-pref-reply').elements.pop()
    assert select.value == 'daily' and select.props['aria-label'] == 'Antworten in Themen, denen Sie folgen'
    select.value = 'weekly'
    await user.should_see('Gespeichert: Antworten in Themen, denen Sie folgen – Wöchentliche Übersicht per E-Mail.')
    assert _channels(mia.id)['reply'] == 'weekly'
    assert _channels(mia.id)['mention'] == 'email'


async def test_a_wrong_or_forged_link_is_not_found(user: User):
    ada = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mia = add_user('Mia Member', 'mia@kreis-wesel.de')
    forged = f'{ada.id}-' + outbox.settings_token(mia.id).split('-', 1)[1]
    for token in (forged, 'kaputt'):
        await user.open(f'/mail-settings/{token}')
        await user.should_see('Dieser Link ist ungültig.', retries=20)
        await user.should_not_see('E-Mail-Einstellungen von')
    assert _channels(ada.id)['mention'] == 'email'
