"""Password policy, hashing and verification."""

import pytest

from services import passwords
from services.errors import Invalid
from tests.conftest import FAST_ARGON2
from tests.services.conftest import PASSWORD


@pytest.mark.parametrize('password', [
    PASSWORD,
    'zehn-zeich',  # exactly the minimum length
    'abc' * 333 + 'd',  # exactly the maximum length
    'Mia.Muster-2026',  # contains the local part, but is not it
])
def test_policy_accepts_good_password(password):
    assert passwords.check_policy(password, email='mia.muster@essen.de') is None


def test_policy_refuses_empty_password():
    with pytest.raises(Invalid) as e:
        passwords.check_policy('')
    assert e.value.field == 'password' and 'Bitte geben' in e.value.message


def test_policy_refuses_password_under_10_characters():
    with pytest.raises(Invalid) as e:
        passwords.check_policy('neun-zeic')
    assert e.value.field == 'password' and e.value.params == {'n': 10}


def test_policy_refuses_password_over_1000_characters():
    with pytest.raises(Invalid) as e:
        passwords.check_policy('abc' * 333 + 'de')
    assert e.value.field == 'password' and e.value.params == {'n': 1000}


@pytest.mark.parametrize('password', ['mia.muster@essen.de', ' MIA.Muster@Essen.DE ', 'Mia.Muster'])
def test_policy_refuses_password_equal_to_email_or_its_local_part(password):
    with pytest.raises(Invalid) as e:
        passwords.check_policy(password, email='Mia.Muster@essen.de')
    assert e.value.field == 'password' and 'E-Mail-Adresse' in e.value.message


@pytest.mark.parametrize('password', ['passwort123', '1234567890', 'Passwort123', 'aaaaaaaaaaaa', 'abababababab'])
def test_policy_refuses_common_or_trivial_password(password):
    with pytest.raises(Invalid) as e:
        passwords.check_policy(password)
    assert e.value.field == 'password' and 'verbreitet' in e.value.message


def test_policy_reports_the_given_field():
    with pytest.raises(Invalid) as e:
        passwords.check_policy('kurz', field='new_password')
    assert e.value.field == 'new_password'


def test_hash_verifies_the_right_password():
    hashed = passwords.hash_password(PASSWORD)
    assert hashed != PASSWORD
    assert passwords.verify(PASSWORD, hashed) == (True, None)


def test_same_password_hashes_differently_each_time():
    assert passwords.hash_password(PASSWORD) != passwords.hash_password(PASSWORD)


def test_verify_wrong_password_is_false():
    assert passwords.verify('Andere-Frage-2026', passwords.hash_password(PASSWORD)) == (False, None)


@pytest.mark.parametrize('damage', ['truncated', 'garbage', 'empty', 'other-scheme', 'bad-checksum'])
def test_verify_against_damaged_hash_is_false(damage):
    good = passwords.hash_password(PASSWORD)
    damaged = {
        'truncated': good[:20],
        'garbage': 'not a hash at all',
        'empty': '',
        'other-scheme': '$2b$12$' + 'a' * 53,
        'bad-checksum': good[:-6] + ('AAAAAA' if not good.endswith('AAAAAA') else 'BBBBBB'),
    }[damage]
    assert passwords.verify(PASSWORD, damaged) == (False, None)


def test_production_params_make_an_argon2id_hash_with_64_mib_two_passes_one_lane():
    passwords.use_params(**passwords.ARGON2_PARAMS)
    try:
        hashed = passwords.hash_password(PASSWORD)
    finally:
        passwords.use_params(**FAST_ARGON2)
    assert hashed.startswith('$argon2id$v=19$')
    assert 'm=65536,t=2,p=1' in hashed
    ok, _ = passwords.verify(PASSWORD, hashed)
    assert ok


def test_outdated_hash_verifies_and_yields_a_new_hash():
    passwords.use_params(memory_cost=2048, time_cost=1, parallelism=1)
    try:
        old = passwords.hash_password(PASSWORD)
    finally:
        passwords.use_params(**FAST_ARGON2)
    ok, new = passwords.verify(PASSWORD, old)
    assert ok and new is not None and 'm=1024,t=1,p=1' in new
    assert passwords.verify(PASSWORD, new) == (True, None)
