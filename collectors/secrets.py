"""Where a scanned file holds a secret value (name and line, never the value), for the redaction report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Fact, Loc
from ..redact import CREDENTIAL_NAME, credential_spans

KIND_WITHHELD = "secret.withheld"

# `name = value`, `name: value`, `export NAME=value`, `"name": value` (HCL, YAML, .env, JSON).
_ASSIGN = re.compile(r"""^\s*(?:-\s+)?(?:export\s+|ENV\s+|ARG\s+)?["']?(?P<name>[A-Za-z_][\w.-]*)["']?\s*(?P<op>[:=])\s*(?P<value>.*?)\s*,?\s*$""")
# Command-line flags that carry a credential: `--password x`, `--set db.password=x`, `-p=x` is not guessed.
_FLAG = re.compile(r"""(?i)(?<![\w-])(--?[\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key)[\w.-]*)(?:=|\s+)"""
                   r"""(?P<value>[^\s"';|&]+)""")
_SET_FLAG = re.compile(r"""(?i)--set(?:-string)?[=\s]+(?P<name>[\w.-]+)=(?P<value>[^\s"';|&,]+)""")
# Kubernetes env entries and similar: the credential's name on one line, its value on the next.
_NAMED = re.compile(r"""^\s*(?:-\s+)?name\s*:\s*["']?(?P<name>[\w.-]+)["']?\s*$""")
_VALUE = re.compile(r"""^\s*value\s*:\s*(?P<value>.*?)\s*$""")
# Values that point at a secret instead of holding one: references, templates, lookups, empty or flags.
_REFERENCE = re.compile(r"""\$\{|\{\{|\$\(|^\$\w|^(var|local|module|data|each|count|secrets|vars|env)\.|secretKeyRef|
                            valueFrom|^(inherit|true|false|null|yes|no|~|\[\]|\{\}|\||>|[|>][-+]?\d*)$|^["']{2}$""", re.X | re.I)
# Names that point at a credential or describe it without holding it: `secretName`, `token_ttl`, `id-token`.
_NOT_A_VALUE = re.compile(r"(?i)(name|names|ref|class|provider|id|ids|file|path|type|policy|enabled|version|store|"
                          r"mount|ttl|expiry|expiration|length|rotation|interval|permissions?)$|^id-token$")
_HCL_REFERENCE = re.compile(r"^[A-Za-z_][\w.\[\]\"*-]*$")  # an unquoted HCL word is a reference, not a literal


@dataclass(frozen=True)
class Withheld:
    """A secret archinfer saw and never shows: what it is (a name or a format) and why it is withheld."""

    what: str
    why: str


def sweep(path: str, text: str) -> list[Fact]:
    """Every line of `text` that holds a credential: named like one with a literal value, or formatted like one."""
    found: dict[int, Withheld] = {}
    lines = text.split("\n")
    hcl = path.endswith((".tf", ".tofu", ".tfvars", ".hcl"))
    for number in _lines_naming_a_credential(text):
        line = lines[number - 1].rstrip("\r")
        match = _ASSIGN.match(line)
        if match and _holds_credential(match["name"]) and _is_literal(match["value"], hcl):
            found[number] = Withheld(f"value of {match['name']}", "named like a credential: the value is never shown")
            continue
        flag = _flag(line)
        if flag:
            found[number] = Withheld(f"value of the {flag} option", "a credential on a command line: never shown")
            continue
        named = _NAMED.match(line)
        if named and _holds_credential(named["name"]) and number < len(lines):
            value = _VALUE.match(lines[number].rstrip("\r"))
            if value and _is_literal(value["value"], hcl):
                found[number + 1] = Withheld(f"value of {named['name']}",
                                             "named like a credential: the value is never shown")
    for start, kind in credential_spans(text):
        number = text.count("\n", 0, start) + 1
        found.setdefault(number, Withheld(f"a value formatted like a credential ({kind})", "detected by its format: never shown"))
    return [Fact(KIND_WITHHELD, Loc(path, number), found[number]) for number in sorted(found)]


# A quick, case-folded first look for the words CREDENTIAL_NAME and the flags know: one pass over lowered text
# is ten times faster than the case-insensitive pattern at every position of a 30 MB corpus.
_WORDS = re.compile(r"pass|pwd|secret|token|credential|private|key|conn|sas")


def _lines_naming_a_credential(text: str) -> list[int]:
    """1-based numbers of the lines where a credential word occurs (the exact checks run on those lines only)."""
    numbers: list[int] = []
    position, number = 0, 1
    lowered = text.lower()  # may differ in length from `text` (non-ASCII), but never in its newlines
    for match in _WORDS.finditer(lowered):
        number += lowered.count("\n", position, match.start())
        position = match.start()
        if not numbers or numbers[-1] != number:
            numbers.append(number)
    return numbers


def _flag(line: str) -> str | None:
    """The option name when the line passes a literal credential on a command line."""
    for match in _SET_FLAG.finditer(line):
        if _holds_credential(match["name"].rsplit(".", 1)[-1]) and _is_literal(match["value"], False):
            return f"--set {match['name']}"
    for match in _FLAG.finditer(line):
        name = match.group(1).lstrip("-")
        if _holds_credential(name) and not name.endswith(("-stdin", "-file")) and _is_literal(match["value"], False):
            return match.group(1)
    return None


def _holds_credential(name: str) -> bool:
    return bool(CREDENTIAL_NAME.search(name)) and not _NOT_A_VALUE.search(name)


def _is_literal(value: str, hcl: bool) -> bool:
    """Whether an assignment's right side holds a value of its own (not a reference, not empty)."""
    value = value.split(" #", 1)[0].strip()
    if not value or _REFERENCE.search(value):
        return False
    if hcl and _HCL_REFERENCE.match(value) and not value[0].isdigit():
        return False
    return True
