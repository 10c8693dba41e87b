"""mitmproxy flow -> core facts, and the one per-flow state. The only place that knows both shapes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mitmproxy import http

from ..engine import Engine, Verdict
from ..facts import BODY_PEEK_BYTES, RequestFacts, ResponseFacts
from ..inspect.decide import UploadFacts
from ..inspect.scancontext import ScanContext
from ..inspect.streamed import StreamedBody

STATE_KEY = "socialguard"
_HTTP2_OR_3 = (b"HTTP/2.0", b"HTTP/3")


@dataclass(slots=True)
class FlowState:
    """Everything socialguard keeps about one social flow, under one `flow.metadata` key, computed once.

    `flow.metadata[STATE_KEY]` is absent before the request is classified, None when it is not social (or
    must not be recorded, e.g. the banner's own stylesheet), else this.
    """

    facts: RequestFacts
    verdict: Verdict
    finished: bool = False                  # the activity event was written
    banner: bool = False                    # an eligible navigation: the response may get the banner
    stream: StreamedBody | None = None      # a large upload being scanned and spooled as it passes


def state_of(flow: http.HTTPFlow) -> FlowState | None:
    return flow.metadata.get(STATE_KEY)


def classify_flow(flow: http.HTTPFlow, engine: Engine) -> FlowState | None:
    """The flow's state, classifying it on first call: a non-social request costs one host lookup, once."""
    if STATE_KEY in flow.metadata:
        return flow.metadata[STATE_KEY]
    state = None
    host = request_host(flow)
    if engine.might_be_social(host, flow.request.path.split("?", 1)[0]):
        facts = request_facts(flow, host)
        verdict = engine.classify(facts, gated=True)
        if verdict is not None:
            state = FlowState(facts, verdict)
    flow.metadata[STATE_KEY] = state
    return state


def streamed_size(state: FlowState) -> None:
    """A streamed body is not kept: its size is what passed through the stream."""
    if state.stream is not None and not state.facts.body_size:
        state.facts = replace(state.facts, body_size=state.stream.size)


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


def upload_facts(flow: http.HTTPFlow, state: FlowState) -> UploadFacts:
    """The whole request body and what inspection reads besides it."""
    req = flow.request
    return UploadFacts(method=req.method.upper(), host=state.facts.host, path=state.facts.path,
                       query=dict(req.query.items()), headers={k.lower(): v for k, v in req.headers.items()},
                       body=req.raw_content or b"", activity=state.verdict.classification.activity,
                       context=ScanContext.of(state.verdict.classification))


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
