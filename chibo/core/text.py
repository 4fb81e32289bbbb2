"""Vietnamese text: folding for search and a collation key for sorting.

PostgreSQL sorts names with the ICU collation ``vi-x-icu``. SQLite has no Vietnamese collation,
so chibo registers one named ``vi`` on every SQLite connection, built from :func:`sort_key`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
_LETTER_MODIFIERS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}


def fold(text: str) -> str:
    """Lower case without diacritics, đ included: ``fold("Đặng Thị Hồng") == "dang thi hong"``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def _letters(text: str) -> list[tuple[str, int]]:
    """Split text into (Vietnamese base letter, tone) pairs."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(ch):
            if not out:
                continue
            base, tone = out[-1]
            if ch in _TONE_MARKS:
                out[-1] = (base, _TONE_MARKS[ch])
            elif ch in _LETTER_MODIFIERS:
                modified = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ", "u\u031b": "ư"}
                out[-1] = (modified.get(base + ch, base), tone)
            continue
        out.append((ch, 0))
    return out


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Vietnamese dictionary order: letters first (a < ă < â < b ... d < đ), then tones, then case."""
    letters = _letters(text or "")
    primary = tuple(_ORDER.get(b, 100 + ord(b[0])) for b, _ in letters)
    secondary = tuple(t for _, t in letters)
    return primary, secondary, text or ""


def _vi_collate(a: str, b: str) -> int:
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def install_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vi", _vi_collate)
        connection.connection.create_function("chibo_fold", 1, lambda s: fold(s) if s is not None else None, deterministic=True)
