"""The hourly clean-up deletes exactly what is past its time, and nothing a member still needs."""

from datetime import timedelta

from sqlmodel import select

from models.base import utcnow
from models.notification import Notification
from models.user import LoginAttempt, PasswordReset, UserSession
from services import retention


def test_prune_removes_what_is_past_its_time_and_keeps_the_rest(session, mia_member):
    now = utcnow()
    old, recent = now - timedelta(days=400), now - timedelta(days=2)
    session.add_all([
        LoginAttempt(email_key='mia@kreis-wesel.de', at=now - timedelta(days=91), success=True),
        LoginAttempt(email_key='mia@kreis-wesel.de', at=now - timedelta(days=89), success=False),
        UserSession(id='ended-long-ago', user_id=mia_member.id, ended_at=now - timedelta(days=31)),
        UserSession(id='ended-lately', user_id=mia_member.id, ended_at=recent),
        UserSession(id='live', user_id=mia_member.id, last_seen_at=old),  # alive: its lifetime is the setting's
        Notification(user_id=mia_member.id, kind='reply', text='alt, gelesen', read_at=now - timedelta(days=181)),
        Notification(user_id=mia_member.id, kind='reply', text='neu, gelesen', read_at=recent),
        Notification(user_id=mia_member.id, kind='reply', text='alt, ungelesen', created_at=old),
        PasswordReset(token_hash='a' * 64, user_id=mia_member.id, expires_at=now - timedelta(days=8)),
        PasswordReset(token_hash='b' * 64, user_id=mia_member.id, expires_at=now + timedelta(hours=20)),
    ])
    session.commit()

    pruned = retention.prune(session, now=now)

    assert pruned == retention.Pruned(login_attempts=1, sessions=1, notices=1, resets=1)
    assert len(session.exec(select(LoginAttempt)).all()) == 1
    assert sorted(s.id for s in session.exec(select(UserSession))) == ['ended-lately', 'live']
    assert sorted(n.text for n in session.exec(select(Notification))) == ['alt, ungelesen', 'neu, gelesen']
    assert [r.token_hash for r in session.exec(select(PasswordReset))] == ['b' * 64]
    assert retention.prune(session, now=now) == retention.Pruned(0, 0, 0, 0)  # nothing twice
