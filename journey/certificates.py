"""Certificates: the PDF each person downloads, and finding one by its verification code.

The PDF is drawn with fpdf2 (pure Python wheels, nothing to install on the system) in its
core Helvetica font. Core fonts only know Latin-1, and fpdf2 ships no Unicode font, so text is
passed through `latin1()`: accents outside Latin-1 lose their accent (Ş -> S, ő -> o), typographic
punctuation becomes its plain form, and a character with no Latin form (a name in Arabic
script, say) becomes "?". The certificate's record keeps the real names, and the verification
page shows them as they are."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from .models import Certificate
from .wording import long_date

NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
GREY = (76, 98, 114)

# Letters and punctuation that have no Latin-1 decomposition but an obvious plain form.
_PLAIN = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u20ac": "EUR",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
}


def latin1(text: str) -> str:
    """Text the PDF's core font can draw (see the module's docstring)."""
    out = []
    for char in str(text):
        char = _PLAIN.get(char, char)
        if _is_latin1(char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and _is_latin1(base) else "?")
    return "".join(out)


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: dashes and spaces dropped, any case."""
    return re.sub(r"[^A-Za-z0-9]", "", typed or "").upper()


def find_by_code(typed: str) -> Certificate | None:
    code = normalise_code(typed)
    if len(code) != 12:
        return None
    return Certificate.objects.filter(code=code).select_related("mentorship").first()


def confirmed_time(minutes: int) -> str:
    """ "18 hours 30 minutes": confirmed mentoring time as a portfolio states it."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours or not rest:
        parts.append(f"{hours} hour{'' if hours == 1 else 's'}")
    if rest:
        parts.append(f"{rest} minute{'' if rest == 1 else 's'}")
    return " ".join(parts)


def role_of(certificate: Certificate) -> str:
    """ "mentee" or "mentor": the person's part in the mentorship."""
    return "mentee" if certificate.person_id == certificate.mentorship.mentee_id else "mentor"


def verification_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("journey:verify_certificate")


def filename(certificate: Certificate) -> str:
    return f"mentoring-certificate-{certificate.display_code}.pdf"


class _CertificatePDF(FPDF):
    def header(self) -> None:
        """A blue frame on every page."""
        self.set_draw_color(*NHS_BLUE)
        self.set_line_width(1.2)
        self.rect(10, 10, self.w - 20, self.h - 20)


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 PDF."""
    role = role_of(certificate)
    if role == "mentee":
        name, other, other_role = certificate.mentee_name, certificate.mentor_name, "mentor"
    else:
        name, other, other_role = certificate.mentor_name, certificate.mentee_name, "mentee"

    pdf = _CertificatePDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(22, 22, 22)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_title(latin1(f"Certificate of mentoring: {name}"))
    pdf.set_author(latin1(certificate.programme_name))
    pdf.set_creator(latin1(settings.SITE_NAME))
    pdf.add_page()

    def line(text: str, size: float = 12, style: str = "", colour=TEXT, gap: float = 2) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(30)
    line(certificate.programme_name, 14, "B", NHS_BLUE, gap=6)
    line("Certificate of mentoring", 28, "B", gap=10)
    line("This is to certify that", 12)
    line(name, 22, "B", gap=4)
    line(f"took part as the {role} in a mentoring relationship with", 12)
    line(f"{other} ({other_role})", 14, "B", gap=10)

    facts = [
        ("Dates", f"{long_date(certificate.started_on)} to {long_date(certificate.ended_on)}"),
        (
            "Meetings",
            f"{certificate.meetings} confirmed meeting{'s' if certificate.meetings != 1 else ''}",
        ),
        ("Confirmed mentoring time", confirmed_time(certificate.confirmed_minutes)),
    ]
    for label, value in facts:
        pdf.set_font("helvetica", "B", 12)
        pdf.set_text_color(*TEXT)
        pdf.cell(62, 7, latin1(label))
        pdf.set_font("helvetica", "", 12)
        pdf.multi_cell(0, 7, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 7, "Goals worked on", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    if certificate.goals:
        for goal in certificate.goals:
            text = f"{goal['text']} ({goal.get('status_label', '')})"
            pdf.cell(6, 6, "-")
            pdf.multi_cell(0, 6, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, 6, "No goals were recorded in the mentoring agreement.")
    pdf.ln(8)

    pdf.set_font("helvetica", "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        0,
        5,
        "This certificate is suitable as evidence of mentoring for appraisal, revalidation or "
        "a training portfolio. Meetings and time count only meetings that both people "
        "confirmed.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_text_color(*TEXT)
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 7, f"Verification code: {certificate.display_code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(
        0,
        5,
        latin1(f"Check that this certificate is genuine at {verification_url()}"),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        5,
        latin1(f"Issued on {long_date(timezone.localtime(certificate.issued_at))}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
