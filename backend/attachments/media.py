"""What an upload is, judged by its content, and the cleaned copy others may download.

Pillow identifies images from their bytes (never the file name) and re-encodes them without
metadata: EXIF with its GPS position and camera serial, XMP, text chunks. Photos are first
turned upright by their EXIF orientation, since that tag goes too. PDFs are recognised by their
signature and stored as sent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import DomainError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF = "application/pdf"
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; anything larger is refused, not decoded
THUMBNAIL_BOX = (320, 320)


class UnsupportedType(DomainError):
    code, status, title = "attachment.unsupported_type", 415, "Not a JPEG, PNG, WebP or PDF"
    keeps_writes = True  # the discarded upload pieces stay discarded


class Unreadable(DomainError):
    code, status, title = "attachment.unreadable", 422, "The file is damaged or too large"
    keeps_writes = True


@dataclass(frozen=True, slots=True)
class Cleaned:
    media_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def clean(raw: bytes) -> Cleaned:
    if raw.startswith(b"%PDF-"):
        return Cleaned(PDF, raw)
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in IMAGE_TYPES:
                raise UnsupportedType(f"a {image.format} image; send JPEG, PNG or WebP")
            if image.width * image.height > MAX_PIXELS:
                raise Unreadable(f"{image.width}×{image.height} pixels is more than allowed")
            image.load()
            kind = image.format
            upright = ImageOps.exif_transpose(image)
    except UnidentifiedImageError:
        raise UnsupportedType("the content is not a JPEG, PNG, WebP or PDF") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise Unreadable(f"the image cannot be read: {exc}") from None
    upright.info.clear()  # nothing of the original's metadata is carried over
    out = io.BytesIO()
    if kind == "JPEG":
        rgb = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
        rgb.save(out, "JPEG", quality=90, exif=b"")
    elif kind == "PNG":
        upright.save(out, "PNG")
    else:
        upright.save(out, "WEBP", quality=90, exif=b"", xmp=b"")
    return Cleaned(
        IMAGE_TYPES[kind], out.getvalue(), upright.width, upright.height, _thumbnail(upright)
    )


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail(THUMBNAIL_BOX)
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()
