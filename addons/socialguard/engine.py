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
from .classify.classifier import Learned
from .classify.memory import ClassifierMemory
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
    official_target_kind: str = "account"       # 'post' when the reply's target is an official post


class Engine:
    def __init__(self, policy: Policy, sink: EventSink, memory: ClassifierMemory | None = None):
        self.policy = policy
        self.sink = sink
        # `memory`: learned fediverse servers and official posts, kept by the runtime across policy reloads.
        self.classifier = Classifier(policy, memory)
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
        kind = "account"
        if c.category != "official" and c.activity in ("post", "comment", "message", "share", "upload") and c.targets:
            posts = self.classifier.official_post_targets(c)
            official = tuple(dict.fromkeys(posts + self.classifier.official_targets(c)))
            kind = "post" if posts else "account"
        return Verdict(who, c, official, kind)

    # -- learning from answers ---------------------------------------------------------------------
    def wants_response(self, facts: RequestFacts, verdict: Verdict | None) -> bool:
        """Whether to read this flow's answer (JSON, at most `official_posts.MAX_BODY_BYTES`) and pass it to
        `learn_response`: a fediverse server's answer, or a view on a platform with official accounts.
        False for everything else, so non-social answers are never read."""
        return verdict is not None and self.classifier.wants_response(facts, verdict.classification)

    def read_response(self, facts: RequestFacts, verdict: Verdict | None, status: int | None, content_type: str,
                      body: bytes) -> Learned:
        """What one answer teaches (pure, thread-safe: the proxy runs it off the event loop)."""
        if verdict is None:
            return Learned()
        return self.classifier.read_response(facts, verdict.classification, status, content_type.lower(), body)

    def remember(self, learned: Learned) -> None:
        """Store what `read_response` found (on the event loop: the stores are not thread-safe)."""
        self.classifier.remember(learned)

    def learn_response(self, facts: RequestFacts, verdict: Verdict | None, status: int | None, content_type: str,
                       body: bytes) -> None:
        """Both steps at once (`classify --har`)."""
        self.remember(self.read_response(facts, verdict, status, content_type, body))

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
                # The target kind (an official account named in the request, or an official post replied to by
                # id), never the text.
                facts, verdict.who, c, kind="official_reply", name=f"official_{verdict.official_target_kind}",
                guideline="1",
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
