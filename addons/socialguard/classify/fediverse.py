"""Fediverse servers outside the catalog, learned from what they answer.

A host is remembered as a platform when (a) it answered 2xx JSON to a request on one of that platform's
any-host paths (paths only that API uses: `/api/v1/statuses`, `/api/notes/create`, `/api/v3/post`), or (b) its
nodeinfo or instance document names the software (Mastodon, Pleroma/Akkoma, GoToSocial, Pixelfed, Misskey and
its forks, Lemmy). Never an IP literal, never a catalog host, never a host the policy forbids (`never_learn`).
Pure functions: the store is `memory.ClassifierMemory.hosts`.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

# nodeinfo `software.name` -> catalog slug (Mastodon-API servers are classified by the Mastodon rules).
SOFTWARE_PLATFORM = {
    "mastodon": "mastodon", "hometown": "mastodon", "glitch-soc": "mastodon", "glitchsoc": "mastodon",
    "pleroma": "mastodon", "akkoma": "mastodon", "gotosocial": "mastodon", "pixelfed": "mastodon",
    "fedibird": "mastodon", "mitra": "mastodon", "snac": "mastodon",
    "misskey": "misskey", "sharkey": "misskey", "firefish": "misskey", "calckey": "misskey",
    "foundkey": "misskey", "iceshrimp": "misskey", "cherrypick": "misskey", "catodon": "misskey",
    "lemmy": "lemmy",
}
_NODEINFO_DOC = re.compile(r"/nodeinfo/2\.[0-9](?:\.json)?")
_INSTANCE_DOC = frozenset({"/api/v1/instance", "/api/v2/instance"})
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
MAX_DOC_BYTES = 256 * 1024


def valid_learned_host(host: str) -> bool:
    """A DNS name with at least two labels; never an IP literal (servers federate by name)."""
    if not host or len(host) > 253 or "." not in host:
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False
    except ValueError:
        pass
    labels = host.split(".")
    return all(_HOST_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()


def is_server_document(path: str) -> bool:
    """Paths whose answer names the server software: worth reading even when the request matched nothing."""
    return path in _INSTANCE_DOC or _NODEINFO_DOC.fullmatch(path) is not None


def software_platform(path: str, body: bytes) -> str | None:
    """The platform a nodeinfo or Mastodon instance document names, or None."""
    if not body or len(body) > MAX_DOC_BYTES:
        return None
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    if _NODEINFO_DOC.fullmatch(path):
        software = doc.get("software")
        name = software.get("name") if isinstance(software, dict) else None
        return SOFTWARE_PLATFORM.get(name.lower()) if isinstance(name, str) else None
    if path in _INSTANCE_DOC:
        # Mastodon-API instance: {uri|domain, version, ...}; Pleroma/Akkoma/GoToSocial say so in `version`.
        if isinstance(doc.get("version"), str) and isinstance(doc.get("uri", doc.get("domain")), str):
            return "mastodon"
    return None


def host_to_learn(host: str, path: str, status: int | None, content_type: str, any_host_platform: str | None,
                  body: bytes, learnable: frozenset[str], forbidden: tuple[str, ...]) -> str | None:
    """The platform to remember `host` as after this response, or None.

    `any_host_platform` is the platform whose any-host path the request matched (None otherwise); `learnable`
    the slugs whose hosts may be learned; `forbidden` host suffixes the policy never lets anyone learn.
    """
    if status is None or not 200 <= status < 300 or "json" not in content_type:
        return None
    if not valid_learned_host(host) or any(host == s or host.endswith("." + s) for s in forbidden):
        return None
    platform = software_platform(path, body) if is_server_document(path) else None
    if platform is None and any_host_platform is not None and not _NODEINFO_DOC.fullmatch(path):
        platform = any_host_platform
    return platform if platform in learnable else None


