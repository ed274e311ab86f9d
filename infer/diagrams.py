"""Per-environment physical architecture diagrams: users -> edge -> ingress -> workloads -> data stores and brokers."""

from __future__ import annotations

from typing import Any

from . import cluster
from .components import Component
from .environments import env_of_deployment, environments, set_environment
from .images import recognise
from .inputs import Inputs
from .fields import mappings, scalar
from .kubernetes import Workload
from .view import Diagram, mermaid_label

MAX_WORKLOADS_PER_NAMESPACE = 12  # more than this collapse into one box, so large systems stay readable
_EDGE = ("load_balancer", "cdn", "api_gateway", "firewall")
_STORES = ("database", "cache", "messaging", "event_streaming", "search", "storage_account", "object_storage")


def physical_diagrams(inp: Inputs) -> list[Diagram]:
    """One diagram per environment (or one for everything when the repository names none)."""
    envs: list[str | None] = [e.name for e in environments(inp)]
    out = []
    for env in envs or [None]:
        mermaid = _diagram(inp, env)
        if mermaid:
            title = inp.t(f"물리 아키텍처: {env}", f"Physical architecture: {env}") if env else inp.t("물리 아키텍처", "Physical architecture")
            out.append(Diagram(title, mermaid))
    return out


class _Ids:
    """Stable Mermaid node ids for arbitrary keys."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        return self.ids.setdefault(key, f"n{len(self.ids) + 1}")


def _diagram(inp: Inputs, env: str | None) -> str:
    comps = [c for c in inp.components if env is None or env_of_deployment(c.deployment, inp) == env]
    sets = [s for s in inp.k8s_sets if env is None or set_environment(inp, s.name) == env]
    workloads = [w for w in inp.workloads if any(w.set == s.name for s in sets)]
    edge = [c for c in comps if c.category in _EDGE]
    clusters = [c for c in comps if c.category == "k8s_cluster"]
    stores = [c for c in comps if c.category in _STORES]
    if not (edge or clusters or workloads or stores):
        return ""
    node = _Ids()
    lines = ["flowchart LR", '  users(("Users"))']
    for c in edge:
        lines.append(f'  {node(c.address)}["{mermaid_label(c.product + " " + c.name)}"]')
        lines.append(f"  users --> {node(c.address)}")
    entry = [node(c.address) for c in edge] or ["users"]
    inside = _cluster_lines(inp, node, clusters, sets, workloads)
    lines += inside.lines
    for target in inside.entry_points or ([node(c.address) for c in clusters]):
        for source in entry:
            lines.append(f"  {source} --> {target}")
    for c in stores:
        lines.append(f'  {node(c.address)}[("{mermaid_label(c.product + " " + c.name)}")]')
        for w, _ in cluster.users_of(inp, [c.name]):
            if w in workloads:
                lines.append(f"  {inside.box_of.get(w.set + '/' + w.name, node(w.set + '/' + w.name))} --> {node(c.address)}")
    sets_by_name = {s.name: s for s in sets}
    for w in workloads:  # in-cluster stores and brokers are workloads: draw who uses them
        software = next((recognise(c.image) for c in w.containers if recognise(c.image)), None)
        store_box = inside.box_of.get(w.set + "/" + w.name)
        if software is None or software.category not in _STORES or store_box is None:
            continue
        for user, _ in cluster.users_of(inp, cluster.services_for(sets_by_name[w.set], w) + [w.name], w.set):
            user_box = inside.box_of.get(user.set + "/" + user.name)
            if user is not w and user_box is not None and user_box != store_box:
                lines.append(f"  {user_box} --> {store_box}")
    return "\n".join(dict.fromkeys(lines)) + "\n"  # an edge drawn twice is drawn once


class _Inside:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.entry_points: list[str] = []
        self.box_of: dict[str, str] = {}


def _cluster_lines(inp: Inputs, node: _Ids, clusters: list[Component], sets: list[Any], workloads: list[Workload]) -> _Inside:
    """The cluster as a box, namespaces inside it, workloads inside those (collapsed when there are many)."""
    inside = _Inside()
    if not workloads:
        for c in clusters:
            inside.lines.append(f'  {node(c.address)}["{mermaid_label(c.product + " " + c.name)}"]')
        return inside
    title = " / ".join(f"{c.product} {c.name}" for c in clusters) or "Kubernetes"
    inside.lines.append(f'  subgraph k8s["{mermaid_label(title)}"]')
    by_namespace: dict[str, list[Workload]] = {}
    for w in workloads:
        by_namespace.setdefault(w.namespace or "default", []).append(w)
    for namespace, members in sorted(by_namespace.items()):
        inside.lines.append(f'    subgraph {node("ns/" + namespace)}["namespace {mermaid_label(namespace)}"]')
        if len(members) > MAX_WORKLOADS_PER_NAMESPACE:
            box = node("ns-all/" + namespace)
            inside.lines.append(f'      {box}["{len(members)} workloads"]')
            for w in members:
                inside.box_of[w.set + "/" + w.name] = box
        else:
            for w in sorted(members, key=lambda x: x.name):
                box = node(w.set + "/" + w.name)
                inside.box_of[w.set + "/" + w.name] = box
                inside.lines.append(f'      {box}["{mermaid_label(w.kind + " " + w.name)}"]')
        inside.lines.append("    end")
    for s in sets:
        for ing in s.of("Ingress"):
            ing_box = node(f"ing/{s.name}/{ing.name}")
            inside.lines.append(f'    {ing_box}{{{{"{mermaid_label("Ingress " + ing.name)}"}}}}')
            inside.entry_points.append(ing_box)
            for rule in mappings(ing.body, "spec", "rules"):
                for path in mappings(rule, "http", "paths"):
                    service = scalar(path, "backend", "service", "name")
                    for w in workloads:
                        if w.set == s.name and service in cluster.services_for(s, w):
                            inside.lines.append(f"    {ing_box} --> {inside.box_of[w.set + '/' + w.name]}")
    inside.lines.append("  end")
    if not inside.entry_points:
        inside.entry_points = ["k8s"]
    return inside
