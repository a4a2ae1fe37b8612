"""Run-time settings: defaults, validation, permissions, audit and immediate effect."""

import json

import pytest
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.setting import Setting
from models.user import Role, Status
from services import bus
from services import settings as site_settings
from services.errors import Invalid, NotAllowed
from tests.services.conftest import make_user


def setting_audit(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == 'setting.changed')
                             .order_by(col(AuditEntry.id))))


def update_invalid(session: Session, actor, values: dict) -> Invalid:
    with pytest.raises(Invalid) as e:
        site_settings.update_settings(session, actor=actor, values=values)
    session.rollback()
    assert session.exec(select(Setting)).all() == []
    assert setting_audit(session) == []
    return e.value


def test_defaults_apply_when_nothing_is_stored(session):
    assert site_settings.get_settings(session) == {
        'site_name': 'Verwaltungsnetz',
        'registration_mode': 'approval',
        'allowed_domains': [],
        'imprint_text': '',
        'privacy_text': '',
        'max_attachment_mb': 10,
    }
    assert site_settings.get_setting(session, 'registration_mode') == 'approval'


@pytest.mark.parametrize(('value', 'stored'), [(25, 25), ('3', 3), (1, 1), (50, 50)])
def test_attachment_limit_is_a_whole_number_of_megabytes(session, ada_admin, value, stored):
    assert site_settings.set_setting(session, actor=ada_admin, key='max_attachment_mb', value=value) == stored
    assert site_settings.get_setting(session, 'max_attachment_mb') == stored


@pytest.mark.parametrize('value', [0, 51, 'zehn', None, -1])
def test_attachment_limit_refuses_nonsense(session, ada_admin, value):
    with pytest.raises(Invalid) as caught:
        site_settings.set_setting(session, actor=ada_admin, key='max_attachment_mb', value=value)
    assert caught.value.field == 'max_attachment_mb'
    assert site_settings.get_setting(session, 'max_attachment_mb') == 10


def test_get_setting_refuses_unknown_key(session):
    with pytest.raises(KeyError):
        site_settings.get_setting(session, 'no_such_setting')


def test_update_settings_stores_and_returns_clean_values(session, ada_admin):
    stored = site_settings.update_settings(session, actor=ada_admin, values={'site_name': '  Netz Ruhr  '})
    assert stored == {'site_name': 'Netz Ruhr'}
    row = session.get(Setting, 'site_name')
    assert json.loads(row.value) == 'Netz Ruhr' and row.updated_by == ada_admin.id


@pytest.mark.parametrize('name', ['', '   '])
def test_update_settings_refuses_empty_site_name(session, ada_admin, name):
    assert update_invalid(session, ada_admin, {'site_name': name}).field == 'site_name'


def test_update_settings_refuses_site_name_over_80_characters(session, ada_admin):
    error = update_invalid(session, ada_admin, {'site_name': 'N' * 81})
    assert error.field == 'site_name' and error.params == {'n': 80}


def test_update_settings_accepts_site_name_of_80_characters(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'site_name': 'N' * 80})
    assert site_settings.get_setting(session, 'site_name') == 'N' * 80


@pytest.mark.parametrize('mode', ['everyone', 'OPEN', ''])
def test_update_settings_refuses_unknown_registration_mode(session, ada_admin, mode):
    assert update_invalid(session, ada_admin, {'registration_mode': mode}).field == 'registration_mode'


def test_update_settings_refuses_unknown_setting(session, ada_admin):
    assert update_invalid(session, ada_admin, {'theme': 'dark'}).field == 'theme'


@pytest.mark.parametrize('domains', ['not a domain', 'essen.de, -bad-.de', 'http://essen.de', ['essen.de', 'x..de']])
def test_update_settings_refuses_bad_domain(session, ada_admin, domains):
    assert update_invalid(session, ada_admin, {'allowed_domains': domains}).field == 'allowed_domains'


def test_allowed_domains_are_parsed_to_lower_case_list_without_duplicates(session, ada_admin):
    stored = site_settings.update_settings(
        session, actor=ada_admin, values={'allowed_domains': 'Essen.de, luenen.de;@kreis-wesel.de\nESSEN.DE'})
    assert stored['allowed_domains'] == ['essen.de', 'luenen.de', 'kreis-wesel.de']
    assert site_settings.get_setting(session, 'allowed_domains') == ['essen.de', 'luenen.de', 'kreis-wesel.de']


def test_allowed_domains_accept_a_list(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'allowed_domains': ['Essen.de', '@bochum.de']})
    assert site_settings.get_setting(session, 'allowed_domains') == ['essen.de', 'bochum.de']


def test_domains_mode_with_empty_allowlist_is_refused(session, ada_admin):
    error = update_invalid(session, ada_admin, {'registration_mode': 'domains'})
    assert error.field == 'allowed_domains'
    assert site_settings.get_setting(session, 'registration_mode') == 'approval'


def test_emptying_the_allowlist_in_domains_mode_is_refused(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin,
                                  values={'registration_mode': 'domains', 'allowed_domains': 'essen.de'})
    with pytest.raises(Invalid) as e:
        site_settings.update_settings(session, actor=ada_admin, values={'allowed_domains': ''})
    assert e.value.field == 'allowed_domains'
    assert site_settings.get_setting(session, 'allowed_domains') == ['essen.de']


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_change_settings(session, request, persona):
    with pytest.raises(NotAllowed):
        site_settings.update_settings(session, actor=request.getfixturevalue(persona),
                                      values={'registration_mode': 'open'})
    assert site_settings.get_setting(session, 'registration_mode') == 'approval'
    assert setting_audit(session) == []


def test_anonymous_cannot_change_settings(session):
    with pytest.raises(NotAllowed):
        site_settings.set_setting(session, actor=None, key='registration_mode', value='open')
    assert session.exec(select(Setting)).all() == []


def test_change_is_audited_with_old_and_new_value(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    [entry] = setting_audit(session)
    assert (entry.actor_id, entry.target_type, entry.target_id) == (ada_admin.id, 'setting', 'registration_mode')
    assert json.loads(entry.details) == {'old': 'approval', 'new': 'open'}


def test_change_takes_effect_at_once(session, ada_admin):
    assert site_settings.set_setting(session, actor=ada_admin, key='registration_mode', value='closed') == 'closed'
    assert site_settings.get_setting(session, 'registration_mode') == 'closed'
    assert site_settings.get_settings(session)['registration_mode'] == 'closed'


def test_change_publishes_settings_changed(session, ada_admin):
    events: list[bus.Event] = []
    bus.subscribe('settings.changed', events.append)
    site_settings.update_settings(session, actor=ada_admin, values={'site_name': 'Netz', 'registration_mode': 'open'})
    assert sorted(e.data['key'] for e in events) == ['registration_mode', 'site_name']


def test_unchanged_value_writes_no_audit_entry(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    site_settings.update_settings(session, actor=ada_admin, values={'registration_mode': 'open'})
    assert len(setting_audit(session)) == 1


def test_setting_the_default_value_writes_no_audit_entry(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin,
                                  values={'site_name': 'Verwaltungsnetz', 'registration_mode': 'approval'})
    assert setting_audit(session) == []
    assert session.exec(select(Setting)).all() == []


def test_one_invalid_value_stores_nothing_of_the_batch(session, ada_admin):
    update_invalid(session, ada_admin, {'site_name': 'Neuer Name', 'registration_mode': 'bogus'})
    assert site_settings.get_setting(session, 'site_name') == 'Verwaltungsnetz'


def test_deactivated_admin_cannot_change_settings(session):
    stale = make_user(session, 'Alte Admin', 'alt@essen.de', role=Role.ADMIN, status=Status.DEACTIVATED)
    with pytest.raises(NotAllowed):
        site_settings.update_settings(session, actor=stale, values={'registration_mode': 'open'})
    assert site_settings.get_setting(session, 'registration_mode') == 'approval'
