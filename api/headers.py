"""Security headers on every response: CSP, framing, sniffing, referrer, and HSTS over https.

The Content-Security-Policy allows scripts only from this server plus the dashboard's own
inline scripts by their hashes (Dash writes its clientside callbacks and the renderer's
start inline; ``Dash.csp_hashes`` lists them). Styles need 'unsafe-inline': the dashboard's
components (dropdowns, plotly.js) put style elements into the page. A response that sets its
own policy (the API docs, see api/docs.py) keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def policy(extra_scripts: Iterable[str] = (), **directives: str) -> str:
    """The CSP header value: the base policy with more script sources and directives replaced."""
    values = {**BASE_POLICY, **{name.replace("_", "-"): value for name, value in directives.items()}}
    values["script-src"] = " ".join([values["script-src"], *extra_scripts])
    return "; ".join(f"{name} {value}" for name, value in values.items())


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources (``'sha256-...'``) for the inline ``<script>`` elements of a page we generate."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(_COMMENT.sub("", html))
    ]


class SecurityHeaders:
    """Pure ASGI middleware adding the headers to every HTTP response (streamed ones too)."""

    def __init__(
        self, app: ASGIApp, *, script_hashes: Callable[[], Sequence[str]] = list, hsts_max_age: int = 0
    ) -> None:
        self.app = app
        self.script_hashes = script_hashes
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains" if hsts_max_age else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    # Only an HTML page runs inline scripts: the API's JSON and Dash's callback answers get
                    # the base policy without hashing anything. Asked per page, not at start-up: Dash adds
                    # its pages' inline scripts on its first request.
                    html = headers.get("content-type", "").startswith("text/html")
                    headers["Content-Security-Policy"] = policy(self.script_hashes() if html else ())
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                # The scheme is https only when the connection is, or a trusted proxy said so
                # (uvicorn's proxy headers with BACKBONE_FORWARDED_ALLOW_IPS).
                if self.hsts and scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", self.hsts)
            await send(message)

        await self.app(scope, receive, send_with_headers)
