"""Resumable / chunked uploads reassembled per session (extract/sessions.py)."""

import os

import pytest

from socialguard.inspect.extract.sessions import SessionStore, chunk_of, x_chunk
from socialguard.policy.inspection import Sessions

DATA = os.urandom(10_000)


def pieces(data, size):
    return [(i, data[i:i + size]) for i in range(0, len(data), size)]


def google(offset, piece, total, upload_id="u1"):
    end = offset + len(piece) - 1
    return chunk_of("PUT", "www.googleapis.com", "/upload/youtube/v3/videos",
                    {"uploadType": "resumable", "upload_id": upload_id},
                    {"content-range": f"bytes {offset}-{end}/{total}"}, piece)


def test_google_resumable_in_order():
    store = SessionStore(Sessions())
    results = [store.add(google(o, p, len(DATA))) for o, p in pieces(DATA, 3000)]
    assert results[:-1] == [None] * (len(results) - 1)
    assert results[-1][1] == DATA and len(store) == 0 and store.held_bytes == 0


def test_google_resumable_out_of_order_and_retried():
    store = SessionStore(Sessions())
    ps = pieces(DATA, 2500)
    order = [ps[1], ps[0], ps[1], ps[3], ps[2]]       # a retried chunk, and the last one before the third
    results = [store.add(google(o, p, len(DATA))) for o, p in order]
    assert [r is None for r in results] == [True, True, True, True, False]
    assert results[-1][1] == DATA


def test_x_goog_upload_protocol():
    store = SessionStore(Sessions())
    a = chunk_of("POST", "h", "/upload/photos", {"upload_id": "z"},
                 {"x-goog-upload-command": "upload", "x-goog-upload-offset": "0"}, DATA[:4000])
    b = chunk_of("POST", "h", "/upload/photos", {"upload_id": "z"},
                 {"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "4000"}, DATA[4000:])
    assert store.add(a) is None and store.add(b)[1] == DATA


def test_tus():
    store = SessionStore(Sessions())
    out = None
    for o, p in pieces(DATA, 4096):
        out = store.add(chunk_of("PATCH", "tus.example", "/files/abc", {},
                                 {"upload-offset": str(o), "upload-length": str(len(DATA)), "tus-resumable": "1.0.0"}, p))
    assert out[1] == DATA


def test_meta_rupload():
    store = SessionStore(Sessions())
    out = None
    for o, p in pieces(DATA, 6000):
        out = store.add(chunk_of("POST", "rupload.facebook.com", "/rupload_igphoto/fb_123", {},
                                 {"offset": str(o), "x-entity-length": str(len(DATA))}, p))
    assert out == ("fb_123", DATA)


def test_x_append_finalize():
    store = SessionStore(Sessions())
    for i, (_, p) in reversed(list(enumerate(pieces(DATA, 3000)))):
        assert store.add(x_chunk("upload.x.com", {"command": "APPEND", "media_id": "77", "segment_index": str(i)}, p)) \
            is None
    assert store.add(x_chunk("upload.x.com", {"command": "FINALIZE", "media_id": "77"}, None))[1] == DATA


def test_ordinary_requests_are_not_chunks():
    assert chunk_of("POST", "mastodon.social", "/api/v2/media", {}, {"content-type": "image/png"}, b"x") is None
    assert x_chunk("upload.x.com", {"command": "INIT", "total_bytes": "10"}, None) is None


def test_memory_bound_evicts_oldest():
    store = SessionStore(Sessions(max_bytes=5000, max_sessions=10))
    store.add(google(0, DATA[:3000], 10_000, "a"))
    store.add(google(0, DATA[:3000], 10_000, "b"))
    assert store.held_bytes <= 5000 and len(store) == 1
    assert store.take_dropped() == [("google:www.googleapis.com:a", "session_evicted")]


def test_session_count_bound():
    store = SessionStore(Sessions(max_sessions=3))
    for i in range(5):
        store.add(google(0, b"x" * 10, 100, str(i)))
    assert len(store) == 3


def test_abandoned_sessions_expire():
    now = [0.0]
    store = SessionStore(Sessions(ttl_seconds=60), clock=lambda: now[0])
    store.add(google(0, DATA[:3000], len(DATA), "old"))
    now[0] = 120
    store.add(google(0, DATA[:3000], len(DATA), "new"))
    assert len(store) == 1 and ("google:www.googleapis.com:old", "session_expired") in store.take_dropped()


@pytest.mark.parametrize("header", ["bytes 0-99/*", "bytes 5-9/10"])
def test_content_range_shapes(header):
    c = chunk_of("PUT", "h", "/u", {"upload_id": "q"}, {"content-range": header}, b"x" * 5)
    assert c is not None and c.offset in (0, 5)
