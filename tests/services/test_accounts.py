"""Accounts: registration modes, validation, sign-in and throttling, sessions, first admin, administration."""

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.base import utcnow
from models.organization import Organization
from models.user import Invitation, LoginAttempt, Role, Status, User, UserSession
from services import accounts, bus, passwords
from services import organizations as orgs
from services import settings as site_settings
from services.accounts import CurrentUser
from services.errors import Invalid, NotAllowed, NotFound, TooManyAttempts
from tests.conftest import FAST_ARGON2
from tests.services.conftest import PASSWORD, make_user

WRONG = 'Falsches-Passwort-99'
IP = '198.51.100.7'
FREE_ATTEMPTS = site_settings.DEFAULTS['login_free_attempts']
OTHER_IP = '203.0.113.9'


# ---------------------------------------------------------------- helpers


def set_mode(session: Session, admin: CurrentUser, mode: str, **extra: object) -> None:
    site_settings.update_settings(session, actor=admin, values={'registration_mode': mode, **extra})


def register(session: Session, **overrides: object) -> accounts.SignedIn:
    data: dict = {'name': 'Rita Register', 'email': 'rita@essen.de', 'password': PASSWORD,
                  'organization': 'Stadt Essen', 'consent': True, 'ip': IP}
    data.update(overrides)
    return accounts.register(session, **data)


def stored_user(session: Session, email: str) -> User | None:
    session.expire_all()
    return session.exec(select(User).where(User.email_key == email.lower())).first()


def fresh_user(session: Session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def user_count(session: Session) -> int:
    return session.exec(select(func.count(col(User.id)))).one()


def audit_entries(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))))


def register_invalid(session: Session, **overrides: object) -> Invalid:
    """Registration must fail with Invalid and leave no account behind."""
    before = user_count(session)
    with pytest.raises(Invalid) as e:
        register(session, **overrides)
    session.rollback()
    assert user_count(session) == before
    return e.value


def fail_sign_in(session: Session, email: str, *, ip: str = IP) -> None:
    with pytest.raises(Invalid) as e:
        accounts.sign_in(session, email=email, password=WRONG, ip=ip)
    assert e.value.field == 'password'


def collect(topic: str) -> list[bus.Event]:
    events: list[bus.Event] = []
    bus.subscribe(topic, events.append)
    return events


# ---------------------------------------------------------------- registration modes


def test_registration_in_open_mode_creates_active_account(session, ada_admin):
    set_mode(session, ada_admin, 'open')
    signed = register(session)
    user = stored_user(session, 'rita@essen.de')
    assert user is not None and user.status == Status.ACTIVE and user.role == Role.MEMBER
    assert signed.user.status == Status.ACTIVE
    assert accounts.user_for_session(session, signed.session_id).id == user.id


def test_registration_in_approval_mode_is_the_default_and_creates_pending_account(session):
    assert accounts.registration_mode(session) == 'approval'
    signed = register(session)
    assert stored_user(session, 'rita@essen.de').status == Status.PENDING
    assert signed.user.status == Status.PENDING


def test_registration_is_recorded_in_audit(session):
    signed = register(session)
    [entry] = audit_entries(session, 'user.registered')
    assert entry.actor_id == signed.user.id and entry.ip == IP
    assert json.loads(entry.details) == {'mode': 'approval', 'status': 'pending'}


def test_registration_in_domains_mode_accepts_allowlisted_domain(session, ada_admin):
    set_mode(session, ada_admin, 'domains', allowed_domains='essen.de, luenen.de')
    register(session, email='Rita@Luenen.de')
    assert stored_user(session, 'rita@luenen.de').status == Status.ACTIVE


def test_registration_in_domains_mode_accepts_subdomain_of_allowlisted_domain(session, ada_admin):
    set_mode(session, ada_admin, 'domains', allowed_domains='essen.de')
    register(session, email='rita@verwaltung.essen.de')
    assert stored_user(session, 'rita@verwaltung.essen.de').status == Status.ACTIVE


@pytest.mark.parametrize('email', ['rita@bochum.de', 'rita@badessen.de', 'rita@essen.de.example.com'])
def test_registration_in_domains_mode_refuses_other_domains(session, ada_admin, email):
    set_mode(session, ada_admin, 'domains', allowed_domains='essen.de')
    error = register_invalid(session, email=email)
    assert error.field == 'email'
    assert error.params == {'domains': 'essen.de'}


def test_registration_in_invite_mode_with_valid_invitation_creates_active_account(session, ada_admin):
    set_mode(session, ada_admin, 'invite')
    invite = accounts.create_invitation(session, actor=ada_admin)
    signed = register(session, invitation=invite.token)
    assert stored_user(session, 'rita@essen.de').status == Status.ACTIVE
    stored_invite = session.get(Invitation, invite.id)
    assert stored_invite.used_at is not None and stored_invite.used_by == signed.user.id


def test_registration_in_invite_mode_consumes_the_invitation(session, ada_admin):
    set_mode(session, ada_admin, 'invite')
    invite = accounts.create_invitation(session, actor=ada_admin)
    register(session, invitation=invite.token)
    assert not accounts.check_invitation(session, invite.token)
    error = register_invalid(session, email='second@essen.de', invitation=invite.token)
    assert error.field == 'invitation'


@pytest.mark.parametrize('token', ['', 'no-such-token'])
def test_registration_in_invite_mode_requires_an_existing_invitation(session, ada_admin, token):
    set_mode(session, ada_admin, 'invite')
    assert register_invalid(session, invitation=token).field == 'invitation'


def test_registration_in_invite_mode_refuses_expired_invitation(session, ada_admin):
    set_mode(session, ada_admin, 'invite')
    invite = accounts.create_invitation(session, actor=ada_admin, days=1)
    row = session.get(Invitation, invite.id)
    row.expires_at = utcnow() - timedelta(minutes=1)
    session.add(row)
    session.commit()
    assert register_invalid(session, invitation=invite.token).field == 'invitation'


def test_failed_registration_in_invite_mode_does_not_consume_the_invitation(session, ada_admin):
    set_mode(session, ada_admin, 'invite')
    invite = accounts.create_invitation(session, actor=ada_admin)
    register_invalid(session, invitation=invite.token, password='kurz')
    assert accounts.check_invitation(session, invite.token)


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_create_invitations(session, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        accounts.create_invitation(session, actor=actor)
    assert session.exec(select(Invitation)).all() == []


def test_registration_in_closed_mode_is_not_allowed(session, ada_admin):
    set_mode(session, ada_admin, 'closed')
    with pytest.raises(NotAllowed):
        register(session)
    assert stored_user(session, 'rita@essen.de') is None


# ---------------------------------------------------------------- consent and organisation


def test_registration_requires_consent(session):
    assert register_invalid(session, consent=False).field == 'consent'


@pytest.mark.parametrize('organization', [None, '', '   '])
def test_registration_requires_an_organization(session, organization):
    assert register_invalid(session, organization=organization).field == 'organization'


def test_registration_with_organization_id_links_that_organization(session):
    org = orgs.find_or_add_organization(session, 'Stadt Lünen')
    session.commit()
    register(session, organization=org.id)
    assert stored_user(session, 'rita@essen.de').organization_id == org.id


def test_registration_with_unknown_organization_id_is_refused(session):
    with pytest.raises(NotFound):
        register(session, organization=4711)
    session.rollback()
    assert stored_user(session, 'rita@essen.de') is None


def test_registration_with_free_text_organization_creates_it(session):
    register(session, organization='  Kreis   Wesel ')
    org = session.exec(select(Organization)).one()
    assert org.name == 'Kreis Wesel' and org.kind == 'Sonstige'
    assert stored_user(session, 'rita@essen.de').organization_id == org.id


def test_registration_with_free_text_organization_reuses_same_name_ignoring_case_and_spaces(session):
    register(session, email='rita@essen.de', organization='Stadt Essen')
    register(session, email='rolf@essen.de', organization='  stadt   ESSEN ')
    [org] = session.exec(select(Organization)).all()
    assert stored_user(session, 'rita@essen.de').organization_id == org.id
    assert stored_user(session, 'rolf@essen.de').organization_id == org.id


# ---------------------------------------------------------------- validation


def test_registration_refuses_existing_email_regardless_of_case(session, mia_member):
    error = register_invalid(session, email='  MIA@Kreis-Wesel.DE ')
    assert error.field == 'email'
    assert 'schon ein Konto' in error.message


def test_registration_stores_email_as_typed_and_a_lower_case_key(session):
    register(session, email='  Rita.Register@Essen.DE ')
    user = stored_user(session, 'rita.register@essen.de')
    assert user.email == 'Rita.Register@Essen.DE' and user.email_key == 'rita.register@essen.de'


def test_registration_refuses_empty_name(session):
    assert register_invalid(session, name='   ').field == 'name'


def test_registration_refuses_name_over_100_characters(session):
    error = register_invalid(session, name='R' * 101)
    assert error.field == 'name' and error.params == {'n': 100}


def test_registration_accepts_name_of_100_characters(session):
    register(session, name='R' * 100)
    assert stored_user(session, 'rita@essen.de').name == 'R' * 100


def test_registration_refuses_email_over_254_characters(session):
    error = register_invalid(session, email='r' * 246 + '@essen.de')  # 255 characters
    assert error.field == 'email' and error.params == {'n': 254}


@pytest.mark.parametrize('email', ['', 'rita-at-essen.de', 'rita@essen', 'rita@@essen.de', 'ri ta@essen.de',
                                   '<rita>@essen.de'])
def test_registration_refuses_malformed_email(session, email):
    assert register_invalid(session, email=email).field == 'email'


def test_registration_refuses_password_under_10_characters(session):
    error = register_invalid(session, password='Kurz-12345'[:9])
    assert error.field == 'password' and error.params == {'n': 10}


def test_registration_refuses_password_over_1000_characters(session):
    error = register_invalid(session, password='Ab3-' * 250 + 'x')
    assert error.field == 'password' and error.params == {'n': 1000}


def test_registration_refuses_password_equal_to_the_email(session):
    error = register_invalid(session, email='rita.register@essen.de', password='Rita.Register@Essen.de')
    assert error.field == 'password' and 'E-Mail-Adresse' in error.message


@pytest.mark.parametrize('password', ['passwort123', '1234567890', 'PASSWORT123'])
def test_registration_refuses_common_password(session, password):
    error = register_invalid(session, password=password)
    assert error.field == 'password' and 'verbreitet' in error.message


def test_registration_stores_html_in_name_verbatim_as_text(session):
    name = '<script>alert("x")</script> <b>Rita</b> &amp;'
    register(session, name=name)
    assert stored_user(session, 'rita@essen.de').name == name


# ---------------------------------------------------------------- sign-in


def test_sign_in_with_right_password_works_with_any_email_case(session, mia_member):
    signed = accounts.sign_in(session, email='  MIA@KREIS-wesel.de ', password=PASSWORD, ip=IP)
    assert signed.user.id == mia_member.id and signed.session_id
    assert accounts.user_for_session(session, signed.session_id).id == mia_member.id


def test_sign_in_with_wrong_password_is_invalid_password(session, mia_member):
    with pytest.raises(Invalid) as e:
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=WRONG)
    assert e.value.field == 'password'
    assert session.exec(select(UserSession)).all() == []


def test_sign_in_with_unknown_email_gives_same_error_as_wrong_password(session, mia_member):
    with pytest.raises(Invalid) as wrong:
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=WRONG)
    with pytest.raises(Invalid) as unknown:
        accounts.sign_in(session, email='nobody@kreis-wesel.de', password=WRONG)
    assert (unknown.value.field, unknown.value.message, unknown.value.params) == (
        wrong.value.field, wrong.value.message, wrong.value.params)


def test_sign_in_of_deactivated_account_is_not_allowed_even_with_right_password(session, dora_deactivated):
    with pytest.raises(NotAllowed):
        accounts.sign_in(session, email='dora@bochum.de', password=PASSWORD, ip=IP)
    assert session.exec(select(UserSession)).all() == []
    assert len(audit_entries(session, 'auth.refused_deactivated')) == 1


def test_pending_account_can_sign_in_and_gets_status_pending(session, pia_pending):
    signed = accounts.sign_in(session, email='pia@essen.de', password=PASSWORD)
    assert signed.user.status == Status.PENDING
    assert accounts.user_for_session(session, signed.session_id).status == Status.PENDING


def test_sign_in_rehashes_password_made_with_other_argon2_params(session, mia_member):
    passwords.use_params(memory_cost=2048, time_cost=2, parallelism=1)
    try:
        old_hash = passwords.hash_password(PASSWORD)
    finally:
        passwords.use_params(**FAST_ARGON2)
    user = fresh_user(session, mia_member.id)
    user.password_hash = old_hash
    session.add(user)
    session.commit()

    accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)

    new_hash = fresh_user(session, mia_member.id).password_hash
    assert new_hash != old_hash
    assert 'm=1024,t=1,p=1' in new_hash
    assert passwords.verify(PASSWORD, new_hash) == (True, None)
    assert json.loads(audit_entries(session, 'auth.signed_in')[-1].details) == {'rehashed': True}


def test_failed_and_successful_sign_ins_are_recorded_with_ip(session, mia_member):
    fail_sign_in(session, 'mia@kreis-wesel.de')
    accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP)

    attempts = session.exec(select(LoginAttempt).order_by(col(LoginAttempt.id))).all()
    assert [(a.success, a.ip, a.email_key, a.user_id) for a in attempts] == [
        (False, IP, 'mia@kreis-wesel.de', mia_member.id), (True, IP, 'mia@kreis-wesel.de', mia_member.id)]
    [failed] = audit_entries(session, 'auth.failed')
    [signed_in] = audit_entries(session, 'auth.signed_in')
    assert (failed.ip, failed.actor_id, failed.target_id) == (IP, mia_member.id, str(mia_member.id))
    assert (signed_in.ip, signed_in.actor_id) == (IP, mia_member.id)


def test_failed_sign_in_with_unknown_email_is_recorded_without_user(session):
    fail_sign_in(session, 'Nobody@Essen.de')
    attempt = session.exec(select(LoginAttempt)).one()
    assert (attempt.email_key, attempt.user_id, attempt.success) == ('nobody@essen.de', None, False)
    [entry] = audit_entries(session, 'auth.failed')
    assert entry.actor_id is None and json.loads(entry.details) == {'email': 'nobody@essen.de'}


# ---------------------------------------------------------------- throttling


def test_sixth_try_after_five_failures_is_throttled_even_with_right_password(session, mia_member):
    for _ in range(FREE_ATTEMPTS):
        fail_sign_in(session, 'mia@kreis-wesel.de')
    with pytest.raises(TooManyAttempts) as e:
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=OTHER_IP)
    assert 0 < e.value.retry_after <= accounts.BASE_DELAY
    assert e.value.params == {'seconds': e.value.retry_after}
    assert session.exec(select(UserSession)).all() == []


def test_four_failures_do_not_throttle(session, mia_member):
    for _ in range(FREE_ATTEMPTS - 1):
        fail_sign_in(session, 'mia@kreis-wesel.de')
    assert accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP).user.id == mia_member.id


def test_success_before_fifth_failure_resets_the_count(session, mia_member):
    for _ in range(FREE_ATTEMPTS - 1):
        fail_sign_in(session, 'mia@kreis-wesel.de')
    accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP)
    # From another address, so that only the account's count (which the success reset) can matter.
    for _ in range(FREE_ATTEMPTS - 1):
        fail_sign_in(session, 'mia@kreis-wesel.de', ip=OTHER_IP)
    assert accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP).user.id == mia_member.id


def test_throttling_applies_per_ip_across_different_accounts(session, mia_member):
    for i in range(FREE_ATTEMPTS):
        fail_sign_in(session, f'someone{i}@essen.de', ip=IP)
    with pytest.raises(TooManyAttempts) as e:
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP)
    assert e.value.retry_after > 0
    # The account itself is not throttled: from another address it signs in.
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=OTHER_IP)
    assert signed.user.id == mia_member.id


def test_own_successful_sign_in_does_not_reset_throttling_of_the_address(session, mia_member):
    for i in range(FREE_ATTEMPTS - 1):
        fail_sign_in(session, f'victim{i}@essen.de', ip=IP)
    accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP)  # the attacker's own account
    fail_sign_in(session, 'victim9@essen.de', ip=IP)  # fifth failure from this address within the window
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(session, email='victim10@essen.de', password=WRONG, ip=IP)


def test_sign_in_works_again_after_the_failures_are_outside_the_window(session, mia_member):
    for _ in range(FREE_ATTEMPTS):
        fail_sign_in(session, 'mia@kreis-wesel.de')
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP)

    session.exec(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
    session.commit()

    assert accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD, ip=IP).user.id == mia_member.id


def test_throttled_try_is_not_recorded_as_an_attempt(session, mia_member):
    for _ in range(FREE_ATTEMPTS):
        fail_sign_in(session, 'mia@kreis-wesel.de')
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=WRONG, ip=IP)
    assert len(session.exec(select(LoginAttempt)).all()) == FREE_ATTEMPTS


# ---------------------------------------------------------------- sessions


def test_user_for_session_returns_the_signed_in_user(session, mia_member):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    current = accounts.user_for_session(session, signed.session_id)
    assert current == dataclasses.replace(mia_member, session_id=signed.session_id)


@pytest.mark.parametrize('session_id', [None, '', 'no-such-session'])
def test_user_for_session_without_live_session_is_none(session, mia_member, session_id):
    assert accounts.user_for_session(session, session_id) is None


def test_sign_out_ends_the_session(session, mia_member):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    events = collect('sessions.ended')
    accounts.sign_out(session, session_id=signed.session_id)
    assert accounts.user_for_session(session, signed.session_id) is None
    session.expire_all()
    assert session.get(UserSession, signed.session_id).ended_at is not None
    assert [e.data for e in events] == [{'user_id': mia_member.id, 'session_ids': [signed.session_id]}]


def test_deactivate_user_ends_all_sessions_and_publishes_them(session, ada_admin, mia_member):
    first = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    second = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    events = collect('sessions.ended')

    accounts.deactivate_user(session, actor=ada_admin, user_id=mia_member.id)

    assert accounts.user_for_session(session, first.session_id) is None
    assert accounts.user_for_session(session, second.session_id) is None
    session.expire_all()
    open_sessions = session.exec(select(UserSession).where(col(UserSession.ended_at).is_(None))).all()
    assert open_sessions == []
    [event] = events
    assert event.data['user_id'] == mia_member.id
    assert sorted(event.data['session_ids']) == sorted([first.session_id, second.session_id])


def test_reactivated_user_does_not_get_old_sessions_back(session, ada_admin, mia_member):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    accounts.deactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    accounts.reactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    assert accounts.user_for_session(session, signed.session_id) is None


def test_change_password_ends_other_sessions_but_keeps_the_current_one(session, mia_member):
    current = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    other = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    events = collect('sessions.ended')

    accounts.change_password(session, actor=current.user, current_password=PASSWORD,
                             new_password='Neues-Kennwort-2027')

    assert accounts.user_for_session(session, current.session_id).id == mia_member.id
    assert accounts.user_for_session(session, other.session_id) is None
    assert [e.data for e in events] == [{'user_id': mia_member.id, 'session_ids': [other.session_id]}]
    assert passwords.verify('Neues-Kennwort-2027', fresh_user(session, mia_member.id).password_hash)[0]
    assert accounts.sign_in(session, email='mia@kreis-wesel.de', password='Neues-Kennwort-2027').user.id
    with pytest.raises(Invalid):
        accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)


@pytest.mark.parametrize('current_password', ['', WRONG])
def test_change_password_requires_the_correct_current_password(session, mia_member, current_password):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    old_hash = fresh_user(session, mia_member.id).password_hash
    with pytest.raises(Invalid) as e:
        accounts.change_password(session, actor=signed.user, current_password=current_password,
                                 new_password='Neues-Kennwort-2027')
    assert e.value.field == 'current_password'
    assert fresh_user(session, mia_member.id).password_hash == old_hash


@pytest.mark.parametrize('new_password', ['kurz', 'passwort123', 'mia@kreis-wesel.de', 'x' * 1001])
def test_change_password_applies_the_policy_to_the_new_password(session, mia_member, new_password):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    with pytest.raises(Invalid) as e:
        accounts.change_password(session, actor=signed.user, current_password=PASSWORD, new_password=new_password)
    assert e.value.field == 'new_password'
    assert passwords.verify(PASSWORD, fresh_user(session, mia_member.id).password_hash)[0]


def test_change_password_refuses_new_password_equal_to_old(session, mia_member):
    signed = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    other = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    with pytest.raises(Invalid) as e:
        accounts.change_password(session, actor=signed.user, current_password=PASSWORD, new_password=PASSWORD)
    assert e.value.field == 'new_password'
    assert accounts.user_for_session(session, other.session_id) is not None


def test_end_other_sessions_keeps_only_the_current_one(session, mia_member, mo_moderator):
    current = accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD)
    others = [accounts.sign_in(session, email='mia@kreis-wesel.de', password=PASSWORD) for _ in range(2)]
    someone_else = accounts.sign_in(session, email='mo@luenen.de', password=PASSWORD)
    events = collect('sessions.ended')

    assert accounts.end_other_sessions(session, actor=current.user) == 2

    assert accounts.user_for_session(session, current.session_id) is not None
    assert all(accounts.user_for_session(session, o.session_id) is None for o in others)
    assert accounts.user_for_session(session, someone_else.session_id) is not None
    assert [s.id for s in accounts.list_sessions(session, actor=current.user)] == [current.session_id]
    assert sorted(events[0].data['session_ids']) == sorted(o.session_id for o in others)


def test_set_language_accepts_english(session, mia_member):
    accounts.set_language(session, actor=mia_member, language='en')
    assert fresh_user(session, mia_member.id).language == 'en'


@pytest.mark.parametrize('language', ['fr', 'EN', ''])
def test_set_language_refuses_other_languages(session, mia_member, language):
    with pytest.raises(Invalid) as e:
        accounts.set_language(session, actor=mia_member, language=language)
    assert e.value.field == 'language'
    assert fresh_user(session, mia_member.id).language == 'de'


# ---------------------------------------------------------------- first administrator


def test_setup_first_admin_on_empty_database_creates_signed_in_admin(session):
    assert not accounts.admin_exists(session)
    signed = accounts.setup_first_admin(session, name='Erste Admin', email='Erste@Essen.de', password=PASSWORD)
    user = stored_user(session, 'erste@essen.de')
    assert (user.role, user.status) == (Role.ADMIN, Status.ACTIVE)
    assert accounts.admin_exists(session)
    assert accounts.user_for_session(session, signed.session_id).is_admin


def test_setup_first_admin_is_refused_once_an_admin_exists(session):
    accounts.setup_first_admin(session, name='Erste Admin', email='erste@essen.de', password=PASSWORD)
    with pytest.raises(NotAllowed):
        accounts.setup_first_admin(session, name='Zweite Admin', email='zweite@essen.de', password=PASSWORD)
    assert stored_user(session, 'zweite@essen.de') is None
    assert user_count(session) == 1


def test_admin_exists_ignores_members_and_moderators(session, mia_member, mo_moderator):
    assert not accounts.admin_exists(session)


def test_create_admin_creates_a_new_active_admin(session):
    user, created = accounts.create_admin(session, email='Neu@Essen.de', name='Neu Admin', password=PASSWORD)
    assert created is True
    stored = stored_user(session, 'neu@essen.de')
    assert (stored.role, stored.status, stored.id) == (Role.ADMIN, Status.ACTIVE, user.id)
    assert accounts.sign_in(session, email='neu@essen.de', password=PASSWORD).user.is_admin


def test_create_admin_promotes_and_activates_an_existing_member(session, pia_pending):
    old_hash = fresh_user(session, pia_pending.id).password_hash
    user, created = accounts.create_admin(session, email='PIA@essen.de', name='ignored', password='')
    assert created is False and user.id == pia_pending.id
    stored = fresh_user(session, pia_pending.id)
    assert (stored.role, stored.status, stored.name) == (Role.ADMIN, Status.ACTIVE, 'Pia Pending')
    assert stored.password_hash == old_hash
    assert user_count(session) == 1


def test_create_admin_sets_new_password_of_existing_member_when_given(session, dora_deactivated):
    accounts.create_admin(session, email='dora@bochum.de', name='Dora', password='Neues-Kennwort-2027')
    stored = fresh_user(session, dora_deactivated.id)
    assert stored.status == Status.ACTIVE
    assert passwords.verify('Neues-Kennwort-2027', stored.password_hash)[0]


# ---------------------------------------------------------------- administration of accounts


def test_admin_approves_pending_account(session, ada_admin, pia_pending):
    accounts.approve_user(session, actor=ada_admin, user_id=pia_pending.id)
    assert fresh_user(session, pia_pending.id).status == Status.ACTIVE
    [entry] = audit_entries(session, 'user.approved')
    assert (entry.actor_id, entry.target_type, entry.target_id) == (ada_admin.id, 'user', str(pia_pending.id))


@pytest.mark.parametrize('persona', ['mia_member', 'dora_deactivated'])
def test_approve_user_only_approves_pending_accounts(session, request, ada_admin, persona):
    target = request.getfixturevalue(persona)
    with pytest.raises(Invalid) as e:
        accounts.approve_user(session, actor=ada_admin, user_id=target.id)
    assert e.value.field == 'status'
    assert fresh_user(session, target.id).status == target.status


def test_approve_unknown_user_is_not_found(session, ada_admin):
    with pytest.raises(NotFound):
        accounts.approve_user(session, actor=ada_admin, user_id=4711)


def test_admin_deactivates_account(session, ada_admin, mia_member):
    accounts.deactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    assert fresh_user(session, mia_member.id).status == Status.DEACTIVATED
    [entry] = audit_entries(session, 'user.deactivated')
    assert (entry.actor_id, entry.target_id) == (ada_admin.id, str(mia_member.id))
    assert json.loads(entry.details) == {'sessions_ended': 0}


def test_admin_cannot_deactivate_own_account(session, ada_admin):
    with pytest.raises(Invalid) as e:
        accounts.deactivate_user(session, actor=ada_admin, user_id=ada_admin.id)
    assert e.value.field == 'status'
    assert fresh_user(session, ada_admin.id).status == Status.ACTIVE


def test_admin_reactivates_deactivated_account(session, ada_admin, dora_deactivated):
    accounts.reactivate_user(session, actor=ada_admin, user_id=dora_deactivated.id)
    assert fresh_user(session, dora_deactivated.id).status == Status.ACTIVE
    assert len(audit_entries(session, 'user.reactivated')) == 1
    assert accounts.sign_in(session, email='dora@bochum.de', password=PASSWORD).user.status == Status.ACTIVE


def test_reactivate_refuses_account_that_is_not_deactivated(session, ada_admin, mia_member):
    with pytest.raises(Invalid) as e:
        accounts.reactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    assert e.value.field == 'status'


def test_admin_changes_role_and_it_is_audited(session, ada_admin, mia_member):
    accounts.set_role(session, actor=ada_admin, user_id=mia_member.id, role=Role.MODERATOR)
    assert fresh_user(session, mia_member.id).role == Role.MODERATOR
    [entry] = audit_entries(session, 'user.role_changed')
    assert entry.actor_id == ada_admin.id and entry.target_id == str(mia_member.id)
    assert json.loads(entry.details) == {'old': 'member', 'new': 'moderator'}


def test_set_role_refuses_unknown_role(session, ada_admin, mia_member):
    with pytest.raises(Invalid) as e:
        accounts.set_role(session, actor=ada_admin, user_id=mia_member.id, role='superuser')
    assert e.value.field == 'role'
    assert fresh_user(session, mia_member.id).role == Role.MEMBER


def test_last_active_admin_cannot_demote_self(session, ada_admin, mia_member):
    with pytest.raises(Invalid) as e:
        accounts.set_role(session, actor=ada_admin, user_id=ada_admin.id, role=Role.MEMBER)
    assert e.value.field == 'role'
    assert fresh_user(session, ada_admin.id).role == Role.ADMIN
    assert audit_entries(session, 'user.role_changed') == []


def test_last_active_admin_cannot_demote_self_while_other_admin_is_deactivated(session, ada_admin):
    make_user(session, 'Alte Admin', 'alt@essen.de', role=Role.ADMIN, status=Status.DEACTIVATED)
    with pytest.raises(Invalid):
        accounts.set_role(session, actor=ada_admin, user_id=ada_admin.id, role=Role.MEMBER)
    assert fresh_user(session, ada_admin.id).role == Role.ADMIN


def test_admin_can_step_down_when_another_active_admin_exists(session, ada_admin):
    make_user(session, 'Bert Admin', 'bert@essen.de', role=Role.ADMIN)
    accounts.set_role(session, actor=ada_admin, user_id=ada_admin.id, role=Role.MODERATOR)
    assert fresh_user(session, ada_admin.id).role == Role.MODERATOR
    assert accounts.admin_exists(session)


def _approve(session, actor, target):
    accounts.approve_user(session, actor=actor, user_id=target.id)


def _deactivate(session, actor, target):
    accounts.deactivate_user(session, actor=actor, user_id=target.id)


def _reactivate(session, actor, target):
    accounts.reactivate_user(session, actor=actor, user_id=target.id)


def _make_admin(session, actor, target):
    accounts.set_role(session, actor=actor, user_id=target.id, role=Role.ADMIN)


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_approve_accounts(session, request, pia_pending, persona):
    with pytest.raises(NotAllowed):
        _approve(session, request.getfixturevalue(persona), pia_pending)
    assert fresh_user(session, pia_pending.id).status == Status.PENDING


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_deactivate_accounts(session, request, ada_admin, persona):
    with pytest.raises(NotAllowed):
        _deactivate(session, request.getfixturevalue(persona), ada_admin)
    assert fresh_user(session, ada_admin.id).status == Status.ACTIVE


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_reactivate_accounts(session, request, dora_deactivated, persona):
    with pytest.raises(NotAllowed):
        _reactivate(session, request.getfixturevalue(persona), dora_deactivated)
    assert fresh_user(session, dora_deactivated.id).status == Status.DEACTIVATED


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_change_roles(session, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        _make_admin(session, actor, actor)
    assert fresh_user(session, actor.id).role == actor.role


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator'])
def test_non_admin_cannot_list_users(session, request, persona):
    with pytest.raises(NotAllowed):
        accounts.list_users(session, actor=request.getfixturevalue(persona))


def test_admin_actions_are_refused_for_a_deactivated_admin(session, ada_admin, pia_pending):
    stale = make_user(session, 'Alte Admin', 'alt@essen.de', role=Role.ADMIN, status=Status.DEACTIVATED)
    with pytest.raises(NotAllowed):
        _approve(session, stale, pia_pending)
    assert fresh_user(session, pia_pending.id).status == Status.PENDING


@pytest.fixture
def everyone(ada_admin, mo_moderator, mia_member, pia_pending, dora_deactivated):
    return ada_admin, mo_moderator, mia_member, pia_pending, dora_deactivated


def test_list_users_lists_all_newest_first_with_total(session, everyone):
    rows, total = accounts.list_users(session, actor=everyone[0])
    assert total == 5
    assert [r.id for r in rows] == sorted((u.id for u in everyone), reverse=True)


def test_list_users_filters_by_status(session, everyone):
    rows, total = accounts.list_users(session, actor=everyone[0], status=Status.PENDING)
    assert total == 1 and [r.email for r in rows] == ['pia@essen.de']


def test_list_users_filters_by_query_on_email_and_name(session, everyone):
    rows, total = accounts.list_users(session, actor=everyone[0], query=' ESSEN.de ')
    assert total == 2 and {r.email for r in rows} == {'ada@essen.de', 'pia@essen.de'}
    rows, total = accounts.list_users(session, actor=everyone[0], query='moderator')
    assert total == 1 and [r.name for r in rows] == ['Mo Moderator']


def test_list_users_includes_organization_name(session, ada_admin):
    register(session, organization='Stadt Essen')
    rows, _ = accounts.list_users(session, actor=ada_admin, query='rita')
    assert [(r.name, r.organization) for r in rows] == [('Rita Register', 'Stadt Essen')]


def test_list_users_pages_with_limit_and_offset(session, everyone):
    rows, total = accounts.list_users(session, actor=everyone[0], limit=2, offset=1)
    assert total == 5
    assert [r.id for r in rows] == sorted((u.id for u in everyone), reverse=True)[1:3]


def test_list_users_returns_at_most_200_rows(session, ada_admin):
    shared_hash = passwords.hash_password(PASSWORD)
    session.add_all(User(name=f'Nutzer {i}', email=f'n{i}@essen.de', email_key=f'n{i}@essen.de',
                         password_hash=shared_hash, status=Status.ACTIVE) for i in range(205))
    session.commit()
    rows, total = accounts.list_users(session, actor=ada_admin, limit=10_000)
    assert total == 206 and len(rows) == 200


def test_list_users_finds_name_with_capital_umlaut_as_typed(session, ada_admin):
    make_user(session, 'Özlem Yılmaz', 'oy@essen.de')
    rows, total = accounts.list_users(session, actor=ada_admin, query='Özlem')
    assert total == 1 and [r.name for r in rows] == ['Özlem Yılmaz']
