"""The mitmproxy adapter: the only package that imports mitmproxy. `addons` is what mitmdump loads."""

from .banner import Banner
from .core import SocialGuard

addons = [SocialGuard(), Banner()]
