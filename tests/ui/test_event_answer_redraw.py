"""An answer on an event page whose live redraw arrives before the click's handler resumes.

Found by benchmarks/bench_soak.py on a busy machine: the answer publishes 'events.rsvp', the page's LiveRefresh
redraws the answer box (deleting the button just pressed), and the handler then showed its confirmation in the
deleted button's slot: 'The parent element this slot belongs to has been deleted', logged as an error, and the member
saw no confirmation. Here the service call is held in its worker thread until the redraw has happened.
"""

import time
from typing import Any

import pytest
from nicegui import context
from nicegui.testing import User
from nicegui.testing.user_notify import UserNotify

from models.event import Answer
from services import attendance, db
from tests.ui.conftest import signed_in
from tests.ui.test_events_pages import LIVE_WAIT, Network, day_ahead, make_event, net  # noqa: F401 - net: a fixture


@pytest.fixture
def slow_answers(monkeypatch):
    """attendance.rsvp writes and publishes, then keeps its worker thread until the page's redraw is done."""
    from ui.pages.boards import LIVE_DELAY  # not at import: main.py registers the pages when the plugin runs it

    rsvp = attendance.rsvp

    def rsvp_then_wait(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = rsvp(*args, **kwargs)
        time.sleep(LIVE_DELAY + 1.0)
        return result

    monkeypatch.setattr(attendance, 'rsvp', rsvp_then_wait)


class PageNotify(UserNotify):
    """The simulated user's ui.notify only records the message; the real one first looks up `context.client`, which
    raises when the slot of the running handler was deleted. This one asks for it too."""

    def __call__(self, message: str, **kwargs: Any) -> None:
        context.client  # noqa: B018 - the lookup is the check
        super().__call__(message, **kwargs)


async def test_the_answer_is_confirmed_after_the_live_redraw(user: User, net: Network,  # noqa: F811
                                                             slow_answers: None):
    user.notify = PageNotify()
    event_id = make_event(net.mia, 'Fachtag E-Akte', day_ahead(5), capacity=10)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/events/{event_id}')
    await user.should_see(marker='answer-yes')

    user.find(marker='answer-yes').click()
    await user.should_see('Sie haben zugesagt (vor Ort).', retries=LIVE_WAIT)  # the redraw came first
    await user.should_see('Ihre Antwort ist gespeichert.', retries=LIVE_WAIT)
    assert db.call(attendance.my_answer, net.ben.id, event_id).answer == Answer.YES
