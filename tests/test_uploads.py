import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.uploads import MAX_IMAGE_BYTES, validate_image, validate_pdf


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_real_png_is_accepted():
    validate_image(SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"))


def test_text_file_named_like_an_image_is_refused_in_dutch():
    upload = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert error.value.code == "image_invalid"


def test_oversized_image_is_refused():
    upload = SimpleUploadedFile("big.png", png_bytes() + b"0" * MAX_IMAGE_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert error.value.code == "file_too_large"


def test_pdf_is_checked_by_content():
    validate_pdf(SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n%%EOF"))
    with pytest.raises(ValidationError):
        validate_pdf(SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>"))
