"""HTTP Content-Encoding (gzip, deflate, br, zstd, chained), undone with a hard cap on the output and redone.

One implementation for the two parts that need it: inspection undoes request bodies (uploads, posts), the banner
undoes pages and re-encodes them after inserting. Every decoder stops one byte past the cap, so a bomb costs at
most `cap` bytes of memory whatever it claims.
"""

from __future__ import annotations

import gzip
import zlib

import brotli
import zstandard

SUPPORTED = frozenset({"identity", "gzip", "x-gzip", "deflate", "br", "zstd"})


class DecodeError(ValueError):
    """`reason`: corrupt | truncated | too_large (the output passed the cap) | unsupported."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def parse_encodings(header: str | None) -> list[str] | None:
    """The Content-Encoding list in the order applied (`identity` dropped); None when one is not supported."""
    if not header:
        return []
    names = [e.strip().lower() for e in header.split(",") if e.strip()]
    if any(n not in SUPPORTED for n in names):
        return None
    return [n for n in names if n != "identity"]


def _zlib(data: bytes, wbits: int, cap: int) -> tuple[bytes, bool]:
    d = zlib.decompressobj(wbits)
    out = d.decompress(data, cap + 1)
    return out, d.eof


def _gunzip(data: bytes, cap: int) -> tuple[bytes, bool]:
    return _zlib(data, 32 + zlib.MAX_WBITS, cap)         # gzip, or zlib mislabelled as gzip


def _inflate(data: bytes, cap: int) -> tuple[bytes, bool]:
    try:
        return _zlib(data, zlib.MAX_WBITS, cap)
    except zlib.error:
        return _zlib(data, -zlib.MAX_WBITS, cap)        # raw deflate, as some servers send it


def _unbrotli(data: bytes, cap: int) -> tuple[bytes, bool]:
    d = brotli.Decompressor()
    try:
        out = d.process(data, output_buffer_limit=cap + 1)
    except TypeError:                                    # brotli < 1.2 has no output limit: feed it in slices
        parts, size = [], 0
        for i in range(0, len(data), 1024):
            parts.append(d.process(data[i:i + 1024]))
            size += len(parts[-1])
            if size > cap:
                break
        out = b"".join(parts)
    return out, d.is_finished()


def _unzstd(data: bytes, cap: int) -> tuple[bytes, bool]:
    # Frames written in streaming mode carry no content size; a bounded streaming read handles both.
    out = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True).read(cap + 1)
    return out, True


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd}
# Fast settings: the banner re-compresses a page on every injection, and the hop to the browser is local.
_ENCODERS = {
    "gzip": lambda b: gzip.compress(b, compresslevel=1, mtime=0),
    "x-gzip": lambda b: gzip.compress(b, compresslevel=1, mtime=0),
    "deflate": lambda b: zlib.compress(b, 1),
    "br": lambda b: brotli.compress(b, quality=1),
    "zstd": lambda b: zstandard.ZstdCompressor(level=1).compress(b),
}


def decode_content(data: bytes, encodings: list[str], cap: int, *, complete: bool = True) -> bytes:
    """Undo `encodings` (as from `parse_encodings`, undone in reverse) with at most `cap` bytes out.

    `complete=False` accepts a stream that stops early (a body cut at a size limit is still worth scanning)."""
    for name in reversed(encodings):
        decoder = _DECODERS.get(name)
        if decoder is None:
            raise DecodeError("unsupported", f"Content-Encoding {name}")
        try:
            out, finished = decoder(data, cap)
        except Exception as e:  # noqa: BLE001 - every codec has its own error type
            raise DecodeError("corrupt", f"cannot decode {name}: {e}") from None
        if len(out) > cap:
            raise DecodeError("too_large", f"{name} body expands beyond {cap} bytes")
        if complete and not finished:
            raise DecodeError("truncated", f"cannot decode {name}: truncated stream")
        data = out
    return data


def encode_content(data: bytes, encodings: list[str]) -> bytes:
    """Apply `encodings` in order (the inverse of `decode_content`)."""
    for name in encodings:
        data = _ENCODERS[name](data)
    return data
