"""The certificate as an A4 landscape PDF, in the style of Vietnamese certificates.

Text is drawn with DejaVu Serif, shipped in ``quiz/certificates/fonts`` (full Vietnamese coverage);
reportlab embeds a subset with a ToUnicode map, so copy-paste and ``pdftotext`` give the same words.
"""
from __future__ import annotations

import io
import itertools
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from quiz.models import Certificate, CertificateSettings, CertificateStatus, DocumentKind

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONTS = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf", "Serif-Italic": "DejaVuSerif-Italic.ttf",
         "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf"}
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_W, PAGE_H = landscape(A4)
RED = HexColor("#A3161B")
GOLD = HexColor("#C9A227")
INK = HexColor("#1B1B1B")
BLUE = HexColor("#12356B")
PAPER = HexColor("#FFFCF2")
MUTED = HexColor("#5A5A5A")

_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily("Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic",
                                  boldItalic="Serif-BoldItalic")
    _registered = True


@dataclass(frozen=True)
class Signer:
    authority_name: str
    department_name: str
    signer_title: str
    signer_name: str
    place: str
    logo: bytes | None = None

    @classmethod
    def from_settings(cls, s: CertificateSettings) -> Signer:
        return cls(s.authority_name or "", s.department_name, s.signer_title, s.signer_name, s.place, s.logo)


def vn(text: str | None) -> str:
    """NFC: one code point per Vietnamese letter, as the font and the text layer expect."""
    return unicodedata.normalize("NFC", text or "")


def vietnamese_date(place: str, when: date) -> str:
    """``Tây Ninh, ngày 05 tháng 02 năm 2026`` (days below 10 and months below 3 with a leading zero)."""
    day = f"{when.day:02d}"
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"{place}, ngày {day} tháng {month} năm {when.year}"


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def _centre(c: Canvas, text: str, x: float, y: float, font: str, size: float, color: Color = INK) -> float:
    c.setFont(font, size)
    c.setFillColor(color)
    c.drawCentredString(x, y, vn(text))
    return pdfmetrics.stringWidth(vn(text), font, size)


def _wrapped(c: Canvas, text: str, x: float, y: float, font: str, size: float, width: float,
             color: Color = INK, leading: float | None = None) -> float:
    """Centred lines of at most ``width``; returns the y below the last line."""
    leading = leading or size * 1.3
    for line in simpleSplit(vn(text), font, size, width):
        _centre(c, line, x, y, font, size, color)
        y -= leading
    return y


def _frame(c: Canvas) -> None:
    c.setFillColor(PAPER)
    c.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
    c.setStrokeColor(RED)
    c.setLineWidth(5)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.4)
    c.rect(28, 28, PAGE_W - 56, PAGE_H - 56)
    c.setLineWidth(0.6)
    c.rect(32, 32, PAGE_W - 64, PAGE_H - 64)
    c.setFillColor(GOLD)
    for x, y in ((28, 28), (PAGE_W - 28, 28), (28, PAGE_H - 28), (PAGE_W - 28, PAGE_H - 28)):
        path = c.beginPath()
        path.moveTo(x, y - 9)
        path.lineTo(x + 9, y)
        path.lineTo(x, y + 9)
        path.lineTo(x - 9, y)
        path.close()
        c.drawPath(path, stroke=0, fill=1)


def _heading(c: Canvas, signer: Signer) -> None:
    left_x, right_x, top = 235, PAGE_W - 235, PAGE_H - 70
    y = top
    if signer.authority_name:
        _centre(c, signer.authority_name.upper(), left_x, y, "Serif", 11.5)
        y -= 16
    y = _wrapped(c, signer.department_name.upper(), left_x, y, "Serif-Bold", 11.5, 300, leading=15)
    c.setStrokeColor(INK)
    c.setLineWidth(0.7)
    c.line(left_x - 40, y + 9, left_x + 40, y + 9)
    _centre(c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_x, top, "Serif-Bold", 11.5)
    width = _centre(c, "Độc lập - Tự do - Hạnh phúc", right_x, top - 17, "Serif-Bold", 12)
    c.line(right_x - width / 2, top - 22, right_x + width / 2, top - 22)
    if signer.logo:
        try:
            c.drawImage(ImageReader(io.BytesIO(signer.logo)), 48, PAGE_H - 118, width=62, height=62,
                        preserveAspectRatio=True, mask="auto")
        except Exception:  # noqa: BLE001 - a broken logo must not stop the certificate
            pass


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path (much faster and smaller than reportlab's widget of shapes)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    count = code.getModuleCount()
    box = size / count
    c.setFillColor(HexColor("#FFFFFF"))
    c.rect(x - 3 * box, y - 3 * box, size + 6 * box, size + 6 * box, stroke=0, fill=1)
    path = c.beginPath()
    for r, row in enumerate(code.modules):
        col = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            length = len(list(run))
            if dark:
                path.rect(x + col * box, y + size - (r + 1) * box, length * box, box)
            col += length
    c.setFillColor(INK)
    c.drawPath(path, stroke=0, fill=1)


def _stamp(c: Canvas, status: CertificateStatus) -> None:
    text = {CertificateStatus.REVOKED: "ĐÃ THU HỒI", CertificateStatus.REPLACED: "ĐÃ ĐƯỢC THAY THẾ"}[status]
    c.saveState()
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(18)
    c.setFillColor(Color(0.75, 0.05, 0.05, alpha=0.28))
    c.setFont("Serif-Bold", 64)
    c.drawCentredString(0, 0, text)
    c.restoreState()


def award_line(cert: Certificate) -> str:
    award = vn(cert.award)
    return f"Đã đạt {award}" if award.lower().startswith("giải") else award


def draw(c: Canvas, cert: Certificate, signer: Signer, verify_url: str) -> None:
    """Draw one certificate on the current page of ``c``."""
    register_fonts()
    mid = PAGE_W / 2
    _frame(c)
    _heading(c, signer)
    commendation = cert.document is DocumentKind.COMMENDATION
    _centre(c, "GIẤY KHEN" if commendation else "GIẤY CHỨNG NHẬN", mid, 404, "Serif-Bold", 38, RED)
    if commendation:
        y = _wrapped(c, f"{signer.signer_title} {signer.department_name}".upper(), mid, 374, "Serif-Bold", 13, 620)
        _centre(c, "Tặng", mid, y - 4, "Serif-Italic", 14)
    else:
        y = _wrapped(c, signer.department_name.upper(), mid, 374, "Serif-Bold", 13, 620)
        _centre(c, "Chứng nhận", mid, y - 4, "Serif-Italic", 14)
    person = cert.recipient_unit_id is None
    y -= 44
    if person:
        label, name = vn("Em: "), vn(cert.full_name)
        w_label = pdfmetrics.stringWidth(label, "Serif-Italic", 15)
        w_name = pdfmetrics.stringWidth(name, "Serif-BoldItalic", 27)
        x = mid - (w_label + w_name) / 2
        c.setFillColor(INK)
        c.setFont("Serif-Italic", 15)
        c.drawString(x, y, label)
        c.setFillColor(BLUE)
        c.setFont("Serif-BoldItalic", 27)
        c.drawString(x + w_label, y, name)
        y -= 30
        if cert.date_of_birth:
            _centre(c, f"Ngày sinh: {cert.date_of_birth.strftime('%d/%m/%Y')}", mid, y, "Serif", 13)
            y -= 19
        school = cert.school_name
        if school and not school.lower().startswith("trường"):
            school = f"Trường {school}"
        where = ", ".join(p for p in (f"lớp {cert.class_name}" if cert.class_name else "", school) if p)
        if where:
            y = _wrapped(c, f"Học sinh {where}", mid, y, "Serif", 13, 660)
        else:
            y -= 4
    else:
        y = _wrapped(c, cert.full_name, mid, y, "Serif-BoldItalic", 26, 660, BLUE, leading=30) - 8
    y = _wrapped(c, award_line(cert), mid, y - 12, "Serif-Bold", 19, 660, RED, leading=24)
    contest = cert.contest_title + (f" – {cert.round_title}" if cert.round_title else "")
    _wrapped(c, f"trong {contest}", mid, y - 2, "Serif-Italic", 14, 640, leading=18)

    sign_x = PAGE_W - 215
    _centre(c, vietnamese_date(signer.place, local_date(cert.issued_at)), sign_x, 160, "Serif-Italic", 12.5)
    _wrapped(c, signer.signer_title.upper(), sign_x, 141, "Serif-Bold", 12.5, 300, leading=15)
    _centre(c, signer.signer_name, sign_x, 66, "Serif-Bold", 13.5)

    _qr(c, verify_url, 56, 62, 78)
    c.setFillColor(INK)
    c.setFont("Serif", 10)
    c.drawString(142, 118, vn(f"Số hiệu: {cert.serial}"))
    c.setFont("Serif", 8)
    c.setFillColor(MUTED)
    c.drawString(142, 104, vn("Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra:"))
    c.drawString(142, 93, verify_url)
    if cert.status is not CertificateStatus.VALID:
        _stamp(c, cert.status)


def new_canvas(out: BinaryIO, title: str) -> Canvas:
    register_fonts()
    c = Canvas(out, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(vn(title))
    c.setAuthor("ASEAN Quiz")
    return c


def render(cert: Certificate, signer: Signer, verify_url: str) -> bytes:
    """One certificate as PDF bytes."""
    out = io.BytesIO()
    c = new_canvas(out, f"{cert.award} – {cert.full_name} – {cert.serial}")
    draw(c, cert, signer, verify_url)
    c.showPage()
    c.save()
    return out.getvalue()
