"""The inspection addon: hook wiring only; what to inspect and what to do lives in `inspect.decide`.

- Bodies up to `limits.hold_bytes` are held and inspected in a worker before they are forwarded (a `block`
  answers the policy's 403 page). The hook is async: other flows go on meanwhile.
- Larger or chunked bodies are streamed through an `inspect.streamed.StreamedBody` (scanned, spooled) and
  inspected after they were forwarded: findings can then only be logged or coached.
Non-social traffic never reaches this addon's work: it has no `FlowState`.

Start-up: the proxy's detector is compiled in `configure` (before the proxy listens) and the worker pool is
started in `running` from a thread, off the request path; uploads that come while it starts are inspected
in a thread here (`Inspector.run`), never queued behind it.
"""

from __future__ import annotations

import asyncio
import logging

from mitmproxy import http

from ..inspect import decide
from ..inspect.findings import InspectionReport, Notice
from ..inspect.runner import INLINE_BYTES, Inspector
from .facts import FlowState, classify_flow, state_of, upload_facts
from .runtime import Runtime

log = logging.getLogger(__name__)


class Inspection:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.inspector = Inspector()
        self._background: set[asyncio.Task] = set()
        self._updating: asyncio.Lock | None = None       # one policy update at a time (made on the loop)

    def configure(self, updated) -> None:
        # Compile the detector now, before the proxy accepts connections, not in the first upload's path.
        if self.rt.loaded:
            self.inspector.use(self.rt.policy, self.rt.events_dir)

    def running(self) -> None:
        if self.rt.loaded:
            self._warm()

    def _warm(self) -> None:
        # Off the event loop and off the request path: the uploads meanwhile are inspected here.
        task = asyncio.get_running_loop().create_task(asyncio.to_thread(self.inspector.warm))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _follow_policy(self, rt: Runtime) -> None:
        """After a reload: compile the new detector in a thread; a new pool (the worker count changed) is started
        at once. (Workers of the same pool rebuild their scanner at their next job.)"""
        self._updating = self._updating or asyncio.Lock()
        async with self._updating:
            if rt.policy is not self.inspector.policy:
                pool = self.inspector.pool
                await asyncio.to_thread(self.inspector.use, rt.policy, rt.events_dir)
                if self.inspector.pool is not pool:
                    self._warm()

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        rt = self.rt
        if not rt.loaded or flow.request.method.upper() not in decide.BODY_METHODS:
            return
        headers = flow.request.headers
        if not decide.held_body_too_big(headers.get("content-length"), headers.get("transfer-encoding", ""),
                                        rt.policy.inspection.limits.hold_bytes):
            return
        if flow.response is not None or (state := classify_flow(flow, rt.engine)) is None:
            return                                  # not social: never inspected (a host lookup)
        state.stream = self.inspector.use(rt.policy, rt.events_dir).stream("content-encoding" in headers)
        flow.request.stream = state.stream

    async def request(self, flow: http.HTTPFlow) -> None:
        rt, state = self.rt, state_of(flow)
        if not rt.loaded or state is None or flow.response is not None:
            if state is not None and state.stream is not None:
                state.stream.discard()
            return
        if state.facts.method not in decide.BODY_METHODS:
            return
        if rt.policy is not self.inspector.policy:      # a reload
            await self._follow_policy(rt)
        inspector = self.inspector
        upload = upload_facts(flow, state)
        if state.stream is not None:
            task = asyncio.create_task(self._inspect_streamed(state, upload, inspector))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return
        try:
            if decide.plan_is_cheap(upload, INLINE_BYTES):
                # A small body is planned on the spot (a thread hand-off costs more than the plan).
                plan = decide.plan(upload, rt.policy, inspector.sessions)
            else:
                plan = await asyncio.to_thread(decide.plan, upload, rt.policy, inspector.sessions)
        except Exception as e:
            rt.engine.notice(state.facts, state.verdict, Notice("error", "request", f"{type(e).__name__}: {e}"))
            return
        report = await inspector.run(plan.job) if plan.job is not None else InspectionReport()
        self._apply(flow, state, plan, report, can_hold=True)

    async def _inspect_streamed(self, state: FlowState, upload, inspector: Inspector) -> None:
        stream = state.stream
        spool = stream.close()
        try:
            plan = await asyncio.to_thread(decide.plan_streamed, upload, stream, spool, inspector.sessions)
            report = await inspector.run(plan.job) if plan.job is not None else InspectionReport()
            self._apply(None, state, plan, decide.merge_streamed(report, stream), can_hold=False)
        except Exception as e:
            log.warning("socialguard inspection of a streamed upload failed: %s", e)
        finally:
            stream.discard()

    def _apply(self, flow: http.HTTPFlow | None, state: FlowState, plan: decide.Plan, report: InspectionReport,
               can_hold: bool) -> None:
        rt = self.rt
        report.notices[:0] = plan.notices
        decision = decide.decide(report, rt.policy, can_hold)
        rt.engine.inspected(state.facts, state.verdict, decision, rt.coaching)
        if decision.block_page is not None and flow is not None and flow.response is None:
            flow.response = http.Response.make(403, decision.block_page.encode(), {
                "content-type": "text/html; charset=utf-8", "cache-control": "no-store"})

    def error(self, flow: http.HTTPFlow) -> None:
        # A streamed upload the client abandoned: no `request` hook will come for it; drop its spool file.
        state = state_of(flow)
        if state is not None and state.stream is not None:
            state.stream.discard()

    def done(self) -> None:
        self.inspector.close()
