"""Guideline 2.3 (profile names the agency without a disclaimer) and 2.4 (faces in uploaded images), with hostile
inputs: near-miss names, other cases/accents/spaces, huge and odd images, policy settings that must be refused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

from socialguard.inspect.scanner import ScanContext, Scanner
from socialguard.policy import load_policy
from socialguard.policy.source import PolicyError

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ScanContext(platform="mastodon", category="personal", target="profile")
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def scanner(policy):
    return Scanner(policy)


def _profile(scanner, context=PROFILE, **fields):
    report = scanner.scan_body(urlencode(fields).encode(), FORM, context=context)
    return [f for f in report.findings if f.kind == "disclaimer_missing"]


# -- 2.3 disclaimer ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("note", [
    "Data scientist at Statistics Canada",
    "Analyste, STATISTIQUE CANADA",
    "statcan | open data",
    "Proud public servant",
    "Fonctionnaire au Gouvernement du Canada",
    "Statistics\u00a0Canada\u202fanalyst",                       # no-break spaces
    "Statistique Canada" + " x" * 200_000,                      # a huge bio
    "Statistics Canada. Views are not my own",                   # almost a disclaimer
])
def test_profile_naming_the_agency_without_disclaimer_coaches(scanner, note):
    found = _profile(scanner, note=note, display_name="A. Person")
    assert [(f.name, f.guideline, f.location) for f in found] == [("disclaimer_missing", "2.3", "profile")]
    assert note[:20] not in repr(found[0].to_dict())              # the finding never carries the text


@pytest.mark.parametrize("fields", [
    {"note": "Statistics Canada. Views are my own."},
    {"note": "Statistics Canada — VIEWS ARE MY OWN"},
    {"note": "Statistique Canada. Les opinions exprimées sont les miennes."},
    {"note": "Statistique Canada. LES OPINIONS EXPRIMEES SONT LES MIENNES"},   # accents dropped
    {"note": "Statistique Canada. Les opinions exprime\u0301es sont les miennes"},  # decomposed accent
    {"note": "Statistics Canada. Opinions are my own", "display_name": "x"},
    {"display_name": "Ana @ StatCan", "note": "views are my own"},  # name and disclaimer in different fields
    {"note": "I study statistics in Canada"},                       # almost names the agency
    {"note": "StatCanadian fan of Statistics Canadas"},             # names only as parts of longer words
    {"note": ""},
])
def test_disclaimer_or_no_agency_name_is_silent(scanner, fields):
    assert _profile(scanner, **fields) == []


def test_only_profile_edits_are_checked(scanner):
    post = ScanContext(platform="mastodon", category="personal", target=None)
    assert _profile(scanner, context=post, status="Statistics Canada") == []
    assert _profile(scanner, context=None, note="Statistics Canada") == []


def test_official_accounts_are_not_coached(scanner):
    official = ScanContext(platform="x", category="official", target="profile")
    assert _profile(scanner, context=official, description="Statistics Canada") == []


def test_json_profile_record(scanner):
    body = b'{"collection":"app.bsky.actor.profile","record":{"displayName":"A","description":"StatCan analyst"}}'
    report = scanner.scan_body(body, "application/json",
                               context=ScanContext("bluesky", "personal", "profile"))
    assert [f.kind for f in report.findings] == ["disclaimer_missing"]


# -- 2.4 faces ---------------------------------------------------------------------------------------------------
def _png(im: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def _people(report):
    return [f for f in report.findings if f.kind == "people_in_photo"]


def test_photo_of_a_person_coaches_with_the_count(scanner):
    report = scanner.scan_bytes(_png(Image.fromarray(skdata.astronaut())), "me.png")
    found = _people(report)
    assert len(found) == 1 and found[0].count == 1 and found[0].guideline == "2.4"
    assert found[0].bbox is None and found[0].crop is None       # nothing of the face is kept


def test_two_people_are_counted(scanner):
    face = Image.fromarray(skdata.astronaut()).resize((300, 300))
    group = Image.new("RGB", (800, 400), "grey")
    group.paste(face, (40, 50))
    group.paste(face.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (440, 50))
    assert [f.count for f in _people(scanner.scan_bytes(_png(group, "JPEG"), "group.jpg"))] == [2]


@pytest.mark.parametrize("make", [
    lambda: Image.new("RGB", (1, 1), "white"),
    lambda: Image.new("RGB", (8000, 30), "white"),                  # odd aspect
    lambda: Image.new("L", (3000, 3000), 255),                       # large grey page, scaled before detection
    lambda: Image.fromarray(np.random.default_rng(3).integers(0, 255, (700, 900, 3), dtype=np.uint8)),
    lambda: Image.fromarray(skdata.text()).convert("P"),             # palette
    lambda: Image.open(ROOT / "policy" / "logos" / "wordmark_standin.png").convert("RGBA"),
    lambda: Image.fromarray(skdata.brick()),
])
def test_no_face_images_are_silent(scanner, make):
    assert _people(scanner.scan_bytes(_png(make()), "x.png")) == []


def test_corrupt_image_is_a_notice_not_a_crash(scanner):
    data = _png(Image.fromarray(skdata.astronaut()))[:5000]
    report = scanner.scan_bytes(data, "cut.png")
    assert _people(report) == [] and report.notices


def test_faces_respect_the_policy_scope(scanner):
    photo = _png(Image.fromarray(skdata.astronaut()))
    assert _people(scanner.scan_bytes(photo, "a.png", ScanContext("x", "official", None))) == []
    assert len(_people(scanner.scan_bytes(photo, "a.png", ScanContext("x", "personal", None)))) == 1


def test_avatar_with_the_logo_flags(scanner):
    logo = Image.open(ROOT / "policy" / "logos" / "signature_standin.png").convert("RGB")
    avatar = Image.new("RGB", (logo.width + 80, logo.height + 80), "white")
    avatar.paste(logo, (40, 40))
    report = scanner.scan_bytes(_png(avatar), "avatar.png", ScanContext("mastodon", "personal", "profile"))
    assert "logo" in {f.kind for f in report.findings}


# -- policy ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("old,new", [
    ("    min_confidence: 0.9 ", "    min_confidence: 0.1 "),
    ("  faces:\n    where: {categories: [personal, professional]}", "  faces:\n    where: {categories: [private]}"),
    ("  disclaimer:\n", "  disclaimer:\n    enabled: yes please\n"),
    ("    disclaimers: [", "    disclaimers: ['', "),
    ("  faces:\n", "  faces:\n    colour: red\n"),
])
def test_check_settings_are_validated(tmp_path, old, new):
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    p = tmp_path / "policy" / "inspection.yaml"
    text = p.read_text()
    assert old in text
    p.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as e:
        load_policy(tmp_path / "policy")
    assert "inspection.yaml" in str(e.value)


def test_scope_from_policy(tmp_path):
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    p = tmp_path / "policy" / "inspection.yaml"
    p.write_text(p.read_text().replace("  faces:\n    where: {categories: [personal, professional]}",
                                       "  faces:\n    where: {categories: [personal], skip: [linkedin]}", 1))
    scope = load_policy(tmp_path / "policy").inspection.checks.faces.scope
    assert scope.applies("x", "personal") and not scope.applies("linkedin", "personal")
    assert not scope.applies("x", "professional") and scope.applies(None, None)


def test_profile_fields_in_the_query_string_are_inspected(policy, scanner):
    """X v1.1 clients send update_profile's fields in the query: the job inspects them as a form."""
    from socialguard.inspect.decide import UploadFacts, plan
    from socialguard.inspect.extract.sessions import SessionStore
    ctx = ScanContext("x", "personal", "profile")
    upload = UploadFacts(method="POST", host="api.twitter.com", path="/1.1/account/update_profile.json",
                         query={"description": "StatCan analyst"}, headers={}, body=b"", activity="edit",
                         context=ctx)
    job = plan(upload, policy, SessionStore(policy.inspection.sessions)).job
    assert [f.kind for f in job.run(scanner).findings] == ["disclaimer_missing"]
    post = UploadFacts(method="POST", host="api.twitter.com", path="/1.1/statuses/update.json",
                       query={"status": "StatCan"}, headers={}, body=b"", activity="post",
                       context=ScanContext("x", "personal", None))
    assert plan(post, policy, SessionStore(policy.inspection.sessions)).job is None
