"""The mitmproxy adapter: the only package that imports mitmproxy. `make_addons()` is what mitmdump loads."""

from .banner import Banner
from .classifying import Classifying
from .forwarding import Forwarding
from .inspection import Inspection
from .ops import Operations
from .runtime import Runtime


def make_addons(rt: Runtime | None = None) -> list:
    """The addons of one proxy, sharing one runtime. Forwarding comes first: a request it refuses goes no
    further. Then the classifying addon: the others read the `FlowState` it leaves on each flow."""
    rt = rt if rt is not None else Runtime()
    return [Forwarding(rt), Classifying(rt), Operations(rt), Inspection(rt), Banner(rt)]


__all__ = ("Banner", "Classifying", "Forwarding", "Inspection", "Operations", "Runtime", "make_addons")
