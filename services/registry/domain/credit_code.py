"""统一社会信用代码 (GB 32100-2015) of civil-affairs organizations: check and make codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from shared.contracts.registry import Kind, Level

# GB 32100-2015 §4: 31 characters, no I, O, Z, S, V; a character's value is its index here.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5: C18 weights are 3^(i-1) mod 31 for positions 1..17.
C18_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714-1997 §5: the organization-code body weights for C9.
C9_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11714 values letters on the full Latin alphabet (A=10 … Z=35), unlike GB 32100.
_C9_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CIVIL_AFFAIRS = "5"
TYPE_DIGITS = frozenset("1239")  # 1 社会团体, 2 社会服务机构, 3 基金会, 9 other
TYPE_DIGIT_OF_KIND: dict[Kind, str] = {
    "social_group": "1",
    "social_service_agency": "2",
    "foundation": "3",
}

# Real registers hold codes issued before GB 32100 that fail a check character, and
# foundations with type digit 1 or 2 (DOMAIN.md); a bureau may accept these with an
# audited override. Anything else is not a civil-affairs credit code at all.
OVERRIDABLE_CHECKS = frozenset({"c9", "c18", "kind_mismatch", "level_mismatch"})
NATIONAL_AUTHORITY = "100000"  # 民政部: national registration


@dataclass(frozen=True)
class Failure:
    """One failed check: a stable name, a message that names it, whether override may accept."""

    check: str
    message: str

    @property
    def overridable(self) -> bool:
        return self.check in OVERRIDABLE_CHECKS


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking one code; empty `failures` means it is valid."""

    code: str
    failures: tuple[Failure, ...]

    @property
    def valid(self) -> bool:
        return not self.failures

    @property
    def failed_checks(self) -> tuple[str, ...]:
        return tuple(f.check for f in self.failures)

    @property
    def hard_failures(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if not f.overridable)

    @property
    def overridable(self) -> bool:
        """True when it fails, but only checks an audited override may accept."""
        return bool(self.failures) and not self.hard_failures

    @property
    def message(self) -> str:
        return "; ".join(f.message for f in self.failures) or f"{self.code} is valid"


def c18_of(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (31 is written '0')."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, C18_WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def c9_of(body: str) -> str:
    """The GB 11714 check character for an 8-character body (10 is 'X', 11 is '0')."""
    total = sum(_C9_VALUES.index(ch) * w for ch, w in zip(body, C9_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise_credit_code(raw: str) -> str:
    """A code as people paste it, made canonical: NFKC (full-width → ASCII), trimmed, upper case.

    Codes are copied from certificates, PDFs and spreadsheets typed with a Chinese input method,
    which bring full-width digits and letters, ideographic spaces and lower case along.
    """
    return unicodedata.normalize("NFKC", raw).strip().upper()


def authority_level(segment: str) -> Level:
    """The level of the bureau a 6-digit GB/T 2260 authority code names (pp0000, ppcc00, …)."""
    if segment == NATIONAL_AUTHORITY:
        return "national"
    if segment.endswith("0000"):
        return "province"
    if segment.endswith("00"):
        return "city"
    return "county"


def check_credit_code(
    code: str,
    kind: Kind | None = None,
    *,
    level: Level | None = None,
    known_authority: Callable[[str], bool] | None = None,
) -> CodeCheck:
    """Check every rule of a civil-affairs code (normalised first).

    With `kind`, also its type digit; with `level`, that the authority registers at that level;
    with `known_authority`, that digits 3–8 name a known place (or 100000, the ministry).
    """
    code = normalise_credit_code(code)
    shape = _shape_failures(code)
    if shape:  # the check characters mean nothing on a malformed code
        return CodeCheck(code, shape)
    failures = [
        *_segment_failures(code),
        *_known_authority_failures(code, known_authority),
        *_check_character_failures(code),
        *_kind_failures(code, kind),
        *_level_failures(code, level),
    ]
    return CodeCheck(code, tuple(failures))


def make_credit_code(type_digit: str, authority: str, body: str) -> str:
    """A valid civil-affairs code from its type digit, 6-digit authority and 8-char body."""
    if type_digit not in TYPE_DIGITS:
        raise ValueError(f"type digit must be one of 1, 2, 3, 9, not {type_digit!r}")
    if not _is_authority(authority):
        raise ValueError(f"authority must be a 6-digit GB/T 2260 code, not {authority!r}")
    if len(body) != 8 or any(ch not in ALPHABET for ch in body):
        raise ValueError(f"body must be 8 characters of {ALPHABET}, not {body!r}")
    first17 = CIVIL_AFFAIRS + type_digit + authority + body + c9_of(body)
    return first17 + c18_of(first17)


def _shape_failures(code: str) -> tuple[Failure, ...]:
    failures: list[Failure] = []
    if len(code) != 18:
        failures.append(Failure("length", f"length: {len(code)} characters, a code has 18"))
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        failures.append(
            Failure("alphabet", f"alphabet: {''.join(bad)!r} not in {ALPHABET} (upper case)")
        )
    return tuple(failures)


def _segment_failures(code: str) -> list[Failure]:
    failures: list[Failure] = []
    if code[0] != CIVIL_AFFAIRS:
        failures.append(
            Failure("department", f"department: {code[0]!r} is not 5 (civil affairs, 民政)")
        )
    if code[1] not in TYPE_DIGITS:
        failures.append(
            Failure("type_digit", f"type_digit: {code[1]!r} is not 1, 2, 3 or 9 under 民政")
        )
    if not _is_authority(code[2:8]):
        failures.append(
            Failure("authority", f"authority: {code[2:8]!r} is not a 6-digit GB/T 2260 code")
        )
    return failures


def _check_character_failures(code: str) -> list[Failure]:
    failures: list[Failure] = []
    if (c9 := c9_of(code[8:16])) != code[16]:
        failures.append(Failure("c9", f"c9: check character is {code[16]!r}, expected {c9!r}"))
    if (c18 := c18_of(code[:17])) != code[17]:
        failures.append(Failure("c18", f"c18: check character is {code[17]!r}, expected {c18!r}"))
    return failures


def _kind_failures(code: str, kind: Kind | None) -> list[Failure]:
    expected = TYPE_DIGIT_OF_KIND.get(kind) if kind else None
    if expected is None or code[1] == expected:
        return []
    return [
        Failure(
            "kind_mismatch",
            f"kind_mismatch: type digit {code[1]!r} does not match {kind} (expects {expected})",
        )
    ]


def _known_authority_failures(code: str, known: Callable[[str], bool] | None) -> list[Failure]:
    segment = code[2:8]
    if known is None or not _is_authority(segment) or segment == NATIONAL_AUTHORITY:
        return []
    if known(segment):
        return []
    return [
        Failure(
            "unknown_authority",
            f"unknown_authority: {segment!r} is not a known place nor {NATIONAL_AUTHORITY}",
        )
    ]


def _level_failures(code: str, level: Level | None) -> list[Failure]:
    segment = code[2:8]
    if level is None or not _is_authority(segment):
        return []
    expected = authority_level(segment)
    if level == expected:
        return []
    return [
        Failure(
            "level_mismatch",
            f"level_mismatch: authority {segment} registers at {expected} level, not {level}",
        )
    ]


def _is_authority(segment: str) -> bool:
    return len(segment) == 6 and segment.isascii() and segment.isdigit()
