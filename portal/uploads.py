"""Every file the portal stores and serves goes through here, so none can run as a page.

One mechanism for each kind of file (a PDF, a photo, a logo):
- `normalise_upload` checks the content (a PDF library parses the PDF; Pillow decodes the
  image) and rewrites it: a PDF as fresh pages, an image as new pixels without EXIF. The name
  and the type the uploader gave are never trusted.
- `CheckedFileField` stores only what `normalise_upload` made, under a random name with the
  extension of its kind, whichever path saves it (form, admin, service, shell).
- `serve_private_file` answers with the type of the field's kind (never from the name), with
  `nosniff` and a sandboxing Content-Security-Policy.
- `UploadLimitHandler` stops reading a request whose file is too large, and leaves a
  `TooLargeUpload` in its place so the form says so.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.http.multipartparser import MultiPartParser
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from PIL import Image, ImageOps, UnidentifiedImageError
from storages.backends.s3 import S3Storage

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
# The most a request may carry: the largest file we accept plus room for the form's fields.
# Past it the upload handler stops reading.
MAX_REQUEST_BYTES = MAX_PDF_BYTES + 1024 * 1024
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs well before Pillow's own limit
MAX_PDF_PAGES = 1000
PHOTO_MAX_SIDE = 800
# Served with every stored file: no script, no plugin, no form, nothing loaded; a file
# opened as a page is an inert document in an opaque origin, never the portal's.
FILE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


@dataclass(frozen=True)
class FileKind:
    """What the portal makes of an upload: its content type, extension and limits."""

    key: str
    content_type: str
    extension: str
    max_bytes: int
    inline: bool  # shown in the browser (images) or downloaded (PDF: no PDF viewer runs
    # under a CSP sandbox in every browser, and a download never renders on our origin)
    formats: frozenset[str] = frozenset()  # image formats accepted from the uploader
    max_side: int | None = None
    hint: StrOrPromise = ""  # what to upload instead; ends every refusal


PDF = FileKind(
    "pdf",
    "application/pdf",
    "pdf",
    MAX_PDF_BYTES,
    inline=False,
    hint=gettext_lazy("Upload a PDF file."),
)
PHOTO = FileKind(
    "photo",
    "image/jpeg",
    "jpg",
    MAX_IMAGE_BYTES,
    inline=True,
    formats=PHOTO_FORMATS,
    max_side=PHOTO_MAX_SIDE,
    hint=gettext_lazy("Upload a JPEG, PNG or WebP photo."),
)
MEETING_PHOTO = FileKind(
    "meeting_photo",
    "image/jpeg",
    "jpg",
    MAX_IMAGE_BYTES,
    inline=True,
    formats=IMAGE_FORMATS,
    max_side=2400,
    hint=gettext_lazy("Upload a JPEG, PNG, WebP or GIF image."),
)
LOGO = FileKind(
    "logo",
    "image/png",
    "png",
    MAX_IMAGE_BYTES,
    inline=True,
    formats=IMAGE_FORMATS,
    max_side=1200,
    hint=gettext_lazy("Upload a JPEG, PNG, WebP or GIF image."),
)
KINDS = {kind.key: kind for kind in (PDF, PHOTO, MEETING_PHOTO, LOGO)}


class CheckedFile(ContentFile):
    """Content the portal made itself from an upload; only this is ever stored."""

    def __init__(self, content: bytes, *, kind: FileKind) -> None:
        super().__init__(content, name=f"{kind.key}.{kind.extension}")
        self.kind = kind


class TooLargeUpload(UploadedFile):
    """Stands in for a file the upload handler stopped reading: it has a size, no content."""

    def __init__(self, *, name: str, size: int, field_name: str) -> None:
        super().__init__(io.BytesIO(), name=name, size=size)
        self.field_name = field_name


# --- Checking and rewriting ------------------------------------------------------------------


def _check_size(file: File, limit: int) -> None:
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the maximum is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def normalise_upload(file: File, *, kind: FileKind) -> CheckedFile:
    """The upload checked by its content and rewritten as the portal's own file of `kind`;
    raises ValidationError (in the person's language) if it is not one."""
    if isinstance(file, CheckedFile) and file.kind == kind:
        return file
    _check_size(file, kind.max_bytes)
    if kind.content_type == "application/pdf":
        return CheckedFile(_rewrite_pdf(file, kind), kind=kind)
    return CheckedFile(_reencode_image(file, kind), kind=kind)


def _rewrite_pdf(file: File, kind: FileKind) -> bytes:
    from pypdf import PdfReader, PdfWriter

    refusal = ValidationError(kind.hint, code="pdf_invalid")
    file.seek(0)
    if file.read(5) != b"%PDF-":
        raise refusal
    file.seek(0)
    try:
        reader = PdfReader(io.BytesIO(file.read()))
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected with a password. Upload it without one."),
                code="pdf_encrypted",
            )
        if not 0 < len(reader.pages) <= MAX_PDF_PAGES:
            raise refusal
        # Only the pages travel: no document-level scripts, open actions, forms or metadata.
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a broken file
        raise refusal from exc
    finally:
        file.seek(0)
    return buffer.getvalue()


def _reencode_image(file: File, kind: FileKind) -> bytes:
    """New pixels in the kind's format, at most `max_side` a side, with none of the original's
    metadata (EXIF with GPS position, camera and dates; comments; colour profile)."""
    unreadable = ValidationError(
        _("This file is not an image we can read. %(hint)s") % {"hint": kind.hint},
        code="image_invalid",
    )
    file.seek(0)
    try:
        with Image.open(file) as original:
            if original.format not in kind.formats:
                raise ValidationError(kind.hint, code="image_format")
            width, height = original.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="image_pixels")
            # Turn the pixels the way the camera meant before its orientation tag goes.
            image = ImageOps.exif_transpose(original)
            if kind.max_side:
                image.thumbnail((kind.max_side, kind.max_side))
            buffer = io.BytesIO()
            if kind.content_type == "image/png":
                image = image.convert("RGBA" if _has_alpha(image) else "RGB")
                image.save(buffer, format="PNG", optimize=True)
            else:
                image = _flatten(image)
                # No exif=, icc_profile= or comment: Pillow writes none of the original's.
                image.save(buffer, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise unreadable from exc
    finally:
        file.seek(0)
    return buffer.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _flatten(image: Image.Image) -> Image.Image:
    if _has_alpha(image):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image if image.mode == "RGB" else image.convert("RGB")


# Validators kept for the migrations that name them.
def validate_image(file: File) -> None:
    normalise_upload(file, kind=MEETING_PHOTO)


def validate_pdf(file: File) -> None:
    normalise_upload(file, kind=PDF)


# --- Storing ---------------------------------------------------------------------------------


class CheckedFieldFile(FieldFile):
    field: CheckedFileField  # its `attr_class` makes it only ever the file of one

    def save(self, name: str, content: File, save: bool = True) -> None:
        # Whatever saves the file (form, admin, service, shell), only checked content is stored.
        content = normalise_upload(content, kind=self.field.file_kind)
        super().save(name, content, save)


class CheckedFileField(models.FileField):
    """A file of one kind (`KINDS`), stored as the portal rewrote it, under a random name with
    the kind's extension: the uploader's name (`slides.html`) is never kept."""

    attr_class = CheckedFieldFile

    def __init__(self, *args, kind: str, **kwargs) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)

    @property
    def file_kind(self) -> FileKind:
        return KINDS[self.kind]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def generate_filename(self, instance, filename: str | os.PathLike[str]) -> str:
        # A random name: the uploaded one may be personal ("jan-jansen.jpg") or a trap.
        return super().generate_filename(
            instance, f"{secrets.token_hex(16)}.{self.file_kind.extension}"
        )

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedFormField, "kind": self.kind, **kwargs})


class CheckedFormField(forms.FileField):
    """The form side of `CheckedFileField`: cleaned data is the rewritten file."""

    def __init__(self, *, kind: str, **kwargs) -> None:
        self.kind = KINDS[kind]
        super().__init__(**kwargs)

    def to_python(self, data):
        file = super().to_python(data)
        return None if file is None else normalise_upload(file, kind=self.kind)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            accept = "application/pdf" if self.kind is PDF else "image/jpeg,image/png,image/webp"
            attrs["accept"] = accept
        return attrs


@deconstructible
class PrivateFileStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, so no web server hands them out. Their URL is the view
    named `url_name` (given `name=`), which checks who asks; without one there is none."""

    def __init__(self, url_name: str | None = None, **kwargs) -> None:
        self.url_name = url_name
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        if self.url_name is None:
            raise ValueError("These private files have no URL; serve them through a view.")
        return reverse(self.url_name, kwargs={"name": name})


@deconstructible
class PrivateS3Storage(S3Storage):
    """Private files on S3-compatible object storage (`S3_BUCKET`), for more than one web
    node: never a bucket URL, their URL is the view named `url_name`, as on the filesystem."""

    def __init__(self, url_name: str | None = None, **kwargs) -> None:
        self.url_name = url_name
        super().__init__(**kwargs)

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        if self.url_name is None:
            raise ValueError("These private files have no URL; serve them through a view.")
        return reverse(self.url_name, kwargs={"name": name})


def private_files(url_name: str | None = None) -> Storage:
    """The storage of private files as `STORAGES["private"]` configures it: the filesystem
    outside MEDIA_ROOT (a volume every node mounts), or S3-compatible object storage. Their
    URL is the view `url_name`, which checks who asks."""
    config = cast(dict[str, Any], settings.STORAGES["private"])
    return import_string(config["BACKEND"])(url_name=url_name, **config.get("OPTIONS", {}))


def private_storage() -> Storage:
    """Storage for personal files (a callable, so tests' settings apply and migrations stay put)."""
    return private_files()


def material_storage() -> Storage:
    """Meeting materials: kept out of MEDIA_ROOT too, since a core-only meeting's slides are
    for its core; their URL is a view that asks whether the viewer may see the meeting."""
    return private_files(url_name="bijeenkomsten:materiaal")


STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(?P<extension>[a-z]+)$")


def stored_files_recheck(*, rewrite: bool, log: Callable[[str], None]) -> dict[str, int]:
    """Files stored before the portal named and rewrote them itself: each is checked as its
    field's kind; with `rewrite` a file that passes is stored again as the portal's own (the
    old file deleted). One that fails is only listed: it stays served as its kind, inert,
    until someone removes it."""
    from django.apps import apps

    counts = {"ok": 0, "rewritten": 0, "refused": 0}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, CheckedFileField):
                continue
            rows = model._default_manager.exclude(**{field.name: ""}).only("pk", field.name)
            for row in rows.iterator(chunk_size=200):
                file = getattr(row, field.attname)
                found = STORED_NAME.match(PurePosixPath(file.name).name)
                if found and found["extension"] == field.file_kind.extension:
                    counts["ok"] += 1
                    continue
                try:
                    with file.open("rb"):
                        checked = normalise_upload(file, kind=field.file_kind)
                except (ValidationError, OSError) as exc:
                    counts["refused"] += 1
                    log(f"{model._meta.label} {row.pk} {field.name} {file.name}: {exc}")
                    continue
                counts["rewritten"] += 1
                if rewrite:
                    old = file.name
                    file.save(old, checked, save=False)
                    model._default_manager.filter(pk=row.pk).update(**{field.attname: file.name})
                    file.storage.delete(old)
    return counts


# --- Serving ---------------------------------------------------------------------------------


def serve_private_file(file: FieldFile) -> FileResponse:
    """The response for a stored file, after the caller checked the viewer may have it.

    The type is the one the field's kind decided, never one guessed from the name: a file
    stored before the names were the portal's own (`slides.html`) is served as its kind too,
    where it cannot run."""
    # Only a `CheckedFileField` stores the files served here (`file.field` is any FileField).
    kind = cast(CheckedFileField, file.field).file_kind
    assert file.name is not None  # a stored file: the caller found it on its row
    download_name = f"{PurePosixPath(file.name).stem}.{kind.extension}"
    response = FileResponse(
        file.open("rb"),
        content_type=kind.content_type,
        as_attachment=not kind.inline,
        filename=download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    # Not in shared caches: whether one may have it depends on who asks.
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Refusing too large uploads early --------------------------------------------------------


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops reading a request once its files pass
    MAX_REQUEST_BYTES (at once when its Content-Length says so), instead of taking in the whole
    body. The file it stopped in becomes a `TooLargeUpload`, which the form refuses by its size.

    What came before that file (the CSRF token, the fields) is kept; what came after is not
    read, so the refused form may show those fields empty."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.parsing = False
        self.declared = 0
        self.received = 0
        self.refused: TooLargeUpload | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if self.parsing:
            return None  # the parse below: let it run
        self.parsing = True
        self.declared = content_length or 0
        # Parse here, so the stand-in for a refused file can be added to the result.
        parser = MultiPartParser(META, input_data, self.request.upload_handlers, encoding)
        post, files = parser.parse()
        if self.refused is not None:
            # The parser closed the other files' handles when it stopped: keep none of them.
            files.clear()
            files.appendlist(self.refused.field_name, self.refused)
        return post, files

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.declared > MAX_REQUEST_BYTES:
            self._refuse(self.declared)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_REQUEST_BYTES:
            self._refuse(max(self.declared, self.received))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler holds the file

    def _refuse(self, size: int) -> None:
        assert self.file_name is not None  # set by `new_file`, which comes first
        self.refused = TooLargeUpload(name=self.file_name, size=size, field_name=self.field_name)
        raise StopUpload(connection_reset=True)
