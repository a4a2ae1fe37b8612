"""Run-time settings stored in the database: read on every use, so a change takes effect at once."""

import copy
import json
import re
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from models.base import utcnow
from models.setting import Setting
from services import audit, bus
from services.errors import Invalid
from services.permissions import require_admin

REGISTRATION_MODES = ('open', 'domains', 'approval', 'invite', 'closed')
LANGUAGES = ('de', 'en')
VISIBILITIES = ('all', 'org', 'none')
SMTP_SECURITY = ('starttls', 'ssl', 'none')
# What an attachment may be: the types the upload check recognises by their content (services/uploads.py).
FILE_TYPES = ('pdf', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt', 'odt', 'ods',
              'odp', 'csv')
MAX_ATTACHMENT_MB = 50  # the setting's ceiling: a request body of several such files must still fit in memory
MAX_MARKDOWN = 50_000
MASK = '••••••••'  # what the audit log and the settings page show instead of a secret


@dataclass(frozen=True)
class Spec:
    """One setting: its group on /admin, its type and bounds. Labels and help texts live in the page."""

    group: str
    kind: str  # text, markdown, bool, int, choice, domains, file_types, email, host, secret, file
    default: Any
    low: int = 0
    high: int = 0  # for text: the maximum length
    choices: tuple[str, ...] = ()
    secret: bool = False


SPECS: dict[str, Spec] = {
    # network
    'site_name': Spec('network', 'text', 'Verwaltungsnetz', high=80),
    'site_description': Spec('network', 'text', 'Der kurze Draht zwischen Verwaltungen', high=300),
    'welcome_text': Spec('network', 'markdown', '', high=MAX_MARKDOWN),
    'logo': Spec('network', 'file', ''),  # a stored image's file name, set through set_logo
    'default_language': Spec('network', 'choice', 'de', choices=LANGUAGES),
    'notice_enabled': Spec('network', 'bool', False),
    'notice_text': Spec('network', 'text', '', high=500),
    # membership
    'registration_mode': Spec('membership', 'choice', 'approval', choices=REGISTRATION_MODES),
    'allowed_domains': Spec('membership', 'domains', []),
    'approval_for_domains': Spec('membership', 'bool', False),
    'default_visibility': Spec('membership', 'choice', 'org', choices=VISIBILITIES),
    # modules
    'module_boards': Spec('modules', 'bool', True),
    'module_events': Spec('modules', 'bool', True),
    'module_messages': Spec('modules', 'bool', True),
    # content
    'max_post_length': Spec('content', 'int', 20_000, low=500, high=50_000),
    'max_attachment_mb': Spec('content', 'int', 10, low=1, high=MAX_ATTACHMENT_MB),
    'allowed_file_types': Spec('content', 'file_types', list(FILE_TYPES)),
    'edit_window_minutes': Spec('content', 'int', 0, low=0, high=525_600),  # 0: posts stay editable
    # security
    'session_days': Spec('security', 'int', 30, low=1, high=365),  # absolute lifetime of a sign-in
    'idle_minutes': Spec('security', 'int', 0, low=0, high=43_200),  # 0: no idle sign-out
    'login_free_attempts': Spec('security', 'int', 5, low=3, high=50),
    'login_max_delay_minutes': Spec('security', 'int', 15, low=1, high=1440),
    # Rate limits (services/rate_limits.py says why these defaults). Per account in 10 minutes; uploads at least
    # the 5 files one post may carry.
    'posts_per_10_minutes': Spec('security', 'int', 30, low=5, high=10_000),
    'messages_per_10_minutes': Spec('security', 'int', 60, low=5, high=10_000),
    'uploads_per_10_minutes': Spec('security', 'int', 20, low=5, high=10_000),
    # Per address: registration attempts in an hour, pages opened without signing in within a minute.
    'registrations_per_hour': Spec('security', 'int', 20, low=1, high=10_000),
    'anonymous_pages_per_minute': Spec('security', 'int', 60, low=10, high=10_000),
    # e-mail
    'smtp_host': Spec('email', 'host', ''),
    'smtp_port': Spec('email', 'int', 587, low=1, high=65_535),
    'smtp_security': Spec('email', 'choice', 'starttls', choices=SMTP_SECURITY),
    'smtp_sender': Spec('email', 'email', ''),
    'smtp_user': Spec('email', 'text', '', high=254),
    'smtp_password': Spec('email', 'secret', '', high=500, secret=True),
    # legal
    'imprint_text': Spec('legal', 'markdown', '', high=MAX_MARKDOWN),
    'privacy_text': Spec('legal', 'markdown', '', high=MAX_MARKDOWN),
    'accessibility_text': Spec('legal', 'markdown', '', high=MAX_MARKDOWN),
}
GROUPS = ('network', 'membership', 'modules', 'content', 'security', 'email', 'legal')
DEFAULTS: dict[str, Any] = {key: spec.default for key, spec in SPECS.items()}
SECRETS = frozenset(key for key, spec in SPECS.items() if spec.secret)

_DOMAIN = re.compile(r'^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$')
_HOST = re.compile(r'^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$')


# Settings are read on every page (the site name is in the frame) and written rarely. Each process keeps them for a
# few seconds per database: a change made here is seen at once (the writer clears the cache), one made by another
# instance of the app within CACHE_SECONDS.
CACHE_SECONDS = 5.0
_cache: 'weakref.WeakKeyDictionary[Any, tuple[float, dict[str, Any]]]' = weakref.WeakKeyDictionary()


def get_setting(session: Session, key: str) -> Any:
    """The stored value, or the default when none is stored."""
    if key not in DEFAULTS:
        raise KeyError(key)
    return get_settings(session)[key]


def get_settings(session: Session) -> dict[str, Any]:
    """Every setting (stored or default); a copy the caller may change. Includes secrets: for services only."""
    engine = session.get_bind()
    cached = _cache.get(engine)
    if cached is None or time.monotonic() - cached[0] > CACHE_SECONDS:
        values = dict(DEFAULTS)
        for row in session.exec(select(Setting)):
            if row.key in values:
                values[row.key] = json.loads(row.value)
        cached = (time.monotonic(), values)
        _cache[engine] = cached
    return {k: copy.deepcopy(v) if isinstance(v, list | dict) else v for k, v in cached[1].items()}


def settings_for_admin(session: Session, *, actor: Any) -> dict[str, Any]:
    """What the settings page shows: every value, secrets replaced by whether one is stored (never the secret)."""
    require_admin(actor)
    values = get_settings(session)
    for key in SECRETS:
        values[key] = bool(values[key])
    return values


def forget_cache() -> None:
    _cache.clear()


def parse_domains(text: str) -> list[str]:
    """'essen.de, luenen.de' → ['essen.de', 'luenen.de']; raise Invalid naming the first bad one."""
    domains: list[str] = []
    for part in re.split(r'[\s,;]+', text.strip().lower()):
        part = part.lstrip('@')
        if not part:
            continue
        if not _DOMAIN.match(part):
            raise Invalid('allowed_domains', '„{value}“ ist keine gültige Domain.', value=part[:80])
        if part not in domains:
            domains.append(part)
    return domains


def parse_file_types(value: Any) -> list[str]:
    parts = re.split(r'[\s,;]+', value.strip().lower()) if isinstance(value, str) else [str(v).lower() for v in value]
    types: list[str] = []
    for part in parts:
        part = part.lstrip('.')
        if not part:
            continue
        if part not in FILE_TYPES:
            raise Invalid('allowed_file_types', '„{value}“ kann nicht geprüft werden. Möglich sind: {types}.',
                          value=part[:20], types=', '.join(FILE_TYPES))
        if part not in types:
            types.append(part)
    if not types:
        raise Invalid('allowed_file_types', 'Bitte erlauben Sie mindestens einen Dateityp.')
    return types


def _validate(key: str, value: Any) -> Any:
    spec = SPECS[key]
    kind = spec.kind
    if kind in ('text', 'markdown', 'secret'):
        value = '' if value is None else str(value)
        value = value.strip() if kind == 'text' else value
        if kind == 'text' and '\n' in value:
            value = ' '.join(value.split())
        if key == 'site_name' and not value:
            raise Invalid(key, 'Bitte geben Sie einen Namen ein.')
        if len(value) > spec.high:
            raise Invalid(key, 'Höchstens {n} Zeichen.', n=spec.high)
    elif kind == 'bool':
        if not isinstance(value, bool):
            raise Invalid(key, 'Bitte wählen Sie ja oder nein.')
    elif kind == 'int':
        if isinstance(value, bool):
            raise Invalid(key, 'Bitte geben Sie eine ganze Zahl ein.')
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            value = int(str(value).strip()) if not isinstance(value, int) else value
        except (TypeError, ValueError):
            raise Invalid(key, 'Bitte geben Sie eine ganze Zahl ein.') from None
        if not spec.low <= value <= spec.high:
            raise Invalid(key, 'Erlaubt sind {low} bis {high}.', low=spec.low, high=spec.high)
    elif kind == 'choice':
        if value not in spec.choices:
            raise Invalid(key, 'Bitte wählen Sie einen der angebotenen Werte.')
    elif kind == 'domains':
        value = parse_domains(value) if isinstance(value, str) else parse_domains(','.join(value))
    elif kind == 'file_types':
        value = parse_file_types(value)
    elif kind == 'host':
        value = str(value or '').strip().lower()
        if value and not _HOST.match(value):
            raise Invalid(key, '„{value}“ ist kein gültiger Servername.', value=value[:80])
    elif kind == 'email':
        value = str(value or '').strip()
        from services.accounts import is_email  # accounts builds on settings: imported here

        if value and not is_email(value):
            raise Invalid(key, 'Das ist keine gültige E-Mail-Adresse.')
    elif kind == 'file':
        raise Invalid(key, 'Diese Einstellung wird über ihr eigenes Feld gesetzt.')
    return value


def _shown(key: str, value: Any) -> Any:
    """A value as the audit log may record it: secrets masked."""
    if key in SECRETS:
        return MASK if value else ''
    return value


def update_settings(session: Session, *, actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Validate and store several settings in one transaction (administrators only); returns what was stored.

    Each changed setting writes one audit entry with its old and new value (a secret's only as "set" or empty).
    """
    require_admin(actor)
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in DEFAULTS:
            raise Invalid(key, 'Unbekannte Einstellung.')
        if key in SECRETS and value is None:
            continue  # an empty secret field on the page means "keep the stored one"
        clean[key] = _validate(key, value)
    mode = clean.get('registration_mode', get_setting(session, 'registration_mode'))
    domains = clean.get('allowed_domains', get_setting(session, 'allowed_domains'))
    if mode == 'domains' and not domains:
        # An empty allowlist in this mode would let nobody register.
        raise Invalid('allowed_domains', 'Bitte nennen Sie mindestens eine Domain.')
    changed = []
    for key, value in clean.items():
        row = session.get(Setting, key)
        old = json.loads(row.value) if row else DEFAULTS[key]
        if old == value:
            continue
        row = row or Setting(key=key, value='')
        row.value = json.dumps(value, ensure_ascii=False)
        row.updated_at = utcnow()
        row.updated_by = actor.id
        session.add(row)
        audit.record(session, 'setting.changed', actor_id=actor.id, target_type='setting', target_id=key,
                     old=_shown(key, old), new=_shown(key, value))
        changed.append(key)
    session.commit()
    _cache.pop(session.get_bind(), None)
    if changed:
        # One event per save, however many settings changed: every open page re-reads what it shows once.
        bus.publish('settings.changed', keys=changed, key=changed[0])
    return {k: _shown(k, v) for k, v in clean.items()}


def set_setting(session: Session, *, actor: Any, key: str, value: Any) -> Any:
    """Validate and store one setting (administrators only); returns the stored value."""
    return update_settings(session, actor=actor, values={key: value})[key]


def set_logo(session: Session, *, actor: Any, data: bytes | None) -> str:
    """Store (or with None remove) the network's logo, shown in the header before its name (administrators only).

    The picture is checked by its content and re-encoded (services.images.save_logo); returns the stored file name
    ('' when removed). CPU-bound for large pictures: the page calls it off the event loop.
    """
    from services import images

    require_admin(actor)
    name = ''
    if data is not None:
        try:
            name = images.save_logo(data)  # Pillow first: no transaction waits for it
        except Invalid as e:
            raise Invalid('logo', e.message, **e.params) from None
    row = session.get(Setting, 'logo')
    old = json.loads(row.value) if row else DEFAULTS['logo']
    if old == name:
        return name
    row = row or Setting(key='logo', value='')
    row.value = json.dumps(name)
    row.updated_at = utcnow()
    row.updated_by = actor.id
    session.add(row)
    audit.record(session, 'setting.changed', actor_id=actor.id, target_type='setting', target_id='logo',
                 old=old, new=name)
    try:
        session.commit()
    except Exception:
        session.rollback()
        images.delete_logo(name)
        raise
    _cache.pop(session.get_bind(), None)
    if old:
        images.delete_logo(old)
    bus.publish('settings.changed', keys=['logo'], key='logo')
    return name
