"""Injected text stays text (issue #8, item 2; ASVS V5.3).

One network is seeded through the services, before the server starts, with XSS vectors (tests/xss_vectors.py) in
every text field a member or an administrator can fill: profiles, organisations, boards, threads, posts and their
file names, events and their material, messages and conversation titles, reports, invitations and the settings.
Then Chromium opens every page that shows them, anonymously, as a member and as an administrator (one sign-in each,
every page in a new tab), and checks on each page that

- no dialog opened and the global marker `window.__xss` stayed undefined (no script ran), and
- no element carries an injected event handler, a `javascript:`/`data:text/html` address, an injected frame, object
  or style expression (so nothing would run on a hover or a click either), and
- the seeded text is there, as text (each plain field shows its value verbatim; Markdown fields show the marker
  word of every vector; the tab's title shows the page's name), so a field that silently disappeared cannot pass
  for a safe one.

Each value starts with a marker word: `ptNNN` for a plain field holding one to three vectors, `mdNNNvKK` for vector
KK in Markdown field NNN. The test counts the vectors found on each page (vectors × fields × pages) and prints it.
"""

import contextlib
import csv
import io
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from models.user import Role
from services import (
    accounts,
    attendance,
    board_views,
    boards,
    db,
    events,
    files,
    members,
    messages,
    moderation,
    posts,
    uploads,
)
from services import organizations as orgs
from services import settings as site_settings
from services.local_time import ZONE
from tests.browser.conftest import PASSWORD, sign_in
from tests.xss_vectors import FILE_NAME_VECTORS, VECTORS, Vector

PDF = b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
PLAIN_TOKEN = re.compile(r'pt\d{3}')
MARKDOWN_TOKEN = re.compile(r'md\d{3}v\d{2}')

# Everything a page shows as text: rendered text plus what form fields hold (the profile and settings forms).
VISIBLE_TEXT_JS = """() => [document.body.innerText,
    ...Array.from(document.querySelectorAll('input, textarea'), el => el.value)].join('\\n')"""
ALL_SHOWN_JS = f'tokens => {{ const t = ({VISIBLE_TEXT_JS})(); return tokens.every(x => t.includes(x)); }}'

# What would run on a hover, a focus or a click, or load foreign code: reported as "tag attr=value".
DANGEROUS_DOM_JS = r"""() => {
    const found = [];
    const urlAttrs = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster',
                              'srcset', 'ping', 'codebase']);
    const root = document.getElementById('app') || document.body;
    for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'link', 'applet', 'style']
                .includes(tag) && /__xss|alert\(/.test(el.outerHTML)) {
            found.push(tag + ' element');
        }
        for (const a of el.attributes) {
            const name = a.name.toLowerCase();
            const value = a.value;
            const bare = value.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028-\u202f\ufeff]/g, '')
                .toLowerCase();
            if (name.startsWith('on') && /__xss|alert\(/.test(value)) found.push(`${tag} ${name}=${value}`);
            if (urlAttrs.has(name) && /^(javascript|vbscript|data:text\/html)/.test(bare))
                found.push(`${tag} ${name}=${value}`);
            if (name === 'srcdoc') found.push(`${tag} srcdoc=${value}`);
            if (name === 'style' && /expression\(|javascript:/i.test(value)) found.push(`${tag} style=${value}`);
            if ((name.startsWith('v-') || name.startsWith(':') || name.startsWith('@')) && /__xss|alert\(/.test(value))
                found.push(`${tag} ${name}=${value}`);
        }
    }
    return found;
}"""


@dataclass
class Slot:
    """One text field of one object, holding vectors."""

    token: str
    field: str
    vectors: tuple[Vector, ...]
    shown: str = ''  # a plain field's text as pages show it ('' for Markdown fields)

    @property
    def markdown(self) -> bool:
        return self.token.startswith('md')

    def tokens(self) -> list[str]:
        if self.markdown:
            return [f'{self.token}v{i:02d}' for i in range(len(self.vectors))]
        return [self.token]


@dataclass
class World:
    """The seeded network: its fields and, per page, which of them the page must show."""

    slots: dict[str, Slot] = field(default_factory=dict)
    member_pages: dict[str, list[str]] = field(default_factory=dict)
    admin_pages: dict[str, list[str]] = field(default_factory=dict)
    anonymous_pages: dict[str, list[str]] = field(default_factory=dict)
    pending_pages: dict[str, list[str]] = field(default_factory=dict)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # a file to choose once the page is open
    # (role, accessible name) of what to click once the page is open, for what only a click shows (dialogs);
    # such a visit's address carries a #fragment, so the same page is also checked as it first appears
    clicks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)  # what the browser tab's title must show
    site_name: str = ''
    _cursors: Counter = field(default_factory=Counter)
    _tokens: dict[str, str] = field(default_factory=dict)

    def plain(self, field_name: str, limit: int, *, count: int = 2, pool: tuple[Vector, ...] = VECTORS,
              prefix: str = '', suffix: str = '', sep: str = ' ',
              shown: Callable[[str], str] | None = None) -> str:
        """A value of at most `limit` characters: a marker word and the next `count` vectors that fit."""
        token = f'pt{len(self.slots):03d}'
        chosen: list[Vector] = []
        length = len(prefix) + len(token) + len(suffix)
        for _ in range(len(pool)):
            cursor = 'files' if pool is FILE_NAME_VECTORS else 'all'
            vector = pool[self._cursors[cursor] % len(pool)]
            self._cursors[cursor] += 1
            if length + len(sep) + len(vector.text) <= limit:
                chosen.append(vector)
                length += len(sep) + len(vector.text)
                if len(chosen) == count:
                    break
        assert chosen, f'no vector fits into {field_name} ({limit} characters)'
        value = prefix + sep.join([token, *(v.text for v in chosen)]) + suffix
        self.slots[token] = Slot(token, field_name, tuple(chosen), (shown or _collapsed)(value))
        self._tokens[value] = token
        return value

    def markdown(self, field_name: str, vectors: tuple[Vector, ...] = VECTORS, *, lead: str = '') -> str:
        """Markdown text: one paragraph per vector, each starting with its own marker word."""
        token = f'md{len(self.slots):03d}'
        self.slots[token] = Slot(token, field_name, vectors)
        paragraphs = [f'{token}v{i:02d} {v.text}' for i, v in enumerate(vectors)]
        value = '\n\n'.join(([lead] if lead else []) + paragraphs)
        self._tokens[value] = token
        return value

    def expect(self, pages: dict[str, list[str]], url: str, *values: str, title: str = '') -> None:
        """The page at `url` must show these fields (given by the values they were seeded with), and its title
        (in the browser's tab) the field `title` and the network's name."""
        found = pages.setdefault(url, [])
        for value in values:
            found.extend(t for t in self.slots[self._tokens[value]].tokens() if t not in found)
        if title:
            self.titles[url] = [self.slots[self._tokens[v]].shown for v in (title, self.site_name)]


def _collapsed(value: str) -> str:
    return ' '.join(value.split())


def _named(*names: str) -> tuple[Vector, ...]:
    return tuple(v for v in VECTORS if v.name in names)


def _tag(value: str) -> str:
    return members.normalize_tag(value)[0]


def _chunks(items: tuple[Vector, ...], n: int) -> list[tuple[Vector, ...]]:
    size = -(-len(items) // n)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _seed(data_dir: Path) -> World:  # noqa: PLR0915 - one story, told in order
    """The network, written through the services as members and an administrator would write it."""
    data_dir.mkdir(parents=True)
    files.configure(data_dir)
    url = f'sqlite:///{data_dir / "verwaltungsnetz.db"}'
    db.configure(url)
    db.upgrade(url)
    w = World()
    m, a, anonymous = w.member_pages, w.admin_pages, w.anonymous_pages
    try:
        ada, _ = db.call(accounts.create_admin, email='ada@essen.de', name='Ada Admin', password=PASSWORD)

        # Settings: every text an administrator writes for everyone.
        welcome = w.markdown('settings.welcome_text')
        legal = {key: w.markdown(f'settings.{key}') for key in ('imprint_text', 'privacy_text', 'accessibility_text')}
        # The network's name is in every page's <title>: it gets the vector that would close that element.
        w.site_name = w.plain('settings.site_name', 80, count=1, pool=_named('title-breakout'))
        texts = {'site_name': w.site_name,
                 'site_description': w.plain('settings.site_description', 300, count=4),
                 'notice_text': w.plain('settings.notice_text', 500, count=6)}
        db.call(site_settings.update_settings, actor=ada, values={
            **texts, 'welcome_text': welcome, **legal, 'notice_enabled': True})
        # Pages open in this order; the list of unread threads comes before the threads are read.
        for path in ('/', '/boards?view=unread', '/members', '/boards', '/events', '/messages', '/notifications',
                     '/imprint'):
            w.expect(m, path, texts['site_name'], texts['notice_text'])
        w.expect(m, '/', welcome, texts['site_description'])
        for key, path in (('imprint_text', '/imprint'), ('privacy_text', '/privacy'),
                          ('accessibility_text', '/accessibility')):
            w.expect(m, path, legal[key])
        w.expect(a, '/admin', *texts.values(), welcome, *legal.values())
        for path in ('/login', '/privacy'):
            w.expect(anonymous, path, texts['site_name'], texts['notice_text'])
        w.expect(anonymous, '/privacy', legal['privacy_text'])

        # Organisations an administrator adds.
        org_ids, org_names = [], []
        for _i in range(2):
            name = w.plain('organization.name', 200, count=3)
            city = w.plain('organization.city', 100, count=2)
            # An address must start with https://; what follows is anyone's guess.
            website = w.plain('organization.website', 300, count=1, prefix='https://example.org/?q=',
                              pool=tuple(v for v in VECTORS if ' ' not in v.text))
            org = db.call(orgs.create_organization, actor=ada, name=name, city=city, website=website)
            org_ids.append(org.id)
            org_names.append(name)
            w.expect(m, f'/organizations/{org.id}', name, city, website)
            w.expect(m, '/organizations', name)
            w.expect(a, '/admin/organizations', name)

        # Members: Mia (whose pages the test opens) and five colleagues, every profile field filled.
        people, profiles = [], []
        bios = _chunks(VECTORS, 6)
        for i in range(6):
            email = 'mia@luenen.de' if i == 0 else f'kollegin{i}@essen.de'
            user, _ = db.call(accounts.create_admin, email=email, name=f'Mitglied {i}', password=PASSWORD)
            db.call(accounts.set_role, actor=ada, user_id=user.id, role=Role.MEMBER)
            profile = {
                'name': w.plain('member.name', 100), 'pronouns': w.plain('member.pronouns', 40, count=1),
                'department': w.plain('member.department', 120), 'position': w.plain('member.position', 120),
                'location': w.plain('member.location', 100),
                'other_contact': w.plain('member.other_contact', 300, count=4),
                'organization': w.plain('member.organization', 200, count=3), 'bio': w.markdown('member.bio', bios[i])}
            tags = {'topics': [w.plain('member.topic', 50, count=1, shown=_tag) for _ in range(2)],
                    'offers': [w.plain('member.offer', 50, count=1, shown=_tag)],
                    'needs': [w.plain('member.need', 50, count=1, shown=_tag)]}
            db.call(members.update_profile, actor=user, user_id=user.id, email_visibility='all',
                    location_visibility='all', **profile, **tags)
            people.append(db.call(accounts.get_user, user.id))
            profiles.append(profile)
            fields = [*profile.values(), *(t for values in tags.values() for t in values)]
            w.expect(m, f'/members/{user.id}', *fields, title=profile['name'])
            w.expect(m, '/members', profile['name'], profile['position'])
            w.expect(m, '/organizations', profile['organization'])
            w.expect(a, '/admin/users', profile['name'])
            w.expect(a, '/admin/organizations', profile['organization'])
            if i == 0:
                w.expect(m, '/profile', *fields)
        mia, one, two, three, four, _five = people
        # Finding people: by a word of the name (the search page) and of the position (the directory).
        w.expect(m, f'/search?q={profiles[0]["name"].split()[0]}', profiles[0]['name'])
        w.expect(m, f'/members?q={profiles[2]["position"].split()[0]}', profiles[2]['name'], profiles[2]['position'])

        # Someone waiting for approval (administrators see them) and an invitation with a name and a note.
        pending = w.plain('pending.name', 100)
        db.call(accounts.register, name=pending, email='neu@essen.de', password=PASSWORD,
                organization=w.plain('pending.organization', 200), consent=True)
        # The list names an invitation by its note (else its address, else the name it prefills); the invited
        # person sees the name and the organisation on the registration form, before signing in.
        invited_name = w.plain('invitation.name', 100)
        invite = db.call(accounts.create_invitation, actor=ada, name=invited_name, organization_id=org_ids[0])
        note = w.plain('invitation.note', 200, count=3)
        db.call(accounts.create_invitation, actor=ada, email='gast@essen.de', note=note)
        w.expect(a, '/admin/users', pending)
        w.expect(w.pending_pages, '/pending', texts['site_name'], texts['notice_text'])
        # A reset link opened by someone not signed in.
        reset = db.call(accounts.create_password_reset, actor=ada, user_id=mia.id)
        w.expect(anonymous, f'/reset/{reset}', texts['site_name'], texts['notice_text'])
        w.expect(a, '/admin/invitations', invited_name, note)
        w.expect(anonymous, f'/register?invite={invite.token}', invited_name, org_names[0])

        # Boards, threads, posts, tags and file names.
        board_ids, slugs = [], []
        for i in range(2):
            name = w.plain('board.name', 80, count=1)
            description = w.plain('board.description', 500, count=6)
            board = db.call(boards.create_board, actor=ada, name=name, description=description, slug=f'forum-{i}')
            board_ids.append(board.id)
            slugs.append(board.slug)
            w.expect(m, '/boards', name, description)
            w.expect(m, f'/boards/{board.slug}', name, title=name)
            w.expect(a, '/admin/boards', name)
        thread_ids, titles = [], []
        for i, (author, board_index) in enumerate(((one, 0), (mia, 0), (two, 1))):
            breakouts = _named('title-breakout', 'script-breakout', 'textarea-breakout')  # the first one's title
            title = w.plain('thread.title', 200, count=3, pool=breakouts if i == 0 else VECTORS)
            thread_tags = [w.plain('thread.tag', 50, count=1, shown=_tag) for _ in range(2)]
            body = w.markdown('post.body', VECTORS if i == 0 else _chunks(VECTORS, 2)[i - 1], lead='Rathaus Haushalt')
            names = [w.plain('attachment.filename', 200, count=3, pool=FILE_NAME_VECTORS, suffix='.pdf',
                             shown=uploads.clean_filename) for _ in range(2 if i < 2 else 0)]
            thread_id = db.call(boards.create_thread, actor=author, board_id=board_ids[board_index], title=title,
                                body=body, tags=thread_tags, attachments=[(n, PDF) for n in names])
            thread_ids.append(thread_id)
            titles.append(title)
            w.expect(m, f'/threads/{thread_id}', title, *thread_tags, body, *names, title=title)
            w.expect(m, f'/boards/{slugs[board_index]}', title, *thread_tags)
            w.expect(m, '/search?q=Rathaus', title)
            if author is not mia:
                w.expect(m, '/boards?view=unread', title)
        t_one, t_mia, _t_two = thread_ids
        # Replies in Mia's thread; one mentions her (the link text is the vector name of her profile).
        reply_body = w.markdown('post.reply', _chunks(VECTORS, 3)[0])
        db.call(posts.reply, actor=three, thread_id=t_mia, body=reply_body)
        mention = posts.mention_markdown(db.call(board_views.authors, [mia.id])[mia.id])
        mention_body = w.markdown('post.mention', _chunks(VECTORS, 3)[1], lead=mention)
        reply = db.call(posts.reply, actor=four, thread_id=t_mia, body=mention_body)
        w.expect(m, f'/threads/{t_mia}', reply_body, mention_body)
        # Mia edits a reply: the earlier text is shown only in the dialog of earlier versions.
        before = w.markdown('post.before_edit', _chunks(VECTORS, 3)[2])
        after = w.markdown('post.after_edit', _chunks(VECTORS, 3)[0])
        own = db.call(posts.reply, actor=mia, thread_id=t_mia, body=before)
        db.call(posts.edit_post, actor=mia, post_id=own.id, body=after)
        w.expect(m, f'/threads/{t_mia}', after)
        w.expect(m, f'/threads/{t_mia}#history', before, after)
        w.clicks[f'/threads/{t_mia}#history'] = [('button', f'Aktionen zu Beitrag {own.number}'),
                                                 ('menuitem', 'Frühere Fassungen')]
        # Mia is told, with the writers' names and her thread's title.
        w.expect(m, '/notifications', profiles[3]['name'], profiles[4]['name'], titles[1])
        # Reports with reasons, for the moderation.
        reasons = [w.plain('report.reason', 1000, count=8) for _ in range(2)]
        first_post = db.call(boards.open_thread, viewer=three, thread_id=t_one, record_visit=False).posts[0]
        db.call(moderation.report_post, actor=three, post_id=first_post.id, reason=reasons[0])
        db.call(moderation.report_post, actor=mia, post_id=reply.id, reason=reasons[1])
        w.expect(a, '/admin/moderation', *reasons)

        # Events: title, place, description, tags; the second has begun and got material (a note and a file).
        now = datetime.now(ZONE).replace(tzinfo=None, second=0, microsecond=0)
        event_ids = []
        for i, (organizer, start) in enumerate(((one, now + timedelta(days=1)), (two, now))):
            # The first is hybrid: its address for joining online must start with https:// and hold no spaces.
            online_url = w.plain('event.online_url', 500, count=1, prefix='https://example.org/?q=', sep='',
                                 pool=tuple(v for v in VECTORS if not any(c.isspace() for c in v.text))) \
                if i == 0 else ''
            data = events.EventInput(
                title=w.plain('event.title', 200, count=3), location=w.plain('event.location', 300, count=5),
                description=w.markdown('event.description', VECTORS if i == 0 else _chunks(VECTORS, 2)[1]),
                tags=tuple(w.plain('event.tag', 50, count=1, shown=_tag) for _ in range(2)),
                starts=start, ends=start + timedelta(hours=2), format='hybrid' if i == 0 else 'onsite',
                online_url=online_url)
            event_id = db.call(events.create_event, actor=organizer, data=data)
            event_ids.append(event_id)
            w.expect(m, f'/events/{event_id}', data.title, data.location, data.description, *data.tags,
                     *([online_url] if i == 0 else []), title=data.title)
            w.expect(m, f'/events?view=list&date={now.date().isoformat()}', data.title)
            w.expect(m, f'/events?view=week&date={start.date().isoformat()}', data.title)
            w.expect(m, f'/events?view=month&date={start.date().isoformat()[:7]}', data.title)
            w.expect(a, f'/events/{event_id}/edit', data.title, data.location, data.description)
            if i == 0:
                w.expect(m, '/', data.title)  # Mia's next date, once she said yes
        db.call(attendance.rsvp, actor=mia, event_id=event_ids[0], answer='yes', seat='online')
        note = w.markdown('event.material_note', _chunks(VECTORS, 3)[2])
        material = w.plain('event.material_file', 200, count=3, pool=FILE_NAME_VECTORS, suffix='.pdf',
                           shown=uploads.clean_filename)
        db.call(events.add_material, actor=two, event_id=event_ids[1], note=note, files=[(material, PDF)])
        w.expect(m, f'/events/{event_ids[1]}', material)
        discussion = db.call(events.get_event, viewer=two, event_id=event_ids[1]).thread_id
        w.expect(m, f'/threads/{discussion}', note, material)

        # Messages: a direct one with every vector, a group with a title, and a report of a message.
        direct_body = w.markdown('message.body')
        direct = db.call(messages.start_conversation, actor=one, member_ids=[mia.id], body=direct_body)
        group_title = w.plain('conversation.title', 120, count=2)
        group_body = w.markdown('message.group_body', _chunks(VECTORS, 2)[0])
        group = db.call(messages.start_conversation, actor=two, member_ids=[mia.id, three.id], body=group_body,
                        title=group_title)
        w.expect(m, f'/messages/{direct}', direct_body)
        w.expect(m, f'/messages/{group}', group_title, group_body)
        w.expect(m, '/messages', group_title, profiles[1]['name'])
        message_reason = w.plain('message_report.reason', 1000, count=8)
        first_message = db.call(messages.open_conversation, viewer=mia, conversation_id=direct).messages[0]
        db.call(messages.report_message, actor=mia, message_id=first_message.id, reason=message_reason)
        w.expect(a, '/admin/moderation', message_reason)
        # A CSV for the member import: the administration sees its rows before anything is imported.
        rows = [('Name', 'E-Mail', 'Verwaltung')] + [
            (w.plain('import.name', 100), f'import{i}@essen.de', w.plain('import.organization', 200, count=3))
            for i in range(5)]
        csv_text = io.StringIO()
        csv.writer(csv_text, delimiter=';', quoting=csv.QUOTE_ALL).writerows(rows)
        w.uploads['/admin/import'] = ('mitglieder.csv', csv_text.getvalue().encode())
        w.expect(a, '/admin/import', *(value for row in rows[1:] for value in (row[0], row[2])))
        # Pages that show some of it without a fixed list (search, logs, statistics, account).
        for path in ('/search?q=Rathaus', '/account'):
            m.setdefault(path, [])
        for path in ('/admin/audit', '/admin/stats', f'/threads/{t_mia}', '/search?q=Rathaus'):
            a.setdefault(path, [])
    finally:
        db.get_engine().dispose()
    return w


@pytest.fixture
def seeded_server(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[World, str]:
    """The world is written before the server starts (the `server` fixture serves tmp_path / 'data')."""
    world = _seed(tmp_path / 'data')
    return world, request.getfixturevalue('server')


@dataclass
class Visit:
    role: str
    url: str
    seen: list[str]  # marker words found on the page
    problems: list[str]


def _visit(context: BrowserContext, url: str, must: list[str], world: World, *,
           upload: tuple[str, bytes] | None = None, titles: list[str] | tuple[()] = (),
           clicks: list[tuple[str, str]] | tuple[()] = ()) -> Visit:
    """Open `url` in a new tab (a hostile page cannot spoil the next visit) and check it."""
    problems: list[str] = []
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f'{dialog.type}: {dialog.message}')
        with contextlib.suppress(PlaywrightError):  # the page may be gone already
            dialog.dismiss()

    page = context.new_page()
    page.on('dialog', on_dialog)  # installed before the page loads: sees every dialog it opens
    text = ''
    try:
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f'HTTP {response.status if response else "?"}')
        if upload:
            page.locator('input[type=file]').set_input_files(
                files=[{'name': upload[0], 'mimeType': 'text/csv', 'buffer': upload[1]}])
        for role, name in clicks:
            page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
        # Parts of some pages arrive after the first paint (loaded off the event loop); missing words are reported
        # below.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(ALL_SHOWN_JS, arg=must, timeout=10_000)
        # Give broken images (onerror) and frames their chance to run. A busy machine may keep the network from
        # going idle for long: then the images' state is enough.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_load_state('networkidle', timeout=5_000)
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function('() => Array.from(document.images).every(i => i.complete)', timeout=5_000)
        page.wait_for_timeout(200)
        text = page.evaluate(VISIBLE_TEXT_JS)
        if page.evaluate('() => window.__xss') is not None:
            problems.append('window.__xss was set: a script ran')
        problems.extend(f'dangerous markup: {d}' for d in page.evaluate(DANGEROUS_DOM_JS))
        tab_title = page.title()
        problems.extend(f'page title {tab_title!r} lacks {shown!r}' for shown in titles if shown not in tab_title)
    except PlaywrightError as e:  # e.g. a script that navigates away or blocks the page
        problems.append(f'the page could not be checked: {e.message.splitlines()[0]}')
    finally:
        page.close()
    if dialogs:
        problems.append(f'dialogs opened: {dialogs}')
    flat = ' '.join(text.split())
    for token in must:
        slot = world.slots[token[:5]]
        if token not in text:
            problems.append(f'{slot.field} {token} not shown')
        elif not slot.markdown and slot.shown not in flat:
            problems.append(f'{slot.field} {token} not shown verbatim: {slot.shown!r}')
    seen = sorted(set(PLAIN_TOKEN.findall(text)) | set(MARKDOWN_TOKEN.findall(text)))
    return Visit('', url, [t for t in seen if t[:5] in world.slots], problems)


def test_no_injected_text_runs_on_any_page(seeded_server: tuple[World, str], browser: Browser) -> None:
    world, server = seeded_server
    started = time.monotonic()
    visits: list[Visit] = []
    for role, email, pages in (('anonymous', '', world.anonymous_pages),
                               ('pending', 'neu@essen.de', world.pending_pages),
                               ('member', 'mia@luenen.de', world.member_pages),
                               ('admin', 'ada@essen.de', world.admin_pages)):
        context = browser.new_context()
        if email:  # one sign-in per role; every tab of the context shares its cookie
            page = context.new_page()
            if role == 'pending':  # lands on its waiting page, not the start page
                page.goto(f'{server}/login')
                page.get_by_label('E-Mail').fill(email)
                page.get_by_label('Passwort', exact=True).fill(PASSWORD)
                page.get_by_role('button', name='Anmelden').click()
                page.wait_for_url('**/pending')
            else:
                sign_in(page, server, email)
            page.close()
        for path, must in pages.items():
            visit = _visit(context, server + path, must, world, upload=world.uploads.get(path),
                           titles=world.titles.get(path, []), clicks=world.clicks.get(path, ()))
            visit.role = role
            visits.append(visit)
        context.close()

    # vectors × fields × pages: each vector of each field, counted on every page that showed it
    per_visit: list[int] = []
    fields_seen: set[str] = set()
    vectors_seen: set[str] = set()
    for visit in visits:
        shown = 0
        for token in visit.seen:
            slot = world.slots[token[:5]]
            fields_seen.add(slot.field)
            vectors = (slot.vectors[int(token[6:])],) if slot.markdown else slot.vectors
            shown += len(vectors)
            vectors_seen.update(v.name for v in vectors)
        per_visit.append(shown)
    kinds = sorted({slot.field for slot in world.slots.values()})
    print(f'\nXSS corpus: {len(VECTORS)} vectors written into {len(world.slots)} fields of {len(kinds)} kinds '
          f'({", ".join(kinds)}); {len(visits)} page loads '
          f'({", ".join(f"{n} as {role}" for role, n in Counter(v.role for v in visits).items())}); '
          f'{sum(per_visit)} vector x field x page combinations shown as text, {len(vectors_seen)} distinct vectors '
          f'in {len(fields_seen)} field kinds; {time.monotonic() - started:.0f} s in the browser')
    for visit, shown in zip(visits, per_visit, strict=True):
        print(f'  {visit.role:9} {visit.url.removeprefix(server)[:45]:45} {shown:4} vectors shown')
    problems = [f'{v.role} {v.url}: {p}' for v in visits for p in v.problems]
    assert not problems, '\n'.join(problems)
    assert len(vectors_seen) == len(VECTORS), sorted({v.name for v in VECTORS} - vectors_seen)
