"""Kubernetes objects: every YAML document with apiVersion and kind (List items too), with its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Fact, Loc
from .yamlload import YamlDoc

KIND_OBJECT = "k8s.object"


_SCHEMA_KINDS = frozenset({"CustomResourceDefinition"})


@dataclass(frozen=True)
class K8sObject:
    """One object as written (or as built by kustomize/Helm); `origin` is where its document starts."""

    api_version: str
    kind: str
    name: str
    namespace: str | None
    body: dict[str, Any] = field(compare=False)
    origin: Loc
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)
    source: str = "manifest"  # "manifest" | "kustomize:<overlay dir>" | "helm:<chart dir>"

    def __post_init__(self) -> None:
        if self.kind in _SCHEMA_KINDS and isinstance(self.body.get("spec"), dict):
            # A CRD is mostly its OpenAPI schema (kubeflow's are 0.5-3.7 MB each, and every overlay builds a
            # copy); no section reads it. Keep what identifies the custom resource.
            spec = self.body["spec"]
            versions = spec.get("versions")
            slim_spec = {k: spec[k] for k in ("group", "names", "scope") if k in spec}
            if isinstance(versions, list):
                slim_spec["versions"] = [{k: v[k] for k in ("name", "served", "storage") if k in v}
                                         for v in versions if isinstance(v, dict)]
            object.__setattr__(self, "body", {**self.body, "spec": slim_spec})
            object.__setattr__(self, "lines", {k: n for k, n in self.lines.items()
                                               if len(k) < 3 or k[0] != "spec" or k[1] != "versions"})

    def line_of(self, *path: str | int) -> int:
        """The line of the deepest known part of `path`, else the document's line."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found:
                return found
        return self.origin.line

    def loc(self, *path: str | int) -> Loc:
        return Loc(self.origin.path, self.line_of(*path))


def is_object(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str)


def objects_from(path: str, docs: list[YamlDoc], source: str = "manifest") -> list[K8sObject]:
    """The Kubernetes objects of a parsed YAML file, unwrapping `kind: List` (items keep their own lines)."""
    out: list[K8sObject] = []
    for doc in docs:
        if not is_object(doc.data):
            continue
        if doc.data["kind"].endswith("List") and isinstance(doc.data.get("items"), list):
            per_item = _item_lines(doc.lines)  # one pass: filtering all lines per item is quadratic
            for i, item in enumerate(doc.data["items"]):
                if is_object(item):
                    out.append(_object(item, Loc(path, doc.line_of("items", i)), per_item.get(i, {}), source))
            continue
        out.append(_object(doc.data, Loc(path, doc.line), doc.lines, source))
    return out


def _item_lines(lines: dict[tuple[str | int, ...], int]) -> dict[int, dict[tuple[str | int, ...], int]]:
    """The lines of a List's `items`, grouped by item index, keyed relative to the item."""
    grouped: dict[int, dict[tuple[str | int, ...], int]] = {}
    for key, line in lines.items():
        if len(key) >= 2 and key[0] == "items" and isinstance(key[1], int):
            grouped.setdefault(key[1], {})[key[2:]] = line
    return grouped


def _object(data: dict[str, Any], origin: Loc, lines: dict[tuple[str | int, ...], int], source: str) -> K8sObject:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    name = metadata.get("name") or metadata.get("generateName") or ""
    namespace = metadata.get("namespace")
    return K8sObject(str(data["apiVersion"]), str(data["kind"]), str(name),
                     str(namespace) if namespace is not None else None, data, origin, lines, source)


def facts_from(path: str, docs: list[YamlDoc]) -> list[Fact]:
    """One fact per object."""
    return [Fact(KIND_OBJECT, obj.origin, obj) for obj in objects_from(path, docs)]
