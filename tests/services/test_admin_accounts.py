"""Administration of members: lists, approval in bulk, password-reset links, deleting accounts, invitations, and
what the membership and security settings change in the accounts service."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.base import utcnow
from models.board import Post, Thread
from models.event import Answer, CalendarFeed, Rsvp
from models.notification import Notification
from models.profile import MemberProfile
from models.user import Invitation, LoginAttempt, PasswordReset, Role, Status, User, UserSession
from services import accounts, boards, bus, calendar_feed, events, members, notifications, posts
from services import attendance as attend
from services import organizations as orgs
from services import settings as site_settings
from services.errors import Invalid, NotAllowed, NotFound
from services.events import EventInput
from services.members import Filters
from tests.services.conftest import PASSWORD, make_user

NEW_PASSWORD = 'Neues-Rathaus-Fenster-8'
NON_ADMINS = ['mia_member', 'mo_moderator']


def entries(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))))


def audit_total(session: Session) -> int:
    return session.exec(select(func.count(col(AuditEntry.id)))).one()


def stored(session: Session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def collect(topic: str) -> list[bus.Event]:
    got: list[bus.Event] = []
    bus.subscribe(topic, got.append)
    return got


def sign_in(session: Session, email: str, password: str = PASSWORD) -> accounts.SignedIn:
    return accounts.sign_in(session, email=email, password=password, ip='198.51.100.7')


def settings(session: Session, admin, **values) -> None:  # noqa: ANN001
    site_settings.update_settings(session, actor=admin, values=values)


def register(session: Session, **overrides) -> accounts.SignedIn:  # noqa: ANN003
    data: dict = {'name': 'Rita Register', 'email': 'rita@essen.de', 'password': PASSWORD,
                  'organization': 'Stadt Essen', 'consent': True}
    data.update(overrides)
    return accounts.register(session, **data)


# ---------------------------------------------------------------- listing


def test_list_users_hides_deleted_accounts_unless_asked(session, ada_admin, mia_member, pia_pending):
    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)
    rows, total = accounts.list_users(session, actor=ada_admin)
    assert total == 2 and {r.id for r in rows} == {ada_admin.id, pia_pending.id}
    rows, total = accounts.list_users(session, actor=ada_admin, status='deleted')
    assert total == 1 and rows[0].id == mia_member.id and rows[0].name == 'Ehemaliges Mitglied'


def test_list_users_filters_by_role_and_organisation(session, ada_admin, mo_moderator, mia_member):
    org = orgs.find_or_add_organization(session, 'Kreis Wesel')
    session.exec(update(User).where(col(User.id) == mia_member.id).values(organization_id=org.id))
    session.commit()
    rows, total = accounts.list_users(session, actor=ada_admin, role='moderator')
    assert total == 1 and rows[0].id == mo_moderator.id
    rows, total = accounts.list_users(session, actor=ada_admin, organization_id=org.id)
    assert total == 1 and rows[0].id == mia_member.id and rows[0].organization == 'Kreis Wesel'
    rows, total = accounts.list_users(session, actor=ada_admin, organization_id=org.id, role='admin')
    assert (rows, total) == ([], 0)


@pytest.mark.parametrize('field, value', [('status', 'gone'), ('role', 'king')])
def test_list_users_refuses_unknown_filters(session, ada_admin, field, value):
    with pytest.raises(Invalid) as e:
        accounts.list_users(session, actor=ada_admin, **{field: value})
    assert e.value.field == field


# ---------------------------------------------------------------- approval and rejection


def test_approve_users_in_bulk_skips_accounts_that_do_not_wait(session, ada_admin, pia_pending, mia_member):
    paul = make_user(session, 'Paul Pending', 'paul@essen.de', status=Status.PENDING)
    assert accounts.approve_users(session, actor=ada_admin, user_ids=[pia_pending.id, paul.id, mia_member.id]) == 2
    assert stored(session, pia_pending.id).status == Status.ACTIVE
    assert stored(session, paul.id).status == Status.ACTIVE
    [entry] = entries(session, 'user.approved')
    assert json.loads(entry.details) == {'user_ids': sorted([pia_pending.id, paul.id]), 'count': 2}
    # approved members are found in the directory at once
    page = members.search_members(session, viewer=ada_admin, filters=Filters(q='Paul'))
    assert [c.id for c in page.items] == [paul.id]


def test_approve_users_needs_a_pending_choice(session, ada_admin, mia_member):
    with pytest.raises(Invalid):
        accounts.approve_users(session, actor=ada_admin, user_ids=[])
    with pytest.raises(Invalid):
        accounts.approve_users(session, actor=ada_admin, user_ids=[mia_member.id])
    assert entries(session, 'user.approved') == []


@pytest.mark.parametrize('persona', NON_ADMINS)
def test_non_admin_cannot_approve_or_reject_in_bulk(session, request, pia_pending, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        accounts.approve_users(session, actor=actor, user_ids=[pia_pending.id])
    with pytest.raises(NotAllowed):
        accounts.reject_users(session, actor=actor, user_ids=[pia_pending.id])
    assert stored(session, pia_pending.id).status == Status.PENDING


def test_reject_deletes_the_pending_account_and_frees_the_address(session, ada_admin, pia_pending, mia_member):
    before = audit_total(session)
    assert accounts.reject_users(session, actor=ada_admin, user_ids=[pia_pending.id, mia_member.id]) == 1
    assert audit_total(session) == before + 1
    pia = stored(session, pia_pending.id)
    assert (pia.status, pia.name, pia.email) == (Status.DELETED, 'Ehemaliges Mitglied', f'deleted-{pia.id}@invalid')
    assert stored(session, mia_member.id).status == Status.ACTIVE
    settings(session, ada_admin, registration_mode='open')
    again = register(session, email='pia@essen.de', name='Pia Neu')
    assert again.user.status == Status.ACTIVE


def test_reject_single_unknown_account_is_not_found(session, ada_admin):
    with pytest.raises(NotFound):
        accounts.reject_user(session, actor=ada_admin, user_id=4711)


# ---------------------------------------------------------------- password-reset links


def test_reset_link_sets_a_new_password_once_and_ends_every_session(session, ada_admin, mia_member):
    first = sign_in(session, 'mia@kreis-wesel.de')
    ended = collect('sessions.ended')
    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    assert len(token) >= 43  # 32 random bytes, URL-safe
    row = session.exec(select(PasswordReset)).one()
    assert row.token_hash != token and len(row.token_hash) == 64
    assert timedelta(hours=23) < row.expires_at - utcnow() <= timedelta(hours=24)
    assert accounts.check_password_reset(session, token)

    accounts.reset_password(session, token=token, new_password=NEW_PASSWORD, repeat=NEW_PASSWORD)
    assert accounts.user_for_session(session, first.session_id) is None
    assert ended and first.session_id in ended[-1].data['session_ids']
    assert sign_in(session, 'mia@kreis-wesel.de', NEW_PASSWORD).user.id == mia_member.id
    assert len(entries(session, 'auth.password_reset')) == 1
    assert len(entries(session, 'user.password_reset_created')) == 1
    assert NEW_PASSWORD not in ''.join(e.details for e in session.exec(select(AuditEntry)))

    with pytest.raises(Invalid) as e:
        accounts.reset_password(session, token=token, new_password='Noch-ein-Passwort-9')
    assert e.value.message == accounts.MSG_RESET_INVALID
    assert not accounts.check_password_reset(session, token)


def test_expired_unknown_and_replaced_reset_links_get_one_message(session, ada_admin, mia_member):
    old = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    new = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    session.exec(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    messages = set()
    for token in (old, new, 'nicht-vorhanden', ''):
        with pytest.raises(Invalid) as e:
            accounts.reset_password(session, token=token, new_password=NEW_PASSWORD)
        messages.add((e.value.field, e.value.message))
    assert messages == {('token', accounts.MSG_RESET_INVALID)}
    assert sign_in(session, 'mia@kreis-wesel.de').user.id == mia_member.id  # the old password still works


def test_a_new_reset_link_invalidates_the_older_one(session, ada_admin, mia_member):
    old = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    new = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    assert not accounts.check_password_reset(session, old)
    assert accounts.check_password_reset(session, new)


def test_reset_refuses_a_weak_or_mismatched_password_and_keeps_the_link(session, ada_admin, mia_member):
    token = accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(Invalid) as e:
        accounts.reset_password(session, token=token, new_password='kurz')
    assert e.value.field == 'new_password'
    with pytest.raises(Invalid) as e:
        accounts.reset_password(session, token=token, new_password=NEW_PASSWORD, repeat='Anderes-Passwort-77')
    assert e.value.field == 'repeat'
    assert accounts.check_password_reset(session, token)


@pytest.mark.parametrize('persona', NON_ADMINS)
def test_non_admin_cannot_create_reset_links(session, request, ada_admin, persona):
    with pytest.raises(NotAllowed):
        accounts.create_password_reset(session, actor=request.getfixturevalue(persona), user_id=ada_admin.id)
    assert session.exec(select(PasswordReset)).all() == []


# ---------------------------------------------------------------- deleting an account


@pytest.fixture
def board_id(session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Allgemeines').id


def test_delete_account_anonymises_and_keeps_posts_under_the_placeholder_name(session, ada_admin, mia_member,
                                                                              board_id):
    members.update_profile(session, actor=mia_member, user_id=mia_member.id, name='Mia Member',
                           organization='Kreis Wesel', bio='E-Akte', topics=['E-Akte'], phone='0201 123')
    thread_id = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Wer nutzt die E-Akte?',
                                     body='Frage')
    calendar_feed.my_feed(session, actor=mia_member)
    notifications.notify(session, [mia_member.id], kind='mention', text='Hallo')
    session.commit()
    signed = sign_in(session, 'mia@kreis-wesel.de')
    accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    ended = collect('sessions.ended')
    before = audit_total(session)

    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)

    assert audit_total(session) == before + 1
    [entry] = entries(session, 'user.deleted')
    assert json.loads(entry.details) == {'keep_posts': True, 'posts_deleted': 0}
    assert 'mia' not in entry.details.lower() and 'Wesel' not in entry.details
    mia = stored(session, mia_member.id)
    assert (mia.name, mia.email, mia.email_key, mia.status, mia.role, mia.organization_id) == (
        'Ehemaliges Mitglied', f'deleted-{mia.id}@invalid', f'deleted-{mia.id}@invalid', Status.DELETED,
        Role.MEMBER, None)
    for table in (MemberProfile, CalendarFeed, Notification, PasswordReset, UserSession):
        assert session.exec(select(table).where(table.user_id == mia.id)).all() == [], table
    assert session.exec(select(LoginAttempt).where(LoginAttempt.email_key == 'mia@kreis-wesel.de')).all() == []
    assert ended and signed.session_id in ended[-1].data['session_ids']
    assert accounts.user_for_session(session, signed.session_id) is None
    assert members.search_members(session, viewer=ada_admin, filters=Filters(q='Mia')).total == 0
    thread = posts.get_post(session, viewer=ada_admin, post_id=session.exec(
        select(Post.id).where(Post.thread_id == thread_id)).one())
    assert thread.author.name == 'Ehemaliges Mitglied' and not session.get(Thread, thread_id).deleted


def test_deleted_account_can_never_sign_in_or_come_back(session, ada_admin, mia_member):
    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)
    for email in ('mia@kreis-wesel.de', f'deleted-{mia_member.id}@invalid'):
        with pytest.raises(Invalid):
            sign_in(session, email)
    with pytest.raises(Invalid):
        accounts.reactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(Invalid):
        accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)
    with pytest.raises(Invalid):
        accounts.create_password_reset(session, actor=ada_admin, user_id=mia_member.id)
    assert stored(session, mia_member.id).status == Status.DELETED


def test_delete_account_with_posts_deletes_threads_and_replies(session, ada_admin, mia_member, board_id):
    olaf = make_user(session, 'Olaf Other', 'olaf@essen.de')
    own_thread = boards.create_thread(session, actor=mia_member, board_id=board_id, title='Meine Frage', body='?')
    other_thread = boards.create_thread(session, actor=olaf, board_id=board_id, title='Olafs Frage', body='?')
    posts.reply(session, actor=mia_member, thread_id=other_thread, body='Meine Antwort')
    posts.reply(session, actor=olaf, thread_id=other_thread, body='Danke')
    before = session.exec(select(func.count()).select_from(AuditEntry)).one()

    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=False)

    # One action, one entry: the removed posts are counted in it, not recorded one by one.
    assert session.exec(select(func.count()).select_from(AuditEntry)).one() == before + 1

    session.expire_all()
    assert session.get(Thread, own_thread).deleted
    assert not session.get(Thread, other_thread).deleted
    live = session.exec(select(Post).where(Post.thread_id == other_thread, col(Post.deleted).is_(False))).all()
    assert sorted(p.author_id for p in live) == [olaf.id, olaf.id]
    [entry] = entries(session, 'user.deleted')
    assert json.loads(entry.details) == {'keep_posts': False, 'posts_deleted': 2}


def test_delete_account_declines_future_answers_so_the_waitlist_moves_up(session, ada_admin, mia_member):
    olaf = make_user(session, 'Olaf Other', 'olaf@essen.de')
    start = (utcnow() + timedelta(days=30)).replace(tzinfo=None, hour=10, minute=0, second=0, microsecond=0)
    event_id = events.create_event(session, actor=ada_admin, data=EventInput(
        title='Fachtag', starts=start, ends=start + timedelta(hours=2), location='Rathaus', capacity=1))
    attend.rsvp(session, actor=mia_member, event_id=event_id, answer=Answer.YES)
    attend.rsvp(session, actor=olaf, event_id=event_id, answer=Answer.YES)
    assert session.get(Rsvp, (event_id, olaf.id)).answer == Answer.WAITLIST

    accounts.delete_account(session, actor=ada_admin, user_id=mia_member.id, keep_posts=True)

    session.expire_all()
    assert session.get(Rsvp, (event_id, mia_member.id)).answer == Answer.NO
    assert session.get(Rsvp, (event_id, olaf.id)).answer == Answer.YES
    assert session.exec(select(Notification).where(Notification.user_id == olaf.id)).all()


def test_the_last_active_admin_cannot_be_deleted(session, ada_admin, mia_member):
    with pytest.raises(Invalid):
        accounts.delete_account(session, actor=ada_admin, user_id=ada_admin.id, keep_posts=True)
    assert stored(session, ada_admin.id).status == Status.ACTIVE
    assert entries(session, 'user.deleted') == []


def test_an_admin_may_delete_herself_when_another_admin_remains(session, ada_admin):
    make_user(session, 'Bea Admin', 'bea@essen.de', role=Role.ADMIN)
    accounts.delete_account(session, actor=ada_admin, user_id=ada_admin.id, keep_posts=True)
    assert stored(session, ada_admin.id).status == Status.DELETED


@pytest.mark.parametrize('persona', NON_ADMINS)
def test_non_admin_cannot_delete_accounts(session, request, ada_admin, persona):
    actor = request.getfixturevalue(persona)
    for target in (ada_admin.id, actor.id):
        with pytest.raises(NotAllowed):
            accounts.delete_account(session, actor=actor, user_id=target, keep_posts=True)
    assert stored(session, actor.id).status == Status.ACTIVE


# ---------------------------------------------------------------- invitations


def test_create_invitation_validates_its_fields(session, ada_admin):
    for kwargs, field in (({'max_uses': 1001}, 'max_uses'), ({'max_uses': -1}, 'max_uses'), ({'days': 0}, 'days'),
                          ({'days': 366}, 'days'), ({'email': 'kaputt'}, 'email'),
                          ({'organization_id': 999}, 'organization_id'), ({'name': 'x' * 101}, 'name'),
                          ({'note': 'x' * 201}, 'note'), ({'max_uses': 1.5}, 'max_uses')):
        with pytest.raises(Invalid) as e:
            accounts.create_invitation(session, actor=ada_admin, **kwargs)
        assert e.value.field == field
    assert session.exec(select(Invitation)).all() == []
    invite = session.get(Invitation, accounts.create_invitation(session, actor=ada_admin, max_uses=0, days=365.0,
                                                                 note='Workshop').id)
    assert (invite.max_uses, invite.note) == (0, 'Workshop')
    assert len(entries(session, 'invitation.created')) == 1


@pytest.mark.parametrize('persona', NON_ADMINS)
def test_non_admin_cannot_create_revoke_or_list_invitations(session, request, ada_admin, persona):
    actor = request.getfixturevalue(persona)
    invite = accounts.create_invitation(session, actor=ada_admin)
    with pytest.raises(NotAllowed):
        accounts.create_invitation(session, actor=actor)
    with pytest.raises(NotAllowed):
        accounts.revoke_invitation(session, actor=actor, invitation_id=invite.id)
    with pytest.raises(NotAllowed):
        accounts.list_invitations(session, actor=actor)
    assert accounts.check_invitation(session, invite.token)


def test_an_invitation_registers_actively_in_every_mode_and_fixes_the_organisation(session, ada_admin):
    org = orgs.find_or_add_organization(session, 'Stadt Lünen')
    session.commit()
    invite = accounts.create_invitation(session, actor=ada_admin, organization_id=org.id, name='Rita Register',
                                        max_uses=0)
    assert accounts.invitation_info(session, invite.token) == accounts.InvitationInfo(
        'Rita Register', '', org.id, 'Stadt Lünen')
    for number, mode in enumerate(('closed', 'approval', 'invite', 'domains')):
        extra = {'allowed_domains': 'essen.de', 'approval_for_domains': True} if mode == 'domains' else {}
        settings(session, ada_admin, registration_mode=mode, **extra)
        signed = register(session, email=f'rita{number}@gmail.com', organization='Ganz andere Verwaltung',
                          invitation=invite.token)
        user = stored(session, signed.user.id)
        assert (user.status, user.organization_id, user.invitation_id) == (Status.ACTIVE, org.id, invite.id)
    assert session.get(Invitation, invite.id).use_count == 4
    assert len(entries(session, 'user.registered')) == 4


def test_an_email_bound_invitation_only_works_for_that_address(session, ada_admin):
    invite = accounts.create_invitation(session, actor=ada_admin, email='Ben@Bochum.de')
    with pytest.raises(Invalid) as e:
        register(session, email='rita@essen.de', invitation=invite.token)
    assert e.value.field == 'email'
    session.rollback()
    assert register(session, email='ben@bochum.de', invitation=invite.token).user.status == Status.ACTIVE


def test_multi_use_invitation_counts_and_is_used_up(session, ada_admin):
    settings(session, ada_admin, registration_mode='invite')
    invite = accounts.create_invitation(session, actor=ada_admin, max_uses=2)
    register(session, email='a@essen.de', invitation=invite.token)
    register(session, email='b@essen.de', invitation=invite.token)
    with pytest.raises(Invalid) as e:
        register(session, email='c@essen.de', invitation=invite.token)
    assert e.value.field == 'invitation'
    session.rollback()
    [row], total = accounts.list_invitations(session, actor=ada_admin)
    assert (total, row.use_count, row.max_uses, row.state, row.joined_count) == (1, 2, 2, 'used_up', 2)
    assert sorted(row.joined) == ['Rita Register', 'Rita Register']


def test_two_registrations_racing_for_a_single_use_link_cannot_both_win(session, ada_admin, monkeypatch):
    settings(session, ada_admin, registration_mode='invite')
    invite = accounts.create_invitation(session, actor=ada_admin)
    # What the second registration read: the link still unused.
    stale = Invitation(**session.get(Invitation, invite.id).model_dump())
    # Both registrations checked the link before either claimed it: the second sees the stale, unused invitation.
    real_valid = accounts._valid_invitation
    checks: list[Invitation] = []

    def checked_before_the_other_claimed(s, token):  # noqa: ANN001, ANN202
        checks.append(real_valid(s, token) if not checks else stale)
        return checks[-1]

    monkeypatch.setattr(accounts, '_valid_invitation', checked_before_the_other_claimed)
    register(session, email='first@essen.de', invitation=invite.token)
    with pytest.raises(Invalid) as e:
        register(session, email='second@essen.de', invitation=invite.token)
    assert e.value.field == 'invitation'
    session.rollback()
    session.expire_all()
    assert session.get(Invitation, invite.id).use_count == 1
    assert session.exec(select(User).where(User.email_key == 'second@essen.de')).first() is None


def test_revoked_and_expired_invitations_show_their_state_and_stop_working(session, ada_admin):
    revoked = accounts.create_invitation(session, actor=ada_admin, note='alt')
    expired = accounts.create_invitation(session, actor=ada_admin)
    fresh = accounts.create_invitation(session, actor=ada_admin)
    accounts.revoke_invitation(session, actor=ada_admin, invitation_id=revoked.id)
    with pytest.raises(Invalid):
        accounts.revoke_invitation(session, actor=ada_admin, invitation_id=revoked.id)
    with pytest.raises(NotFound):
        accounts.revoke_invitation(session, actor=ada_admin, invitation_id=4711)
    session.exec(update(Invitation).where(col(Invitation.id) == expired.id).values(
        expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    rows, total = accounts.list_invitations(session, actor=ada_admin)
    assert total == 3
    assert {r.id: r.state for r in rows} == {revoked.id: 'revoked', expired.id: 'expired', fresh.id: 'open'}
    assert len(entries(session, 'invitation.revoked')) == 1
    for invite in (revoked, expired):
        assert not accounts.check_invitation(session, invite.token)
        with pytest.raises(Invalid):
            register(session, email='x@essen.de', invitation=invite.token)
        session.rollback()


# ---------------------------------------------------------------- settings


def test_domain_mode_with_approval_makes_new_accounts_pending(session, ada_admin):
    settings(session, ada_admin, registration_mode='domains', allowed_domains='essen.de')
    assert register(session, email='a@essen.de').user.status == Status.ACTIVE
    settings(session, ada_admin, approval_for_domains=True)
    assert register(session, email='b@essen.de').user.status == Status.PENDING


def test_new_accounts_get_the_default_visibility_and_language(session, ada_admin):
    settings(session, ada_admin, registration_mode='open', default_visibility='none', default_language='en')
    signed = register(session)
    profile = session.get(MemberProfile, signed.user.id)
    assert (profile.email_visibility, profile.location_visibility, profile.phone_visibility) == (
        'none', 'none', 'none')
    assert signed.user.language == 'en'
    settings(session, ada_admin, default_visibility='all')
    other = register(session, email='b@essen.de')
    profile = session.get(MemberProfile, other.user.id)
    assert (profile.email_visibility, profile.location_visibility, profile.phone_visibility) == ('all', 'all', 'none')


def test_a_session_older_than_session_days_is_over(session, ada_admin, mia_member):
    signed = sign_in(session, 'mia@kreis-wesel.de')
    settings(session, ada_admin, session_days=2)
    session.exec(update(UserSession).values(created_at=utcnow() - timedelta(days=2, minutes=1)))
    session.commit()
    ended = collect('sessions.ended')
    assert accounts.user_for_session(session, signed.session_id) is None
    assert session.get(UserSession, signed.session_id).ended_at is not None
    assert ended[-1].data['session_ids'] == [signed.session_id]


def test_idle_sign_out_allows_for_the_touch_interval(session, ada_admin, mia_member):
    signed = sign_in(session, 'mia@kreis-wesel.de')
    settings(session, ada_admin, idle_minutes=2)  # 1..4 count as 5

    def last_seen(minutes_ago: float) -> accounts.CurrentUser | None:
        session.exec(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes_ago)))
        session.commit()
        return accounts.user_for_session(session, signed.session_id)

    assert last_seen(9) is not None  # within 5 + TOUCH_INTERVAL: maybe active a minute ago
    assert last_seen(11) is None
    settings(session, ada_admin, idle_minutes=0)
    other = sign_in(session, 'mia@kreis-wesel.de')
    session.exec(update(UserSession).where(col(UserSession.id) == other.session_id).values(
        last_seen_at=utcnow() - timedelta(days=20)))
    session.commit()
    assert accounts.user_for_session(session, other.session_id) is not None


def test_throttling_follows_the_security_settings(session, ada_admin, mia_member):
    settings(session, ada_admin, login_free_attempts=3, login_max_delay_minutes=1)
    for _ in range(3):
        with pytest.raises(Invalid):
            sign_in(session, 'mia@kreis-wesel.de', 'Falsches-Passwort-99')
    with pytest.raises(accounts.TooManyAttempts) as e:
        sign_in(session, 'mia@kreis-wesel.de')
    assert 0 < e.value.retry_after <= 30
    # Many more failures later, the wait is capped at the setting's minute.
    session.add_all([LoginAttempt(email_key='mia@kreis-wesel.de', success=False) for _ in range(20)])
    session.commit()
    with pytest.raises(accounts.TooManyAttempts) as e:
        sign_in(session, 'mia@kreis-wesel.de')
    assert 30 < e.value.retry_after <= 60


def test_a_failure_burst_is_audited_once_without_the_password(session, ada_admin, mia_member):
    settings(session, ada_admin, login_free_attempts=3)
    wrong = 'Falsches-Passwort-99'
    for _ in range(2):
        with pytest.raises(Invalid):
            sign_in(session, 'mia@kreis-wesel.de', wrong)
    assert entries(session, 'signin.failure_burst') == []
    with pytest.raises(Invalid):
        sign_in(session, 'mia@kreis-wesel.de', wrong)
    [entry] = entries(session, 'signin.failure_burst')
    details = json.loads(entry.details)
    assert details['email'] == 'mia@kreis-wesel.de' and details['count'] == 3
    assert details['address'] == '198.51.100.7'
    assert wrong not in entry.details
    # The wait is over, the guessing goes on within the window: no second entry.
    session.exec(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=2)))
    session.commit()
    with pytest.raises(Invalid):
        sign_in(session, 'mia@kreis-wesel.de', wrong)
    assert len(entries(session, 'signin.failure_burst')) == 1
