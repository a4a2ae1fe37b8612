"""Run-time settings stored in the database: read on every use, so a change takes effect at once."""

import copy
import json
import re
import time
import weakref
from typing import Any

from sqlmodel import Session, select

from models.base import utcnow
from models.setting import Setting
from services import audit, bus
from services.errors import Invalid
from services.permissions import require_admin

REGISTRATION_MODES = ('open', 'domains', 'approval', 'invite', 'closed')

DEFAULTS: dict[str, Any] = {
    'site_name': 'Verwaltungsnetz',
    'registration_mode': 'approval',
    'allowed_domains': [],
    'imprint_text': '',
    'privacy_text': '',
    'max_attachment_mb': 10,  # per file attached to a post
}
MAX_ATTACHMENT_MB = 50  # the setting's ceiling: a request body of several such files must still fit in memory

_DOMAIN = re.compile(r'^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$')


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
    """Every setting (stored or default); a copy the caller may change."""
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


def _validate(key: str, value: Any) -> Any:
    if key == 'site_name':
        value = str(value).strip()
        if not value:
            raise Invalid(key, 'Bitte geben Sie einen Namen ein.')
        if len(value) > 80:
            raise Invalid(key, 'Höchstens {n} Zeichen.', n=80)
    elif key == 'registration_mode':
        if value not in REGISTRATION_MODES:
            raise Invalid(key, 'Unbekannter Registrierungsmodus.')
    elif key == 'allowed_domains':
        value = parse_domains(value) if isinstance(value, str) else parse_domains(','.join(value))
    elif key == 'max_attachment_mb':
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise Invalid(key, 'Bitte geben Sie eine ganze Zahl ein.') from None
        if not 1 <= value <= MAX_ATTACHMENT_MB:
            raise Invalid(key, 'Erlaubt sind {low} bis {high} MB.', low=1, high=MAX_ATTACHMENT_MB)
    elif key in ('imprint_text', 'privacy_text'):
        value = str(value)
        if len(value) > 50_000:
            raise Invalid(key, 'Höchstens {n} Zeichen.', n=50_000)
    return value


def update_settings(session: Session, *, actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Validate and store several settings in one transaction (administrators only); returns what was stored."""
    require_admin(actor)
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in DEFAULTS:
            raise Invalid(key, 'Unbekannte Einstellung.')
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
        audit.record(session, 'setting.changed', actor_id=actor.id, target_type='setting', target_id=key, old=old,
                     new=value)
        changed.append(key)
    session.commit()
    _cache.pop(session.get_bind(), None)
    for key in changed:
        bus.publish('settings.changed', key=key)
    return clean


def set_setting(session: Session, *, actor: Any, key: str, value: Any) -> Any:
    """Validate and store one setting (administrators only); returns the stored value."""
    return update_settings(session, actor=actor, values={key: value})[key]
