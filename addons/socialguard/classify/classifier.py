"""Request facts -> Classification. Pure: the only state is indexes built from the policy and a bounded
counter of operations the catalog does not know yet."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from ..facts import RequestFacts
from ..identity import Who
from ..policy.globs import compile_glob
from ..policy.model import FieldTest, Platform, Policy, Rule
from .fields import as_text, lookup, parse_body
from . import fediverse, official_posts
from .hosts import platform_hosts
from .infer import INFERRED_CONFIDENCE, infer_activity
from .memory import ClassifierMemory
from ..names import name_or
from .paths import needs_normalizing, normalize_path
from .result import Classification, Targets

_VIEW_METHODS = frozenset({"GET", "HEAD"})
_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(?:@[A-Za-z0-9.-]{1,253})?)")
_UNKNOWN_OPS_CAP = 10_000
# Persisted-query ids glued to an operation name (LinkedIn `voyagerFeedDashMainFeed.9230209...`): the name is
# what a rule matches and what the unknown-operation counter keys on, the hash changes with every deploy.
_OP_HASH_SUFFIX = re.compile(r"\.[0-9a-f]{16,}$")
# Anything in an operation source that is not shaped like a name (search text in `?q=`, a 60 KB header) is free
# text and never kept (names.py).
NOT_AN_OPERATION = "(not-an-operation)"


def operation_name(value: str) -> str:
    """The value itself when it has the shape of an operation name (GraphQL operationName, RPC method, XRPC
    NSID), else a fixed placeholder."""
    return name_or(_OP_HASH_SUFFIX.sub("", value[:200]), NOT_AN_OPERATION)


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
            self._ops = list(dict.fromkeys(operation_name(o) for o in ops if o))
        return self._ops


_UNSET = object()


@dataclass(frozen=True, slots=True)
class Learned:
    """What one answer taught: a host to remember as a platform, and official posts (id, handle)."""

    platform: str = ""
    host: tuple[str, str] | None = None
    posts: tuple[tuple[str, str], ...] = ()

# Classifications made by host learning's two routes: an any-host path on an unknown host, a learned host.
_LEARNING_MATCHES = ("any-host path", "learned host")


def _test_values(values: list[Any], test: FieldTest) -> bool:
    if test.op == "present":
        return any(v not in (None, "", [], {}) for v in values)
    if test.op == "absent":
        return all(v in (None, "", [], {}) for v in values)
    return any(as_text(v) in test.values for v in values)


def _host_in(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == s or host.endswith("." + s) for s in suffixes)


class Classifier:
    def __init__(self, policy: Policy, memory: ClassifierMemory | None = None):
        self._agency = policy.agency
        self._hosts = platform_hosts(policy.catalog)
        # Learned fediverse servers and official posts: kept by the runtime across policy reloads.
        self.memory = memory if memory is not None else ClassifierMemory()
        self._learned_hosts = self.memory.hosts
        self._learned_index = self.memory.hosts.index
        self._by_slug = {p.slug: p for p in policy.catalog.platforms}
        self._learnable = frozenset(p.slug for p in policy.catalog.platforms if p.learn_hosts)
        self._never_learn = tuple(dict.fromkeys(h for p in policy.catalog.platforms for h in p.never_learn))
        self._official = {slug: frozenset(h.lower() for h in handles)
                          for slug, handles in self._agency.official_handles.items()}
        self._official_posts = {slug: frozenset(ids) for slug, ids in self._agency.official_posts.items()}
        # Any-host recognition (fediverse servers, Google APIs): each entry is a path glob; its literal prefix
        # feeds one `str.startswith(tuple)` that is all a non-social request pays, the glob decides.
        self._any_host: list[tuple[str, re.Pattern[str], Platform]] = [
            (_literal_prefix(glob), compile_glob(glob), p)
            for p in policy.catalog.platforms for glob in p.any_host_paths
        ]
        prefixes = set(prefix for prefix, _, _ in self._any_host)
        # The gate needs only the shortest prefixes (a path starting with a longer one starts with a shorter).
        self._any_prefixes = tuple(sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)))
        self._official_groups = frozenset(self._agency.official_groups)
        self._official_users = frozenset(self._agency.official_users)
        self.unknown_operations: Counter[tuple[str, str]] = Counter()

    def might_be_social(self, host: str, path: str) -> bool:
        """The hot-path gate: False means `classify` would return None, decided without building any facts."""
        if self._hosts.lookup(host) is not None:
            return True
        if self._learned_index and host in self._learned_index:
            return True
        if not self._any_prefixes:
            return False
        if path.startswith(self._any_prefixes):
            return True
        # Every non-social request pays this line, so on hosts outside the catalog only the one spelling real
        # clients produce (`//api/v1/…` from a base URL with a trailing slash) is normalized before the check.
        if "//" in path:
            return normalize_path(path).startswith(self._any_prefixes)
        return False

    # -- the one entry point -------------------------------------------------------------------
    def classify(self, facts: RequestFacts, who: Who | None = None) -> Classification | None:
        """None for traffic that is not social media (one dict lookup per host label, then return)."""
        hit = self._hosts.lookup(facts.host)
        if hit is None and self._learned_index and facts.host in self._learned_index:
            learned = self._by_slug.get(self._learned_hosts.get(facts.host))
            if learned is not None:
                hit = ((learned, False), "learned host")
        if hit is None:
            if not self._any_prefixes:
                return None
            path = facts.path
            if not path.startswith(self._any_prefixes):
                if "//" not in path:         # as in might_be_social
                    return None
                path = normalize_path(path)
                if not path.startswith(self._any_prefixes):
                    return None
            elif needs_normalizing(path):
                path = normalize_path(path)
            return self._classify_any_host(facts if path is facts.path else replace(facts, path=path), who)
        if needs_normalizing(facts.path):
            facts = replace(facts, path=normalize_path(facts.path))
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
        operation = next((o for o in ops if o != NOT_AN_OPERATION), ops[0] if ops else None)
        confidence = 1.0
        if rule is None:
            if facts.method in _VIEW_METHODS or facts.method == "OPTIONS":
                activity, rule_id, background = "view", f"{platform.slug}.default.view", facts.method == "OPTIONS"
            else:
                background = False
                guess = infer_activity(operation if operation != NOT_AN_OPERATION else None, facts.path)
                if guess is not None:
                    activity, rule_id, confidence = guess, f"{platform.slug}.inferred.{guess}", INFERRED_CONFIDENCE
                else:
                    activity, rule_id = "unknown", f"{platform.slug}.default.unknown"
                # Inferred ones too: the tally is the list of rules the catalog still lacks.
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
            targets=targets, host_match=suffix, confidence=confidence,
        )

    def _targets(self, rule: Rule, view: _RequestView) -> Targets:
        spec = rule.targets
        from_path: tuple[str, ...] = ()
        if rule.match.path is not None and "target" in rule.match.path.groupindex:
            m = rule.match.path.fullmatch(view.facts.path)
            from_path = (m.group("target"),) if m else ()
        if not (spec.reply_to or spec.text or spec.account):
            return Targets(reply_to=from_path)
        body = view.body
        query = view.query
        if body is None and not query:
            return Targets(reply_to=from_path)

        def values(path: tuple[str, ...]) -> list:
            # The body first; clients that send a POST's parameters in the query string (tweepy's API v1.1) too.
            found = lookup(body, path) if body is not None else []
            return found or (query.get(path[0], []) if len(path) == 1 else [])

        reply_to = from_path + tuple(as_text(v) for p in spec.reply_to for v in values(p) if v not in (None, ""))
        mentions: list[str] = []
        for p in spec.text:
            for v in values(p):
                if isinstance(v, str):
                    mentions.extend(m.lower() for m in _MENTION.findall(v))
        account = next((as_text(v).lower().lstrip("@") for p in spec.account for v in values(p) if v), None)
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

    def official_post_targets(self, c: Classification) -> tuple[str, ...]:
        """Official accounts whose *post* this request replies to, comments on or quotes (by id, URL or URI)."""
        if not c.targets.reply_to:
            return ()
        listed = self._official_posts.get(c.platform, frozenset())
        memory = self.memory.posts
        hits = []
        for value in c.targets.reply_to:
            for key in official_posts.target_keys(c.platform, value):
                if key in listed:
                    hits.append(f"post:{c.platform}")
                    break
                handle = memory.get((c.platform, key)) if memory else None
                if handle is None and key.startswith("did:") and key.lower() in self._official.get(c.platform, ()):
                    handle = key.lower()
                if handle is not None:
                    hits.append(handle)
                    break
        return tuple(dict.fromkeys(hits))

    # -- learning from answers (the adapter calls these for social flows only) -------------------
    def wants_response(self, facts: RequestFacts, c: Classification | None) -> bool:
        """Whether the answer to this request is worth reading: a fediverse server's (to learn or refresh the
        host) or a view on a platform with official accounts (to learn their posts). Nothing else is read."""
        if c is None:
            return False
        if c.host_match in _LEARNING_MATCHES and c.platform in self._learnable:
            return True
        return (not c.background and c.activity == "view" and c.platform in official_posts.PLATFORMS
                and bool(self._official.get(c.platform)))

    def read_response(self, facts: RequestFacts, c: Classification | None, status: int | None,
                      content_type: str, body: bytes) -> Learned:
        """What one answer teaches (call only when `wants_response`). Pure and thread-safe: the proxy runs it
        off the event loop for large answers, then hands the result to `remember` on the loop."""
        if c is None or status is None or not 200 <= status < 300 or "json" not in content_type:
            return Learned()
        host = None
        if c.host_match in _LEARNING_MATCHES:
            path = normalize_path(facts.path) if needs_normalizing(facts.path) else facts.path
            slug = fediverse.host_to_learn(facts.host, path, status, content_type, self._any_host_slug(path), body,
                                           self._learnable, self._never_learn)
            host = (facts.host, slug) if slug is not None else None
        posts: tuple = ()
        official = self._official.get(c.platform)
        if official and c.platform in official_posts.PLATFORMS:
            posts = tuple(official_posts.learn_from_response(c.platform, body, official))
        return Learned(c.platform, host, posts)

    def remember(self, learned: Learned) -> None:
        """Store what `read_response` found (a learned or refreshed host restarts its expiry)."""
        if learned.host is not None:
            self._learned_hosts.put(*learned.host)
            self.memory.changed = True
        for pid, handle in learned.posts:
            self.memory.posts.put((learned.platform, pid), handle)
        if learned.posts:
            self.memory.changed = True

    def learn_response(self, facts: RequestFacts, c: Classification | None, status: int | None,
                       content_type: str, body: bytes) -> None:
        """`read_response` then `remember`, in one go (classify --har, tests)."""
        self.remember(self.read_response(facts, c, status, content_type, body))

    def _any_host_slug(self, path: str) -> str | None:
        for prefix, glob, platform in self._any_host:
            if path.startswith(prefix) and glob.fullmatch(path):
                return platform.slug
        return None

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
    return "/".join(seg if _SHAPE_WORD.fullmatch(seg) and not (len(seg) > 6 and any(c.isdigit() for c in seg))
                    else "{id}" for seg in path.split("/")[:12])[:120]


# A path segment kept verbatim in the unknown-operations tally: a short word, not an id or free text.
_SHAPE_WORD = re.compile(r"[A-Za-z0-9_.~-]{0,40}")
