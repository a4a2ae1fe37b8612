"""The secrets in links (issue #8, item 6; ASVS V2.5, V3.5): invitation, password-reset, calendar-feed and mail-settings
links carry at least 128 random bits, the database keeps no usable copy, one-time links work once, and no code path
compares a secret with `==` (a lookup by hash or hmac.compare_digest instead)."""

import ast
import base64
import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from models.base import utcnow
from services import accounts, calendar_feed, db, outbox
from services.errors import Invalid, NotFound
from tests.services.conftest import PASSWORD

SERVICES = Path(__file__).resolve().parents[2] / 'services'


def _random_bytes(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + '=' * (-len(token) % 4))


def _database_dump(session) -> str:  # noqa: ANN001
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, sqlite3.Connection)
    return '\n'.join(connection.iterdump())


def _register(session, token: str, email: str) -> accounts.SignedIn:  # noqa: ANN001
    return accounts.register(session, name='Rita Register', email=email, password=PASSWORD, organization='Stadt Essen',
                             consent=True, invitation=token)


# ---------------------------------------------------------------- random and long enough


def test_invitation_and_reset_secrets_are_32_random_bytes_each_time_new(session, ada_admin, mia_member):
    invitations = [accounts.create_invitation(session, actor=ada_admin).token for _ in range(20)]
    resets = [accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id) for _ in range(3)]
    for token in invitations + resets:
        assert len(_random_bytes(token)) == 32  # 256 bits; ASVS asks for at least 128
    assert len(set(invitations + resets)) == 23


def test_feed_and_mail_settings_secrets_carry_at_least_128_bits(session, ada_admin, mia_member):
    feeds = {calendar_feed.my_feed(session, actor=mia_member).token,
             calendar_feed.my_feed(session, actor=ada_admin).token,
             calendar_feed.renew_feed(session, actor=mia_member).token}
    assert len(feeds) == 3
    # HMAC-SHA-256 under a 256-bit server key, cut to 192 bits: as unguessable as 192 random bits.
    assert all(len(bytes.fromhex(token)) * 8 >= 192 for token in feeds)
    mac = outbox.settings_token(mia_member.id).partition('-')[2]
    assert len(bytes.fromhex(mac)) * 8 >= 160
    assert outbox.settings_token(mia_member.id) != outbox.settings_token(ada_admin.id)


# ---------------------------------------------------------------- stored hashed


def test_the_database_keeps_only_hashes_of_link_secrets(session, ada_admin, mia_member):
    invitation = accounts.create_invitation(session, actor=ada_admin).token
    reset = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    feed = calendar_feed.my_feed(session, actor=mia_member).token
    dump = _database_dump(session)
    for token in (invitation, reset, feed):
        assert token not in dump
        assert hashlib.sha256(token.encode()).hexdigest() in dump  # what the lookups compare
    # And the hash opens nothing: it is not a link.
    assert not accounts.check_invitation(session, accounts.hash_token(invitation))
    assert not accounts.check_password_reset(session, accounts.hash_token(reset))


def test_migration_0007_replaces_stored_invitation_links_by_their_hashes(tmp_path):
    url = f'sqlite:///{tmp_path}/old.db'
    engine = db.configure(url)
    try:
        cfg = db.alembic_config(url)
        with engine.begin() as conn:
            cfg.attributes['connection'] = conn
            command.upgrade(cfg, '0006')
            conn.execute(text("INSERT INTO invitation (token, email, name, note, max_uses, use_count, created_at, "
                              "expires_at) VALUES ('handed-out-before-0007', '', '', 'alt', 1, 0, :now, :later)"),
                         {'now': utcnow(), 'later': utcnow() + timedelta(days=7)})
        db.upgrade(url)
        with engine.connect() as conn:
            columns = {row[1] for row in conn.exec_driver_sql('PRAGMA table_info(invitation)')}
            stored = conn.exec_driver_sql('SELECT token_hash FROM invitation').scalar_one()
        assert 'token' not in columns
        assert stored == hashlib.sha256(b'handed-out-before-0007').hexdigest()
        assert db.call(accounts.check_invitation, 'handed-out-before-0007')  # the link handed out still works
    finally:
        engine.dispose()


# ---------------------------------------------------------------- single use


def test_a_one_time_invitation_and_a_reset_link_work_once(session, ada_admin, mia_member):
    invitation = accounts.create_invitation(session, actor=ada_admin).token
    _register(session, invitation, 'rita@essen.de')
    with pytest.raises(Invalid) as refused:
        _register(session, invitation, 'rolf@essen.de')
    assert refused.value.field == 'invitation'
    session.rollback()

    reset = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    accounts.reset_password(session, token=reset, new_password='Neues-Kennwort-2027')
    with pytest.raises(Invalid):
        accounts.reset_password(session, token=reset, new_password='Noch-ein-Kennwort-2028')


def test_a_renewed_feed_address_stops_at_once(session, mia_member):
    old = calendar_feed.my_feed(session, actor=mia_member).token
    calendar_feed.feed_ics(session, token=old)
    new = calendar_feed.renew_feed(session, actor=mia_member).token
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token=old)
    assert calendar_feed.feed_ics(session, token=new).startswith(b'BEGIN:VCALENDAR')


# ---------------------------------------------------------------- compared in constant time


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding='utf-8'))
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def _secret_params(function: ast.FunctionDef) -> set[str]:
    args = function.args.args + function.args.kwonlyargs
    return {a.arg for a in args if 'token' in a.arg and 'hash' not in a.arg}


def _plain_comparisons(function: ast.FunctionDef) -> list[str]:
    """Comparisons of a secret parameter itself: == or != on either side, or `secret in known` (a byte-by-byte
    compare whose time tells how much of a guess was right). `'-' in secret` only checks the public format."""
    secret = _secret_params(function)
    found = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            sides = (left, right) if isinstance(op, ast.Eq | ast.NotEq) else (left,) if isinstance(
                op, ast.In | ast.NotIn) else ()
            if any(isinstance(o, ast.Name) and o.id in secret for o in sides):
                found.append(f'{function.name}, line {node.lineno}: {ast.unparse(node)}')
    return found


def _constant_time(function: ast.FunctionDef) -> bool:
    """compare_digest, or a lookup whose comparison is between hashes (hash_token(token) / _hash(token))."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, 'id', '')
            if name == 'compare_digest':
                return True
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if isinstance(operand, ast.Call) and 'hash' in ast.unparse(operand.func).lower() and any(
                        isinstance(a, ast.Name) and a.id in _secret_params(function) for a in operand.args):
                    return True
    return False


def test_no_service_compares_a_secret_with_equals():
    found = [hit for path in sorted(SERVICES.glob('*.py')) for f in _functions(path) for hit in _plain_comparisons(f)]
    assert found == []


@pytest.mark.parametrize(('module', 'function'), [
    ('accounts.py', '_valid_invitation'), ('accounts.py', '_live_reset'), ('calendar_feed.py', 'feed_ics'),
    ('outbox.py', 'user_of_token'),
])
def test_each_link_secret_is_checked_by_hash_lookup_or_compare_digest(module, function):
    [checker] = [f for f in _functions(SERVICES / module) if f.name == function]
    assert _constant_time(checker)


def test_the_checks_above_catch_a_plain_comparison():
    """The AST checks are not vacuous: a plain lookup of the secret is caught by both."""
    plain = ast.parse('def _valid(session, token):\n'
                      '    return session.exec(select(Invitation).where(Invitation.token == token)).first()\n'
                      'def _check(token):\n'
                      '    return "-" in token and (token == stored() or token in KNOWN)\n').body
    assert not _constant_time(plain[0])  # type: ignore[arg-type]
    assert _plain_comparisons(plain[1]) == ['_check, line 4: token == stored()',  # type: ignore[arg-type]
                                            '_check, line 4: token in KNOWN']
