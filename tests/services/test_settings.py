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
    values = site_settings.get_settings(session)
    assert values == site_settings.DEFAULTS
    assert set(values) == set(site_settings.SPECS)
    assert values['site_name'] == 'Verwaltungsnetz' and values['module_boards'] is True
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


def test_change_publishes_settings_changed_once_per_save(session, ada_admin):
    events: list[bus.Event] = []
    bus.subscribe('settings.changed', events.append)
    site_settings.update_settings(session, actor=ada_admin, values={'site_name': 'Netz', 'registration_mode': 'open'})
    [event] = events
    assert sorted(event.data['keys']) == ['registration_mode', 'site_name']
    site_settings.update_settings(session, actor=ada_admin, values={'site_name': 'Netz'})  # unchanged
    assert len(events) == 1


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


# ---------------------------------------------------------------- every kind of setting


def test_every_group_is_known_and_every_setting_has_one():
    assert {spec.group for spec in site_settings.SPECS.values()} == set(site_settings.GROUPS)


@pytest.mark.parametrize(('key', 'value'), [
    ('max_post_length', 499), ('max_post_length', 50_001), ('session_days', 0), ('session_days', 366),
    ('idle_minutes', -1), ('login_free_attempts', 2), ('login_max_delay_minutes', 1441), ('edit_window_minutes', -5),
    ('smtp_port', 0), ('smtp_port', 65_536),
])
def test_whole_numbers_outside_their_bounds_are_refused_with_the_bounds(session, ada_admin, key, value):
    error = update_invalid(session, ada_admin, {key: value})
    spec = site_settings.SPECS[key]
    assert error.field == key
    assert error.message == 'Erlaubt sind {low} bis {high}.' and error.params == {'low': spec.low, 'high': spec.high}


@pytest.mark.parametrize('value', ['abc', '5.5', '', None, True, [587]])
def test_smtp_port_must_be_a_whole_number(session, ada_admin, value):
    error = update_invalid(session, ada_admin, {'smtp_port': value})
    assert error.field == 'smtp_port' and error.message == 'Bitte geben Sie eine ganze Zahl ein.'


@pytest.mark.parametrize(('key', 'value', 'stored'), [
    ('smtp_port', '465', 465), ('smtp_port', 25.0, 25), ('max_post_length', 500, 500), ('idle_minutes', 0, 0),
    ('session_days', 365, 365),
])
def test_whole_numbers_within_bounds_are_stored_as_int(session, ada_admin, key, value, stored):
    assert site_settings.update_settings(session, actor=ada_admin, values={key: value})[key] == stored
    assert site_settings.get_setting(session, key) == stored


@pytest.mark.parametrize(('key', 'value'), [
    ('default_language', 'fr'), ('default_visibility', 'public'), ('smtp_security', 'tls'),
    ('registration_mode', None),
])
def test_choices_outside_the_offered_values_are_refused(session, ada_admin, key, value):
    assert update_invalid(session, ada_admin, {key: value}).field == key


@pytest.mark.parametrize('key', ['notice_enabled', 'module_boards', 'module_events', 'module_messages',
                                 'approval_for_domains'])
@pytest.mark.parametrize('value', ['yes', 1, None])
def test_switches_take_only_true_or_false(session, ada_admin, key, value):
    assert update_invalid(session, ada_admin, {key: value}).field == key


def test_switches_are_stored(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'module_events': False, 'notice_enabled': True})
    assert site_settings.get_setting(session, 'module_events') is False
    assert site_settings.get_setting(session, 'notice_enabled') is True


@pytest.mark.parametrize('types', ['pdf, exe', 'sh', '', ' , ', ['pdf', 'html']])
def test_file_types_that_cannot_be_checked_or_none_are_refused(session, ada_admin, types):
    assert update_invalid(session, ada_admin, {'allowed_file_types': types}).field == 'allowed_file_types'


def test_file_types_are_normalised(session, ada_admin):
    stored = site_settings.update_settings(session, actor=ada_admin, values={'allowed_file_types': '.PDF, png;pdf'})
    assert stored['allowed_file_types'] == ['pdf', 'png']


@pytest.mark.parametrize('host', ['mail server.de', 'http://mail.essen.de', 'mail_essen.de', '-mail.de', 'a' * 254])
def test_bad_mail_server_names_are_refused(session, ada_admin, host):
    assert update_invalid(session, ada_admin, {'smtp_host': host}).field == 'smtp_host'


@pytest.mark.parametrize('host', ['mail.essen.de', 'localhost', '10.0.0.25', 'SMTP.Kreis-Wesel.de'])
def test_good_mail_server_names_are_stored_in_lower_case(session, ada_admin, host):
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_host': host})
    assert site_settings.get_setting(session, 'smtp_host') == host.lower()


@pytest.mark.parametrize('sender', ['netz', 'netz@essen', 'netz @essen.de', 'a@b.c', '<netz@essen.de>'])
def test_bad_sender_addresses_are_refused(session, ada_admin, sender):
    assert update_invalid(session, ada_admin, {'smtp_sender': sender}).field == 'smtp_sender'


@pytest.mark.parametrize(('key', 'limit'), [('notice_text', 500), ('site_description', 300), ('smtp_user', 254)])
def test_texts_have_a_maximum_length(session, ada_admin, key, limit):
    site_settings.update_settings(session, actor=ada_admin, values={key: 'x' * limit})
    error = update_invalid_after_first(session, ada_admin, {key: 'x' * (limit + 1)})
    assert error.field == key and error.params == {'n': limit}


def update_invalid_after_first(session, actor, values) -> Invalid:  # noqa: ANN001
    with pytest.raises(Invalid) as e:
        site_settings.update_settings(session, actor=actor, values=values)
    return e.value


def test_the_logo_cannot_be_set_as_a_plain_value(session, ada_admin):
    assert update_invalid(session, ada_admin, {'logo': 'abc.webp'}).field == 'logo'


# ---------------------------------------------------------------- secrets


def test_the_smtp_password_is_masked_in_the_audit_log(session, ada_admin):
    stored = site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': 'Sehr-Geheim-42'})
    assert stored == {'smtp_password': site_settings.MASK}
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': 'Anders-Geheim-43'})
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': ''})
    entries = setting_audit(session)
    assert [json.loads(e.details) for e in entries] == [
        {'old': '', 'new': site_settings.MASK}, {'old': site_settings.MASK, 'new': site_settings.MASK},
        {'old': site_settings.MASK, 'new': ''}]
    assert not any('Geheim' in e.details for e in entries)


def test_an_empty_secret_field_keeps_the_stored_password(session, ada_admin):
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': 'Sehr-Geheim-42'})
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': None, 'smtp_user': 'netz'})
    assert site_settings.get_setting(session, 'smtp_password') == 'Sehr-Geheim-42'


def test_settings_for_admin_never_show_the_password(session, ada_admin):
    assert site_settings.settings_for_admin(session, actor=ada_admin)['smtp_password'] is False
    site_settings.update_settings(session, actor=ada_admin, values={'smtp_password': 'Sehr-Geheim-42'})
    shown = site_settings.settings_for_admin(session, actor=ada_admin)
    assert shown['smtp_password'] is True
    assert 'Sehr-Geheim-42' not in json.dumps(shown)


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_settings_for_admin_refuse_others(session, request, persona):
    with pytest.raises(NotAllowed):
        site_settings.settings_for_admin(session, actor=request.getfixturevalue(persona))


# ---------------------------------------------------------------- logo


def _picture(size: tuple[int, int], fmt: str = 'PNG', mode: str = 'RGB') -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, (20, 60, 120, 128) if mode == 'RGBA' else 'navy').save(out, fmt)
    return out.getvalue()


@pytest.fixture
def data_folder(tmp_path):
    from services import files

    files.configure(tmp_path)
    return tmp_path


def test_admin_sets_a_logo_kept_in_proportion_within_480_by_160(session, ada_admin, data_folder):
    from PIL import Image

    from services import images

    events: list[bus.Event] = []
    bus.subscribe('settings.changed', events.append)
    name = site_settings.set_logo(session, actor=ada_admin, data=_picture((1200, 300), 'JPEG'))
    assert site_settings.get_setting(session, 'logo') == name
    with Image.open(images.logo_path(name)) as stored:
        assert (stored.format, stored.size) == ('WEBP', (480, 120))
    assert [e.data['keys'] for e in events] == [['logo']]
    [entry] = setting_audit(session)
    assert entry.target_id == 'logo' and json.loads(entry.details) == {'old': '', 'new': name}


def test_a_tall_logo_is_limited_by_its_height_and_keeps_transparency(session, ada_admin, data_folder):
    from PIL import Image

    from services import images

    name = site_settings.set_logo(session, actor=ada_admin, data=_picture((200, 400), 'PNG', 'RGBA'))
    with Image.open(images.logo_path(name)) as stored:
        assert stored.size == (80, 160) and stored.mode == 'RGBA'


def test_replacing_and_removing_the_logo_deletes_the_old_file(session, ada_admin, data_folder):
    from services import images

    first = site_settings.set_logo(session, actor=ada_admin, data=_picture((100, 50)))
    second = site_settings.set_logo(session, actor=ada_admin, data=_picture((100, 50)))
    assert images.logo_path(first) is None and images.logo_path(second) is not None
    assert site_settings.set_logo(session, actor=ada_admin, data=None) == ''
    assert images.logo_path(second) is None
    assert site_settings.get_setting(session, 'logo') == ''
    assert len(setting_audit(session)) == 3


@pytest.mark.parametrize('data', [b'%PDF-1.4 kein Bild', b'', b'GIF89a' + b'\0' * 20])
def test_not_an_image_is_refused_as_logo(session, ada_admin, data_folder, data):
    with pytest.raises(Invalid) as caught:
        site_settings.set_logo(session, actor=ada_admin, data=data)
    assert caught.value.field == 'logo'
    assert site_settings.get_setting(session, 'logo') == ''
    assert setting_audit(session) == []
    assert not any((data_folder / 'site').glob('*.webp'))


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_only_admins_set_the_logo(session, request, persona, data_folder):
    with pytest.raises(NotAllowed):
        site_settings.set_logo(session, actor=request.getfixturevalue(persona), data=_picture((100, 50)))
    assert site_settings.get_setting(session, 'logo') == ''
    assert not (data_folder / 'site').exists() or not any((data_folder / 'site').iterdir())
