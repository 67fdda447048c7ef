"""The PDF: Vietnamese text layer identical to the data, the serial, the heading, the shipped font."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from quiz.certificates import pdf
from quiz.models import Certificate, CertificateStatus, DocumentKind

from .textlayer import pdf_text

SIGNER = pdf.Signer("UBND TỈNH TÂY NINH", "Sở Giáo dục và Đào tạo Tây Ninh", "Giám đốc", "Trần Văn Đức", "Tây Ninh")


def _cert(**kw) -> Certificate:
    values = dict(serial="ASEAN-2026-K7M3Q9XA", full_name="Nguyễn Thị Ánh Tuyết", date_of_birth=date(2012, 5, 17),
                  class_name="9A1", school_name="Trường THCS Nguyễn Du", contest_title="Cuộc thi tìm hiểu về ASEAN năm 2026",
                  round_title="Tuần 1", award="Giải Nhất", document=DocumentKind.COMMENDATION,
                  issued_at=datetime(2026, 2, 4, 20, 0, tzinfo=timezone.utc), status=CertificateStatus.VALID)
    values.update(kw)
    return Certificate(**values)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_text_layer_gives_the_same_vietnamese_words(tmp_path):
    text = _words(pdf_text(pdf.render(_cert(), SIGNER, "https://thi.example.vn/verify/ASEAN-2026-K7M3Q9XA"), tmp_path))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH",
                     "GIẤY KHEN", "Nguyễn Thị Ánh Tuyết", "Ngày sinh: 17/05/2012",
                     "Học sinh lớp 9A1, Trường THCS Nguyễn Du", "Đã đạt Giải Nhất",
                     "trong Cuộc thi tìm hiểu về ASEAN năm 2026 – Tuần 1",
                     "Tây Ninh, ngày 05 tháng 02 năm 2026",  # 20:00 UTC on 4 Feb is 5 Feb in Việt Nam
                     "GIÁM ĐỐC", "Trần Văn Đức", "Số hiệu: ASEAN-2026-K7M3Q9XA",
                     "https://thi.example.vn/verify/ASEAN-2026-K7M3Q9XA"):
        assert expected in text, expected


def test_decomposed_names_are_printed_as_ordinary_vietnamese_letters(tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đỗ Thị Hương Giang")
    text = pdf_text(pdf.render(_cert(full_name=decomposed), SIGNER, "https://x/verify/S"), tmp_path)
    assert "Đỗ Thị Hương Giang" in text


def test_a_completion_certificate_says_giay_chung_nhan_and_a_school_award_has_no_pupil_lines(tmp_path):
    text = _words(pdf_text(pdf.render(_cert(document=DocumentKind.CERTIFICATE, award="Hoàn thành bài thi"), SIGNER,
                                      "https://x/verify/S"), tmp_path))
    assert "GIẤY CHỨNG NHẬN" in text and "GIẤY KHEN" not in text and "Hoàn thành bài thi" in text
    school = _words(pdf_text(pdf.render(_cert(full_name="Trường THCS Nguyễn Du", recipient_unit_id=5,
                                              date_of_birth=None, class_name=""), SIGNER, "https://x/verify/S"),
                             tmp_path))
    assert "Trường THCS Nguyễn Du" in school and "Ngày sinh" not in school and "Em:" not in school


def test_a_revoked_certificate_is_stamped(tmp_path):
    text = pdf_text(pdf.render(_cert(status=CertificateStatus.REVOKED), SIGNER, "https://x/verify/S"), tmp_path,
                    raw=True)
    assert "ĐÃ THU HỒI" in text
    valid = pdf_text(pdf.render(_cert(), SIGNER, "https://x/verify/S"), tmp_path, raw=True)
    assert "ĐÃ THU HỒI" not in valid


def test_the_page_is_a4_landscape_and_the_font_is_shipped_with_the_code(tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.render(_cert(), SIGNER, "https://x/verify/S"))
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert all((pdf.FONT_DIR / name).is_file() for name in pdf.FONTS.values())
    assert (pdf.FONT_DIR / "LICENSE").is_file()
    assert Path(pdf.FONT_DIR).is_relative_to(Path(pdf.__file__).resolve().parent)


def test_the_vietnamese_date_follows_the_official_style():
    assert pdf.vietnamese_date("Tây Ninh", date(2026, 1, 9)) == "Tây Ninh, ngày 09 tháng 01 năm 2026"
    assert pdf.vietnamese_date("Tây Ninh", date(2026, 11, 21)) == "Tây Ninh, ngày 21 tháng 11 năm 2026"
