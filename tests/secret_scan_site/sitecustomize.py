"""Loaded by Python at start-up in servers that browser tests launch (tests/secret_scan.py puts this folder on their
PYTHONPATH): the server records the secrets it makes into a file, which the test run scans its log against."""

import os

if os.environ.get('VN_TEST_SECRETS_FILE'):
    from pathlib import Path

    from tests import secret_scan

    secret_scan.RECORDER.write_to = Path(os.environ['VN_TEST_SECRETS_FILE'])
    secret_scan.install_secret_wrappers()
