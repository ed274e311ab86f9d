"""Environments: one name per environment however the repository spells it, and side-by-side comparison tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..model import Loc
from .components import Component
from .images import split_image
from .inputs import Inputs
from ..collectors.kubernetes import K8sObject
from .fields import as_text, mapping, mappings, scalar
from .kubernetes import hpa_range
from .view import Cell, Table, merge_evidence, show

# Spellings of one environment -> its name in the document, in the order environments are shown.
ALIASES: dict[str, str] = {
    "dev": "dev", "development": "dev", "develop": "dev", "sandbox": "sandbox", "sbx": "sandbox",
    "test": "test", "qa": "qa", "uat": "uat", "sit": "sit",
    "stg": "staging", "stage": "staging", "staging": "staging", "preprod": "preprod", "pre-prod": "preprod",
    "prod": "prod", "production": "prod", "prd": "prod", "live": "prod",
}
ORDER = ("base", "sandbox", "dev", "test", "qa", "sit", "uat", "staging", "preprod", "prod")


def environment_of(*names: str) -> str | None:
    """The environment a path, file name or label names (`envs/production`, `values-prod.yaml`, `overlays/stg`)."""
    for name in names:
        for token in reversed(re.split(r"[/\s_.()\[\]-]+", name.lower())):
            if token in ALIASES:
                return ALIASES[token]
        if "pre-prod" in name.lower():
            return "preprod"
    return None


@dataclass(frozen=True)
class Environment:
    """An environment and every place it was found."""

    name: str
    sources: tuple[tuple[str, Loc], ...]  # (what: "Terraform root", "kustomize overlay"...), where


def environments(inp: Inputs) -> tuple[Environment, ...]:
    """Environments from Terraform deployments, kustomize overlays, Helm values files and CI jobs, merged by name."""
    found: dict[str, list[tuple[str, Loc]]] = {}
    for d in inp.model.deployments:
        env = environment_of(*(list(d.var_files)[::-1] + [d.root]))
        if env:
            loc = Loc(d.var_files[-1], 1) if d.var_files else next((c.loc for c in inp.components if c.deployment == d.name), Loc(d.root))
            found.setdefault(env, []).append((f"Terraform {d.name}", loc))
    for s in inp.k8s_sets:
        env = set_environment(inp, s.name)
        if env:
            found.setdefault(env, []).append((f"{s.kind} {s.name}", s.loc))
    for fact in inp.pipelines:
        for job in fact.data.jobs:
            env = environment_of(job.environment) if job.environment else None
            if env:
                found.setdefault(env, []).append((f"{fact.data.tool} job {job.name}", Loc(fact.loc.path, job.line)))
    for s in inp.k8s_sets:
        for app in s.of("Application"):
            env = environment_of(app.name, scalar(app.body, "spec", "source", "path") or "")
            if env and app.api_version.startswith("argoproj.io"):
                found.setdefault(env, []).append((f"Argo CD Application {app.name}", app.loc()))
    return tuple(Environment(name, tuple(sorted(set(found[name]), key=lambda x: (str(x[1]), x[0]))))
                 for name in sorted(found, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)))


BASE = "base"  # a chart's own values.yaml, when values-<env>.yaml files beside it name environments


def set_environment(inp: Inputs, set_name: str) -> str | None:
    """The environment of a Kubernetes set; a chart's default render is `base` when its variants name environments."""
    env = environment_of(set_name)
    if env is not None:
        return env
    variants = [s.name for s in inp.k8s_sets if s.kind == "helm" and s.name.startswith(set_name + " (")]
    if any(environment_of(v) for v in variants) and any(s.name == set_name and s.kind == "helm" for s in inp.k8s_sets):
        return BASE
    return None


def env_of_deployment(name: str, inp: Inputs) -> str | None:
    for d in inp.model.deployments:
        if d.name == name:
            return environment_of(*(list(d.var_files)[::-1] + [d.root]))
    return environment_of(name)


def comparison(inp: Inputs, categories: Iterable[str], with_workloads: bool = False) -> Table | None:
    """One row per (component, property) that differs between environments; equal rows stated once."""
    envs = [e.name for e in environments(inp)]
    if len(envs) < 2:
        return None
    t = inp.t
    cats = set(categories)
    # The same component in different environments shares its address (module path) or its kind and name.
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for c in inp.components:
        env = env_of_deployment(c.deployment, inp)
        if c.category in cats and env:
            groups.setdefault((c.product, c.address), {})[env] = c
    if with_workloads:
        for w in inp.workloads:
            env = set_environment(inp, w.set)
            if env:
                groups.setdefault((w.kind, w.name), {})[env] = w
        for k8s_set in inp.k8s_sets:
            env = set_environment(inp, k8s_set.name)
            for obj in k8s_set.of("Service", "Ingress") if env else []:
                groups.setdefault((obj.kind, obj.name), {})[env] = obj  # type: ignore[index]
    rows: list[tuple[Cell, ...]] = []
    for (kind, key), per_env in sorted(groups.items()):
        first = next(iter(per_env.values()))
        label = f"{kind} `{_generic_name(_display_name(first))}`"
        same: list[str] = []
        same_evidence: list[Loc] = []
        if len(per_env) < len(envs):
            rows.append((Cell(label), Cell(t("배포 여부", "deployed")),
                         *(Cell(t("있음", "yes"), (_loc(per_env[e]),)) if e in per_env else Cell(t("없음", "no")) for e in envs)))
        for prop in _props(per_env):
            values = {e: _value(per_env[e], prop, inp) for e in envs if e in per_env}
            texts = {e: v[0] for e, v in values.items() if v is not None}
            if not texts:
                continue
            if len(set(texts.values())) == 1 and len(texts) == len(envs):
                same.append(f"{prop}={next(iter(texts.values()))}")  # equal everywhere: stated once, below
                same_evidence.extend(values[envs[0]][1][:1])  # type: ignore[index]
                continue
            cells = [Cell(texts[e], values[e][1]) if e in texts else Cell("—") for e in envs]  # type: ignore[index]
            rows.append((Cell(label), Cell(prop), *cells))
        if same:
            rows.append((Cell(label), Cell(t("모든 환경 동일", "same everywhere")),
                         Cell(", ".join(same), merge_evidence(same_evidence)[:2]), *(Cell("〃") for _ in envs[1:])))
    if not rows:
        return None
    return Table((t("구성요소", "Component"), t("속성", "Property"), *envs), tuple(rows))


def _generic_name(name: str) -> str:
    """`redis-evtmkt-prod` -> `redis-evtmkt-*`: one label for the same component in every environment."""
    parts = re.split(r"([-_.])", name)
    return "".join("*" if part.lower() in ALIASES else part for part in parts)


def _object_value(obj: K8sObject, prop: str) -> tuple[str, tuple[Loc, ...]] | None:
    """Service type and ports; Ingress class, hosts and TLS secrets."""
    spec = mapping(obj.body, "spec")
    if prop == "type":
        return scalar(spec, "type") or "ClusterIP", (obj.loc("spec", "type"),)
    if prop == "ports":
        ports = ", ".join(str(scalar(p, "port")) for p in mappings(spec, "ports"))
        return (ports or "-"), (obj.loc("spec", "ports"),)
    if prop == "class":
        value = scalar(spec, "ingressClassName")
        return (value, (obj.loc("spec", "ingressClassName"),)) if value else None
    if prop == "hosts":
        hosts = ", ".join(host for r in mappings(spec, "rules") if (host := scalar(r, "host")))
        return (hosts, (obj.loc("spec", "rules"),)) if hosts else None
    secrets = ", ".join(name for e in mappings(spec, "tls") if (name := scalar(e, "secretName")))
    return (secrets, (obj.loc("spec", "tls"),)) if secrets else None


def _display_name(item: Any) -> str:
    return str(getattr(item, "name", "")) or str(getattr(item, "address", ""))


def _loc(item: Any) -> Loc:
    return item.loc if isinstance(item.loc, Loc) else Loc("")


_SKIP = {"name", "subnet", "server", "network", "target", "workspace", "oms_workspace", "waf_policy", "agic", "identity", "location"}


def _props(per_env: dict[str, Any]) -> list[str]:
    keys: dict[str, None] = {}
    for item in per_env.values():
        if isinstance(item, Component):
            for key, _ in item.props:
                if key not in _SKIP:
                    keys.setdefault(key, None)
        elif isinstance(item, K8sObject):
            for key in (("type", "ports") if item.kind == "Service" else ("class", "hosts", "tls")):
                keys.setdefault(key, None)
        else:
            for key in ("replicas", "image", "requests", "limits"):
                keys.setdefault(key, None)
    return list(keys)


def _value(item: Any, prop: str, inp: Inputs) -> tuple[str, tuple[Loc, ...]] | None:
    if isinstance(item, Component):
        found = item.prop(prop)
        if found is None or found.value is None:
            return None
        return inp.show_ref(item, found.value), found.evidence()[:2]
    if isinstance(item, K8sObject):
        return _object_value(item, prop)
    if prop == "replicas":
        hpa = next((h for s in inp.k8s_sets if s.name == item.set for h in s.of("HorizontalPodAutoscaler")
                    if scalar(h.body, "spec", "scaleTargetRef", "name") == item.name), None)
        if hpa is not None:
            return f"HPA {hpa_range(hpa)}", (hpa.loc(),)
        return (as_text(item.replicas) if item.replicas is not None else "1 (default)"), (item.loc,)
    container = item.containers[0] if item.containers else None
    if container is None:
        return None
    if prop == "image":  # the tag changes with every build; the registry and repository are the architecture
        host, repository, _ = split_image(container.image)
        return (f"{host}/{repository}" if host else repository), (container.loc,)
    pairs = container.requests if prop == "requests" else container.limits
    return (", ".join(f"{k}={v}" for k, v in pairs) or "-"), (container.loc,)
