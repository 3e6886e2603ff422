"""The certificate and the yearly overview as PDF, drawn with reportlab.

Nothing is fetched: the font is the Bitstream Vera TrueType that ships inside reportlab
(embedded in each PDF, so every reader shows the same letters, accents included), and the QR
code is drawn as squares from qrcode's matrix, no image. A test blocks the network and proves
rendering makes no attempt.
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .educational import hours
from .models import Categorie
from .selectors import CertificateFacts, YearOverview

_FONTS = Path(reportlab.__file__).parent / "fonts"
FONT, BOLD = "RegionetVera", "RegionetVeraBold"


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    _register_fonts()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, initialFontName=FONT)
    canvas.setTitle(title)
    canvas.setAuthor("Regionet")
    canvas.setCreator("Regionet")
    return canvas


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """A QR code of `text` as filled squares, bottom-left at (x, y)."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def category_label(categorie: str) -> str:
    return str(Categorie(categorie).label)


def certificate_pdf(facts: CertificateFacts, verification_url: str) -> bytes:
    """The certificate of attendance: who, what, when, by whom, how much, and where to check."""
    buffer = io.BytesIO()
    title = _("Certificate of attendance")
    canvas = _canvas(buffer, f"{title}: {facts.bijeenkomst.titel}")
    width, height = A4
    left, y = 25 * mm, height - 35 * mm
    canvas.setFont(BOLD, 22)
    canvas.drawString(left, y, title)
    y -= 10 * mm
    canvas.setFont(FONT, 11)
    canvas.drawString(left, y, _("Regionet, the portal of the regional networks of social workers"))
    y -= 18 * mm
    lines: list[tuple[str, str]] = [
        (_("Name"), facts.naam),
    ]
    if facts.registernummer:
        lines.append((_("Register number"), facts.registernummer))
    lines += [
        (_("Meeting"), facts.bijeenkomst.titel),
        (_("Date"), formats.date_format(facts.datum, "DATE_FORMAT")),
        (_("Organised by"), ", ".join(facts.netwerken)),
        (_("Net educational hours"), hours(facts.tijd.totaal)),
        (_("Points"), hours(facts.tijd.totaal)),
    ]
    for cat, minutes in sorted(facts.tijd.minuten.items()):
        lines.append((category_label(cat), _("%(hours)s hours") % {"hours": hours(minutes)}))
    if facts.tijd.accreditatie_id:
        lines.append((_("Accreditation id (PE-online)"), facts.tijd.accreditatie_id))
    for label, value in lines:
        canvas.setFont(BOLD, 11)
        canvas.drawString(left, y, label)
        canvas.setFont(FONT, 11)
        # A long title or list of networks wraps within the page.
        for part in simpleSplit(value, FONT, 11, width - left - 60 * mm - 20 * mm) or [""]:
            canvas.drawString(left + 60 * mm, y, part)
            y -= 6 * mm
        y -= 2 * mm
    y -= 10 * mm
    canvas.setFont(FONT, 10)
    canvas.drawString(left, y, _("Check this certificate at:"))
    y -= 6 * mm
    canvas.setFont(BOLD, 10)
    canvas.drawString(left, y, verification_url)
    _qr(canvas, verification_url, left, y - 45 * mm, 38 * mm)
    canvas.setFont(FONT, 8)
    canvas.drawString(
        left,
        20 * mm,
        _("One point per net hour of educational content; breaks and reception not counted."),
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def year_overview_pdf(overview: YearOverview) -> bytes:
    """The yearly overview: every attended meeting with its hours per category, the totals,
    and the register's maximum for "other" pointed out."""
    buffer = io.BytesIO()
    title = _("Professional development %(year)s") % {"year": overview.jaar}
    canvas = _canvas(buffer, title)
    width, height = A4
    left = 15 * mm
    columns = [left, left + 25 * mm, left + 100 * mm, left + 135 * mm, left + 155 * mm]
    cats = [Categorie.GEACCREDITEERD, Categorie.OVERIG, Categorie.REFLECTIE]

    def heading(y: float) -> float:
        canvas.setFont(BOLD, 8)
        for x, text in zip(
            columns,
            [_("Date"), _("Meeting"), _("Accreditation id"), _("Category"), _("Hours")],
            strict=True,
        ):
            canvas.drawString(x, y, text)
        return y - 5 * mm

    y = height - 20 * mm
    canvas.setFont(BOLD, 16)
    canvas.drawString(left, y, title)
    y -= 8 * mm
    canvas.setFont(FONT, 10)
    canvas.drawString(left, y, overview.lid.naam)
    if overview.lid.registernummer:
        canvas.drawString(
            left + 90 * mm, y, _("Register number %(n)s") % {"n": overview.lid.registernummer}
        )
    y = heading(y - 10 * mm)
    for row in overview.rows:
        for cat, minutes in sorted(row.tijd.minuten.items()) or [("", 0)]:
            if y < 30 * mm:
                canvas.showPage()
                y = heading(height - 20 * mm)
            canvas.setFont(FONT, 8)
            canvas.drawString(columns[0], y, formats.date_format(row.datum, "SHORT_DATE_FORMAT"))
            canvas.drawString(columns[1], y, row.bijeenkomst.titel[:48])
            canvas.drawString(columns[2], y, row.tijd.accreditatie_id)
            canvas.drawString(columns[3], y, category_label(cat)[:14] if cat else "–")
            canvas.drawString(columns[4], y, hours(minutes))
            y -= 5 * mm
    y -= 5 * mm
    canvas.setFont(BOLD, 10)
    canvas.drawString(left, y, _("Totals"))
    y -= 6 * mm
    canvas.setFont(FONT, 10)
    for cat in cats:
        canvas.drawString(left, y, category_label(cat))
        canvas.drawString(
            left + 110 * mm, y, _("%(hours)s hours") % {"hours": hours(overview.totals.get(cat, 0))}
        )
        y -= 6 * mm
    y -= 4 * mm
    canvas.setFont(FONT, 9)
    canvas.drawString(left, y, overig_note(overview))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def overig_note(overview: YearOverview) -> str:
    """The register's maximum for "other professional development", pointed out: the
    overview shows every hour; the register applies the maximum."""
    if overview.overig_above_max:
        return _(
            "Note: the register counts at most %(max)s points of other professional "
            "development; this overview lists all %(hours)s hours, the register applies the "
            "maximum."
        ) % {
            "max": overview.overig_max_punten,
            "hours": hours(overview.totals.get(Categorie.OVERIG, 0)),
        }
    return _("The register counts at most %(max)s points of other professional development.") % {
        "max": overview.overig_max_punten
    }
