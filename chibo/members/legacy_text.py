"""Vietnamese text typed in the legacy 8-bit fonts (TCVN3/ABC and VNI), found and converted to Unicode.

Before Unicode, Vietnamese was typed into fonts such as ``.VnTime`` (TCVN3, also called ABC) or
``VNI-Times`` (VNI). The file kept single bytes; pasted into Excel, each byte became the Windows
character of that code (Latin-1/CP1252), so "Nguyễn Văn" reads "NguyÔn V¨n" (TCVN3) or
"Nguyeãn Vaên" (VNI).

:func:`detect` only acts on text that is not plausible Vietnamese Unicode: text with characters
that the Vietnamese alphabet does not use (¨ § ¶ ø ï ñ ...), a capital with diacritics inside a
lower-case word ("ChÝ"), or a vowel cluster no Vietnamese syllable has ("Vaên"). Such text is
decoded with each table; it is converted when exactly one decoding is plausible Vietnamese, and
refused otherwise, so garbled text is never stored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TCVN3 = "TCVN3"
VNI = "VNI"

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)  # the order TCVN3 lays them out in
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"


def _nfc(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(m for m in marks if m))


# --- TCVN3 (TCVN 5712:1993, the VN3 "ABC" set) -----------------------------------------------------
# Plain capitals with a modifier and đ/Đ, then every lower-case toned vowel. Capitals with a tone have
# no code of their own: they were typed with the same codes in an upper-case font (".VnTimeH").


def _tcvn3_table() -> dict[int, str]:
    table = dict(zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))
    # For each vowel: the codes of its grave, hook, tilde, acute and dot-below forms.
    layout = {
        "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
        "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
        "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
        "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
        "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
        "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
        "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
        "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
        "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
        "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
        "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
        "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
    }
    for vowel, codes in layout.items():
        for code, tone in zip(codes, _TONES, strict=True):
            table[code] = _nfc(vowel, tone)
    return table


TCVN3_TABLE = _tcvn3_table()

# --- VNI (VNI-Windows) --------------------------------------------------------------------------------
# A letter is its base letter followed by one mark character; some letters are one character.
_VNI_TONE = {"ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX_TONE = {"â": "", "à": _GRAVE, "á": _ACUTE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}  # after a, e, o
_VNI_BREVE_TONE = {"ê": "", "è": _GRAVE, "é": _ACUTE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}  # after a
# One character standing for a whole letter (ơ and ư may still take a tone mark after them).
_VNI_SINGLE = {
    "ô": "ơ", "ö": "ư", "ñ": "đ",
    "ì": _nfc("i", _GRAVE), "í": _nfc("i", _ACUTE), "æ": _nfc("i", _HOOK), "ó": _nfc("i", _TILDE), "ò": _nfc("i", _DOT),
    "î": _nfc("y", _DOT),
}
_VNI_SINGLE.update({k.upper(): v.upper() for k, v in list(_VNI_SINGLE.items())})
_VNI_MARKS = {**_VNI_TONE, **{k.upper(): v for k, v in _VNI_TONE.items()}}
_VNI_CIRC = {**_VNI_CIRCUMFLEX_TONE, **{k.upper(): v for k, v in _VNI_CIRCUMFLEX_TONE.items()}}
_VNI_BREVE = {**_VNI_BREVE_TONE, **{k.upper(): v for k, v in _VNI_BREVE_TONE.items()}}

# --- What Vietnamese Unicode looks like ---------------------------------------------------------------
_VOWEL_BASES = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = frozenset(
    {_nfc(v, t) for v in _VOWEL_BASES for t in ("", *_TONES)}
    | {_nfc(v, t).upper() for v in _VOWEL_BASES for t in ("", *_TONES)}
    | set("đĐ")
    | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
)
# Characters of Latin-1 that carry no meaning in Vietnamese text but that the legacy tables use.
_BENIGN_LATIN1 = {"\u00a0", "°", "º", "ª"} - {chr(c) for c in TCVN3_TABLE}
LEGACY_MARKERS = frozenset(
    ch for ch in (chr(c) for c in range(0xA1, 0x100)) if ch not in VIETNAMESE_LETTERS and ch not in _BENIGN_LATIN1
)
# Vowel clusters of Vietnamese syllables (base letters, after "gi"/"qu" lose their vowel), plus a few
# found in minority-language names written in the Vietnamese alphabet (Niê, Byă ...).
_CLUSTERS = frozenset(
    set(_VOWEL_BASES)
    | set(
        ["ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uă", "ue", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "yă", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu", "uêu"]
    )
)
_TONE_MARKS = frozenset(_TONES)


def _letters(word: str) -> list[tuple[str, int]]:
    """(base letter with its modifier, number of tone marks) for each letter of a word."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if not out:
                continue
            base, tones = out[-1]
            if ch in _TONE_MARKS:
                out[-1] = (base, tones + 1)
            else:
                out[-1] = (unicodedata.normalize("NFC", base + ch), tones)
        else:
            out.append((ch, 0))
    return out


def _words(text: str) -> list[str]:
    words, current = [], []
    for ch in text:
        if ch.isalpha() or unicodedata.combining(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _word_is_plausible(word: str) -> bool:
    if word.isascii():
        return True
    letters = _letters(word)
    if sum(t for _, t in letters) > 1:
        return False
    bases = [b for b, _ in letters]
    if len(bases) > 2 and bases[0] in "gq" and bases[1] in "iu" and bases[2] in _VOWEL_BASES:
        bases = [bases[0], *bases[2:]]  # "gia", "qua": the i/u belongs to the consonant
    cluster = ""
    for base in [*bases, " "]:
        if base in _VOWEL_BASES:
            cluster += base
            continue
        if cluster and cluster not in _CLUSTERS:
            return False
        cluster = ""
    return True


def _casing_is_odd(word: str) -> bool:
    """A capital with Vietnamese diacritics right after a lower-case letter: "ChÝ", "TÊn"."""
    return any(not b.isascii() and b.isupper() and a.islower() for a, b in zip(word, word[1:], strict=False))


def is_plausible_vietnamese(text: str) -> bool:
    """True for text that may well be Vietnamese Unicode (or plain ASCII): no legacy marker character,
    no capital with diacritics inside a word, no vowel cluster that Vietnamese does not have."""
    text = unicodedata.normalize("NFC", text)
    if any(ch in LEGACY_MARKERS for ch in text):
        return False
    return all(not _casing_is_odd(w) and _word_is_plausible(w) for w in _words(text))


def decode_tcvn3(text: str) -> str | None:
    """The Unicode text that TCVN3 bytes (read as Latin-1/CP1252 characters) stand for; None when a
    character has no meaning in TCVN3."""
    out = []
    for ch in text:
        code = ord(ch)
        if code >= 0x100 or code < 0x80 or code == 0xA0:
            if code >= 0x100 and not _is_punctuation(ch):
                return None
            out.append(ch)
        elif code in TCVN3_TABLE:
            out.append(TCVN3_TABLE[code])
        else:
            return None
    decoded = "".join(out)
    ascii_letters = [c for c in decoded if c.isascii() and c.isalpha()]
    if ascii_letters and all(c.isupper() for c in ascii_letters):
        decoded = decoded.upper()  # typed in an upper-case font (.VnTimeH): every letter is a capital
    return decoded


def decode_vni(text: str) -> str | None:
    """The Unicode text that VNI bytes (read as Latin-1/CP1252 characters) stand for; None when the
    text is not well-formed VNI."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        lower = ch.lower()
        if ch in _VNI_SINGLE:
            letter = _VNI_SINGLE[ch]
            i += 1
            if letter.lower() in ("ơ", "ư") and nxt in _VNI_MARKS:
                letter = _nfc(letter, _VNI_MARKS[nxt])
                i += 1
            out.append(letter)
            continue
        if lower in "aeiouy" and ch.isascii():
            mods: list[str] = []
            i += 1
            if lower in "aeo" and nxt in _VNI_CIRC:
                mods = [_CIRCUMFLEX, _VNI_CIRC[nxt]]
                i += 1
            elif lower == "a" and nxt in _VNI_BREVE:
                mods = [_BREVE, _VNI_BREVE[nxt]]
                i += 1
            if i < n and text[i] in _VNI_MARKS and (not mods or not mods[1]):
                mods.append(_VNI_MARKS[text[i]])
                i += 1
            out.append(_nfc(ch, *mods))
            continue
        code = ord(ch)
        if 0x80 <= code < 0x100 and code != 0xA0:
            return None  # a mark with no vowel before it, or a character VNI does not use
        if code >= 0x100 and not _is_punctuation(ch):
            return None
        out.append(ch)
        i += 1
    return "".join(out)


# The commonest syllables of Vietnamese names: a tie-breaker when both tables give plausible text.
_COMMON = frozenset(
    ["nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đào", "đinh", "mai", "trương", "văn", "thị", "hữu", "đức", "công", "quốc", "minh", "thanh", "ngọc", "xuân", "thu", "hồng", "anh", "tuấn", "hùng", "dũng", "hải", "hà", "lan", "hương", "hoa", "hòa", "bình", "nam", "trung", "sơn", "thành", "long", "quang", "huy", "phương", "linh", "trang", "thảo", "yến", "nga", "hạnh"]
)


def _common_words(text: str) -> int:
    return sum(1 for w in _words(text) if w.lower() in _COMMON)


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in {"P", "Z", "S"}


@dataclass(frozen=True)
class Detection:
    text: str  # the text to store (NFC), or the original when refused
    encoding: str = ""  # TCVN3 or VNI when converted
    refused: str = ""  # why the text cannot be stored, when it cannot

    @property
    def converted(self) -> bool:
        return bool(self.encoding)


def detect(text: str, *, prefer: str = "") -> Detection:
    """Unicode text is returned as it is (in NFC); legacy text converted, or refused with the reason.

    ``prefer`` breaks a tie when both tables give plausible Vietnamese (the encoding already seen in
    the same row)."""
    nfc = unicodedata.normalize("NFC", text)
    if nfc.isascii() or is_plausible_vietnamese(nfc):
        return Detection(nfc)
    eth = nfc.replace("\u00d0", "Đ").replace("\u00f0", "đ")  # the Icelandic look-alikes of Đ/đ
    if eth != nfc and is_plausible_vietnamese(eth):
        return Detection(eth)
    candidates: dict[str, str] = {}
    for name, decode in ((TCVN3, decode_tcvn3), (VNI, decode_vni)):
        decoded = decode(nfc)
        if decoded is not None and decoded != nfc:
            decoded = unicodedata.normalize("NFC", decoded)
            if is_plausible_vietnamese(decoded):
                candidates[name] = decoded
    if len(candidates) == 2 and prefer in candidates:
        candidates = {prefer: candidates[prefer]}
    if len(candidates) == 2:
        scores = {name: _common_words(decoded) for name, decoded in candidates.items()}
        best = max(scores, key=lambda name: scores[name])
        if list(scores.values()).count(scores[best]) == 1:
            candidates = {best: candidates[best]}
    if len(candidates) == 1:
        name, decoded = next(iter(candidates.items()))
        return Detection(decoded, encoding=name)
    if len(candidates) == 2:
        return Detection(nfc, refused="ambiguous")
    if any(ch in LEGACY_MARKERS for ch in nfc) or any(_casing_is_odd(w) for w in _words(nfc)):
        return Detection(nfc, refused="garbled")
    return Detection(nfc)  # unusual spelling (a minority-language name), but nothing legacy about it


def encode_tcvn3(text: str) -> str:
    """Unicode → TCVN3 characters, as a legacy font user would have typed them (for tests and demos).
    Capitals with a tone take the lower-case code, as in the upper-case fonts."""
    reverse = {v: chr(k) for k, v in TCVN3_TABLE.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in reverse:
            out.append(reverse[ch])
        elif ch.lower() in reverse and not ch.isascii():
            out.append(reverse[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode → VNI characters (for tests and demos)."""
    singles = {v: k for k, v in _VNI_SINGLE.items()}
    tone_char = {v: k for k, v in _VNI_TONE.items()}
    circ_char = {v: k for k, v in _VNI_CIRCUMFLEX_TONE.items()}
    breve_char = {v: k for k, v in _VNI_BREVE_TONE.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in singles:
            out.append(singles[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if not marks or not base.isascii():
            out.append(ch)
            continue
        upper = base.isupper()
        tone = next((m for m in marks if m in _TONE_MARKS), "")
        if _HORN in marks:
            letter = singles[_nfc(base.lower(), _HORN)]
            mark = tone_char.get(tone, "")
        elif _CIRCUMFLEX in marks:
            letter, mark = base.lower(), circ_char[tone]
        elif _BREVE in marks:
            letter, mark = base.lower(), breve_char[tone]
        else:
            letter, mark = base.lower(), tone_char[tone]
        encoded = letter + mark
        out.append(encoded.upper() if upper else encoded)
    return "".join(out)
