"""The server's guard around the application: a Host check and security headers on every reply.

`directives serve` listens on this machine only; a page elsewhere could still make a browser send
requests to it through a hostname of its own that resolves to 127.0.0.1 (DNS rebinding) and read
the database. Requests whose Host header is not one of the loopback names (or the address served
on) are refused. Every reply, datasette's own pages included, carries a Content-Security-Policy
that allows this origin only (datasette's pages keep their inline scripts and styles), and
nosniff / frame headers.
"""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'self'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN")]
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def allowed_hosts(bound: str) -> frozenset | None:
    """Host names a request may name, or None (no check) when serving on every interface."""
    if bound in ("0.0.0.0", "::", ""):
        return None
    return frozenset(LOOPBACK + (bound,))


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):  # '[::1]:8001'
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def guard(app, hosts: frozenset | None):
    """ASGI middleware: refuse unknown Host headers (400), add the security headers."""
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if hosts is not None:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if _host_name(host) not in hosts:
                body = b"Host not allowed: this server answers only to the names it listens on.\n"
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode()),
                                        *SECURITY_HEADERS]})
                await send({"type": "http.response.body", "body": body})
                return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return wrapped
