"""GIFT special characters: ``~ = # { } :`` and ``\\`` are escaped with a backslash; ``\\n`` is a line break."""

from __future__ import annotations

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    out = "".join("\\" + char if char in SPECIAL else char for char in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def unescape(text: str) -> str:
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append("\n" if following == "n" else following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def unescaped_positions(text: str, token: str, start: int = 0) -> list[int]:
    """Where ``token`` occurs in ``text`` (from ``start``) outside backslash escapes."""
    positions = []
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(token, index):
            positions.append(index)
            index += len(token)
            continue
        index += 1
    return positions
