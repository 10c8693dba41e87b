"""The request path shared by the proxy and `classify --har`: identity -> classify -> events.

One Engine per loaded policy; a policy reload builds a new Engine and swaps it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import metrics
from .classify import Classification, Classifier
from .classify.memory import ClassifierMemory
from .classify.paths import event_path
from .events import EventSink, make_event
from .facts import RequestFacts, ResponseFacts
from .identity import IdentityResolver, Who
from .policy import Policy


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the engine decided about one request; the adapter keeps it in `flow.metadata['socialguard']`."""

    who: Who
    classification: Classification
    official_targets: tuple[str, ...] = ()
    official_target_kind: str = "account"       # 'post' when the reply's target is an official post


class Engine:
    def __init__(self, policy: Policy, sink: EventSink, memory: ClassifierMemory | None = None):
        self.policy = policy
        self.sink = sink
        self.classifier = Classifier(policy, memory)
        self.identity = IdentityResolver(policy.identity)

    def classify(self, facts: RequestFacts) -> Verdict | None:
        """None for non-social traffic: nothing else runs for it."""
        if not self.classifier.might_be_social(facts.host, facts.path):
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

    def wants_response(self, facts: RequestFacts, verdict: Verdict | None) -> bool:
        """Adapter: read this flow's answer (JSON, at most official_posts.MAX_BODY_BYTES) and pass it to
        `learn_response`; False for everything else, so non-social answers are never read."""
        return verdict is not None and self.classifier.wants_response(facts, verdict.classification)

    def learn_response(self, facts: RequestFacts, verdict: Verdict | None, response: ResponseFacts,
                       body: bytes) -> None:
        """Learn fediverse servers and official posts from one answer (pure CPU; large bodies off the loop)."""
        if verdict is None:
            return
        ctype = next((v for k, v in response.headers if k == "content-type"), "").lower()
        self.classifier.learn_response(facts, verdict.classification, response.status_code, ctype, body)

    # -- events ----------------------------------------------------------------------------------
    def common_fields(self, facts: RequestFacts, verdict: Verdict) -> dict[str, Any]:
        who, c = verdict.who, verdict.classification
        return {
            "user": {"name": who.user, "group": who.group, "source": who.source},
            "source": {"ip": facts.client_ip} if facts.client_ip else None,
            "url": {"domain": facts.host, "path": event_path(facts.path)},
        }

    def classification_fields(self, c: Classification) -> dict[str, Any]:
        return {
            "platform": c.platform, "activity": c.activity, "category": c.category, "background": c.background,
            "rule": c.rule, "guideline": c.guideline, "operation": c.operation,
        }

    def finished(self, facts: RequestFacts, verdict: Verdict, response: ResponseFacts) -> None:
        """The flow is over (response or error): emit its activity event and any guideline-1 flag."""
        c = verdict.classification
        common = self.common_fields(facts, verdict)
        http = {"request": {"method": facts.method, "bytes": facts.body_size},
                "response": {"status_code": response.status_code, "bytes": response.body_size}}
        event_extra: dict[str, Any] = {"category": ["web"], "type": ["access"],
                                       "outcome": "success" if response.status_code and response.status_code < 400
                                       else ("failure" if response.status_code or response.error else "unknown")}
        if facts.flow_id:
            event_extra["id"] = facts.flow_id
        if response.error:
            event_extra["reason"] = response.error
        self.emit(make_event("social.activity", "event", facts.timestamp, event=event_extra, **common, http=http,
                             socialguard=self.classification_fields(c)))
        metrics.flows.labels(c.platform, c.activity).inc()
        if c.rule.endswith(".default.unknown"):
            metrics.unknown_operations.labels(c.platform).inc()
        if verdict.official_targets:
            # The target kind (an official account named in the request, or an official post replied to by id);
            # never the text.
            self.flag(facts, verdict, kind="official_reply", name=f"official_{verdict.official_target_kind}",
                      guideline="1", rule="agency.official_reply", location=f"request:{c.activity}",
                      extra={"targets": {"official": list(verdict.official_targets)}})

    def flag(self, facts: RequestFacts, verdict: Verdict, *, kind: str, name: str, guideline: str, rule: str,
             location: str = "", action: str = "log", confidence: float = 1.0, file: dict | None = None,
             extra: dict | None = None, finding_extra: dict | None = None) -> None:
        """One `social.flag` event: what was found and where, never the matched content."""
        c = verdict.classification
        sg = self.classification_fields(c) | {"rule": rule, "guideline": guideline, "action": action}
        sg["finding"] = {"kind": kind, "name": name, "location": location, "confidence": round(confidence, 3),
                         **(finding_extra or {})}
        sg.update(extra or {})
        self.emit(make_event("social.flag", "alert", facts.timestamp,
                             event={"category": ["web"], "type": ["info"] if action != "block" else ["denied"]},
                             **self.common_fields(facts, verdict), file=file,
                             http={"request": {"method": facts.method}}, socialguard=sg))
        metrics.flags.labels(kind, guideline, action).inc()

    def inspection_outcome(self, facts: RequestFacts, verdict: Verdict, report: Any, can_block: bool) -> list:
        """Flags for an inspection report's findings and `social.inspection` events for its notices; returns
        the findings whose action is `block` (the caller answers 403 when it still can). Used by
        `classify --har`; the proxy's inspection addon writes the same events."""
        insp = self.policy.inspection
        blocked = []
        for f in report.findings:
            action = insp.action_for(f.kind, f.rule)
            if action == "block" and not can_block:
                action = "log"
            extra = {k: v for k, v in (("bbox", list(f.bbox) if f.bbox else None),
                                       ("release_time", f.release_time), ("crop", f.crop)) if v is not None}
            file = {"name": f.file_name or "", "hash": {"sha256": f.file_sha256}} if f.file_sha256 else None
            self.flag(facts, verdict, kind=f.kind, name=f.name, guideline=f.guideline, rule=f.rule,
                      location=f.location, action=action, confidence=f.confidence, file=file, finding_extra=extra)
            if action == "block":
                blocked.append(f)
        for n in report.notices:
            sg = self.classification_fields(verdict.classification) | {
                "inspection": {"reason": n.reason, "location": n.location, "detail": n.detail[:300]}}
            self.emit(make_event("social.inspection", "event", facts.timestamp,
                                 event={"category": ["web"],
                                        "type": ["error"] if n.reason != "ocr_unavailable" else ["info"]},
                                 **self.common_fields(facts, verdict), socialguard=sg))
        return blocked

    def emit(self, event: dict[str, Any]) -> None:
        self.sink.emit(event)
        metrics.events_written.labels(event["event"]["action"]).inc()
