"""Checks for uploaded files: size first, then the content itself (not the name)."""

from __future__ import annotations

import io
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs well before Pillow's own limit
PHOTO_MAX_SIDE = 800


def _check_size(file: UploadedFile, limit: int) -> None:
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the maximum is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def validate_image(
    file: UploadedFile, *, formats: frozenset[str] = IMAGE_FORMATS, hint: str | None = None
) -> None:
    """Accept only a real image in one of `formats` (JPEG, PNG, WebP or GIF) of reasonable size.

    `hint` tells the person what to upload instead; it ends every refusal."""
    hint = hint or _("Upload a JPEG, PNG, WebP or GIF image.")
    _check_size(file, MAX_IMAGE_BYTES)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in formats:
                raise ValidationError(hint, code="image_format")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="image_pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. %(hint)s") % {"hint": hint},
            code="image_invalid",
        ) from exc
    finally:
        file.seek(position)


def validate_photo(file: UploadedFile) -> None:
    """A profile photo: a real JPEG, PNG or WebP image (no GIF: a photo, not an animation)."""
    validate_image(file, formats=PHOTO_FORMATS, hint=_("Upload a JPEG, PNG or WebP photo."))


def reencode_photo(file: UploadedFile, *, max_side: int = PHOTO_MAX_SIDE) -> ContentFile:
    """A fresh JPEG of at most `max_side` pixels a side, without EXIF (GPS position, camera,
    dates) or other metadata: only the pixels of the upload survive. Validate first."""
    file.seek(0)
    with Image.open(file) as original:
        # Turn the pixels the way the camera meant before its orientation tag goes.
        image = ImageOps.exif_transpose(original)
        image.thumbnail((max_side, max_side))
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        buffer = io.BytesIO()
        # No exif=, icc_profile= or comment: Pillow writes none of the original's metadata.
        image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


class PrivateFileStorage(FileSystemStorage):
    """Files that are personal data: kept outside MEDIA_ROOT, so no web server hands them out,
    and without URLs; a view that checks who asks serves them."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a view.")


def private_storage() -> PrivateFileStorage:
    """Storage for personal files (a callable, so tests' settings apply and migrations stay put)."""
    return PrivateFileStorage()


class MaterialStorage(PrivateFileStorage):
    """Meeting materials: kept out of MEDIA_ROOT too, since a core-only meeting's slides are
    for its core; their URL is a view that asks whether the viewer may see the meeting."""

    def url(self, name: str | None) -> str:
        from django.urls import reverse

        return reverse("bijeenkomsten:materiaal", kwargs={"name": name})


def material_storage() -> MaterialStorage:
    return MaterialStorage()


def validate_pdf(file: UploadedFile) -> None:
    """Accept only a file that is a PDF by its content, within the size limit."""
    _check_size(file, MAX_PDF_BYTES)
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(5)
    file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("Upload a PDF file."), code="pdf_invalid")
