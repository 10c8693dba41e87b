"""Guidelines 2.3 and 2.4 end to end: real client libraries (Mastodon.py, tweepy, atproto) through the real proxy.

A bio that names the agency without a disclaimer coaches (a `disclaimer_missing` flag, never the text); with a
disclaimer nothing is flagged; an avatar carrying the logo flags; a photo of people coaches with the face count.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from skimage import data as skdata
from support.clients import proxy_over_site, use_client_env, write_canned

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = {"id": "1", "username": "asmith", "acct": "asmith", "display_name": "A", "note": "", "fields": []}
MEDIA = {"id": "9", "type": "image", "url": "https://files.mastodon.social/9.png"}
USER = {"id": 1, "id_str": "1", "screen_name": "asmith", "name": "A"}
PUT = {"uri": "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.actor.profile/self", "cid": "bafyreib"}



def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    work = tmp_path_factory.mktemp("profiles")
    site = work / "site"
    write_canned(site, "mastodon.social", "/api/v1/accounts/update_credentials", ACCOUNT)
    write_canned(site, "mastodon.social", "/api/v2/media", MEDIA)
    write_canned(site, "api.twitter.com", "/1.1/account/update_profile.json", USER)
    write_canned(site, "bsky.social", "/xrpc/com.atproto.repo.putRecord", PUT)
    with proxy_over_site(work, site) as proxy:
        yield proxy


@pytest.fixture
def via_proxy(proxy, monkeypatch):
    return use_client_env(monkeypatch, proxy)


def _flags(proxy, path: str, kind: str, n: int = 1, timeout: float = 90) -> list[dict]:
    def mine(evs):
        return [e for e in evs if e["event"]["action"] == "social.flag" and path in e.get("url", {}).get("path", "")
                and e["socialguard"]["finding"]["kind"] == kind]
    return mine(proxy.wait_events(lambda evs: len(mine(evs)) >= n, timeout=timeout))


def _activities(proxy, path: str) -> list[dict]:
    return [e for e in proxy.wait_events(lambda evs: any(path in e.get("url", {}).get("path", "") for e in evs))
            if e["event"]["action"] == "social.activity" and path in e.get("url", {}).get("path", "")]


def _mastodon():
    mastodon = pytest.importorskip("mastodon")
    return mastodon.Mastodon(access_token="tok", api_base_url="https://mastodon.social", version_check_mode="none",
                             mastodon_version="4.3.0")


def test_mastodon_bio_without_disclaimer_coaches_and_with_one_is_silent(via_proxy):
    api = _mastodon()
    api.account_update_credentials(note="Senior analyst at Statistique Canada")
    found = _flags(via_proxy, "update_credentials", "disclaimer_missing")
    assert len(found) == 1
    sg = found[0]["socialguard"]
    assert sg["activity"] == "edit" and sg["guideline"] == "2.3" and sg["action"] == "coach"
    api.account_update_credentials(note="Senior analyst at Statistics Canada. Views are my own.",
                                   display_name="A. Smith")
    acts = [e for e in _activities(via_proxy, "update_credentials")]
    via_proxy.wait_events(lambda evs: len([e for e in evs if e["event"]["action"] == "social.activity"
                                           and "update_credentials" in e.get("url", {}).get("path", "")]) >= 2)
    assert len(_flags(via_proxy, "update_credentials", "disclaimer_missing", timeout=2)) == 1
    raw = "".join(p.read_text() for p in via_proxy.events_dir.glob("*.jsonl"))
    assert "Senior analyst" not in raw and acts


def test_mastodon_avatar_with_the_logo_flags(via_proxy):
    logo = Image.open(ROOT / "policy" / "logos" / "signature_standin.png").convert("RGB")
    avatar = Image.new("RGB", (logo.width + 80, logo.height + 80), "white")
    avatar.paste(logo, (40, 40))
    _mastodon().account_update_credentials(avatar=_png(avatar), avatar_mime_type="image/png")
    found = _flags(via_proxy, "update_credentials", "logo")
    assert found and found[0]["socialguard"]["guideline"] == "2.3"


def test_mastodon_photo_of_people_coaches_with_the_face_count(via_proxy):
    face = Image.fromarray(skdata.astronaut()).resize((300, 300))
    group = Image.new("RGB", (800, 400), "grey")
    group.paste(face, (40, 50))
    group.paste(face.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (440, 50))
    _mastodon().media_post(_png(group), mime_type="image/png")
    found = _flags(via_proxy, "/media", "people_in_photo")          # /api/v1 or /api/v2, as the client picks
    assert found and found[0]["socialguard"]["finding"]["count"] == 2
    assert found[0]["socialguard"]["guideline"] == "2.4" and found[0]["socialguard"]["action"] == "coach"


def test_tweepy_update_profile_without_disclaimer_coaches(via_proxy):
    tweepy = pytest.importorskip("tweepy")
    api = tweepy.API(tweepy.OAuth1UserHandler("ck", "cs", "at", "ats"))
    api.update_profile(description="Proud public servant, Government of Canada")
    found = _flags(via_proxy, "update_profile", "disclaimer_missing")
    assert found and found[0]["socialguard"]["activity"] == "edit" and found[0]["socialguard"]["guideline"] == "2.3"


def test_atproto_profile_record_without_disclaimer_coaches(via_proxy):
    atproto = pytest.importorskip("atproto")
    client = atproto.Client(base_url="https://bsky.social/xrpc")
    client.com.atproto.repo.put_record({
        "repo": "did:plc:abcdefghijklmnopqrstuvwx", "collection": "app.bsky.actor.profile", "rkey": "self",
        "record": {"$type": "app.bsky.actor.profile", "displayName": "A", "description": "StatCan economist"}})
    found = _flags(via_proxy, "putRecord", "disclaimer_missing")
    assert found and found[0]["socialguard"]["activity"] == "edit"
