"""Participation is one definition (``quiz.reports.enrolment``) printed one way (``quiz.i18n``): the round report,
the unit ranking and their exports show the same sĩ số, rate and average for a school."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook


def cells(html: str, school: str) -> list[str]:
    row = html.split(f">{school}<")[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num">(.*?)</td>', row)]


def test_the_report_and_the_unit_ranking_show_the_same_participation_and_average(small, client, login_as):
    login_as(small.admin)
    report = client.get(f"/rounds/{small.round.id}/report").get_data(as_text=True)
    ranking = client.get(f"/contests/{small.round.contest.id}/units").get_data(as_text=True)
    # Lê Lợi: sĩ số 50 (the school's own figure: the round is for every pupil), 2 took part, 2 and 1 points
    participants, enrolled, rate, mean = cells(report, "Trường THCS Lê Lợi")[:4]
    assert (participants, enrolled, rate, mean) == ("2", "50", "4,0 %", "1,50")
    enrolled_u, participants_u, rate_u, mean_u = cells(ranking, "Trường THCS Lê Lợi")[:4]
    assert (enrolled_u, participants_u, rate_u, mean_u) == (enrolled, participants, rate, mean)


def test_english_pages_use_a_decimal_point_in_both_places(small, client, login_as):
    login_as(small.admin)
    client.post("/language", data={"lang": "en", "next": "/"})
    ranking = client.get(f"/contests/{small.round.contest.id}/units").get_data(as_text=True)
    report = client.get(f"/rounds/{small.round.id}/report").get_data(as_text=True)
    assert cells(ranking, "Trường THCS Nguyễn Trãi")[2:4] == ["3.8 %", "2.67"]
    assert cells(report, "Trường THCS Nguyễn Trãi")[2:4] == ["3.8 %", "2.67"]


def test_the_exports_keep_numbers_as_numbers_with_the_same_values(small, client, login_as):
    login_as(small.admin)
    units = load_workbook(io.BytesIO(client.get(f"/contests/{small.round.contest.id}/units.xlsx").data)).active
    report = load_workbook(io.BytesIO(client.get(f"/rounds/{small.round.id}/report.xlsx").data))["Theo trường"]
    line = next(r for r in units.iter_rows() if r[1].value == "Trường THCS Lê Lợi")
    school = next(r for r in report.iter_rows() if r[0].value == "Trường THCS Lê Lợi")
    assert (line[3].value, line[4].value, line[5].value, line[6].value) == (50, 2, 0.04, 1.5)
    assert (school[3].value, school[2].value, school[4].value, school[5].value) == (50, 2, 0.04, 1.5)
    assert line[5].number_format == school[4].number_format == "0.0%"


def test_the_school_award_divides_by_the_sĩ_số_the_unit_ranking_shows(small, db_session, clock, client, login_as):
    """A contest for grade 9 only: a school's sĩ số is its grade-9 classes (Lê Lợi: 40, not its own 50), on the
    unit ranking and for the school award alike."""
    from decimal import Decimal

    from quiz.certificates import issuing, rules
    from quiz.models import AwardKind, DocumentKind

    contest = small.round.contest
    contest.grades = [9]
    rules.add_rule(db_session, small.admin, contest, rules.RuleInput(
        AwardKind.UNIT, "Trường có tỉ lệ tham gia cao nhất", DocumentKind.CERTIFICATE, count=3), clock.now)
    db_session.commit()
    login_as(small.admin)
    ranking = client.get(f"/contests/{contest.id}/units").get_data(as_text=True)
    enrolled, participants, rate = cells(ranking, "Trường THCS Lê Lợi")[:3]
    assert (enrolled, participants, rate) == ("40", "2", "5,0 %")
    awards = {e.school_name: e.award for e in issuing.plan(db_session, contest, None).entries}
    assert awards["Trường THCS Lê Lợi"].score == Decimal("5.00")  # 2 ÷ 40, as a percentage
