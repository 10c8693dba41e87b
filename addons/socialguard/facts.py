"""What the core is told about one request and its response: plain data, no mitmproxy types.

The adapter builds these from flows; `classify --har` builds them from HAR entries; tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How much of a request body the classifier may look at: enough for any operation name or reply field.
BODY_PEEK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class RequestFacts:
    method: str
    host: str                                   # as the client asked for it (Host/SNI), lower case, no port
    path: str                                   # without the query string
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()   # names lower-cased, in wire order
    body: bytes = b""                           # at most BODY_PEEK_BYTES of the (decoded) body
    body_size: int | None = None                # the whole body's size when known
    client_ip: str = ""
    proxy_user: str | None = None               # from proxy authentication, never the password
    timestamp: float = 0.0                      # request start, seconds since the epoch (UTC)
    scheme: str = "https"
    port: int = 443
    flow_id: str = ""

    def header(self, name: str) -> str | None:
        """First value of a header by lower-case name."""
        for k, v in self.headers:
            if k == name:
                return v
        return None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class ResponseFacts:
    status_code: int | None
    headers: tuple[tuple[str, str], ...] = ()
    timestamp_end: float | None = None
    body_size: int | None = None
    error: str | None = None                    # a short reason when the flow ended without a response
    extra: dict = field(default_factory=dict)
