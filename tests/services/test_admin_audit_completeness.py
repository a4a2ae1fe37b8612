"""Each administration action writes exactly one audit entry, naming the action, the actor and the target.

One table, one call per row on a small network. The services' own tests check the entries' details; this one makes
sure no action is left unrecorded or recorded twice (e.g. a bulk action, or an action built from smaller ones).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.user import Role, Status
from services import accounts, audit, boards, files, member_import, moderation, posts
from services import organizations as orgs
from services import settings as site_settings
from tests.services.conftest import make_user


@dataclass
class World:
    admin: Any
    member: Any
    reporter: Any
    pending: list[Any]
    org_a: int
    org_b: int
    board: int
    other_board: int
    thread: int
    reply: int
    report: int


def _png() -> bytes:
    out = BytesIO()
    Image.new('RGB', (40, 20), (10, 90, 160)).save(out, 'PNG')
    return out.getvalue()


@pytest.fixture
def world(session: Session, tmp_path) -> World:  # noqa: ANN001
    files.configure(tmp_path)  # logos are stored in the data folder
    admin = make_user(session, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    member = make_user(session, 'Mia Member', 'mia@kreis-wesel.de')
    reporter = make_user(session, 'Olaf Other', 'olaf@luenen.de')
    pending = [make_user(session, f'Pia {i}', f'pia{i}@essen.de', status=Status.PENDING) for i in range(3)]
    org_a = orgs.create_organization(session, actor=admin, name='Stadt Hamm').id
    org_b = orgs.create_organization(session, actor=admin, name='Stadt Hamm (alt)').id
    board = boards.create_board(session, actor=admin, name='Digitales').id
    other_board = boards.create_board(session, actor=admin, name='Personal').id
    thread = boards.create_thread(session, actor=member, board_id=board, title='Wer nutzt die E-Akte?', body='Frage')
    reply = posts.reply(session, actor=member, thread_id=thread, body='Wir seit 2024.').id
    report = moderation.report_post(session, actor=reporter, post_id=reply, reason='Werbung')
    return World(admin, member, reporter, pending, org_a, org_b, board, other_board, thread, reply, report)


def _invitation(s: Session, w: World) -> int:
    return accounts.create_invitation(s, actor=w.admin, note='Workshop').id


def _parsed() -> member_import.Parsed:
    return member_import.parse_csv(b'Name;E-Mail;Verwaltung\nJana Neu;jana@hamm.de;Stadt Hamm\n')


# (action recorded, call); a call may prepare something first (its own entries are counted before the action).
CASES: dict[str, tuple[str, Callable[[Session, World], Any]]] = {
    'approve one': ('user.approved', lambda s, w: accounts.approve_user(s, actor=w.admin, user_id=w.pending[0].id)),
    'approve several': ('user.approved', lambda s, w: accounts.approve_users(
        s, actor=w.admin, user_ids=[p.id for p in w.pending])),
    'reject one': ('user.rejected', lambda s, w: accounts.reject_user(s, actor=w.admin, user_id=w.pending[0].id)),
    'reject several': ('user.rejected', lambda s, w: accounts.reject_users(
        s, actor=w.admin, user_ids=[p.id for p in w.pending])),
    'deactivate': ('user.deactivated', lambda s, w: accounts.deactivate_user(s, actor=w.admin, user_id=w.member.id)),
    'change role': ('user.role_changed', lambda s, w: accounts.set_role(
        s, actor=w.admin, user_id=w.member.id, role='moderator')),
    'reset link': ('user.password_reset_created', lambda s, w: accounts.create_password_reset(
        s, actor=w.admin, user_id=w.member.id)),
    'delete keeping posts': ('user.deleted', lambda s, w: accounts.delete_account(
        s, actor=w.admin, user_id=w.member.id, keep_posts=True)),
    'delete with posts': ('user.deleted', lambda s, w: accounts.delete_account(
        s, actor=w.admin, user_id=w.member.id, keep_posts=False)),
    'create invitation': ('invitation.created', _invitation),
    'change a setting': ('setting.changed', lambda s, w: site_settings.update_settings(
        s, actor=w.admin, values={'site_name': 'Netz Ruhr', 'notice_text': ''})),
    'change a secret': ('setting.changed', lambda s, w: site_settings.update_settings(
        s, actor=w.admin, values={'smtp_password': 'geheim-123'})),
    'logo': ('setting.changed', lambda s, w: site_settings.set_logo(s, actor=w.admin, data=_png())),
    'create board': ('board.create', lambda s, w: boards.create_board(s, actor=w.admin, name='Klima')),
    'edit board': ('board.update', lambda s, w: boards.update_board(
        s, actor=w.admin, board_id=w.board, name='Digitales & OZG', moderators_only=True)),
    'archive board': ('board.archive', lambda s, w: boards.archive_board(s, actor=w.admin, board_id=w.board)),
    'order boards': ('board.move', lambda s, w: boards.move_board(s, actor=w.admin, board_id=w.other_board,
                                                                  offset=-1)),
    'create organisation': ('organization.created', lambda s, w: orgs.create_organization(
        s, actor=w.admin, name='Kreis Unna')),
    'edit organisation': ('organization.updated', lambda s, w: orgs.update_organization(
        s, actor=w.admin, org_id=w.org_a, name='Stadt Hamm', kind='Kommune', level='kommunal')),
    'merge organisations': ('organization.merged', lambda s, w: orgs.merge_organizations(
        s, actor=w.admin, source_id=w.org_b, target_id=w.org_a)),
    'organisation logo': ('organization.logo_changed', lambda s, w: orgs.set_organization_logo(
        s, actor=w.admin, org_id=w.org_a, data=_png())),
    'dismiss report': ('report.dismissed', lambda s, w: moderation.handle_report(
        s, actor=w.admin, report_id=w.report, action='dismiss')),
    'hide reported post': ('report.hidden', lambda s, w: moderation.handle_report(
        s, actor=w.admin, report_id=w.report, action='hide')),
    'delete reported post': ('report.deleted', lambda s, w: moderation.handle_report(
        s, actor=w.admin, report_id=w.report, action='delete')),
    'lock from report': ('report.locked', lambda s, w: moderation.handle_report(
        s, actor=w.admin, report_id=w.report, action='lock')),
    'lock thread': ('thread.lock', lambda s, w: moderation.lock_thread(s, actor=w.admin, thread_id=w.thread)),
    'pin thread': ('thread.pin', lambda s, w: moderation.pin_thread(s, actor=w.admin, thread_id=w.thread)),
    'move thread': ('thread.move', lambda s, w: moderation.move_thread(
        s, actor=w.admin, thread_id=w.thread, board_id=w.other_board)),
    'import members': ('import.members', lambda s, w: member_import.import_members(
        s, actor=w.admin, parsed=_parsed())),
    'export audit log': ('audit.exported', lambda s, w: audit.entries_csv(s, actor=w.admin)),
}

# Actions that need an earlier one: the earlier step runs before counting.
PREPARE: dict[str, Callable[[Session, World], Any]] = {
    'reactivate': lambda s, w: accounts.deactivate_user(s, actor=w.admin, user_id=w.member.id),
    'revoke invitation': _invitation,
    'unhide post': lambda s, w: moderation.handle_report(s, actor=w.admin, report_id=w.report, action='hide'),
}
CASES_AFTER: dict[str, tuple[str, Callable[[Session, World, Any], Any]]] = {
    'reactivate': ('user.reactivated', lambda s, w, _: accounts.reactivate_user(
        s, actor=w.admin, user_id=w.member.id)),
    'revoke invitation': ('invitation.revoked', lambda s, w, invitation_id: accounts.revoke_invitation(
        s, actor=w.admin, invitation_id=invitation_id)),
    'unhide post': ('post.unhide', lambda s, w, _: moderation.unhide_post(s, actor=w.admin, post_id=w.reply)),
}


def _entries_after(session: Session, last_id: int) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(col(AuditEntry.id) > last_id).order_by(col(AuditEntry.id))))


def _last_id(session: Session) -> int:
    return session.exec(select(AuditEntry.id).order_by(col(AuditEntry.id).desc()).limit(1)).first() or 0


def _check(session: Session, world: World, last_id: int, action: str) -> None:
    session.expire_all()
    entries = _entries_after(session, last_id)
    assert [e.action for e in entries] == [action]
    assert entries[0].actor_id == world.admin.id
    assert 'geheim-123' not in entries[0].details  # secrets appear masked, if at all


@pytest.mark.parametrize('case', sorted(CASES))
def test_each_admin_action_writes_exactly_one_entry(session, world, case):
    action, call = CASES[case]
    last_id = _last_id(session)
    call(session, world)
    _check(session, world, last_id, action)


@pytest.mark.parametrize('case', sorted(CASES_AFTER))
def test_each_follow_up_admin_action_writes_exactly_one_entry(session, world, case):
    prepared = PREPARE[case](session, world)
    action, call = CASES_AFTER[case]
    last_id = _last_id(session)
    call(session, world, prepared)
    _check(session, world, last_id, action)


def test_a_changed_secret_is_recorded_masked(session, world):
    last_id = _last_id(session)
    site_settings.update_settings(session, actor=world.admin, values={'smtp_password': 'geheim-123'})
    [entry] = _entries_after(session, last_id)
    assert json.loads(entry.details) == {'old': '', 'new': site_settings.MASK}
