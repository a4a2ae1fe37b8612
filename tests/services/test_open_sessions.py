"""accounts.check_open_sessions: what the app asks every minute about the sessions of its open pages."""

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col

from models.base import utcnow
from models.user import UserSession
from services import accounts, bus
from services import settings as site_settings
from tests.services.conftest import PASSWORD


def _sign_in(session, email: str) -> str:  # noqa: ANN001
    return accounts.sign_in(session, email=email, password=PASSWORD).session_id


def _set(session, sid: str, **values: object) -> None:  # noqa: ANN001
    session.exec(update(UserSession).where(col(UserSession.id) == sid).values(**values))
    session.commit()


def test_only_live_sessions_stay_and_those_over_their_lifetime_end_now(session, ada_admin, mia_member,
                                                                       dora_deactivated):
    site_settings.update_settings(session, actor=ada_admin, values={'session_days': 2, 'idle_minutes': 10})
    live, old, idle, signed_out = (_sign_in(session, 'mia@kreis-wesel.de') for _ in range(4))
    _set(session, old, created_at=utcnow() - timedelta(days=2, minutes=1))
    _set(session, idle, last_seen_at=utcnow() - timedelta(minutes=16))  # beyond 10 + TOUCH_INTERVAL
    accounts.sign_out(session, session_id=signed_out)
    ended = []
    bus.subscribe('sessions.ended', ended.append)
    gone = accounts.check_open_sessions(session, [live, old, idle, signed_out, 'never-existed'])
    assert sorted(gone) == sorted([old, idle, signed_out, 'never-existed'])
    assert sorted(ended[-1].data['session_ids']) == sorted([old, idle])  # the ones it ended itself
    assert accounts.user_for_session(session, live) is not None
    assert accounts.user_for_session(session, old) is None and accounts.user_for_session(session, idle) is None


def test_pages_in_use_keep_an_idle_session_alive(session, ada_admin, mia_member):
    site_settings.update_settings(session, actor=ada_admin, values={'idle_minutes': 10})
    sid = _sign_in(session, 'mia@kreis-wesel.de')
    _set(session, sid, last_seen_at=utcnow() - timedelta(minutes=16))
    assert accounts.check_open_sessions(session, [sid], used={sid}) == []
    assert utcnow() - session.get(UserSession, sid).last_seen_at < timedelta(minutes=1)


def test_many_open_sessions_are_checked_in_bounded_batches(session, mia_member):
    live = _sign_in(session, 'mia@kreis-wesel.de')
    unknown = [f'unknown-{i}' for i in range(1200)]
    assert accounts.check_open_sessions(session, [*unknown, live]) == unknown
