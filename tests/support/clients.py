"""HTTP clients that go through a test proxy and trust only its CA.

The machine's environment may set REQUESTS_CA_BUNDLE/SSL_CERT_FILE, which requests prefers over a session's
`verify`; clients here ignore the environment so the test decides what is trusted.
"""

from __future__ import annotations

import requests


def session_for(proxy) -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    s.proxies = {"http": proxy.url, "https": proxy.url}
    s.verify = str(proxy.ca)
    return s


def client_env(proxy) -> dict[str, str]:
    """Environment for client libraries that read proxy and CA settings from it (tweepy, Mastodon.py, httpx)."""
    ca = str(proxy.ca)
    return {
        "HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url, "https_proxy": proxy.url, "http_proxy": proxy.url,
        "NO_PROXY": "", "no_proxy": "",
        "REQUESTS_CA_BUNDLE": ca, "SSL_CERT_FILE": ca, "CURL_CA_BUNDLE": ca, "HTTPLIB2_CA_CERTS": ca,
    }
