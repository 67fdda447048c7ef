"""Reading a PDF's text layer and its QR code in the tests."""
from __future__ import annotations

import shutil
import subprocess


def pdf_text(data: bytes, tmp_path, raw: bool = False) -> str:
    """The PDF's text layer, as ``pdftotext`` gives it (pypdf when poppler-utils is not installed)."""
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        options = ["-raw"] if raw else []  # -raw keeps rotated text (the "revoked" stamp)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def qr_modules(data: bytes) -> list[list[bool]]:
    """The dark and light modules of the QR code drawn on the PDF's first page, row by row from the top.

    The certificate draws its QR code as one filled path of rectangles (one per run of dark modules in a row):
    the path with the most rectangles is read back into the grid, so a test can compare it with the grid that
    the QR encoder makes for the address it expects (``qr_modules_of``) without a QR decoder."""
    import io
    import re

    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    number = r"(-?[\d.]+)"
    paths = [re.findall(rf"{number} {number} {number} {number} re\b", line) for line in content.splitlines()]
    rects = [tuple(float(v) for v in r) for r in max(paths, key=len)]
    box = min(h for _x, _y, _w, h in rects)
    left, top = min(x for x, _y, _w, _h in rects), max(y + h for _x, y, _w, h in rects)
    size = round((max(x + w for x, _y, w, _h in rects) - left) / box)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, h in rects:
        row, col = round((top - y - h) / box), round((x - left) / box)
        for k in range(round(w / box)):
            grid[row][col + k] = True
    return grid


def qr_modules_of(text: str) -> list[list[bool]]:
    """The grid of the QR code of ``text`` as the certificates make it (error correction level M)."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return [[bool(m) for m in row] for row in code.modules]
