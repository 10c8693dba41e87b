"""The employee reminder banner: eligibility, insertion, CSP-safe styling, texts, frequency caps.

Knows nothing of mitmproxy; `adapter/banner.py` feeds it plain facts and applies its answers.
"""

from . import telemetry
from .beacon import BEACON_PREFIX, PIXEL, Inserted, RenderBeacons, beacon_id
from .caps import BannerState
from .csp import StyleDecision, allows_image, decide, parse_header
from .dismiss import DismissLinks, Dismissal, Refusal, canonical_return_url, load_or_create_key
from .eligibility import header_lookup, request_is_navigation, response_is_page
from .insert import decode_content, encode_content, parse_encodings, prepare
from .render import BANNER_CSS, Content, choose_language, render

__all__ = [
    "BANNER_CSS", "BEACON_PREFIX", "PIXEL", "BannerState", "Content", "DismissLinks", "Dismissal", "Inserted",
    "Refusal", "RenderBeacons", "StyleDecision", "allows_image", "beacon_id", "canonical_return_url",
    "choose_language", "decide", "decode_content", "encode_content", "header_lookup", "load_or_create_key",
    "parse_encodings", "parse_header", "prepare", "render", "request_is_navigation", "response_is_page", "telemetry",
]
