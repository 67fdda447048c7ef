"""Test workbooks that are small on the wire and huge unpacked (question imports and rosters)."""
from __future__ import annotations

import io
import zipfile


def zip_bomb(sheet_bytes: int) -> bytes:
    """A workbook whose sheet is ``sheet_bytes`` of spaces: a few hundred KB on the wire."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * sheet_bytes + b"</worksheet>")
    return buffer.getvalue()
