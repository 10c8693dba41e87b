"""Request facts -> Classification. Pure: the only state is indexes built from the policy and a bounded
counter of operations the catalog does not know yet."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from typing import Any

from ..facts import RequestFacts
from ..identity import Who
from ..policy.globs import compile_glob
from ..policy.model import FieldTest, Platform, Policy, Rule
from .fields import as_text, lookup, parse_body
from .hosts import platform_hosts
from .result import Classification, Targets

_VIEW_METHODS = frozenset({"GET", "HEAD"})
_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(?:@[A-Za-z0-9.-]{1,253})?)")
_UNKNOWN_OPS_CAP = 10_000
# Persisted-query ids glued to an operation name (LinkedIn `voyagerFeedDashMainFeed.9230209...`): the name is
# what a rule matches and what the unknown-operation counter keys on, the hash changes with every deploy.
_OP_HASH_SUFFIX = re.compile(r"\.[0-9a-f]{16,}$")


class _RequestView:
    """Lazily parsed parts of one request, so a rule that needs only the method costs only that."""

    __slots__ = ("facts", "_body", "_query", "_headers", "_ops")

    def __init__(self, facts: RequestFacts):
        self.facts = facts
        self._body: Any = _UNSET
        self._query: dict[str, list[str]] | None = None
        self._headers: dict[str, list[str]] | None = None
        self._ops: list[str] | None = None

    @property
    def body(self) -> Any:
        if self._body is _UNSET:
            self._body = parse_body(self.facts)
        return self._body

    @property
    def query(self) -> dict[str, list[str]]:
        if self._query is None:
            q: dict[str, list[str]] = {}
            for k, v in self.facts.query:
                q.setdefault(k, []).append(v)
            self._query = q
        return self._query

    @property
    def headers(self) -> dict[str, list[str]]:
        if self._headers is None:
            h: dict[str, list[str]] = {}
            for k, v in self.facts.headers:
                h.setdefault(k, []).append(v)
            self._headers = h
        return self._headers

    def operations(self, platform: Platform) -> list[str]:
        if self._ops is None:
            ops: list[str] = []
            for src in platform.operations:
                if src.kind == "path":
                    m = src.path.fullmatch(self.facts.path) if src.path else None
                    if m:
                        ops.append(m.group("op"))
                elif src.kind == "header":
                    ops.extend(self.headers.get(src.name, ()))
                elif src.kind == "query":
                    ops.extend(self.query.get(src.name, ()))
                elif src.kind in ("form", "json") and self.body is not None:
                    ops.extend(as_text(v) for v in lookup(self.body, tuple(src.name.split("."))) if isinstance(v, str))
            self._ops = list(dict.fromkeys(_OP_HASH_SUFFIX.sub("", o) for o in ops if o))
        return self._ops


_UNSET = object()


def _test_values(values: list[Any], test: FieldTest) -> bool:
    if test.op == "present":
        return any(v not in (None, "", [], {}) for v in values)
    if test.op == "absent":
        return all(v in (None, "", [], {}) for v in values)
    return any(as_text(v) in test.values for v in values)


def _host_in(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == s or host.endswith("." + s) for s in suffixes)


class Classifier:
    def __init__(self, policy: Policy):
        self._agency = policy.agency
        self._hosts = platform_hosts(policy.catalog)
        # Any-host recognition (fediverse servers, Google APIs): each entry is a path glob; its literal prefix
        # feeds one `str.startswith(tuple)` that is all a non-social request pays, the glob decides.
        self._any_host: list[tuple[str, re.Pattern[str], Platform]] = [
            (_literal_prefix(glob), compile_glob(glob), p)
            for p in policy.catalog.platforms for glob in p.any_host_paths
        ]
        self._any_prefixes = tuple(dict.fromkeys(prefix for prefix, _, _ in self._any_host))
        self._official_groups = frozenset(self._agency.official_groups)
        self._official_users = frozenset(self._agency.official_users)
        self.unknown_operations: Counter[tuple[str, str]] = Counter()

    def might_be_social(self, host: str, path: str) -> bool:
        """The hot-path gate: False means `classify` would return None, decided without building any facts."""
        return self._hosts.lookup(host) is not None or (
            bool(self._any_prefixes) and path.startswith(self._any_prefixes))

    # -- the one entry point -------------------------------------------------------------------
    def classify(self, facts: RequestFacts, who: Who | None = None) -> Classification | None:
        """None for traffic that is not social media (one dict lookup per host label, then return)."""
        hit = self._hosts.lookup(facts.host)
        if hit is None:
            if self._any_prefixes and facts.path.startswith(self._any_prefixes):
                return self._classify_any_host(facts, who)
            return None
        (platform, background_host), suffix = hit
        if background_host:
            # CDN/telemetry hosts are background view, except writes a rule naming that host claims (uploads).
            rule = None
            if facts.method not in _VIEW_METHODS and facts.method != "OPTIONS" and platform.rules:
                view = _RequestView(facts)
                rule = self._first_rule(platform, view, named_host_only=True)
            if rule is None:
                return Classification(
                    platform=platform.slug, activity="view", category=self._category(platform, facts.host, who, None),
                    background=True, rule=f"{platform.slug}.cdn", guideline=platform.guideline, host_match=suffix,
                )
            return self._result(platform, rule, view, who, suffix)
        view = _RequestView(facts)
        return self._result(platform, self._first_rule(platform, view), view, who, suffix)

    def _classify_any_host(self, facts: RequestFacts, who: Who | None) -> Classification | None:
        """A request to a host outside the catalog whose path is one a platform's API alone uses."""
        if _is_ip_literal(facts.host):
            return None  # servers are federated by name; an address with such a path is an internal service
        path = facts.path
        for prefix, glob, platform in self._any_host:
            if path.startswith(prefix) and glob.fullmatch(path):
                view = _RequestView(facts)
                return self._result(platform, self._first_rule(platform, view), view, who, "any-host path")
        return None

    # -- rules ---------------------------------------------------------------------------------
    def _first_rule(self, platform: Platform, view: _RequestView, named_host_only: bool = False) -> Rule | None:
        facts = view.facts
        for rule in platform.rules:
            m = rule.match
            if named_host_only and not m.hosts:
                continue
            if m.methods and facts.method not in m.methods:
                continue
            if m.hosts and not _host_in(facts.host, m.hosts):
                continue
            if m.path is not None and m.path.fullmatch(facts.path) is None:
                continue
            if m.operations and not m.operations.intersection(view.operations(platform)):
                continue
            if m.query and not all(_test_values(view.query.get(".".join(t.path), []), t) for t in m.query):
                continue
            if m.headers and not all(_test_values(view.headers.get(".".join(t.path), []), t) for t in m.headers):
                continue
            if m.body:
                body = view.body
                if not all(_test_values(lookup(body, t.path) if body is not None else [], t) for t in m.body):
                    continue
            return rule
        return None

    def _result(self, platform: Platform, rule: Rule | None, view: _RequestView, who: Who | None,
                suffix: str) -> Classification:
        facts = view.facts
        ops = view.operations(platform) if platform.operations else []
        operation = ops[0] if ops else None
        if rule is None:
            if facts.method in _VIEW_METHODS or facts.method == "OPTIONS":
                activity, rule_id, background = "view", f"{platform.slug}.default.view", facts.method == "OPTIONS"
            else:
                activity, rule_id, background = "unknown", f"{platform.slug}.default.unknown", False
                key = (platform.slug, operation or f"{facts.method} {_shape(facts.path)}")
                if key in self.unknown_operations or len(self.unknown_operations) < _UNKNOWN_OPS_CAP:
                    self.unknown_operations[key] += 1
            guideline = platform.guideline
            targets = Targets()
        else:
            activity, rule_id, background, guideline = rule.activity, rule.id, rule.background, rule.guideline
            targets = self._targets(rule, view)
        return Classification(
            platform=platform.slug, activity=activity,
            category=self._category(platform, facts.host, who, targets.account),
            background=background, rule=rule_id, guideline=guideline, operation=operation,
            targets=targets, host_match=suffix, target=rule.target if rule is not None else None,
        )

    def _targets(self, rule: Rule, view: _RequestView) -> Targets:
        spec = rule.targets
        if not (spec.reply_to or spec.text or spec.account):
            return Targets()
        body = view.body
        if body is None:
            return Targets()
        reply_to = tuple(as_text(v) for p in spec.reply_to for v in lookup(body, p) if v not in (None, ""))
        mentions: list[str] = []
        for p in spec.text:
            for v in lookup(body, p):
                if isinstance(v, str):
                    mentions.extend(m.lower() for m in _MENTION.findall(v))
        account = next((as_text(v).lower().lstrip("@") for p in spec.account for v in lookup(body, p) if v), None)
        return Targets(reply_to=reply_to, mentions=tuple(dict.fromkeys(mentions)), account=account)

    # -- category and guideline 1 --------------------------------------------------------------
    def _category(self, platform: Platform, host: str, who: Who | None, account: str | None) -> str:
        if who is not None and (who.user in self._official_users or self._official_groups.intersection(who.groups)):
            return "official"
        if account and account in self._agency.official_handles.get(platform.slug, ()):
            return "official"
        if platform.professional or _host_in(host, self._agency.professional_hosts):
            return "professional"
        return "personal"

    def official_targets(self, c: Classification) -> tuple[str, ...]:
        """The agency's official accounts that this request replies to or mentions (guideline 1)."""
        handles = self._agency.official_handles.get(c.platform, ())
        if not handles or not c.targets:
            return ()
        hits = []
        for m in c.targets.mentions:
            local = m.split("@", 1)[0]
            if m in handles or local in handles:
                hits.append(m)
        for r in c.targets.reply_to:
            low = r.lower().lstrip("@")
            if low in handles or any(h in low for h in handles if h.startswith("did:")):
                hits.append(low)
        return tuple(dict.fromkeys(hits))


def _literal_prefix(glob: str) -> str:
    """The part of a path glob before its first wildcard: the cheap `startswith` pre-filter for the glob."""
    cut = min((i for i in (glob.find("*"), glob.find("{")) if i != -1), default=len(glob))
    return glob[:cut]


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _shape(path: str) -> str:
    """A path with ids replaced, so unknown endpoints are counted by shape, not by every id."""
    return "/".join("{id}" if any(c.isdigit() for c in seg) and len(seg) > 6 else seg for seg in path.split("/"))[:120]
