"""Kubernetes objects -> sets (a kustomize overlay, a folder of manifests) of workloads, services, ingresses, policies."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Iterable

from ..collectors.kubernetes import KIND_OBJECT, K8sObject
from ..model import Fact, Loc
from .fields import dig, integer, mapping, mappings, pairs, scalar, sequence, text

KIND_BUILD = "kustomize.build"
KIND_KUSTOMIZATION = "kustomize.file"  # a kustomization file's location (its folder tree is kustomize-managed)

# ConfigMap data by (namespace, name): its scalar entries as text.
ConfigMaps = dict[tuple[str | None, str], dict[str, str]]

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout")


@dataclass(frozen=True)
class KustomizeBuild:
    """The objects one top-level overlay builds, and every file the build read."""

    overlay: str
    objects: tuple[K8sObject, ...]
    files: tuple[str, ...]


KIND_RENDER = "helm.render"


@dataclass(frozen=True)
class HelmRender:
    """A chart rendered with one set of values files: `name` is the set's name in the document."""

    name: str
    chart: str
    variant: str
    method: str  # "helm-sdk" | "static"
    objects: tuple[K8sObject, ...]
    files: tuple[str, ...]


@dataclass(frozen=True)
class K8sSet:
    """Objects deployed together: one kustomize overlay, or the plain manifests of one top folder."""

    name: str
    kind: str  # "kustomize" | "helm" | "manifests"
    objects: tuple[K8sObject, ...]
    loc: Loc  # the overlay's kustomization file, or the first manifest

    def of(self, *kinds: str) -> list[K8sObject]:
        return [o for o in self.objects if o.kind in kinds]


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str | None  # None: from a Secret, a field, or not resolvable; never a secret's value
    source: str  # "literal" | "configmap:<name>" | "secret:<name>" | "field" | "unresolved"


@dataclass(frozen=True)
class Probe:
    kind: str  # "readiness" | "liveness" | "startup"
    detail: str  # "httpGet /healthz:8080", "tcpSocket 6379", "exec", "grpc 8080"
    loc: Loc


@dataclass(frozen=True)
class Container:
    name: str
    image: str
    ports: tuple[int, ...]
    requests: tuple[tuple[str, str], ...]
    limits: tuple[tuple[str, str], ...]
    probes: tuple[Probe, ...]
    env: tuple[EnvVar, ...]
    loc: Loc

    def probe(self, kind: str) -> Probe | None:
        return next((p for p in self.probes if p.kind == kind), None)


@dataclass(frozen=True)
class Workload:
    """A Deployment/StatefulSet/...: its pods' containers, replicas and service account."""

    set: str
    kind: str
    name: str
    namespace: str | None
    replicas: int | None
    containers: tuple[Container, ...]
    service_account: str | None
    labels: tuple[tuple[str, str], ...]
    loc: Loc
    strategy: str | None


def k8s_sets(facts: Iterable[Fact]) -> tuple[K8sSet, ...]:
    """Overlays as built, then plain manifests grouped by top folder, leaving out files a build consumed."""
    fact_list = list(facts)
    builds = [f.data for f in fact_list if f.kind == KIND_BUILD]
    consumed = {path for build in builds for path in build.files}
    # Files in a kustomization's folder tree only mean something through a build (bases, patches,
    # components an overlay may or may not enable): never read them as objects on their own.
    managed_dirs = {posixpath.dirname(f.loc.path) for f in fact_list if f.kind == KIND_KUSTOMIZATION}
    # Likewise a chart's files (templates without Go syntax, CRDs, subcharts) come only through a render.
    renders = [f for f in fact_list if f.kind == KIND_RENDER]
    managed_dirs |= {posixpath.dirname(f.loc.path) for f in renders}
    build_locs = {f.data.overlay: f.loc for f in fact_list if f.kind == KIND_BUILD}
    sets = [K8sSet(b.overlay, "kustomize", b.objects, build_locs[b.overlay]) for b in sorted(builds, key=lambda b: b.overlay)]
    sets += [K8sSet(f.data.name, "helm", f.data.objects, f.loc) for f in sorted(renders, key=lambda f: f.data.name)]
    plain: dict[str, list[K8sObject]] = {}
    for fact in fact_list:
        if fact.kind == KIND_OBJECT and fact.loc.path not in consumed and not _under(fact.loc.path, managed_dirs):
            top = fact.loc.path.split("/", 1)[0] if "/" in fact.loc.path else "."
            plain.setdefault(top, []).append(fact.data)
    sets += [K8sSet(top, "manifests", tuple(objs), objs[0].origin) for top, objs in sorted(plain.items())]
    return tuple(sets)


def _under(path: str, dirs: set[str]) -> bool:
    parent = posixpath.dirname(path)
    while True:
        if parent in dirs:
            return True
        if not parent:
            return False
        parent = posixpath.dirname(parent)


def pod_spec_path(obj: K8sObject) -> tuple[str | int, ...]:
    """Where a workload keeps its pod spec."""
    if obj.kind == "CronJob":
        return ("spec", "jobTemplate", "spec", "template", "spec")
    return ("spec", "template", "spec")


def hpa_range(hpa: K8sObject) -> str:
    """`min–max` replicas of a HorizontalPodAutoscaler (minReplicas defaults to 1; an unreadable max shows as ?)."""
    return f"{scalar(hpa.body, 'spec', 'minReplicas') or 1}–{scalar(hpa.body, 'spec', 'maxReplicas') or '?'}"


def workloads(k8s_set: K8sSet) -> tuple[Workload, ...]:
    """Every workload of a set with its containers; env values resolved through the set's ConfigMaps."""
    configmaps = {(o.namespace, o.name): dict(pairs(o.body, "data")) for o in k8s_set.of("ConfigMap")}
    return tuple(_workload(k8s_set.name, obj, configmaps) for obj in k8s_set.of(*WORKLOAD_KINDS))


def _workload(set_name: str, obj: K8sObject, configmaps: ConfigMaps) -> Workload:
    """One workload; fields of the wrong type read as absent."""
    spec_path = pod_spec_path(obj)
    spec = mapping(obj.body, *spec_path)
    containers = tuple(_container(obj, spec_path + ("containers", i), container, configmaps)
                       for i, container in enumerate(sequence(spec, "containers")) if isinstance(container, dict))
    labels = pairs(obj.body, *spec_path[:-1], "metadata", "labels")
    return Workload(set_name, obj.kind, obj.name, obj.namespace, integer(obj.body, "spec", "replicas"), containers,
                    text(spec, "serviceAccountName"), labels, obj.loc(), _strategy(obj))


def _strategy(obj: K8sObject) -> str | None:
    """A Deployment's strategy type; a Rollout's blueGreen or canary."""
    if obj.kind == "Rollout":
        if dig(obj.body, "spec", "strategy", "blueGreen") is not None:
            return "blueGreen"
        return "canary" if dig(obj.body, "spec", "strategy", "canary") is not None else None
    return text(obj.body, "spec", "strategy", "type")


def _container(obj: K8sObject, path: tuple[str | int, ...], data: dict[str, Any], configmaps: ConfigMaps) -> Container:
    """One container: image, ports, requests/limits, probes and env (ConfigMap values resolved, Secrets never read)."""
    ports = tuple(port for p in mappings(data, "ports") if (port := integer(p, "containerPort")) is not None)
    probes = []
    for kind in ("readiness", "liveness", "startup"):
        probe = data.get(f"{kind}Probe")
        if isinstance(probe, dict):
            probes.append(Probe(kind, _probe_detail(probe), obj.loc(*path, f"{kind}Probe")))
    env = [var for item in mappings(data, "env") if (var := _env(obj, item, configmaps)) is not None]
    for source in mappings(data, "envFrom"):
        configmap = scalar(source, "configMapRef", "name")
        if configmap:
            for key, value in sorted((configmaps.get((obj.namespace, configmap)) or {}).items()):
                env.append(EnvVar(key, value, f"configmap:{configmap}"))
        secret = scalar(source, "secretRef", "name")
        if secret:
            env.append(EnvVar("*", None, f"secret:{secret}"))
    return Container(scalar(data, "name") or "", scalar(data, "image") or "", ports,
                     pairs(data, "resources", "requests"), pairs(data, "resources", "limits"),
                     tuple(probes), tuple(env), obj.loc(*path))


def _env(obj: K8sObject, item: dict[str, Any], configmaps: ConfigMaps) -> EnvVar | None:
    """One `env` entry; None without a name."""
    name = scalar(item, "name")
    if name is None:
        return None
    if "value" in item:
        return EnvVar(name, scalar(item, "value"), "literal")
    value_from = mapping(item, "valueFrom")
    if "configMapKeyRef" in value_from:
        configmap, key = scalar(value_from, "configMapKeyRef", "name"), scalar(value_from, "configMapKeyRef", "key")
        values = configmaps.get((obj.namespace, configmap), {}) if configmap is not None else {}
        return EnvVar(name, values.get(key) if key is not None else None, f"configmap:{configmap}")
    if "secretKeyRef" in value_from:
        return EnvVar(name, None, f"secret:{scalar(value_from, 'secretKeyRef', 'name')}")
    if "fieldRef" in value_from or "resourceFieldRef" in value_from:
        return EnvVar(name, None, "field")
    return EnvVar(name, None, "unresolved")


def _probe_detail(probe: dict[str, Any]) -> str:
    """How a probe checks: its handler and port (and path for httpGet)."""
    if isinstance(probe.get("httpGet"), dict):
        path = scalar(probe, "httpGet", "path")
        return f"httpGet {'/' if path is None else path}:{scalar(probe, 'httpGet', 'port') or ''}"
    if isinstance(probe.get("tcpSocket"), dict):
        return f"tcpSocket {scalar(probe, 'tcpSocket', 'port') or ''}"
    if isinstance(probe.get("grpc"), dict):
        return f"grpc {scalar(probe, 'grpc', 'port') or ''}"
    if "exec" in probe:
        return "exec"
    return "probe"
