"""Uploaded photos: checked and re-encoded with Pillow so only a clean JPEG is stored.

A file must really be a JPEG, PNG or WebP image Pillow can open, within size and pixel limits
(a decompression bomb is refused before it is decoded). It is turned the
right way up from its EXIF orientation, re-encoded without any metadata
(GPS position included), and a thumbnail is made. The date it was taken is
kept from EXIF when present.
"""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONG_SIDE = 2000
THUMB_SIDE = 400
EXIF_DATE_TAKEN = 36867  # DateTimeOriginal
EXIF_IFD = 0x8769
# What the form promises: JPEG (phones' multi-picture JPEGs included), PNG or WebP. Other formats
# Pillow reads (GIF, BMP, TIFF, ICO, PSD…) are refused, and with them GIF/HTML polyglots.
FORMATS = ("JPEG", "PNG", "WEBP")


class CleanImage:
    def __init__(self, image: ContentFile, thumbnail: ContentFile, taken_on: dt.date | None):
        self.image, self.thumbnail, self.taken_on = image, thumbnail, taken_on


def clean_photo(upload) -> CleanImage:
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is too large; the limit is %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}
        )
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as original:
            taken_on = _date_taken(original)
            picture = ImageOps.exif_transpose(original).convert("RGB")
    except Image.DecompressionBombError as error:  # Pillow's own, far larger limit
        raise ValidationError(_("The photo has too many pixels.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not a photo the system can read (JPEG, PNG or WebP).")
        ) from error
    picture.thumbnail((LONG_SIDE, LONG_SIDE))
    full = _jpeg(picture, 85)
    picture.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumb = _jpeg(picture, 80)
    return CleanImage(ContentFile(full, name="photo.jpg"), ContentFile(thumb, name="thumb.jpg"), taken_on)


def _jpeg(picture, quality):
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=quality, optimize=True)  # no exif= : metadata is dropped
    return buffer.getvalue()


def _date_taken(image) -> dt.date | None:
    try:
        raw = image.getexif().get_ifd(EXIF_IFD).get(EXIF_DATE_TAKEN)
        return dt.datetime.strptime(raw, "%Y:%m:%d %H:%M:%S").date() if raw else None
    except (ValueError, TypeError, KeyError):
        return None
