"""Moodle question categories (Moodle XML ``<category>``, GIFT ``$CATEGORY:``) ⇄ pillar and tags.

Reading ``$course$/top/ASEAN Quiz/Cộng đồng Kinh tế ASEAN/Thương mại``: container segments
(``$course$``, ``top``, ``Default for …``/``Mặc định cho …``, ``ASEAN Quiz``) are ignored; a
segment naming a pillar (code or label, in any language, accents ignored) sets the pillar and
the segments after it become tags (``thuong-mai``); without a pillar segment, the last segment
becomes a tag.  Writing gives ``$course$/top/ASEAN Quiz`` plus the pillar label.
"""

from __future__ import annotations

import re

from ..markup import fold, slugify
from ..model import Pillar

ROOT = "ASEAN Quiz"
_CONTAINER_PREFIXES = ("default for ", "mac dinh cho ")


def _segments(path: str) -> list[str]:
    parts = re.split(r"(?<!/)/(?!/)", path or "")  # "//" is an escaped "/" inside a name
    return [part.replace("//", "/").strip() for part in parts if part.strip()]


def _is_container(segment: str) -> bool:
    folded = fold(segment)
    return (
        (segment.startswith("$") and segment.endswith("$"))
        or folded in {"top", fold(ROOT)}
        or folded.startswith(_CONTAINER_PREFIXES)
    )


def parse_category(path: str) -> tuple[Pillar | None, list[str]]:
    """The pillar and the tags a category path stands for."""
    segments = [segment for segment in _segments(path) if not _is_container(segment)]
    for index in range(len(segments) - 1, -1, -1):
        pillar = Pillar.parse(segments[index])
        if pillar is not None:
            tags = [slugify(segment) for segment in segments[index + 1 :]]
            return pillar, [tag for tag in tags if tag]
    tags = [slugify(segments[-1])] if segments else []
    return None, [tag for tag in tags if tag]


def category_path(pillar: Pillar | None, language: str = "vi") -> str:
    """The category a question with ``pillar`` is written to."""
    path = f"$course$/top/{ROOT}"
    if pillar is not None:
        path += "/" + pillar.label(language).replace("/", "//")
    return path


def merge_tags(*groups: list[str]) -> list[str]:
    return list(dict.fromkeys(tag for group in groups for tag in group if tag))
