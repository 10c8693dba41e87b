"""mitmproxy flow -> core facts. The only place that knows both shapes."""

from __future__ import annotations

from mitmproxy import http

from ..facts import BODY_PEEK_BYTES, RequestFacts, ResponseFacts


def request_host(flow: http.HTTPFlow) -> str:
    # pretty_host is the Host header (or authority) the client asked for, not the resolved address.
    host = flow.request.pretty_host.lower().rstrip(".")
    if host.startswith("[") and "]" in host:
        return host[1:host.index("]")]
    return host


def request_facts(flow: http.HTTPFlow) -> RequestFacts:
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
        host=request_host(flow),
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
    return ResponseFacts(
        status_code=resp.status_code,
        headers=tuple((k.lower(), v) for k, v in resp.headers.items(multi=True)),
        timestamp_end=resp.timestamp_end,
        body_size=size,
    )
