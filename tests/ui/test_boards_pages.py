"""Discussion boards as members see them: the board list, one board, starting a thread, a thread, search, files."""

import re
from dataclasses import dataclass

import pytest
from nicegui import ui
from nicegui.testing import User

from models.user import Role
from services import accounts, boards, db, moderation, posts
from services.board_views import BoardRef
from tests.ui.conftest import add_user, set_settings, signed_in, wait_for

# The smallest file services/uploads.py accepts as a PDF: it has to start with '%PDF-'.
PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
SLOW = 30  # should_see retries every 0.1 s: three seconds for what a click does in a worker thread
LIVE_WAIT = 50  # five seconds for a live update (LiveRefresh waits one second)


@dataclass
class Forum:
    ada: accounts.CurrentUser  # admin
    mo: accounts.CurrentUser  # moderator
    mia: accounts.CurrentUser  # member, Lünen
    ben: accounts.CurrentUser  # member, Essen
    general: BoardRef
    news: BoardRef  # only moderators write here
    old: BoardRef  # archived


def _board(admin: accounts.CurrentUser, name: str, slug: str, description: str = '', *,
           moderators_only: bool = False) -> BoardRef:
    return db.call(boards.create_board, actor=admin, name=name, slug=slug, description=description,
                   moderators_only=moderators_only)


def _thread(author: accounts.CurrentUser, board: BoardRef, title: str,
            body: str = 'Hat jemand Erfahrung damit?') -> int:
    return db.call(boards.create_thread, actor=author, board_id=board.id, title=title, body=body)


def _reply(author: accounts.CurrentUser, thread_id: int, body: str, **kwargs) -> posts.PostView:
    return db.call(posts.reply, actor=author, thread_id=thread_id, body=body, **kwargs)


def _question_id(author: accounts.CurrentUser, thread_id: int) -> int:
    """The id of post 1, read as its author (whose read mark is already at its end)."""
    view = db.call(boards.open_thread, viewer=author, thread_id=thread_id)
    assert view.question is not None
    return view.question.id


def _only(user: User, marker: str) -> ui.element:
    elements = user.find(marker=marker).elements
    assert len(elements) == 1, marker
    return next(iter(elements))


def listed(thread_id: int) -> str:
    """What a thread list's HTML holds for this thread (see ui.components.threads.thread_list), for should_see."""
    return f'<li data-thread="{thread_id}">'


def hit(post_id: int) -> str:
    """How the search page's result list holds this post (ui.pages.search), for should_see."""
    return f'<li data-hit="{post_id}"'


def _hit(user: User, post_id: int) -> str:
    found = re.search(f'{hit(post_id)}[^>]*>(.*?)</li>', _only(user, 'hit-list').content, re.S)
    assert found, post_id
    return found.group(1)


def _row(user: User, thread_id: int) -> str:
    """The list item of one thread on the open page."""
    found = re.search(f'{listed(thread_id)}(.*?)</li>', _only(user, 'thread-list').content, re.S)
    assert found, thread_id
    return found.group(1)


def _shown(element: ui.element) -> str:
    """All text an element and its children show (a post may be drawn as elements or as one HTML block)."""
    return ' '.join(str(c) for e in (element, *element.descendants())
                    for c in e._displayed_contents(only_visible=True) if c)


def _hrefs(user: User) -> set[str]:
    """Every link target on the page, from link elements and from HTML blocks."""
    found = set()
    for element in user.current_layout.descendants():
        if isinstance(element, ui.link):
            found.add(element.props.get('href', ''))
        elif isinstance(element, ui.html):
            found.update(re.findall(r'href="([^"]+)"', element.content))
    return found


async def _post_action(user: User, action: str, number: int) -> None:
    """Use one of a post's actions. Opens the post's actions menu first: where the actions are plain buttons,
    'actions-{n}' is their row and clicking it does nothing."""
    await _open_actions(user, number)
    user.find(marker=f'{action}-{number}').click()


async def _open_actions(user: User, number: int) -> None:
    user.find(marker=f'actions-{number}').click()
    await user.should_see(marker=f'quote-{number}')  # every reader who may reply can quote


@pytest.fixture
def forum(user: User) -> Forum:
    ada = add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)
    mo = add_user('Mo Moderator', 'mo@kreis-wesel.de', role=Role.MODERATOR)
    mia = add_user('Mia Müller', 'mia@luenen.de')
    ben = add_user('Ben Becker', 'ben@essen.de')
    general = _board(ada, 'Allgemeines', 'allgemein', 'Fragen aller Art')
    news = _board(ada, 'Ankündigungen', 'ankuendigungen', 'Neues aus dem Netzwerk', moderators_only=True)
    old = _board(ada, 'Altes Forum', 'altes-forum', 'Aus der Zeit vor dem Netzwerk')
    db.call(boards.archive_board, actor=ada, board_id=old.id)
    return Forum(ada, mo, mia, ben, general, news, old)


# ---------------------------------------------------------------- /boards


async def test_board_list_shows_counts_badges_news_and_the_archive(user: User, forum: Forum):
    _thread(forum.ada, forum.general, 'Digitale Akte einführen')
    theirs = _thread(forum.mia, forum.general, 'Wer kennt Vergabe-Software?')
    _reply(forum.ben, theirs, 'Wir nutzen eine vom Land.')
    await signed_in(user, 'ada@essen.de')
    await user.open('/boards')
    general = _only(user, 'board-allgemein').content
    assert '2 Themen · 3 Beiträge' in general
    assert '1 neu' in general  # Mia's thread; Ada's own thread is no news to her
    assert 'Wer kennt Vergabe-Software?' in general  # the latest activity
    news = _only(user, 'board-ankuendigungen').content
    assert 'Nur Moderation schreibt' in news
    assert '0 Themen · 0 Beiträge' in news
    assert 'Nur Moderation schreibt' not in general
    assert _only(user, 'view-unread').text == 'Ungelesen (1)'
    await user.should_see('Archiv')
    # The archived board sits in the list labelled "Archiv", the others do not.
    old = _only(user, 'board-altes-forum')
    assert old.parent_slot.parent.parent_slot.parent.props['aria-label'] == 'Archiv'
    active = _only(user, 'board-allgemein')
    assert active.parent_slot.parent.parent_slot.parent.props['aria-label'] == 'Foren'


async def test_unread_view_lists_threads_with_news_until_they_are_read(user: User, forum: Forum):
    mine = _thread(forum.ada, forum.general, 'Digitale Akte einführen')
    theirs = _thread(forum.mia, forum.general, 'Wer kennt Vergabe-Software?')
    await signed_in(user, 'ada@essen.de')
    await user.open('/boards?view=unread')
    await user.should_see('Themen mit Neuem für Sie: 1')
    await user.should_see(listed(theirs))
    await user.should_not_see(listed(mine))
    assert 'Wer kennt Vergabe-Software?' in _row(user, theirs)
    await user.should_not_see(marker='all-read')
    await user.open(f'/threads/{theirs}')  # reading it
    await user.should_see('Wer kennt Vergabe-Software?')
    await user.open('/boards?view=unread')
    await user.should_see('Alles gelesen. Neue Themen und Antworten erscheinen hier.')
    await user.should_see('Themen mit Neuem für Sie: 0')
    await user.should_not_see(listed(theirs))


# ---------------------------------------------------------------- /boards/{slug}


async def test_board_lists_its_threads_and_the_sort_links_filter_them(user: User, forum: Forum):
    answered = _thread(forum.ada, forum.general, 'Digitale Akte einführen')
    reply = _reply(forum.mia, answered, 'Mit einem Pilotamt anfangen.')
    db.call(posts.mark_solution, actor=forum.ada, post_id=reply.id)
    open_question = _thread(forum.mia, forum.general, 'Wer kennt Vergabe-Software?')
    elsewhere = _thread(forum.mo, forum.news, 'Neue Mitglieder im Netzwerk')
    await signed_in(user, 'ben@essen.de')
    await user.open('/boards/allgemein')
    await user.should_see('Fragen aller Art')
    await user.should_see(listed(answered))
    await user.should_see(listed(open_question))
    await user.should_not_see(listed(elsewhere))
    assert 'Gelöst' in _row(user, answered)
    assert '1 Antwort' in _row(user, answered)

    user.find(marker='sort-unanswered').click()
    await wait_for(lambda: user.back_history[-1] == '/boards/allgemein?sort=unanswered')
    await user.should_not_see(listed(answered))
    await user.should_see(listed(open_question))

    user.find(marker='sort-solved').click()
    await wait_for(lambda: user.back_history[-1] == '/boards/allgemein?sort=solved')
    await user.should_not_see(listed(open_question))
    await user.should_see(listed(answered))


async def test_a_new_thread_appears_in_the_open_board_without_reloading(user: User, forum: Forum):
    await signed_in(user, 'ben@essen.de')
    await user.open('/boards/allgemein')
    await user.should_see('Hier gibt es noch keine Themen.')
    thread_id = _thread(forum.mia, forum.general, 'Wer kennt Vergabe-Software?')
    await user.should_see(listed(thread_id), retries=LIVE_WAIT)
    await user.should_see('Die Liste wurde eben aktualisiert.')
    await user.should_not_see(marker='no-threads')


async def test_a_view_without_threads_says_so(user: User, forum: Forum):
    _thread(forum.mia, forum.general, 'Wer kennt Vergabe-Software?')
    await signed_in(user, 'ben@essen.de')
    await user.open('/boards/allgemein?sort=solved')
    await user.should_see('Keine Themen in dieser Ansicht.')


async def test_more_than_thirty_threads_get_a_second_page(user: User, forum: Forum):
    many = _board(forum.ada, 'Viele Fragen', 'viele')
    set_settings(forum.ada, posts_per_10_minutes=100)  # 31 threads at once: more than the limit against spam
    ids = [_thread(forum.mia, many, f'Frage Nummer {n}') for n in range(31)]
    await signed_in(user, 'ben@essen.de')
    await user.open('/boards/viele')
    await user.should_see('Seite 1 von 2')
    pagers = [p.content for p in user.find(marker='pager').elements]
    assert len(pagers) == 1
    assert '<a href="/boards/viele?page=2" rel="next"' in pagers[0] and 'rel="prev"' not in pagers[0]
    await user.should_see(listed(ids[-1]))  # newest activity first
    await user.should_not_see(listed(ids[0]))
    await user.open('/boards/viele?page=2')  # the link's target (a plain link: the browser follows it)
    assert 'href="/boards/viele?page=1" rel="prev"' in _only(user, 'pager').content
    await user.should_see('Seite 2 von 2')
    await user.should_see(listed(ids[0]))
    await user.should_not_see(listed(ids[-1]))


async def test_unknown_board_gives_a_friendly_not_found(user: User, forum: Forum):
    await signed_in(user, 'ben@essen.de')
    response = await user.http_client.get('/boards/gibt-es-nicht')
    assert response.status_code == 404
    assert 'Dieses Forum gibt es nicht.' in response.text
    assert 'Zu den Foren' in response.text


async def test_member_sees_why_they_cannot_start_a_thread_in_a_moderators_board(user: User, forum: Forum):
    await signed_in(user, 'mia@luenen.de')
    await user.open('/boards/ankuendigungen')
    await user.should_see('In diesem Forum schreibt nur die Moderation.')
    await user.should_see(marker='posting-closed')
    await user.should_not_see(marker='new-thread')


async def test_moderator_may_start_a_thread_in_a_moderators_board(user: User, forum: Forum):
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open('/boards/ankuendigungen')
    await user.should_see(marker='new-thread')
    await user.should_not_see(marker='posting-closed')


# ---------------------------------------------------------------- starting a thread


async def _open_new_thread_form(user: User, slug: str = 'allgemein') -> None:
    await user.open(f'/boards/{slug}')
    await user.should_not_see(marker='new-thread-form')  # hidden until asked for
    user.find(marker='new-thread').click()
    await user.should_see(marker='new-thread-form')


async def test_starting_a_thread_lands_on_it(user: User, forum: Forum):
    await signed_in(user, 'mia@luenen.de')
    await _open_new_thread_form(user)
    with user.scope(marker='new-thread-form'):
        user.find(marker='field-title').type('Wie plant ihr Bürgersprechstunden?')
        user.find(marker='thread-body').type('Wir suchen ein **Werkzeug** für Termine.')
        user.find(marker='create-thread').click()
    await wait_for(lambda: user.back_history[-1].startswith('/threads/'))
    await user.should_see(marker='reply-area')  # the thread page
    await user.should_see('Wie plant ihr Bürgersprechstunden?')
    thread_id = int(user.back_history[-1].removeprefix('/threads/'))
    await user.should_see(kind=ui.html, content='<strong>Werkzeug</strong>')
    view = db.call(boards.open_thread, viewer=forum.ada, thread_id=thread_id)
    assert (view.title, view.board.slug, view.author.name) == ('Wie plant ihr Bürgersprechstunden?', 'allgemein',
                                                               'Mia Müller')


async def test_empty_title_is_refused_beside_the_field_and_the_text_stays(user: User, forum: Forum):
    await signed_in(user, 'mia@luenen.de')
    await _open_new_thread_form(user)
    with user.scope(marker='new-thread-form'):
        user.find(marker='thread-body').type('Mein langer Text, der nicht verloren gehen darf.')
        user.find(marker='create-thread').click()
    await user.should_see('Bitte geben Sie einen Titel ein.', retries=SLOW)
    assert _only(user, 'field-title').props['error-message'] == 'Bitte geben Sie einen Titel ein.'
    assert _only(user, 'thread-body').value == 'Mein langer Text, der nicht verloren gehen darf.'
    assert user.back_history[-1] == '/boards/allgemein'
    assert db.call(boards.list_threads, viewer=forum.ada, slug='allgemein').total == 0


async def test_over_long_title_is_refused(user: User, forum: Forum):
    await signed_in(user, 'mia@luenen.de')
    await _open_new_thread_form(user)
    with user.scope(marker='new-thread-form'):
        user.find(marker='field-title').type('x' * 300)
        user.find(marker='thread-body').type('Text')
        user.find(marker='create-thread').click()
    await user.should_see('Der Titel darf höchstens 200 Zeichen haben', retries=SLOW)
    assert db.call(boards.list_threads, viewer=forum.ada, slug='allgemein').total == 0


async def test_typing_a_title_suggests_similar_threads(user: User, forum: Forum):
    existing = _thread(forum.ben, forum.general, 'Vergabe-Software gesucht')
    _thread(forum.ben, forum.general, 'Digitale Akte einführen')
    await signed_in(user, 'mia@luenen.de')
    await _open_new_thread_form(user)
    await user.should_not_see('Gibt es schon:')
    user.find(marker='field-title').type('Welche Software nutzt ihr?')
    await user.should_see('Gibt es schon:', retries=SLOW)
    link = _only(user, 'similar-thread')
    assert link.text == 'Vergabe-Software gesucht'
    assert link.props['href'] == f'/threads/{existing}'


# ---------------------------------------------------------------- /threads/{id}


@pytest.fixture
def question(forum: Forum) -> int:
    """Ada asks, Mia answers (post 2)."""
    thread_id = _thread(forum.ada, forum.general, 'Digitale Akte einführen', 'Wie habt ihr angefangen?')
    _reply(forum.mia, thread_id, 'Mit einem Pilotamt.')
    return thread_id


async def test_thread_shows_the_question_and_its_replies(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await user.should_see('Digitale Akte einführen')
    await user.should_see(kind=ui.html, content='Wie habt ihr angefangen?')
    with user.scope(marker='posts'):
        await user.should_see(kind=ui.html, content='Mit einem Pilotamt.')
        await user.should_see('Mia Müller')
        await user.should_not_see(content='Wie habt ihr angefangen?')  # the question stands above the replies
    assert 'data-counts>1 Antwort · ' in _only(user, 'thread-state').content


async def test_replying_adds_the_reply_to_the_page(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    user.find(marker='write-reply').click()  # the composer opens on demand
    user.find(marker='reply-body').type('In Essen haben wir mit dem Bürgeramt begonnen.')
    user.find(marker='send-reply').click()
    with user.scope(marker='posts'):
        await user.should_see(kind=ui.html, content='In Essen haben wir mit dem Bürgeramt begonnen.', retries=SLOW)
        await user.should_see('Ben Becker')
    assert _only(user, 'reply-body').value == ''  # the editor is emptied for the next reply
    assert db.call(boards.open_thread, viewer=forum.ada, thread_id=question).reply_count == 2


async def test_quoting_opens_the_composer_with_the_quote(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await user.should_not_see(marker='reply-body')  # the composer opens when wanted
    await _post_action(user, 'quote', 2)
    await user.should_see(marker='reply-body')
    text = _only(user, 'reply-body').value
    assert text.startswith('> **Mia Müller** (#2):') and '> Mit einem Pilotamt.' in text
    user.find(marker='reply-body').type('Das war bei uns genauso.')
    user.find(marker='send-reply').click()
    with user.scope(marker='posts'):
        await user.should_see(kind=ui.html, content='Das war bei uns genauso.', retries=SLOW)
    reply = db.call(boards.open_thread, viewer=forum.ben, thread_id=question).posts[-1]
    assert reply.body.startswith('> **Mia Müller**')


async def test_empty_reply_is_refused(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    user.find(marker='write-reply').click()
    user.find(marker='reply-body').type('   ')
    user.find(marker='send-reply').click()
    await user.should_see('Bitte schreiben Sie einen Text.', retries=SLOW)
    assert _only(user, 'reply-body').props['error-message'] == 'Bitte schreiben Sie einen Text.'
    assert db.call(boards.open_thread, viewer=forum.ada, thread_id=question).reply_count == 1


async def test_locked_thread_says_why_nobody_can_reply(user: User, forum: Forum, question: int):
    db.call(moderation.lock_thread, actor=forum.mo, thread_id=question)
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await user.should_see(marker='reply-blocked')
    assert _only(user, 'reply-blocked').text == 'Dieses Thema ist geschlossen: neue Antworten sind nicht mehr möglich.'
    await user.should_not_see(marker='write-reply')
    await user.should_not_see(marker='send-reply')
    await user.should_see(marker='thread-state', content='data-badge="locked"')


async def test_author_marks_a_reply_as_the_solution(user: User, forum: Forum, question: int):
    await signed_in(user, 'ada@essen.de')
    await user.open(f'/threads/{question}')
    await user.should_not_see(marker='solution')
    await user.should_not_see(marker='thread-state', content='data-badge="solved"')
    await _post_action(user, 'solve', 2)
    await user.should_see(marker='solution', retries=SLOW)
    solution = _shown(_only(user, 'solution'))
    assert 'Mit einem Pilotamt.' in solution
    assert 'von Mia Müller' in solution
    await user.should_see(marker='thread-state', content='data-badge="solved"')
    assert db.call(boards.open_thread, viewer=forum.ada, thread_id=question).solution.number == 2


async def test_thanking_for_a_reply_shows_the_count(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    with user.scope(marker='posts'):
        await user.should_not_see(content='Danke 1')
    await _post_action(user, 'react-thanks', 2)
    with user.scope(marker='posts'):
        await user.should_see(content='Danke 1', retries=SLOW)
    mia_post = db.call(boards.open_thread, viewer=forum.ben, thread_id=question).posts[1]
    assert (mia_post.thanks, mia_post.mine) == (1, ('thanks',))


async def test_member_cannot_edit_someone_elses_post(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await _open_actions(user, 2)
    await user.should_see(marker='report-2')
    await user.should_not_see(marker='edit-2')
    await user.should_not_see(marker='delete-2')
    await _open_actions(user, 1)
    await user.should_see(marker='report-1')
    await user.should_not_see(marker='edit-1')


async def test_moderator_may_edit_and_delete_every_post(user: User, forum: Forum, question: int):
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open(f'/threads/{question}')
    await _open_actions(user, 2)
    await user.should_see(marker='edit-2')
    await user.should_see(marker='delete-2')
    await _open_actions(user, 1)
    await user.should_see(marker='edit-1')


async def test_editing_my_reply_shows_the_new_text_and_bearbeitet(user: User, forum: Forum, question: int):
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/threads/{question}')
    await _open_actions(user, 1)
    await user.should_not_see(marker='edit-1')  # Ada's question
    with user.scope(marker='posts'):
        await user.should_not_see(content='bearbeitet')
    await _post_action(user, 'edit', 2)
    await user.should_see(marker='edit-body-2')
    assert _only(user, 'edit-body-2').value == 'Mit einem Pilotamt.'
    user.find(marker='edit-body-2').clear().type('Mit einem Pilotamt und viel Geduld.')
    user.find(marker='save-edit-2').click()
    with user.scope(marker='posts'):
        await user.should_see(content='bearbeitet', retries=SLOW)
        await user.should_see(kind=ui.html, content='Mit einem Pilotamt und viel Geduld.')
    mia_post = db.call(boards.open_thread, viewer=forum.ada, thread_id=question).posts[1]
    assert (mia_post.body, mia_post.edited_at is not None) == ('Mit einem Pilotamt und viel Geduld.', True)


async def test_deleting_my_reply_leaves_a_placeholder(user: User, forum: Forum, question: int):
    await signed_in(user, 'mia@luenen.de')
    await user.open(f'/threads/{question}')
    await _post_action(user, 'delete', 2)
    await user.should_see(marker='confirm-delete')
    await user.should_see('Diesen Beitrag löschen?')
    user.find(marker='confirm').click()
    with user.scope(marker='posts'):
        await user.should_see(content='Dieser Beitrag wurde gelöscht.', retries=LIVE_WAIT)
        await user.should_not_see(content='Mit einem Pilotamt.')
    assert db.call(boards.open_thread, viewer=forum.ada, thread_id=question).reply_count == 0


async def test_reporting_a_post_reaches_the_moderators(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await _post_action(user, 'report', 2)
    await user.should_see(marker='report-dialog')
    with user.scope(marker='report-dialog'):
        user.find(marker='field-reason').type('Werbung für ein Produkt.')
        user.find(marker='send-report').click()
    await user.should_see('Danke! Die Moderation kümmert sich darum.', retries=SLOW)
    await wait_for(lambda: len(db.call(moderation.list_reports, actor=forum.ada)) == 1)
    reports = db.call(moderation.list_reports, actor=forum.ada)
    assert [(r.post_number, r.reason, r.reporter.name, r.thread_id) for r in reports] == [
        (2, 'Werbung für ein Produkt.', 'Ben Becker', question)]


async def test_unknown_thread_gives_a_friendly_not_found(user: User, forum: Forum):
    await signed_in(user, 'ben@essen.de')
    for path in ('/threads/999999', '/threads/abc'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
        assert 'Dieses Thema gibt es nicht (mehr).' in response.text, path


async def test_a_reply_written_elsewhere_appears_without_reloading(user: User, forum: Forum, question: int):
    await signed_in(user, 'ada@essen.de')
    await user.open(f'/threads/{question}')
    with user.scope(marker='posts'):
        await user.should_see(kind=ui.html, content='Mit einem Pilotamt.')
    assert 'data-counts>1 Antwort · ' in _only(user, 'thread-state').content
    _reply(forum.ben, question, 'Live aus Essen: wir haben es auch geschafft.')
    with user.scope(marker='posts'):
        await user.should_see(kind=ui.html, content='Live aus Essen: wir haben es auch geschafft.',
                              retries=LIVE_WAIT)
    await user.should_see('Neue Antwort von Ben Becker.')
    assert 'data-counts>2 Antworten · ' in _only(user, 'thread-state').content  # the count follows


# ---------------------------------------------------------------- /search


@pytest.fixture
def searchable(forum: Forum) -> dict[str, int]:
    """Post ids: the word 'Ausschreibung' in a solved thread (Mia, Allgemeines), in an open one (Ben, Allgemeines)
    and in the announcements (Mo)."""
    solved = _thread(forum.ada, forum.general, 'Vergabe digital', 'Wer macht die Ausschreibung elektronisch?')
    mia = _reply(forum.mia, solved, 'Wir machen jede Ausschreibung über die Vergabeplattform.')
    db.call(posts.mark_solution, actor=forum.ada, post_id=mia.id)
    unsolved = _thread(forum.ben, forum.general, 'Fristen bei Bauaufträgen', 'Gilt die Frist auch für die '
                       'Ausschreibung kleiner Bauaufträge?')
    announcement = _thread(forum.mo, forum.news, 'Neue Vorlage', 'Die Vorlage für jede Ausschreibung ist online.')
    return {'question': _question_id(forum.ada, solved), 'mia': mia.id, 'ben': _question_id(forum.ben, unsolved),
            'mo': _question_id(forum.mo, announcement)}


async def test_search_finds_a_post_with_a_highlighted_snippet(user: User, forum: Forum, searchable):
    await signed_in(user, 'ben@essen.de')
    await user.open('/search?q=Vergabeplattform')
    await user.should_see(hit(searchable["mia"]))
    found = _hit(user, searchable['mia'])
    assert '<mark>Vergabeplattform</mark>' in found
    assert 'Vergabe digital' in found  # the thread's title links to the post
    assert 'Mia Müller' in found
    await user.should_see('1 Treffer')


async def test_search_filters_in_the_address_narrow_the_results(user: User, forum: Forum, searchable):
    await signed_in(user, 'ben@essen.de')
    await user.open('/search?q=Ausschreibung')
    await user.should_see('4 Treffer')
    for post_id in searchable.values():
        await user.should_see(hit(post_id))

    await user.open('/search?q=Ausschreibung&board=ankuendigungen')
    await user.should_see('1 Treffer')
    await user.should_see(hit(searchable["mo"]))
    await user.should_not_see(hit(searchable["ben"]))

    await user.open('/search?q=Ausschreibung&solved=1')
    await user.should_see('2 Treffer')
    await user.should_see(hit(searchable["mia"]))
    await user.should_see(hit(searchable["question"]))
    await user.should_not_see(hit(searchable["ben"]))
    await user.should_not_see(hit(searchable["mo"]))

    await user.open(f'/search?q=Ausschreibung&author={forum.mia.id}')
    await user.should_see('1 Treffer')
    await user.should_see(hit(searchable["mia"]))
    await user.should_not_see(hit(searchable["question"]))
    assert _only(user, 'author-filter').text == 'Nur Beiträge von Mia Müller ✕'


async def test_search_without_words_asks_for_them(user: User, forum: Forum, searchable):
    await signed_in(user, 'ben@essen.de')
    await user.open('/search')
    await user.should_see(marker='search-empty-query')
    await user.should_see('Geben Sie Suchbegriffe ein oder wählen Sie einen Filter.')
    await user.should_not_see(marker='search-count')


# ---------------------------------------------------------------- attachments


async def test_attachment_downloads_as_a_file_that_browsers_do_not_sniff(user: User, forum: Forum, question: int):
    view = _reply(forum.mia, question, 'Anbei der Plan.', attachments=[('plan.pdf', PDF)])
    (file,) = view.attachments
    url = f'/files/{file.stored_name}/plan.pdf'
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    with user.scope(marker='posts'):
        await user.should_see(content='plan.pdf')
    assert url in _hrefs(user)  # the page links to it
    response = await user.http_client.get(url)  # signed in: the session cookie travels with it
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers['content-type'] == 'application/pdf'
    assert response.headers['content-disposition'].startswith('attachment;')
    assert 'plan.pdf' in response.headers['content-disposition']
    assert response.headers['x-content-type-options'] == 'nosniff'
    # Its own stricter policy wins over the pages' one: a file never runs script, even opened in a tab.
    assert response.headers['content-security-policy'] == "default-src 'none'; sandbox"
    missing = await user.http_client.get('/files/' + '0' * 32 + '/plan.pdf')
    assert missing.status_code == 404


async def test_a_reply_carries_a_file_attached_in_the_editor(user: User, forum: Forum, question: int):
    from nicegui.elements.upload_files import SmallFileUpload

    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    user.find(marker='write-reply').click()
    await user.should_see(marker='reply-body')
    # No uploader until someone wants to attach: each one is a route that outlives its page in FastAPI's cache.
    assert not [e for e in user.current_layout.descendants() if isinstance(e, ui.upload)]
    user.find(marker='reply-body-attach').click()
    upload = _only(user, 'reply-body-upload')
    await upload.handle_uploads([SmallFileUpload('plan.pdf', 'application/pdf', PDF)])
    with user.scope(marker='reply-body-files'):
        await user.should_see(content='plan.pdf')
    await user.should_not_see(marker='reply-body-attach')  # the button made way for the uploader
    user.find(marker='reply-body').type('Anbei unser Plan.')
    user.find(marker='send-reply').click()
    with user.scope(marker='posts'):
        await user.should_see(content='plan.pdf', retries=SLOW)
    reply = db.call(boards.open_thread, viewer=forum.ben, thread_id=question).posts[-1]
    assert [a.filename for a in reply.attachments] == ['plan.pdf']


async def test_attachments_are_not_served_to_visitors(user: User, forum: Forum, question: int):
    import httpx
    from nicegui import app

    view = _reply(forum.mia, question, 'Anbei der Plan.', attachments=[('plan.pdf', PDF)])
    (file,) = view.attachments
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        response = await client.get(f'/files/{file.stored_name}/plan.pdf')
    assert response.status_code == 303
    assert response.headers['location'].startswith('/login?next=')


# ---------------------------------------------------------------- moderation


async def _moderate(user: User, action: str) -> None:
    user.find(marker='moderation').click()  # the menu is built when opened
    user.find(marker=action).click()


async def test_members_have_no_moderation_menu(user: User, forum: Forum, question: int):
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await user.should_see('Digitale Akte einführen')
    await user.should_not_see(marker='moderation')


async def test_moderator_pins_and_locks_a_thread_and_it_is_audited(user: User, forum: Forum, question: int):
    from services import audit

    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open(f'/threads/{question}')
    await _moderate(user, 'pin')
    await user.should_see(marker='thread-state', content='data-badge="pinned"', retries=SLOW)
    await _moderate(user, 'lock')
    await user.should_see(marker='thread-state', content='data-badge="locked"', retries=SLOW)
    view = db.call(boards.open_thread, viewer=forum.ben, thread_id=question)
    assert (view.pinned, view.locked, view.can_reply) == (True, True, False)
    actions = [e.action for e in db.call(audit.list_entries) if e.actor_id == forum.mo.id]
    assert {'thread.pin', 'thread.lock'} <= set(actions)


async def test_moderator_moves_a_thread_to_another_board(user: User, forum: Forum, question: int):
    other = _board(forum.ada, 'Personal', 'personal')
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open(f'/threads/{question}')
    await _moderate(user, 'move')
    await user.should_see(marker='move-dialog')
    _only(user, 'move-target').set_value(other.id)
    user.find(marker='confirm-move').click()
    await wait_for(lambda: db.call(boards.open_thread, viewer=forum.ben, thread_id=question).board.id == other.id)
    listing = db.call(boards.list_threads, viewer=forum.ben, slug='personal')
    assert [r.id for r in listing.items] == [question]


async def test_moderator_deletes_a_thread_and_lands_on_its_board(user: User, forum: Forum, question: int):
    await signed_in(user, 'mo@kreis-wesel.de')
    await user.open(f'/threads/{question}')
    await _moderate(user, 'delete-thread')
    await user.should_see(marker='confirm-delete-thread')
    user.find(marker='confirm').click()
    await user.should_see('Fragen aller Art', retries=SLOW)  # the board's description
    assert db.call(boards.list_threads, viewer=forum.ben, slug='allgemein').items == []
    response = await user.http_client.get(f'/threads/{question}')
    assert response.status_code == 404


# ---------------------------------------------------------------- regressions: page bugs these tests found


async def test_taking_back_my_thanks_is_shown_as_taken_back(user: User, forum: Forum, question: int):
    # Live events carry no viewer, so the page keeps the reader's own reactions for them; taking a reaction back
    # must still show as taken back (the next click would otherwise give it again).
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/threads/{question}')
    await _post_action(user, 'react-thanks', 2)
    with user.scope(marker='posts'):
        await user.should_see(content='Danke 1', retries=SLOW)
    await _post_action(user, 'react-thanks', 2)
    with user.scope(marker='posts'):
        await user.should_not_see(content='Danke 1', retries=SLOW)
    mia_post = db.call(boards.open_thread, viewer=forum.ben, thread_id=question).posts[1]
    assert (mia_post.thanks, mia_post.mine) == (0, ())  # the service took it back
    await _open_actions(user, 2)
    thanks = _only(user, 'react-thanks-2')
    assert thanks.props.get('aria-pressed', 'false') == 'false'  # where it is a toggle button
    assert 'zurücknehmen' not in _shown(thanks)  # where it is a menu item: "Danke", not "Danke zurücknehmen"


async def test_out_of_range_ids_in_the_address_give_not_found_not_a_server_error(user: User, forum: Forum, caplog):
    # A number too large for the database (SQLite: OverflowError) must not escape as a server error.
    await signed_in(user, 'ben@essen.de')
    huge = '9' * 25
    try:
        response = await user.http_client.get(f'/threads/{huge}')
        assert response.status_code == 404
        assert 'Dieses Thema gibt es nicht (mehr).' in response.text
        for key in ('author', 'org'):
            response = await user.http_client.get(f'/search?q=Akte&{key}={huge}')
            assert response.status_code == 200, key
        for path in (f'/members/{huge}', f'/organizations/{huge}', f'/members?org={huge}'):
            response = await user.http_client.get(path)
            assert response.status_code == (200 if '?' in path else 404), path
        assert (await user.http_client.get('/threads/abc?page=abc')).status_code == 404
    finally:
        # Server errors are logged; left in the log, they make the user fixture fail in its teardown, which leaves
        # NiceGUI started and breaks every later page test of the run. The assertions above report the failure.
        caplog.clear()


# ---------------------------------------------------------------- start page and profile


async def test_start_page_shows_what_is_new_on_the_boards(user: User, forum: Forum):
    await signed_in(user, 'ben@essen.de')
    await user.should_see('Nichts Neues seit Ihrem letzten Besuch.')
    _thread(forum.mia, forum.general, 'Wer kennt sich mit Vergaberecht aus?')
    await user.open('/')
    with user.scope(marker='board-news'):
        await user.should_see(content='Wer kennt sich mit Vergaberecht aus?')
        await user.should_not_see('Nichts Neues seit Ihrem letzten Besuch.')


async def test_profile_lists_the_members_threads_and_links_to_all_their_posts(user: User, forum: Forum):
    _thread(forum.mia, forum.general, 'Erfahrungen mit der E-Rechnung?')
    await signed_in(user, 'ben@essen.de')
    await user.open(f'/members/{forum.mia.id}')
    with user.scope(marker='member-threads'):
        await user.should_see(content='Erfahrungen mit der E-Rechnung?')
    assert f'/search?author={forum.mia.id}' in _hrefs(user)
    await user.open(f'/members/{forum.ben.id}')
    await user.should_see('Noch keine Themen begonnen.')


# ---------------------------------------------------------------- page costs (ui/page_costs.py)


async def test_closing_a_page_leaves_little_for_the_garbage_collector(user: User, forum: Forum, question: int):
    for n in range(20):
        _reply(forum.mia, question, f'Antwort Nummer {n} mit **Markdown**.')
    await signed_in(user, 'ben@essen.de')
    page = await user.open(f'/threads/{question}')
    user.find(marker='write-reply').click()  # a redrawn part: elements removed while the page lives
    await user.should_see(marker='reply-body')
    elements = len(page.elements)
    await user.open('/boards')  # the browser moves on; nobody will reconnect to the thread page
    import gc

    gc.collect()
    gc.disable()
    try:
        page.delete()
        del page
        cyclic = gc.collect()
    finally:
        gc.enable()
    # Each element's props, classes and style referred to themselves: about 8 objects per element waited for the
    # collector (858 here). Some page-level objects (NiceGUI's client, the page's object with its refreshable parts)
    # still form cycles: 45 here.
    from nicegui import app

    from ui import page_costs

    # Empty tab storages do not pile up for 30 days.
    assert app.storage.max_tab_storage_age == page_costs.TAB_STORAGE_AGE
    assert cyclic < 2 * elements, f'{cyclic} objects of a page with {elements} elements waited for the collector'
