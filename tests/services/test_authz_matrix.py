"""The authorisation matrix of the services (ASVS V4.1, V4.2): every service that acts for someone, called as each
persona, on objects they own and objects they do not, against an outcome written in the table below.

The test enumerates the services itself: every public function of every module in services/ either has a row in
MATRIX (it takes an `actor` or a `viewer`, or acts for members otherwise), or is a step inside checked services
(INTERNAL_STEPS), or stands in NO_ACTOR with the reason it needs nobody's permission; the reasons are checked where
they can be (`test_the_reasons_for_needing_no_actor_hold`). A new service without a row fails
`test_every_service_function_has_a_row`.

Each cell runs on its own copy of one seeded world (tests/authz_personas.py), so a cell that deletes or changes
something cannot influence the next. Reading the table:

    columns  anonymous, pending, deactivated, member, outsider (member of another organisation), moderator, admin
    own      the object belongs to the acting persona (anonymous and pending own nothing: '--')
    other    the object belongs to Olaf, an ordinary member of the member's organisation
    any      the call has no owned object (lists, settings, administration)
    ok       done / answered          NA  NotAllowed        NF  NotFound (an outsider learns nothing)
    IV       Invalid: the permission check passed, the input was refused (e.g. no mail server configured)
    DE       another domain error after the check passed (the test mail: no mail server is configured)
    nil      answered without raising, but with nothing (an empty answer, nothing changed)
    mail     a profile shown with its e-mail address (same organisation or oneself); ok: shown without it
"""

import ast
import functools
import importlib
import inspect
import io
import pkgutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import Session

import services
from models.board import Board
from models.event import Event
from services import accounts, bus, data_export, db, files, member_import, members, posts
from services import settings as site_settings
from services.errors import DomainError, Invalid, NotAllowed, NotFound
from services.events import EventInput
from services.forum_search import PostFilters
from services.members import Filters
from tests.authz_personas import OTHER, PASSWORD, PDF, World, build_world, cells

# ---------------------------------------------------------------- the table

ACTIVE = 'NA NA NA ok ok ok ok'  # every active member, nobody else
MODERATORS = 'NA NA NA NA NA ok ok'
ADMINS = 'NA NA NA NA NA NA ok'
OWNER_OR_MODERATOR = ('-- -- NA ok ok ok ok', 'NA NA NA NA NA ok ok')  # (own, other)
OWNER_ONLY = ('-- -- NA ok ok ok ok', 'NA NA NA NA NA NA NA')
PARTICIPANT_ONLY = ('-- -- NA ok ok ok ok', 'NA NA NA NF NF NF NF')  # private: nobody else learns it exists


@dataclass(frozen=True)
class Row:
    args: Callable[[World, str | None, Session], dict[str, Any]]  # (world, owner or None, session) → keyword args
    own: str | None = None
    other: str | None = None
    any: str | None = None
    judge: Callable[[Any], str] | None = None  # the code of a call that returned (default: 'ok')
    call: Callable[..., Any] | None = None  # (fn, session, actor, world): for a service without `actor=`


def row(args: Callable[..., dict[str, Any]], *, own: str | None = None, other: str | None = None,
        any: str | None = None, both: tuple[str, str] | None = None, judge: Callable[[Any], str] | None = None,
        call: Callable[..., Any] | None = None) -> Row:
    if both is not None:
        own, other = both
    return Row(args, own, other, any, judge, call)


def nothing(w: World, o: str | None, s: Session) -> dict[str, Any]:
    return {}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (60, 40), 'teal').save(out, 'PNG')
    return out.getvalue()


def _event_input(w: World, o: str | None, s: Session) -> EventInput:
    start = datetime.combine(w.series_day, datetime.min.time()).replace(hour=9)  # type: ignore[arg-type]
    return EventInput(title='Fachtag E-Akte (geändert)', starts=start, ends=start + timedelta(hours=3),
                      location='Rathaus, Raum 102')


def _series_input(w: World, o: str | None, s: Session) -> EventInput:
    event = s.get(Event, w.series[o])  # type: ignore[index]
    assert event is not None
    start = datetime.combine(w.series_day, datetime.min.time()).replace(hour=10)  # type: ignore[arg-type]
    return EventInput(title='Stammtisch (geändert)', starts=start, ends=start + timedelta(hours=2),
                      location='Rathaus', repeat=event.repeat, repeat_until=event.repeat_until)


def _reset_token(w: World, o: str | None, s: Session) -> dict[str, Any]:
    token = accounts.create_password_reset(s, actor=w.users['admin'], user_id=w.uid(OTHER))
    return {'user_id': w.uid(OTHER), 'token': token, 'base_url': 'http://netz.test'}


def _csv(w: World, o: str | None, s: Session) -> dict[str, Any]:
    return {'parsed': member_import.parse_csv(b'name;email;organisation\nNina Neu;nina@essen.de;Stadt Essen\n')}


def _attachment(w: World, o: str | None, s: Session) -> dict[str, Any]:
    # Cells share the file folder: put back the file that a cell deleting Olaf's thread removed.
    (posts.attachment_folder() / w.attachment).write_bytes(PDF)
    return {'stored_name': w.attachment}


def _no_exports(w: World, o: str | None, s: Session) -> dict[str, Any]:
    data_export.reset()  # jobs are kept in memory, not in the database copy of the cell
    return {}


def _finished_export(w: World, o: str | None, s: Session) -> dict[str, Any]:
    """The owner's export, built; the token of its download link."""
    data_export.reset()
    token = data_export.request_export(s, actor=w.users[o], start=False).token  # type: ignore[index]
    data_export.build(token)
    return {'token': token}


def said(result: Any) -> str:
    """Predicates: True (or '' for 'no reason against') is ok, anything else NA."""
    return 'ok' if result is True or result == '' else 'NA'


def shows_mail(view: Any) -> str:
    return 'mail' if view.email else 'ok'


def something(result: Any) -> str:
    return 'ok' if result else 'nil'


MATRIX: dict[str, Row] = {
    # ------------------------------------------------------------ accounts
    'accounts.approve_user': row(lambda w, o, s: {'user_id': w.uid('pending')}, any=ADMINS),
    'accounts.approve_users': row(lambda w, o, s: {'user_ids': [w.uid('pending')]}, any=ADMINS),
    'accounts.change_password': row(lambda w, o, s: {'current_password': PASSWORD,
                                                     'new_password': 'Neues-Rathaus-Fenster-8'}, any=ACTIVE),
    'accounts.count_pending': row(nothing, any=ADMINS),
    'accounts.create_invitation': row(nothing, any=ADMINS),
    'accounts.create_password_reset': row(lambda w, o, s: {'user_id': w.uid(OTHER)}, any=ADMINS),
    'accounts.deactivate_user': row(lambda w, o, s: {'user_id': w.uid(OTHER)}, any=ADMINS),
    # Anyone active leaves with their password; the last administrator may not (nobody would run the network).
    'accounts.delete_own_account': row(lambda w, o, s: {'password': PASSWORD, 'keep_posts': False},
                                       any='NA NA NA ok ok ok IV'),
    'accounts.delete_account': row(lambda w, o, s: {'user_id': w.uid(OTHER), 'keep_posts': False}, any=ADMINS),
    'accounts.end_other_sessions': row(nothing, any=ACTIVE),
    'accounts.list_invitations': row(nothing, any=ADMINS),
    'accounts.list_sessions': row(nothing, any=ACTIVE),
    'accounts.list_users': row(nothing, any=ADMINS),
    # The administrator passes the check and is told that no mail server is set up (nothing leaves the machine).
    'accounts.mail_password_reset': row(_reset_token, any='NA NA NA NA NA NA IV'),
    'accounts.reactivate_user': row(lambda w, o, s: {'user_id': w.uid('deactivated')}, any=ADMINS),
    'accounts.reject_user': row(lambda w, o, s: {'user_id': w.uid('pending')}, any=ADMINS),
    'accounts.reject_users': row(lambda w, o, s: {'user_ids': [w.uid('pending')]}, any=ADMINS),
    'accounts.revoke_invitation': row(lambda w, o, s: {'invitation_id': w.invitation}, any=ADMINS),
    'accounts.set_language': row(lambda w, o, s: {'language': 'en'}, any=ACTIVE),
    'accounts.set_role': row(lambda w, o, s: {'user_id': w.uid(OTHER), 'role': 'moderator'}, any=ADMINS),
    # ------------------------------------------------------------ events: answers and the calendar feed
    'attendance.attendees_csv': row(lambda w, o, s: {'event_id': w.event[o]}, both=OWNER_OR_MODERATOR),
    'attendance.rsvp': row(lambda w, o, s: {'event_id': w.event[o], 'answer': 'yes'}, own='-- -- NA ok ok ok ok',
                           other=ACTIVE),
    'calendar_feed.event_ics': row(lambda w, o, s: {'event_id': w.event[o]}, own='-- -- NA ok ok ok ok',
                                   other=ACTIVE),
    'calendar_feed.my_feed': row(nothing, any=ACTIVE),
    'calendar_feed.renew_feed': row(nothing, any=ACTIVE),
    'calendar_feed.set_feed_scope': row(lambda w, o, s: {'scope': 'all'}, any=ACTIVE),
    # ------------------------------------------------------------ audit log
    'audit.actions_present': row(nothing, any=ADMINS),
    'audit.entries_csv': row(nothing, any=ADMINS),
    'audit.search_entries': row(nothing, any=ADMINS),
    # ------------------------------------------------------------ boards
    'boards.archive_board': row(lambda w, o, s: {'board_id': w.board_id}, any=ADMINS),
    'boards.board_choices': row(nothing, any=ACTIVE),
    'boards.create_board': row(lambda w, o, s: {'name': 'Neues Forum'}, any=ADMINS),
    'boards.create_thread': row(lambda w, o, s: {'board_id': w.board_id, 'title': 'Eine neue Frage',
                                                 'body': 'Wie geht das?'}, any=ACTIVE),
    'boards.edit_thread': row(lambda w, o, s: {'thread_id': w.thread[o], 'title': 'Ein besserer Titel'},
                              both=OWNER_OR_MODERATOR),
    'boards.get_board': row(lambda w, o, s: {'slug': w.board_slug}, any=ACTIVE),
    'boards.list_boards': row(nothing, any=ACTIVE),
    'boards.list_boards_for_admin': row(nothing, any=ADMINS),
    'boards.list_threads': row(lambda w, o, s: {'slug': w.board_slug}, any=ACTIVE),
    # A predicate of the board (callers check the actor first): in a board where only the moderation writes.
    'boards.may_post_in': row(lambda w, o, s: {'board': s.get(Board, w.news_board_id)}, any=MODERATORS,
                              judge=said),
    'boards.move_board': row(lambda w, o, s: {'board_id': w.board_id, 'offset': 1}, any=ADMINS),
    'boards.open_thread': row(lambda w, o, s: {'thread_id': w.thread[o]}, own='-- -- NA ok ok ok ok', other=ACTIVE),
    'boards.similar_threads': row(lambda w, o, s: {'title': 'Aktenablage'}, any=ACTIVE),
    'boards.threads_by': row(lambda w, o, s: {'author_id': w.uid(OTHER)}, any=ACTIVE),
    'boards.update_board': row(lambda w, o, s: {'board_id': w.board_id, 'name': 'Allgemeines Forum'}, any=ADMINS),
    # ------------------------------------------------------------ the export of my data (jobs live in memory)
    'data_export.export_file': row(_finished_export, own='-- -- -- ok ok ok ok', other='NA NA NA NF NF NF NF'),
    'data_export.export_status': row(_no_exports, any=ACTIVE),
    'data_export.request_export': row(lambda w, o, s: {**_no_exports(w, o, s), 'start': False}, any=ACTIVE),
    # ------------------------------------------------------------ events
    'events.add_material': row(lambda w, o, s: {'event_id': w.past_event[o], 'note': 'Die Folien', 'files': []},
                               both=OWNER_OR_MODERATOR),
    'events.calendar_range': row(lambda w, o, s: {'start': date.today(), 'end': date.today() + timedelta(days=60)},
                                 any=ACTIVE),
    'events.cancel_event': row(lambda w, o, s: {'event_id': w.event[o]}, both=OWNER_OR_MODERATOR),
    'events.create_event': row(lambda w, o, s: {'data': _event_input(w, o, s)}, any=ACTIVE),
    'events.event_for_editing': row(lambda w, o, s: {'event_id': w.event[o]}, both=OWNER_OR_MODERATOR),
    'events.event_tags': row(nothing, any=ACTIVE),
    'events.get_event': row(lambda w, o, s: {'event_id': w.event[o]}, own='-- -- NA ok ok ok ok', other=ACTIVE),
    'events.may_edit': row(lambda w, o, s: {'event': s.get(Event, w.event[o])}, both=OWNER_OR_MODERATOR,
                           judge=said),
    'events.move_occurrence': row(lambda w, o, s: {
        'series_id': w.series[o], 'on': w.series_day,
        'starts': datetime.combine(w.series_day, datetime.min.time()).replace(hour=14),  # type: ignore[arg-type]
        'ends': datetime.combine(w.series_day, datetime.min.time()).replace(hour=16)},  # type: ignore[arg-type]
        both=OWNER_OR_MODERATOR),
    'events.open_discussion': row(lambda w, o, s: {'event_id': w.event[o]}, own='-- -- NA ok ok ok ok',
                                  other=ACTIVE),
    'events.organizations_with_events': row(nothing, any=ACTIVE),
    'events.upcoming': row(nothing, any=ACTIVE),
    'events.update_event': row(lambda w, o, s: {'event_id': w.series[o], 'data': _series_input(w, o, s)},
                               both=OWNER_OR_MODERATOR),
    # ------------------------------------------------------------ search, mail, import
    'forum_search.search_posts': row(lambda w, o, s: {'filters': PostFilters(q='Aktenablage')}, any=ACTIVE),
    'mail.send_test_mail': row(lambda w, o, s: {'to': 'ada@essen.de'}, any='NA NA NA NA NA NA DE'),
    'member_import.import_members': row(_csv, any=ADMINS),
    'member_import.preview': row(_csv, any=ADMINS),
    # ------------------------------------------------------------ the directory and profiles
    # Everyone's e-mail address is visible to their own organisation (the default): not to the outsider.
    'members.get_member': row(lambda w, o, s: {'member_id': w.uid(o)}, own='-- -- NA mail mail mail mail',
                              other='NA NA NA mail ok mail mail', judge=shows_mail),
    'members.get_own_profile': row(nothing, any=ACTIVE),
    'members.helpers_for_topic': row(lambda w, o, s: {'topic': 'e-akte'}, any=ACTIVE),
    'members.member_facets': row(lambda w, o, s: {'filters': Filters()}, any=ACTIVE),
    'members.recent_members': row(nothing, any=ACTIVE),
    'members.remove_avatar': row(lambda w, o, s: {'user_id': w.uid(o)}, both=OWNER_ONLY),
    'members.search_members': row(lambda w, o, s: {'filters': Filters(q='Olaf')}, any=ACTIVE),
    'members.set_avatar': row(lambda w, o, s: {'user_id': w.uid(o), 'data': _png()}, both=OWNER_ONLY),
    'members.suggest_helpers': row(nothing, any=ACTIVE),
    'members.update_profile': row(lambda w, o, s: {'user_id': w.uid(o), 'name': 'Neuer Name',
                                                   'organization': 'Stadt Essen'}, both=OWNER_ONLY),
    # ------------------------------------------------------------ messages
    'messages.block_member': row(lambda w, o, s: {'member_id': w.uid('kim')}, any=ACTIVE),
    'messages.count_message_reports': row(nothing, any=MODERATORS),
    'messages.direct_conversation': row(lambda w, o, s: {'member_id': w.uid('kim')}, any=ACTIVE),
    'messages.handle_message_report': row(lambda w, o, s: {'report_id': w.message_report, 'action': 'dismiss'},
                                          any=MODERATORS),
    'messages.leave_conversation': row(lambda w, o, s: {'conversation_id': w.group[o]}, both=PARTICIPANT_ONLY),
    'messages.list_blocked': row(nothing, any=ACTIVE),
    'messages.list_conversations': row(nothing, any=ACTIVE),
    'messages.list_message_reports': row(nothing, any=MODERATORS),
    'messages.mark_read': row(lambda w, o, s: {'conversation_id': w.conversation[o], 'message_id': w.received[o]},
                              both=PARTICIPANT_ONLY),
    'messages.member_refs': row(lambda w, o, s: {'ids': [w.uid('kim')]}, any=ACTIVE),
    'messages.open_conversation': row(lambda w, o, s: {'conversation_id': w.conversation[o]},
                                      both=PARTICIPANT_ONLY),
    'messages.report_message': row(lambda w, o, s: {'message_id': w.received[o], 'reason': 'Werbung'},
                                   both=PARTICIPANT_ONLY),
    'messages.send_message': row(lambda w, o, s: {'conversation_id': w.conversation[o], 'body': 'Noch etwas.'},
                                 both=PARTICIPANT_ONLY),
    'messages.start_conversation': row(lambda w, o, s: {'member_ids': [w.uid(OTHER)], 'body': 'Hallo Olaf.'},
                                       any='NA NA NA ok ok ok ok'),
    'messages.unblock_member': row(lambda w, o, s: {'member_id': w.uid('kim')}, any=ACTIVE),
    'messages.unread_count': row(nothing, any=ACTIVE),
    # ------------------------------------------------------------ moderation
    'moderation.count_handled_reports': row(nothing, any=MODERATORS),
    'moderation.count_open_reports': row(nothing, any=MODERATORS),
    # Kim has answered every thread: from then on only the moderation deletes it, its author no longer.
    'moderation.delete_thread': row(lambda w, o, s: {'thread_id': w.thread[o]},
                                    both=('-- -- NA NA NA ok ok', 'NA NA NA NA NA ok ok')),
    'moderation.handle_report': row(lambda w, o, s: {'report_id': w.post_report, 'action': 'hide'}, any=MODERATORS),
    'moderation.list_reports': row(nothing, any=MODERATORS),
    'moderation.lock_thread': row(lambda w, o, s: {'thread_id': w.thread[o]},
                                  both=('-- -- NA NA NA ok ok', MODERATORS)),
    'moderation.move_thread': row(lambda w, o, s: {'thread_id': w.thread[o], 'board_id': w.second_board_id},
                                  both=('-- -- NA NA NA ok ok', MODERATORS)),
    'moderation.pin_thread': row(lambda w, o, s: {'thread_id': w.thread[o]},
                                 both=('-- -- NA NA NA ok ok', MODERATORS)),
    # Nobody reports their own post; anyone active reports someone else's.
    'moderation.report_post': row(lambda w, o, s: {'post_id': w.reply[o], 'reason': 'Werbung'},
                                  own='-- -- NA NA NA NA NA', other=ACTIVE),
    'moderation.unhide_post': row(lambda w, o, s: {'post_id': w.reply[o]}, both=('-- -- NA NA NA ok ok', MODERATORS)),
    # ------------------------------------------------------------ notifications
    'notifications.get_preferences': row(nothing, any=ACTIVE),
    'notifications.list_notices': row(nothing, any=ACTIVE),
    'notifications.mark_read': row(lambda w, o, s: {'notice_id': w.notice[o]}, judge=something,
                                   both=('-- -- NA ok ok ok ok', 'NA NA NA nil nil nil nil')),
    'notifications.open_notice': row(lambda w, o, s: {'notice_id': w.notice[o]}, judge=something,
                                     both=('-- -- NA ok ok ok ok', 'NA NA NA nil nil nil nil')),
    'notifications.set_preference': row(lambda w, o, s: {'kind': 'reply', 'channel': 'off'}, any=ACTIVE),
    'notifications.unread': row(nothing, any=ACTIVE),
    'notifications.unread_count': row(nothing, any=ACTIVE),
    # ------------------------------------------------------------ organisations
    'organizations.create_organization': row(lambda w, o, s: {'name': 'Stadt Bochum'}, any=ADMINS),
    'organizations.list_organizations': row(nothing, any=ACTIVE),
    'organizations.list_organizations_for_admin': row(nothing, any=ADMINS),
    'organizations.merge_organizations': row(lambda w, o, s: {'source_id': w.org_b, 'target_id': w.org_a},
                                             any=ADMINS),
    'organizations.merge_preview': row(lambda w, o, s: {'source_id': w.org_b, 'target_id': w.org_a}, any=ADMINS),
    'organizations.set_organization_logo': row(lambda w, o, s: {'org_id': w.org_a, 'data': _png()}, any=ADMINS),
    'organizations.update_organization': row(lambda w, o, s: {'org_id': w.org_a, 'name': 'Stadt Essen',
                                                              'kind': 'Kommune', 'level': 'kommunal'}, any=ADMINS),
    # ------------------------------------------------------------ the permission checks themselves
    'permissions.is_active': row(nothing, any=ACTIVE, judge=said),
    'permissions.require_active': row(nothing, any=ACTIVE),
    'permissions.require_admin': row(nothing, any=ADMINS),
    'permissions.require_moderator': row(nothing, any=MODERATORS),
    # ------------------------------------------------------------ posts
    'posts.attachment_for_download': row(_attachment, any=ACTIVE),
    'posts.delete_post': row(lambda w, o, s: {'post_id': w.reply[o]}, both=OWNER_OR_MODERATOR),
    'posts.edit_post': row(lambda w, o, s: {'post_id': w.reply[o], 'body': 'Korrigiert.'}, both=OWNER_OR_MODERATOR),
    'posts.get_post': row(lambda w, o, s: {'post_id': w.reply[o]}, own='-- -- NA ok ok ok ok', other=ACTIVE),
    # The thread's author marks Kim's answer in their own thread; in Olaf's thread only the moderation may.
    'posts.mark_solution': row(lambda w, o, s: {'post_id': w.answer[o]}, both=OWNER_OR_MODERATOR),
    'posts.post_history': row(lambda w, o, s: {'post_id': w.reply[o]}, own='-- -- NA ok ok ok ok', other=ACTIVE),
    'posts.reply': row(lambda w, o, s: {'thread_id': w.thread[o], 'body': 'Noch eine Antwort.'},
                       own='-- -- NA ok ok ok ok', other=ACTIVE),
    'posts.suggest_mentions': row(lambda w, o, s: {'prefix': 'Ol'}, any=ACTIVE),
    'posts.toggle_reaction': row(lambda w, o, s: {'post_id': w.reply[o], 'kind': 'thanks'},
                                 own='-- -- NA NA NA NA NA', other=ACTIVE),
    'posts.unmark_solution': row(lambda w, o, s: {'thread_id': w.thread[o]}, both=OWNER_OR_MODERATOR),
    # ------------------------------------------------------------ reading marks and watching
    'reading.count_news': row(nothing, any=ACTIVE),
    'reading.mark_board_read': row(lambda w, o, s: {'board_id': w.board_id}, any=ACTIVE),
    # Read marks of many open pages in one write: each mark carries its member, and only active ones count.
    'reading.mark_read_many': row(nothing, any='nil nil nil ok ok ok ok', judge=something,
                                  call=lambda fn, s, actor, w: fn(s, marks=[(actor, w.thread[OTHER], 2)])),
    'reading.mark_read': row(lambda w, o, s: {'thread_id': w.thread[OTHER], 'number': 2}, any=ACTIVE),
    'reading.set_board_watch': row(lambda w, o, s: {'board_id': w.board_id, 'level': 'watching'}, any=ACTIVE),
    'reading.set_thread_watch': row(lambda w, o, s: {'thread_id': w.thread[OTHER], 'level': 'muted'}, any=ACTIVE),
    'reading.unread_threads': row(nothing, any=ACTIVE),
    # ------------------------------------------------------------ settings and statistics
    'settings.set_logo': row(lambda w, o, s: {'data': _png()}, any=ADMINS),
    'settings.set_setting': row(lambda w, o, s: {'key': 'site_name', 'value': 'Netz Ruhr'}, any=ADMINS),
    'settings.settings_for_admin': row(nothing, any=ADMINS),
    'settings.update_settings': row(lambda w, o, s: {'values': {'site_name': 'Netz Ruhr'}}, any=ADMINS),
    'stats.active_members_per_week': row(nothing, any=ADMINS),
    'stats.events_per_month': row(nothing, any=ADMINS),
    'stats.members_per_level': row(nothing, any=ADMINS),
    'stats.members_per_organization': row(nothing, any=ADMINS),
    'stats.new_members_per_week': row(nothing, any=ADMINS),
    'stats.threads_and_posts_per_week': row(nothing, any=ADMINS),
}

# Functions that take an actor but are steps inside a service that has already checked it: never called from ui/
# or main.py (checked below), so no request can reach them without that check.
INTERNAL_STEPS: dict[str, str] = {
    'posts.new_post': 'adds a post inside reply/create_thread, after their checks',
    'posts.notify_post': 'tells about a post inside the services that wrote it',
    'posts.refuse_closed': 'the locked/archived check inside edit, delete and reply, after require_active',
    'rate_limits.check_messages': 'the limit inside the checked message services',
    'rate_limits.check_posts': 'the limit inside the checked post services',
    'rate_limits.check_uploads': 'the limit inside the checked upload services',
    'rate_limits.exempt': 'who the limits spare, asked by the checks above',
}

# ---------------------------------------------------------------- functions that act for nobody

PURE = 'pure'  # computes from its arguments: takes no database session (checked)
INTERNAL = 'internal'  # a step inside other services: never referenced from ui/ or main.py (checked)
SYSTEM = 'system'  # start-up, command line, background jobs: never referenced from page code (checked)
TOKEN = 'token'  # the secret in the address is the key: takes a token or session id (checked)
PUBLIC = 'public'  # open to anyone by design (sign-in, registration, set-up, what every page shows)
PAGE = 'page'  # read for pages behind the guard (ui/auth.py admits only active members), nothing private
PLUMBING = 'plumbing'  # runs services or carries their events; no data of its own

NO_ACTOR: dict[str, tuple[str, str]] = {
    'accounts.admin_exists': (PUBLIC, '/setup is offered only while no administrator exists'),
    'accounts.check_invitation': (TOKEN, 'whether an invitation link is valid'),
    'accounts.check_open_sessions': (SYSTEM, 'the guard ends open pages whose session is over'),
    'accounts.check_password_reset': (TOKEN, 'whether a reset link can still be used'),
    'accounts.clean_email': (PURE, 'validation'),
    'accounts.clean_name': (PURE, 'validation'),
    'accounts.count_users': (INTERNAL, 'a count for the set-up and the demo'),
    'accounts.create_admin': (SYSTEM, 'the create-admin shell command'),
    'accounts.get_user': (INTERNAL, 'loads a user for other services (pages get theirs from the session)'),
    'accounts.hash_token': (PURE, 'how secret links are stored'),
    'accounts.invitation_info': (TOKEN, "an invitation's prefill for the registration form"),
    'accounts.is_email': (PURE, 'validation'),
    'accounts.register': (PUBLIC, 'registration, as the registration mode allows'),
    'accounts.registration_mode': (PUBLIC, 'the sign-in page says whether and how one can register'),
    'accounts.reset_password': (TOKEN, 'a new password through a reset link'),
    'accounts.setup_first_admin': (PUBLIC, 'refused once any administrator exists'),
    'accounts.sign_in': (PUBLIC, 'the password is the key (throttled)'),
    'accounts.sign_out': (TOKEN, 'ends the session whose id the browser holds'),
    'accounts.user_for_session': (TOKEN, 'the session id is the key; the guard calls it'),
    'attendance.answer_blocked': (PURE, 'whether an event still takes answers'),
    'attendance.attendees': (INTERNAL, 'part of get_event'),
    'attendance.decline_future': (INTERNAL, 'deactivation and deletion free the seats of whoever leaves'),
    'attendance.fill_free_seats': (INTERNAL, 'moves the waitlist up after a checked change'),
    'attendance.my_answer': (INTERNAL, 'part of get_event and rsvp'),
    'attendance.send_due_reminders': (SYSTEM, 'background job'),
    'audit.details_text': (PURE, 'formatting'),
    'audit.list_entries': (INTERNAL, 'for tests and other services; the page uses search_entries'),
    'audit.record': (INTERNAL, 'every checked write records itself'),
    'audit.safe_cell': (PURE, 'CSV injection guard'),
    'backup.backup': (SYSTEM, 'the backup shell command'),
    'board_views.authors': (INTERNAL, 'names for views other services build'),
    'board_views.board_ref': (PURE, 'view of a board row'),
    'board_views.edit_window_open': (PURE, 'time arithmetic'),
    'board_views.live_post': (INTERNAL, 'loads a post for checked services'),
    'board_views.live_thread': (INTERNAL, 'loads a thread for checked services'),
    'board_views.page_of': (PURE, 'arithmetic'),
    'board_views.post_url': (PURE, 'formatting'),
    'board_views.post_views': (INTERNAL, 'views for checked services'),
    'board_views.thread_row': (PURE, 'view of a thread row'),
    'boards.clean_title': (PURE, 'validation'),
    'boards.slugify': (PURE, 'formatting'),
    'bus.publish': (PLUMBING, 'services publish ids and public views after their commit'),
    'bus.reset': (SYSTEM, 'start-up and tests'),
    'bus.subscribe': (PLUMBING, 'pages listen for ids and reload through the checked services'),
    'calendar_feed.feed_ics': (TOKEN, "a member's calendar feed, fetched by calendar programs"),
    'calendar_feed.set_key': (SYSTEM, 'start-up'),
    'config.load_config': (SYSTEM, 'start-up'),
    'config.prepare_data_dir': (SYSTEM, 'start-up'),
    'data_export.attachment_name': (PURE, 'a file name inside the ZIP'),
    'data_export.build': (SYSTEM, 'the worker thread of a checked request_export'),
    'data_export.delete_expired': (SYSTEM, 'background job'),
    'data_export.discard': (INTERNAL, 'deleting an account drops its export'),
    'data_export.reset': (SYSTEM, 'tests'),
    'db.alembic_config': (SYSTEM, 'migrations'),
    'db.call': (PLUMBING, 'runs a service in its own session'),
    'db.configure': (SYSTEM, 'start-up'),
    'db.create_all': (SYSTEM, 'tests'),
    'db.get_engine': (INTERNAL, 'the engine for other database helpers'),
    'db.head_revision': (SYSTEM, 'migrations'),
    'db.include_object': (SYSTEM, 'migrations'),
    'db.make_engine': (SYSTEM, 'start-up and tests'),
    'db.ping': (PUBLIC, '/healthz: whether the database answers'),
    'db.session': (PLUMBING, 'the one session per action that db.call opens'),
    'db.upgrade': (SYSTEM, 'start-up'),
    'db.use_engine': (SYSTEM, 'tests'),
    'demo.has_real_content': (INTERNAL, 'part of seed_demo'),
    'demo.seed_demo': (SYSTEM, 'the seed-demo shell command'),
    'demo_boards.seed_boards': (INTERNAL, 'part of seed_demo'),
    'demo_events.seed_events': (INTERNAL, 'part of seed_demo'),
    'digest.build_digest': (SYSTEM, 'background job'),
    'digest.due_slot': (PURE, 'time arithmetic'),
    'digest.email_off_by_token': (TOKEN, 'the one-click mail settings link in every mail'),
    'digest.preferences_by_token': (TOKEN, 'the one-click mail settings link in every mail'),
    'digest.queue_immediate': (SYSTEM, 'background job'),
    'digest.run_due_digests': (SYSTEM, 'background job'),
    'digest.set_preference_by_token': (TOKEN, 'the one-click mail settings link in every mail'),
    'digest.unmailed': (INTERNAL, 'part of the digests'),
    'events.occurrence_row': (INTERNAL, 'the row of one date, made by checked services'),
    'events.resolve': (PAGE, 'the row id of a date the event page already showed through get_event'),
    'events.rule_of': (PURE, "an event's repeat rule"),
    'files.configure': (SYSTEM, 'start-up'),
    'files.folder': (INTERNAL, 'where uploads live'),
    'forum_search.highlight': (PURE, 'formatting'),
    'forum_search.snippet': (PURE, 'formatting'),
    'images.avatar_path': (PAGE, '/media/avatars/… behind the guard: a random name made by us'),
    'images.delete_avatar': (INTERNAL, 'part of the checked avatar services'),
    'images.delete_logo': (INTERNAL, 'part of the checked logo services'),
    'images.logo_path': (PUBLIC, '/site-logo: the network logo shows on the sign-in page'),
    'images.process_avatar': (PURE, 'image work'),
    'images.process_logo': (PURE, 'image work'),
    'images.save_avatar': (INTERNAL, 'part of members.set_avatar'),
    'images.save_logo': (INTERNAL, 'part of the checked logo services'),
    'local_time.aware': (PURE, 'time arithmetic'),
    'local_time.day_start': (PURE, 'time arithmetic'),
    'local_time.to_local': (PURE, 'time arithmetic'),
    'local_time.to_utc': (PURE, 'time arithmetic'),
    'local_time.today': (PURE, 'the date'),
    'local_time.week_start': (PURE, 'time arithmetic'),
    'mail.build_message': (PURE, 'formatting'),
    'mail.mail_config': (INTERNAL, 'the mail settings for the senders'),
    'mail.send_mail': (INTERNAL, 'the outbox worker and the checked test mail send through it'),
    'mail.sender_domain': (PURE, 'formatting'),
    'mail.smtp_configured': (PAGE, 'whether mail can be sent at all (yes or no)'),
    'mail_texts.channel_name': (PURE, 'wording'),
    'mail_texts.compose': (PURE, 'wording'),
    'mail_texts.kind_name': (PURE, 'wording'),
    'mail_texts.language': (PURE, 'wording'),
    'mail_texts.link': (PURE, 'formatting'),
    'mail_texts.notice_text': (PURE, 'wording'),
    'markup.render_markdown': (PURE, 'sanitising'),
    'member_import.links_csv': (PURE, 'formatting the checked import’s result'),
    'member_import.parse_csv': (PURE, 'reading an upload; preview and import are checked'),
    'members.clean_tags': (PURE, 'validation'),
    'members.forget_cached_facets': (INTERNAL, 'cache of the checked member_facets'),
    'members.index_text': (INTERNAL, 'the search index'),
    'members.initials': (PURE, 'formatting'),
    'members.normalize_tag': (PURE, 'formatting'),
    'members.popular_tags': (PAGE, 'tag names offered while typing in one’s profile'),
    'members.reindex_member': (INTERNAL, 'the search index'),
    'members.suggest_tags': (INTERNAL, 'tag names for other services'),
    'members.tag_name': (PAGE, 'the display name of a tag in a directory filter'),
    'messages.clean_body': (PURE, 'validation'),
    'messages.forget_member': (INTERNAL, 'part of deleting an account'),
    'messages.read_marks': (PURE, 'arithmetic over marks a checked service loaded'),
    'moderation.remove_thread': (INTERNAL, 'part of the checked deletions'),
    'notifications.already_told': (INTERNAL, 'part of notify'),
    'notifications.announce': (INTERNAL, 'tells open pages after a checked write'),
    'notifications.notify': (INTERNAL, 'checked services tell members'),
    'notifications.recipients': (INTERNAL, 'part of notify'),
    'notifications.unread_counts': (PAGE, 'the bell counts of the pages open in this process (numbers only)'),
    'organizations.count_organizations': (INTERNAL, 'a count for other services'),
    'organizations.find_or_add_organization': (INTERNAL, 'part of registration and profile services'),
    'organizations.get_organization': (PAGE, "an organisation's public facts (name, kind, level, city, website)"),
    'organizations.list_organization_choices': (PUBLIC, 'the registration form offers the organisations'),
    'outbox.base_url': (PURE, 'the configured address'),
    'outbox.claim_one': (SYSTEM, 'background job'),
    'outbox.counts': (INTERNAL, 'for tests and an overview'),
    'outbox.enqueue': (INTERNAL, 'checked services queue mails'),
    'outbox.enqueue_many': (INTERNAL, 'the digests queue mails'),
    'outbox.message_id': (PURE, 'formatting'),
    'outbox.purge_sent': (SYSTEM, 'background job'),
    'outbox.send_due': (SYSTEM, 'background job'),
    'outbox.settings_token': (INTERNAL, 'the secret of the mail settings link, for mails'),
    'outbox.settings_url': (INTERNAL, 'the mail settings link, for mails'),
    'outbox.user_of_token': (TOKEN, 'the member of a mail settings link'),
    'passwords.check_policy': (PURE, 'validation'),
    'passwords.dummy_hash': (PURE, 'timing-safe sign-in'),
    'passwords.hash_password': (PURE, 'hashing'),
    'passwords.use_params': (SYSTEM, 'tests'),
    'passwords.verify': (PURE, 'hashing'),
    'posts.allowed_file_types': (INTERNAL, 'a setting for the checked uploads'),
    'posts.attachment_folder': (INTERNAL, 'where attachments live'),
    'posts.attachment_path': (INTERNAL, 'part of attachment_for_download'),
    'posts.check_files': (INTERNAL, 'part of the checked writes'),
    'posts.clean_body': (PURE, 'validation'),
    'posts.commit_files': (INTERNAL, 'part of the checked writes'),
    'posts.edit_window_minutes': (INTERNAL, 'a setting for the checked edits'),
    'posts.max_attachment_bytes': (INTERNAL, 'a setting for the checked uploads'),
    'posts.max_post_length': (PAGE, 'a setting the editor shows'),
    'posts.mention_markdown': (PURE, 'formatting'),
    'posts.mentioned_ids': (INTERNAL, 'part of the checked writes'),
    'posts.plain_text': (PURE, 'formatting'),
    'posts.publish_changed': (INTERNAL, 'tells open pages after a checked write (no hidden text)'),
    'posts.quote_markdown': (PURE, 'formatting'),
    'posts.remove_reply': (INTERNAL, 'part of the checked deletions'),
    'posts.thousands': (PURE, 'formatting'),
    'reading.board_read_before': (INTERNAL, 'part of the checked reads'),
    'reading.ensure_read_row': (INTERNAL, 'part of the checked writes'),
    'reading.news_condition': (PURE, 'builds an SQL condition'),
    'reading.news_of': (PURE, 'arithmetic over loaded marks'),
    'reading.news_per_board': (INTERNAL, 'part of list_boards'),
    'reading.news_since': (INTERNAL, 'part of the checked reads'),
    'reading.read_states': (INTERNAL, 'part of the checked reads'),
    'reading.watcher_ids': (INTERNAL, 'part of notify_post'),
    'rate_limits.anonymous_page': (SYSTEM, 'the throttle in front of the pages (ui/throttle.py)'),
    'rate_limits.check_registration': (INTERNAL, 'the limit inside accounts.register'),
    'rate_limits.check_reset_link': (INTERNAL, 'the limit inside the checked reset services'),
    'rate_limits.check_reset_mail': (INTERNAL, 'the limit inside the checked reset services'),
    'rate_limits.suspended': (SYSTEM, 'the demo seeding writes in members\' names without their limits'),
    'recurrence.ical_rule': (PURE, 'date arithmetic'),
    'recurrence.is_occurrence': (PURE, 'date arithmetic'),
    'recurrence.last_day': (PURE, 'date arithmetic'),
    'recurrence.nth_weekday': (PURE, 'date arithmetic'),
    'recurrence.occurrence_days': (PURE, 'date arithmetic'),
    'recurrence.occurrence_starts': (PURE, 'date arithmetic'),
    'retention.prune': (SYSTEM, 'background job'),
    'search.any_word_expression': (PURE, 'builds a query'),
    'search.check_fts5': (SYSTEM, 'start-up'),
    'search.count_matches': (PURE, 'SQL text'),
    'search.create_member_index': (SYSTEM, 'migrations'),
    'search.create_post_index': (SYSTEM, 'migrations'),
    'search.fold': (PURE, 'formatting'),
    'search.index_member': (INTERNAL, 'the search index'),
    'search.index_post': (INTERNAL, 'the search index'),
    'search.match_expression': (PURE, 'builds a query'),
    'search.matching_ids': (PURE, 'SQL text'),
    'search.post_match_condition': (PURE, 'SQL text'),
    'search.post_matches': (PURE, 'SQL text'),
    'search.ranked_ids': (PURE, 'SQL text'),
    'search.remove_member': (INTERNAL, 'the search index'),
    'search.remove_post': (INTERNAL, 'the search index'),
    'search.sort_key': (PURE, 'formatting'),
    'search.terms': (PURE, 'formatting'),
    'search.top_matches': (PURE, 'SQL text'),
    'settings.forget_cache': (SYSTEM, 'tests'),
    'settings.get_setting': (PUBLIC, 'what every page shows (site name, texts, switches); pages never show secrets'),
    'settings.get_settings': (PUBLIC, 'what every page shows (site name, texts, switches); pages never show secrets'),
    'settings.parse_domains': (PURE, 'validation'),
    'settings.parse_file_types': (PURE, 'validation'),
    'uploads.accept_list': (PURE, 'formatting'),
    'uploads.check_attachment': (PURE, 'checks a file by its content'),
    'uploads.clean_filename': (PURE, 'formatting'),
}


# ---------------------------------------------------------------- running the cells


@pytest.fixture(scope='module')
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, sqlite3.Connection]]:
    """The seeded world, built once; each cell works on its own copy of it."""
    files.configure(tmp_path_factory.mktemp('authz-files'))
    engine = db.make_engine('sqlite://')
    db.use_engine(engine)
    db.create_all()
    bus.reset()
    site_settings.forget_cache()
    members.forget_cached_facets()
    with db.session() as s:
        seeded = build_world(s)
    with engine.connect() as conn:
        yield seeded, conn.connection.driver_connection
    bus.reset()
    data_export.reset()  # the cells leave export jobs in memory; later tests' members have the same ids
    engine.dispose()


def _function(name: str) -> Callable[..., Any]:
    module, fn = name.split('.')
    return getattr(importlib.import_module(f'services.{module}'), fn)


def run_cell(source: sqlite3.Connection, w: World, name: str, persona: str, target: str) -> str:
    """Call one service as one persona on a fresh copy of the world; the outcome's code."""
    entry, fn = MATRIX[name], _function(name)
    engine = db.make_engine('sqlite://')
    with engine.connect() as conn:
        source.backup(conn.connection.driver_connection)
    db.use_engine(engine)
    bus.reset()
    site_settings.forget_cache()
    members.forget_cached_facets()
    owner = None if target == 'any' else persona if target == 'own' else OTHER
    params = inspect.signature(fn).parameters
    try:
        with db.session() as s:
            s.expire_on_commit = True
            if entry.call is not None:
                result = entry.call(fn, s, w.actor(persona), w)
            else:
                kwargs = {('actor' if 'actor' in params else 'viewer'): w.actor(persona), **entry.args(w, owner, s)}
                result = fn(s, **kwargs) if 'session' in params else fn(**kwargs)
            return entry.judge(result) if entry.judge else 'ok'
    except NotAllowed:
        return 'NA'
    except NotFound:
        return 'NF'
    except Invalid:
        return 'IV'
    except DomainError:
        return 'DE'
    except Exception as e:  # noqa: BLE001 - a crash is an outcome too (and never a right one)
        return f'crash:{type(e).__name__}'
    finally:
        bus.reset()
        engine.dispose()


@pytest.mark.parametrize('name', sorted(MATRIX))
def test_service_answers_each_persona_as_the_table_says(name: str, world: tuple[World, sqlite3.Connection]):
    w, source = world
    wrong = []
    for target, persona, expected in cells(MATRIX[name]):
        got = run_cell(source, w, name, persona, target)
        if got != expected:
            wrong.append(f'{target:5} {persona:11} expected {expected:4} got {got}')
    assert not wrong, f'{name}:\n' + '\n'.join(wrong)


# ---------------------------------------------------------------- the enumeration is complete

ACTING = {'actor', 'viewer'}
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def service_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a module of services/, as 'module.function'."""
    found = {}
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f'services.{info.name}')
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            fn = inspect.unwrap(fn)  # tests/secret_scan.py wraps some services for the whole run
            if fn.__module__ == module.__name__ and not name.startswith('_'):
                found[f'{info.name}.{name}'] = fn
    return found


def _acting() -> set[str]:
    return {n for n, fn in service_functions().items() if ACTING & set(inspect.signature(fn).parameters)}


def test_every_service_function_has_a_row():
    found, acting = service_functions(), _acting()
    listed = MATRIX.keys() | NO_ACTOR.keys() | INTERNAL_STEPS.keys()
    problems = [f'{n} acts for someone: give it a row in MATRIX (an outcome per persona)'
                for n in sorted(acting - MATRIX.keys() - INTERNAL_STEPS.keys())]
    problems += [f'{n} takes an actor or viewer: it needs a row in MATRIX, not a reason in NO_ACTOR'
                 for n in sorted(acting & NO_ACTOR.keys())]
    problems += [f'{n} has no row in MATRIX and no reason in NO_ACTOR' for n in sorted(found.keys() - listed - acting)]
    problems += [f'{n} is listed but is no public service function (any more)' for n in sorted(listed - found.keys())]
    assert not problems, '\n'.join(problems)


def references(paths: list[Path]) -> set[str]:
    """'module.function' of every service function these files name (through any import alias)."""
    return set().union(*(_named_in(path) for path in paths))


@functools.cache
def _named_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding='utf-8'))
    names: set[str] = set()
    aliases: dict[str, str] = {}  # local name → services module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == 'services':
            aliases.update({a.asname or a.name: a.name for a in node.names})
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('services.'):
            names.update(f'{node.module.split(".", 1)[1]}.{a.name}' for a in node.names)
        elif isinstance(node, ast.Import):
            aliases.update({a.asname: a.name.split('.', 1)[1] for a in node.names
                            if a.asname and a.name.startswith('services.')})
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            names.add(f'{aliases[node.value.id]}.{node.attr}')
    return frozenset(names)


def test_the_reasons_for_needing_no_actor_hold():
    """PURE takes no session; INTERNAL is named nowhere in ui/ or main.py; SYSTEM in no page code; TOKEN has a key."""
    ui_dir = ROOT / 'ui'
    anywhere = references([*ui_dir.rglob('*.py'), ROOT / 'main.py'])
    page_code = references([*(ui_dir / 'pages').glob('*.py'), *(ui_dir / 'components').glob('*.py'),
                            ui_dir / 'layout.py'])
    assert {'boards.open_thread', 'members.get_member', 'messages.open_conversation'} <= page_code  # the scan works
    found = service_functions()
    wrong = []
    for name, (kind, reason) in sorted(NO_ACTOR.items()):
        assert kind in (PURE, INTERNAL, SYSTEM, TOKEN, PUBLIC, PAGE, PLUMBING) and reason, name
        params = set(inspect.signature(found[name]).parameters) if name in found else set()
        if kind == PURE and params & {'session', 'executor', 'connection'}:
            wrong.append(f'{name} is called pure but takes a database session')
        elif kind == INTERNAL and name in anywhere:
            wrong.append(f'{name} is called internal but ui/ or main.py calls it: give it an actor and a row')
        elif kind == SYSTEM and name in page_code:
            wrong.append(f'{name} is called a system function but page code calls it')
        elif kind == TOKEN and not params & {'token', 'session_id'}:
            wrong.append(f'{name} is said to be opened by a token but takes none')
    wrong += [f'{name} is an internal step but ui/ or main.py calls it' for name in INTERNAL_STEPS if name in anywhere]
    assert not wrong, '\n'.join(wrong)


def test_figures():
    """The counts for the issue's closing note (printed with -s); also a guard against an empty table."""
    count = sum(1 for entry in MATRIX.values() for _cell in cells(entry))
    print(f'\nservice functions: {len(service_functions())}, acting for someone: {len(_acting())}, '
          f'rows: {len(MATRIX)}, cells: {count}, no actor: {len(NO_ACTOR)}, internal steps: {len(INTERNAL_STEPS)}')
    assert len(MATRIX) >= 140 and count >= 900
