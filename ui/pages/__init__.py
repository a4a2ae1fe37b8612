"""Importing this package registers every page."""

from ui.pages import accounts, admin, home, system  # noqa: F401
