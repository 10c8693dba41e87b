"""The mitmproxy adapter: the only package that imports mitmproxy. `make_addons()` is what mitmdump loads."""

from .banner import Banner
from .classifying import Classifying
from .forwarding import Forwarding
from .inspection import Inspection
from .ops import Operations
from .runtime import Runtime


def make_addons(rt: Runtime | None = None) -> list:
    """The addons of one proxy, sharing one runtime. The classifying addon comes first: the others read the
    `FlowState` it leaves on each flow. Forwarding only answers requests to the proxy's own host, which none of
    the others act on, so its place in the list does not matter."""
    rt = rt if rt is not None else Runtime()
    return [Classifying(rt), Operations(rt), Inspection(rt), Banner(rt), Forwarding(rt)]


__all__ = ("Banner", "Classifying", "Forwarding", "Inspection", "Operations", "Runtime", "make_addons")
