"""The mitmproxy adapter: the only package that imports mitmproxy. `addons` is what mitmdump loads."""

from .banner import Banner
from .core import SocialGuard
from .inspection import Inspection
from .ops import Operations

# The core addon comes first: the others read the Verdict it puts in flow.metadata.
addons = [SocialGuard(), Operations(), Inspection(), Banner()]
