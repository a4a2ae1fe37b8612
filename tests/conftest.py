"""Shared test set-up: cheap password hashing (production cost is covered by its own test and the benchmark)."""

import pytest

from services import passwords

FAST_ARGON2 = {'memory_cost': 1024, 'time_cost': 1, 'parallelism': 1}


@pytest.fixture(autouse=True, scope='session')
def _fast_password_hashing():
    passwords.use_params(**FAST_ARGON2)
    yield
    passwords.use_params(**passwords.ARGON2_PARAMS)
