"""SECOND HELD-OUT part, written after the first held-out part was scored (and so became tuning material) and
before any rule was changed for it; scored only at the end. Other calls, another unknown server, other pages."""

from __future__ import annotations

import io

from . import libs
from .model import NON_SOCIAL, Scenario, Step

X, MASTO, BSKY, REDDIT, TUMBLR, YT, LI, IG, TG, DC = ("x", "mastodon", "bluesky", "reddit", "tumblr", "youtube",
                                                      "linkedin", "instagram", "telegram", "discord")
FEDI = "https://social.harbourfront-arts.example"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 128


def _mp4(tmp="/tmp/socialguard-corpus-heldout2.mp4"):
    with open(tmp, "wb") as f:
        f.write(MP4)
    return tmp


def _praw_auth(r):
    r._core._authorizer.refresh()


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("tweepy-v2-third", "tweepy", libs.tweepy_client, (
        Step("liking_users", lambda c: c.get_liking_users("1460323737035677698"), (X, "view")),
        Step("quote_tweets", lambda c: c.get_quote_tweets("1460323737035677698"), (X, "view")),
        Step("poll", lambda c: c.create_tweet(text="Which table next?", poll_options=["A", "B"],
                                               poll_duration_minutes=60), (X, "post")),
        Step("follow_list", lambda c: c.follow_list("84839422"), (X, "follow"), (("/2/users/me", (X, "view")),)),
        Step("list_tweets", lambda c: c.get_list_tweets("84839422"), (X, "view")),
        Step("unretweet", lambda c: c.unretweet("1460323737035677698"), (X, "share"), (("/2/users/me", (X, "view")),)),
    )),
    Scenario("twikit-third", "twikit", libs.twikit_client, (
        Step("user_tweets", lambda c: c.get_user_tweets("11348282", "Tweets"), (X, "view")),
        Step("search_user", lambda c: c.search_user("statistics"), (X, "view")),
        Step("trends", lambda c: c.get_trends("trending"), (X, "view")),
        Step("join_community", lambda c: c.join_community("1500000000000000000"), (X, "follow")),
        Step("delete_dm", lambda c: c.delete_dm("1700000000000000000"), (X, "delete")),
    )),
    Scenario("mastodon-third-server", "Mastodon.py", lambda: libs.mastodon_anonymous(FEDI), (
        Step("create_app", lambda m: __import__("mastodon").Mastodon.create_app("corpus2", api_base_url=FEDI),
             (MASTO, "login")),
        Step("instance", lambda m: m.instance(), (MASTO, "view")),
    )),
    Scenario("mastodon-third-server-user", "Mastodon.py", lambda: libs.mastodon(FEDI), (
        Step("account_statuses", lambda m: m.account_statuses("77"), (MASTO, "view")),
        Step("context", lambda m: m.status_context("109"), (MASTO, "view")),
        Step("reblog", lambda m: m.status_reblog("109"), (MASTO, "share")),
        Step("reply", lambda m: m.status_post("congratulations", in_reply_to_id="109"), (MASTO, "comment")),
        Step("authorize", lambda m: m.follow_request_authorize("88"), (MASTO, "follow")),
        Step("delete", lambda m: m.status_delete("110"), (MASTO, "delete")),
    )),
    Scenario("atproto-third", "atproto", libs.atproto_client, (
        Step("likes", lambda c: c.get_likes("at://did:plc:zzzz/app.bsky.feed.post/3kq"), (BSKY, "view")),
        Step("follows", lambda c: c.get_follows("nasa.gov"), (BSKY, "view")),
        Step("like", lambda c: c.like("at://did:plc:zzzz/app.bsky.feed.post/3kr", "bafyreib"), (BSKY, "react")),
        Step("post_langs", lambda c: c.send_post("Bonjour", langs=["fr"]), (BSKY, "post")),
    )),
    Scenario("praw-third", "praw", libs.praw_reddit, (
        Step("token", _praw_auth, (REDDIT, "login")),
        Step("link_post", lambda r: r.subreddit("statistics").submit("Our new table", url="https://example.org/t"),
             (REDDIT, "post")),
        Step("comment_upvote", lambda r: r.comment(id="k2abc").upvote(), (REDDIT, "react")),
        Step("friend", lambda r: r.redditor("someone").friend(), (REDDIT, "follow")),
        Step("crosspost", lambda r: r.submission(id="1abcde").crosspost("dataisbeautiful"), (REDDIT, "share")),
        Step("top", lambda r: list(r.subreddit("statistics").top(limit=3)), (REDDIT, "view")),
    )),
    Scenario("tumblr-third", "pytumblr", libs.tumblr, (
        Step("video", lambda t: t.create_video("corpusblog", data=_mp4(), caption="clip"), (TUMBLR, "upload")),
        Step("chat", lambda t: t.create_chat("corpusblog", conversation="A: hi\nB: hello"), (TUMBLR, "post")),
        Step("followers", lambda t: t.followers("corpusblog"), (TUMBLR, "view")),
        Step("likes", lambda t: t.likes(), (TUMBLR, "view")),
        Step("drafts", lambda t: t.drafts("corpusblog"), (TUMBLR, "view")),
    )),
    Scenario("youtube-third", "google-api-python-client", libs.youtube, (
        Step("dislike", lambda y: y.videos().rate(id="dQw4w9WgXcQ", rating="dislike").execute(), (YT, "react")),
        Step("comment_update", lambda y: y.comments().update(part="snippet", body={
            "id": "Ugz123", "snippet": {"textOriginal": "edited"}}).execute(), (YT, "edit")),
        Step("video_delete", lambda y: y.videos().delete(id="vid1").execute(), (YT, "delete")),
        Step("playlist_items", lambda y: y.playlistItems().list(part="snippet", playlistId="PL1").execute(),
             (YT, "view")),
        Step("subscriptions", lambda y: y.subscriptions().list(part="snippet", mine=True).execute(), (YT, "view")),
    )),
    Scenario("linkedin-third", "linkedin-api", lambda: libs.linkedin(authenticate=False), (
        Step("company", lambda li: li.get_company("statistics-canada"), (LI, "view")),
        Step("contact_info", lambda li: li.get_profile_contact_info("john-doe-123"), (LI, "view")),
        Step("invitations", lambda li: li.get_invitations(), (LI, "view")),
        Step("reply_in_conversation", lambda li: li.send_message("thanks", conversation_urn_id="2-abc"),
             (LI, "message")),
    )),
    Scenario("instagrapi-third", "instagrapi", lambda: libs.instagram(login=False), (
        Step("comment_reply", lambda c: c.media_comment("3100000000000000001_1", "thanks!",
                                                        replied_to_comment_id=17900000000000001), (IG, "comment")),
        Step("like", lambda c: c.media_like("3100000000000000002_1"), (IG, "react")),
        Step("direct", lambda c: c.direct_send("see you", user_ids=[25025321]), (IG, "message")),
    )),
    Scenario("telegram-third", "python-telegram-bot", libs.telegram_bot, (
        Step("video", lambda b: b.send_video(1, video=MP4), (TG, "upload")),
        Step("caption", lambda b: b.edit_message_caption(chat_id=1, message_id=5, caption="new"), (TG, "edit")),
        Step("forward_many", lambda b: b.forward_messages(2, 1, [5, 6]), (TG, "share")),
        Step("member", lambda b: b.get_chat_member(1, 2), (TG, "view")),
    )),
    Scenario("discord-third", "discord.py", libs.discord_http, (
        # The HTTP client has no session before static_login (a GET of one's own profile: a view).
        Step("login", lambda h: h.static_login("corpus.token.value"), (DC, "view")),
        Step("send", lambda h: h.send_message(333, params=__import__("discord").http.handle_message_parameters(
            content="meeting at 3")), (DC, "message")),
        Step("react", lambda h: h.add_reaction(333, 444, "%E2%9C%85"), (DC, "react")),
        Step("message", lambda h: h.get_message(333, 444), (DC, "view")),
    )),
    Scenario("browser-heldout2", "browser", libs.browser, (
        Step("x_web_like", lambda s: libs.xhr(s, "POST", "https://x.com/i/api/graphql/lI07N6Otwv1PhnEgXILM7A/FavoriteTweet",
             "https://x.com", json={"variables": {"tweet_id": "1460323737035677698"}, "queryId": "lI07N6Otwv1PhnEgXILM7A"}),
             (X, "react")),
        Step("fb_comment", lambda s: libs.xhr(s, "POST", "https://www.facebook.com/api/graphql/", "https://www.facebook.com",
             data={"fb_api_req_friendly_name": "useCometUFICreateCommentMutation", "doc_id": "2",
                   "variables": '{"input":{"feedback_id":"ZmVlZGJhY2s6OTk=","message":{"text":"nice"}}}'}),
             ("facebook", "comment")),
        Step("linkedin_notifications", lambda s: libs.navigate(s, "https://www.linkedin.com/notifications/"), (LI, "view")),
        Step("yt_web_comment", lambda s: libs.xhr(s, "POST", "https://www.youtube.com/youtubei/v1/comment/create_comment",
             "https://www.youtube.com", json={"context": {}, "createCommentParams": "Eg0SC2RRdzR3OVdnWGNR",
                                              "commentText": "great"}), (YT, "comment")),
        Step("tiktok_web_comment", lambda s: libs.xhr(s, "POST", "https://www.tiktok.com/api/comment/publish/?aweme_id=7300000000000000000&text=nice",
             "https://www.tiktok.com"), ("tiktok", "comment")),
        Step("mastodon_web_fav", lambda s: libs.xhr(s, "POST", "https://mastodon.social/api/v1/statuses/109/favourite",
             "https://mastodon.social", headers={"authorization": "Bearer x"}), (MASTO, "react")),
        Step("python_docs", lambda s: libs.navigate(s, "https://docs.python.org/3/library/json.html"), NON_SOCIAL),
        Step("gitea_issue", lambda s: libs.xhr(s, "POST", "https://git.agency.example/api/v1/repos/team/app/issues",
             "https://git.agency.example", json={"title": "bug"}), NON_SOCIAL),
        Step("webmail", lambda s: libs.navigate(s, "https://outlook.office.com/mail/"), NON_SOCIAL),
    )),
)
