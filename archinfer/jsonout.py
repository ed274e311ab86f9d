"""Machine-readable scan output: an Analysis as plain JSON data in the shape of schema/archinfer-output.schema.json."""

from __future__ import annotations

import json

from .redact import redact
import math
from typing import Any, Iterable

from . import __version__
from .infer.components import Component, components
from .infer.kubernetes import Container, K8sSet, Workload, k8s_sets, workloads
from .infer.sections import SECTIONS
from .infer.terraform import Deployment, Disabled, EvalValue, ModuleObject, evaluate
from .infer.values import ResourceRef, Unknown
from .infer.view import _SECRET_KEY, Block, Bullet, Cell, Diagram, Note, SectionView, Table
from .model import Diagnostic, FileReport, Loc
from .scan import Analysis

SCHEMA_VERSION = "1"

Json = dict[str, Any]


def to_json(analysis: Analysis, root_label: str) -> Json:
    """The whole analysis as JSON-able data; the same tree always gives the same data (no times, stable order).

    `root_label` names the scanned folder: pass the label `analyze` used (its `label`, by default
    `root.resolve().name or "."`) so a deployment at the scanned folder itself is named alike here and in `sections`.
    """
    facts = analysis.collected.facts
    if analysis.inputs is not None:
        model, comps, sets = analysis.inputs.model, analysis.inputs.components, analysis.inputs.k8s_sets
    else:  # an Analysis built by hand: evaluate the facts (pure, deterministic)
        model = evaluate(facts, root_label)
        comps, sets = components(model), k8s_sets(facts)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "archinfer", "version": __version__},
        "root": root_label,
        "files": [_file(f) for f in sorted(analysis.collected.files, key=lambda f: (f.path, f.kind))],
        "diagnostics": [_diagnostic(d) for d in sorted(analysis.diagnostics)],
        "deployments": [_deployment(d) for d in sorted(model.deployments, key=lambda d: (d.root, d.name))],
        "components": [_component(c) for c in sorted(comps, key=_component_order)],
        "disabled": [_disabled(d) for d in sorted(model.disabled, key=lambda d: (d.deployment, d.address, d.loc))],
        "kubernetes": {"sets": [_k8s_set(s) for s in sorted(sets, key=lambda s: (s.name, s.kind))]},
        "sections": _sections(analysis.views),
    }


def dumps(data: Json) -> str:
    """The data as UTF-8-friendly, indented JSON text ending in a newline; NaN/Infinity are refused (not JSON)."""
    return redact(json.dumps(_printable(data), ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False)) + "\n"


def _printable(data: Any) -> Any:
    """`data` with integers too long to print (Terraform arithmetic on huge literals) as a note instead."""
    if isinstance(data, dict):
        return {k: _printable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_printable(v) for v in data]
    if isinstance(data, int) and not isinstance(data, bool) and data.bit_length() > 4000 * 3:
        try:
            str(data)
        except ValueError:
            return "(number too large)"
    return data


# ---------------------------------------------------------------------------------------------
# Files, diagnostics, locations


def _loc(loc: Loc) -> Json:
    return {"path": loc.path, "line": loc.line}


def _evidence(locs: Iterable[Loc]) -> list[Json]:
    # Order is meaningful (the attribute's own line first), so it is kept as given.
    return [_loc(loc) for loc in locs]


def _file(report: FileReport) -> Json:
    return {"path": report.path, "kind": report.kind, "status": report.status, "detail": report.detail}


def _diagnostic(diagnostic: Diagnostic) -> Json:
    return {"path": diagnostic.loc.path, "line": diagnostic.loc.line,
            "severity": diagnostic.severity.value, "message": diagnostic.message}


# ---------------------------------------------------------------------------------------------
# Terraform


def _deployment(deployment: Deployment) -> Json:
    return {"name": deployment.name, "root": deployment.root, "var_files": list(deployment.var_files)}


def _component_order(component: Component) -> tuple[str, str, str, Loc]:
    return component.deployment, component.category, component.address, component.loc


def _component(component: Component) -> Json:
    return {
        "category": component.category,
        "cloud": component.cloud,
        "product": component.product,
        "deployment": component.deployment,
        "address": component.address,
        "type": component.type,
        "name": component.name,
        "loc": _loc(component.loc),
        "multiplicity_unresolved": component.multiplicity_unresolved,
        "props": _props(component.props),
    }


def _props(props: Iterable[tuple[str, EvalValue]]) -> Json:
    """Props by key (sorted), leaving out any that is, or holds, a credential-like key."""
    return {key: _prop(found) for key, found in sorted(props, key=lambda p: p[0])
            if not _SECRET_KEY.search(key) and not _has_secret_key(found.value)}


def _prop(found: EvalValue) -> Json:
    return {"value": _value(found.value), "evidence": _evidence(found.evidence()),
            "unresolved": _is_unresolved(found.value)}


def _value(value: Any) -> Any:
    """A Terraform value as JSON: unresolved expressions and computed attributes become tagged objects."""
    if isinstance(value, Unknown):
        # Only the source expression: for a sensitive variable that is `var.x`, never what it is bound to.
        return {"unresolved": value.text}
    if isinstance(value, ResourceRef):
        return {"ref": f"{value.address}.{value.attribute}"}
    if isinstance(value, ModuleObject):
        return {"unresolved": value.address}  # a whole module call: its outputs are not values on their own
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        # Terraform maps and objects are unordered: sorted keys keep the output stable.
        return {str(k): _value(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return {"unresolved": f"<{type(value).__name__}>"}  # no repr: it could carry a value we must not print


def _number(value: float) -> Any:
    if not math.isfinite(value):
        return {"unresolved": str(value)}  # JSON has no NaN/Infinity
    # Terraform has one number type: 2.0 and 2 are the same value, written as the document writes it.
    return int(value) if value.is_integer() else value


def _is_unresolved(value: Any) -> bool:
    """Some part is not determined by the files; a ResourceRef is determined (known after apply) and does not count."""
    if isinstance(value, (Unknown, ModuleObject)):
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_is_unresolved(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_is_unresolved(v) for v in value)
    return False


def _has_secret_key(value: Any) -> bool:
    """Some nested map key looks like a credential (`admin_password`, `sas_token`...)."""
    if isinstance(value, dict):
        return any(_SECRET_KEY.search(str(k)) or _has_secret_key(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_secret_key(v) for v in value)
    return False


def _disabled(disabled: Disabled) -> Json:
    return {"deployment": disabled.deployment, "address": disabled.address, "type": disabled.type,
            "loc": _loc(disabled.loc), "reason": disabled.reason}


# ---------------------------------------------------------------------------------------------
# Kubernetes: names, shapes and locations only; object bodies (a Secret's data) never leave here.


def _k8s_set(k8s_set: K8sSet) -> Json:
    found = sorted(workloads(k8s_set), key=lambda w: (w.namespace or "", w.kind, w.name, w.loc))
    objects = sorted(k8s_set.objects, key=lambda o: (o.kind, o.namespace or "", o.name, o.origin))
    return {
        "name": k8s_set.name,
        "kind": k8s_set.kind,
        "loc": _loc(k8s_set.loc),
        "workloads": [_workload(w) for w in found],
        "objects": [{"api_version": o.api_version, "kind": o.kind, "name": o.name, "namespace": o.namespace,
                     "loc": _loc(o.origin)} for o in objects],
    }


def _workload(workload: Workload) -> Json:
    return {
        "kind": workload.kind,
        "name": workload.name,
        "namespace": workload.namespace,
        "replicas": workload.replicas,
        "service_account": _opt_str(workload.service_account),
        "strategy": workload.strategy,
        "labels": dict(workload.labels),
        "loc": _loc(workload.loc),
        "containers": [_container(c) for c in workload.containers],  # pod spec order: the first is the main one
    }


def _container(container: Container) -> Json:
    return {
        "name": container.name,
        "image": container.image,
        "ports": list(container.ports),
        "requests": dict(container.requests),
        "limits": dict(container.limits),
        "probes": [{"kind": p.kind, "detail": p.detail, "loc": _loc(p.loc)} for p in container.probes],
        # Names and where values come from, never the values: a literal can hold a connection string.
        "env": [{"name": e.name, "source": e.source} for e in container.env],
        "loc": _loc(container.loc),
    }


def _opt_str(value: object) -> str | None:
    # The YAML may hold anything where a string belongs; the schema promises a string or null.
    return None if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Sections: the rendered views, block by block


def _sections(views: dict[str, SectionView]) -> Json:
    """Views in document order: the archinfer region, then SECTIONS, then any other region by id."""
    order = ["archinfer", *SECTIONS]
    ids = [r for r in order if r in views] + sorted(r for r in views if r not in order)
    return {region: {"blocks": [_block(b) for b in views[region].blocks]} for region in ids}


def _block(block: Block) -> Json:
    if isinstance(block, Bullet):
        return {"type": "bullet", "label": block.label, "cells": [_cell(c) for c in block.cells]}
    if isinstance(block, Table):
        return {"type": "table", "headers": list(block.headers), "rows": [[_cell(c) for c in row] for row in block.rows]}
    if isinstance(block, Diagram):
        return {"type": "diagram", "title": block.title, "mermaid": block.mermaid}
    assert isinstance(block, Note)
    return {"type": "note", "text": block.text}


def _cell(cell: Cell) -> Json:
    return {"text": cell.text, "evidence": _evidence(cell.evidence), "unresolved": cell.unresolved}
