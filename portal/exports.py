"""The export base: each export yields rows, this module writes them as CSV or XLSX.

Modelled on pretix's ListExporter. An export declares its columns and yields plain
tuples; the base writes them to a file
- as CSV: semicolon with a UTF-8 byte-order mark (Dutch Excel opens that correctly) or
  plain comma without one;
- as XLSX through XlsxWriter's constant-memory mode: each row is written out before the
  next is read, so memory stays flat however many rows there are (and it is several times
  faster than openpyxl's write-only mode).

Every text cell passes the formula guard: a spreadsheet must never run a member's name.
In CSV a cell starting with a trigger gets a leading single quote; in XLSX text is always
stored as a string cell, never as a formula.

Every export writes one `ExportLog` row (who, when, which export, which filter, how many
rows), created when it is asked for and completed with the row count after the last.

Exports run as background jobs (pretix's export jobs): the export page (and the admin's
export actions) create an `ExportJob` with its log row (`portal.exportjobs`), the Celery
worker (`portal.tasks.run_export_job`, `export_job_run` here) writes the file to the private
"exports" storage every web node shares, noting its progress as it goes, and the job's page
follows it and then offers the file to whoever started it, for a limited time
(`EXPORT_FILE_RETENTION`, declared in `portal.privacy`; the retention step deletes it). No
web request waits for the rows.

What there is to export is the domain's to say (pretix's `register_data_exporters`): each
domain app's `exports` module subclasses `Exporter` (who may use it, its filter fields, its
section of the export page, the export it runs) and calls `register(...)` when imported;
`portal.apps` imports every app's `exports` module at start-up, as the admin finds every
`admin.py`. The export page (`portal.views`, `portal.urls`) only walks the registry.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter import Workbook as XlsxWorkbook

from .models import ExportJob, ExportLog, export_storage
from .personal_data import Action, Retention

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.utils.functional import Promise

    User = AbstractBaseUser | AnonymousUser

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DB_CHUNK_SIZE = 2000  # rows fetched per round trip by `.iterator()`
PROGRESS_EVERY = 0.5  # seconds between two progress notes of a running export job
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

logger = logging.getLogger(__name__)


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

    def estimate(self) -> int | None:
        """How many rows to expect (for the progress bar), cheaply; None when unknown."""
        return None

    def write_file(self, fmt: str, target, progress=None) -> int:
        """Write the export in `fmt` to a binary file; return the number of data rows.

        `progress(count)` is called now and then (every `PROGRESS_EVERY` seconds at most)."""
        if fmt in CSV_DIALECTS:
            return self.write_csv_file(CSV_DIALECTS[fmt], target, progress)
        if fmt == Format.XLSX:
            return self.write_xlsx_constant_memory(target, progress)
        raise ValueError(f"Unknown export format: {fmt}")

    def _counted(self, progress) -> Iterator[Sequence[Any]]:
        """The rows, read in a streaming transaction, with progress notes on the way."""
        count = 0
        due = time.monotonic() + PROGRESS_EVERY
        with reading_transaction():
            for row in self.rows():
                yield row
                count += 1
                if progress is not None and not count % 256 and time.monotonic() >= due:
                    progress(count)
                    due = time.monotonic() + PROGRESS_EVERY

    def write_csv_file(self, dialect: CsvDialect, target, progress=None) -> int:
        text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=False)
        try:
            if dialect.bom:
                text.write("\ufeff")
            writer = csv.writer(text, delimiter=dialect.delimiter, lineterminator="\r\n")
            writer.writerow(self.headers())
            count = 0
            for row in self._counted(progress):
                writer.writerow([csv_cell(value) for value in row])
                count += 1
            text.flush()
        finally:
            text.detach()  # the caller keeps (and closes) the binary file
        return count

    def write_xlsx_constant_memory(self, target, progress=None) -> int:
        """XLSX through XlsxWriter's constant-memory mode: each row is written out before the
        next, so memory stays flat. Text always goes in as a string cell, never a formula."""
        workbook = XlsxWorkbook(
            target,
            {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "strings_to_numbers": False},
        )
        sheet = workbook.add_worksheet(str(self.verbose_name)[:31])
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for column, header in enumerate(self.headers()):
            sheet.write_string(0, column, _xml_text(header))
        count = 0
        for count, row in enumerate(self._counted(progress), start=1):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(count, column, _xml_text(value))
                elif isinstance(value, bool):
                    sheet.write_boolean(count, column, value)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(count, column, value)
                elif isinstance(value, datetime.datetime):
                    if value.tzinfo is not None:
                        value = timezone.localtime(value).replace(tzinfo=None)
                    sheet.write_datetime(count, column, value, datetime_format)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(count, column, value, date_format)
                else:
                    sheet.write_string(count, column, _xml_text(str(value)))
        workbook.close()
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


def _xml_text(value: str) -> str:
    """Text an XLSX may hold: no characters XML forbids."""
    return NOT_XML_CHARACTERS_RE.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))


# --- background jobs: the export page's exports run in the worker ------------------------

EXPORT_FILE_RETENTION = Retention(
    key="export_files",
    default_days=1,
    starts=_("after the export finished"),
    action=Action.DELETE,
    apply=lambda now: export_files_delete_expired(now=now),
)

EXTENSIONS = {Format.CSV_SEMICOLON: "csv", Format.CSV_COMMA: "csv", Format.XLSX: "xlsx"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


class _Progress:
    """Notes a running job's rows on a connection of its own: the export reads inside a
    transaction (`reading_transaction`), whose writes nobody sees before it ends."""

    def __init__(self, job_id) -> None:
        self.job_id = job_id
        self.own = connection.vendor == "postgresql"
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if self.own else None

    def __call__(self, count: int) -> None:
        if self.connection is None:
            ExportJob.objects.filter(pk=self.job_id).update(rows_written=count)
            return
        table = self.connection.ops.quote_name(ExportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_written = %s WHERE id = %s",  # noqa: S608 (our own table)
                [count, self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def export_job_run(job_id) -> str:
    """Claim a queued job, write its file to the exports storage, log and finish it.

    Runs in the worker. The claim is a conditional update, so a job runs once however often
    its task is delivered. The user's rights are asked again now, not when it was queued."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("user", "log").get(pk=job_id)
    log = job.log
    progress = _Progress(job.pk)
    count = 0
    try:
        exporter = get_exporter(job.exporter)
        if not exporter.allowed(job.user):
            raise PermissionDenied
        if log.source == "admin":
            export = exporter.export_selection(job.user, job.ids, log.filters)
        else:
            obj = exporter.get_object(job.user, **job.url_kwargs)
            export = exporter.export(job.user, obj, log.filters)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=export.estimate())
        extension = EXTENSIONS[log.format]
        with tempfile.TemporaryFile() as target:
            count = export.write_file(log.format, target, progress)
            target.seek(0)
            name = export_storage().save(f"exports/{job.pk}.{extension}", File(target))
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            rows_written=count,
            error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        ExportLog.objects.filter(pk=log.pk).update(rows=count, complete=False)
        return "failed"
    finally:
        progress.close()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        finished_at=timezone.now(),
        rows_written=count,
        rows_total=count,
        file=name,
        filename=f"{export.filename()}.{extension}",
    )
    ExportLog.objects.filter(pk=log.pk).update(rows=count, complete=True)
    return "done"


def export_job_expires(job: ExportJob) -> datetime.datetime | None:
    """Until when the job's file may be downloaded."""
    if job.finished_at is None:
        return None
    return job.finished_at + datetime.timedelta(days=EXPORT_FILE_RETENTION.days)


def export_job_response(job: ExportJob) -> FileResponse:
    """The finished job's file, for the user who started it (the caller checked)."""
    extension = job.filename.rsplit(".", 1)[-1]
    response = FileResponse(
        export_storage().open(job.file, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_files_delete_expired(*, now: datetime.datetime) -> int:
    """Delete the files of jobs finished longer ago than the retention period (and of failed
    jobs); idempotent, in batches. Returns how many jobs it cleared."""
    cutoff = now - datetime.timedelta(days=EXPORT_FILE_RETENTION.days)
    storage = export_storage()
    cleared = 0
    while True:
        batch = list(
            ExportJob.objects.filter(finished_at__lt=cutoff)
            .exclude(status=ExportJob.Status.EXPIRED)
            .values_list("pk", "file")[:500]
        )
        if not batch:
            return cleared
        for _pk, name in batch:
            if name:
                storage.delete(name)
        cleared += ExportJob.objects.filter(pk__in=[pk for pk, _name in batch]).update(
            status=ExportJob.Status.EXPIRED, file=""
        )


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

    def export_selection(self, user: User, ids: list[int], filters: dict[str, Any]) -> BaseExport:
        """The export of the rows an admin action selected (by id), for its job."""
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
