"""Password hashing (Argon2id through passlib) and the password policy."""

import os
import threading
from functools import lru_cache
from pathlib import Path

from passlib.context import CryptContext

from services.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 1000

# Argon2id with 64 MiB, 2 passes and one lane: about 140 ms per hash on our 2-core machines. One lane keeps a hash
# on one core; with four lanes (RFC 9106's choice) twenty sign-ins at once starved the event loop for seconds.
ARGON2_PARAMS = {'memory_cost': 65536, 'time_cost': 2, 'parallelism': 1}

# At most cores-1 hashes run at once, so the event loop always has a core for everybody else's pages.
HASH_SLOTS = max(1, (os.cpu_count() or 2) - 1)
_slots = threading.BoundedSemaphore(HASH_SLOTS)

# Only argon2: passlib 1.7.4's bcrypt backend breaks with bcrypt 5 (ValueError in its self-test).
_context = CryptContext(schemes=['argon2'], deprecated='auto', argon2__type='ID',
                        **{f'argon2__{k}': v for k, v in ARGON2_PARAMS.items()})


def use_params(memory_cost: int, time_cost: int, parallelism: int) -> None:
    """Change the Argon2 cost (tests use a cheap one); existing hashes are upgraded at the next sign-in."""
    global _context
    _context = CryptContext(schemes=['argon2'], deprecated='auto', argon2__type='ID', argon2__memory_cost=memory_cost,
                            argon2__time_cost=time_cost, argon2__parallelism=parallelism)


def hash_password(password: str) -> str:
    """Slow on purpose: call it off the event loop and outside database transactions."""
    with _slots:
        return _context.hash(password)


def verify(password: str, password_hash: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one uses outdated parameters)."""
    with _slots:
        try:
            return _context.verify_and_update(password, password_hash)
        except (ValueError, TypeError):  # a damaged or foreign hash never matches
            return False, None


# A hash of nothing in particular: checking against it when an account does not exist makes a wrong e-mail
# address take as long as a wrong password, so timing does not reveal who has an account.
_dummy: dict[str, str] = {}


def dummy_hash() -> str:
    """Made with the current parameters, so it costs what a real check costs."""
    key = repr(_context.to_dict())
    if key not in _dummy:
        _dummy.clear()
        _dummy[key] = hash_password('not a real password, only for equal timing')
    return _dummy[key]


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name('common_passwords.txt')
    lines = path.read_text(encoding='utf-8').splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith('#'))


def check_policy(password: str, *, email: str = '', field: str = 'password') -> None:
    """Raise Invalid unless the password is long enough, not the e-mail address and not a well-known one."""
    if not password:
        raise Invalid(field, 'Bitte geben Sie ein Passwort ein.')
    if len(password) < MIN_LENGTH:
        raise Invalid(field, 'Das Passwort muss mindestens {n} Zeichen lang sein.', n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise Invalid(field, 'Das Passwort darf höchstens {n} Zeichen lang sein.', n=MAX_LENGTH)
    lowered = password.strip().lower()
    if email and (lowered == email.strip().lower() or lowered == email.strip().lower().split('@')[0]):
        raise Invalid(field, 'Das Passwort darf nicht Ihre E-Mail-Adresse sein.')
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        raise Invalid(field, 'Dieses Passwort ist zu verbreitet. Bitte wählen Sie ein anderes.')
