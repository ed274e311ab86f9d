"""Kubernetes objects -> sets (a kustomize overlay, a folder of manifests) of workloads, services, ingresses, policies."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Iterable

from ..collectors.kubernetes import KIND_OBJECT, K8sObject
from ..model import Fact, Loc

KIND_BUILD = "kustomize.build"
KIND_KUSTOMIZATION = "kustomize.file"  # a kustomization file's location (its folder tree is kustomize-managed)

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


def _dig(data: Any, path: Iterable[str | int]) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def workloads(k8s_set: K8sSet) -> tuple[Workload, ...]:
    """Every workload of a set with its containers; env values resolved through the set's ConfigMaps."""
    configmaps = {(o.namespace, o.name): o.body.get("data") or {} for o in k8s_set.of("ConfigMap")}
    out: list[Workload] = []
    for obj in k8s_set.of(*WORKLOAD_KINDS):
        spec_path = pod_spec_path(obj)
        spec = _dig(obj.body, spec_path) or {}
        containers = []
        for i, container in enumerate(spec.get("containers") or []):
            if isinstance(container, dict):
                containers.append(_container(obj, spec_path + ("containers", i), container, configmaps))
        replicas = _dig(obj.body, ("spec", "replicas"))
        strategy = _dig(obj.body, ("spec", "strategy", "type"))
        if obj.kind == "Rollout":
            strategy = "blueGreen" if _dig(obj.body, ("spec", "strategy", "blueGreen")) is not None else (
                "canary" if _dig(obj.body, ("spec", "strategy", "canary")) is not None else None)
        labels = _dig(obj.body, spec_path[:-1] + ("metadata", "labels")) or {}
        out.append(Workload(k8s_set.name, obj.kind, obj.name, obj.namespace,
                            replicas if isinstance(replicas, int) else None, tuple(containers),
                            spec.get("serviceAccountName"), tuple(sorted((str(k), str(v)) for k, v in labels.items())),
                            obj.loc(), strategy if isinstance(strategy, str) else None))
    return tuple(out)


def _container(obj: K8sObject, path: tuple[str | int, ...], data: dict[str, Any],
               configmaps: dict[tuple[str | None, str], Any]) -> Container:
    ports = tuple(p["containerPort"] for p in data.get("ports") or [] if isinstance(p, dict) and isinstance(p.get("containerPort"), int))
    resources = data.get("resources") or {}
    probes = []
    for kind in ("readiness", "liveness", "startup"):
        probe = data.get(f"{kind}Probe")
        if isinstance(probe, dict):
            probes.append(Probe(kind, _probe_detail(probe), obj.loc(*path, f"{kind}Probe")))
    env: list[EnvVar] = []
    for item in data.get("env") or []:
        if not isinstance(item, dict) or "name" not in item:
            continue
        env.append(_env(obj, item, configmaps))
    for source in data.get("envFrom") or []:
        ref = (source or {}).get("configMapRef") if isinstance(source, dict) else None
        if isinstance(ref, dict) and ref.get("name"):
            for key, value in sorted((configmaps.get((obj.namespace, ref["name"])) or {}).items()):
                env.append(EnvVar(str(key), str(value), f"configmap:{ref['name']}"))
        secret_ref = (source or {}).get("secretRef") if isinstance(source, dict) else None
        if isinstance(secret_ref, dict) and secret_ref.get("name"):
            env.append(EnvVar("*", None, f"secret:{secret_ref['name']}"))
    return Container(str(data.get("name", "")), str(data.get("image", "")), ports,
                     tuple(sorted((str(k), str(v)) for k, v in (resources.get("requests") or {}).items())),
                     tuple(sorted((str(k), str(v)) for k, v in (resources.get("limits") or {}).items())),
                     tuple(probes), tuple(env), obj.loc(*path))


def _env(obj: K8sObject, item: dict[str, Any], configmaps: dict[tuple[str | None, str], Any]) -> EnvVar:
    name = str(item["name"])
    if "value" in item:
        return EnvVar(name, None if item["value"] is None else str(item["value"]), "literal")
    value_from = item.get("valueFrom") or {}
    if "configMapKeyRef" in value_from:
        ref = value_from["configMapKeyRef"] or {}
        data = configmaps.get((obj.namespace, str(ref.get("name")))) or {}
        value = data.get(ref.get("key"))
        return EnvVar(name, None if value is None else str(value), f"configmap:{ref.get('name')}")
    if "secretKeyRef" in value_from:
        return EnvVar(name, None, f"secret:{(value_from['secretKeyRef'] or {}).get('name')}")
    if "fieldRef" in value_from or "resourceFieldRef" in value_from:
        return EnvVar(name, None, "field")
    return EnvVar(name, None, "unresolved")


def _probe_detail(probe: dict[str, Any]) -> str:
    if isinstance(probe.get("httpGet"), dict):
        http = probe["httpGet"]
        return f"httpGet {http.get('path', '/')}:{http.get('port', '')}"
    if isinstance(probe.get("tcpSocket"), dict):
        return f"tcpSocket {probe['tcpSocket'].get('port', '')}"
    if isinstance(probe.get("grpc"), dict):
        return f"grpc {probe['grpc'].get('port', '')}"
    if "exec" in probe:
        return "exec"
    return "probe"
