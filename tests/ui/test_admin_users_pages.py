"""/admin/users and /admin/invitations as administrators see them; the reset link page; registering by invitation."""

import pytest
from nicegui.testing import User

from models.user import Role
from services import accounts, db
from services import organizations as orgs
from tests.ui.conftest import add_user, left_or_refused, set_settings, signed_in, wait_for

NEW_PASSWORD = 'Neues-Rathaus-Fenster-8'


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


def _pending(name: str, email: str) -> accounts.CurrentUser:
    return db.call(accounts.register, name=name, email=email, password='Rathaus-Fenster-7',
                   organization='Stadt Wesel', consent=True).user


def _org(name: str) -> int:
    with db.session() as s:
        org = orgs.find_or_add_organization(s, name)
        s.commit()
        return org.id


def _status(user_id: int) -> str:
    return db.call(accounts.get_user, user_id).status


async def test_filters_live_in_the_query_string(user: User, ada):
    add_user('Mo Moderator', 'mo@luenen.de', role=Role.MODERATOR)
    add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?role=moderator')
    await user.should_see('Mo Moderator')
    await user.should_not_see('Mia Mitglied')
    await user.should_see('1 Konten')
    user.find(marker='filter-q').type('mia')
    user.find(marker='filter-role').elements.pop().value = ''
    user.find(marker='apply-filters').click()
    await wait_for(lambda: user.back_history and user.back_history[-1] == '/admin/users?q=mia')
    await user.should_see('Mia Mitglied')
    await user.should_not_see('Mo Moderator')


async def test_admin_approves_one_and_rejects_others_in_bulk(user: User, ada):
    pia = _pending('Pia Wartend', 'pia@kreis-wesel.de')
    paul = _pending('Paul Wartend', 'paul@kreis-wesel.de')
    rolf = _pending('Rolf Wartend', 'rolf@kreis-wesel.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?status=pending')
    await user.should_see('3 Konten')
    user.find(marker=f'approve-{pia.id}').click()
    await user.should_see('Erledigt.')
    assert _status(pia.id) == 'active'
    user.find(marker=f'select-{paul.id}').click()
    user.find(marker=f'select-{rolf.id}').click()
    user.find(marker='bulk-reject').click()
    await user.should_see('0 Konten')
    assert _status(paul.id) == _status(rolf.id) == 'deleted'


async def test_admin_approves_several_in_bulk(user: User, ada):
    pia = _pending('Pia Wartend', 'pia@kreis-wesel.de')
    paul = _pending('Paul Wartend', 'paul@kreis-wesel.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?status=pending')
    user.find(marker='bulk-approve').click()
    await user.should_see('Bitte wählen Sie mindestens ein Konto.')
    user.find(marker=f'select-{pia.id}').click()
    user.find(marker=f'select-{paul.id}').click()
    user.find(marker='bulk-approve').click()
    await user.should_see('0 Konten')
    assert _status(pia.id) == _status(paul.id) == 'active'


async def test_admin_changes_a_role_and_cannot_demote_the_last_admin(user: User, ada):
    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users')
    user.find(marker=f'role-{mia.id}').elements.pop().value = 'moderator'
    await user.should_see('Erledigt.')
    assert db.call(accounts.get_user, mia.id).role == 'moderator'
    user.find(marker=f'role-{ada.id}').elements.pop().value = 'member'
    await user.should_see('Es muss mindestens eine aktive Administratorin oder einen Administrator geben.')
    assert db.call(accounts.get_user, ada.id).role == 'admin'


async def test_admin_gets_a_reset_link_that_sets_a_new_password(user: User, ada):
    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?q=mia')
    user.find(marker=f'reset-link-{mia.id}').click()
    await user.should_see(marker='reset-url')
    link = user.find(marker='reset-url').elements.pop().value
    assert '/reset/' in link
    path = '/reset/' + link.rsplit('/reset/', 1)[1]
    await user.open('/logout')
    user.find(marker='submit').click()
    await wait_for(lambda: user.back_history and user.back_history[-1] == '/login')

    await user.open(path)
    user.find(marker='field-new_password').type(NEW_PASSWORD)
    user.find(marker='field-repeat').type('Etwas-anderes-123')
    user.find(marker='submit').click()
    await user.should_see('Die beiden Passwörter stimmen nicht überein.')
    user.find(marker='field-repeat').clear().type(NEW_PASSWORD)
    user.find(marker='submit').click()
    await user.should_see(marker='reset-done')
    await signed_in(user, 'mia@luenen.de', NEW_PASSWORD)
    await user.open(path)
    await user.should_see(marker='reset-invalid')


async def test_a_bad_reset_link_says_so_without_a_form(user: User):
    await user.open('/reset/gibt-es-nicht')
    await user.should_see(marker='reset-invalid')
    await user.should_see('ungültig, abgelaufen oder schon benutzt')
    await user.should_not_see(marker='field-new_password')


@pytest.mark.parametrize('keep', [True, False])
async def test_admin_deletes_an_account_after_choosing_what_happens_to_the_posts(user: User, ada, keep, monkeypatch):
    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    calls: list[bool] = []
    real = accounts.delete_account

    def recording(session, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(kwargs['keep_posts'])
        return real(session, **kwargs)

    monkeypatch.setattr(accounts, 'delete_account', recording)
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?q=mia')
    user.find(marker=f'delete-{mia.id}').click()
    await user.should_see(marker='delete-dialog')
    assert _status(mia.id) == 'active'  # nothing happens before the confirmation
    user.find(marker='keep-posts').elements.pop().value = keep
    user.find(marker='confirm-delete').click()
    await user.should_see('Konto gelöscht.', retries=50)  # the deletion runs in a worker thread: give it 5 s
    assert _status(mia.id) == 'deleted' and calls == [keep]
    await user.should_not_see('Mia Mitglied')


@pytest.mark.parametrize('role', [Role.MEMBER, Role.MODERATOR])
async def test_members_and_moderators_are_sent_away_from_the_member_administration(user: User, ada, role):
    add_user('Mo Mitglied', 'mo@luenen.de', role=role)
    await signed_in(user, 'mo@luenen.de')
    for path in ('/admin/users', '/admin/invitations'):
        await user.open(path)
        await user.should_see('Willkommen, Mo Mitglied!')
        await user.should_not_see(marker='user-count')


# ---------------------------------------------------------------- invitations


async def test_admin_creates_a_multi_use_invitation_with_an_organisation_and_revokes_it(user: User, ada):
    org = _org('Stadt Lünen')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/invitations')
    user.find(marker='field-note').type('Workshop E-Akte')
    user.find(marker='field-organization_id').elements.pop().value = org
    user.find(marker='field-max_uses').elements.pop().value = 0
    user.find(marker='field-days').elements.pop().value = 400
    user.find(marker='create-invitation').click()
    await user.should_see('Erlaubt sind 1 bis 365.')
    user.find(marker='field-days').elements.pop().value = 30
    user.find(marker='create-invitation').click()
    await user.should_see(marker='invitation-link')
    await user.should_see('0 von ∞ genutzt')
    await user.should_see('Verwaltung: Stadt Lünen')
    link = user.find(marker='invitation-link').elements.pop().value
    token = link.rsplit('=', 1)[1]
    assert db.call(accounts.invitation_info, token).organization_id == org
    # Only the link's hash is stored: shown once in the dialog, never again in the list.
    await user.open('/admin/invitations')
    await user.should_see('Link nur bei Erstellung sichtbar')
    await user.should_not_see(marker='invitation-link')
    user.find(marker='revoke').click()
    await user.should_see('widerrufen')
    assert not db.call(accounts.check_invitation, token)


async def test_invitation_list_shows_who_joined(user: User, ada):
    invite = db.call(accounts.create_invitation, actor=ada, max_uses=5, note='Netzwerktreffen')
    db.call(accounts.register, name='Ben Neu', email='ben@bochum.de', password='Rathaus-Fenster-7',
            organization='Stadt Bochum', consent=True, invitation=invite.token)
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/invitations')
    await user.should_see('1 von 5 genutzt')
    await user.should_see('Beigetreten (1): Ben Neu')


async def test_registering_with_an_invitation_fixes_the_organisation_even_when_closed(user: User, ada):
    org = _org('Kreis Wesel')
    invite = db.call(accounts.create_invitation, actor=ada, organization_id=org, name='Ben Neu')
    set_settings(ada, registration_mode='closed')
    form_page = await user.open(f'/register?invite={invite.token}')
    await user.should_see(marker='invited')
    assert user.find(marker='field-name').elements.pop().value == 'Ben Neu'
    fixed = user.find(marker='fixed-organization').elements.pop()
    assert fixed.value == 'Kreis Wesel' and fixed.props.get('readonly') is True
    user.find(marker='field-email').type('ben@gmail.com')
    user.find(marker='field-password').type('Rathaus-Fenster-7')
    user.find(marker='field-consent').click()
    user.find(marker='submit').click()
    await left_or_refused(user, form_page)  # the sign-in passes /login/done, which hands out the new cookie
    await user.should_see('Willkommen, Ben Neu!')
    [row], _total = db.call(accounts.list_users, actor=ada, query='ben@gmail.com')
    assert (row.status, row.organization) == ('active', 'Kreis Wesel')


async def test_an_invalid_invitation_in_open_mode_says_so_and_still_offers_the_form(user: User, ada):
    set_settings(ada, registration_mode='open')
    await user.open('/register?invite=abgelaufen')
    await user.should_see(marker='invitation-invalid')
    await user.should_see(marker='field-organization')


async def test_reset_link_can_be_mailed_once_a_mail_server_is_set_up(user: User, ada):
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    from tests.services.test_mail import Inbox, _free_port

    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/users?q=mia')
    user.find(marker=f'reset-link-{mia.id}').click()
    await user.should_see(marker='reset-url')
    await user.should_not_see(marker='reset-mail')  # no mail server: the link is copied by hand

    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname='127.0.0.1', port=port)
    controller.start()
    try:
        set_settings(ada, smtp_host='127.0.0.1', smtp_port=port, smtp_security='none', smtp_sender='netz@essen.de')
        await user.open('/admin/users?q=mia')
        user.find(marker=f'reset-link-{mia.id}').click()
        await user.should_see(marker='reset-mail')
        link = user.find(marker='reset-url').elements.pop().value
        user.find(marker='reset-mail').click()
        await wait_for(lambda: len(inbox.envelopes) == 1, timeout=10)
        await user.should_see('Der Link ist per E-Mail an mia@luenen.de unterwegs.')
        body = message_from_bytes(inbox.envelopes[0].content).get_payload(decode=True).decode()
        assert link in body
    finally:
        controller.stop()
