"""HTTP clients that go through a test proxy and trust only its CA.

The machine's environment may set REQUESTS_CA_BUNDLE/SSL_CERT_FILE, which requests prefers over a session's
`verify`; clients here ignore the environment so the test decides what is trusted.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

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


def write_canned(site: Path, host: str, path: str, doc) -> None:
    """A JSON answer the loopback internet (`support.proxies.Internet`) serves for host + path."""
    target = site / host / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(doc))
    target.with_name(target.name + ".headers").write_text("Content-Type: application/json\n")


@contextmanager
def proxy_over_site(work: Path, site: Path):
    """A real socialguard proxy in front of a loopback internet that answers from `site`."""
    from support.proxies import Internet, SocialguardProxy

    net = Internet(work, site_dir=site).start()
    proxy = SocialguardProxy(work / "proxy", net.port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
        net.stop()


def use_client_env(monkeypatch, proxy):
    """Point client libraries at the proxy for one test (see client_env)."""
    for k, v in client_env(proxy).items():
        monkeypatch.setenv(k, v)
    return proxy
