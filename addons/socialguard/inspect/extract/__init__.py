"""Extraction: request bodies and files -> text and images to inspect, binary-safe and bounded."""
