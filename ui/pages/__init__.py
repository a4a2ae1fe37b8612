"""Importing this package registers every page."""

from ui.pages import accounts, admin, boards, home, members, organizations, search, system, threads  # noqa: F401
