"""What the portal itself holds on members: finished export files (member and registration
lists), kept for their downloader a limited time, then deleted by the retention job."""

from django.utils.translation import gettext_lazy as _

from .exports import EXPORT_FILE_RETENTION
from .personal_data import Ground, declare

declare(
    "portal.ExportJob",
    fields=("file",),
    # The register takes lazy text (translated where it is shown); its hints say str.
    purpose=_("the export file (member or registration list) its downloader asked for"),  # type: ignore[arg-type]
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("the staff member or coordinator who started the export"),  # type: ignore[arg-type]
    retention=EXPORT_FILE_RETENTION,
)
