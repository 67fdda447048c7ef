"""``flask --app wsgi bank list|import|export``: the same services as the bank pages, run as the system.

Messages are in Vietnamese (the language of the Department's staff); problems go to stderr and make
the command exit with status 1, having written nothing.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quiz.banks.exporting import EXPORT_FORMATS, ExportError, export_bank
from quiz.banks.importing import apply_import, plan_import
from quiz.banks.questions import status_label
from quiz.banks.service import BankInput, create_bank, find_bank, list_all_banks
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import QuestionStatus

STATUS_HEADS = {QuestionStatus.DRAFT: "nháp", QuestionStatus.REVIEW: "chờ duyệt",
                QuestionStatus.APPROVED: "đã duyệt", QuestionStatus.RETIRED: "ngừng dùng"}


def _fail(lines: list[str], headline: str) -> None:
    click.echo(headline, err=True)
    for line in lines:
        click.echo(f"  - {line}", err=True)
    sys.exit(1)


def _bank_or_fail(ident: str):
    try:
        bank = find_bank(db.session, ident)
    except DomainError as err:
        _fail([], f"Lỗi: {err.message}")
    return bank


@click.group("bank", help="Ngân hàng câu hỏi: liệt kê, nhập, xuất (Question banks: list, import, export).")
def bank_group() -> None:
    pass


@bank_group.command("list")
@with_appcontext
def list_command() -> None:
    """Mỗi ngân hàng: mã, tên, đơn vị sở hữu, số câu theo trạng thái."""
    rows = list_all_banks(db.session)
    if not rows:
        click.echo("Chưa có ngân hàng câu hỏi nào.")
        return
    head = ["ID", "Tên", "Đơn vị sở hữu"] + [STATUS_HEADS[s] for s in QuestionStatus] + ["tổng"]
    click.echo("\t".join(head))
    for row in rows:
        owner = row.bank.owner_unit.name
        if row.bank.owner_user is not None:
            owner += f" ({row.bank.owner_user.username})"
        counts = [str(row.count(s)) for s in QuestionStatus]
        click.echo("\t".join([str(row.bank.id), row.bank.name, owner, *counts, str(row.total)]))


@bank_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_ident", required=True, help="Mã (id) hoặc tên chính xác của ngân hàng; "
              "ngân hàng của Sở có tên này được tạo nếu chưa có.")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra tệp, không ghi gì.")
@click.option("--approve", is_flag=True, help="Duyệt ngay các câu được nhập (mặc định: bản nháp).")
@click.option("--skip-unsupported", is_flag=True, help="Bỏ qua (và liệt kê) các câu thuộc loại không hỗ trợ.")
@click.option("--language", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Ngôn ngữ của tệp một ngôn ngữ (Moodle XML, GIFT, Aiken).")
@with_appcontext
def import_command(path: Path, bank_ident: str, dry_run: bool, approve: bool, skip_unsupported: bool,
                   language: str) -> None:
    """Nhập câu hỏi từ PATH (XLSX, CSV, Moodle XML, GIFT, Aiken, JSON): tất cả hoặc không gì cả."""
    bank = _bank_or_fail(bank_ident)
    plan = plan_import(db.session, bank, path.read_bytes(), path.name, skip_unsupported=skip_unsupported,
                       language=language, max_questions=current_app.config["BANK_IMPORT_MAX_QUESTIONS"])
    for line in plan.skipped_lines("vi"):
        click.echo(f"Bỏ qua: {line}", err=True)
    for line in plan.warning_lines("vi"):
        click.echo(f"Cảnh báo: {line}", err=True)
    if not plan.ok:
        db.session.rollback()
        _fail(plan.problem_lines("vi"), f"Không nhập câu nào: tệp {path.name} có {len(plan.problems)} lỗi.")
    where = f"ngân hàng «{bank.name}» (id {bank.id})" if bank else f"ngân hàng mới «{bank_ident}» của Sở"
    if dry_run:
        db.session.rollback()
        click.echo(f"Kiểm tra xong ({plan.format}): {len(plan.questions)} câu hợp lệ, {plan.new_count} câu mới, "
                   f"{len(plan.questions) - plan.new_count} câu cập nhật theo mã, vào {where}. "
                   "Chạy thử (--dry-run): chưa ghi gì.")
        return
    try:
        if bank is None:  # a new, empty bank: nothing in it to clash with or duplicate
            bank = create_bank(db.session, None, BankInput(name=bank_ident))
        summary = apply_import(db.session, None, bank, plan, approve=approve)
    except DomainError as err:
        db.session.rollback()
        _fail(list(getattr(err, "errors", {}).get("File", [])), f"Không nhập câu nào: {err.message}")
    db.session.commit()
    state = status_label(QuestionStatus.APPROVED if approve else QuestionStatus.DRAFT)
    click.echo(f"Đã nhập {path.name} ({plan.format}) vào ngân hàng «{bank.name}» (id {bank.id}): "
               f"{summary.added} câu mới ({state}), {summary.updated} câu cập nhật, "
               f"{summary.unchanged} câu không đổi, {summary.images} ảnh.")


@bank_group.command("export")
@click.option("--bank", "bank_ident", required=True, help="Mã (id) hoặc tên chính xác của ngân hàng.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--language", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Ngôn ngữ ghi ra với các định dạng một ngôn ngữ (Moodle XML, GIFT, Aiken).")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in QuestionStatus]),
              help="Chỉ xuất các câu có trạng thái này (có thể lặp lại); mặc định: tất cả.")
@with_appcontext
def export_command(bank_ident: str, fmt: str, output: Path, language: str, statuses: tuple[str, ...]) -> None:
    """Xuất các câu hỏi của một ngân hàng ra tệp."""
    bank = _bank_or_fail(bank_ident)
    if bank is None:
        _fail([], f"Không có ngân hàng nào có mã hoặc tên «{bank_ident}». Xem: flask --app wsgi bank list")
    try:
        exported = export_bank(db.session, bank, fmt, language=language,
                               statuses=[QuestionStatus(s) for s in statuses] or None)
    except ExportError as err:
        _fail([p.describe("vi") for p in err.problems],
              f"Không xuất được: định dạng {fmt} không chứa được {len(err.problems)} câu sau.")
    output.write_bytes(exported.data)
    click.echo(f"Đã xuất {exported.count} câu của ngân hàng «{bank.name}» ra {output} ({fmt}).")
