"""Who looked at a member's details: one row per opening, by coordinators and staff, in the
admin or the portal (issue 19). Exports are logged by `portal.exports` in `ExportLog`.

One function records, called by every view that shows a member's details (the admin's change
views of the account, profile and membership; see `leden.admin`); the member's data download
reads `views_of`. The rows say who, when, which member and which page, never what was shown,
and go after a year (the "access_log" retention rule, `portal.privacy`).
"""

from __future__ import annotations

from typing import Any

from .models import Inzage


def record_view(*, viewer: Any, subject_id: int, waar: str, what: str) -> None:
    """Note that `viewer` opened the details of the member whose user id is `subject_id`.

    A member looking at their own details is not logged: the log is about others."""
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == subject_id:
        return
    Inzage.objects.create(
        viewer_id=viewer.pk,
        viewer_email=getattr(viewer, "email", "") or "",
        subject_id=subject_id,
        waar=waar,
        what=what[:50],
    )


def views_of(subject_id: int) -> list[dict[str, Any]]:
    """Who opened this member's details, newest first: for their data download."""
    rows = Inzage.objects.filter(subject_id=subject_id)
    return [dict(row) for row in rows.values("created_at", "viewer_email", "waar", "what")]
