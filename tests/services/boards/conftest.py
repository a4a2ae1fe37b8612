"""Shared set-up of the discussion-board service tests."""

import pytest
from sqlmodel import Session

from models.board import Board, Thread
from services import boards
from tests.services.conftest import make_user


@pytest.fixture(autouse=True)
def fresh_objects(session: Session) -> None:
    """In the app every action has its own session; here one session serves a whole test, so what a commit
    wrote is read back from the database (as a new session would) instead of from stale objects."""
    session.expire_on_commit = True


@pytest.fixture
def board_id(session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Allgemeines').id


@pytest.fixture
def other_board_id(session, ada_admin) -> int:
    return boards.create_board(session, actor=ada_admin, name='Technik').id


@pytest.fixture
def olaf(session):
    """Another ordinary member."""
    return make_user(session, 'Olaf Other', 'olaf@essen.de')


def thread_row(session: Session, thread_id: int) -> Thread:
    """The thread as stored now."""
    thread = session.get(Thread, thread_id, populate_existing=True)
    assert thread is not None
    return thread


def board_row(session: Session, board_id: int) -> Board:
    """The board as stored now."""
    board = session.get(Board, board_id, populate_existing=True)
    assert board is not None
    return board
