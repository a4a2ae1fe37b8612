"""Importing this package registers every page."""

# event_form before events: /events/new must be matched before /events/{event_id}.
from ui.pages import (  # noqa: F401
    accounts,
    admin,
    boards,
    event_form,
    events,
    home,
    members,
    organizations,
    search,
    system,
    threads,
)
