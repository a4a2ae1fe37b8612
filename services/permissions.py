"""Who may do what: the checks every service runs first."""

from typing import Any

from models.user import Role, Status
from services.errors import NotAllowed


def is_active(actor: Any) -> bool:
    return actor is not None and getattr(actor, 'status', None) == Status.ACTIVE


def require_active(actor: Any) -> None:
    if not is_active(actor):
        raise NotAllowed()


def require_admin(actor: Any) -> None:
    """Only an active administrator (a deactivated one's stale object is refused too)."""
    if not is_active(actor) or getattr(actor, 'role', None) != Role.ADMIN:
        raise NotAllowed()


def require_moderator(actor: Any) -> None:
    if not is_active(actor) or getattr(actor, 'role', None) not in (Role.ADMIN, Role.MODERATOR):
        raise NotAllowed()
