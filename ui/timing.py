"""Server-Timing header on every response: the server's own time, for operators and the benchmarks."""

import time

from starlette.types import Message, Receive, Scope, Send

from ui.asgi import HttpMiddleware


class ServerTimingMiddleware(HttpMiddleware):
    """Adds `Server-Timing: app;dur=<ms>` to each HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message['type'] == 'http.response.start':
                duration = (time.perf_counter() - start) * 1000
                headers = list(message.get('headers', []))
                headers.append((b'server-timing', f'app;dur={duration:.2f}'.encode()))
                message = {**message, 'headers': headers}
            await send(message)

        await self.app(scope, receive, send_with_timing)
