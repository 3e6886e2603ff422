"""The export base: each export yields rows, this module writes them as CSV or XLSX.

Modelled on pretix's ListExporter. An export declares its columns and yields plain
tuples; the base writes them
- as CSV, streamed: semicolon with a UTF-8 byte-order mark (Dutch Excel opens that
  correctly) or plain comma without one;
- as XLSX in openpyxl's write-only mode, spooled to a temporary file, so memory stays
  bounded however many rows there are.

Every text cell passes the formula guard: a spreadsheet must never run a member's name.
In CSV a cell starting with a trigger gets a leading single quote; in XLSX text is always
stored as a string cell, never as a formula.

Every export writes one `ExportLog` row (who, when, which export, which filter, how many
rows), created before the first byte and completed with the row count after the last.

What there is to export is the domain's to say (pretix's `register_data_exporters`): each
domain app's `exports` module subclasses `Exporter` (who may use it, its filter fields, its
section of the export page, the export it runs) and calls `register(...)` when imported;
`portal.apps` imports every app's `exports` module at start-up, as the admin finds every
`admin.py`. The export page (`portal.views`, `portal.urls`) only walks the registry.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import ExportLog

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.utils.functional import Promise

    User = AbstractBaseUser | AnonymousUser

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_ROWS_PER_CHUNK = 500  # rows joined into one chunk: fewer, larger writes to the socket
DB_CHUNK_SIZE = 2000  # rows fetched per round trip by `.iterator()`


class Format:
    CSV_SEMICOLON = "csv"
    CSV_COMMA = "csv-comma"
    XLSX = "xlsx"

    CHOICES: ClassVar[list[tuple[str, Promise]]] = [
        (CSV_SEMICOLON, _("CSV for Excel (semicolon, UTF-8)")),
        (CSV_COMMA, _("CSV (comma, UTF-8)")),
        (XLSX, _("Excel workbook (XLSX)")),
    ]


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    bom: bool


CSV_DIALECTS = {
    Format.CSV_SEMICOLON: CsvDialect(delimiter=";", bom=True),
    Format.CSV_COMMA: CsvDialect(delimiter=",", bom=False),
}


def neutralise(value: str) -> str:
    """Prefix a quote to text a spreadsheet would read as a formula (CSV injection)."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_cell(value: Any) -> str:
    """One value as CSV text; only text from the database can carry a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write returns the text, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


class BaseExport:
    """An export: subclasses set `identifier`, `verbose_name`, `columns` and `rows()`.

    `rows()` must not query per row: fetch with `.values_list(...).iterator(chunk_size=…)`
    and annotations. Values may be str, int, bool, date, datetime or None.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[Promise]
    columns: ClassVar[Sequence[Promise]]

    def __init__(self, *, user: User | None, filters: dict[str, Any] | None = None) -> None:
        self.user = user
        self.filters = filters or {}

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def filename(self) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{slugify(self.identifier)}-{stamp}"

    def headers(self) -> list[str]:
        return [str(column) for column in self.columns]

    # --- writers -------------------------------------------------------------------------

    def iter_csv(self, dialect: CsvDialect, on_done=None) -> Iterator[str]:
        """Yield the CSV in chunks of text; `on_done(count)` runs after the last row."""
        writer = csv.writer(_Echo(), delimiter=dialect.delimiter, lineterminator="\r\n")
        count = 0
        complete = False
        try:
            # The header goes out before the query runs, so the download starts at once.
            yield ("\ufeff" if dialect.bom else "") + writer.writerow(self.headers())
            chunk = []
            with reading_transaction():
                for row in self.rows():
                    chunk.append(writer.writerow([csv_cell(value) for value in row]))
                    count += 1
                    if len(chunk) >= CSV_ROWS_PER_CHUNK:
                        yield "".join(chunk)
                        chunk = []
            if chunk:
                yield "".join(chunk)
            complete = True
        finally:
            # Also runs when the client goes away mid-download (GeneratorExit).
            if on_done is not None:
                on_done(count, complete=complete)

    def write_xlsx(self, target) -> int:
        """Write the workbook to a binary file object; return the number of data rows."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.verbose_name)[:31])
        sheet.append(self.headers())
        count = 0
        with reading_transaction():
            for row in self.rows():
                sheet.append([xlsx_cell(sheet, value) for value in row])
                count += 1
        workbook.save(target)
        return count


def reading_transaction() -> AbstractContextManager:
    """A transaction around the read on PostgreSQL, so `.iterator()` streams.

    Outside a transaction Django declares its server-side cursor WITH HOLD, and PostgreSQL
    then computes and stores the whole result before the first row: measured at 100,000
    members, the first rows came after 4.9 s instead of 0.3 s. SQLite has no server-side
    cursors, and an (IMMEDIATE) transaction there would block writers for the download.
    """
    if connection.vendor == "postgresql":
        return transaction.atomic()
    return nullcontext()


# XML 1.0 forbids U+FFFE and U+FFFF too, which openpyxl's ILLEGAL_CHARACTERS_RE lets through:
# a workbook holding one does not open.
NOT_XML_CHARACTERS_RE = re.compile("[\ufffe\uffff]")


def xlsx_cell(sheet, value: Any) -> Any:
    """A value openpyxl may write: text always as a string cell, never as a formula."""
    if isinstance(value, str):
        value = NOT_XML_CHARACTERS_RE.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
        if value.startswith("="):
            # openpyxl would type this as a formula; force the string type.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


# --- responses -------------------------------------------------------------------------


def export_response(
    export: BaseExport, *, fmt: str, user: User | None, source: str = "page"
) -> StreamingHttpResponse:
    """Run an export, log it, and return the download response (streamed for CSV)."""
    log = ExportLog.objects.create(
        # By id: portal knows the user model only as settings.AUTH_USER_MODEL.
        user_id=user.pk if user is not None and user.is_authenticated else None,
        user_email=getattr(user, "email", "") or "",
        export=export.identifier,
        format=fmt,
        source=source,
        filters=export.filters,
    )

    def finish(count: int, *, complete: bool) -> None:
        ExportLog.objects.filter(pk=log.pk).update(rows=count, complete=complete)

    if fmt in CSV_DIALECTS:
        response = StreamingHttpResponse(
            export.iter_csv(CSV_DIALECTS[fmt], on_done=finish),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename()}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    if fmt == Format.XLSX:
        # Write-only rows go to openpyxl's temporary files; the finished zip is spooled
        # to disk past a few MB, so neither step holds the whole export in memory.
        target = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
        count = export.write_xlsx(target)
        finish(count, complete=True)
        target.seek(0)
        response = FileResponse(
            target,
            as_attachment=True,
            filename=f"{export.filename()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    raise ValueError(f"Unknown export format: {fmt}")


# --- the registry: what the export page offers ---------------------------------------------


class Exporter:
    """One export on the export page, with its own download URL; domain apps subclass it.

    The page shows the sections of the exporters a user may use, in `order`. A download is a
    POST to `route` (below the export page), named `url_name` in the "portal" namespace; its
    URL arguments go to `get_object`. The posted form holds the exporter's `form_fields` and
    the format. An exporter with filter fields shows them as a form in its section, and a bad
    post shows the page again with the errors (400); one without is posted from buttons, and
    a bad post gets a bare 400.
    """

    url_name: ClassVar[str]
    route: ClassVar[str]
    template: ClassVar[str]  # its section of the export page; gets `section` in its context
    order: ClassVar[int] = 0

    def allowed(self, user: User) -> bool:
        """May `user` use this export at all (see its section, download)?"""
        raise NotImplementedError

    def form_fields(self, user: User) -> dict[str, forms.Field]:
        """The filter fields beside the format, with the choices open to `user`."""
        return {}

    def section_context(self, user: User) -> dict[str, Any]:
        """What its section of the page lists besides the form (objects to download)."""
        return {}

    def get_object(self, user: User, **url_kwargs: Any) -> Any:
        """The one object a download URL names; raise Http404 outside the user's reach."""
        return None

    def export(self, user: User, obj: Any, filters: dict[str, Any]) -> BaseExport:
        raise NotImplementedError


_registry: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Offer `exporter` on the export page; called by a domain `exports` module on import."""
    known = _registry.get(exporter.url_name)
    if known is not None and type(known) is not type(exporter):
        raise ImproperlyConfigured(f"Two exporters are named {exporter.url_name!r}.")
    _registry[exporter.url_name] = exporter
    return exporter


def exporters() -> list[Exporter]:
    """Every registered exporter, in the order of the page."""
    return sorted(_registry.values(), key=lambda exporter: exporter.order)


def get_exporter(url_name: str) -> Exporter:
    return _registry[url_name]
