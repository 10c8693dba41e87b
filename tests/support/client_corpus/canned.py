"""What the corpus's loopback internet answers: just enough for each client library to carry on.

These documents shape the *responses*; they never decide a label (labels are in the scenario files).
"""

from __future__ import annotations

import json
import re

_JSON = {"content-type": "application/json"}
_TOKEN = {"access_token": "tok", "token_type": "bearer", "expires_in": 3600, "scope": "*", "refresh_token": "r"}

def _ig_password_key() -> str:
    """instagrapi encrypts the password with the RSA key qe/sync announces: a throwaway key made here."""
    import base64

    # `cryptography` comes with mitmproxy; Cryptodome only with the heavier `corpus` extra (instagrapi), so the
    # suite's sample must not need it.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(pem).decode()


# (host suffix, path regex, status, headers, body): first match wins.
_CANNED: list[tuple[str, str, int, dict, object]] = [
    # Reddit OAuth2 token (praw)
    ("reddit.com", r"/api/v1/access_token", 200, _JSON, _TOKEN),
    ("reddit.com", r"/api/v1/me", 200, _JSON, {"name": "corpus_user", "id": "u1"}),
    # X OAuth 1.0a / 2 (tweepy) and the guest/onboarding flow (twikit)
    ("x.com", r"/oauth/request_token", 200, {"content-type": "text/plain"},
     "oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true"),
    ("twitter.com", r"/oauth/request_token", 200, {"content-type": "text/plain"},
     "oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true"),
    ("x.com", r"/oauth/access_token", 200, {"content-type": "text/plain"},
     "oauth_token=at&oauth_token_secret=as&user_id=1&screen_name=corpus"),
    ("twitter.com", r"/oauth/access_token", 200, {"content-type": "text/plain"},
     "oauth_token=at&oauth_token_secret=as&user_id=1&screen_name=corpus"),
    ("x.com", r"/oauth2/token", 200, _JSON, {"token_type": "bearer", "access_token": "tok"}),
    ("twitter.com", r"/oauth2/token", 200, _JSON, {"token_type": "bearer", "access_token": "tok"}),
    ("x.com", r".*/guest/activate\.json", 200, _JSON, {"guest_token": "1234"}),
    ("twitter.com", r".*/guest/activate\.json", 200, _JSON, {"guest_token": "1234"}),
    ("x.com", r".*/onboarding/task\.json", 200, _JSON, {"flow_token": "f", "status": "success", "subtasks": []}),
    ("twitter.com", r".*/onboarding/task\.json", 200, _JSON, {"flow_token": "f", "status": "success", "subtasks": []}),
    # Mastodon-API servers: app registration, token, instance
    ("", r"/api/v1/apps", 200, _JSON, {"id": "1", "client_id": "cid", "client_secret": "csec", "name": "corpus"}),
    ("", r"/oauth/token", 200, _JSON, _TOKEN),
    ("", r"/api/v[12]/instance/?", 200, _JSON,
     {"uri": "example", "domain": "example", "title": "A server", "version": "4.3.0",
      "configuration": {"statuses": {"max_characters": 500}}}),
    ("", r"/nodeinfo/2\.[01]", 200, _JSON,
     {"version": "2.0", "software": {"name": "mastodon", "version": "4.3.0"}, "protocols": ["activitypub"]}),
    ("", r"/\.well-known/nodeinfo", 200, _JSON, {"links": []}),
    # Bluesky session (atproto)
    ("", r"/xrpc/com\.atproto\.server\.(createSession|refreshSession|getSession)", 200, _JSON,
     {"did": "did:plc:abcdefghijklmnopqrstuvwx", "handle": "asmith.bsky.social", "email": "a@example.invalid",
      "accessJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyIsImV4cCI6NDEwMjQ0NDgwMH0.c2ln",
      "refreshJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLnJlZnJlc2giLCJleHAiOjQxMDI0NDQ4MDB9.c2ln",
      "active": True}),
    ("", r"/xrpc/app\.bsky\.actor\.getProfile", 200, _JSON,
     {"did": "did:plc:abcdefghijklmnopqrstuvwx", "handle": "asmith.bsky.social"}),
    ("", r"/xrpc/com\.atproto\.repo\.(createRecord|putRecord)", 200, _JSON,
     {"uri": "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabc", "cid": "bafyreia"}),
    ("", r"/xrpc/com\.atproto\.repo\.uploadBlob", 200, _JSON,
     {"blob": {"$type": "blob", "ref": {"$link": "bafkreia"}, "mimeType": "image/png", "size": 10}}),
    # LinkedIn (linkedin-api): the session cookie and the login result
    ("linkedin.com", r"/uas/authenticate", 200,
     {**_JSON, "set-cookie": 'JSESSIONID="ajax:123"; Path=/'}, {"login_result": "PASS"}),
    # Instagram app (instagrapi): the password-encryption key, then a login result
    ("instagram.com", r"/api/v1/qe/sync/?", 200,
     {**_JSON, "ig-set-password-encryption-key-id": "41", "ig-set-password-encryption-pub-key": _ig_password_key()},
     {"status": "ok"}),
    ("instagram.com", r"/api/v1/accounts/login/?", 200, {**_JSON, "ig-set-authorization": "Bearer IGT:2:e30="},
     {"status": "ok", "logged_in_user": {"pk": 1, "pk_id": "1", "username": "corpus_user", "full_name": ""}}),
    # Telegram Bot API: every method answers ok
    ("api.telegram.org", r"/bot[^/]+/getMe", 200, _JSON,
     {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "corpus", "username": "corpus_bot"}}),
    ("api.telegram.org", r"/bot[^/]+/.*", 200, _JSON,
     {"ok": True, "result": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}),
    # Tumblr: every answer is wrapped in meta/response
    ("api.tumblr.com", r"/.*", 200, _JSON, {"meta": {"status": 200, "msg": "OK"}, "response": {}}),
    # Discord (discord.py)
    ("discord.com", r"/api/v\d+/users/@me", 200, _JSON,
     {"id": "1", "username": "corpus", "discriminator": "0", "avatar": None, "global_name": None}),
]


def answer(method: str, host: str, path: str) -> tuple[int, dict, bytes]:
    for suffix, pattern, status, headers, body in _CANNED:
        if suffix and not (host == suffix or host.endswith("." + suffix)):
            continue
        if re.fullmatch(pattern, path):
            content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            return status, dict(headers), content
    return 200, dict(_JSON), b"{}"
