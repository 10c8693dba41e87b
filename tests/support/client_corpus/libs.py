"""Client constructors shared by both parts. The proxy and its CA come from the environment the driver sets
(HTTPS_PROXY, SSL_CERT_FILE, REQUESTS_CA_BUNDLE, HTTPLIB2_CA_CERTS)."""

from __future__ import annotations

import os

import requests

CHROME_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")


def proxy_url() -> str:
    return os.environ["HTTPS_PROXY"]


def tweepy_client():
    import tweepy
    return tweepy.Client(consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="ats")


def tweepy_api():
    import tweepy
    return tweepy.API(tweepy.OAuth1UserHandler("ck", "cs", "at", "ats"))


async def twikit_client():
    import twikit
    c = twikit.Client("en-US", proxy=proxy_url(), verify=os.environ["SSL_CERT_FILE"])
    # The transaction-id generator scrapes x.com's home page for keys; the loopback internet has none.
    c.client_transaction.home_page_response = True
    c.client_transaction.generate_transaction_id = lambda **kw: "corpus-tid"
    c.set_cookies({"ct0": "csrf", "auth_token": "tok"})
    return c


def mastodon(base: str, **kw):
    import mastodon
    return mastodon.Mastodon(access_token="tok", api_base_url=base, version_check_mode="none", **kw)


def mastodon_anonymous(base: str):
    import mastodon
    return mastodon.Mastodon(api_base_url=base, version_check_mode="none")


def atproto_client():
    import atproto
    c = atproto.Client(base_url="https://bsky.social/xrpc")
    c.login("asmith.bsky.social", "app-password-1234")
    return c


def praw_reddit():
    import praw
    return praw.Reddit(client_id="cid", client_secret="csec", username="corpus_user", password="pw",
                       user_agent="corpus/1.0 by corpus_user", check_for_async=False)


def tumblr():
    import pytumblr
    return pytumblr.TumblrRestClient("ck", "cs", "ot", "os")


def youtube():
    from googleapiclient.discovery import build
    return build("youtube", "v3", developerKey="key", static_discovery=True, cache_discovery=False)


def linkedin(authenticate: bool = True):
    from linkedin_api import Linkedin
    p = proxy_url()
    return Linkedin("a.smith@example.invalid", "pw", authenticate=authenticate,
                    proxies={"http": p, "https": p}, cookies=None if authenticate else _li_cookies())


def _li_cookies():
    from requests.cookies import RequestsCookieJar
    jar = RequestsCookieJar()
    jar.set("JSESSIONID", "ajax:123", domain=".linkedin.com")
    jar.set("li_at", "tok", domain=".linkedin.com")
    return jar


def instagram(login: bool):
    from instagrapi import Client
    c = Client()
    c.set_proxy(proxy_url())
    c.private.verify = os.environ["REQUESTS_CA_BUNDLE"]
    c.public.verify = os.environ["REQUESTS_CA_BUNDLE"]
    c.delay_range = [0, 0]
    if not login:
        c.authorization_data = {"ds_user_id": "1", "sessionid": "1%3Aabc", "should_use_header_over_cookies": True}
    return c


async def telegram_bot():
    import telegram
    from telegram.request import HTTPXRequest
    bot = telegram.Bot("123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                       request=HTTPXRequest(proxy=proxy_url()), get_updates_request=HTTPXRequest(proxy=proxy_url()))
    return bot


async def discord_http():
    import discord
    import asyncio
    http = discord.http.HTTPClient(asyncio.get_running_loop(), proxy=proxy_url())
    return http


def browser() -> requests.Session:
    """requests dressed as Chromium: navigations and fetch/XHR calls with the headers a browser sends."""
    s = requests.Session()
    s.headers.update({"user-agent": CHROME_UA, "accept-language": "en-CA,en;q=0.9",
                      "sec-ch-ua-platform": '"Linux"'})
    return s


def navigate(s: requests.Session, url: str):
    return s.get(url, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8", "sec-fetch-dest": "document",
                               "sec-fetch-mode": "navigate", "sec-fetch-site": "none", "upgrade-insecure-requests": "1"})


def xhr(s: requests.Session, method: str, url: str, origin: str, **kw):
    headers = {"accept": "*/*", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", "sec-fetch-site": "same-site",
               "origin": origin, "referer": origin + "/", **kw.pop("headers", {})}
    return s.request(method, url, headers=headers, **kw)
