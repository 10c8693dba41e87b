"""The banner addon: injects the reminder into social media pages and answers the proxy's own endpoints.

Runs after `Classifying` (which classifies the request and leaves its `FlowState` on the flow).
- `request`: answers the reserved dismiss host and the reserved stylesheet path on social origins; feeds
  the live usage meter; strips conditional headers from eligible navigations so that a page whose banner
  was dismissed is never revived from the browser's cache by a 304.
- `response`: inserts the banner into eligible pages, fixes Content-Length, drops validators.
The page's own security headers (CSP, X-Frame-Options, ...) are never touched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from mitmproxy import ctx, http, tls

from .. import eventtypes, metrics
from ..banner import (PIXEL, DismissLinks, Refusal, beacon_id, header_lookup, load_or_create_key,
                      request_is_navigation, response_is_page, telemetry)
from ..banner.eligibility import may_return_to, reminders_apply
from ..banner.service import (DISMISS_PATH, RESERVED_HOST, STYLESHEET_PATH, BannerService, Injected, PageFacts)
from ..facts import RequestFacts
from .facts import STATE_KEY, FlowState, request_facts, request_host, state_of
from .runtime import Runtime

log = logging.getLogger(__name__)

# Bodies bigger than this are decompressed/compressed off the event loop.
OFFLOAD_BYTES = 64 * 1024
DISMISS_KEY_FILE = "socialguard-dismiss.key"
_CONDITIONAL = ("if-none-match", "if-modified-since")
_VALIDATORS = ("etag", "last-modified")


def _text_response(status: int, text: str, extra: dict[str, str] | None = None) -> http.Response:
    headers = {"content-type": "text/plain; charset=utf-8", "cache-control": "no-store",
               "referrer-policy": "no-referrer", "x-content-type-options": "nosniff", **(extra or {})}
    return http.Response.make(status, text.encode(), headers)


class ReservedHostTls:
    """No upstream TLS handshake for the reserved host: it cannot resolve, and the proxy answers it."""

    name = "socialguard_reserved_host_tls"

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        if (data.client_hello.sni or "").lower().rstrip(".") == RESERVED_HOST:
            data.establish_server_tls_first = False


class Banner:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        # Survives policy reloads: the addon object lives as long as the proxy.
        self.service = BannerService()

    # -- requests ---------------------------------------------------------------------------------------
    def http_connect(self, flow: http.HTTPFlow) -> None:
        """Accept a CONNECT to the reserved host without dialling it (it cannot resolve): with mitmproxy's
        default eager connection strategy the tunnel would otherwise fail before the request is seen."""
        if flow.response is None and flow.request.host.lower().rstrip(".") == RESERVED_HOST:
            flow.response = http.Response(flow.request.data.http_version, 200, b"Connection established",
                                          http.Headers(), b"", None, time.time(), time.time())

    def running(self) -> None:
        # mitmproxy's TlsConfig (a built-in addon, which runs after scripts) asks for an upstream handshake
        # first; this hook must come after it, so it is registered last, once.
        if ctx.master.addons.get(ReservedHostTls.name) is None:
            ctx.master.addons.add(ReservedHostTls())
        # One dismiss-link key for every process sharing the confdir (a link made by one is honoured by another).
        key_file = Path(ctx.options.confdir).expanduser() / DISMISS_KEY_FILE
        try:
            self.service.links = DismissLinks(load_or_create_key(key_file))
        except (OSError, ValueError) as e:
            log.warning("socialguard: dismiss links use a key of this process only (%s: %s)", key_file, e)

    def request(self, flow: http.HTTPFlow) -> None:
        rt = self.rt
        if not rt.loaded or flow.response is not None:
            return
        if request_host(flow) == RESERVED_HOST:
            self._answer_reserved(flow, rt)
            return
        state = state_of(flow)
        if state is None:
            return
        facts, verdict = state.facts, state.verdict
        if facts.path == STYLESHEET_PATH:
            # Our own subresources (stylesheet, render beacon): answered here, never the person's activity.
            flow.metadata[STATE_KEY] = None
            css = self.service.stylesheet(flow.request.path.partition("?")[2])
            flow.response = http.Response.make(200, css.encode(), {
                "content-type": "text/css; charset=utf-8", "cache-control": "private, no-store",
                "x-content-type-options": "nosniff"})
            return
        token = beacon_id(facts.path)
        if token is not None:
            flow.metadata[STATE_KEY] = None
            self._beacon(flow, state, token)
            return
        c = verdict.classification
        try:
            rt.usage.record(verdict.who.user, c.platform, facts.timestamp, c.background, groups=verdict.who.groups,
                            category=c.category)
        except Exception:  # noqa: BLE001 - the meter must never cost a request
            log.exception("socialguard: usage meter failed")
        policy = rt.policy.banner
        if not reminders_apply(policy.enabled, c.background, c.category):
            return
        if request_is_navigation(facts.method, header_lookup(facts.headers)):
            for name in _CONDITIONAL:
                flow.request.headers.pop(name, None)
            state.banner = True

    def _answer_reserved(self, flow: http.HTTPFlow, rt: Runtime) -> None:
        path, _, query = flow.request.path.partition("?")
        if flow.request.method != "GET" or path != DISMISS_PATH:
            flow.response = _text_response(404, "socialguard: nothing here\n")
            return
        if not request_is_navigation("GET", lambda name: flow.request.headers.get(name)):
            # Only a person following the link dismisses: never a prefetch, a fetch() or a frame.
            flow.response = _text_response(403, "socialguard: open this link in the browser tab\n")
            return
        facts = request_facts(flow)
        who = rt.engine.identity.resolve(facts.client_ip, facts.proxy_user)
        now = time.time()

        d = self.service.dismiss(query, user=who.user, now=now, host_known=self._host_known)
        if isinstance(d, Refusal):
            flow.response = _text_response(400, "socialguard: this link does not lead back to a social media page\n")
            rt.engine.emit(eventtypes.banner_followup(
                now=now, who=who, client_ip=facts.client_ip, domain=RESERVED_HOST, path=DISMISS_PATH, platform=None,
                banner=telemetry.dismiss_refused(d), severity="log"))
            metrics.banner_dismiss_refused.labels(d.reason).inc()
            return
        flow.response = _text_response(303, "", {"location": d.return_url})
        rt.engine.emit(eventtypes.banner_followup(now=now, who=who, client_ip=facts.client_ip, domain=d.host,
                                                  path=d.path, platform=d.platform, banner=telemetry.dismissed()))

    def _beacon(self, flow: http.HTTPFlow, state: FlowState, token: str) -> None:
        """The render beacon: the browser laid out the banner it belongs to (once, for its person)."""
        now = time.time()
        who = state.verdict.who
        record = self.service.rendered(token, user=who.user, now=now,
                                       fetch_dest=flow.request.headers.get("sec-fetch-dest"))
        flow.response = http.Response.make(200, PIXEL, {"content-type": "image/gif", "cache-control": "no-store",
                                                        "x-content-type-options": "nosniff"})
        if record is None:
            return
        self.rt.engine.emit(eventtypes.banner_followup(
            now=now, who=who, client_ip=state.facts.client_ip, domain=record.host, path=record.path,
            platform=record.platform, banner=telemetry.rendered(record, now)))
        metrics.banner_rendered.labels(record.language).inc()

    def _host_known(self, host: str) -> bool:
        """A host the banner may send a browser back to: a catalog host or a learned fediverse host (a site
        root that classifies without an any-host path), never a background (CDN) host."""
        c = self.rt.engine.classifier.classify(RequestFacts(method="GET", host=host, path="/"), None)
        return c is not None and may_return_to(c.background, c.host_match)

    # -- responses --------------------------------------------------------------------------------------
    async def response(self, flow: http.HTTPFlow) -> None:
        state = state_of(flow)
        if state is None:
            return
        if not state.banner:
            self._note_post(state, flow)
            return
        rt = self.rt
        resp = flow.response
        if not rt.loaded or resp is None or resp.raw_content is None:
            return
        if not response_is_page(resp.status_code, resp.headers.get):
            return
        try:
            if len(resp.raw_content) > OFFLOAD_BYTES:
                injected = await asyncio.to_thread(self._inject, flow, state, rt)
            else:
                injected = self._inject(flow, state, rt)
        except Exception as e:  # noqa: BLE001 - fail open: the page goes out untouched
            self._error(rt, flow, e)
            return
        if injected is None:
            return
        resp.raw_content = injected.raw
        if injected.content_encoding and injected.content_encoding != resp.headers.get("content-encoding"):
            resp.headers["content-encoding"] = injected.content_encoding
            vary = resp.headers.get("vary", "")
            if "accept-encoding" not in vary.lower() and vary.strip() != "*":
                resp.headers["vary"] = f"{vary}, Accept-Encoding" if vary.strip() else "Accept-Encoding"
        if "transfer-encoding" not in resp.headers:
            resp.headers["content-length"] = str(len(injected.raw))
        for name in _VALIDATORS:
            resp.headers.pop(name, None)
        if "no-store" not in resp.headers.get("cache-control", "").lower():
            # The banner is personal and may be dismissed: always ask the proxy again.
            resp.headers["cache-control"] = "private, no-cache"
        self._inserted(rt, state, injected)

    def _note_post(self, state: FlowState, flow: http.HTTPFlow) -> None:
        """A post, comment or upload that went through (not blocked, not failed): 2.2 is owed on the next page."""
        c = state.verdict.classification
        if self.rt.loaded and flow.response is not None and flow.response.status_code < 400:
            self.service.note_activity(self.rt.policy.banner, user=state.verdict.who.user, activity=c.activity,
                                       background=c.background, now=state.facts.timestamp)

    def _inject(self, flow: http.HTTPFlow, state: FlowState, rt: Runtime) -> Injected | None:
        verdict = state.verdict
        req, resp = flow.request, flow.response
        policy = rt.policy
        banner = policy.banner
        user, platform = verdict.who.user, verdict.classification.platform
        now = time.time()
        page = PageFacts(
            scheme=req.scheme, host=req.pretty_host.lower(), port=req.port, url=req.pretty_url,
            content_type=resp.headers.get("content-type"), content_encoding=resp.headers.get("content-encoding"),
            csp=tuple(resp.headers.get_all("content-security-policy")
                      + resp.headers.get_all("content-security-policy-report-only")),
            accept_encoding=req.headers.get("accept-encoding"), path=state.facts.path)
        names = {p.slug: p.name for p in policy.catalog.platforms}

        def make_content():
            return self.service.content_for(
                banner, user=user, platform=platform, now=now, accept_language=req.headers.get("accept-language"),
                # The meter speaks of working hours: outside them (lunch, breaks, evenings) it stays hidden.
                minutes=lambda: (rt.usage.working_minutes_today(user, now)
                                 if rt.usage.in_working_time(user, now, verdict.who.groups) else 0.0),
                coaching=lambda: rt.coaching.pop(user, now), has_coaching=lambda: bool(rt.coaching.peek(user)),
                platform_names=names)

        return self.service.inject(
            resp.raw_content, page, banner, faq_url=banner.faq_url or policy.agency.faq_url,
            contact_url=banner.contact_url or policy.agency.contact_url, make_content=make_content, now=now,
            host_known=self._host_known)

    def _inserted(self, rt: Runtime, state: FlowState, injected: Injected) -> None:
        rt.engine.emit(eventtypes.banner_inserted(state.facts, state.verdict.who, state.verdict.classification,
                                                  now=time.time(), banner=telemetry.inserted(injected)))
        metrics.banner_injections.labels(injected.content.language).inc()

    def _error(self, rt: Runtime, flow: http.HTTPFlow, error: Exception) -> None:
        log.warning("socialguard: banner left out of %s: %s", flow.request.pretty_host, error)
        rt.engine.emit(eventtypes.error(now=time.time(), reason="banner", domain=flow.request.pretty_host.lower(),
                                        path=flow.request.path.split("?", 1)[0], exc=error))
