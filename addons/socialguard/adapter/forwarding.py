"""Refuses what the proxy must not forward (docs/security.md, "What the proxy forwards"): requests addressed to its
own proxy, metrics and health sockets, always, and to its host's loopback when operations.yaml
`forwarding.refuse_loopback` says so. The decision is `destinations.refusal`; this addon only asks it at each
place a client names a destination, and answers 403.

- `http_connect`: a CONNECT line (`CONNECT localhost:9464`);
- `requestheaders`: absolute-form requests and the `Host` of requests inside a tunnel;
- `server_connect`: modes where the client picks the server without an HTTP request (SOCKS5, transparent);
- `responseheaders`: the address the connection really reached, for a DNS name that resolves to the loopback
  (the flow is killed before its response is passed on).
Upstream and reverse modes connect where the operator configured, so only the request's target is checked there.
"""

from __future__ import annotations

from mitmproxy import ctx, exceptions, http
from mitmproxy.proxy import mode_specs

from .. import metrics
from ..destinations import Reason, own_host_addresses, refusal, refusal_response
from .runtime import Runtime

def _override(value: str) -> bool | None:
    """The option's value: True, False, or None (operations.yaml decides)."""
    return {"true": True, "false": False}.get(value)


def _client_picks_server(client) -> bool:
    return not isinstance(getattr(client, "proxy_mode", None), (mode_specs.UpstreamMode, mode_specs.ReverseMode))


class Forwarding:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self._listen: tuple[tuple[str, int], ...] = ()
        self._local: tuple[str, ...] = ()

    def load(self, loader):
        loader.add_option("socialguard_refuse_loopback", str, "",
                          "Refuse requests to this host's loopback: true, false, or empty for operations.yaml "
                          "forwarding.refuse_loopback (tests and benchmarks use loopback origins).")

    def configure(self, updated):
        if "socialguard_refuse_loopback" in updated and ctx.options.socialguard_refuse_loopback not in ("", "true",
                                                                                                      "false"):
            raise exceptions.OptionsError("socialguard_refuse_loopback must be true, false or empty")

    def running(self) -> None:
        server = ctx.master.addons.get("proxyserver")
        self._listen = tuple((str(a[0]), int(a[1])) for a in server.listen_addrs())
        self._local = own_host_addresses()

    def _reason(self, host: str, port: int) -> Reason | None:
        if not self.rt.loaded:
            return None
        own = self._listen + ((self.rt.metrics_address,) if self.rt.metrics_address else ())
        refuse_loopback = _override(ctx.options.socialguard_refuse_loopback)
        if refuse_loopback is None:
            refuse_loopback = self.rt.policy.operations.forwarding.refuse_loopback
        return refusal(host, port, own, refuse_loopback, self._local)

    def _refuse(self, flow: http.HTTPFlow, reason: Reason) -> None:
        metrics.refused_requests.labels(reason).inc()
        status, body, headers = refusal_response(reason)
        flow.response = http.Response.make(status, body, headers)

    def http_connect(self, flow: http.HTTPFlow) -> None:
        if reason := self._reason(flow.request.host, flow.request.port):
            self._refuse(flow, reason)

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response is None and (reason := self._reason(flow.request.host, flow.request.port)):
            self._refuse(flow, reason)

    def server_connect(self, data) -> None:
        if data.server.address and _client_picks_server(data.client):
            if reason := self._reason(*data.server.address):
                metrics.refused_requests.labels(reason).inc()
                data.server.error = f"socialguard: refused ({reason})"

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        peer = flow.server_conn.peername
        if peer and _client_picks_server(flow.client_conn) and (reason := self._reason(peer[0], peer[1])):
            metrics.refused_requests.labels(reason).inc()
            flow.kill()
