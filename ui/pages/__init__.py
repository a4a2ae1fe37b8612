"""Importing this package registers every page."""

# event_form before events: /events/new must be matched before /events/{event_id}.
from ui.pages import (  # noqa: F401
    accounts,
    admin,
    admin_audit,
    admin_content,
    admin_import,
    admin_moderation,
    admin_stats,
    admin_users,
    boards,
    event_form,
    events,
    home,
    mail_settings,
    members,
    messages,
    notifications,
    organizations,
    search,
    system,
    threads,
)
