"""The core addon: options, policy loading, classification of every request, activity events."""

from __future__ import annotations

import socket
from pathlib import Path

from mitmproxy import ctx, exceptions, http

from .. import metrics
from ..policy import PolicyError, load_policy
from . import runtime
from .facts import request_facts, request_host, response_facts

METADATA_KEY = "socialguard"


class SocialGuard:
    def load(self, loader):
        loader.add_option("socialguard_policy", str, "policy", "Directory of the socialguard policy (YAML).")
        loader.add_option("socialguard_events_dir", str, "var/events", "Directory for JSON-lines event files.")
        loader.add_option("socialguard_node", str, socket.gethostname(),
                          "Name of this proxy node in events (observer.name).")

    def configure(self, updated):
        if not {"socialguard_policy", "socialguard_events_dir", "socialguard_node"} & updated:
            return
        try:
            policy = load_policy(Path(ctx.options.socialguard_policy))
        except PolicyError as e:
            raise exceptions.OptionsError(f"socialguard policy rejected:\n{e}") from None
        events_dir = Path(ctx.options.socialguard_events_dir).resolve()
        try:
            events_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise exceptions.OptionsError(f"socialguard_events_dir {events_dir}: {e.strerror}") from None
        runtime.install(policy, events_dir, ctx.options.socialguard_node)
        metrics.policy_loaded.set_to_current_time()

    def request(self, flow: http.HTTPFlow) -> None:
        rt = runtime.current()
        if rt is None or METADATA_KEY in flow.metadata:
            return
        if flow.response is not None and flow.response.status_code == 407:
            return          # refused by proxy authentication: nobody used the platform
        # Hot path: a non-social request costs a host lookup here and nothing else.
        host = request_host(flow)
        if not rt.engine.classifier.might_be_social(host, flow.request.path.split("?", 1)[0]):
            return
        facts = request_facts(flow, host)
        verdict = rt.engine.classify(facts)
        if verdict is not None:
            flow.metadata[METADATA_KEY] = verdict
            flow.metadata["socialguard_facts"] = facts

    def response(self, flow: http.HTTPFlow) -> None:
        self._finish(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        # A client that aborts mid-body never reaches `request`: classify what was seen so the flow is recorded.
        if METADATA_KEY not in flow.metadata and flow.request is not None:
            self.request(flow)
        self._finish(flow)

    def _finish(self, flow: http.HTTPFlow) -> None:
        rt = runtime.current()
        verdict = flow.metadata.get(METADATA_KEY)
        if rt is None or verdict is None or flow.metadata.get("socialguard_done"):
            return
        flow.metadata["socialguard_done"] = True
        rt.engine.finished(flow.metadata["socialguard_facts"], verdict, response_facts(flow))

    def done(self):
        runtime.shutdown()
