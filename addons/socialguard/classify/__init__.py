"""Classifying requests: platform, activity, category, background, rule, guideline, targets."""

from .classifier import Classifier
from .result import Classification, Targets

__all__ = ["Classification", "Classifier", "Targets"]
