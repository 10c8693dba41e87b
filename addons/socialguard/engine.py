"""The request path shared by the proxy and `classify --har`: identity -> classify -> events.

One Engine per loaded policy; a policy reload builds a new Engine and swaps it in. Events are built by
`eventtypes` and sent here; the adapter passes facts and applies what the core answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import eventtypes, metrics
from .classify import Classification, Classifier
from .coaching import Coaching, CoachingQueue
from .events import EventSink
from .facts import RequestFacts, ResponseFacts
from .identity import IdentityResolver, Who
from .policy import Policy

if TYPE_CHECKING:
    from .inspect.decide import Decision
    from .inspect.findings import Notice


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the engine decided about one request; the adapter keeps it in the flow's `FlowState`."""

    who: Who
    classification: Classification
    official_targets: tuple[str, ...] = ()


class Engine:
    def __init__(self, policy: Policy, sink: EventSink):
        self.policy = policy
        self.sink = sink
        self.classifier = Classifier(policy)
        self.identity = IdentityResolver(policy.identity)

    def might_be_social(self, host: str, path: str) -> bool:
        """The hot-path gate: one host lookup; false means nothing else runs for this request."""
        return self.classifier.might_be_social(host, path)

    def classify(self, facts: RequestFacts, gated: bool = False) -> Verdict | None:
        """None for non-social traffic. `gated`: the caller already asked `might_be_social` (true)."""
        if not gated and not self.classifier.might_be_social(facts.host, facts.path):
            return None
        # Identity first (a cached lookup): the category depends on who it is.
        who = self.identity.resolve(facts.client_ip, facts.proxy_user)
        c = self.classifier.classify(facts, who)
        if c is None:
            return None
        official = ()
        if c.category != "official" and c.activity in ("post", "comment", "message", "share") and c.targets:
            official = self.classifier.official_targets(c)
        return Verdict(who, c, official)

    # -- events ----------------------------------------------------------------------------------
    @property
    def guideline_reference(self) -> str:
        """Where the guidelines are explained (ECS `rule.reference` of flags)."""
        return self.policy.banner.faq_url or self.policy.agency.faq_url

    def finished(self, facts: RequestFacts, verdict: Verdict, response: ResponseFacts) -> None:
        """The flow is over (response or error): emit its activity event and any guideline-1 flag."""
        c = verdict.classification
        self.emit(eventtypes.activity(facts, verdict.who, c, response))
        metrics.flows.labels(c.platform, c.activity).inc()
        if c.rule.endswith(".default.unknown"):
            metrics.unknown_operations.labels(c.platform).inc()
        if verdict.official_targets:
            self.emit(eventtypes.flag(
                facts, verdict.who, c, kind="official_reply", name="official_account", guideline="1",
                rule="agency.official_reply", ruleset="agency", location=f"request:{c.activity}",
                extra={"targets": {"official": list(verdict.official_targets)}}, reference=self.guideline_reference))
            metrics.flags.labels("official_reply", "1", "log").inc()

    def inspected(self, facts: RequestFacts, verdict: Verdict, decision: "Decision", coaching: CoachingQueue,
                  now: float | None = None) -> None:
        """Record an inspection's decision: one flag per finding, one notice per gap, the coaching owed."""
        who, c = verdict.who, verdict.classification
        now = time.time() if now is None else now
        for finding, action in decision.flags:
            self.emit(eventtypes.finding_flag(facts, who, c, finding, action, self.guideline_reference))
            metrics.flags.labels(finding.kind, finding.guideline, action).inc()
        for f in decision.coaching:
            coaching.add(who.user, Coaching(f.kind, f.name, f.guideline, c.platform, now))
        for n in decision.notices:
            self.notice(facts, verdict, n)

    def notice(self, facts: RequestFacts, verdict: Verdict, notice: "Notice") -> None:
        metrics.inspection_errors.labels(notice.reason).inc()
        self.emit(eventtypes.inspection_notice(facts, verdict.who, verdict.classification, notice))

    def emit(self, event: dict[str, Any]) -> None:
        self.sink.emit(event)
        metrics.events_written.labels(event["event"]["action"]).inc()
