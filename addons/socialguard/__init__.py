"""socialguard: a mitmproxy addon that applies an agency's social media guidelines.

The core (policy, classify, identity, inspect, timekeeping, report, banner, events) knows nothing of
mitmproxy; `socialguard.adapter` is the one layer that turns mitmproxy hooks into calls on it.
"""

__version__ = "0.1.0"
