"""The shape of the app's own middlewares: pure ASGI, HTTP requests only (websockets and lifespan pass through)."""

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware(ABC):
    """Subclasses handle HTTP requests in `handle`. Pure ASGI, not Starlette's BaseHTTPMiddleware: that one runs the
    rest of every request in a task of its own and copies every response body through a stream."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request (usually by calling self.app, perhaps with a wrapped `send`)."""
