from quiz.models import Role, User
from tests.conftest import TEST_PASSWORD


def _login(client, username, password=TEST_PASSWORD, ip="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_login_accepts_the_username_with_spaces_and_capitals(client, world):
    response = _login(client, "  Manager1 ")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert world.manager1.full_name in page


def test_wrong_password_shows_a_clear_vietnamese_message(client, world):
    response = _login(client, "manager1", "sai-mat-khau")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 302  # still anonymous


def test_login_starts_a_fresh_session(client, world):
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
    _login(client, "manager1")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].startswith(f"{world.manager1.id}:")


def test_logout_invalidates_a_copied_session_cookie(app, world):
    browser = app.test_client()
    _login(browser, "manager1")
    with browser.session_transaction() as sess:
        stolen = dict(sess)
    browser.post("/logout")
    thief = app.test_client()
    with thief.session_transaction() as sess:
        sess.update(stolen)
    assert thief.get("/admin/users").status_code == 302  # sent to the login page


def test_account_is_throttled_after_repeated_failures_even_with_the_right_password(client, world):
    for _ in range(5):
        assert _login(client, "teacher1", "wrong").status_code == 401
    response = _login(client, "teacher1")
    assert response.status_code == 429
    assert "Thử lại sau" in response.get_data(as_text=True)
    # Other accounts are not affected.
    assert _login(client, "teacher2").status_code == 302


def test_failures_from_one_address_are_throttled_but_not_other_addresses(app_factory):
    app = app_factory(LOGIN_MAX_FAILURES_PER_IP=3)
    client = app.test_client()
    for i in range(3):
        _login(client, f"nobody{i}", "x", ip="203.0.113.5")
    assert _login(client, "someone", "x", ip="203.0.113.5").status_code == 429
    assert _login(client, "someone", "x", ip="198.51.100.7").status_code == 401


def test_five_hundred_pupils_behind_one_nat_can_all_log_in(app, db_session, make_class, make_user):
    klass = make_class(enrolled=500)
    users = [make_user(Role.STUDENT, unit=klass, username=f"hs{i:03d}") for i in range(500)]
    db_session.commit()
    statuses = set()
    for user in users:
        client = app.test_client()
        statuses.add(_login(client, user.username, ip="100.64.1.1").status_code)
    assert statuses == {302}


def test_first_login_forces_a_password_change(client, db_session, world):
    world.student1.must_change_password = True
    db_session.commit()
    _login(client, "s101")
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/account/password")
    assert client.get("/api/anything").status_code == 403
    response = client.post("/account/password", data={"current_password": TEST_PASSWORD,
                                                      "new_password": "hoc-sinh-gioi", "confirm": "hoc-sinh-gioi"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    db_session.expire_all()
    assert db_session.get(User, world.student1.id).must_change_password is False


def test_password_change_errors_appear_beside_the_fields(client, login_as, world):
    login_as(world.teacher1)
    response = client.post("/account/password", data={"current_password": "wrong", "new_password": "short",
                                                      "confirm": "other"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng" in page


def test_password_change_rejects_short_and_mismatched_passwords(client, login_as, world):
    login_as(world.teacher1)
    response = client.post("/account/password", data={"current_password": TEST_PASSWORD, "new_password": "short",
                                                      "confirm": "other"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ít nhất 8 ký tự" in page
    assert "không khớp" in page


def test_passwords_are_stored_with_a_modern_kdf(app_factory, db_session, world):
    from quiz.auth import passwords

    passwords.configure("scrypt:16384:8:1")
    try:
        assert passwords.hash_password("x" * 10).startswith("scrypt:")
    finally:
        passwords.configure("pbkdf2:sha256:1000")
    assert TEST_PASSWORD not in world.student1.password_hash


def test_deactivated_accounts_cannot_log_in(client, db_session, world):
    world.student2.is_active = False
    db_session.commit()
    assert _login(client, "s201").status_code == 401
