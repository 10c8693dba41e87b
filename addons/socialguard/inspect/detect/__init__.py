"""Detectors: markings and words in text (hyperscan), sensitivity labels, logos (OpenCV), OCR (tesseract)."""
