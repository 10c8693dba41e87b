"""The classifying addon: the policy options and their loading, the classification of every request, and
the activity event of every social flow when it ends (response or error). It runs first: the other addons
read the `FlowState` it leaves on the flow."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from pathlib import Path

from mitmproxy import ctx, exceptions, http

from .. import metrics
from ..classify.memory import write_state
from ..classify.official_posts import MAX_BODY_BYTES
from ..policy import PolicyError, load_policy
from .facts import classify_flow, response_facts, state_of, streamed_size
from .runtime import Runtime

OPTIONS = ("socialguard_policy", "socialguard_events_dir", "socialguard_node", "socialguard_state_file")
# Answers larger than this are parsed off the event loop (learning official posts / fediverse servers).
PARSE_INLINE_BYTES = 256 * 1024
log = logging.getLogger("socialguard")


class Classifying:
    def __init__(self, rt: Runtime):
        self.rt = rt

    def load(self, loader):
        loader.add_option("socialguard_policy", str, "policy", "Directory of the socialguard policy (YAML).")
        loader.add_option("socialguard_events_dir", str, "var/events", "Directory for JSON-lines event files.")
        loader.add_option("socialguard_node", str, socket.gethostname(),
                          "Name of this proxy node in events (observer.name).")
        loader.add_option("socialguard_state_file", str, "",
                          "Learned fediverse servers and official posts; empty: <events dir>/state/classify.json.")

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
        state_file = Path(ctx.options.socialguard_state_file).resolve() if ctx.options.socialguard_state_file else None
        self.rt.install(policy, events_dir, ctx.options.socialguard_node, state_file)
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

    def response(self, flow: http.HTTPFlow):
        # Synchronous unless a large answer must be parsed off the loop (mitmproxy awaits what a hook returns).
        pending = self._learn(flow)
        if pending is None:
            self._finish(flow)
            return None
        return self._finish_after(pending, flow)

    async def _finish_after(self, pending, flow: http.HTTPFlow) -> None:
        try:
            self.rt.engine.remember(await pending)
        except Exception as e:                      # never let learning break the flow
            log.warning("socialguard: could not learn from an answer: %s", e)
        self._save_state()
        self._finish(flow)

    def _learn(self, flow: http.HTTPFlow):
        """Answers the core wants (fediverse servers, views on platforms with official accounts) teach it
        servers and official posts; no other answer is read. Returns an awaitable for a large answer."""
        state, rt = state_of(flow), self.rt
        resp = flow.response
        if not rt.loaded or state is None or resp is None or not rt.engine.wants_response(state.facts, state.verdict):
            return None
        ctype = resp.headers.get("content-type", "")
        raw = resp.raw_content
        if "json" not in ctype.lower() or raw is None or len(raw) > MAX_BODY_BYTES:
            return None                             # not JSON, streamed or too large: not read
        engine = rt.engine
        try:
            body = resp.get_content(strict=False) or b""
            args = (state.facts, state.verdict, resp.status_code, ctype, body)
            if len(body) > PARSE_INLINE_BYTES:
                return asyncio.to_thread(engine.read_response, *args)
            engine.remember(engine.read_response(*args))
        except Exception as e:                      # never let learning break the flow
            log.warning("socialguard: could not learn from an answer: %s", e)
        self._save_state()
        return None

    def _save_state(self) -> None:
        """At most once a minute: snapshot on this thread (the stores are not thread-safe), write in another."""
        doc = self.rt.state_due()
        if doc is not None:
            threading.Thread(target=self._write_state, args=(self.rt.state_file, doc), daemon=True,
                             name="socialguard-state").start()

    @staticmethod
    def _write_state(path, doc) -> None:
        try:
            write_state(path, doc)
        except OSError as e:
            log.error("socialguard: cannot write classifier state %s: %s", path, e)

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
