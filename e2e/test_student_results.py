"""After a round: the pupil finds the leaderboard from "My contests", downloads the certificate, and anyone
checks it on the public verification page from its serial."""
from __future__ import annotations

import json
import re

from conftest import run_axe
from playwright.sync_api import expect
from steps import login, no_horizontal_scroll

SERIAL = re.compile(r"ASEAN-\d{4}-[2-9A-HJ-NP-Z]{8}")


def test_a_pupil_opens_the_leaderboard_of_a_finished_round(browsing, shots):
    page = browsing.page()
    login(page, "s101")
    name = page.locator(".whoami").inner_text().strip()
    page.goto("/rounds")
    card = page.locator(".round-card").filter(has=page.get_by_role("heading", name="Tuần 1", exact=True))
    card.locator("a[href*='/leaderboard']").click()
    expect(page).to_have_url(re.compile(r"/rounds/\d+/leaderboard$"))
    expect(page.locator("main")).to_contain_text(name)
    no_horizontal_scroll(page)
    shots(page, "leaderboard")


def test_a_pupil_downloads_the_certificate_and_anyone_verifies_it_from_its_serial(browsing, shots):
    page = browsing.page()
    found: dict[str, list] = {}

    def check(target, name: str, full_page: bool = False) -> None:
        no_horizontal_scroll(target)
        violations = run_axe(target)
        if violations:
            found[name] = violations
        shots(target, name, full_page=full_page)

    login(page, "s101")
    name = page.locator(".whoami").inner_text().strip()
    page.goto("/rounds")
    page.locator(".round-card").filter(has=page.get_by_role("heading", name="Tuần 1", exact=True)) \
        .locator("a[href*='/leaderboard']").click()
    expect(page.locator("main")).to_contain_text(name)

    # "Giấy chứng nhận của em": the certificate of the closed round Tuần 1, with its serial.
    page.goto("/")
    page.locator("nav a[href$='/certificates/mine']").click()
    expect(page.get_by_role("heading", name="Giấy chứng nhận của em")).to_be_visible()
    card = page.locator(".cert-card").filter(has_text="Tuần 1").first
    expect(card).to_be_visible()
    serial = card.locator("code").inner_text().strip()
    assert SERIAL.fullmatch(serial), serial
    check(page, "my-certificates", full_page=True)

    with page.expect_download() as wait:
        card.get_by_role("link", name="Tải tệp PDF").click()
    download = wait.value
    assert download.suggested_filename == f"{serial}.pdf"
    body = open(download.path(), "rb").read()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF"), body[:40]
    assert len(body) > 5_000, len(body)
    inline = page.request.get(card.get_by_role("link", name="Xem").get_attribute("href"))
    assert inline.ok and inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline")

    # Anyone, not logged in: the footer link "Tra cứu giấy chứng nhận", the serial typed in lower case.
    public = browsing.page()
    public.goto("/")
    public.locator("footer a[href$='/verify']").click()
    public.locator("input[name=serial]").fill(serial.lower())
    check(public, "verify-form")
    public.locator("form.verify-search button[type=submit]").click()
    expect(public).to_have_url(re.compile(rf"/verify/{serial}$"))
    expect(public.locator(".verdict.ok")).to_have_text("✔ Giấy này còn hiệu lực.")
    facts = public.locator("dl.cert-facts")
    for fact in (serial, name, "Tuần 1"):
        expect(facts).to_contain_text(fact)
    expect(public.locator("a[href$='/logout'], form[action$='/logout']")).to_have_count(0)
    check(public, "verify-valid", full_page=True)

    unknown = public.goto("/verify/ASEAN-2026-ZZZZ2222")
    assert unknown.status == 404
    expect(public.get_by_role("heading", name="Không tìm thấy giấy chứng nhận")).to_be_visible()
    expect(public.locator(".error-code")).to_have_text("404")
    expect(public.locator("form.verify-search")).to_be_visible()
    check(public, "verify-unknown")

    assert not found, "axe-core found serious or critical violations:\n" + json.dumps(found, ensure_ascii=False,
                                                                                       indent=1)
