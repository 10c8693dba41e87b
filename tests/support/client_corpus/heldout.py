"""HELD-OUT part of the corpus. Written before any rule was tuned on the corpus; scored only at the end.

Do not read this file's results while writing rules (the driver prints only counts for it). Calls and servers
differ from the tuning part: other methods of the same libraries, an unknown fediverse server of another name,
other web pages.
"""

from __future__ import annotations

import io

from . import libs
from .model import NON_SOCIAL, Scenario, Step

X, MASTO, BSKY, REDDIT, TUMBLR, YT, LI, IG, TG, DC = ("x", "mastodon", "bluesky", "reddit", "tumblr", "youtube",
                                                      "linkedin", "instagram", "telegram", "discord")
FEDI = "https://toot.riverside-commons.example"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _png(tmp="/tmp/socialguard-corpus-heldout.png"):
    with open(tmp, "wb") as f:
        f.write(PNG)
    return tmp


def _me(label):
    return (("/users/me", (label[0], "view")),)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("tweepy-v2-more", "tweepy", libs.tweepy_client, (
        Step("quote", lambda c: c.create_tweet(text="worth reading", quote_tweet_id="1460323737035677698"), (X, "share")),
        Step("unlike", lambda c: c.unlike("1460323737035677698"), (X, "react"), _me((X,))),
        Step("unfollow", lambda c: c.unfollow_user("2244994945"), (X, "follow"), _me((X,))),
        Step("get_tweet", lambda c: c.get_tweet("1460323737035677698"), (X, "view")),
        Step("search_recent", lambda c: c.search_recent_tweets("statistics"), (X, "view")),
        Step("users_tweets", lambda c: c.get_users_tweets("2244994945"), (X, "view")),
        Step("dm", lambda c: c.create_direct_message(participant_id="2244994945", text="hello"), (X, "message")),
    )),
    Scenario("tweepy-v11-more", "tweepy", libs.tweepy_api, (
        Step("reply", lambda a: a.update_status("thanks", in_reply_to_status_id=1460323737035677698), (X, "comment")),
        Step("destroy", lambda a: a.destroy_status(1460323737035677698), (X, "delete")),
        Step("retweet", lambda a: a.retweet(1460323737035677698), (X, "share")),
        Step("home_timeline", lambda a: a.home_timeline(), (X, "view")),
        Step("verify_credentials", lambda a: a.verify_credentials(), (X, "view")),
        Step("media_upload", lambda a: a.simple_upload(_png()), (X, "upload")),
    )),
    Scenario("twikit-more", "twikit", libs.twikit_client, (
        Step("unfavorite", lambda c: c.unfavorite_tweet("1460323737035677698"), (X, "react")),
        Step("user_by_name", lambda c: c.get_user_by_screen_name("nasa"), (X, "view")),
        Step("tweet_by_id", lambda c: c.get_tweet_by_id("1460323737035677698"), (X, "view")),
        Step("unfollow", lambda c: c.unfollow_user("11348282"), (X, "follow")),
        Step("notifications", lambda c: c.get_notifications("All"), (X, "view")),
        Step("reply", lambda c: c.create_tweet("agreed", reply_to="1460323737035677698"), (X, "comment")),
    )),
    Scenario("mastodon-unknown-server", "Mastodon.py", lambda: libs.mastodon_anonymous(FEDI), (
        Step("create_app", lambda m: __import__("mastodon").Mastodon.create_app(
            "corpus", api_base_url=FEDI), (MASTO, "login")),
        Step("instance", lambda m: m.instance(), (MASTO, "view")),
        Step("public_timeline", lambda m: m.timeline_public(), (MASTO, "view")),
    )),
    Scenario("mastodon-unknown-server-user", "Mastodon.py", lambda: libs.mastodon(FEDI), (
        Step("media", lambda m: m.media_post(io.BytesIO(PNG), mime_type="image/png"), (MASTO, "upload")),
        Step("unfavourite", lambda m: m.status_unfavourite("109"), (MASTO, "react")),
        Step("unfollow", lambda m: m.account_unfollow("77"), (MASTO, "follow")),
        Step("conversations", lambda m: m.conversations(), (MASTO, "view")),
        Step("edit", lambda m: m.status_update("109", "fixed a typo"), (MASTO, "edit")),
        Step("account_search", lambda m: m.account_search("statcan"), (MASTO, "view")),
        Step("notifications", lambda m: m.notifications(), (MASTO, "view")),
        Step("bookmarks", lambda m: m.bookmarks(), (MASTO, "view")),
        Step("direct", lambda m: m.status_post("@friend@example.social see you", visibility="direct"), (MASTO, "message")),
    )),
    Scenario("atproto-more", "atproto", libs.atproto_client, (
        Step("send_image", lambda c: c.send_image(text="chart", image=PNG, image_alt="chart"), (BSKY, "upload")),
        Step("delete_repost", lambda c: c.unrepost(
            "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.repost/3krepost"), (BSKY, "react")),
        Step("unfollow", lambda c: c.unfollow(
            "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.graph.follow/3kfollow"), (BSKY, "follow")),
        Step("get_profile", lambda c: c.get_profile("nasa.gov"), (BSKY, "view")),
        Step("author_feed", lambda c: c.get_author_feed("nasa.gov"), (BSKY, "view")),
        Step("thread", lambda c: c.get_post_thread("at://did:plc:zzzz/app.bsky.feed.post/3kq"), (BSKY, "view")),
    )),
    Scenario("praw-more", "praw", libs.praw_reddit, (
        Step("comment_reply", lambda r: r.comment(id="k2abc").reply("same here"), (REDDIT, "comment")),
        Step("downvote", lambda r: r.submission(id="1abcde").downvote(), (REDDIT, "react")),
        Step("edit", lambda r: r.submission(id="1abcde").edit("updated text"), (REDDIT, "edit")),
        Step("unsubscribe", lambda r: r.subreddit("statistics").unsubscribe(), (REDDIT, "follow")),
        Step("delete", lambda r: r.submission(id="1abcde").delete(), (REDDIT, "delete")),
        Step("new", lambda r: list(r.subreddit("statistics").new(limit=3)), (REDDIT, "view")),
        Step("inbox", lambda r: list(r.inbox.unread(limit=3)), (REDDIT, "view")),
    ), ),
    Scenario("tumblr-more", "pytumblr", libs.tumblr, (
        Step("link", lambda t: t.create_link("corpusblog", url="https://www.statcan.gc.ca/", title="data"),
             (TUMBLR, "post")),
        Step("quote", lambda t: t.create_quote("corpusblog", quote="Data is a public good", source="us"),
             (TUMBLR, "post")),
        Step("unlike", lambda t: t.unlike(123456, "rk"), (TUMBLR, "react")),
        Step("unfollow", lambda t: t.unfollow("otherblog"), (TUMBLR, "follow")),
        Step("posts", lambda t: t.posts("otherblog"), (TUMBLR, "view")),
        Step("photo", lambda t: t.create_photo("corpusblog", data=_png(), caption="chart"), (TUMBLR, "upload")),
        Step("edit", lambda t: t.edit_post("corpusblog", id=123456, type="text", body="fixed"), (TUMBLR, "edit")),
    )),
    Scenario("youtube-more", "google-api-python-client", libs.youtube, (
        Step("comment_threads", lambda y: y.commentThreads().list(part="snippet", videoId="dQw4w9WgXcQ").execute(),
             (YT, "view")),
        Step("reply", lambda y: y.comments().insert(part="snippet", body={
            "snippet": {"parentId": "Ugz123", "textOriginal": "thanks"}}).execute(), (YT, "comment")),
        Step("unsubscribe", lambda y: y.subscriptions().delete(id="sub123").execute(), (YT, "follow")),
        Step("update_video", lambda y: y.videos().update(part="snippet", body={
            "id": "vid1", "snippet": {"title": "new title", "categoryId": "22"}}).execute(), (YT, "edit")),
        Step("playlists", lambda y: y.playlists().list(part="snippet", mine=True).execute(), (YT, "view")),
        Step("channels", lambda y: y.channels().list(part="snippet", id="UC_x5XG1OV2P6uZZ5FSM9Ttw").execute(),
             (YT, "view")),
        Step("upload", lambda y: y.videos().insert(part="snippet", body={"snippet": {"title": "clip"}},
             media_body=__import__("googleapiclient.http", fromlist=["x"]).MediaIoBaseUpload(
                 io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64), mimetype="video/mp4")).execute(),
             (YT, "upload")),
    )),
    Scenario("linkedin-more", "linkedin-api", lambda: libs.linkedin(authenticate=False), (
        Step("conversations", lambda li: li.get_conversations(), (LI, "view")),
        Step("remove_connection", lambda li: li.remove_connection("john-doe-123"), (LI, "follow")),
        Step("search_people", lambda li: li.search_people(keywords="statistician", limit=1), (LI, "view")),
        Step("profile_posts", lambda li: li.get_profile_posts(urn_id="ACoAAA123", post_count=1), (LI, "view")),
        Step("unfollow", lambda li: li.unfollow_entity("urn:li:member:123"), (LI, "follow")),
    )),
    Scenario("instagrapi-more", "instagrapi", lambda: libs.instagram(login=False), (
        Step("unlike", lambda c: c.media_unlike("3100000000000000001_1"), (IG, "react")),
        Step("comment_like", lambda c: c.comment_like(17900000000000001), (IG, "react")),
        Step("unfollow", lambda c: c.user_unfollow("25025320"), (IG, "follow")),
        Step("edit", lambda c: c.media_edit("3100000000000000001_1", "new caption"), (IG, "edit"),
             (("/media/3100000000000000001_1/info", (IG, "view")),)),
        Step("reels_tray", lambda c: c.get_reels_tray_feed(), (IG, "view")),
    )),
    Scenario("telegram-more", "python-telegram-bot", libs.telegram_bot, (
        Step("document", lambda b: b.send_document(1, document=io.BytesIO(b"%PDF-1.4\n"), filename="a.pdf"),
             (TG, "upload")),
        Step("copy", lambda b: b.copy_message(chat_id=2, from_chat_id=1, message_id=5), (TG, "share")),
        Step("get_chat", lambda b: b.get_chat(1), (TG, "view")),
    )),
    Scenario("discord-more", "discord.py", libs.discord_http, (
        Step("login", lambda h: h.static_login("corpus.token.value"), (DC, "login")),
        Step("remove_reaction", lambda h: h.remove_own_reaction(111, 222, "%F0%9F%91%8D"), (DC, "react")),
        Step("get_channel", lambda h: h.get_channel(111), (DC, "view")),
    )),
    Scenario("browser-heldout", "browser", libs.browser, (
        Step("threads_home", lambda s: libs.navigate(s, "https://www.threads.net/"), ("threads", "view")),
        Step("bsky_app", lambda s: libs.navigate(s, "https://bsky.app/profile/nasa.gov"), (BSKY, "view")),
        Step("tiktok_foryou", lambda s: libs.navigate(s, "https://www.tiktok.com/foryou"), ("tiktok", "view")),
        Step("youtube_like", lambda s: libs.xhr(s, "POST", "https://www.youtube.com/youtubei/v1/like/like?prettyPrint=false",
             "https://www.youtube.com", json={"context": {"client": {"clientName": "WEB"}},
                                              "target": {"videoId": "dQw4w9WgXcQ"}}), (YT, "react")),
        Step("instagram_web_like", lambda s: libs.xhr(s, "POST", "https://www.instagram.com/api/v1/web/likes/3100000000000000001/like/",
             "https://www.instagram.com", headers={"x-ig-app-id": "936619743392459"}), (IG, "react")),
        Step("reddit_old_vote", lambda s: libs.xhr(s, "POST", "https://old.reddit.com/api/vote", "https://old.reddit.com",
             data={"id": "t3_1abcde", "dir": "1", "uh": "modhash"}), (REDDIT, "react")),
        Step("statcan", lambda s: libs.navigate(s, "https://www150.statcan.gc.ca/t1/tbl1/en/tv.action?pid=1810000401"),
             NON_SOCIAL),
        Step("gitlab_api", lambda s: libs.xhr(s, "POST", "https://gitlab.agency.example/api/v4/projects/5/issues",
             "https://gitlab.agency.example", json={"title": "bug"}), NON_SOCIAL),
        Step("weather", lambda s: libs.navigate(s, "https://weather.gc.ca/city/pages/on-118_metric_e.html"), NON_SOCIAL),
    )),
)
