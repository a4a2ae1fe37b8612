"""The admin list of boards: every board, archived ones included, in their order, with counts."""

import pytest

from services import audit, boards
from services.errors import NotAllowed


def test_admin_list_has_archived_boards_in_order_with_counts(session, ada_admin, mia_member):
    first = boards.create_board(session, actor=ada_admin, name='Allgemeines').id
    old = boards.create_board(session, actor=ada_admin, name='Altes Forum').id
    last = boards.create_board(session, actor=ada_admin, name='Technik').id
    boards.create_thread(session, actor=mia_member, board_id=old, title='Eine alte Frage', body='Text')
    boards.archive_board(session, actor=ada_admin, board_id=old)
    boards.move_board(session, actor=ada_admin, board_id=last, offset=-2)
    rows = boards.list_boards_for_admin(session, actor=ada_admin)
    assert [(r.id, r.archived) for r in rows] == [(last, False), (first, False), (old, True)]
    assert (rows[2].thread_count, rows[2].post_count) == (1, 1)
    assert [b.board.id for b in boards.list_boards(session, viewer=mia_member)][-1] == old  # archived last there


def test_limiting_posting_to_the_moderation(session, ada_admin, mia_member, mo_moderator):
    board = boards.create_board(session, actor=ada_admin, name='Ankündigungen')
    boards.update_board(session, actor=ada_admin, board_id=board.id, name='Ankündigungen', moderators_only=True)
    assert boards.list_boards_for_admin(session, actor=ada_admin)[0].moderators_only
    with pytest.raises(NotAllowed):
        boards.create_thread(session, actor=mia_member, board_id=board.id, title='Meine Ankündigung', body='Text')
    assert boards.create_thread(session, actor=mo_moderator, board_id=board.id, title='Neue Version', body='Text')
    assert len(audit.list_entries(session, action='board.update')) == 1


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator', 'dora_deactivated'])
def test_only_admins_see_the_admin_list(session, ada_admin, persona, request):
    boards.create_board(session, actor=ada_admin, name='Allgemeines')
    with pytest.raises(NotAllowed):
        boards.list_boards_for_admin(session, actor=request.getfixturevalue(persona))
