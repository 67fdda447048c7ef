from sqlalchemy import func, select

from quiz.models import AuditEntry, Role, Unit, UnitKind, User


def _count(db_session, model, *where):
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


def test_admin_sees_every_school_and_a_manager_only_their_own(client, login_as, world):
    login_as(world.admin)
    page = client.get("/admin/units").get_data(as_text=True)
    assert world.school1.name in page and world.school2.name in page
    login_as(world.manager1)
    page = client.get("/admin/units").get_data(as_text=True)
    assert world.school1.name in page and world.school2.name not in page


def test_teachers_and_students_cannot_open_admin_pages(client, login_as, world):
    for user in (world.teacher1, world.student1):
        login_as(user)
        for path in ("/admin/units", "/admin/users", "/admin/roster", "/admin/audit"):
            assert client.get(path).status_code == 403, (user.username, path)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.location


def test_a_manager_cannot_open_another_schools_class_or_account_by_changing_the_id(client, login_as, world):
    login_as(world.manager1)
    assert client.get(f"/admin/units/{world.class2.id}/edit").status_code == 404
    assert client.get(f"/admin/users/{world.student2.id}/edit").status_code == 404
    assert client.post(f"/admin/users/{world.student2.id}/reset-password").status_code == 404
    assert client.get(f"/admin/units/{world.class1.id}/edit").status_code == 200


def test_admin_creates_a_school_with_enrolment_and_it_is_audited(client, login_as, db_session, world):
    login_as(world.admin)
    response = client.post("/admin/units/new/school", data={"name": "Trường THPT Nguyễn Trãi", "code": "THPT-NT",
                                                            "parent_id": world.area.id, "enrolled": 1200},
                           environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 302
    school = db_session.scalar(select(Unit).where(Unit.name == "Trường THPT Nguyễn Trãi"))
    assert school.enrolled == 1200 and school.parent_id == world.area.id
    assert school.path == f"{world.area.path}{school.id}/"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.create"))
    assert entry.actor_name == "admin" and entry.ip == "192.0.2.10" and "Nguyễn Trãi" in entry.summary
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "Nguyễn Trãi" in audit_page and "192.0.2.10" in audit_page


def test_a_school_needs_its_enrolment_and_the_message_is_beside_the_field(client, login_as, world):
    login_as(world.admin)
    response = client.post("/admin/units/new/school", data={"name": "Trường Thiếu Sĩ Số", "parent_id": world.area.id})
    assert response.status_code == 400
    assert "Nhập số học sinh" in response.get_data(as_text=True)


def test_a_class_cannot_be_placed_directly_under_the_department(client, login_as, world):
    login_as(world.admin)
    response = client.post("/admin/units/new/class", data={"name": "6A", "parent_id": world.department.id,
                                                           "enrolled": 30, "grade": 6})
    assert response.status_code == 400
    assert "không thể đặt" in response.get_data(as_text=True).lower()


def test_a_manager_adds_classes_only_to_their_own_school(client, login_as, db_session, world):
    login_as(world.manager1)
    ok = client.post("/admin/units/new/class", data={"name": "6A3", "parent_id": world.school1.id, "enrolled": 35,
                                                     "grade": 6})
    assert ok.status_code == 302
    refused = client.post("/admin/units/new/class", data={"name": "6A4", "parent_id": world.school2.id,
                                                          "enrolled": 35, "grade": 6})
    assert refused.status_code == 400
    assert _count(db_session, Unit, Unit.name == "6A4") == 0


def test_admin_creates_a_teacher_who_must_change_the_password_at_first_login(client, login_as, db_session, world):
    login_as(world.admin)
    response = client.post("/admin/users/new", data={
        "username": "  GV.Lan ", "full_name": "Võ Thị Ngọc Lan", "role": "teacher", "unit_id": world.school1.id,
        "class_ids": [world.class1.id], "password": "tam-thoi-123"})
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.username == "gv.lan"))
    assert user.role is Role.TEACHER and user.must_change_password and [c.id for c in user.classes] == [world.class1.id]


def test_usernames_that_only_differ_by_case_or_spaces_are_the_same_account(client, login_as, db_session, world):
    login_as(world.admin)
    response = client.post("/admin/users/new", data={
        "username": " MANAGER1 ", "full_name": "Kẻ Mạo Danh", "role": "manager", "unit_id": world.school2.id,
        "password": "tam-thoi-123"})
    assert response.status_code == 400
    assert "đã có người dùng" in response.get_data(as_text=True)
    assert _count(db_session, User, User.full_name == "Kẻ Mạo Danh") == 0


def test_look_alike_letters_from_other_scripts_are_refused_in_usernames(client, login_as, db_session, world):
    login_as(world.admin)
    cyrillic_a = "\u0430"
    response = client.post("/admin/users/new", data={
        "username": f"{cyrillic_a}dmin", "full_name": "Giả Mạo", "role": "admin", "unit_id": world.department.id,
        "password": "tam-thoi-123"})
    assert response.status_code == 400
    assert _count(db_session, User, User.full_name == "Giả Mạo") == 0


def test_a_student_must_belong_to_a_class(client, login_as, world):
    login_as(world.admin)
    response = client.post("/admin/users/new", data={
        "username": "hs.moi", "full_name": "Lê Văn Mới", "role": "student", "unit_id": world.school1.id,
        "password": "tam-thoi-123"})
    assert response.status_code == 400
    assert "phải thuộc" in response.get_data(as_text=True)


def test_a_manager_cannot_create_a_department_administrator(client, login_as, db_session, world):
    login_as(world.manager1)
    response = client.post("/admin/users/new", data={
        "username": "sep", "full_name": "Không Được", "role": "admin", "unit_id": world.department.id,
        "password": "tam-thoi-123"})
    assert response.status_code == 403
    assert _count(db_session, User, User.username == "sep") == 0


def test_password_reset_gives_a_one_time_password_and_ends_sessions(app, client, login_as, db_session, world):
    old_cookie_owner = app.test_client()
    with old_cookie_owner.session_transaction() as sess:
        sess["_user_id"] = world.student1.get_id()
    login_as(world.manager1)
    response = client.post(f"/admin/users/{world.student1.id}/reset-password")
    assert response.status_code == 200
    db_session.expire_all()
    student = db_session.get(User, world.student1.id)
    assert student.must_change_password
    assert old_cookie_owner.get("/").status_code == 200 and "Đăng nhập" in old_cookie_owner.get("/").get_data(as_text=True)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "user.reset_password"))
    assert entry.target_id == student.id


def test_account_list_searches_and_filters_within_scope(client, login_as, world):
    login_as(world.manager2)
    page = client.get("/admin/users?q=s2").get_data(as_text=True)
    assert "s201" in page and "s101" not in page
    page = client.get("/admin/users?role=teacher").get_data(as_text=True)
    assert "teacher2" in page and "teacher1" not in page and "s201" not in page


def test_audit_log_is_for_department_admins_only(client, login_as, world):
    login_as(world.manager1)
    assert client.get("/admin/audit").status_code == 403
    login_as(world.admin)
    assert client.get("/admin/audit").status_code == 200
