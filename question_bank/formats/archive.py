"""What a ZIP archive (an XLSX workbook) unpacks to, judged from its central directory alone: nothing is
inflated and no XML parser runs before the declared sizes pass.

A workbook of 10,000 bilingual questions unpacks to about 15 MB at about 13:1; a "zip bomb" of 291 KB that
unpacks to 95 MB (330:1) held a request thread for 14 s in openpyxl before it was refused. Python's
``zipfile`` never inflates a part beyond its declared size, so a part that lies about it fails its CRC check
instead of growing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from .importing import megabytes

# Deflate packs XML 5-20 times; a part packed more than this (and large enough to matter) is not a real sheet.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # parts smaller than this are never refused for their ratio


@dataclass(frozen=True)
class Refusal:
    """Why an archive is refused: ``code`` is a problem code of ``question_bank.messages``."""

    code: str  # "not_xlsx", "xlsx_too_large" or "xlsx_compression_ratio"
    params: dict = field(default_factory=dict)


def check_archive(data: bytes, *, max_bytes: int, max_ratio: int = MAX_RATIO,
                  required: str | None = None) -> Refusal | None:
    """``None`` when ``data`` is a ZIP (holding the part ``required``, if given) whose parts together declare at
    most ``max_bytes`` once unpacked and none of which is packed more than ``max_ratio`` to one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return Refusal("not_xlsx")
    if required is not None and required not in {member.filename for member in members}:
        return Refusal("not_xlsx")
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        return Refusal("xlsx_too_large", {"size": megabytes(total), "limit": megabytes(max_bytes)})
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
            return Refusal("xlsx_compression_ratio", {"part": member.filename, "size": megabytes(member.file_size),
                                                      "ratio": max_ratio})
    return None
