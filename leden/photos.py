"""A member's photo: stored checked and re-encoded, deleted with its file."""

from __future__ import annotations

from django.db import transaction

from .models import Lid


@transaction.atomic
def lid_photo_set(*, lid: Lid, upload) -> None:
    """Store a member's photo as a new JPEG of at most 800 px without EXIF (no GPS position,
    camera or dates); the previous photo is deleted."""
    previous = lid.foto.name
    # The field checks and re-encodes the upload and gives it a random name.
    lid.foto.save("foto.jpg", upload, save=False)
    lid.save(update_fields=["foto"])
    if previous:
        transaction.on_commit(lambda: lid.foto.storage.delete(previous))


@transaction.atomic
def lid_photo_remove(*, lid: Lid) -> None:
    """Delete a member's photo, file included."""
    name = lid.foto.name
    if not name:
        return
    storage = lid.foto.storage
    lid.foto = ""
    lid.save(update_fields=["foto"])
    transaction.on_commit(lambda: storage.delete(name))
