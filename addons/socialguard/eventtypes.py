"""Every event socialguard writes, one constructor each: the event schema's one author.

The adapter, the CLI and the engine pass facts; only this module (over `events.make_event`) lays out fields.
ECS: `user.group` is an object, `event.category`/`event.type` pairs are ECS's expected ones, flags and
notices carry the flow's `event.id` and the rule in `rule.*`, every event has `event.severity`.
Fields ECS has no name for live under `socialguard.` (see docs/EVENTS.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .classify import Classification
from .classify.paths import event_path
from .events import make_event
from .facts import RequestFacts, ResponseFacts
from .identity import Who
from .inspect.findings import Finding, Notice

# event.severity (ECS: a number, higher is more severe); one scale for every event type.
SEVERITY = {"info": 1, "log": 3, "error": 4, "coach": 5, "rejected": 6, "block": 7}


def user_fields(name: str, group: str | None = None) -> dict[str, Any]:
    return {"name": name, **({"group": {"name": group}} if group else {})}


def who_fields(facts: RequestFacts, who: Who) -> dict[str, Any]:
    """`user`, `source` and `url` of an event about one request."""
    return {
        "user": user_fields(who.user, who.group),
        "source": {"ip": facts.client_ip} if facts.client_ip else None,
        "url": {"domain": facts.host, "path": event_path(facts.path)},
    }


def classification_fields(c: Classification, who: Who | None = None) -> dict[str, Any]:
    sg = {"platform": c.platform, "activity": c.activity, "category": c.category, "background": c.background,
          "rule": c.rule, "guideline": c.guideline, "operation": c.operation}
    if who is not None:
        sg["user_source"] = who.source
    return sg


def _request_event(facts: RequestFacts, *, type_: str, severity: int, category: tuple[str, ...] = ("web",),
                   **event: Any) -> dict[str, Any]:
    ev = {"category": list(category), "type": [type_] if isinstance(type_, str) else list(type_),
          "severity": severity, **event}
    if facts.flow_id:
        ev["id"] = facts.flow_id
    return ev


def activity(facts: RequestFacts, who: Who, c: Classification, response: ResponseFacts) -> dict[str, Any]:
    """`social.activity`: one per social request, when it is over (response or error)."""
    code = response.status_code
    outcome = "success" if code and code < 400 else ("failure" if code or response.error else "unknown")
    extra = {"reason": response.error} if response.error else {}
    return make_event(
        "social.activity", "event", facts.timestamp,
        event=_request_event(facts, type_="access", severity=SEVERITY["info"], outcome=outcome, **extra),
        **who_fields(facts, who),
        http={"request": {"method": facts.method, "bytes": facts.body_size},
              "response": {"status_code": code, "bytes": response.body_size}},
        socialguard=classification_fields(c, who))


def flag(facts: RequestFacts, who: Who, c: Classification, *, kind: str, name: str, guideline: str, rule: str,
         ruleset: str, location: str = "", action: str = "log", confidence: float = 1.0,
         file: dict | None = None, finding_extra: dict | None = None, extra: dict | None = None,
         reference: str = "") -> dict[str, Any]:
    """`social.flag`: what was found and where, never the matched content."""
    sg = classification_fields(c, who) | {"rule": rule, "guideline": guideline, "action": action}
    sg["finding"] = {"kind": kind, "name": name, "location": location, "confidence": round(confidence, 3),
                     **(finding_extra or {})}
    sg.update(extra or {})
    blocked = action == "block"
    event = _request_event(facts, type_=("info", "denied") if blocked else "info", severity=SEVERITY[action],
                           category=("web", "intrusion_detection") if blocked else ("web",))
    rule_fields = {"id": rule, "name": f"{kind}.{name}", "ruleset": ruleset}
    if reference:
        rule_fields["reference"] = reference
    return make_event("social.flag", "alert", facts.timestamp, event=event, **who_fields(facts, who), file=file,
                      http={"request": {"method": facts.method}}, rule=rule_fields, socialguard=sg)


def finding_flag(facts: RequestFacts, who: Who, c: Classification, finding: Finding, action: str,
                 reference: str = "") -> dict[str, Any]:
    """A content finding (inspection) as a `social.flag`."""
    d = finding.to_dict()
    file = None
    if finding.file_sha256:
        file = {"name": finding.file_name or "", "hash": {"sha256": finding.file_sha256}}
    shown = {k: d[k] for k in ("bbox", "release_time", "crop") if k in d}
    if "bbox" in shown:
        shown["bbox"] = list(shown["bbox"])
    return flag(facts, who, c, kind=finding.kind, name=finding.name, guideline=finding.guideline,
                rule=finding.rule, ruleset="markers", location=finding.location, action=action,
                confidence=finding.confidence, file=file, finding_extra=shown, reference=reference)


def inspection_notice(facts: RequestFacts, who: Who, c: Classification, notice: Notice) -> dict[str, Any]:
    """`social.inspection`: something in this request was not (fully) inspected, and why."""
    info = notice.reason == "ocr_unavailable"
    sg = classification_fields(c, who) | {
        "inspection": {"reason": notice.reason, "location": notice.location, "detail": notice.detail[:300]}}
    return make_event("social.inspection", "event", facts.timestamp,
                      event=_request_event(facts, type_="info" if info else "error",
                                           severity=SEVERITY["info" if info else "error"]),
                      **who_fields(facts, who), socialguard=sg)


def banner_inserted(facts: RequestFacts, who: Who, c: Classification, *, now: float,
                    banner: dict[str, Any]) -> dict[str, Any]:
    """`social.banner` `inserted`: the proxy put a banner into this page (`banner`: `banner.telemetry.inserted`).
    Whether the browser rendered it is a later, separate event."""
    return make_event(
        "social.banner", "event", now, event=_request_event(facts, type_="info", severity=SEVERITY["info"]),
        **who_fields(facts, who),
        socialguard={"platform": c.platform, "category": c.category, "guideline": banner["message"],
                     "user_source": who.source, "banner": banner})


def banner_followup(*, now: float, who: Who, client_ip: str, domain: str, path: str, platform: str | None,
                    banner: dict[str, Any], severity: str = "info") -> dict[str, Any]:
    """`social.banner` about a banner already inserted in a page (`domain`/`path`, never its query): `rendered`
    (its beacon was fetched), `dismissed`, `dismiss_refused`. `banner`: from `banner.telemetry`."""
    sg: dict[str, Any] = {"user_source": who.source, "banner": banner}
    if platform:
        sg["platform"] = platform
    return make_event(
        "social.banner", "event", now, event={"category": ["web"], "type": ["info"], "severity": SEVERITY[severity]},
        user=user_fields(who.user, who.group), source={"ip": client_ip} if client_ip else None,
        url={"domain": domain, "path": path}, socialguard=sg)


def error(*, now: float, reason: str, domain: str, path: str, exc: BaseException) -> dict[str, Any]:
    """`socialguard.error`: a part that failed open (the traffic went through untouched)."""
    return make_event(
        "socialguard.error", "event", now,
        event={"category": ["web"], "type": ["error"], "reason": reason, "severity": SEVERITY["error"]},
        url={"domain": domain, "path": path},
        error={"type": type(exc).__name__, "message": str(exc)[:200]})


def policy_status(*, now: float, directory: Path, why: str, problems: list[str] | None) -> dict[str, Any]:
    """`socialguard.policy`: a reload was loaded, or rejected with its problems (the old policy stays)."""
    ok = problems is None
    return make_event(
        "socialguard.policy", "state", now,
        event={"category": ["configuration"], "type": ["change"], "outcome": "success" if ok else "failure",
               "reason": why, "severity": SEVERITY["info" if ok else "rejected"]},
        socialguard={"policy": {"directory": str(directory), "status": "loaded" if ok else "rejected",
                                **({} if ok else {"problems": problems})}})


def passthrough(*, since: float, window_ns: int, domain: str, reason: str, connections: int,
                platform: str | None) -> dict[str, Any]:
    """`socialguard.passthrough`: TLS connections to one domain left encrypted since `since`."""
    return make_event(
        "socialguard.passthrough", "metric", since,
        event={"category": ["network"], "type": ["connection", "allowed"], "duration": window_ns,
               "severity": SEVERITY["info"]},
        destination={"domain": domain},
        socialguard={"passthrough": {"reason": reason, "connections": connections},
                     **({"platform": platform} if platform else {})})


def audit(*, operator: str, command: str, individual: bool, pseudonymised: bool, period: str,
          subject: str) -> dict[str, Any]:
    """`socialguard.audit`: someone read the event files through a report (who, what, which period)."""
    return make_event(
        "socialguard.audit", "event", None,
        event={"category": ["database"], "type": ["access"], "outcome": "success", "severity": SEVERITY["info"]},
        user=user_fields(operator),
        socialguard={"guideline": "2.7", "user_source": "cli", "audit": {
            "operator": operator, "command": command, "individual": individual,
            "pseudonymised": pseudonymised, "period": period, "subject": subject}})


def delivery(*, now: float, scope: str, recipients: int, attempt: int, outcome: str, error: str | None = None,
             spooled: str | None = None) -> dict[str, Any]:
    """`socialguard.delivery`: a mailed report's failed attempt, or its outcome (the SMTP error class and code,
    never the server's text or the password; `spooled` names the kept .eml when it could not be delivered)."""
    details = {"scope": scope, "recipients": recipients, "attempt": attempt, "error": error, "spooled": spooled}
    return make_event(
        "socialguard.delivery", "event", now,
        event={"category": ["network"], "type": ["info"], "outcome": outcome,
               "severity": SEVERITY["info" if outcome == "success" else "error"]},
        socialguard={"delivery": {k: v for k, v in details.items() if v is not None}})
