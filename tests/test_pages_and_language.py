import re
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import render_template_string

ROOT = Path(__file__).resolve().parent.parent


def test_the_home_page_is_vietnamese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Cuộc thi tìm hiểu về ASEAN" in page


def test_the_language_can_be_switched_from_any_page(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.location.endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page
    client.post("/language", data={"lang": "vi"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_switch_does_not_redirect_to_other_sites(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.location


def test_every_page_carries_a_csrf_meta_tag_and_no_external_resources(client, login_as, world):
    login_as(world.admin)
    for path in ("/", "/admin/units", "/admin/users", "/admin/users/new", "/admin/roster", "/admin/audit",
                 "/account/password", "/does-not-exist"):
        page = client.get(path).get_data(as_text=True)
        assert re.search(r'<meta name="csrf-token" content="[^"]+">', page), path
        assert not re.search(r'(src|href)="(https?:)?//', page), path
        assert "<script>" not in page and " style=" not in page, path


def test_error_pages_use_the_layout_and_speak_vietnamese(client, login_as, world):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page and 'class="topbar"' in page
    login_as(world.student1)  # a pupil gets a friendly page with a way back to their contests
    page = client.get("/admin/units").get_data(as_text=True)
    assert "Em chưa mở được trang này" in page and 'href="/rounds"' in page
    login_as(world.teacher1)
    page = client.get("/join").get_data(as_text=True)
    assert "Không có quyền truy cập" in page


def test_api_errors_are_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_server_errors_render_the_500_page(app_factory):
    app = app_factory()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.get_data(as_text=True)


def test_dates_are_shown_in_vietnam_time_and_format(app):
    with app.test_request_context("/"):
        moment = datetime(2026, 11, 20, 17, 30, tzinfo=timezone.utc)
        assert render_template_string("{{ t|dt }}", t=moment) == "21/11/2026 00:30"


def test_the_vietnamese_catalogue_translates_every_message():
    method_map = [("quiz/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    msgids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map,
                                                                              keywords=keywords):
        msgids.add(message if isinstance(message, str) else message[0])
    with open(ROOT / "quiz/translations/vi/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in msgids if not catalog.get(m) or not catalog.get(m).string or catalog.get(m).fuzzy)
    assert missing == [], f"{len(missing)} messages have no Vietnamese translation: {missing[:20]}"


def test_the_navigation_shows_each_role_its_features(client, login_as, world):
    login_as(world.admin)
    page = client.get("/").get_data(as_text=True)
    for label in ("Ngân hàng câu hỏi", "Cuộc thi", "Giấy chứng nhận"):
        assert label in page, label
    login_as(world.student1)
    page = client.get("/").get_data(as_text=True)
    assert "Cuộc thi của em" in page
    assert "Ngân hàng câu hỏi" not in page
    assert "/certificates/mine" in page


def test_scores_are_written_as_people_write_them(app):
    from decimal import Decimal

    from quiz.i18n import format_points

    with app.test_request_context():
        assert format_points(Decimal("80.00")) == "80"
        assert format_points(Decimal("100")) == "100"
        assert format_points(12.5) == "12,5"  # Vietnamese decimal comma
        assert format_points(None) == ""


def test_the_api_tells_an_anonymous_caller_to_log_in_in_vietnamese(client):
    response = client.get("/api/rounds")
    assert response.status_code == 401
    assert response.get_json()["error"] == "Vui lòng đăng nhập trước."


def test_every_message_has_one_vietnamese_translation():
    """A msgid written twice in the catalogue gets one of its translations at random (the compiler keeps one)."""
    import collections
    import re
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[1] / "quiz/translations/vi/LC_MESSAGES/messages.po"
    entries = re.findall(r'^msgctxt "(.*)"\nmsgid "(.*)"$|^msgid "(.*)"$', catalogue.read_text(encoding="utf-8"), re.M)
    ids = collections.Counter((ctx, a or b) for ctx, a, b in entries if a or b)
    assert [i for i, n in ids.items() if n > 1] == []
