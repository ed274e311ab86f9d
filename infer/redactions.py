"""What archinfer withholds, and why: names and locations only, for `scan --show-redactions`."""

from __future__ import annotations

from dataclasses import dataclass

from ..collectors.kubernetes import KIND_OBJECT
from ..collectors.secrets import KIND_WITHHELD
from ..model import Loc
from ..redact import CREDENTIAL_NAME
from .fields import as_text, mapping
from .inputs import Inputs
from .terraform import module_defs
from .view import _SECRET_KEY

_SECRET_NAME = CREDENTIAL_NAME


@dataclass(frozen=True, order=True)
class Redaction:
    loc: Loc
    what: str
    why: str


def redactions(inp: Inputs, facts: tuple) -> tuple[Redaction, ...]:  # type: ignore[type-arg]
    """Sensitive Terraform variables and outputs, values bound to them, Secrets, secret env vars and keys."""
    out: list[Redaction] = []
    defs = inp.model.defs or module_defs(facts)
    sensitive_vars: set[tuple[str, str]] = set()
    for mdef in defs.values():
        for name, decl in mdef.variables.items():
            flag = decl.block.body.attr("sensitive")
            if flag is not None and getattr(flag.expr, "value", None) is True:
                sensitive_vars.add((mdef.dir, name))
                out.append(Redaction(decl.loc, f"variable {name}", "sensitive = true: never evaluated or shown"))
            elif _SECRET_NAME.search(name):
                out.append(Redaction(decl.loc, f"variable {name}", "its name says it holds a credential: its value is never shown"))
        for name, decl in mdef.outputs.items():
            flag = decl.block.body.attr("sensitive")
            if flag is not None and getattr(flag.expr, "value", None) is True:
                out.append(Redaction(decl.loc, f"output {name}", "sensitive = true: never evaluated or shown"))
    for fact in facts:
        if fact.kind == "tf.vars":
            for assignment in fact.data.assignments:
                if (fact.data.dir, assignment.name) in sensitive_vars or _SECRET_NAME.search(assignment.name):
                    out.append(Redaction(Loc(fact.loc.path, assignment.line), f"value of {assignment.name}",
                                         "bound to a sensitive or credential variable: withheld"))
        if fact.kind == KIND_OBJECT and fact.data.kind == "Secret":
            # Key names only (as text: a key may be a number), never values; data of the wrong type has no keys.
            keys = sorted({as_text(key) for part in ("data", "stringData") for key in mapping(fact.data.body, part)})
            out.append(Redaction(fact.loc, f"Secret {fact.data.name} ({', '.join(keys) or 'no keys'})",
                                 "Kubernetes Secret data is never read into the document"))
    for w in inp.workloads:
        for container in w.containers:
            for env in container.env:
                if env.source.startswith("secret:") or _SECRET_KEY.search(env.name):
                    out.append(Redaction(container.loc, f"{w.kind} {w.name} env {env.name}",
                                         "from a Secret" if env.source.startswith("secret:") else "credential-named variable: value never shown"))
    listed = {r.loc for r in out}
    for fact in facts:  # what the sweep of each file found on lines not already explained above
        if fact.kind == KIND_WITHHELD and fact.loc not in listed:
            out.append(Redaction(fact.loc, fact.data.what, fact.data.why))
    return tuple(sorted(set(out)))
