"""Images (PNG, JPEG, WebP, GIF, HEIC): decoded with a pixel cap, as RGB Pillow images for the detectors."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from .office import Unsafe

try:    # HEIC/HEIF where the library is present
    import pillow_heif

    pillow_heif.register_heif_opener()
except Exception:  # pragma: no cover - optional
    pass


def load_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decoded RGB image; pixel bombs, corrupt and unsupported images raise Unsafe."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            width, height = im.size
            if width * height > max_pixels:
                raise Unsafe("pixel_bomb", f"{width}x{height} pixels")
            im.draft("RGB", (4096, 4096))    # JPEG: decode at a reduced size when huge
            im = im.convert("RGB")
    except Unsafe:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise Unsafe("pixel_bomb", str(e)[:120]) from None
    except Exception as e:
        raise Unsafe("corrupt", f"image: {type(e).__name__}: {e}") from None
    return im

