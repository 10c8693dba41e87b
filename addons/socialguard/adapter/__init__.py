"""The mitmproxy adapter: the only package that imports mitmproxy. `make_addons()` is what mitmdump loads."""

from .banner import Banner
from .classifying import Classifying
from .inspection import Inspection
from .ops import Operations
from .runtime import Runtime


def make_addons(rt: Runtime | None = None) -> list:
    """The addons of one proxy, sharing one runtime. The classifying addon comes first: the others read the
    `FlowState` it leaves on each flow."""
    rt = rt if rt is not None else Runtime()
    return [Classifying(rt), Operations(rt), Inspection(rt), Banner(rt)]


__all__ = ("Banner", "Classifying", "Inspection", "Operations", "Runtime", "make_addons")
