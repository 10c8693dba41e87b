"""The policy as frozen dataclasses: what every other part reads, never YAML.

Each policy file has a parser module in this package; `Policy` gathers their results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .banner import BannerPolicy
from .inspection import InspectionPolicy
from .markers import MarkersPolicy
from .operations import OperationsPolicy
from .reports import ReportsPolicy
from .worktime import WorktimePolicy

ACTIVITIES = (
    "view", "post", "comment", "react", "share", "message", "upload",
    "edit", "delete", "follow", "login", "unknown",
)
CATEGORIES = ("official", "personal", "professional")


@dataclass(frozen=True, slots=True)
class FieldTest:
    """A test on one field of the body, query or headers: `path` is dotted (`variables.reply.id`)."""

    path: tuple[str, ...]
    op: Literal["present", "absent", "in"]
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RuleMatch:
    methods: frozenset[str] = frozenset()          # empty: any method
    hosts: tuple[str, ...] = ()                     # host suffixes; empty: any host of the platform
    path: re.Pattern[str] | None = None             # compiled glob; None: any path
    operations: frozenset[str] = frozenset()        # GraphQL/RPC operation names; empty: any
    body: tuple[FieldTest, ...] = ()
    query: tuple[FieldTest, ...] = ()
    headers: tuple[FieldTest, ...] = ()


@dataclass(frozen=True, slots=True)
class TargetFields:
    """Where a rule's request names whom it is aimed at, as dotted body paths."""

    reply_to: tuple[tuple[str, ...], ...] = ()      # ids/URIs/handles of the post replied to
    text: tuple[tuple[str, ...], ...] = ()          # free text whose @mentions are targets
    account: tuple[tuple[str, ...], ...] = ()       # the acting account's handle, where the wire shows it


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    guideline: str
    activity: str
    background: bool
    match: RuleMatch
    targets: TargetFields = TargetFields()
    description: str = ""


@dataclass(frozen=True, slots=True)
class OperationSource:
    """Where a platform's requests carry their operation name."""

    kind: Literal["path", "form", "json", "header", "query"]
    name: str = ""                                  # field/header name (dotted for json)
    path: re.Pattern[str] | None = None             # for kind == "path": a glob with {op}


@dataclass(frozen=True, slots=True)
class Platform:
    slug: str
    name: str
    hosts: tuple[str, ...]
    background_hosts: tuple[str, ...] = ()
    professional: bool = False
    any_host_paths: tuple[str, ...] = ()            # path prefixes that identify it on any host (fediverse)
    operations: tuple[OperationSource, ...] = ()
    rules: tuple[Rule, ...] = ()
    guideline: str = "2.7"                          # cited by the platform's default rules
    source: str = ""                                # file the platform came from
    learn_hosts: bool = False                       # remember servers outside `hosts` (fediverse.py)
    never_learn: tuple[str, ...] = ()               # host suffixes never remembered as any platform


@dataclass(frozen=True, slots=True)
class Catalog:
    platforms: tuple[Platform, ...]


@dataclass(frozen=True, slots=True)
class Agency:
    name_en: str
    name_fr: str
    names: tuple[str, ...]                          # every name and acronym that refers to the agency
    official_handles: dict[str, tuple[str, ...]]    # platform slug -> handles/ids (lower-cased)
    official_groups: tuple[str, ...]                # whose use is official (Communications)
    official_users: tuple[str, ...]
    internal_domains: tuple[str, ...]
    professional_hosts: tuple[str, ...]             # e.g. professional fediverse instances
    faq_url: str = ""
    contact_url: str = ""
    official_posts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> post ids/URNs/URIs


@dataclass(frozen=True, slots=True)
class AddressRule:
    network: Any                                     # ipaddress.IPv4Network | IPv6Network
    user: str


@dataclass(frozen=True, slots=True)
class Identity:
    groups: dict[str, tuple[str, ...]]              # user -> groups (derived from the group lists)
    addresses: tuple[AddressRule, ...]
    trust_proxy_auth: bool = True


@dataclass(frozen=True)
class Policy:
    directory: Path
    agency: Agency
    identity: Identity
    catalog: Catalog
    # Optional sections, each typed and parsed beside its own module in this package; an absent file gives
    # the section's dataclass defaults (the only place defaults are written).
    inspection: InspectionPolicy = field(default_factory=InspectionPolicy)
    markers: MarkersPolicy = field(default_factory=MarkersPolicy)
    worktime: WorktimePolicy = field(default_factory=WorktimePolicy)
    reports: ReportsPolicy = field(default_factory=ReportsPolicy)
    banner: BannerPolicy = field(default_factory=BannerPolicy)
    operations: OperationsPolicy = field(default_factory=OperationsPolicy)
    files: tuple[Path, ...] = field(default=())     # every file read, for reload watching
