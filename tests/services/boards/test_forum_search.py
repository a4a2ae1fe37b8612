"""Searching the boards: German folding, highlighted and escaped snippets, filters, sorting, pages."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import Post
from services import accounts, boards, members, moderation, posts
from services import settings as site_settings
from services.errors import NotAllowed
from services.forum_search import PAGE_SIZE, PostFilters, search_posts
from tests.services.conftest import make_user

# ---------------------------------------------------------------- helpers


def member(session: Session, name: str, email: str, organization: str):
    user = make_user(session, name, email)
    members.update_profile(session, actor=user, user_id=user.id, name=name, organization=organization)
    return accounts.get_user(session, user.id)


@pytest.fixture
def forum(session, ada_admin):
    """Two boards; Anna (Stadt Essen) and Bernd (Kreis Wesel) write."""
    people = {
        'anna': member(session, 'Anna Schmidt', 'anna@essen.de', 'Stadt Essen'),
        'bernd': member(session, 'Bernd Müller', 'bernd@kreis-wesel.de', 'Kreis Wesel'),
    }
    ids = {
        'verwaltung': boards.create_board(session, actor=ada_admin, name='Verwaltung').id,
        'technik': boards.create_board(session, actor=ada_admin, name='Technik').id,
    }
    return {**people, **ids}


def start(session: Session, actor, board_id: int, title: str, body: str) -> int:
    return boards.create_thread(session, actor=actor, board_id=board_id, title=title, body=body)


def first_post(session: Session, thread_id: int) -> int:
    return session.execute(select(Post.id).where(col(Post.thread_id) == thread_id, col(Post.number) == 1)).scalar_one()


def find(session: Session, viewer, sort: str = 'relevance', page: int = 1, **filters):
    return search_posts(session, viewer=viewer, filters=PostFilters(**filters), sort=sort, page=page)


def ids(result) -> list[int]:
    return [hit.post_id for hit in result.items]


def set_created(session: Session, post_id: int, when) -> None:
    session.execute(update(Post).where(col(Post.id) == post_id).values(created_at=when))
    session.commit()


# ---------------------------------------------------------------- German folding


def test_umlauts_are_found_spelled_out_and_as_typed(session, forum):
    thread_id = start(session, forum['anna'], forum['verwaltung'], 'Beteiligung vor Ort',
                      'Wie organisieren Sie Bürgerbeteiligung in Ihrer Stadt?')
    post_id = first_post(session, thread_id)
    for q in ('buergerbet', 'Bürgerbet', 'BÜRGERBETEILIGUNG', 'buergerbeteiligung stadt'):
        assert ids(find(session, forum['bernd'], q=q)) == [post_id], q
    assert ids(find(session, forum['bernd'], q='buergerbet gemeinde')) == []  # every word must match


def test_spelled_out_text_is_found_by_umlauts(session, forum):
    thread_id = start(session, forum['anna'], forum['verwaltung'], 'Strassenbau und Gruende',
                      'Die Strassenbaubeitraege sind abgeschafft.')
    post_id = first_post(session, thread_id)
    assert ids(find(session, forum['bernd'], q='Straßenbaubeiträge')) == [post_id]
    assert ids(find(session, forum['bernd'], q='gründe')) == [post_id]  # in the title


def test_snippet_marks_the_words_found(session, forum):
    start(session, forum['anna'], forum['verwaltung'], 'Beteiligung vor Ort',
          'Wie organisieren Sie Bürgerbeteiligung in Ihrer Stadt?')
    hit = find(session, forum['bernd'], q='buergerbet').items[0]
    assert '<mark>Bürgerbeteiligung</mark>' in hit.snippet_html
    assert hit.snippet_html.count('<mark>') == 1
    assert hit.title_html == 'Beteiligung vor Ort'
    title_hit = find(session, forum['bernd'], q='beteiligung').items[0]
    assert title_hit.title_html == '<mark>Beteiligung</mark> vor Ort'


def test_snippet_and_title_escape_html_from_the_post(session, forum):
    start(session, forum['anna'], forum['technik'], 'Filter gegen <b>Skripte</b>',
          'Wir filtern <script>alert("x")</script> und `<img src=x onerror=alert(1)>` aus der Bürgerbeteiligung.')
    hit = find(session, forum['bernd'], q='Bürgerbeteiligung').items[0]
    assert '<script>' not in hit.snippet_html and '<img' not in hit.snippet_html
    assert '&lt;script&gt;' in hit.snippet_html
    assert '&lt;img src=x onerror=alert(1)&gt;' in hit.snippet_html
    assert '<mark>Bürgerbeteiligung</mark>' in hit.snippet_html
    assert hit.title_html == 'Filter gegen &lt;b&gt;Skripte&lt;/b&gt;'
    marked = find(session, forum['bernd'], q='skripte').items[0]
    assert marked.title_html == 'Filter gegen &lt;b&gt;<mark>Skripte</mark>&lt;/b&gt;'


def test_a_long_post_is_cut_around_the_word_found(session, forum):
    body = ' '.join(['Vorspann'] * 60) + ' Hier steht Haushaltssperre im Text. ' + ' '.join(['Nachspann'] * 80)
    start(session, forum['anna'], forum['verwaltung'], 'Ein langer Beitrag', body)
    snippet = find(session, forum['bernd'], q='haushaltssperre').items[0].snippet_html
    assert snippet.startswith('… ') and snippet.endswith(' …')
    assert '<mark>Haushaltssperre</mark>' in snippet
    assert len(snippet) < 320


def test_query_operators_are_plain_text(session, forum):
    post_id = first_post(session, start(session, forum['anna'], forum['verwaltung'], 'Vergabe AND Recht',
                                        'Text über Vergabe'))
    # No syntax error from FTS5: every word is a word to look for, whatever operator it spells.
    for q in ('vergabe AND', '"vergabe', 'vergabe*', 'vergabe -recht'):
        assert ids(find(session, forum['bernd'], q=q)) == [post_id], q
    for q in ('NEAR(vergabe)', 'title:vergabe', 'vergabe OR'):
        assert ids(find(session, forum['bernd'], q=q)) == [], q


# ---------------------------------------------------------------- filters


@pytest.fixture
def posts_everywhere(session, forum, mo_moderator):
    """Vergabe in both boards, by both authors; one thread solved."""
    a = start(session, forum['anna'], forum['verwaltung'], 'Vergabe von Bauleistungen', 'Anna fragt zur Vergabe.')
    b = start(session, forum['bernd'], forum['technik'], 'Vergabe von IT', 'Bernd fragt zur Vergabe.')
    answer = posts.reply(session, actor=forum['bernd'], thread_id=a, body='Bernd antwortet: Vergabe ist einfach.')
    posts.mark_solution(session, actor=forum['anna'], post_id=answer.id)
    return {'a1': first_post(session, a), 'a2': answer.id, 'b1': first_post(session, b), 'a': a, 'b': b}


def test_filter_by_board(session, forum, posts_everywhere):
    p = posts_everywhere
    assert sorted(ids(find(session, forum['anna'], q='vergabe', board='verwaltung'))) == sorted([p['a1'], p['a2']])
    assert ids(find(session, forum['anna'], q='vergabe', board='technik')) == [p['b1']]
    assert ids(find(session, forum['anna'], q='vergabe', board='gibt-es-nicht')) == []
    hit = find(session, forum['anna'], q='vergabe', board='technik').items[0]
    assert (hit.board_slug, hit.board_name, hit.thread_title) == ('technik', 'Technik', 'Vergabe von IT')


def test_filter_by_author(session, forum, posts_everywhere):
    p = posts_everywhere
    assert ids(find(session, forum['anna'], q='vergabe', author=forum['anna'].id)) == [p['a1']]
    assert sorted(ids(find(session, forum['anna'], q='vergabe', author=forum['bernd'].id))) == sorted(
        [p['a2'], p['b1']])
    hit = find(session, forum['anna'], q='vergabe', author=forum['anna'].id).items[0]
    assert hit.author is not None and hit.author.name == 'Anna Schmidt' and hit.author.organization == 'Stadt Essen'


def test_filter_by_organisation(session, forum, posts_everywhere):
    p = posts_everywhere
    essen, wesel = forum['anna'].organization_id, forum['bernd'].organization_id
    assert essen and wesel and essen != wesel
    assert ids(find(session, forum['anna'], q='vergabe', org=essen)) == [p['a1']]
    assert sorted(ids(find(session, forum['anna'], q='vergabe', org=wesel))) == sorted([p['a2'], p['b1']])
    assert ids(find(session, forum['anna'], org=essen)) == [p['a1']]  # a filter alone is a search


def test_filter_solved(session, forum, posts_everywhere):
    p = posts_everywhere
    result = find(session, forum['anna'], q='vergabe', solved=True)
    assert sorted(ids(result)) == sorted([p['a1'], p['a2']])
    by_id = {h.post_id: h for h in result.items}
    assert by_id[p['a2']].is_solution and by_id[p['a2']].solved
    assert not by_id[p['a1']].is_solution and by_id[p['a1']].solved
    assert by_id[p['a2']].url == f'/threads/{p["a"]}?page=1#post-2'


def test_filter_by_date_range(session, forum, posts_everywhere):
    p = posts_everywhere
    now = utcnow()
    set_created(session, p['a1'], now - timedelta(days=40))
    set_created(session, p['a2'], now - timedelta(days=10))
    today = now.date()
    assert ids(find(session, forum['anna'], q='vergabe', since=today)) == [p['b1']]
    assert sorted(ids(find(session, forum['anna'], q='vergabe', since=today - timedelta(days=20)))) == sorted(
        [p['a2'], p['b1']])
    assert ids(find(session, forum['anna'], q='vergabe', until=today - timedelta(days=20))) == [p['a1']]
    assert ids(find(session, forum['anna'], q='vergabe', since=today - timedelta(days=10),
                    until=today - timedelta(days=10))) == [p['a2']]  # both ends are whole days
    assert ids(find(session, forum['anna'], since=today - timedelta(days=45),
                    until=today - timedelta(days=30))) == [p['a1']]
    assert ids(find(session, forum['anna'], q='vergabe', since=date(2000, 1, 1), until=date(2000, 12, 31))) == []


def test_filters_combine(session, forum, posts_everywhere):
    p = posts_everywhere
    assert ids(find(session, forum['anna'], q='vergabe', board='verwaltung', author=forum['bernd'].id,
                    solved=True)) == [p['a2']]
    assert ids(find(session, forum['anna'], q='vergabe', board='technik', solved=True)) == []


# ---------------------------------------------------------------- what is not found


def test_deleted_posts_are_not_found(session, forum, posts_everywhere, mo_moderator):
    p = posts_everywhere
    posts.delete_post(session, actor=mo_moderator, post_id=p['a2'])
    assert p['a2'] not in ids(find(session, forum['anna'], q='vergabe'))
    assert p['a2'] not in ids(find(session, forum['anna'], author=forum['bernd'].id))  # without words too
    assert ids(find(session, forum['anna'], q='einfach')) == []


def test_deleted_threads_are_not_found(session, forum, posts_everywhere, mo_moderator):
    p = posts_everywhere
    moderation.delete_thread(session, actor=mo_moderator, thread_id=p['a'])
    assert ids(find(session, forum['anna'], q='vergabe')) == [p['b1']]
    assert ids(find(session, forum['anna'], board='verwaltung')) == []  # without words too
    assert ids(find(session, forum['anna'], solved=True)) == []


# ---------------------------------------------------------------- order and pages


def test_newest_first(session, forum, posts_everywhere):
    p = posts_everywhere
    assert ids(find(session, forum['anna'], q='vergabe', sort='newest')) == [p['a2'], p['b1'], p['a1']]
    assert ids(find(session, forum['anna'], board='verwaltung')) == [p['a2'], p['a1']]  # without words


def test_relevance_ranks_the_title_higher(session, forum):
    body_only = start(session, forum['anna'], forum['verwaltung'], 'Eine allgemeine Frage',
                      'Nebenbei: Wie ist das mit dem Haushaltsrecht und weiteren Dingen in Ihrer Verwaltung?')
    in_title = start(session, forum['bernd'], forum['verwaltung'], 'Haushaltsrecht', 'Eine Frage dazu')
    assert ids(find(session, forum['anna'], q='haushaltsrecht')) == [
        first_post(session, in_title), first_post(session, body_only)]


def test_pages(session, forum):
    thread_id = start(session, forum['anna'], forum['verwaltung'], 'Sammelthema Wasser', 'Erster Beitrag')
    replies = [posts.reply(session, actor=forum['bernd'], thread_id=thread_id, body=f'Grundwasser Nummer {n}').id
               for n in range(PAGE_SIZE + 5)]
    first = find(session, forum['anna'], q='grundwasser', sort='newest')
    assert (first.total, first.page, first.pages, first.capped) == (PAGE_SIZE + 5, 1, 2, False)
    assert ids(first) == list(reversed(replies))[:PAGE_SIZE]
    second = find(session, forum['anna'], q='grundwasser', sort='newest', page=2)
    assert ids(second) == list(reversed(replies))[PAGE_SIZE:]
    assert find(session, forum['anna'], q='grundwasser', sort='newest', page=9).page == 2
    relevance = find(session, forum['anna'], q='grundwasser', page=2)
    assert len(relevance.items) == 5 and relevance.ranked_among is None
    all_ids = ids(find(session, forum['anna'], q='grundwasser')) + ids(relevance)
    assert sorted(all_ids) == sorted(replies)
    hit = second.items[-1]
    assert hit.number == 2 and hit.page == 1
    late = first.items[0]
    assert late.number == PAGE_SIZE + 6 and late.url == f'/threads/{thread_id}?page=1#post-{PAGE_SIZE + 6}'


def test_hits_link_to_the_page_of_the_post(session, forum, ada_admin):
    # Bernd writes 51 replies at once, more than the limit against spam allows in ten minutes.
    site_settings.update_settings(session, actor=ada_admin, values={'posts_per_10_minutes': 100})
    thread_id = start(session, forum['anna'], forum['verwaltung'], 'Sehr langes Thema', 'Anfang')
    for n in range(2, 53):
        posts.reply(session, actor=forum['bernd'], thread_id=thread_id,
                    body='Stichwort Brandschutz' if n == 52 else f'Antwort {n}')
    hit = find(session, forum['anna'], q='brandschutz').items[0]
    assert (hit.number, hit.page) == (52, 2)
    assert hit.url == f'/threads/{thread_id}?page=2#post-52'


# ---------------------------------------------------------------- empty searches and permissions


@pytest.mark.parametrize('q', ['', '   '])
def test_an_empty_search_finds_nothing(session, forum, posts_everywhere, q):
    result = find(session, forum['anna'], q=q)
    assert (result.items, result.total, result.page, result.pages) == ([], 0, 1, 1)


@pytest.mark.parametrize('q', ['?!', '"*"', '-'])
def test_a_query_without_words_and_without_filters_finds_nothing(session, forum, posts_everywhere, q):
    result = find(session, forum['anna'], q=q)
    assert (result.items, result.total) == ([], 0)


@pytest.mark.parametrize('persona', ['pia_pending', 'dora_deactivated'])
def test_pending_and_deactivated_users_cannot_search(session, forum, posts_everywhere, persona, request):
    with pytest.raises(NotAllowed):
        find(session, request.getfixturevalue(persona), q='vergabe')


def test_whole_words_fill_a_capped_result_before_prefixes_are_tried(session, forum, monkeypatch):
    import services.forum_search as forum_search

    monkeypatch.setattr(forum_search, 'CANDIDATES', 2)
    compound = start(session, forum['anna'], forum['verwaltung'], 'Antragsteller fragen nach', 'Antragsteller.')
    whole = [start(session, forum['bernd'], forum['verwaltung'], f'Ein Antrag Nummer {i}', 'Der Antrag.')
             for i in range(2)]
    capped = find(session, forum['anna'], q='Antrag')
    assert capped.capped and {h.thread_id for h in capped.items} == set(whole)
    # Fewer whole-word hits than the limit: the prefix search runs and finds the compound too.
    monkeypatch.setattr(forum_search, 'CANDIDATES', 10)
    everything = find(session, forum['anna'], q='Antrag')
    assert not everything.capped and compound in {h.thread_id for h in everything.items}
    assert {h.thread_id for h in find(session, forum['anna'], q='antragst').items} == {compound}
