"""Finds every user-facing German text in the code, for the catalogue test."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ERRORS = {'Invalid', 'NotAllowed', 'NotFound', 'DomainError', 'MailNotSent', 'RateLimited'}
# Module-level tables of texts that pages pass through _() later.
TEXT_TABLES = {('ui/layout.py', 'NAV'), ('ui/pages/admin_users.py', 'ROLES'), ('ui/pages/admin_users.py', 'STATES'),
               ('ui/pages/admin.py', 'MODES'), ('ui/pages/members.py', 'SORT_LABELS'),
               ('ui/pages/members.py', 'VISIBILITY_LABELS'), ('models/organization.py', 'ORGANIZATION_KINDS'),
               ('models/organization.py', 'ORGANIZATION_LEVELS'), ('ui/pages/boards.py', 'SORT_LABELS'),
               ('ui/pages/boards.py', 'WATCH_LABELS'), ('ui/pages/search.py', 'SORT_LABELS'),
               ('ui/pages/threads.py', 'REACTION_LABELS'), ('ui/pages/events.py', 'VIEWS'),
               ('ui/pages/events.py', 'REPEAT_ONE'), ('ui/pages/events.py', 'REPEAT_MANY'),
               ('ui/pages/events.py', 'NTH'),
               ('ui/components/calendar.py', 'FORMAT_LABELS'), ('ui/components/calendar.py', 'ANSWER_LABELS'),
               ('ui/pages/event_form.py', 'REPEAT_OPTIONS'),
               ('ui/components/admin_nav.py', 'TABS'), ('ui/pages/admin_audit.py', 'ACTION_LABELS'),
               ('ui/pages/admin_import.py', 'ENCODINGS'),
               ('ui/pages/admin_users.py', 'INVITATION_STATES'), ('services/moderation.py', 'MSG_OUTCOME'),
               ('ui/pages/admin_moderation.py', 'ACTION_LABELS'), ('ui/pages/admin_moderation.py', 'OUTCOME_LABELS'),
               ('ui/pages/admin_moderation.py', 'DONE'), ('services/messages.py', 'MSG_OUTCOME'),
               ('ui/pages/admin_moderation.py', 'MESSAGE_ACTION_LABELS'),
               ('ui/pages/admin_moderation.py', 'MESSAGE_DONE'),
               ('ui/pages/admin_moderation.py', 'MESSAGE_OUTCOME_LABELS'),
               ('services/notifications.py', 'KIND_LABELS'), ('services/notifications.py', 'CHANNEL_LABELS')}


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def texts() -> set[str]:
    found: set[str] = set()
    sources = [*(ROOT / 'ui').rglob('*.py'), *(ROOT / 'services').rglob('*.py'), ROOT / 'models' / 'organization.py']
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, 'attr', '')
                if name in ('_', 'translate') and node.args and (text := _literal(node.args[0])):
                    found.add(text)
                elif name in ERRORS:
                    args = node.args[1:] if name == 'Invalid' else node.args
                    if args and (text := _literal(args[0])):
                        found.add(text)
            elif isinstance(node, ast.FunctionDef) and node.name == '__init__':
                for default in node.args.defaults:  # default messages of the error classes
                    if rel == 'services/errors.py' and (text := _literal(default)):
                        found.add(text)
            elif isinstance(node, ast.Assign) and rel.startswith(('services/', 'ui/')) and any(
                    isinstance(t, ast.Name) and t.id.startswith('MSG_') for t in node.targets):
                if text := _literal(node.value):  # error messages kept as constants
                    found.add(text)
                elif isinstance(node.value, ast.Dict):  # … or a table of them (MSG_OUTCOME)
                    found.update(t for v in node.value.values if v is not None and (t := _literal(v)))
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and (rel, t.id) in TEXT_TABLES
                                                      for t in node.targets):
                if isinstance(node.value, ast.Dict):
                    for v in node.value.values:  # a value is a label, or a (label, colour, …) tuple
                        v = v.elts[0] if isinstance(v, ast.Tuple) and v.elts else v
                        if v is not None and (t := _literal(v)):
                            found.add(t)
                else:
                    if isinstance(node.value, ast.Tuple | ast.List):
                        found.update(t for v in node.value.elts if (t := _literal(v)))
                    for call in ast.walk(node.value):  # NavItem(route, label, …) calls
                        if isinstance(call, ast.Call) and len(call.args) > 1 and (text := _literal(call.args[1])):
                            found.add(text)
        if rel == 'services/errors.py':
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, 'attr', '') == '__init__':
                    if node.args and (text := _literal(node.args[0])):
                        found.add(text)
    return found
