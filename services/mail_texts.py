"""The texts of notification mails and digests, in German and English (the recipient's language, User.language).

Mails are written outside any page request, so they do not go through `ui.i18n._` (which follows the browser):
every text here exists in both languages. A notice's own text is a German catalogue key with parameters; in English
it is looked up in the app's catalogue (services/catalogue_en.py), falling back to the German text.
"""

import html
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.notification import KINDS

LANGUAGES = ('de', 'en')
MAX_ITEMS = 50  # a mail lists at most this many notices ("… and 12 more" with a link to all of them)

KIND_NAMES = {
    'de': {
        'reply': 'Antworten in Themen, denen Sie folgen',
        'mention': 'Erwähnungen',
        'reaction': 'Reaktionen auf Ihre Beiträge',
        'solution': 'Ihre Antwort wurde als Lösung markiert',
        'event.changed': 'Geänderte Veranstaltungen',
        'event.cancelled': 'Abgesagte Veranstaltungen',
        'event.reminder': 'Erinnerungen an Veranstaltungen',
        'event.promoted': 'Nachgerückt von der Warteliste',
        'message': 'Direktnachrichten',
        'account.approved': 'Registrierung freigeschaltet',
        'moderation.report': 'Bearbeitete Meldungen',
    },
    'en': {
        'reply': 'Replies in threads you follow',
        'mention': 'Mentions',
        'reaction': 'Reactions to your posts',
        'solution': 'Your reply was marked as the solution',
        'event.changed': 'Changed events',
        'event.cancelled': 'Cancelled events',
        'event.reminder': 'Event reminders',
        'event.promoted': 'Moved up from the waitlist',
        'message': 'Direct messages',
        'account.approved': 'Registration approved',
        'moderation.report': 'Handled reports',
    },
}

CHANNEL_NAMES = {
    'de': {'app': 'Nur in der App', 'email': 'Sofort per E-Mail', 'daily': 'Tägliche Übersicht per E-Mail',
           'weekly': 'Wöchentliche Übersicht per E-Mail', 'off': 'Aus'},
    'en': {'app': 'In the app only', 'email': 'By e-mail at once', 'daily': 'Daily digest by e-mail',
           'weekly': 'Weekly digest by e-mail', 'off': 'Off'},
}

TEXTS = {
    'de': {
        'subject.one': '{site}: {kind}',
        'subject.many': '{site}: {n} neue Benachrichtigungen',
        'subject.daily': '{site}: Ihre Tagesübersicht ({n})',
        'subject.weekly': '{site}: Ihre Wochenübersicht ({n})',
        'greeting': 'Guten Tag {name},',
        'intro.email': 'es gibt Neues für Sie:',
        'intro.daily': 'hier ist Ihre tägliche Übersicht:',
        'intro.weekly': 'hier ist Ihre wöchentliche Übersicht:',
        'more': '… und {n} weitere',
        'open': 'Öffnen',
        'all': 'Alle Benachrichtigungen',
        'footer': 'Diese E-Mail kommt von {site}, weil Sie Benachrichtigungen per E-Mail gewählt haben.',
        'prefs': 'E-Mail-Einstellungen ändern oder abbestellen (ohne Anmeldung)',
    },
    'en': {
        'subject.one': '{site}: {kind}',
        'subject.many': '{site}: {n} new notifications',
        'subject.daily': '{site}: your daily digest ({n})',
        'subject.weekly': '{site}: your weekly digest ({n})',
        'greeting': 'Hello {name},',
        'intro.email': 'there is news for you:',
        'intro.daily': 'here is your daily digest:',
        'intro.weekly': 'here is your weekly digest:',
        'more': '… and {n} more',
        'open': 'Open',
        'all': 'All notifications',
        'footer': 'This e-mail comes from {site} because you chose to get notifications by e-mail.',
        'prefs': 'Change or stop these e-mails (no sign-in needed)',
    },
}


def language(value: str | None) -> str:
    return value if value in LANGUAGES else 'de'


def kind_name(kind: str, lang: str) -> str:
    return KIND_NAMES[language(lang)].get(kind, kind)


def channel_name(channel: str, lang: str) -> str:
    return CHANNEL_NAMES[language(lang)].get(channel, channel)


def notice_text(text: str, params: str | dict[str, Any], lang: str) -> str:
    """A notice's text in a language: the catalogue key translated, its {placeholders} filled in."""
    if isinstance(params, str):
        try:
            params = json.loads(params or '{}')
        except ValueError:
            params = {}
        if not isinstance(params, dict):
            params = {}
    if language(lang) == 'en':
        from services.catalogue_en import EN

        text = EN.get(text, text)
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


@dataclass(frozen=True)
class Line:
    """One notice in a mail."""

    kind: str
    text: str  # already in the recipient's language
    url: str  # absolute
    created_at: datetime | None = None


def link(base_url: str, path: str) -> str:
    """An absolute link to a local path; anything that is not a plain local path links to the notifications."""
    if not path or not path.startswith('/') or path.startswith('//') or '\\' in path or any(c.isspace() for c in path):
        path = '/notifications'
    return base_url.rstrip('/') + path


def compose(lang: str, *, mode: str, site: str, name: str, lines: list[Line], base_url: str,
            prefs_url: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of one mail; `mode` is 'email' (immediate), 'daily' or 'weekly'.

    Lines are grouped by kind (in the order of KINDS), at most MAX_ITEMS are listed. Every value from members
    (names, titles) is escaped in the HTML part.
    """
    lang = language(lang)
    t = TEXTS[lang]
    total = len(lines)
    if mode == 'email':
        subject = t['subject.one'].format(site=site, kind=kind_name(lines[0].kind, lang)) if total == 1 else \
            t['subject.many'].format(site=site, n=total)
    else:
        subject = t[f'subject.{mode}'].format(site=site, n=total)
    shown = lines[:MAX_ITEMS]
    order = {k: i for i, k in enumerate(KINDS)}
    groups: dict[str, list[Line]] = {}
    for line in sorted(shown, key=lambda x: order.get(x.kind, len(order))):
        groups.setdefault(line.kind, []).append(line)
    all_url = link(base_url, '/notifications')
    single = mode == 'email' and total == 1

    text_parts = [t['greeting'].format(name=name), '', t[f'intro.{mode}'], '']
    html_parts = [f'<p>{html.escape(t["greeting"].format(name=name))}</p>',
                  f'<p>{html.escape(t[f"intro.{mode}"])}</p>']
    for kind, items in groups.items():
        title = kind_name(kind, lang)
        if not single:
            text_parts += [title, '-' * len(title)]
            html_parts.append(f'<h3 style="margin:16px 0 4px">{html.escape(title)}</h3>')
        html_parts.append('<ul>')
        for item in items:
            text_parts += [f'- {item.text}', f'  {item.url}']
            html_parts.append(f'<li>{html.escape(item.text)} – <a href="{html.escape(item.url, quote=True)}">'
                              f'{html.escape(t["open"])}</a></li>')
        html_parts.append('</ul>')
        text_parts.append('')
    if total > len(shown):
        more = t['more'].format(n=total - len(shown))
        text_parts += [more, '']
        html_parts.append(f'<p>{html.escape(more)}</p>')
    text_parts += [f'{t["all"]}: {all_url}', '', '-- ', t['footer'].format(site=site), f'{t["prefs"]}: {prefs_url}',
                   '']
    html_parts.append(f'<p><a href="{html.escape(all_url, quote=True)}">{html.escape(t["all"])}</a></p>')
    html_parts.append('<hr><p style="color:#555;font-size:small">'
                      f'{html.escape(t["footer"].format(site=site))}<br>'
                      f'<a href="{html.escape(prefs_url, quote=True)}">{html.escape(t["prefs"])}</a></p>')
    body = f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>{"".join(html_parts)}' \
           '</body></html>'
    return subject, '\n'.join(text_parts), body
