"""The mitmproxy adapter: the only package that imports mitmproxy. `addons` is what mitmdump loads."""

from .core import SocialGuard
from .ops import Operations

addons = [SocialGuard(), Operations()]
