"""What a file is, from its first bytes (names and declared types lie)."""

from __future__ import annotations


def sniff(head: bytes) -> str:
    """One of: pdf, zip, ole, png, jpeg, gif, webp, heic, text, binary."""
    if head.startswith(b"%PDF-") or head[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"            # legacy Office, or an encrypted OOXML package
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"hevc", b"avif"):
        return "heic"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"           # UTF-16 with BOM
    sample = head[:4096]
    if not sample:
        return "text"
    if b"\x00" in sample:
        return "binary"
    try:
        sample.decode("utf-8")
        return "text"
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the sample's end is still text.
        if e.start >= len(sample) - 3:
            return "text"
    printable = sum(1 for b in sample if b >= 32 or b in (9, 10, 13))
    return "text" if printable / len(sample) > 0.95 else "binary"


IMAGE_KINDS = {"png", "jpeg", "gif", "webp", "heic"}


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")
