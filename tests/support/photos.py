"""Photos as a tablet camera makes them: with the camera's make, model and a GPS position."""

from __future__ import annotations

import hashlib
import io

from PIL import ExifTags, Image

# Ulaangom, Uvs: where a monitor would stand photographing a pharmacy's price list
LATITUDE = (49.0, 58.0, 12.34)
LONGITUDE = (92.0, 3.0, 43.21)


def camera_photo(colour: tuple[int, int, int] = (180, 120, 60), kind: str = "JPEG") -> bytes:
    image = Image.new("RGB", (800, 600), colour)
    for x in range(0, 800, 40):  # something that is not flat colour
        image.paste((colour[2], colour[0], colour[1]), (x, 0, x + 20, 600))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "SM-T295"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: LONGITUDE,
    }
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def camera_of(data: bytes) -> str | None:
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif().get(ExifTags.Base.Model)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
