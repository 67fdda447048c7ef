"""The attempt page on a cheap phone over a weak network: how much it weighs, and how it behaves
at ~400 kbit/s with 400 ms latency on a phone whose own clock is wrong."""
from __future__ import annotations

import gzip
from datetime import datetime

from conftest import SHOTS
from playwright.sync_api import expect
from steps import (choose, countdown_seconds, expect_all_saved, login, next_question, open_round, question_ids,
                   server_answers)

BUDGET = 50 * 1024  # bytes, gzipped: the page with all its CSS, JS, fonts and the paper itself


def test_the_attempt_page_weighs_under_50_kb_gzipped_and_asks_nothing_from_other_hosts(browsing, server, shots):
    context = browsing.context()
    page = context.new_page()
    login(page, "s106")
    page.goto("/rounds")
    href = page.locator(".round-card").filter(has_text="Tuần 2").locator("a.button.primary").get_attribute("href")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # count everything, as on a first visit

    page.goto(href)  # the start screen; the page weighed is the attempt its button opens
    responses = []

    def weigh(r) -> None:  # from the attempt page's document on (not the start screen's late favicon)
        if responses or (r.request.resource_type == "document" and r.request.method == "GET"):
            responses.append(r)

    page.on("response", weigh)
    page.locator("button.start-button").click()
    expect(page.locator(".q").first).to_be_attached()
    expect_all_saved(page)
    page.wait_for_load_state("networkidle")

    rows, total = [], 0
    for r in responses:
        assert r.url.startswith(server.base_url), f"external request: {r.url}"
        body = r.body() if r.status < 300 else b""
        size = len(gzip.compress(body, 9))
        total += size
        rows.append(f"{size:>7} B gz  {len(body):>7} B raw  {r.request.resource_type:<10} {r.url[len(server.base_url):]}")
    report = "\n".join(rows + [f"{total:>7} B gz in total ({total / 1024:.1f} KB; budget {BUDGET // 1024} KB)"])
    (SHOTS / "page-weight.txt").write_text(report + "\n")
    print("\n[e2e] attempt page weight:\n" + report)
    kinds = {r.request.resource_type for r in responses}
    assert {"document", "stylesheet", "script", "fetch"} <= kinds
    assert total <= BUDGET, report
    shots(page, "weighed")


def test_on_a_slow_connection_answers_get_saved_and_the_countdown_follows_the_server(browsing, shots):
    context = browsing.context()
    # This phone's clock is 7 minutes fast: the countdown must not believe it.
    context.add_init_script("(() => { const real = Date.now.bind(Date); Date.now = () => real() + 7 * 60 * 1000; })()")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                  "downloadThroughput": 400 * 1000 / 8,
                                                  "uploadThroughput": 400 * 1000 / 8})
    login(page, "s105")
    attempt_id = open_round(page, "Tuần 2")
    qids = question_ids(page)
    chosen = {}
    for i in range(4):  # answer faster than the network can carry the saves
        chosen[qids[i]] = [choose(page, i % 2)]
        next_question(page)
    shots(page, "saving-on-a-slow-network")
    expect_all_saved(page, timeout=30_000)
    assert server_answers(page, attempt_id) == chosen

    # The countdown shows deadline − server time (page.request is not throttled: it is the reference).
    deadline = datetime.fromisoformat(page.request.get(f"/api/attempts/{attempt_id}").json()["deadline"])
    server_now = datetime.fromisoformat(page.request.get("/api/time").json()["server_time"])
    shown = countdown_seconds(page)
    expected = (deadline - server_now).total_seconds()
    assert abs(shown - expected) <= 2, f"countdown {shown} s, server says {expected:.1f} s"
    shots(page, "all-saved-countdown-right")
