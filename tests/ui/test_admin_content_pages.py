"""The admin pages of this area: organisations, boards, the moderation queue; and hidden posts in a thread."""

import pytest
from nicegui import ui
from nicegui.testing import User

from models.user import Role
from services import boards, db, moderation, notifications, posts
from services import organizations as orgs
from tests.ui.conftest import add_user, set_settings, signed_in, wait_for

SLOW = 30
LIVE_WAIT = 50


@pytest.fixture
def people(user: User) -> dict:
    return {
        'ada': add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN),
        'mo': add_user('Mo Moderator', 'mo@kreis-wesel.de', role=Role.MODERATOR),
        'mia': add_user('Mia Müller', 'mia@luenen.de'),
        'ben': add_user('Ben Becker', 'ben@essen.de'),
    }


def _only(user: User, marker: str) -> ui.element:
    elements = user.find(marker=marker).elements
    assert len(elements) == 1, marker
    return next(iter(elements))


def _reported(people: dict) -> tuple[int, posts.PostView, int]:
    """Ada asks, Mia answers with spam, Ben reports it: (thread, reply, report)."""
    board = db.call(boards.create_board, actor=people['ada'], name='Allgemeines')
    thread_id = db.call(boards.create_thread, actor=people['ada'], board_id=board.id, title='Digitale Akte',
                        body='Wie habt ihr angefangen?')
    reply = db.call(posts.reply, actor=people['mia'], thread_id=thread_id, body='Kauft Zauberbohnen!')
    report = db.call(moderation.report_post, actor=people['ben'], post_id=reply.id, reason='Werbung')
    return thread_id, reply, report


# ---------------------------------------------------------------- who may open what


@pytest.mark.parametrize('route', ['/admin/organizations', '/admin/boards', '/admin/moderation'])
async def test_members_are_sent_away(user: User, people, route):
    await signed_in(user, 'mia@luenen.de')
    response = await user.http_client.get(route, follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/'


@pytest.mark.parametrize('route', ['/admin/organizations', '/admin/boards'])
async def test_moderators_are_sent_away_from_the_admin_only_pages(user: User, people, route):
    await signed_in(user, 'mo@kreis-wesel.de')
    response = await user.http_client.get(route, follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/'


async def test_a_moderator_opens_the_queue_and_sees_only_its_tab(user: User, people):
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open('/admin/moderation')
    await user.should_see('Moderation: 0 offene Meldungen')
    await user.should_see('Keine offenen Meldungen. Alles erledigt.')
    assert [link.text for link in user.find(marker='admin-tab').elements] == ['Moderation']


@pytest.mark.parametrize('route, heading', [('/admin/organizations', 'Verwaltungen'), ('/admin/boards', 'Foren'),
                                            ('/admin/moderation', 'Moderation: 0 offene Meldungen')])
async def test_an_admin_opens_every_page(user: User, people, route, heading):
    await signed_in(user, 'ada@essen.de')
    await user.open(route)
    await user.should_see(heading)


# ---------------------------------------------------------------- organisations


async def test_admin_adds_edits_and_finds_organisations(user: User, people):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/organizations')
    user.find(marker='new-organization').click()
    await user.should_see(marker='org-dialog')
    user.find(marker='field-name').type('Stadt Lünen')
    user.find(marker='field-city').type('Lünen')
    user.find(marker='field-website').type('luenen.de')
    user.find(marker='save-org').click()
    await user.should_see('Bitte eine Adresse mit https:// angeben.', retries=SLOW)
    _only(user, 'field-website').value = 'https://www.luenen.de'
    user.find(marker='save-org').click()
    await user.should_see('Gespeichert.', retries=SLOW)
    [row] = [r for r in db.call(orgs.list_organizations, viewer=people['ada']) if r.name == 'Stadt Lünen']
    assert (row.city, row.website) == ('Lünen', 'https://www.luenen.de')
    await user.should_see(marker=f'org-{row.id}')
    user.find(marker=f'edit-org-{row.id}').click()
    await user.should_see('Verwaltung bearbeiten')
    _only(user, 'field-name').value = 'Stadtverwaltung Lünen'
    user.find(marker='save-org').click()
    await wait_for(lambda: db.call(orgs.get_organization, row.id).name == 'Stadtverwaltung Lünen')
    await user.should_not_see(marker='org-dialog', retries=SLOW)  # closed and removed
    await user.open('/admin/organizations?q=verwaltung')
    await user.should_see(marker=f'org-{row.id}')
    assert _only(user, 'org-count').text == '1 Verwaltung'


async def test_admin_merges_a_duplicate_after_confirming(user: User, people):
    ada = people['ada']
    target = db.call(orgs.create_organization, actor=ada, name='Stadt Essen', kind='Kommune', level='kommunal')
    source = db.call(orgs.create_organization, actor=ada, name='Stadtverwaltung Essen', kind='Kommune',
                     level='kommunal')
    from services import members

    db.call(members.update_profile, actor=people['ben'], user_id=people['ben'].id, name='Ben Becker',
            organization='Stadtverwaltung Essen')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/organizations')
    user.find(marker=f'merge-org-{source.id}').click()
    await user.should_see(marker='merge-dialog', retries=SLOW)
    _only(user, 'field-target').value = target.id
    user.find(marker='merge-preview').click()
    await user.should_see(marker='merge-summary', retries=SLOW)
    summary = _only(user, 'merge-summary').text
    assert '„Stadtverwaltung Essen“ in „Stadt Essen“ zusammenführen?' in summary
    assert '1 Mitglied wechselt' in summary
    assert db.call(orgs.get_organization, source.id)  # nothing happened before the confirmation
    user.find(marker='confirm-merge').click()
    await user.should_see('„Stadtverwaltung Essen“ ist jetzt Teil von „Stadt Essen“.', retries=SLOW)
    names = [r.name for r in db.call(orgs.list_organizations, viewer=ada)]
    assert 'Stadtverwaltung Essen' not in names
    assert db.call(members.get_member, viewer=ada, member_id=people['ben'].id).organization == 'Stadt Essen'


# ---------------------------------------------------------------- boards


async def test_admin_creates_orders_limits_and_archives_boards(user: User, people):
    ada = people['ada']
    first = db.call(boards.create_board, actor=ada, name='Allgemeines')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/boards')
    user.find(marker='new-board').click()
    await user.should_see(marker='board-dialog')
    user.find(marker='field-name').type('Ankündigungen')
    user.find(marker='field-description').type('Neues aus dem Netzwerk')
    user.find(marker='moderators-only').click()
    user.find(marker='save-board').click()
    await user.should_see('Gespeichert.', retries=SLOW)
    rows = db.call(boards.list_boards_for_admin, actor=ada)
    assert [(r.name, r.slug, r.moderators_only) for r in rows] == [
        ('Allgemeines', 'allgemeines', False), ('Ankündigungen', 'ankuendigungen', True)]
    news = rows[1]
    await user.should_see(marker=f'board-{news.id}')
    user.find(marker=f'up-{news.id}').click()
    await wait_for(lambda: [r.id for r in db.call(boards.list_boards_for_admin, actor=ada)] == [news.id, first.id])
    user.find(marker=f'archive-{first.id}').click()
    await wait_for(lambda: db.call(boards.list_boards_for_admin, actor=ada)[1].archived)
    await user.should_see(marker='archived-badge', retries=SLOW)
    user.find(marker=f'edit-board-{first.id}').click()
    await user.should_see('Forum bearbeiten')
    _only(user, 'field-slug').value = 'Nicht Erlaubt!'
    user.find(marker='save-board').click()
    await user.should_see('Die Adresse darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten.', retries=SLOW)


# ---------------------------------------------------------------- moderation


async def test_moderator_hides_a_reported_post(user: User, people):
    thread_id, reply, report = _reported(people)
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open('/admin/moderation')
    await user.should_see('Moderation: 1 offene Meldung')
    with user.scope(marker=f'report-{report}'):
        await user.should_see('Kauft Zauberbohnen!')
        await user.should_see('Werbung')
        await user.should_see('Gemeldet von Ben Becker:')
        await user.should_see('Geschrieben von Mia Müller')
    assert _only(user, 'post-link').props['href'] == f'/threads/{thread_id}?page=1#post-2'
    user.find(marker=f'hide-{report}').click()
    await user.should_see('Der Beitrag ist ausgeblendet.', retries=SLOW)
    await user.should_see('Keine offenen Meldungen. Alles erledigt.')
    assert db.call(moderation.count_open_reports, actor=people['mo']) == 0
    [notice] = db.call(notifications.unread, viewer=people['ben'])
    assert notice.text == 'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag ausgeblendet.'
    await user.open('/admin/moderation?tab=handled')
    await user.should_see('Beitrag ausgeblendet')
    await user.should_see(marker=f'report-{report}')


async def test_deleting_asks_first(user: User, people):
    _thread_id, reply, report = _reported(people)
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/moderation')
    user.find(marker=f'delete-{report}').click()
    await user.should_see('Beitrag 2 in „Digitale Akte“ löschen?')
    assert db.call(moderation.count_open_reports, actor=people['ada']) == 1
    user.find(marker='confirm').click()
    await user.should_see('Der Beitrag wurde gelöscht.', retries=SLOW)
    assert db.call(posts.get_post, viewer=people['ada'], post_id=reply.id).deleted


async def test_a_new_report_appears_live(user: User, people):
    board = db.call(boards.create_board, actor=people['ada'], name='Allgemeines')
    thread_id = db.call(boards.create_thread, actor=people['ada'], board_id=board.id, title='Digitale Akte',
                        body='Wie habt ihr angefangen?')
    reply = db.call(posts.reply, actor=people['mia'], thread_id=thread_id, body='Kauft Zauberbohnen!')
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open('/admin/moderation')
    await user.should_see('Keine offenen Meldungen. Alles erledigt.')
    report = db.call(moderation.report_post, actor=people['ben'], post_id=reply.id, reason='Werbung')
    await user.should_see(marker=f'report-{report}', retries=LIVE_WAIT)
    await user.should_see('Moderation: 1 offene Meldung')


async def test_a_hidden_post_in_the_thread(user: User, people):
    thread_id, reply, report = _reported(people)
    db.call(moderation.handle_report, actor=people['mo'], report_id=report, action='hide')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{thread_id}')
    post = _only(user, 'post-2').content
    assert 'Dieser Beitrag wurde von der Moderation ausgeblendet.' in post and 'Zauberbohnen' not in post


async def test_the_author_sees_their_hidden_post_marked(user: User, people):
    thread_id, reply, report = _reported(people)
    db.call(moderation.handle_report, actor=people['mo'], report_id=report, action='hide')
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/threads/{thread_id}')
    post = _only(user, 'post-2').content
    assert 'Zauberbohnen' in post and 'Von der Moderation ausgeblendet' in post


async def test_a_moderator_shows_a_hidden_post_again(user: User, people):
    thread_id, reply, report = _reported(people)
    db.call(moderation.handle_report, actor=people['mo'], report_id=report, action='hide')
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open(f'/threads/{thread_id}')
    assert 'Zauberbohnen' in _only(user, 'post-2').content
    user.find(marker='actions-2').click()
    await user.should_see(marker='unhide-2')
    user.find(marker='unhide-2').click()
    await user.should_see('Der Beitrag ist wieder für alle sichtbar.', retries=SLOW)
    assert not db.call(posts.get_post, viewer=people['ben'], post_id=reply.id).hidden


# ---------------------------------------------------------------- content settings in the editor and thread


async def test_the_editor_shows_the_limits(user: User, people):
    set_settings(people['ada'], max_post_length=1000, allowed_file_types=['pdf', 'png'])
    board = db.call(boards.create_board, actor=people['ada'], name='Allgemeines')
    thread_id = db.call(boards.create_thread, actor=people['ada'], board_id=board.id, title='Digitale Akte',
                        body='Wie habt ihr angefangen?')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{thread_id}')
    user.find(marker='write-reply').click()
    await user.should_see(marker='reply-body')
    body = _only(user, 'reply-body')
    assert body.props['maxlength'] == 1000 and 'Höchstens 1.000 Zeichen.' in body.props['hint']
    user.find(marker='reply-body-attach').click()
    upload = _only(user, 'reply-body-upload')
    assert upload.props['accept'] == '.pdf,.png' and '.pdf, .png' in upload.props['label']


async def test_the_edit_action_disappears_after_the_window(user: User, people):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from models.board import Post

    board = db.call(boards.create_board, actor=people['ada'], name='Allgemeines')
    thread_id = db.call(boards.create_thread, actor=people['ada'], board_id=board.id, title='Digitale Akte',
                        body='Wie habt ihr angefangen?')
    old = db.call(posts.reply, actor=people['mia'], thread_id=thread_id, body='Früher geschrieben')
    db.call(posts.reply, actor=people['mia'], thread_id=thread_id, body='Eben geschrieben')

    def age(session) -> None:
        session.execute(update(Post).where(Post.id == old.id).values(
            created_at=datetime.now(UTC) - timedelta(minutes=30)))
        session.commit()

    db.call(age)
    set_settings(people['ada'], edit_window_minutes=15)
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/threads/{thread_id}')
    user.find(marker='actions-3').click()
    await user.should_see(marker='edit-3')
    user.find(marker='actions-2').click()
    await user.should_see(marker='quote-2')
    await user.should_not_see(marker='edit-2')


async def test_hiding_reaches_open_thread_pages_live(user: User, people):
    thread_id, reply, report = _reported(people)
    await signed_in(user, 'mia@luenen.de')  # the author: her page keeps the text, marked
    await user.open(f'/threads/{thread_id}')
    assert 'Zauberbohnen' in _only(user, 'post-2').content
    db.call(moderation.handle_report, actor=people['mo'], report_id=report, action='hide')
    await wait_for(lambda: 'Von der Moderation ausgeblendet' in _only(user, 'post-2').content, timeout=5)
    assert 'Zauberbohnen' in _only(user, 'post-2').content


async def test_hiding_reaches_other_readers_live(user: User, people):
    thread_id, reply, report = _reported(people)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{thread_id}')
    db.call(moderation.handle_report, actor=people['mo'], report_id=report, action='hide')
    await wait_for(lambda: 'Dieser Beitrag wurde von der Moderation ausgeblendet.' in _only(user, 'post-2').content,
                   timeout=5)
    assert 'Zauberbohnen' not in _only(user, 'post-2').content
