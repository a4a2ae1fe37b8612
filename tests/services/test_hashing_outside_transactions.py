"""Password hashing is slow on purpose; it must never run while a database transaction holds a connection."""

import pytest

from services import accounts, passwords
from services import settings as site_settings
from services.errors import Invalid
from tests.services.conftest import PASSWORD


@pytest.fixture
def watch_hashing(session, monkeypatch):
    """Record, for every hash or check, whether the session was inside a transaction at that moment."""
    seen: list[bool] = []
    real_hash, real_verify = passwords.hash_password, passwords.verify

    def hash_password(password):
        seen.append(session.in_transaction())
        return real_hash(password)

    def verify(password, stored):
        seen.append(session.in_transaction())
        return real_verify(password, stored)

    monkeypatch.setattr(passwords, 'hash_password', hash_password)
    monkeypatch.setattr(passwords, 'verify', verify)
    return seen


def test_sign_in_checks_the_password_outside_a_transaction(session, mia_member, watch_hashing):
    accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip='10.0.0.1')
    assert watch_hashing == [False]


def test_registration_hashes_outside_a_transaction(session, ada_admin, watch_hashing):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    accounts.register(session, name='Ben Neu', email='ben@essen.de', password='Rathaus-Fenster-7',
                      organization='Stadt Essen', consent=True)
    assert watch_hashing == [False]


def test_password_change_hashes_outside_a_transaction(session, mia_member, watch_hashing):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    watch_hashing.clear()
    accounts.change_password(session, actor=signed.user, current_password=PASSWORD,
                             new_password='Neues-Kennwort-2027')
    assert watch_hashing == [False, False]


def test_invitation_for_a_named_address_refuses_another_address(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'invite'})
    invite = accounts.create_invitation(session, actor=ada_admin, email='ben@essen.de')
    with pytest.raises(Invalid) as e:
        accounts.register(session, name='Eve', email='eve@essen.de', password='Rathaus-Fenster-7',
                          organization='Stadt Essen', consent=True, invitation=invite.token)
    assert e.value.field == 'email'
    signed = accounts.register(session, name='Ben', email='BEN@essen.de', password='Rathaus-Fenster-7',
                               organization='Stadt Essen', consent=True, invitation=invite.token)
    assert signed.user.status == 'active'
