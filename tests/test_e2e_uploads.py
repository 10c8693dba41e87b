"""Uploads and posts through the running proxy with a real client: multipart, raw, resumable, streamed.

`log` lets the body reach the upstream byte for byte (the loopback internet echoes its SHA-256);
`block` answers a bilingual 403 and the upstream never sees the request.
"""

import hashlib
import json
import random
import threading

import pytest
from support import fixtures_inspect as fx
from support.clients import session_for
from support.uploads import flags, notices, policy_copy

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def upload_proxy(tmp_path_factory, internet):
    """A proxy of our own: these tests add flags that other modules' shared-proxy tests do not expect."""
    from support.proxies import SocialguardProxy

    work = tmp_path_factory.mktemp("uploads")
    p = SocialguardProxy(work, internet.port, policy=policy_copy(work / "policy")).start()
    yield p
    p.stop()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_multipart_upload_is_flagged_and_reaches_upstream_intact(upload_proxy, internet):
    doc = fx.docx("Quarterly numbers", footer="PROTÉGÉ B")
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v2/media", files={"file": ("numbers.docx", doc, "application/octet-stream")},
               data={"description": "draft"}, timeout=60)
    assert r.status_code == 200
    sent = r.request.body
    assert r.json()["body_sha256"] == sha(sent)                 # upstream got exactly what the client sent
    evs = upload_proxy.wait_events(lambda e: flags(e, "/api/v2/media"), timeout=30)
    [f] = flags(evs, "/api/v2/media")
    sg = f["socialguard"]
    assert (sg["finding"]["kind"], sg["finding"]["name"], sg["guideline"], sg["action"]) == \
        ("marker", "protected_b", "2.6", "log")
    assert sg["finding"]["location"] == "form:file:numbers.docx:word/footer1.xml"
    assert f["file"] == {"name": "numbers.docx", "hash": {"sha256": sha(doc)}}
    assert sg["platform"] == "mastodon" and sg["activity"] == "upload" and sg["rule"] == "marker.protected_b"
    assert "PROTÉGÉ" not in json.dumps(f, ensure_ascii=False)


def test_post_with_blocked_marking_gets_a_bilingual_403(upload_proxy, internet):
    s = session_for(upload_proxy)
    before = len(internet.received())
    r = s.post("https://mastodon.social/api/v1/statuses", json={"status": "TOP SECRET//CEO\nleak: the budget"},
               timeout=30)
    assert r.status_code == 403
    assert "blocked" in r.text and "bloqué" in r.text and "2.6" in r.text and "budget" not in r.text
    evs = upload_proxy.wait_events(lambda e: flags(e, "/api/v1/statuses"), timeout=20)
    [f] = [e for e in flags(evs, "/api/v1/statuses") if e["socialguard"]["finding"]["name"] == "top_secret"]
    assert f["socialguard"]["action"] == "block" and f["event"]["type"] == ["info", "denied"]
    assert f["event"]["category"] == ["web", "intrusion_detection"] and f["event"]["severity"] == 7
    assert not any(x["path"] == "/api/v1/statuses" and x["body_len"] and "TOP" in json.dumps(x)
                   for x in internet.received()[before:])


def test_secret_santa_post_passes_with_no_flag(upload_proxy, internet):
    """Issue 13: "SECRET" in ordinary prose is not a security marking (it was blocked with a 403)."""
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v1/statuses", json={"status": "Our SECRET SANTA draw is on Friday"},
               timeout=30)
    assert r.status_code == 200 and r.json()["body_sha256"] == sha(r.request.body)
    # A marked post sent after it is flagged: once its event is written, the first one would have been too.
    s.post("https://mastodon.social/api/v1/statuses", json={"status": "santa check\nPROTECTED A"}, timeout=30)
    evs = upload_proxy.wait_events(lambda e: any(f["socialguard"]["finding"]["name"] == "protected_a"
                                                 for f in flags(e, "/api/v1/statuses")), timeout=20)
    assert not [f for f in flags(evs, "/api/v1/statuses") if f["socialguard"]["finding"]["name"] == "secret"]


def test_letter_spaced_heading_is_flagged(upload_proxy):
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v1/statuses",
               json={"status": "P R O T E C T E D   B\n\nStaffing plan for the spring, see the attachment."},
               timeout=30)
    assert r.status_code == 200
    evs = upload_proxy.wait_events(lambda e: any(f["socialguard"]["finding"]["name"] == "protected_b"
                                                 for f in flags(e, "/api/v1/statuses")), timeout=20)
    [f] = [f for f in flags(evs, "/api/v1/statuses") if f["socialguard"]["finding"]["name"] == "protected_b"]
    assert f["socialguard"]["rule"] == "marker.protected_b" and f["socialguard"]["action"] == "log"


def test_weak_form_marking_is_coached_not_blocked(upload_proxy):
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v1/statuses", json={"status": "leak: the TOP SECRET budget is out"},
               timeout=30)
    assert r.status_code == 200
    evs = upload_proxy.wait_events(lambda e: any(f["socialguard"]["rule"] == "marker.weak_form"
                                                 for f in flags(e, "/api/v1/statuses")), timeout=20)
    [f] = [f for f in flags(evs, "/api/v1/statuses") if f["socialguard"]["rule"] == "marker.weak_form"]
    assert (f["socialguard"]["finding"]["name"], f["socialguard"]["action"]) == ("top_secret", "coach")


def test_ordinary_post_passes_untouched(upload_proxy, internet):
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v1/statuses", json={"status": "protected bike lanes downtown!"},
               timeout=30)
    assert r.status_code == 200 and r.json()["body_sha256"] == sha(r.request.body)


def test_raw_upload_with_logo(upload_proxy):
    rng = random.Random(11)
    im, _ = fx.place_logo(fx.signature(), fx.background((1000, 700), rng, "mixed"), rng, width_fraction=0.5, angle=7)
    data = fx.jpeg(im, 80)
    s = session_for(upload_proxy)
    r = s.post("https://bsky.social/xrpc/com.atproto.repo.uploadBlob", data=data, headers={"content-type": "*/*"},
               timeout=60)
    assert r.status_code == 200 and r.json()["body_sha256"] == sha(data)
    evs = upload_proxy.wait_events(lambda e: flags(e, "uploadBlob"), timeout=30)
    logo = [f for f in flags(evs, "uploadBlob") if f["socialguard"]["finding"]["kind"] == "logo"]
    assert logo and logo[0]["socialguard"]["finding"]["name"] == "signature_standin"
    assert logo[0]["socialguard"]["guideline"] == "2.3" and len(logo[0]["socialguard"]["finding"]["bbox"]) == 4
    assert logo[0]["file"]["hash"]["sha256"] == sha(data)


def test_google_resumable_upload_reassembled(upload_proxy, internet):
    data = fx.pdf(["Release notes", "Embargoed until 8:30 a.m. ET, Tuesday, March 5, 2024"])
    s = session_for(upload_proxy)
    url = "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=e2e-1"
    step = len(data) // 3 + 1
    for start in range(0, len(data), step):
        piece = data[start:start + step]
        r = s.put(url, data=piece, timeout=30, headers={
            "content-range": f"bytes {start}-{start + len(piece) - 1}/{len(data)}",
            "content-type": "application/octet-stream"})
        assert r.status_code == 200 and r.json()["body_sha256"] == sha(piece)
    evs = upload_proxy.wait_events(lambda e: flags(e, "/upload/youtube"), timeout=30)
    [f] = flags(evs, "/upload/youtube")
    finding = f["socialguard"]["finding"]
    assert (finding["name"], finding["release_time"]) == ("embargo", "2024-03-05T08:30")
    assert f["file"]["hash"]["sha256"] == sha(data)


def test_x_chunked_media_upload(upload_proxy):
    data = fx.docx("hello", header="PROTECTED A")
    s = session_for(upload_proxy)
    url = "https://upload.x.com/1.1/media/upload.json"
    s.post(url, data={"command": "INIT", "total_bytes": str(len(data)), "media_type": "application/octet-stream"},
           timeout=30)
    for i in range(0, len(data), 4000):
        s.post(url, data={"command": "APPEND", "media_id": "42", "segment_index": str(i // 4000)},
               files={"media": ("blob", data[i:i + 4000], "application/octet-stream")}, timeout=30)
    r = s.post(url, data={"command": "FINALIZE", "media_id": "42"}, timeout=30)
    assert r.status_code == 200
    evs = upload_proxy.wait_events(lambda e: flags(e, "media/upload.json"), timeout=30)
    assert {f["socialguard"]["finding"]["name"] for f in flags(evs, "media/upload.json")} == {"protected_a"}


def test_non_social_upload_is_never_inspected(upload_proxy, internet):
    s = session_for(upload_proxy)
    # Plain HTTP: a non-social HTTPS connection is not even decrypted (TLS pass-through, operations.yaml).
    r = s.post("http://files.example.org/upload", data=b"TOP SECRET", timeout=30)
    assert r.status_code == 200
    assert not [e for e in upload_proxy.events() if e.get("url", {}).get("domain") == "files.example.org"]


def test_streamed_upload_is_scanned_across_chunks_and_only_logged(proxy_factory, tmp_path):
    policy = policy_copy(tmp_path / "policy", limits={"hold_bytes": 65536})
    p = proxy_factory(policy=policy)
    # (the marking on a line of its own: inside a sentence it would be a weak form, coached - issue 13)
    body = (b"lorem ipsum " * 20000) + "\nTOP SECRET PROTÉGÉ B\n".encode() + (b" dolor sit" * 20000)

    def gen():   # chunked transfer encoding, cut in the middle of the marking
        cut = body.index(b"SECRET") + 3
        yield body[:cut]
        yield body[cut:]
    s = session_for(p)
    r = s.post("https://bsky.social/xrpc/com.atproto.repo.uploadBlob", data=gen(),
               headers={"content-type": "application/octet-stream"}, timeout=60)
    assert r.status_code == 200 and r.json()["body_sha256"] == sha(body)    # forwarded; block impossible
    evs = p.wait_events(lambda e: len(flags(e, "uploadBlob")) >= 2, timeout=30)
    got = {(f["socialguard"]["finding"]["name"], f["socialguard"]["action"]) for f in flags(evs, "uploadBlob")}
    assert got == {("top_secret", "log"), ("protected_b", "log")}


def test_streamed_resumable_chunks_are_reassembled(proxy_factory, tmp_path):
    p = proxy_factory(policy=policy_copy(tmp_path / "policy", limits={"hold_bytes": 65536}))
    data = b"quarterly figures\n" * 8000 + "PROTÉGÉ B\n".encode() + b"more figures\n" * 8000
    s = session_for(p)
    url = "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=e2e-big"
    step = 100_000
    for start in range(0, len(data), step):
        piece = data[start:start + step]
        r = s.put(url, data=piece, timeout=30, headers={
            "content-range": f"bytes {start}-{start + len(piece) - 1}/{len(data)}"})
        assert r.status_code == 200 and r.json()["body_sha256"] == sha(piece)
    evs = p.wait_events(lambda e: any(f.get("file") for f in flags(e, "/upload/youtube")), timeout=30)
    whole = [f for f in flags(evs, "/upload/youtube") if f.get("file")]
    assert whole[0]["file"]["hash"]["sha256"] == sha(data)
    assert whole[0]["socialguard"]["finding"]["name"] == "protected_b" and whole[0]["socialguard"]["action"] == "log"


def test_get_is_answered_while_a_slow_inspection_runs(proxy_factory, tmp_path):
    p = proxy_factory(policy=policy_copy(tmp_path / "policy", workers=1))
    page = fx.jpeg(fx.text_image(["Page", "Ordinary words here"], size=(1400, 1000)), 85)
    doc = fx.pdf(["cover"] * 8, image=page)      # 8 pages, each an image to OCR and match: seconds of work
    s = session_for(p)
    done = threading.Event()
    result = {}

    def upload():
        result["r"] = s.post("https://mastodon.social/api/v2/media", files={"file": ("big.pdf", doc, "application/pdf")},
                             timeout=120)
        done.set()
    t = threading.Thread(target=upload)
    t.start()
    p.wait_events(lambda e: False, timeout=1.0)            # let the upload reach the worker
    g = session_for(p).get("https://www.example.org/", timeout=30)
    answered_during_inspection = not done.is_set()
    t.join(120)
    assert g.status_code == 200
    assert answered_during_inspection
    assert result["r"].status_code == 200


def test_coach_action_queues_coaching(proxy_factory, tmp_path):
    p = proxy_factory(policy=policy_copy(tmp_path / "policy", actions={"kinds": {"profanity": "coach"}}))
    s = session_for(p)
    r = s.post("https://mastodon.social/api/v1/statuses", json={"status": "StatCan is full of crap"}, timeout=30)
    assert r.status_code == 200
    evs = p.wait_events(lambda e: flags(e, "/api/v1/statuses"), timeout=20)
    [f] = flags(evs, "/api/v1/statuses")
    assert (f["socialguard"]["finding"]["name"], f["socialguard"]["action"], f["socialguard"]["guideline"]) == \
        ("profanity_with_agency", "coach", "2.5")
    # The next page this person opens on a social site carries the coaching (kind and section, not the text).
    page = s.get("https://mastodon.social/home", timeout=30, headers={
        "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "Accept": "text/html", "Accept-Language": "en-CA"})
    html = page.text
    assert 'data-socialguard="banner"' in html
    assert "guideline 2.5" in html and "full of crap" not in html
    shown = p.wait_events(lambda e: any(x["event"]["action"] == "social.banner" for x in e))
    assert any(x["socialguard"]["banner"].get("coaching") for x in shown if x["event"]["action"] == "social.banner")


def test_corrupt_upload_gives_an_inspection_notice(upload_proxy):
    s = session_for(upload_proxy)
    r = s.post("https://mastodon.social/api/v2/media",
               files={"file": ("broken.docx", fx.docx("x")[:2000], "application/octet-stream")}, timeout=30)
    assert r.status_code == 200
    evs = upload_proxy.wait_events(lambda e: any(n["socialguard"]["inspection"]["reason"] == "corrupt" for n in notices(e)),
                            timeout=20)
    n = [n for n in notices(evs) if n["socialguard"]["inspection"]["reason"] == "corrupt"]
    assert n and n[0]["socialguard"]["inspection"]["location"].startswith("form:file:broken.docx")


def test_mastodon_py_media_post(upload_proxy, monkeypatch):
    mastodon = pytest.importorskip("mastodon")
    from support.clients import client_env

    for k, v in client_env(upload_proxy).items():
        monkeypatch.setenv(k, v)
    doc = fx.with_label(fx.docx("Team notes"), "Protégé B")
    api = mastodon.Mastodon(access_token="tok", api_base_url="https://mastodon.social", version_check_mode="none",
                            mastodon_version="4.3.0")
    api.media_post(doc, mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   file_name="notes.docx")
    evs = upload_proxy.wait_events(lambda e: any(f["socialguard"]["finding"]["kind"] == "label" for f in flags(e)),
                            timeout=30)
    [f] = [f for f in flags(evs) if f["socialguard"]["finding"]["kind"] == "label"]
    assert f["socialguard"]["finding"]["name"] == "protected" and f["file"]["hash"]["sha256"] == sha(doc)
    assert f["socialguard"]["finding"]["location"].endswith("docProps/custom.xml")


@pytest.mark.parametrize("fail_open,status", [(True, 200), (False, 403)])
def test_inspection_timeout_fails_open_or_closed(proxy_factory, tmp_path, fail_open, status):
    p = proxy_factory(policy=policy_copy(tmp_path / "policy", limits={"seconds": 0.01}, fail_open=fail_open))
    # A file, not a short post: a short post is scanned on the spot in microseconds, a file takes a worker.
    r = session_for(p).post("https://mastodon.social/api/v2/media",
                            files={"file": ("notes.docx", fx.docx("hello"), "application/octet-stream")}, timeout=30)
    assert r.status_code == status
    evs = p.wait_events(lambda e: notices(e), timeout=20)
    assert [n["socialguard"]["inspection"]["reason"] for n in notices(evs)] == ["timeout"]


def test_every_event_written_validates(upload_proxy):
    import jsonschema

    from socialguard.events import event_schema

    validator = jsonschema.Draft202012Validator(event_schema())
    evs = upload_proxy.events()
    assert flags(evs) and notices(evs)
    for e in evs:
        validator.validate(e)
