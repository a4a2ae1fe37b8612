"""Importing this package registers every page."""

from ui.pages import accounts, admin, home, members, organizations, system  # noqa: F401
