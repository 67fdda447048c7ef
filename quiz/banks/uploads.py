"""Uploaded question files kept between the preview and the confirmation of an import.

The bytes are stored under ``<instance>/bank_uploads/<token>.bin`` with a small JSON sidecar naming
the user, the bank and the reading options. The token is random; a file is only handed back to the
same user for the same bank, and is deleted once imported or after :data:`MAX_AGE`. The browser never
holds a copy of the questions: the confirmation re-reads these bytes on the server.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from quiz.errors import NotFound

MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingUpload:
    token: str
    user_id: int
    bank_id: int
    filename: str
    language: str
    skip_unsupported: bool
    data: bytes


def _folder(instance_path: str) -> Path:
    folder = Path(instance_path) / "bank_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(instance_path: str, user_id: int, bank_id: int, filename: str, data: bytes, *, language: str,
         skip_unsupported: bool) -> str:
    folder = _folder(instance_path)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"user_id": user_id, "bank_id": bank_id, "filename": filename, "language": language,
            "skip_unsupported": skip_unsupported, "saved_at": time.time()}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(instance_path: str, token: str, user_id: int, bank_id: int) -> PendingUpload:
    """The upload of ``token`` if it belongs to this user and bank; ``NotFound`` otherwise (or expired)."""
    if not _TOKEN.match(token or ""):
        raise NotFound("upload not found")
    folder = _folder(instance_path)
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        raise NotFound("upload not found") from None
    if meta.get("user_id") != user_id or meta.get("bank_id") != bank_id or \
            time.time() - float(meta.get("saved_at", 0)) > MAX_AGE:
        raise NotFound("upload not found")
    return PendingUpload(token, user_id, bank_id, str(meta.get("filename") or "upload"),
                         str(meta.get("language") or "vi"), bool(meta.get("skip_unsupported")), data)


def discard(instance_path: str, token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    folder = _folder(instance_path)
    for suffix in (".bin", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Delete uploads older than :data:`MAX_AGE` (never imported)."""
    limit = time.time() - MAX_AGE
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
