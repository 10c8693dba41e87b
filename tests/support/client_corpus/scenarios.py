"""TUNING part of the corpus: rules may be written against what these scenarios send."""

from __future__ import annotations

import io

from . import libs
from .model import NON_SOCIAL, Scenario, Step

X, MASTO, BSKY, REDDIT, TUMBLR, YT, LI, IG, TG, DC = ("x", "mastodon", "bluesky", "reddit", "tumblr", "youtube",
                                                      "linkedin", "instagram", "telegram", "discord")
FEDI = "https://fedi.lakeshore-hub.example"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _png(tmp="/tmp/socialguard-corpus-tuning.png"):
    with open(tmp, "wb") as f:
        f.write(PNG)
    return tmp


def _jpeg(tmp="/tmp/socialguard-corpus-tuning.jpg"):
    from PIL import Image
    Image.new("RGB", (320, 320), (30, 90, 160)).save(tmp, "JPEG")
    return tmp


_ME = (("/2/users/me", (X, "view")),)


def _tweepy_oauth1():
    import tweepy
    return tweepy.OAuth1UserHandler("ck", "cs", callback="oob")


def _tweepy_access(h):
    h.request_token = {"oauth_token": "rt", "oauth_token_secret": "rs"}
    return h.get_access_token("verifier")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("tweepy-oauth", "tweepy", _tweepy_oauth1, (
        Step("request_token", lambda h: h.get_authorization_url(), (X, "login")),
        Step("access_token", _tweepy_access, (X, "login")),
        Step("app_token", lambda h: __import__("tweepy").OAuth2AppHandler("ck", "cs"), (X, "login")),
    )),
    Scenario("tweepy-v2", "tweepy", libs.tweepy_client, (
        Step("post", lambda c: c.create_tweet(text="New data release today"), (X, "post")),
        Step("reply", lambda c: c.create_tweet(text="thanks!", in_reply_to_tweet_id="1460323737035677698"),
             (X, "comment")),
        Step("like", lambda c: c.like("1460323737035677698"), (X, "react"), _ME),
        Step("retweet", lambda c: c.retweet("1460323737035677698"), (X, "share"), _ME),
        Step("follow", lambda c: c.follow_user("2244994945"), (X, "follow"), _ME),
        Step("delete", lambda c: c.delete_tweet("1460323737035677698"), (X, "delete")),
        Step("home", lambda c: c.get_home_timeline(), (X, "view"), _ME),
        Step("me", lambda c: c.get_me(), (X, "view")),
    )),
    Scenario("tweepy-v11", "tweepy", libs.tweepy_api, (
        Step("update_status", lambda a: a.update_status("hello"), (X, "post")),
        Step("favorite", lambda a: a.create_favorite(1460323737035677698), (X, "react")),
        Step("user_timeline", lambda a: a.user_timeline(screen_name="nasa"), (X, "view")),
    )),
    Scenario("twikit-login", "twikit", libs.twikit_client, (
        Step("login", lambda c: c.login(auth_info_1="corpus", password="pw", enable_ui_metrics=False), (X, "login")),
    )),
    Scenario("twikit", "twikit", libs.twikit_client, (
        Step("post", lambda c: c.create_tweet("New data release"), (X, "post")),
        Step("favorite", lambda c: c.favorite_tweet("1460323737035677698"), (X, "react")),
        Step("retweet", lambda c: c.retweet("1460323737035677698"), (X, "share")),
        Step("follow", lambda c: c.follow_user("11348282"), (X, "follow")),
        Step("delete", lambda c: c.delete_tweet("1460323737035677698"), (X, "delete")),
        Step("timeline", lambda c: c.get_timeline(), (X, "view")),
        Step("dm", lambda c: c.send_dm("11348282", "hello"), (X, "message"),
             (("/account/settings.json", (X, "view")),)),
        Step("search", lambda c: c.search_tweet("statistics", "Latest"), (X, "view")),
    )),
    Scenario("mastodon-login", "Mastodon.py", lambda: libs.mastodon_anonymous("https://mastodon.social"), (
        Step("create_app", lambda m: __import__("mastodon").Mastodon.create_app(
            "corpus", api_base_url="https://mastodon.social"), (MASTO, "login")),
        Step("log_in", lambda m: __import__("mastodon").Mastodon(
            client_id="cid", client_secret="csec", api_base_url="https://mastodon.social",
            version_check_mode="none").log_in("a@example.invalid", "pw"), (MASTO, "login"),
             (("/.well-known/", (MASTO, "view")),)),
    )),
    Scenario("mastodon", "Mastodon.py", lambda: libs.mastodon("https://mastodon.social"), (
        Step("post", lambda m: m.status_post("New data release"), (MASTO, "post")),
        Step("reply", lambda m: m.status_post("thanks", in_reply_to_id="109"), (MASTO, "comment")),
        Step("favourite", lambda m: m.status_favourite("109"), (MASTO, "react")),
        Step("reblog", lambda m: m.status_reblog("109"), (MASTO, "share")),
        Step("follow", lambda m: m.account_follow("77"), (MASTO, "follow")),
        Step("delete", lambda m: m.status_delete("109"), (MASTO, "delete")),
        Step("home", lambda m: m.timeline_home(), (MASTO, "view")),
        Step("notifications", lambda m: m.notifications(), (MASTO, "view")),
        Step("lookup", lambda m: m.account_lookup("statcan"), (MASTO, "view")),
        Step("search", lambda m: m.search_v2("statistics"), (MASTO, "view")),
        Step("instance", lambda m: m.instance(), (MASTO, "view")),
    )),
    Scenario("mastodon-unknown-server", "Mastodon.py", lambda: libs.mastodon_anonymous(FEDI), (
        Step("create_app", lambda m: __import__("mastodon").Mastodon.create_app("corpus", api_base_url=FEDI),
             (MASTO, "login")),
        Step("instance", lambda m: m.instance(), (MASTO, "view")),
        Step("oauth_meta", lambda m: m.oauth_authorization_server_info(), (MASTO, "view")),
    )),
    Scenario("mastodon-unknown-server-user", "Mastodon.py", lambda: libs.mastodon(FEDI), (
        Step("notifications", lambda m: m.notifications(), (MASTO, "view")),
        Step("lookup", lambda m: m.account_lookup("statcan"), (MASTO, "view")),
        Step("search", lambda m: m.search_v2("statistics"), (MASTO, "view")),
        Step("post", lambda m: m.status_post("hello fediverse"), (MASTO, "post")),
        Step("favourite", lambda m: m.status_favourite("109"), (MASTO, "react")),
    )),
    Scenario("atproto", "atproto", libs.atproto_client, (
        Step("post", lambda c: c.send_post("New data release"), (BSKY, "post")),
        Step("like", lambda c: c.like("at://did:plc:zzzz/app.bsky.feed.post/3kq", "bafyreia"), (BSKY, "react")),
        Step("repost", lambda c: c.repost("at://did:plc:zzzz/app.bsky.feed.post/3kq", "bafyreia"), (BSKY, "share")),
        Step("follow", lambda c: c.follow("did:plc:zzzz"), (BSKY, "follow")),
        Step("unlike", lambda c: c.unlike("at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.like/3klike"),
             (BSKY, "react")),
        Step("delete_post", lambda c: c.delete_post("at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabc"),
             (BSKY, "delete")),
        Step("timeline", lambda c: c.get_timeline(), (BSKY, "view")),
        Step("reply", lambda c: c.send_post("agreed", reply_to=__import__("atproto").models.AppBskyFeedPost.ReplyRef(
            parent={"uri": "at://did:plc:zzzz/app.bsky.feed.post/3kq", "cid": "bafyreia"},
            root={"uri": "at://did:plc:zzzz/app.bsky.feed.post/3kq", "cid": "bafyreia"})), (BSKY, "comment")),
        Step("quote", lambda c: c.send_post("look", embed=__import__("atproto").models.AppBskyEmbedRecord.Main(
            record={"uri": "at://did:plc:zzzz/app.bsky.feed.post/3kq", "cid": "bafyreia"})), (BSKY, "share")),
    )),
    Scenario("praw", "praw", libs.praw_reddit, (
        Step("submit", lambda r: r.subreddit("statistics").submit("New data", selftext="out today"), (REDDIT, "post"),
             (("/api/v1/access_token", (REDDIT, "login")),)),
        Step("comment", lambda r: r.submission(id="1abcde").reply("thanks"), (REDDIT, "comment")),
        Step("upvote", lambda r: r.submission(id="1abcde").upvote(), (REDDIT, "react")),
        Step("subscribe", lambda r: r.subreddit("python").subscribe(), (REDDIT, "follow")),
        Step("edit", lambda r: r.comment(id="k2abc").edit("edited"), (REDDIT, "edit")),
        Step("delete", lambda r: r.comment(id="k2abc").delete(), (REDDIT, "delete")),
        Step("message", lambda r: r.redditor("spez").message(subject="hi", message="hello"), (REDDIT, "message")),
        Step("hot", lambda r: list(r.subreddit("python").hot(limit=3)), (REDDIT, "view")),
        Step("me", lambda r: r.user.me(), (REDDIT, "view")),
    )),
    Scenario("tumblr", "pytumblr", libs.tumblr, (
        Step("text", lambda t: t.create_text("corpusblog", state="published", body="hello"), (TUMBLR, "post")),
        Step("photo", lambda t: t.create_photo("corpusblog", data=_png()), (TUMBLR, "upload")),
        Step("reblog", lambda t: t.reblog("corpusblog", id=123456, reblog_key="rk"), (TUMBLR, "share")),
        Step("like", lambda t: t.like(123456, "rk"), (TUMBLR, "react")),
        Step("follow", lambda t: t.follow("otherblog"), (TUMBLR, "follow")),
        Step("delete", lambda t: t.delete_post("corpusblog", 123456), (TUMBLR, "delete")),
        Step("dashboard", lambda t: t.dashboard(), (TUMBLR, "view")),
        Step("info", lambda t: t.info(), (TUMBLR, "view")),
    )),
    Scenario("youtube", "google-api-python-client", libs.youtube, (
        Step("videos_list", lambda y: y.videos().list(part="snippet", id="dQw4w9WgXcQ").execute(), (YT, "view")),
        Step("comment", lambda y: y.commentThreads().insert(part="snippet", body={"snippet": {
            "videoId": "dQw4w9WgXcQ", "topLevelComment": {"snippet": {"textOriginal": "great"}}}}).execute(),
             (YT, "comment")),
        Step("rate", lambda y: y.videos().rate(id="dQw4w9WgXcQ", rating="like").execute(), (YT, "react")),
        Step("subscribe", lambda y: y.subscriptions().insert(part="snippet", body={"snippet": {"resourceId": {
            "kind": "youtube#channel", "channelId": "UC_x5XG1OV2P6uZZ5FSM9Ttw"}}}).execute(), (YT, "follow")),
        Step("delete_comment", lambda y: y.comments().delete(id="Ugz123").execute(), (YT, "delete")),
        Step("search", lambda y: y.search().list(q="statistics", part="snippet").execute(), (YT, "view")),
    )),
    Scenario("linkedin-login", "linkedin-api", lambda: None, (
        Step("login", lambda _: libs.linkedin(authenticate=True), (LI, "login"),
             (("/uas/", (LI, "login")),)),
    )),
    Scenario("linkedin", "linkedin-api", lambda: libs.linkedin(authenticate=False), (
        Step("profile", lambda li: li.get_profile("john-doe-123"), (LI, "view")),
        Step("message", lambda li: li.send_message("hello", recipients=["ACoAAA123"]), (LI, "message")),
        Step("react", lambda li: li.react_to_post("7000000000000000000", "LIKE"), (LI, "react")),
        Step("follow_company", lambda li: li.follow_company("urn:li:fsd_followingState:urn:li:fsd_company:1"),
             (LI, "follow")),
        Step("connect", lambda li: li.add_connection("jane-doe-456"), (LI, "follow"),
             (("/identity/profiles/", (LI, "view")),)),
        Step("feed", lambda li: li.get_feed_posts(limit=1), (LI, "view")),
    )),
    Scenario("instagrapi-login", "instagrapi", lambda: libs.instagram(login=True), (
        Step("login", lambda c: c.login("corpus_user", "pw"), (IG, "login"),
             (("feed/timeline", (IG, "view")), ("feed/reels_tray", (IG, "view")),
              ("launcher/sync", (IG, "view")))),
    )),
    Scenario("instagrapi-login-legacy", "instagrapi", lambda: libs.instagram(login=True), (
        Step("login_legacy", lambda c: c.login_legacy("corpus_user", "pw"), (IG, "login"),
             (("feed/timeline", (IG, "view")), ("feed/reels_tray", (IG, "view")), ("launcher/sync", (IG, "view")),
              ("qe/sync", (IG, "view")))),
    )),
    Scenario("instagrapi", "instagrapi", lambda: libs.instagram(login=False), (
        Step("like", lambda c: c.media_like("3100000000000000001_1"), (IG, "react")),
        Step("comment", lambda c: c.media_comment("3100000000000000001_1", "nice"), (IG, "comment")),
        Step("follow", lambda c: c.user_follow("25025320"), (IG, "follow"),
             (("/friendships/show/", (IG, "view")),)),
        Step("delete", lambda c: c.media_delete("3100000000000000001_1"), (IG, "delete")),
        Step("timeline", lambda c: c.get_timeline_feed(), (IG, "view")),
        Step("direct", lambda c: c.direct_send("hello", user_ids=[25025320]), (IG, "message")),
        Step("photo", lambda c: c.photo_upload(_jpeg(), "caption"), (IG, "upload"), (("/feed/user/", (IG, "view")),)),
    )),
    Scenario("telegram", "python-telegram-bot", libs.telegram_bot, (
        Step("get_me", lambda b: b.get_me(), (TG, "view")),
        Step("send_message", lambda b: b.send_message(1, "hello"), (TG, "message")),
        Step("send_photo", lambda b: b.send_photo(1, photo=PNG), (TG, "upload")),
        Step("edit", lambda b: b.edit_message_text("fixed", chat_id=1, message_id=5), (TG, "edit")),
        Step("delete", lambda b: b.delete_message(1, 5), (TG, "delete")),
        Step("react", lambda b: b.set_message_reaction(1, 5, "👍"), (TG, "react")),
        Step("forward", lambda b: b.forward_message(2, 1, 5), (TG, "share")),
        Step("updates", lambda b: b.get_updates(), (TG, "view")),
    )),
    Scenario("discord", "discord.py", libs.discord_http, (
        # static_login only reads /users/@me with the token it was given: on the wire a profile read.
        Step("login", lambda h: h.static_login("corpus.token.value"), (DC, "view")),
        Step("send", lambda h: h.send_message(111, params=__import__("discord").http.handle_message_parameters(
            content="hello")), (DC, "message")),
        Step("react", lambda h: h.add_reaction(111, 222, "%F0%9F%91%8D"), (DC, "react")),
        Step("edit", lambda h: h.edit_message(111, 222, params=__import__("discord").http.handle_message_parameters(
            content="fixed")), (DC, "edit")),
        Step("delete", lambda h: h.delete_message(111, 222), (DC, "delete")),
        Step("history", lambda h: h.logs_from(111, 10), (DC, "view")),
    )),
    Scenario("browser", "browser", libs.browser, (
        Step("x_home", lambda s: libs.navigate(s, "https://x.com/home"), (X, "view")),
        Step("x_create", lambda s: libs.xhr(s, "POST", "https://x.com/i/api/graphql/abc123/CreateTweet", "https://x.com",
             json={"variables": {"tweet_text": "hi"}, "queryId": "abc123"}), (X, "post")),
        Step("fb_home", lambda s: libs.navigate(s, "https://www.facebook.com/"), ("facebook", "view")),
        Step("fb_react", lambda s: libs.xhr(s, "POST", "https://www.facebook.com/api/graphql/", "https://www.facebook.com",
             data={"fb_api_req_friendly_name": "CometUFIFeedbackReactMutation", "doc_id": "1",
                   "variables": '{"input":{"feedback_id":"ZmVlZGJhY2s6MQ==","feedback_reaction_id":"1635855486666999"}}'}),
             ("facebook", "react")),
        Step("ig_home", lambda s: libs.navigate(s, "https://www.instagram.com/"), (IG, "view")),
        Step("reddit_page", lambda s: libs.navigate(s, "https://www.reddit.com/r/python/"), (REDDIT, "view")),
        Step("reddit_shreddit_comment", lambda s: libs.xhr(
            s, "POST", "https://www.reddit.com/svc/shreddit/t3_1abcde/create-comment", "https://www.reddit.com",
            data={"content": '{"document":[]}', "mode": "richText", "csrf_token": "x"}), (REDDIT, "comment")),
        Step("linkedin_feed", lambda s: libs.navigate(s, "https://www.linkedin.com/feed/"), (LI, "view")),
        Step("mastodon_home", lambda s: libs.navigate(s, "https://mastodon.social/home"), (MASTO, "view")),
        Step("mastodon_web_login", lambda s: libs.xhr(s, "POST", "https://mastodon.social/auth/sign_in",
             "https://mastodon.social", data={"user[email]": "a@example.invalid", "user[password]": "pw"}),
             (MASTO, "login")),
        Step("news", lambda s: libs.navigate(s, "https://www.cbc.ca/news"), NON_SOCIAL),
        Step("search_engine", lambda s: libs.navigate(s, "https://duckduckgo.com/?q=statistics"), NON_SOCIAL),
        Step("intranet_api", lambda s: libs.xhr(s, "POST", "https://intranet.agency.example/api/v1/orders",
             "https://intranet.agency.example", json={"item": "paper"}), NON_SOCIAL),
    )),
)
