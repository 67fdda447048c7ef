"""Reading a PDF's text layer in the tests."""
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
