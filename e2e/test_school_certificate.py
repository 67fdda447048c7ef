"""A school's own contest: the pupil's certificate is signed by the school's principal, not the Department's
Director (issue 16) — the phone page that lists it and the PDF itself, rendered to an image."""
from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from steps import login, no_horizontal_scroll

SCHOOL_CONTEST = "Rung chuông vàng ASEAN cấp trường"


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm, pdftotext)")
def test_a_pupil_gets_a_school_contest_certificate_signed_by_the_principal(browsing, shots, tmp_path):
    page = browsing.page()
    login(page, "s101")
    page.goto("/certificates/mine")
    card = page.locator(".cert-card").filter(has_text=SCHOOL_CONTEST).first
    expect(card).to_be_visible()
    expect(card.locator(".cert-issuer")).to_contain_text("do HIỆU TRƯỞNG TRƯỜNG THCS TRẦN HƯNG ĐẠO ký")
    expect(page.locator(".cert-card").filter(has_text="Tuần 1").first.locator(".cert-issuer")) \
        .to_contain_text("GIÁM ĐỐC")  # the Department's contest keeps the Director
    no_horizontal_scroll(page)
    card.scroll_into_view_if_needed()
    shots(page, "my-certificates-school-signed")

    body = page.request.get(card.get_by_role("link", name="Xem").get_attribute("href")).body()
    pdf = tmp_path / "school.pdf"
    pdf.write_bytes(body)
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "SỞ GD&ĐT TÂY NINH" in text and "TRƯỜNG THCS TRẦN HƯNG ĐẠO" in text
    assert "HIỆU TRƯỞNG" in text and "Nguyễn Văn Hòa" in text and "GIÁM ĐỐC" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(shots.folder / "00-pdf")],
                   check=True)
    image = base64.b64encode((shots.folder / "00-pdf.png").read_bytes()).decode()
    page.set_content(f'<meta name="viewport" content="width=device-width"><body>'  # no inline style: the CSP
                     f'<img alt="certificate" width="344" src="data:image/png;base64,{image}"></body>')
    shots(page, "pdf-at-360px")
