"""Domain errors. Messages are German catalogue keys; the UI translates them and fills in the params."""


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotAllowed(DomainError):
    def __init__(self, message: str = 'Dafür fehlt Ihnen die Berechtigung.', **params: object) -> None:
        super().__init__(message, **params)


class NotFound(DomainError):
    def __init__(self, message: str = 'Nicht gefunden.', **params: object) -> None:
        super().__init__(message, **params)


class Invalid(DomainError):
    """Bad input for one field; the form shows the message beside that field."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class TooManyAttempts(DomainError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {seconds} Sekunden.', seconds=retry_after
        )
        self.retry_after = retry_after


class RateLimited(DomainError):
    """Too many actions of one kind in a short time (services/rate_limits.py). The message says when to try again:
    `minutes` is filled in from `retry_after` (seconds), rounded up."""

    def __init__(self, message: str, *, retry_after: int, **params: object) -> None:
        super().__init__(message, minutes=max(1, -(-retry_after // 60)), **params)
        self.retry_after = retry_after
