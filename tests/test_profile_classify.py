"""Profile and account-settings edits (guideline 2.3): classified as `edit`/`upload` with a `profile` target.

Shapes from the client libraries that send them (tweepy update_profile*, Mastodon.py account_update_credentials,
atproto's profile record, instagrapi account_edit / account_change_picture, praw's site_admin, misskey.py i/update).
"""

from __future__ import annotations

import pytest
from support.wire_cases import case

from socialguard.classify import Classifier
from socialguard.policy.source import PolicyError

PROFILE = [
    (case("x-update-profile", "POST", "https://api.twitter.com/1.1/account/update_profile.json", "x", "edit",
          form={"description": "Analyst at Statistics Canada"}), "x.profile.v1"),
    (case("x-update-profile-web", "POST", "https://x.com/i/api/1.1/account/update_profile.json", "x", "edit",
          form={"name": "A"}), "x.profile.web"),
    (case("x-profile-image", "POST", "https://api.twitter.com/1.1/account/update_profile_image.json", "x", "upload",
          raw=b"--b\r\n", content_type="multipart/form-data; boundary=b"), "x.profile.image"),
    (case("x-profile-banner", "POST", "https://api.twitter.com/1.1/account/update_profile_banner.json", "x",
          "upload", raw=b"--b\r\n", content_type="multipart/form-data; boundary=b"), "x.profile.image"),
    (case("mastodon-update-credentials", "PATCH", "https://mastodon.social/api/v1/accounts/update_credentials",
          "mastodon", "edit", form={"note": "hi"}), "mastodon.profile.update"),
    (case("mastodon-update-credentials-any-host", "PATCH",
          "https://toot.example.org/api/v1/accounts/update_credentials", "mastodon", "edit", form={"note": "hi"}),
     "mastodon.profile.update"),
    (case("bluesky-profile", "POST", "https://bsky.social/xrpc/com.atproto.repo.putRecord", "bluesky", "edit",
          json_body={"repo": "did:plc:x", "collection": "app.bsky.actor.profile", "rkey": "self",
                     "record": {"description": "StatCan"}}), "bluesky.profile.put"),
    (case("instagram-edit-profile", "POST", "https://i.instagram.com/api/v1/accounts/edit_profile/", "instagram",
          "edit", form={"biography": "x"}), "instagram.profile.edit"),
    (case("instagram-change-picture", "POST", "https://i.instagram.com/api/v1/accounts/change_profile_picture/",
          "instagram", "upload", form={"upload_id": "1"}), "instagram.profile.picture"),
    (case("threads-edit-profile", "POST", "https://www.threads.net/api/v1/accounts/edit_profile/", "threads", "edit",
          form={"biography": "x"}), "threads.profile.edit"),
    (case("linkedin-headline", "POST",
          "https://www.linkedin.com/voyager/api/identity/dash/profiles/urn%3Ali%3Afsd_profile%3AA", "linkedin",
          "edit", json_body={"patch": {"$set": {"headline": "x"}}}), "linkedin.profile.voyager"),
    (case("reddit-site-admin", "POST", "https://oauth.reddit.com/api/site_admin/", "reddit", "edit",
          form={"sr": "u_someone", "public_description": "x"}), "reddit.profile.site_admin"),
    (case("facebook-bio", "POST", "https://www.facebook.com/api/graphql/", "facebook", "edit",
          form={"fb_api_req_friendly_name": "ProfileCometSetBioMutation", "variables": "{}"}),
     "facebook.profile.gql"),
    (case("misskey-i-update", "POST", "https://misskey.io/api/i/update", "misskey", "edit",
          json_body={"description": "x"}), "misskey.profile.update"),
]


@pytest.fixture(scope="module")
def classifier(policy):
    return Classifier(policy)


@pytest.mark.parametrize("wire,rule", PROFILE, ids=[w.id for w, _ in PROFILE])
def test_profile_edit_is_classified_with_profile_target(classifier, wire, rule):
    c = classifier.classify(wire.facts())
    assert (c.platform, c.activity, c.rule, c.target) == (wire.platform, wire.expect[1], rule, "profile")
    assert c.guideline == "2.3"


def test_posts_keep_no_target(classifier):
    wire = case("bluesky-post", "POST", "https://bsky.social/xrpc/com.atproto.repo.putRecord", "bluesky", "edit",
                json_body={"collection": "app.bsky.feed.post", "record": {"text": "x"}})
    c = classifier.classify(wire.facts())
    assert c.rule == "bluesky.edit" and c.target is None


def test_unknown_target_is_a_policy_error(tmp_path):
    import shutil

    from socialguard.policy import load_policy
    src = __import__("pathlib").Path(__file__).parent.parent / "policy"
    shutil.copytree(src, tmp_path / "policy")
    p = tmp_path / "policy" / "platforms" / "mastodon.yaml"
    p.write_text(p.read_text().replace("    target: profile\n", "    target: banner\n", 1))
    with pytest.raises(PolicyError) as e:
        load_policy(tmp_path / "policy")
    assert "mastodon.yaml" in str(e.value)
