"""The agency's policy: YAML files -> validated, frozen model."""

from .loader import SECTIONS, load_policy
from .model import ACTIVITIES, CATEGORIES, Policy
from .source import PolicyError

__all__ = ["ACTIVITIES", "CATEGORIES", "SECTIONS", "Policy", "PolicyError", "load_policy"]
