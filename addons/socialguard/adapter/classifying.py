"""The classifying addon: the policy options and their loading, the classification of every request, and
the activity event of every social flow when it ends (response or error). It runs first: the other addons
read the `FlowState` it leaves on the flow."""

from __future__ import annotations

import socket
from pathlib import Path

from mitmproxy import ctx, exceptions, http

from .. import metrics
from ..policy import PolicyError, load_policy
from .facts import classify_flow, response_facts, state_of, streamed_size
from .runtime import Runtime

OPTIONS = ("socialguard_policy", "socialguard_events_dir", "socialguard_node")


class Classifying:
    def __init__(self, rt: Runtime):
        self.rt = rt

    def load(self, loader):
        loader.add_option("socialguard_policy", str, "policy", "Directory of the socialguard policy (YAML).")
        loader.add_option("socialguard_events_dir", str, "var/events", "Directory for JSON-lines event files.")
        loader.add_option("socialguard_node", str, socket.gethostname(),
                          "Name of this proxy node in events (observer.name).")

    def configure(self, updated):
        if not set(OPTIONS) & updated:
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
        self.rt.install(policy, events_dir, ctx.options.socialguard_node)
        metrics.policy_loaded.set_to_current_time()

    def request(self, flow: http.HTTPFlow) -> None:
        if not self.rt.loaded:
            return
        if flow.response is not None and flow.response.status_code == 407:
            return          # refused by proxy authentication: nobody used the platform
        # Hot path: a non-social request costs a host lookup here and nothing else.
        state = classify_flow(flow, self.rt.engine)
        if state is not None:
            streamed_size(state)

    def response(self, flow: http.HTTPFlow) -> None:
        self._finish(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        # A client that aborts mid-body never reaches `request`: classify what was seen so the flow is recorded.
        if flow.request is not None:
            self.request(flow)
        self._finish(flow)

    def _finish(self, flow: http.HTTPFlow) -> None:
        state = state_of(flow)
        if not self.rt.loaded or state is None or state.finished:
            return
        state.finished = True
        self.rt.engine.finished(state.facts, state.verdict, response_facts(flow))

    def done(self):
        self.rt.shutdown()
