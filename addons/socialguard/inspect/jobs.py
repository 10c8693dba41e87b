"""Which inspection a held request body gets: a whole body, or a finished upload session's file, or none.

Pure (the session store is passed in), so the proxy's inspection addon and `socialguard classify --har` decide
alike. The proxy runs the job in a worker (`pool.run_job`); the HAR command runs it in-process.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl

from .extract.body import extract_body
from .extract.sessions import SessionStore, chunk_of, x_chunk

BODY_METHODS = ("POST", "PUT", "PATCH")


def x_upload_chunk(host: str, query: dict[str, str], headers: dict[str, str], body: bytes, limits):
    """X `media/upload.json` APPEND/FINALIZE: fields from the query, a multipart or urlencoded body."""
    fields = dict(query)
    media = None
    ct = headers.get("content-type", "")
    if ct.startswith("multipart/form-data"):
        ex = extract_body(body, ct, "", limits)
        fields.update({t.location.split(":", 1)[1]: t.text for t in ex.texts if t.location.startswith("form:")})
        media = next((f.data for f in ex.files), None)
    elif ct.startswith("application/x-www-form-urlencoded"):
        fields.update(dict(parse_qsl(body.decode("utf-8", "replace"))))
    if "media_data" in fields and media is None:
        try:
            media = base64.b64decode(fields.pop("media_data"))
        except ValueError:
            media = None
    return x_chunk(host, fields, media)


def held_job(method: str, host: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes,
             activity: str, activities: frozenset[str], sessions: SessionStore, limits) -> tuple[str, tuple] | None:
    """("file", (data, name)) when this request completes an upload session, ("body", (data, content type,
    encoding, name)) for a post/upload body the policy inspects, else None (a chunk that does not finish one)."""
    if method.upper() not in BODY_METHODS:
        return None
    chunk = chunk_of(method, host, path, query, headers, body)
    if chunk is None and path.endswith("/media/upload.json"):
        chunk = x_upload_chunk(host, query, headers, body, limits)
    if chunk is not None:
        done = sessions.add(chunk)
        if done is None:
            return None
        name, data = done
        return "file", (data, name)
    if not body or activity not in activities:
        return None
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return "body", (body, headers.get("content-type", ""), headers.get("content-encoding", ""), name)
