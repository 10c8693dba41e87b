"""Wire shapes of every catalog platform (and of traffic that is not social), with the classification each must get.

One table feeds both `tests/test_classify.py` (parametrized unit cases) and `tests/data/make_mixed_har.py` (the
mixed-traffic HAR whose accuracy `tests/test_har_accuracy.py` measures), so a new shape is one line here.
Shapes come from docs/WIRE.md and the public client libraries named there (instagrapi, praw, pytumblr,
Mastodon.py, atproto, twitchAPI, discord.py, linkedin-api, google-api-python-client, misskey.py, the Lemmy API).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import urlencode

NOT_SOCIAL = (None, None, None)


@dataclass(frozen=True)
class WireCase:
    id: str
    method: str
    url: str
    expect: tuple[str | None, str | None, bool | None]     # platform, activity, background
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    operation: str | None = None                            # expected operation name, when the wire has one

    @property
    def platform(self) -> str | None:
        return self.expect[0]

    def har_entry(self, started: str = "2026-11-25T14:00:00.000Z") -> dict:
        """This request as a HAR 1.2 entry (binary bodies base64, as browsers export them)."""
        headers = [{"name": k, "value": v} for k, v in self.headers]
        if self.content_type:
            headers.append({"name": "Content-Type", "value": self.content_type})
        request: dict = {"method": self.method, "url": self.url, "httpVersion": "HTTP/2", "headers": headers,
                         "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(self.body)}
        if self.body:
            try:
                post = {"mimeType": self.content_type or "", "text": self.body.decode("utf-8")}
            except UnicodeDecodeError:
                post = {"mimeType": self.content_type or "", "text": base64.b64encode(self.body).decode(),
                        "encoding": "base64"}
            request["postData"] = post
        return {"startedDateTime": started, "time": 42, "request": request,
                "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/2", "headers": [], "cookies": [],
                             "content": {"size": 0, "mimeType": "application/json"}, "redirectURL": "",
                             "headersSize": -1, "bodySize": 0},
                "cache": {}, "timings": {"send": 1, "wait": 40, "receive": 1}}

    def facts(self, **overrides):
        """RequestFacts exactly as `classify --har` would build them."""
        from dataclasses import replace

        from socialguard.har import parse_entry

        return replace(parse_entry(0, self.har_entry()).request, **overrides)


def case(id: str, method: str, url: str, platform: str | None, activity: str | None = None,
         background: bool | None = None, *, json_body=None, form=None, raw: bytes | None = None,
         content_type: str | None = None, headers: dict[str, str] | None = None, op: str | None = None) -> WireCase:
    body = b""
    ctype = content_type
    if json_body is not None:
        body = json.dumps(json_body).encode()
        ctype = "application/json" if content_type is None else content_type or None
    elif form is not None:
        body = urlencode(form).encode()
        ctype = content_type or "application/x-www-form-urlencoded"
    elif raw is not None:
        body = raw
    if platform is not None and background is None:
        background = False
    return WireCase(id, method, url, (platform, activity, background), body, ctype,
                    tuple((headers or {}).items()), op)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
FB_GQL = "https://www.facebook.com/api/graphql/"
IG_PRIVATE = "https://i.instagram.com/api/v1"


def _fb(name: str, variables: dict) -> dict:
    return {"av": "1000", "fb_api_caller_class": "RelayModern", "fb_api_req_friendly_name": name,
            "variables": json.dumps(variables), "doc_id": "7391234567890"}


def _signed(doc: dict) -> dict:
    return {"signed_body": "SIGNATURE." + json.dumps(doc)}


def _twitch(*names: str) -> list[dict]:
    return [{"operationName": n, "variables": {}, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}}
            for n in names]


CASES: list[WireCase] = [
    # ---------------------------------------------------------------- X
    case("x-home", "GET", "https://x.com/i/api/graphql/abc123/HomeTimeline?variables=%7B%7D", "x", "view", op="HomeTimeline"),
    case("x-post", "POST", "https://x.com/i/api/graphql/q1/CreateTweet", "x", "post",
         json_body={"variables": {"tweet_text": "lunch", "media": {"media_entities": []}}, "queryId": "q1"}, op="CreateTweet"),
    case("x-reply", "POST", "https://x.com/i/api/graphql/q1/CreateTweet", "x", "comment",
         json_body={"variables": {"tweet_text": "@StatCan_eng when is the CPI out?",
                                  "reply": {"in_reply_to_tweet_id": "1790000000000000000", "exclude_reply_user_ids": []}}}),
    case("x-like", "POST", "https://x.com/i/api/graphql/lI07N6Otwv1PhnEgXILM7A/FavoriteTweet", "x", "react",
         json_body={"variables": {"tweet_id": "1"}}),
    case("x-retweet", "POST", "https://x.com/i/api/graphql/ojPdsZsimiJrUGLR1sjUtA/CreateRetweet", "x", "share",
         json_body={"variables": {"tweet_id": "1"}}),
    case("x-dm", "POST", "https://x.com/i/api/1.1/dm/new2.json", "x", "message", json_body={"text": "hi"}),
    case("x-upload-init", "POST", "https://upload.x.com/i/media/upload.json?command=INIT&total_bytes=4096", "x", "upload"),
    case("x-upload-v11", "POST", "https://upload.twitter.com/1.1/media/upload.json", "x", "upload",
         form={"command": "APPEND", "media_id": "1", "segment_index": "0"}),
    case("x-v2-tweet", "POST", "https://api.x.com/2/tweets", "x", "post", json_body={"text": "hello"}),
    case("x-v2-like", "POST", "https://api.twitter.com/2/users/12/likes", "x", "react", json_body={"tweet_id": "1"}),
    case("x-cdn", "GET", "https://pbs.twimg.com/media/abc.jpg", "x", "view", True),
    case("x-badge", "GET", "https://x.com/i/api/2/badge_count/badge_count.json", "x", "view", True),
    case("x-unknown-op", "POST", "https://x.com/i/api/graphql/zz/PinTweetToProfile", "x", "unknown",
         json_body={"variables": {}}, op="PinTweetToProfile"),
    # ---------------------------------------------------------------- Facebook
    case("fb-home", "GET", "https://www.facebook.com/", "facebook", "view"),
    case("fb-feed-query", "POST", FB_GQL, "facebook", "view", form=_fb("CometNewsFeedPaginationQuery", {"count": 3}),
         op="CometNewsFeedPaginationQuery"),
    case("fb-post", "POST", FB_GQL, "facebook", "post",
         form=_fb("ComposerStoryCreateMutation", {"input": {"message": {"text": "weekend!"}, "actor_id": "1000"}})),
    case("fb-comment-header", "POST", FB_GQL, "facebook", "comment",
         form={"doc_id": "1", "variables": json.dumps({"input": {"feedback_id": "ZmVlZGJhY2s6MQ==",
                                                                 "message": {"text": "nice"}}})},
         headers={"x-fb-friendly-name": "CometUFICreateCommentMutation"}, op="CometUFICreateCommentMutation"),
    case("fb-react", "POST", FB_GQL, "facebook", "react",
         form=_fb("CometUFIFeedbackReactMutation", {"input": {"feedback_reaction_id": "1635855486666999"}})),
    case("fb-share", "POST", FB_GQL, "facebook", "share", form=_fb("CometShareNowMutation", {"input": {}})),
    case("fb-rupload", "POST", "https://rupload.facebook.com/fb_photo/abcdef", "facebook", "upload", raw=JPEG,
         content_type="image/jpeg", headers={"x-entity-length": "1034", "offset": "0"}),
    case("fb-graph-post", "POST", "https://graph.facebook.com/v19.0/1234/feed", "facebook", "post",
         form={"message": "Open data day"}),
    case("fb-graph-photo", "POST", "https://graph.facebook.com/v19.0/1234/photos", "facebook", "upload",
         form={"url": "https://example.org/a.jpg"}),
    case("fb-cdn", "GET", "https://scontent.xx.fbcdn.net/v/t39/1.jpg", "facebook", "view", True),
    case("fb-bz", "POST", "https://www.facebook.com/ajax/bz", "facebook", "view", True, form={"q": "[]"}),
    case("fb-unknown-op", "POST", FB_GQL, "facebook", "unknown", form=_fb("CometGroupJoinMutation", {}),
         op="CometGroupJoinMutation"),
    # ---------------------------------------------------------------- Messenger
    case("messenger-home", "GET", "https://www.messenger.com/t/123", "messenger", "view"),
    case("messenger-send", "POST", "https://www.messenger.com/api/graphql/", "messenger", "message",
         form=_fb("MWChatSendMessageMutation", {"message": "x"})),
    case("messenger-upload", "POST", "https://upload.messenger.com/ajax/mercury/upload.php", "messenger", "upload",
         raw=JPEG, content_type="image/jpeg"),
    case("messenger-socket", "GET", "https://edge-chat.messenger.com/chat?region=prn", "messenger", "view", True,
         headers={"upgrade": "websocket"}),
    # ---------------------------------------------------------------- Instagram
    case("ig-feed", "GET", f"{IG_PRIVATE}/feed/timeline/", "instagram", "view"),
    case("ig-rupload", "POST", "https://i.instagram.com/rupload_igphoto/1700000000_0_123", "instagram", "upload",
         raw=JPEG, content_type="application/octet-stream",
         headers={"x-instagram-rupload-params": json.dumps({"upload_id": "1700000000", "media_type": "1"}),
                  "x-entity-length": "1034", "offset": "0"}),
    case("ig-configure", "POST", f"{IG_PRIVATE}/media/configure/", "instagram", "post",
         form=_signed({"upload_id": "1700000000", "caption": "sunset"})),
    case("ig-comment", "POST", f"{IG_PRIVATE}/media/3100_25/comment/", "instagram", "comment",
         form=_signed({"comment_text": "@statcan_eng great chart"})),
    case("ig-like", "POST", f"{IG_PRIVATE}/media/3100_25/like/", "instagram", "react", form=_signed({"media_id": "3100_25"})),
    case("ig-dm", "POST", f"{IG_PRIVATE}/direct_v2/threads/broadcast/text/", "instagram", "message",
         form={"text": "hey", "thread_ids": "[1]"}),
    case("ig-cdn", "GET", "https://scontent-yyz1-1.cdninstagram.com/v/t51/1.jpg", "instagram", "view", True),
    case("ig-web-gql", "POST", "https://www.instagram.com/graphql/query", "instagram", "react",
         form=_fb("usePolarisLikeMediaLikeMutation", {"media_id": "1"})),
    case("ig-unknown", "POST", f"{IG_PRIVATE}/highlights/create_reel/", "instagram", "unknown", form={"a": "b"}),
    # ---------------------------------------------------------------- Threads
    case("threads-view", "GET", "https://www.threads.net/@zuck", "threads", "view"),
    case("threads-container", "POST", "https://graph.threads.net/v1.0/me/threads?media_type=TEXT&text=hello",
         "threads", "post"),
    case("threads-reply", "POST", "https://graph.threads.net/v1.0/me/threads?media_type=TEXT&reply_to_id=1789",
         "threads", "comment"),
    case("threads-publish", "POST", "https://graph.threads.net/v1.0/me/threads_publish?creation_id=1", "threads", "post"),
    case("threads-private-post", "POST", "https://www.threads.net/api/v1/media/configure_text_only_post/", "threads",
         "post", form=_signed({"caption": "first thread", "text_post_app_info": {"reply_control": 0}})),
    case("threads-private-reply", "POST", "https://www.threads.net/api/v1/media/configure_text_only_post/", "threads",
         "comment", form=_signed({"caption": "@statcan_eng agreed", "text_post_app_info": {"reply_id": "3100"}})),
    case("threads-gql-view", "POST", "https://www.threads.com/api/graphql", "threads", "view",
         form={"lsd": "x", "doc_id": "29307336712207960", "variables": json.dumps({"userID": "1", "first": 10}),
               "fb_api_req_friendly_name": "BarcelonaProfileThreadsTabDirectQuery"},
         headers={"x-fb-friendly-name": "BarcelonaProfileThreadsTabDirectQuery", "x-ig-app-id": "238260118697367"},
         op="BarcelonaProfileThreadsTabDirectQuery"),
    case("threads-like", "POST", "https://www.threads.net/api/v1/media/3100_1/like/", "threads", "react"),
    # ---------------------------------------------------------------- LinkedIn (professional)
    case("li-feed", "GET", "https://www.linkedin.com/voyager/api/graphql?variables=(start:0)"
         "&queryId=voyagerFeedDashMainFeed.923020905727c01516495a0ac90bb475", "linkedin", "view",
         op="voyagerFeedDashMainFeed"),
    case("li-rest-post", "POST", "https://api.linkedin.com/rest/posts", "linkedin", "post",
         json_body={"author": "urn:li:person:abc", "commentary": "Conference notes", "visibility": "PUBLIC"}),
    case("li-rest-share-no-ctype", "POST", "https://api.linkedin.com/rest/posts", "linkedin", "share",
         json_body={"author": "urn:li:person:abc", "commentary": "",
                    "reshareContext": {"parent": "urn:li:share:6957408550713184256"}}, content_type=""),
    case("li-message-no-ctype", "POST", "https://www.linkedin.com/voyager/api/messaging/conversations", "linkedin",
         "message", json_body={"keyVersion": "LEGACY_INBOX", "conversationCreate": {"recipients": ["abc"]}},
         content_type=""),
    case("li-message-dash", "POST", "https://www.linkedin.com/voyager/api/voyagerMessagingDashMessengerMessages"
         "?action=createMessage", "linkedin", "message", json_body={"message": {"body": {"text": "hi"}}},
         content_type="text/plain;charset=UTF-8"),
    case("li-voyager-post", "POST", "https://www.linkedin.com/voyager/api/contentcreation/normShares", "linkedin", "post",
         json_body={"visibleToConnectionsOnly": False, "commentaryV2": {"text": "New role!", "attributes": []},
                    "origin": "FEED", "allowedCommentersScope": "ALL", "postState": "PUBLISHED"}, content_type=""),
    case("li-comment", "POST", "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Ashare%3A1/comments", "linkedin",
         "comment", json_body={"actor": "urn:li:person:abc", "message": {"text": "congrats"}}),
    case("li-upload-init", "POST", "https://api.linkedin.com/rest/images?action=initializeUpload", "linkedin", "upload",
         json_body={"initializeUploadRequest": {"owner": "urn:li:person:abc"}}),
    case("li-upload-put", "PUT", "https://www.linkedin.com/dms-uploads/sp/D4E10AQ/uploaded-image/0?ca=vector", "linkedin",
         "upload", raw=JPEG, content_type="application/octet-stream"),
    case("li-cdn", "GET", "https://media.licdn.com/dms/image/C4E03AQ/profile.jpg", "linkedin", "view", True),
    case("li-realtime", "GET", "https://www.linkedin.com/realtime/connect?rc=1", "linkedin", "view", True),
    case("li-login", "POST", "https://www.linkedin.com/uas/authenticate", "linkedin", "login",
         form={"session_key": "a", "session_password": "b"}),
    # ---------------------------------------------------------------- YouTube
    case("yt-watch", "GET", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "view"),
    case("yt-next", "POST", "https://www.youtube.com/youtubei/v1/next?prettyPrint=false", "youtube", "view",
         json_body={"context": {"client": {"clientName": "WEB"}}, "videoId": "dQw4w9WgXcQ"}, op="next"),
    case("yt-comment", "POST", "https://www.youtube.com/youtubei/v1/comment/create_comment", "youtube", "comment",
         json_body={"context": {}, "createCommentParams": "Eg0S", "commentText": "great video"}, op="create_comment"),
    case("yt-like", "POST", "https://www.youtube.com/youtubei/v1/like/like", "youtube", "react",
         json_body={"target": {"videoId": "dQw4w9WgXcQ"}}, op="like"),
    case("yt-subscribe", "POST", "https://www.youtube.com/youtubei/v1/subscription/subscribe", "youtube", "follow",
         json_body={"channelIds": ["UC1"]}),
    case("yt-videoplayback", "GET", "https://rr3---sn-t0aekn7e.googlevideo.com/videoplayback?expire=1&itag=22",
         "youtube", "view", True),
    case("yt-watchtime", "GET", "https://www.youtube.com/api/stats/watchtime?ns=yt&el=detailpage", "youtube", "view", True),
    case("yt-resumable-open", "POST", "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable"
         "&part=snippet,status", "youtube", "upload", json_body={"snippet": {"title": "demo"}},
         headers={"x-upload-content-type": "video/mp4", "x-upload-content-length": "1034"}),
    case("yt-resumable-put", "PUT", "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable"
         "&upload_id=ADPycdu", "youtube", "upload", raw=JPEG, content_type="video/mp4",
         headers={"content-range": "bytes 0-1033/1034"}),
    case("yt-data-comment", "POST", "https://www.googleapis.com/youtube/v3/commentThreads?part=snippet", "youtube",
         "comment", json_body={"snippet": {"videoId": "x", "topLevelComment": {"snippet": {"textOriginal": "hi"}}}}),
    case("yt-unknown", "POST", "https://www.youtube.com/youtubei/v1/playlist/create", "youtube", "unknown",
         json_body={"title": "x"}, op="create"),
    # ---------------------------------------------------------------- TikTok
    case("tt-foryou", "GET", "https://www.tiktok.com/foryou", "tiktok", "view"),
    case("tt-feed-api", "GET", "https://www.tiktok.com/api/recommend/item_list/?count=9", "tiktok", "view"),
    case("tt-comment", "POST", "https://www.tiktok.com/api/comment/publish/?aweme_id=1", "tiktok", "comment",
         form={"text": "lol", "aweme_id": "1"}),
    case("tt-like", "POST", "https://www.tiktok.com/api/commit/item/digg/?aweme_id=1&type=1", "tiktok", "react"),
    case("tt-follow", "POST", "https://www.tiktok.com/api/commit/follow/user/?user_id=1", "tiktok", "follow"),
    case("tt-publish", "POST", "https://open.tiktokapis.com/v2/post/publish/video/init/", "tiktok", "post",
         json_body={"post_info": {"title": "demo"}, "source_info": {"source": "FILE_UPLOAD", "video_size": 1034}}),
    case("tt-upload-put", "PUT", "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=t", "tiktok",
         "upload", raw=JPEG, content_type="video/mp4"),
    case("tt-cdn", "GET", "https://v16-webapp.tiktokcdn.com/video/tos/abc/", "tiktok", "view", True),
    case("tt-monitor", "POST", "https://mon.tiktokv.com/monitor_browser/collect/batch/", "tiktok", "view", True,
         json_body={"list": []}),
    # ---------------------------------------------------------------- Reddit
    case("reddit-front", "GET", "https://www.reddit.com/r/canada/", "reddit", "view"),
    case("reddit-submit", "POST", "https://oauth.reddit.com/api/submit", "reddit", "post",
         form={"sr": "canada", "kind": "self", "title": "Census question", "text": "..."}),
    case("reddit-comment", "POST", "https://oauth.reddit.com/api/comment", "reddit", "comment",
         form={"thing_id": "t3_abc", "text": "agreed"}),
    case("reddit-vote", "POST", "https://oauth.reddit.com/api/vote", "reddit", "react", form={"id": "t3_abc", "dir": "1"}),
    case("reddit-compose", "POST", "https://oauth.reddit.com/api/compose", "reddit", "message",
         form={"to": "someone", "subject": "hi", "text": "hello"}),
    case("reddit-lease", "POST", "https://oauth.reddit.com/api/media/asset.json", "reddit", "upload",
         form={"filepath": "a.png", "mimetype": "image/png"}),
    case("reddit-s3", "POST", "https://reddit-uploaded-media.s3-accelerate.amazonaws.com/", "reddit", "upload",
         raw=b"--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nrte_images/a.png\r\n--b--\r\n",
         content_type="multipart/form-data; boundary=b"),
    case("reddit-shreddit-vote", "POST", "https://www.reddit.com/svc/shreddit/graphql", "reddit", "react",
         json_body={"operation": "UpdatePostVoteState",
                    "variables": {"input": {"postId": "t3_abc", "voteState": "UP"}}, "csrf_token": "ab12"},
         op="UpdatePostVoteState"),
    case("reddit-gql-app", "POST", "https://gql.reddit.com/", "reddit", "react",
         json_body={"operationName": "UpdateCommentVoteState", "variables": {"input": {"commentId": "t1_x"}}}),
    case("reddit-img", "GET", "https://i.redd.it/abc.jpeg", "reddit", "view", True),
    case("reddit-events", "POST", "https://www.reddit.com/svc/shreddit/events", "reddit", "view", True,
         json_body={"info": []}),
    case("reddit-unknown-op", "POST", "https://www.reddit.com/svc/shreddit/graphql", "reddit", "unknown",
         json_body={"operation": "UpdateSubredditMuteSettings", "variables": {}, "csrf_token": "ab12"},
         op="UpdateSubredditMuteSettings"),
    case("reddit-shreddit-post", "POST", "https://www.reddit.com/svc/shreddit/graphql", "reddit", "post",
         json_body={"operation": "CreatePost", "variables": {"input": {"subredditName": "canada", "title": "Q",
                                                                     "content": {"markdown": "body"}}},
                    "csrf_token": "ab12"}, op="CreatePost"),
    case("reddit-shreddit-lease", "POST", "https://www.reddit.com/svc/shreddit/graphql", "reddit", "upload",
         json_body={"operation": "CreateMediaUploadLease", "variables": {"input": {"mimetype": "JPEG"}},
                    "csrf_token": "ab12"}),
    # ---------------------------------------------------------------- Pinterest
    case("pin-home", "GET", "https://www.pinterest.ca/", "pinterest", "view"),
    case("pin-v5-pin", "POST", "https://api.pinterest.com/v5/pins", "pinterest", "post",
         json_body={"board_id": "1", "media_source": {"source_type": "image_url", "url": "https://e.org/a.jpg"}}),
    case("pin-v5-media", "POST", "https://api.pinterest.com/v5/media", "pinterest", "upload",
         json_body={"media_type": "video"}),
    case("pin-web-repin", "POST", "https://www.pinterest.com/resource/RepinResource/create/", "pinterest", "share",
         form={"source_url": "/pin/1/", "data": json.dumps({"options": {"pin_id": "1", "board_id": "2"}})},
         op="RepinResource"),
    case("pin-web-comment", "POST", "https://www.pinterest.com/resource/AggregatedCommentResource/create/",
         "pinterest", "comment", form={"data": json.dumps({"options": {"text": "love it"}})}),
    case("pin-img", "GET", "https://i.pinimg.com/236x/ab/cd/ef.jpg", "pinterest", "view", True),
    case("pin-ct", "GET", "https://ct.pinterest.com/v3/?event=pagevisit&tid=2612", "pinterest", "view", True),
    # ---------------------------------------------------------------- Snapchat
    case("snap-web", "GET", "https://web.snapchat.com/", "snapchat", "view"),
    case("snap-send", "POST", "https://web.snapchat.com/messagingcoreservice.MessagingCoreService/CreateContentMessage",
         "snapchat", "message", raw=b"\x00\x00\x00\x00\x10\x0a\x0e", content_type="application/grpc-web+proto",
         op="CreateContentMessage"),
    case("snap-blizzard-send", "POST", "https://web.snapchat.com/web-blizzard/web/send", "snapchat", "message",
         raw=b"\x0a\x10\x08\x01", content_type="application/x-protobuf"),
    case("snap-deltasync", "POST", "https://web.snapchat.com/com.snapchat.deltaforce.external.DeltaForce/DeltaSync",
         "snapchat", "view", True, raw=b"\x0a\x00", content_type="application/x-protobuf", op="DeltaSync"),
    case("snap-analytics", "POST", "https://us-central1-gcp.api.snapchat.com/web-analytics/web/events", "snapchat",
         "view", True, json_body={"events": []}),
    case("snap-sync", "POST", "https://web.snapchat.com/messagingcoreservice.MessagingCoreService/SyncConversations",
         "snapchat", "view", True, raw=b"\x00\x00\x00\x00\x02\x0a\x00", content_type="application/grpc-web+proto"),
    case("snap-cdn", "GET", "https://cf-st.sc-cdn.net/d/abc", "snapchat", "view", True),
    case("snap-login", "POST", "https://accounts.snapchat.com/accounts/v2/login", "snapchat", "login",
         form={"username": "a"}),
    # ---------------------------------------------------------------- Tumblr
    case("tumblr-dash", "GET", "https://www.tumblr.com/dashboard", "tumblr", "view"),
    case("tumblr-npf-post", "POST", "https://api.tumblr.com/v2/blog/staff.tumblr.com/posts", "tumblr", "post",
         json_body={"content": [{"type": "text", "text": "hello"}]}),
    case("tumblr-legacy-post", "POST", "https://api.tumblr.com/v2/blog/staff/post", "tumblr", "post",
         form={"type": "text", "body": "hi"}),
    case("tumblr-reblog", "POST", "https://api.tumblr.com/v2/blog/staff/post/reblog", "tumblr", "share",
         form={"id": "1", "reblog_key": "k"}),
    case("tumblr-web-reblog", "POST", "https://www.tumblr.com/api/v2/blog/me/posts", "tumblr", "share",
         json_body={"parent_post_id": "1", "parent_tumblelog_uuid": "t:x", "reblog_key": "k", "content": []}),
    case("tumblr-like", "POST", "https://api.tumblr.com/v2/user/like", "tumblr", "react", form={"id": "1", "reblog_key": "k"}),
    case("tumblr-media", "GET", "https://64.media.tumblr.com/abc/s640x960/x.jpg", "tumblr", "view", True),
    # ---------------------------------------------------------------- Mastodon (known instance and any host)
    case("masto-home", "GET", "https://mastodon.social/api/v1/timelines/home", "mastodon", "view"),
    case("masto-post", "POST", "https://mastodon.social/api/v1/statuses", "mastodon", "post",
         form={"status": "toot", "visibility": "public"}),
    case("masto-reply-anyhost", "POST", "https://toot.example-fedi.ca/api/v1/statuses", "mastodon", "comment",
         json_body={"status": "@statcan@mastodon.social thanks", "in_reply_to_id": "1100"}),
    case("masto-direct", "POST", "https://mstdn.ca/api/v1/statuses", "mastodon", "message",
         json_body={"status": "@friend psst", "visibility": "direct"}),
    case("masto-fav-anyhost", "POST", "https://social.example-uni.ca/api/v1/statuses/1100/favourite", "mastodon", "react"),
    case("masto-reblog", "POST", "https://fosstodon.org/api/v1/statuses/1100/reblog", "mastodon", "share"),
    case("masto-media-anyhost", "POST", "https://pixel.example-photos.net/api/v2/media", "mastodon", "upload",
         raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("masto-streaming", "GET", "https://mastodon.social/api/v1/streaming/user", "mastodon", "view", True),
    case("masto-instance-anyhost", "GET", "https://masto.example.org/api/v1/instance", "mastodon", "view", True),
    case("masto-files", "GET", "https://files.mastodon.social/media_attachments/files/1/original/a.png", "mastodon",
         "view", True),
    case("masto-unknown", "POST", "https://mastodon.social/api/v1/lists", "mastodon", "unknown", json_body={"title": "x"}),
    # ---------------------------------------------------------------- Misskey
    case("misskey-tl", "POST", "https://misskey.io/api/notes/timeline", "misskey", "view", json_body={"i": "t", "limit": 10}),
    case("misskey-note", "POST", "https://misskey.io/api/notes/create", "misskey", "post",
         json_body={"i": "t", "text": "hello", "visibility": "public"}),
    case("misskey-reply-anyhost", "POST", "https://mk.example-fedi.jp/api/notes/create", "misskey", "comment",
         json_body={"i": "t", "text": "@statcan@mastodon.social hi", "replyId": "9abc"}),
    case("misskey-renote", "POST", "https://misskey.io/api/notes/create", "misskey", "share",
         json_body={"i": "t", "renoteId": "9abc"}),
    case("misskey-react", "POST", "https://misskey.io/api/notes/reactions/create", "misskey", "react",
         json_body={"i": "t", "noteId": "9abc", "reaction": ":star:"}),
    case("misskey-drive-anyhost", "POST", "https://mk.example-fedi.jp/api/drive/files/create", "misskey", "upload",
         raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("misskey-media", "GET", "https://media.misskeyusercontent.com/io/abc.webp", "misskey", "view", True),
    # ---------------------------------------------------------------- Lemmy
    case("lemmy-list", "GET", "https://lemmy.ca/api/v3/post/list?sort=Hot", "lemmy", "view"),
    case("lemmy-post-anyhost", "POST", "https://lemmy.example-forum.org/api/v3/post", "lemmy", "post",
         json_body={"name": "Title", "community_id": 3}),
    case("lemmy-comment", "POST", "https://lemmy.world/api/v3/comment", "lemmy", "comment",
         json_body={"content": "me too", "post_id": 1}),
    case("lemmy-like", "POST", "https://lemmy.world/api/v3/post/like", "lemmy", "react", json_body={"post_id": 1, "score": 1}),
    case("lemmy-pm", "POST", "https://lemmy.ca/api/v3/private_message", "lemmy", "message",
         json_body={"content": "hi", "recipient_id": 2}),
    case("lemmy-pictrs", "POST", "https://lemmy.world/pictrs/image", "lemmy", "upload", raw=JPEG,
         content_type="multipart/form-data; boundary=x"),
    case("lemmy-image", "GET", "https://lemmy.world/pictrs/image/abc.webp", "lemmy", "view", True),
    # ---------------------------------------------------------------- Bluesky
    case("bsky-timeline", "GET", "https://bsky.social/xrpc/app.bsky.feed.getTimeline?limit=30", "bluesky", "view",
         op="app.bsky.feed.getTimeline"),
    case("bsky-post", "POST", "https://morel.us-east.host.bsky.network/xrpc/com.atproto.repo.createRecord", "bluesky",
         "post", json_body={"repo": "did:plc:me", "collection": "app.bsky.feed.post",
                            "record": {"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2026-11-25T00:00:00Z"}}),
    case("bsky-reply", "POST", "https://bsky.social/xrpc/com.atproto.repo.createRecord", "bluesky", "comment",
         json_body={"repo": "did:plc:me", "collection": "app.bsky.feed.post",
                    "record": {"text": "thanks!", "reply": {
                        "root": {"uri": "at://did:plc:statcanofficial000000/app.bsky.feed.post/1"},
                        "parent": {"uri": "at://did:plc:statcanofficial000000/app.bsky.feed.post/1"}}}}),
    case("bsky-like", "POST", "https://bsky.social/xrpc/com.atproto.repo.createRecord", "bluesky", "react",
         json_body={"repo": "did:plc:me", "collection": "app.bsky.feed.like", "record": {}}),
    case("bsky-repost", "POST", "https://bsky.social/xrpc/com.atproto.repo.createRecord", "bluesky", "share",
         json_body={"repo": "did:plc:me", "collection": "app.bsky.feed.repost", "record": {}}),
    case("bsky-blob", "POST", "https://bsky.social/xrpc/com.atproto.repo.uploadBlob", "bluesky", "upload",
         raw=JPEG, content_type="*/*"),
    case("bsky-dm", "POST", "https://api.bsky.chat/xrpc/chat.bsky.convo.sendMessage", "bluesky", "message",
         json_body={"convoId": "c1", "message": {"text": "hi"}}),
    case("bsky-login", "POST", "https://bsky.social/xrpc/com.atproto.server.createSession", "bluesky", "login",
         json_body={"identifier": "me.bsky.social", "password": "x"}),
    case("bsky-cdn", "GET", "https://cdn.bsky.app/img/avatar/plain/did:plc:x/abc@jpeg", "bluesky", "view", True),
    case("bsky-pds-anyhost", "POST", "https://pds.example-self.host/xrpc/com.atproto.repo.createRecord", "bluesky", "react",
         json_body={"repo": "did:plc:me", "collection": "app.bsky.feed.like", "record": {}}),
    case("bsky-unknown", "POST", "https://bsky.social/xrpc/app.bsky.actor.putPreferences", "bluesky", "unknown",
         json_body={"preferences": []}, op="app.bsky.actor.putPreferences"),
    # ---------------------------------------------------------------- Twitch
    case("twitch-channel", "GET", "https://www.twitch.tv/somestreamer", "twitch", "view"),
    case("twitch-gql-view", "POST", "https://gql.twitch.tv/gql", "twitch", "view",
         json_body=_twitch("PlaybackAccessToken", "ChannelShell"), content_type="text/plain;charset=UTF-8",
         op="PlaybackAccessToken"),
    case("twitch-gql-follow-batch", "POST", "https://gql.twitch.tv/gql", "twitch", "follow",
         json_body=_twitch("ChannelShell", "FollowButton_FollowUser")),
    case("twitch-gql-watchtrack", "POST", "https://gql.twitch.tv/gql", "twitch", "view", True,
         json_body=_twitch("WatchTrackQuery")),
    case("twitch-helix-chat", "POST", "https://api.twitch.tv/helix/chat/messages", "twitch", "comment",
         json_body={"broadcaster_id": "1", "sender_id": "2", "message": "gg"}),
    case("twitch-hls", "GET", "https://video-weaver.yto01.hls.ttvnw.net/v1/playlist/abc.m3u8", "twitch", "view", True),
    case("twitch-irc", "GET", "https://irc-ws.chat.twitch.tv/", "twitch", "view", True, headers={"upgrade": "websocket"}),
    case("twitch-unknown-op", "POST", "https://gql.twitch.tv/gql", "twitch", "unknown",
         json_body=_twitch("ChannelPointsPredictionContext"), op="ChannelPointsPredictionContext"),
    # ---------------------------------------------------------------- Discord
    case("discord-app", "GET", "https://discord.com/channels/@me", "discord", "view"),
    case("discord-history", "GET", "https://discord.com/api/v9/channels/111/messages?limit=50", "discord", "view"),
    case("discord-send", "POST", "https://discord.com/api/v9/channels/111/messages", "discord", "message",
         json_body={"content": "hello", "nonce": "1", "tts": False}),
    case("discord-bot-send", "POST", "https://discord.com/api/v10/channels/111/messages", "discord", "message",
         json_body={"content": "deploy done"}),
    case("discord-react", "PUT", "https://discord.com/api/v9/channels/111/messages/222/reactions/%F0%9F%91%8D/%40me",
         "discord", "react"),
    case("discord-attach-req", "POST", "https://discord.com/api/v9/channels/111/attachments", "discord", "upload",
         json_body={"files": [{"filename": "a.png", "file_size": 1034, "id": "0"}]}),
    case("discord-attach-put", "PUT", "https://discord-attachments-uploads-prd.storage.googleapis.com/1/2/a.png"
         "?upload_id=x", "discord", "upload", raw=JPEG, content_type="image/png"),
    case("discord-typing", "POST", "https://discord.com/api/v9/channels/111/typing", "discord", "view", True),
    case("discord-science", "POST", "https://discord.com/api/v9/science", "discord", "view", True,
         json_body={"events": []}),
    case("discord-gateway", "GET", "https://gateway.discord.gg/?encoding=json&v=9", "discord", "view", True,
         headers={"upgrade": "websocket"}),
    case("discord-cdn", "GET", "https://cdn.discordapp.com/avatars/1/a.png", "discord", "view", True),
    case("discord-unknown", "POST", "https://discord.com/api/v9/guilds/1/channels", "discord", "unknown",
         json_body={"name": "general"}),
    # ---------------------------------------------------------------- WhatsApp
    case("wa-web", "GET", "https://web.whatsapp.com/", "whatsapp", "view"),
    case("wa-socket", "GET", "https://web.whatsapp.com/ws/chat", "whatsapp", "view", True, headers={"upgrade": "websocket"}),
    case("wa-upload", "POST", "https://mmg.whatsapp.net/mms/image/AbCdEf?auth=x&token=y", "whatsapp", "upload",
         raw=JPEG, content_type="application/octet-stream"),
    case("wa-media-get", "GET", "https://mmg.whatsapp.net/v/t62.7118-24/abc.enc", "whatsapp", "view", True),
    case("wa-click-to-chat", "GET", "https://api.whatsapp.com/send?phone=15551234567&text=hello", "whatsapp", "message"),
    case("wa-pps", "GET", "https://pps.whatsapp.net/v/t61/abc.jpg", "whatsapp", "view", True),
    # ---------------------------------------------------------------- Telegram
    case("tg-web", "GET", "https://web.telegram.org/k/", "telegram", "view"),
    case("tg-web-mtproto", "POST", "https://venus.web.telegram.org/apiw1", "telegram", "view", True,
         raw=b"\x00" * 64, content_type="application/octet-stream"),
    case("tg-web-ws", "GET", "https://kws2.web.telegram.org/apiws", "telegram", "view", True,
         headers={"upgrade": "websocket"}),
    case("tg-bot-send", "POST", "https://api.telegram.org/bot123456:ABC-DEF/sendMessage", "telegram", "message",
         json_body={"chat_id": 1, "text": "build ok"}, op="sendMessage"),
    case("tg-bot-photo", "POST", "https://api.telegram.org/bot123456:ABC-DEF/sendPhoto", "telegram", "upload",
         raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("tg-bot-updates", "GET", "https://api.telegram.org/bot123456:ABC-DEF/getUpdates?timeout=30", "telegram",
         "view", True),
    case("tg-link", "GET", "https://t.me/durov", "telegram", "view"),
    case("tg-bot-unknown", "POST", "https://api.telegram.org/bot123456:ABC-DEF/setMyCommands", "telegram", "unknown",
         json_body={"commands": []}, op="setMyCommands"),
    # ---------------------------------------------------------------- Flickr
    case("flickr-explore", "GET", "https://www.flickr.com/explore", "flickr", "view"),
    case("flickr-upload", "POST", "https://up.flickr.com/services/upload/", "flickr", "upload",
         raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("flickr-comment", "POST", "https://api.flickr.com/services/rest/", "flickr", "comment",
         form={"method": "flickr.photos.comments.addComment", "photo_id": "1", "comment_text": "wow"},
         op="flickr.photos.comments.addComment"),
    case("flickr-fave", "POST", "https://api.flickr.com/services/rest/", "flickr", "react",
         form={"method": "flickr.favorites.add", "photo_id": "1"}),
    case("flickr-search", "GET", "https://api.flickr.com/services/rest/?method=flickr.photos.search&text=ottawa",
         "flickr", "view", op="flickr.photos.search"),
    case("flickr-static", "GET", "https://live.staticflickr.com/65535/1_abc_b.jpg", "flickr", "view", True),
    # ---------------------------------------------------------------- Quora
    case("quora-home", "GET", "https://www.quora.com/", "quora", "view"),
    case("quora-feed", "POST", "https://www.quora.com/graphql/gql_para_POST?q=MultifeedQuery", "quora", "view",
         json_body={"queryName": "MultifeedQuery", "variables": {}, "extensions": {"hash": "ab"}}, op="MultifeedQuery"),
    case("quora-vote", "POST", "https://www.quora.com/graphql/gql_POST?q=voteUtils_voteChange_Mutation", "quora", "react",
         json_body={"queryName": "voteUtils_voteChange_Mutation", "variables": {"oid": 1, "voteType": "upvote",
                    "entityType": "answer"}, "extensions": {"hash": "1e"}}, op="voteUtils_voteChange_Mutation"),
    case("quora-space-follow", "POST", "https://somespace.quora.com/graphql/gql_POST?q=UserFollow_userFollow_Mutation",
         "quora", "follow", json_body={"queryName": "UserFollow_userFollow_Mutation", "variables": {"uid": 1}}),
    case("quora-longpoll", "GET", "https://tch678384.tch.quora.com/up/chan1/updates?min_seq=1", "quora", "view", True),
    case("quora-cdn", "GET", "https://qph.cf2.quoracdn.net/main-qimg-abc", "quora", "view", True),
    # ---------------------------------------------------------------- Medium
    case("medium-article", "GET", "https://medium.com/@someone/a-story-1234abcd", "medium", "view"),
    case("medium-clap", "POST", "https://medium.com/_/graphql", "medium", "react",
         json_body=[{"operationName": "ClapMutation", "variables": {"targetPostId": "1", "numClaps": 5}, "query": "m"}],
         op="ClapMutation"),
    case("medium-api-post", "POST", "https://api.medium.com/v1/users/5303d74c64f66366f00cb9b2a94f3251bf5/posts",
         "medium", "post", json_body={"title": "T", "contentFormat": "markdown", "content": "# T"}),
    case("medium-api-image", "POST", "https://api.medium.com/v1/images", "medium", "upload", raw=JPEG,
         content_type="multipart/form-data; boundary=x"),
    case("medium-miro", "GET", "https://miro.medium.com/v2/resize:fit:1400/1*abc.png", "medium", "view", True),
    # ---------------------------------------------------------------- VK
    case("vk-feed", "GET", "https://vk.com/feed", "vk", "view"),
    case("vk-wall-post", "POST", "https://api.vk.com/method/wall.post", "vk", "post",
         form={"owner_id": "1", "message": "privet", "v": "5.199"}, op="wall.post"),
    case("vk-message", "POST", "https://api.vk.com/method/messages.send", "vk", "message",
         form={"peer_id": "1", "message": "hi", "random_id": "7", "v": "5.199"}),
    case("vk-like", "POST", "https://api.vk.com/method/likes.add", "vk", "react", form={"type": "post", "item_id": "1"}),
    case("vk-upload", "POST", "https://pu.vk.com/c12345/upload.php?act=do_add", "vk", "upload", raw=JPEG,
         content_type="multipart/form-data; boundary=x"),
    case("vk-img", "GET", "https://sun9-1.userapi.com/impg/abc.jpg", "vk", "view", True),
    # ---------------------------------------------------------------- Weibo
    case("weibo-home", "GET", "https://weibo.com/", "weibo", "view"),
    case("weibo-post", "POST", "https://weibo.com/ajax/statuses/update", "weibo", "post",
         form={"content": "hello", "visible": "0"}),
    case("weibo-comment", "POST", "https://weibo.com/ajax/comments/create", "weibo", "comment",
         form={"id": "1", "comment": "nice"}),
    case("weibo-repost", "POST", "https://weibo.com/ajax/statuses/normal_repost", "weibo", "share", form={"id": "1"}),
    case("weibo-aj-comment", "POST", "https://weibo.com/aj/v6/comment/add?ajwvr=6", "weibo", "comment",
         form={"act": "post", "mid": "4133109547214697", "content": "[heart]"}),
    case("weibo-pic", "POST", "https://picupload.weibo.com/interface/pic_upload.php?mime=image%2Fjpeg", "weibo",
         "upload", raw=JPEG, content_type="application/octet-stream"),
    case("weibo-img", "GET", "https://wx1.sinaimg.cn/orj360/abc.jpg", "weibo", "view", True),
    # ---------------------------------------------------------------- WeChat
    case("wechat-web", "GET", "https://wx.qq.com/", "wechat", "view"),
    case("wechat-send", "POST", "https://wx2.qq.com/cgi-bin/mmwebwx-bin/webwxsendmsg?pass_ticket=x", "wechat", "message",
         json_body={"BaseRequest": {}, "Msg": {"Type": 1, "Content": "hi"}}, op="webwxsendmsg"),
    case("wechat-upload", "POST", "https://file.wx2.qq.com/cgi-bin/mmwebwx-bin/webwxuploadmedia?f=json", "wechat",
         "upload", raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("wechat-synccheck", "GET", "https://webpush.wx2.qq.com/cgi-bin/mmwebwx-bin/synccheck?r=1", "wechat", "view", True),
    case("wechat-oa-upload", "POST", "https://api.weixin.qq.com/cgi-bin/media/upload?type=image", "wechat", "upload",
         raw=JPEG, content_type="multipart/form-data; boundary=x"),
    case("wechat-article", "GET", "https://mp.weixin.qq.com/s/AbCdEf", "wechat", "view"),
    # ---------------------------------------------------------------- not social media
    case("netflix-not-x", "GET", "https://www.netflix.com/browse", None),
    case("xx-com", "GET", "https://xx.com/", None),
    case("x-com-lookalike", "GET", "https://notx.com/i/api/graphql/a/CreateTweet", None),
    case("x-suffix-attack", "GET", "https://x.com.evil.example/", None),
    case("example", "GET", "https://www.example.org/", None),
    case("gc-ca", "GET", "https://www.canada.ca/en/services.html", None),
    case("statcan", "GET", "https://www150.statcan.gc.ca/t1/tbl1/en/tv.action?pid=1810000401", None),
    case("saas-api-v1-users", "GET", "https://api.some-saas.example/api/v1/users", None),
    case("saas-api-v1-post", "POST", "https://api.some-saas.example/api/v1/accounts", None, json_body={"name": "x"}),
    case("gitea-notifications", "GET", "https://git.example.org/api/v1/notifications", None),
    case("gitea-commit-status", "POST", "https://git.example.org/api/v1/repos/o/r/statuses/abc123", None,
         json_body={"state": "success"}),
    case("ghe-api-v3-repos", "GET", "https://github.example.com/api/v3/repos/org/repo", None),
    case("ghe-api-v3-user", "GET", "https://github.example.com/api/v3/user", None),
    case("ghe-api-v3-comments", "POST", "https://github.example.com/api/v3/repos/o/r/issues/1/comments", None,
         json_body={"body": "lgtm"}),
    case("ip-literal-mastodon-path", "POST", "https://10.20.30.40/api/v1/statuses", None, form={"status": "x"}),
    case("ip6-literal", "GET", "https://[2001:db8::1]/api/v1/timelines/home", None),
    case("ip-literal-plain", "GET", "http://192.0.2.10/index.html", None),
    case("google-drive-resumable", "POST", "https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable",
         None, json_body={"name": "a.txt"}),
    case("gcs-other-bucket", "PUT", "https://storage.googleapis.com/other-bucket/a.png", None, raw=JPEG),
    case("s3-other-bucket", "POST", "https://some-bucket.s3-accelerate.amazonaws.com/", None, raw=b"x"),
    case("qq-news", "GET", "https://news.qq.com/", None),
    case("misskey-like-saas", "POST", "https://api.some-saas.example/api/signin", None, json_body={"u": "x"}),
    case("wikipedia", "GET", "https://en.wikipedia.org/wiki/Statistics_Canada", None),
    case("jquery-cdn", "GET", "https://code.jquery.com/jquery-3.7.1.min.js", None),
    # ------------------------------------------- ordinary work browsing (none of it social)
    case("news-article", "GET", "https://www.cbc.ca/news/canada/census-2026-1.7000000", None),
    case("news-css", "GET", "https://www.cbc.ca/dist/main.css", None),
    case("fonts", "GET", "https://fonts.googleapis.com/css2?family=Lato", None),
    case("fonts-static", "GET", "https://fonts.gstatic.com/s/lato/v24/S6uyw4BMUTPHjx4wXg.woff2", None),
    case("ga-collect", "POST", "https://www.google-analytics.com/g/collect?v=2&tid=G-X", None),
    case("gtm", "GET", "https://www.googletagmanager.com/gtm.js?id=GTM-ABC", None),
    case("m365-login", "POST", "https://login.microsoftonline.com/common/oauth2/v2.0/token", None,
         form={"grant_type": "refresh_token"}),
    case("outlook", "GET", "https://outlook.office.com/mail/", None),
    case("teams-chat", "POST", "https://teams.microsoft.com/api/chatsvc/amer/v1/users/ME/conversations/19:x/messages",
         None, json_body={"content": "standup in 5"}),
    case("slack-post", "POST", "https://statcan-dev.slack.com/api/chat.postMessage", None,
         form={"channel": "C1", "text": "deploy"}),
    case("github-graphql", "POST", "https://api.github.com/graphql", None,
         json_body={"operationName": "CreateIssue", "query": "mutation CreateIssue {}"}),
    case("github-comment", "POST", "https://api.github.com/repos/o/r/issues/1/comments", None,
         json_body={"body": "+1"}),
    case("drive-list", "GET", "https://www.googleapis.com/drive/v3/files?q=x", None),
    case("gdocs", "POST", "https://docs.google.com/document/d/abc/save?id=abc", None, form={"bundles": "[]"}),
    case("pypi", "GET", "https://pypi.org/simple/requests/", None),
    case("bank", "POST", "https://www.rbcroyalbank.com/api/v1/session", None, json_body={"u": "x"}),
    case("weather", "GET", "https://weather.gc.ca/api/app/v3/en/Location/45.4,-75.7", None),
    case("gc-search", "GET", "https://www.canada.ca/en/sr/srb.html?q=census", None),
    case("akamai", "GET", "https://a248.e.akamai.net/f/1/1/1d/static.example/app.js", None),
    case("cloudflare-cdnjs", "GET", "https://cdnjs.cloudflare.com/ajax/libs/lodash/4.17.21/lodash.min.js", None),
    case("sentry", "POST", "https://o1.ingest.sentry.io/api/12/envelope/", None, raw=b"{}\n"),
    case("zoom-ws", "GET", "https://zoom.us/wc/join/123", None),
    case("office-cdn", "GET", "https://res.cdn.office.net/assets/mail/app.js", None),
    case("windows-update", "GET", "http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/authrootstl.cab",
         None),
    case("ocsp", "POST", "http://ocsp.digicert.com/", None, raw=b"0\x82", content_type="application/ocsp-request"),
    # ------------------------------------------- social widgets embedded on other sites: background
    case("embed-x-widgets", "GET", "https://platform.twitter.com/widgets.js", "x", "view", True),
    case("embed-x-syndication", "GET", "https://syndication.twitter.com/srv/timeline-profile/screen-name/StatCan_eng",
         "x", "view", True),
    case("embed-fb-sdk", "GET", "https://connect.facebook.net/en_US/sdk.js", "facebook", "view", True),
    case("embed-fb-pixel", "GET", "https://www.facebook.com/tr/?id=1&ev=PageView", "facebook", "view", True),
    case("embed-li-insight", "GET", "https://snap.licdn.com/li.lms-analytics/insight.min.js", "linkedin", "view", True),
    case("embed-li-px", "GET", "https://px.ads.linkedin.com/collect/?pid=1", "linkedin", "view", True),
    case("embed-yt-iframe-api", "GET", "https://www.youtube.com/iframe_api", "youtube", "view", True),
    case("embed-yt-video", "GET", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "view"),
    case("embed-ig", "GET", "https://platform.instagram.com/en_US/embeds.js", "instagram", "view", True),
    case("embed-pin", "GET", "https://s.pinimg.com/ct/core.js", "pinterest", "view", True),
    case("embed-tt-pixel", "GET", "https://analytics.tiktok.com/i18n/pixel/events.js", "tiktok", "view", True),
    case("embed-reddit", "GET", "https://embed.reddit.com/r/canada/comments/abc/", "reddit", "view", True),
    case("embed-snap-pixel", "POST", "https://tr.snapchat.com/p", "snapchat", "view", True, form={"pid": "1"}),
]


def cases_for(platform: str | None) -> list[WireCase]:
    return [c for c in CASES if c.platform == platform]
