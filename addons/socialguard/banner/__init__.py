"""The employee reminder banner: eligibility, insertion, CSP-safe styling, texts, frequency caps.

Knows nothing of mitmproxy; `adapter/banner.py` feeds it plain facts and applies its answers.
"""

from .caps import BannerState
from .csp import StyleDecision, decide, parse_header
from .eligibility import header_lookup, request_is_navigation, response_is_page
from .insert import decode_content, encode_content, parse_encodings, prepare
from .render import BANNER_CSS, Content, choose_language, render

__all__ = [
    "BANNER_CSS", "BannerState", "Content", "StyleDecision", "choose_language", "decide", "decode_content",
    "encode_content", "header_lookup", "parse_encodings", "parse_header", "prepare", "render",
    "request_is_navigation", "response_is_page",
]
