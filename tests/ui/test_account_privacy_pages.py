"""/account: downloading my data (with its progress) and deleting my own account, as a member sees them."""

import io
import zipfile

import httpx
import pytest
from nicegui import app
from nicegui.testing import User

from models.user import Role
from services import accounts, boards, data_export, db
from services.errors import NotFound
from tests.ui.conftest import PASSWORD, add_user, signed_in, wait_for


@pytest.fixture(autouse=True)
def _no_old_jobs():
    data_export.reset()  # jobs live in memory; member ids repeat from one test's database to the next
    yield
    data_export.reset()


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


@pytest.fixture
def mia(ada: accounts.CurrentUser) -> accounts.CurrentUser:
    return add_user('Mia Mitglied', 'mia@luenen.de')


def _one(user: User, marker: str):  # noqa: ANN202
    return next(iter(user.find(marker=marker).elements))


async def test_member_sees_the_export_wait_then_downloads_the_zip(user: User, mia):
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    await user.should_see('Meine Daten herunterladen')
    # Another export holds the only building slot: this one waits, and the page says so.
    data_export._builds.acquire()
    try:
        user.find(marker='export-start').click()
        await user.should_see('Ihr Export wartet darauf, erstellt zu werden')
        await user.should_see(marker='export-progress')
        await user.should_not_see(marker='export-start')  # one export at a time
    finally:
        data_export._builds.release()
    await user.should_see(marker='export-download', retries=100)  # the page looks each second (0.1 s a retry)
    await user.should_see('Ihr Export ist fertig')

    href = _one(user, 'export-download').props['href']
    response = await user.http_client.get(href)
    assert response.status_code == 200
    assert response.headers['content-type'] == 'application/zip'
    assert response.headers['content-disposition'].startswith('attachment; filename="verwaltungsnetz-meine-daten-')
    profile = zipfile.ZipFile(io.BytesIO(response.content)).read('profile.json').decode('utf-8')
    assert 'Mia Mitglied' in profile and 'mia@luenen.de' in profile
    assert href.startswith('/account/export/') and href.endswith('.zip')
    assert (await user.http_client.get(f'/account/export/{"f" * 32}.zip')).status_code == 404

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as stranger:
        anonymous = await stranger.get(href)
    assert anonymous.status_code == 303 and anonymous.headers['location'].startswith('/login')


async def test_member_deletes_her_account_keeping_posts_and_lands_on_the_sign_in_page(user: User, ada, mia):
    board = db.call(boards.create_board, actor=ada, name='Digitales').id
    thread = db.call(boards.create_thread, actor=mia, board_id=board, title='Wer nutzt die E-Akte?', body='Frage')
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    user.find(marker='delete-account-open').click()
    await user.should_see('Ihr Konto endgültig löschen?')
    await user.should_see('Beiträge behalten als „Ehemaliges Mitglied“')

    user.find(marker='field-password').type('falsches-Passwort-1')
    user.find(marker='confirm-delete-account').click()
    await user.should_see('Das Passwort stimmt nicht.', retries=50)  # checked in a worker thread
    assert db.call(accounts.get_user, mia.id).status == 'active'

    _one(user, 'field-password').value = PASSWORD
    user.find(marker='confirm-delete-account').click()
    await wait_for(lambda: user.back_history and user.back_history[-1] == '/login', timeout=10)
    await user.should_see('Ihr Konto wurde gelöscht')

    gone = db.call(accounts.get_user, mia.id)
    assert (gone.name, gone.status) == ('Ehemaliges Mitglied', 'deleted')
    view = db.call(boards.open_thread, viewer=ada, thread_id=thread)
    assert view.posts[0].author.name == 'Ehemaliges Mitglied' and view.posts[0].body == 'Frage'
    await user.open('/account')  # the session is over
    await user.should_see('Anmelden')
    await user.should_not_see('Konto löschen')


async def test_member_deletes_her_account_with_her_posts(user: User, ada, mia):
    board = db.call(boards.create_board, actor=ada, name='Digitales').id
    thread = db.call(boards.create_thread, actor=mia, board_id=board, title='Nur meine Frage', body='Frage')
    await signed_in(user, 'mia@luenen.de')
    await user.open('/account')
    user.find(marker='delete-account-open').click()
    _one(user, 'field-keep_posts').value = False
    user.find(marker='field-password').type(PASSWORD)
    user.find(marker='confirm-delete-account').click()
    await wait_for(lambda: user.back_history and user.back_history[-1] == '/login', timeout=10)

    assert db.call(accounts.get_user, mia.id).status == 'deleted'
    with pytest.raises(NotFound):  # the thread went with its only post
        db.call(boards.open_thread, viewer=ada, thread_id=thread)


async def test_the_only_administrator_is_told_why_she_cannot_delete_her_account(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/account')
    user.find(marker='delete-account-open').click()
    user.find(marker='field-password').type(PASSWORD)
    user.find(marker='confirm-delete-account').click()
    await user.should_see('Sie sind die einzige aktive Administratorin oder der einzige aktive Administrator.',
                          retries=50)  # checked in a worker thread
    assert db.call(accounts.get_user, ada.id).status == 'active'
