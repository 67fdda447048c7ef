"""Bank pages: scoping to units, creating and editing banks, images."""
from __future__ import annotations

import io

import pytest
from conftest import PNG
from sqlalchemy import select

from quiz.models import Bank, BankImage, BankVisibility, Role


@pytest.fixture
def banks(db_session, world, make_bank, make_question):
    """A Department bank, a private and a school-shared bank of school 1's teacher."""
    class Banks:
        pass
    b = Banks()
    b.dept = make_bank("Ngân hàng của Sở")
    make_question(b.dept, stem="Hiến chương ASEAN có hiệu lực năm nào?")
    b.private = make_bank("Riêng của thầy", owner_unit=world.school1, owner_user=world.teacher1,
                          visibility=BankVisibility.PRIVATE)
    b.school = make_bank("Chung của trường 1", owner_unit=world.school1, owner_user=world.teacher1,
                         visibility=BankVisibility.SCHOOL)
    b.q_school = make_question(b.school, stem="Câu hỏi của trường một")
    db_session.commit()
    return b


def test_bank_list_shows_counts_by_status_and_only_visible_banks(client, login_as, world, banks, db_session):
    login_as(world.teacher2)
    page = client.get("/banks/").get_data(as_text=True)
    assert "Ngân hàng của Sở" in page
    assert "Riêng của thầy" not in page and "Chung của trường 1" not in page
    login_as(world.teacher1)
    page = client.get("/banks/").get_data(as_text=True)
    assert "Riêng của thầy" in page and "Chung của trường 1" in page


@pytest.mark.parametrize("which", ["private", "school"])
def test_another_schools_teacher_cannot_read_a_private_or_school_bank(which, client, login_as, world, banks,
                                                                       db_session):
    db_session.commit()
    bank = getattr(banks, which)
    login_as(world.teacher2)
    assert client.get(f"/banks/{bank.id}").status_code == 404
    assert client.get(f"/banks/{bank.id}/questions/{banks.q_school.id}").status_code == 404
    assert client.get(f"/banks/{bank.id}/export?format=json").status_code == 404
    assert client.get(f"/banks/{bank.id}/import").status_code == 404
    login_as(world.manager2)
    assert client.get(f"/banks/{bank.id}").status_code == 404


def test_a_school_bank_is_readable_by_colleagues_but_only_editable_by_owner_and_manager(client, login_as, world,
                                                                                         banks, make_user,
                                                                                         db_session):
    colleague = make_user(Role.TEACHER, unit=world.school1, username="colleague")
    db_session.commit()
    login_as(colleague)
    page = client.get(f"/banks/{banks.school.id}")
    assert page.status_code == 200 and "Câu hỏi của trường một" in page.get_data(as_text=True)
    assert client.get(f"/banks/{banks.school.id}/questions/new").status_code == 403
    assert client.get(f"/banks/{banks.private.id}").status_code == 404
    login_as(world.manager1)
    assert client.get(f"/banks/{banks.school.id}/questions/new").status_code == 200


def test_a_question_of_another_bank_is_404_through_a_visible_bank(client, login_as, world, banks, db_session):
    login_as(world.teacher2)
    assert client.get(f"/banks/{banks.dept.id}/questions/{banks.q_school.id}").status_code == 404


def test_students_cannot_see_bank_pages(client, login_as, world, banks, db_session):
    login_as(world.student1)
    for url in ["/banks/", f"/banks/{banks.dept.id}", "/banks/new", f"/banks/{banks.dept.id}/import",
                f"/banks/{banks.dept.id}/export?format=json"]:
        assert client.get(url).status_code == 403, url


def test_a_teacher_creates_a_private_bank_and_shares_it_with_the_school(client, login_as, world, db_session):
    login_as(world.teacher1)
    response = client.post("/banks/new", data={"name": "Ôn tập ASEAN lớp 9", "description": "", "visibility": "private"})
    assert response.status_code == 302
    bank = db_session.scalar(select(Bank).where(Bank.name == "Ôn tập ASEAN lớp 9"))
    assert bank.visibility is BankVisibility.PRIVATE and bank.owner_unit_id == world.school1.id
    login_as(world.manager1)
    assert client.get(f"/banks/{bank.id}").status_code == 404
    login_as(world.teacher1)
    client.post(f"/banks/{bank.id}/edit", data={"name": "Ôn tập ASEAN lớp 9", "description": "", "visibility": "school"})
    login_as(world.manager1)
    assert client.get(f"/banks/{bank.id}").status_code == 200


def test_an_admins_bank_is_a_department_bank_visible_to_every_school(client, login_as, world, db_session):
    login_as(world.admin)
    client.post("/banks/new", data={"name": "Đề thi cấp tỉnh", "visibility": "private"})
    bank = db_session.scalar(select(Bank).where(Bank.name == "Đề thi cấp tỉnh"))
    assert bank.visibility is BankVisibility.PROVINCE and bank.owner_unit_id == world.department.id
    login_as(world.teacher2)
    assert client.get(f"/banks/{bank.id}").status_code == 200
    assert client.get(f"/banks/{bank.id}/edit").status_code == 403


def test_a_bank_name_must_be_unique_in_its_unit(client, login_as, world, banks, db_session):
    login_as(world.admin)
    response = client.post("/banks/new", data={"name": "ngân hàng của sở", "visibility": "province"})
    assert response.status_code == 400
    assert "Đã có ngân hàng mang tên này" in response.get_data(as_text=True)


def test_image_upload_checks_type_and_size_and_serves_the_picture(client, login_as, world, banks, db_session):
    login_as(world.admin)
    url = f"/banks/{banks.dept.id}/images"
    ok = client.post(url, data={"file": (io.BytesIO(PNG), "Cờ ASEAN.png")}, content_type="multipart/form-data")
    assert ok.status_code == 302
    image = db_session.scalar(select(BankImage).where(BankImage.bank_id == banks.dept.id))
    assert image.filename == "co-asean.png" and image.content_type == "image/png"
    served = client.get(f"{url}/co-asean.png")
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    bad = client.post(url, data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "x.png")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400
    big = client.post(url, data={"file": (io.BytesIO(PNG + b"\0" * (1024 * 1024)), "big.png")},
                      content_type="multipart/form-data")
    assert big.status_code == 400
    assert db_session.scalar(select(BankImage.id).where(BankImage.filename == "big.png")) is None
    login_as(world.teacher2)
    assert client.post(url, data={"file": (io.BytesIO(PNG), "y.png")},
                       content_type="multipart/form-data").status_code == 403
    login_as(world.student1)
    assert client.get(f"{url}/co-asean.png").status_code == 403
    assert client.get(f"/banks/img/{image.sha256}").status_code == 200
