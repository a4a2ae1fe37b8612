"""Security headers on every HTTP response (pages, files, API routes); websockets are not HTTP responses.

The Content-Security-Policy is as strict as NiceGUI allows: NiceGUI builds each page with an inline script and Vue
compiles its templates in the browser, which needs 'unsafe-inline' and 'unsafe-eval' for scripts, and Quasar sets
inline styles. Everything else is this origin only: nothing from a CDN (the app runs in intranets), no plug-ins, no
framing (clickjacking), forms post only here. Images may be data:/blob: URLs (previews of uploads). A response that
brings a stricter policy of its own (an uploaded file served with `sandbox`) keeps it.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from ui.asgi import HttpMiddleware

CONTENT_SECURITY_POLICY = '; '.join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    # Addresses carry secrets at times (a calendar feed, a reset link): never hand them to another site.
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
}


class SecurityHeadersMiddleware(HttpMiddleware):
    """The headers are added to the start of every HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
