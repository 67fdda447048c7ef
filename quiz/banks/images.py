"""Images uploaded to a bank and used in question texts as ``<img src="file-name.png">``.

Question texts keep the bare file name (that is what the interchange formats carry). When a text is
shown, :func:`resolve` turns each known name into a URL:

- ``/banks/<bank>/images/<name>`` for staff pages (the bank must be visible to the viewer);
- ``/banks/img/<sha256>`` for pages of any logged-in user (students' papers): the address is the
  picture's SHA-256, so it cannot be guessed from a file name.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import re
from urllib.parse import unquote
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from question_bank.markup import image_src_allowed
from quiz.db import in_batches
from quiz.errors import Conflict, ValidationFailed
from quiz.models import Bank, BankImage

MAX_BYTES = 1024 * 1024
NAME_MAX = 200
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_NAME = re.compile(r"^[^\s\"'<>&?#][^\"'<>&?#]*$")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.IGNORECASE)

REASONS = {
    "type": {"vi": "chỉ nhận ảnh PNG, JPEG, GIF hoặc WebP", "en": "only PNG, JPEG, GIF or WebP pictures are accepted"},
    "size": {"vi": "ảnh lớn hơn 1 MB", "en": "the picture is larger than 1 MB"},
    "name": {"vi": "tên tệp không hợp lệ (không được chứa dấu nháy, <, >, &, ?, #, «..» hay bắt đầu bằng «/»)",
             "en": "invalid file name (no quotes, <, >, &, ?, #, “..”, and it must not start with “/”)"},
}


def content_type(blob: bytes) -> str | None:
    """The picture type judged from its first bytes (never from the name or the browser's word)."""
    for magic, kind in _MAGIC:
        if blob.startswith(magic):
            return kind
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "image/webp"
    return None


def clean_name(name: str) -> str:
    """``"Cờ ASEAN.PNG"`` → ``"co-asean.png"``-like: the base name, spaces → ``-``, accents removed."""
    from question_bank.markup import fold

    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^a-z0-9._-]+", "-", fold(stem)).strip("-.") or "anh"
    ext = re.sub(r"[^a-z0-9]+", "", ext.lower())[:5]
    return f"{stem[:100]}.{ext}" if ext else stem[:100]


def image_problem(name: str, blob: bytes) -> dict[str, str] | None:
    """Why ``blob`` named ``name`` cannot be a bank image (``{"vi": …, "en": …}``), or ``None``."""
    if not _NAME.match(name or "") or len(name) > NAME_MAX or not image_src_allowed(name):
        return REASONS["name"]
    if content_type(blob) is None:
        return REASONS["type"]
    if len(blob) > MAX_BYTES:
        return REASONS["size"]
    return None


def store_image(session: Session, bank: Bank, name: str, blob: bytes, now: datetime) -> BankImage | None:
    """Add a picture to the bank (flushes). ``None`` when the bank already has the same picture under this
    name; ``Conflict`` when the name holds another picture; ``ValidationFailed`` for a bad file."""
    problem = image_problem(name, blob)
    if problem is not None:
        raise ValidationFailed(str(_l("The image was not saved.")), {"file": [problem["vi"]]})
    digest = hashlib.sha256(blob).hexdigest()
    existing = session.scalar(select(BankImage).where(BankImage.bank_id == bank.id, BankImage.filename == name))
    if existing is not None:
        if existing.sha256 == digest:
            return None
        raise Conflict(str(_l("The bank already has another image named %(name)s.", name=name)))
    image = BankImage(bank_id=bank.id, filename=name, content_type=content_type(blob) or "", data=blob,
                      sha256=digest, created_at=now)
    session.add(image)
    session.flush()
    return image


def list_images(session: Session, bank: Bank) -> list[BankImage]:
    return list(session.scalars(select(BankImage).where(BankImage.bank_id == bank.id).order_by(BankImage.filename)))


def image_urls(session: Session, bank_id: int, *, public: bool = False) -> dict[str, str]:
    """``{file name: URL}`` of a bank's images (``public``: the SHA-256 addresses any user may open)."""
    rows = session.execute(select(BankImage.filename, BankImage.sha256).where(BankImage.bank_id == bank_id))
    if public:
        return {name: url_for("banks.public_image", sha256=digest) for name, digest in rows}
    return {name: url_for("banks.image", bank_id=bank_id, filename=name) for name, _ in rows}


def resolve(html: str, urls: dict[str, str]) -> str:
    """``<img src="name">`` → ``<img src="URL">`` for each known name; other sources are left alone."""
    if not html or "<img" not in html:
        return html or ""
    def swap(m: re.Match) -> str:
        src = m.group(2)
        url = urls.get(src) or urls.get(unquote(html_lib.unescape(src)))
        return m.group(1) + (html_lib.escape(url) if url else src) + m.group(3)

    return _IMG_SRC.sub(swap, html)


def pictures_for(session: Session, bank_id: int, names: set[str]) -> dict[str, bytes]:
    """The stored pictures among ``names`` (for exports that carry images)."""
    if not names:
        return {}
    found: dict[str, bytes] = {}
    for batch in in_batches(sorted(names)):
        rows = session.execute(select(BankImage.filename, BankImage.data)
                               .where(BankImage.bank_id == bank_id, BankImage.filename.in_(batch)))
        found.update((name, bytes(data)) for name, data in rows)
    return found
