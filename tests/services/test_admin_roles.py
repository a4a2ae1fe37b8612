"""Every administration service refuses whoever lacks the role: checked in the service, not only hidden in a page.

The table below names each guarded service function and who may call it. The test finds the guarded functions by
reading the services' source (a function that calls a role check, directly or through a helper of its module), so a
new administration service without a row here fails `test_every_guarded_service_has_a_row`.
"""

import functools
import importlib
import inspect
import re
from typing import Any

import pytest

from services.errors import NotAllowed

ADMIN = 'admin'
MODERATOR = 'moderator'  # moderators and administrators

MODULES = ('accounts', 'audit', 'boards', 'mail', 'member_import', 'moderation', 'organizations', 'settings', 'stats')

EXPECTED: dict[str, str] = {
    'accounts.approve_user': ADMIN,
    'accounts.approve_users': ADMIN,
    'accounts.count_pending': ADMIN,
    'accounts.create_invitation': ADMIN,
    'accounts.create_password_reset': ADMIN,
    'accounts.deactivate_user': ADMIN,
    'accounts.delete_account': ADMIN,
    'accounts.list_invitations': ADMIN,
    'accounts.list_users': ADMIN,
    'accounts.mail_password_reset': ADMIN,
    'accounts.reactivate_user': ADMIN,
    'accounts.reject_user': ADMIN,
    'accounts.reject_users': ADMIN,
    'accounts.revoke_invitation': ADMIN,
    'accounts.set_role': ADMIN,
    'audit.actions_present': ADMIN,
    'audit.entries_csv': ADMIN,
    'audit.search_entries': ADMIN,
    'boards.archive_board': ADMIN,
    'boards.create_board': ADMIN,
    'boards.list_boards_for_admin': ADMIN,
    'boards.move_board': ADMIN,
    'boards.update_board': ADMIN,
    'mail.send_test_mail': ADMIN,
    'member_import.import_members': ADMIN,
    'member_import.preview': ADMIN,
    'moderation.count_handled_reports': MODERATOR,
    'moderation.count_open_reports': MODERATOR,
    'moderation.handle_report': MODERATOR,
    'moderation.list_reports': MODERATOR,
    'moderation.lock_thread': MODERATOR,
    'moderation.move_thread': MODERATOR,
    'moderation.pin_thread': MODERATOR,
    'moderation.unhide_post': MODERATOR,
    'organizations.create_organization': ADMIN,
    'organizations.list_organizations_for_admin': ADMIN,
    'organizations.merge_organizations': ADMIN,
    'organizations.merge_preview': ADMIN,
    'organizations.set_organization_logo': ADMIN,
    'organizations.update_organization': ADMIN,
    'settings.set_logo': ADMIN,
    'settings.set_setting': ADMIN,
    'settings.settings_for_admin': ADMIN,
    'settings.update_settings': ADMIN,
    'stats.active_members_per_week': ADMIN,
    'stats.events_per_month': ADMIN,
    'stats.members_per_level': ADMIN,
    'stats.members_per_organization': ADMIN,
    'stats.new_members_per_week': ADMIN,
    'stats.threads_and_posts_per_week': ADMIN,
}

_CHECK = re.compile(r'\brequire_(admin|moderator)\(')

# Arguments for the calls: the role check must come before anything looks at them, so an id that does not exist
# (or an empty upload) must still be answered with NotAllowed, never with NotFound or Invalid (which would tell an
# outsider what exists).
DUMMY = {
    'values': {'site_name': 'Übernommen'}, 'data': b'', 'parsed': None, 'user_ids': [999_999], 'role': 'admin',
    'name': 'Neue Verwaltung', 'kind': 'Kommune', 'level': 'kommunal', 'to': 'test@essen.de', 'action': 'dismiss',
    'offset': 1, 'archived': True, 'keep_posts': True, 'status': 'resolved', 'board_id': 999_999,
}


@functools.cache
def _guarded() -> dict[str, Any]:
    """Public functions of the administration modules that run a role check, directly or via a module helper."""
    found: dict[str, Any] = {}
    for module_name in MODULES:
        module = importlib.import_module(f'services.{module_name}')
        functions = {n: f for n, f in inspect.getmembers(module, inspect.isfunction) if f.__module__ == module.__name__}
        sources = {n: inspect.getsource(f) for n, f in functions.items()}
        guarded = {n for n, src in sources.items() if _CHECK.search(src)}
        while True:  # functions that call a guarded helper of the same module are guarded too
            more = {n for n, src in sources.items() if n not in guarded
                    and any(re.search(rf'\b{g}\(', src.split(':', 1)[1]) for g in guarded)}
            if not more:
                break
            guarded |= more
        found.update({f'{module_name}.{n}': functions[n] for n in guarded if not n.startswith('_')})
    return found


def _kwargs(fn: Any) -> dict[str, Any]:
    kwargs = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in ('session', 'actor') or param.default is not inspect.Parameter.empty:
            continue
        kwargs[name] = DUMMY.get(name, 999_999 if name.endswith('_id') else 'x')
    return kwargs


def test_every_guarded_service_has_a_row():
    assert sorted(_guarded()) == sorted(EXPECTED)


PERSONAS = ('member', 'moderator', 'pending', 'deactivated', 'anonymous')
# Moderators may use the moderation services (their use is tested with each service); every other cell is refused.
CELLS = [(name, persona) for name in sorted(EXPECTED) for persona in PERSONAS
         if not (persona == 'moderator' and EXPECTED[name] == MODERATOR)]


@pytest.mark.parametrize(('name', 'persona'), CELLS)
def test_role_is_checked_in_the_service(name, persona, session, mia_member, mo_moderator, pia_pending,
                                        dora_deactivated):
    fn = _guarded()[name]
    actor = {'member': mia_member, 'moderator': mo_moderator, 'pending': pia_pending,
             'deactivated': dora_deactivated, 'anonymous': None}[persona]
    with pytest.raises(NotAllowed):
        fn(session, actor=actor, **_kwargs(fn))
