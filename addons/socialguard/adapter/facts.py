"""mitmproxy flow -> core facts. The only place that knows both shapes."""

from __future__ import annotations

from mitmproxy import http

from ..facts import BODY_PEEK_BYTES, RequestFacts, ResponseFacts


_HTTP2_OR_3 = (b"HTTP/2.0", b"HTTP/3")


def request_host(flow: http.HTTPFlow) -> str:
    """The host the client asked for (HTTP/2-3 :authority, else the Host header), else the connection's host.

    Same answer as mitmproxy's `pretty_host`, read straight from the header fields: `pretty_host` validates the
    name on every call, which costs more than the rest of the hot path for a non-social request.
    """
    data = flow.request.data
    authority = data.authority if data.http_version in _HTTP2_OR_3 else b""
    if not authority:
        for name, value in data.headers.fields:
            if len(name) == 4 and name.lower() == b"host":
                authority = value
                break
    if not authority:
        return flow.request.host.lower().rstrip(".")
    host = authority.decode("utf-8", "surrogateescape").lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end != -1 else host
    name, colon, port = host.rpartition(":")
    if colon and port.isdigit():
        host = name
    return host.rstrip(".")


def request_facts(flow: http.HTTPFlow, host: str | None = None) -> RequestFacts:
    req = flow.request
    body = b""
    size = None
    if req.raw_content is not None:
        size = len(req.raw_content)
        if "content-encoding" in req.headers:
            # Compressed bodies are decoded only up to the peek; inspection decodes with its own cap.
            try:
                body = (req.get_content(strict=False) or b"")[:BODY_PEEK_BYTES]
            except Exception:
                body = b""
        else:
            body = req.raw_content[:BODY_PEEK_BYTES]
    auth = flow.metadata.get("proxyauth")
    peer = flow.client_conn.peername
    return RequestFacts(
        method=req.method.upper(),
        host=host if host is not None else request_host(flow),
        path=req.path.split("?", 1)[0],
        query=tuple(req.query.items(multi=True)),
        headers=tuple((k.lower(), v) for k, v in req.headers.items(multi=True)),
        body=body,
        body_size=size,
        client_ip=peer[0] if peer else "",
        proxy_user=auth[0] if auth else None,
        timestamp=req.timestamp_start,
        scheme=req.scheme,
        port=req.port,
        flow_id=flow.id,
    )


def response_facts(flow: http.HTTPFlow) -> ResponseFacts:
    resp = flow.response
    if resp is None:
        return ResponseFacts(status_code=None, error=str(flow.error.msg)[:200] if flow.error else "no response")
    size = len(resp.raw_content) if resp.raw_content is not None else None
    # Response headers are left out: nothing in the core reads them, and copying them costs on every social flow.
    return ResponseFacts(
        status_code=resp.status_code,
        timestamp_end=resp.timestamp_end,
        body_size=size,
    )
