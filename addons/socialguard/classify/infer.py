"""An activity guessed from the words of an operation name or path, for requests no rule claims.

`deleteMessage` -> delete, `create-comment` -> comment, `feed/timeline` -> view. The guess is labelled as one
(`<platform>.inferred.<activity>`, confidence below 1) and `unknown` stays for requests with no telling word.
"""

from __future__ import annotations

import re

INFERRED_CONFIDENCE = 0.6
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_MAX_WORDS = 24

# Checked in this order: undoing a like is still a reaction (`removeReaction` -> react), deleting a comment is a
# delete (`deleteComment`), sending a photo is an upload (`sendPhoto`).
_ACTIVITY_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("login", frozenset({"login", "logout", "signin", "signon", "authenticate", "auth", "oauth", "token", "tokens",
                         "session", "onboarding", "sso", "password", "twofactor", "otp", "register",
                         "registration", "signup"})),
    ("react", frozenset({"like", "likes", "unlike", "vote", "upvote", "downvote", "favourite", "favorite",
                         "unfavourite", "unfavorite", "fav", "react", "reaction", "reactions", "digg", "heart", "emoji"})),
    ("share", frozenset({"share", "retweet", "reblog", "repost", "forward", "crosspost", "quote", "reshare"})),
    ("follow", frozenset({"follow", "unfollow", "subscribe", "unsubscribe", "friend", "friends", "friendship",
                          "friendships", "connect", "disconnect", "connection", "invite", "join", "leave", "block", "unblock",
                          "mute"})),
    ("delete", frozenset({"delete", "del", "remove", "destroy", "trash", "unpublish"})),
    ("edit", frozenset({"edit", "update", "modify", "rename", "pin", "unpin"})),
    ("comment", frozenset({"comment", "comments", "reply", "replies", "respond"})),
    ("upload", frozenset({"media", "upload", "photo", "photos", "video", "videos", "attachment", "attachments",
                          "blob", "rupload", "document", "image", "images", "audio", "voice", "sticker"})),
    ("message", frozenset({"message", "messages", "compose", "dm", "dms", "direct", "chat", "conversation",
                           "conversations", "inbox", "send", "thread", "threads"})),
    ("post", frozenset({"post", "posts", "publish", "tweet", "status", "statuses", "submit", "story", "stories",
                        "note", "create", "configure"})),
    ("view", frozenset({"feed", "feeds", "timeline", "timelines", "sync", "get", "fetch", "search", "read",
                        "show", "info", "view", "seen", "badge", "count", "counts", "query", "lookup", "notifications",
                        "home", "profile", "explore", "trending", "trends"})),
)


def words(text: str) -> list[str]:
    """Lower-case words of an identifier or path: camelCase, snake_case, kebab-case, dotted, slashed; each also
    without an -ing/-ed/-s ending (`following` -> `follow`, `liked` -> `like`)."""
    out: list[str] = []
    for part in re.split(r"[^A-Za-z]+", text[:512]):
        for w in _WORDS.findall(part):
            w = w.lower()
            out.append(w)
            for ending in ("ing", "ed", "s"):
                if len(w) > len(ending) + 2 and w.endswith(ending):
                    out.append(w[: -len(ending)])
                    break
        if len(out) >= 2 * _MAX_WORDS:
            break
    return out[: 2 * _MAX_WORDS]


def infer_activity(operation: str | None, path: str) -> str | None:
    """The activity the operation name (or, without one, the path) names; None when no word tells."""
    found = set(words(operation)) if operation else set()
    if not found or not any(found & ws for _, ws in _ACTIVITY_WORDS):
        found |= set(words(path))
    for activity, vocabulary in _ACTIVITY_WORDS:
        if found & vocabulary:
            return activity
    return None
