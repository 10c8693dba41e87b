"""Which posts belong to the agency's official accounts, learned from the answers that pass through the proxy.

`learn_from_response(platform, body, official)` walks a JSON answer (timelines, post pages, GraphQL and REST)
and returns (post id, official handle) for every post it finds whose author is an official account.
`target_keys(platform, value)` turns what a reply names (an id, a URL, an at:// URI, a Facebook feedback id)
into the keys those ids are stored under. Only ids and handles are read; never text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_BODY_BYTES = 8 * 1024 * 1024    # larger answers are not read (the proxy passes them on untouched)
MAX_NODES = 200_000                 # JSON objects visited per answer
MAX_DEPTH = 64
_ID = re.compile(r"[A-Za-z0-9_:.=/+@-]{1,200}")
_STATUS_URL = re.compile(r"/status(?:es)?/([0-9]{1,25})")
_AT_URI = re.compile(r"at://(did:[a-z]+:[A-Za-z0-9._:%-]{1,200})/")
PLATFORMS = frozenset({"x", "mastodon", "bluesky", "facebook", "instagram", "threads", "linkedin", "reddit"})


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _s(v: Any) -> str | None:
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    return v if isinstance(v, str) and _ID.fullmatch(v) else None


# -- per platform: (author handle, post ids) of one JSON object, or None -------------------------------
def _x(node: dict) -> tuple[Any, list] | None:
    if "rest_id" in node and isinstance(node.get("legacy"), dict) and "full_text" in node["legacy"]:
        user = _get(node, "core", "user_results", "result")
        handle = _get(user, "core", "screen_name") or _get(user, "legacy", "screen_name")
        return handle, [node["rest_id"]]
    if "id_str" in node and isinstance(node.get("user"), dict) and ("full_text" in node or "text" in node):
        return node["user"].get("screen_name"), [node["id_str"]]
    return None


def _mastodon(node: dict) -> tuple[Any, list] | None:
    account = node.get("account")
    if isinstance(account, dict) and "id" in node and ("content" in node or "uri" in node):
        return account.get("acct") or account.get("username"), [node.get("id"), node.get("uri"), node.get("url")]
    return None


def _bluesky(node: dict) -> tuple[Any, list] | None:
    author = node.get("author")
    uri = node.get("uri")
    if isinstance(author, dict) and isinstance(uri, str) and uri.startswith("at://"):
        # The author's DID too: once it is known to be official, any at:// URI under it is an official post.
        return author.get("handle"), [uri, author.get("did")]
    return None


def _facebook(node: dict) -> tuple[Any, list] | None:
    feedback = node.get("feedback")
    actors = node.get("actors")
    if isinstance(feedback, dict) and isinstance(actors, list) and actors and isinstance(actors[0], dict):
        url = actors[0].get("url")
        handle = url.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) else None
        return handle, [feedback.get("id"), node.get("post_id"), node.get("id")]
    return None


def _instagram(node: dict) -> tuple[Any, list] | None:
    user = node.get("user") or node.get("owner")
    if isinstance(user, dict) and ("pk" in node or "id" in node) and ("taken_at" in node or "code" in node):
        pk = _s(node.get("pk"))
        return user.get("username"), [pk, node.get("id"), node.get("code")]
    return None


def _linkedin(node: dict) -> tuple[Any, list] | None:
    author = node.get("author") or _get(node, "actor", "urn") or node.get("authorUrn")
    if isinstance(author, str) and author.startswith("urn:li:"):
        ids = [v for k, v in node.items() if isinstance(v, str) and v.startswith(("urn:li:activity:",
               "urn:li:share:", "urn:li:ugcPost:")) and (k.endswith("rn") or k in ("id", "urn"))]
        return author, ids or None
    return None


def _reddit(node: dict) -> tuple[Any, list] | None:
    name = node.get("name")
    if isinstance(name, str) and name[:3] in ("t1_", "t3_") and isinstance(node.get("author"), str):
        return node["author"], [name, node.get("id")]
    return None


_READERS = {"x": _x, "mastodon": _mastodon, "bluesky": _bluesky, "facebook": _facebook, "instagram": _instagram,
            "threads": _instagram, "linkedin": _linkedin, "reddit": _reddit}


def _objects(doc: Any) -> Iterator[dict]:
    stack = [(doc, 0)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, depth = stack.pop()
        if isinstance(node, dict):
            seen += 1
            yield node
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth < MAX_DEPTH:
            stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))


def _x_v2(doc: Any, official: frozenset[str]) -> Iterator[tuple[str, str]]:
    """API v2 answers: {data: [{id, author_id}], includes: {users: [{id, username}]}}."""
    users = _get(doc, "includes", "users")
    data = _get(doc, "data")
    if not isinstance(users, list) or not isinstance(data, (list, dict)):
        return
    names = {u.get("id"): u.get("username", "").lower() for u in users if isinstance(u, dict)}
    for tweet in data if isinstance(data, list) else [data]:
        if isinstance(tweet, dict) and names.get(tweet.get("author_id")) in official and _s(tweet.get("id")):
            yield tweet["id"], names[tweet["author_id"]]


def learn_from_response(platform: str, body: bytes | Any, official: frozenset[str]) -> list[tuple[str, str]]:
    """(post id, official handle) for each official post in an answer. `official`: lower-case handles/URNs/DIDs."""
    reader = _READERS.get(platform)
    if reader is None or not official:
        return []
    if isinstance(body, (bytes, bytearray)):
        if not body or len(body) > MAX_BODY_BYTES:
            return []
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return []
    else:
        doc = body
    found: dict[str, str] = {}
    if platform == "x":
        found.update(_x_v2(doc, official))
    for node in _objects(doc):
        hit = reader(node)
        if hit is None:
            continue
        handle, ids = hit
        if not isinstance(handle, str) or not ids:
            continue
        low = handle.lower().lstrip("@")
        if low not in official and low.split("@", 1)[0] not in official:
            continue
        for pid in ids:
            key = _s(pid)
            if key:
                found[key] = low
    return list(found.items())


def target_keys(platform: str, value: str) -> list[str]:
    """Keys to look up for what a reply/comment/quote names: the id itself, a status URL's id, a DID."""
    if not isinstance(value, str) or len(value) > 1000:
        return []
    keys = [value]
    m = _STATUS_URL.search(value)
    if m:
        keys.append(m.group(1))
    m = _AT_URI.match(value)
    if m:
        keys.append(m.group(1))
    return keys
