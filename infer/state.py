"""The inferred architecture as comparable entries (section, subject, property = value), and how two states differ."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..model import Loc
from .catalog import role_for_resource
from .inputs import Inputs
from .fields import as_text, scalar
from .view import show

# Which section a Terraform component's changes belong to.
_SECTION_OF = {
    "k8s_cluster": "7.2.1", "node_pool": "7.2.1", "vm": "7.2.1", "vmss": "7.2.1", "app_service": "7.2.1",
    "container_app": "7.2.1", "container_platform": "7.2.1", "function": "7.2.1",
    "database": "8.2.1", "database_schema": "8.2.1", "cache": "8.2.1", "search": "8.2.1", "warehouse": "8.2.1",
    "messaging": "8.3.1", "queue": "8.3.1", "topic": "8.3.1", "subscription": "8.3.1", "event_streaming": "8.3.1",
    "event_routing": "8.3.1", "storage_account": "8.3.2", "object_storage": "8.3.2", "block_storage": "8.3.2",
    "file_storage": "8.3.2", "registry": "8.3.2", "network": "7.2.2", "subnet": "7.2.2", "nat": "7.2.2",
    "peering": "7.2.2", "private_endpoint": "7.2.3", "private_dns": "7.2.2", "vpn": "7.2.3", "public_ip": "7.2.2",
    "nsg": "7.2.3", "firewall": "7.2.3", "firewall_policy": "7.2.3", "ddos": "7.2.3", "waf_policy": "7.2.3",
    "load_balancer": "12.2.2", "cdn": "12.2.2", "traffic_manager": "12.2.2", "api_gateway": "8.1.1",
    "key_vault": "11.2.2", "kms": "11.2.2", "key": "11.2.2", "identity": "11.2.1", "role_assignment": "11.2.1",
    "federation": "11.2.1", "log_workspace": "8.4.1", "apm": "8.4.3", "alert": "8.4.2", "action_group": "8.4.2",
    "prometheus": "8.4.2", "grafana": "8.4.2", "autoscale": "12.2.1", "backup_vault": "12.3.2",
}


@dataclass(frozen=True, order=True)
class Entry:
    """One statement: in `section`, `subject`'s `prop` is `value`, proved at `evidence`."""

    section: str
    subject: str
    prop: str
    value: str
    evidence: tuple[Loc, ...] = ()
    group: str = ""  # subjects of one group (a service's Deployment, Service, HPA...) are added or removed together


@dataclass(frozen=True)
class Change:
    """A difference between two states: kind is "added", "removed" or "changed"."""

    kind: str
    section: str
    subject: str
    prop: str = ""
    old: str = ""
    new: str = ""
    evidence: tuple[Loc, ...] = ()

    def headline(self) -> str:
        """The change without its evidence."""
        if self.kind == "changed":
            return f"{self.section}: {self.subject} {self.prop} {self.old} -> {self.new}"
        parts = f" ({self.prop})" if self.prop else ""
        return f"{self.section}: {self.subject}{parts} {self.kind}"

    def describe(self) -> str:
        where = f" ({', '.join(str(e) for e in self.evidence[:3])})" if self.evidence else ""
        return self.headline() + where


def architecture_state(inp: Inputs) -> tuple[Entry, ...]:
    """Every component, workload and object the views are built from, as sorted entries."""
    return tuple(sorted(set(_entries(inp))))


def _entries(inp: Inputs) -> Iterator[Entry]:
    for c in inp.components:
        if c.category.endswith("_association"):
            continue  # glue between resources, not a part of the architecture of its own
        section = _SECTION_OF.get(c.category, "7.2.1")
        subject = f"{c.deployment} · {c.product} {c.name}"
        yield Entry(section, subject, "declared", "yes", (c.loc,))
        for key, value in c.props:
            if key != "name":
                yield Entry(section, subject, key, show(value.value, "en"), value.evidence()[:2])
    for d in inp.model.disabled:
        role = role_for_resource(d.type)
        section = _SECTION_OF.get(role.category, "7.2.1") if role else "7.2.1"
        yield Entry(section, f"{d.deployment} · {d.address}", "deployed", f"no ({d.reason})", (d.loc,))
    for w in inp.workloads:
        subject, group = f"{w.set} · {w.kind} {w.name}", f"{w.set} · {w.name}"
        yield Entry("7.2.1", subject, "replicas", as_text(w.replicas) if w.replicas is not None else "unset", (w.loc,), group)
        for container in w.containers:
            name = container.name
            yield Entry("7.2.1", subject, f"{name}.image", container.image, (container.loc,), group)
            for kind, pairs in (("requests", container.requests), ("limits", container.limits)):
                if pairs:
                    yield Entry("7.2.1", subject, f"{name}.{kind}", ", ".join(f"{k}={v}" for k, v in pairs), (container.loc,), group)
            for probe in container.probes:
                yield Entry("12.2.2", subject, f"{name}.{probe.kind}Probe", probe.detail, (probe.loc,), group)
    for s in inp.k8s_sets:
        for obj in s.objects:
            if obj.kind in ("ConfigMap", "Secret"):
                continue  # generated names carry a content hash: every config edit would look like a new object
            subject, group = f"{s.name} · {obj.kind} {obj.name}", f"{s.name} · {_stem(obj.name)}"
            yield Entry("10.2.1", subject, "declared", "yes", (obj.loc(),), group)
            if obj.kind == "HorizontalPodAutoscaler":
                for prop in ("minReplicas", "maxReplicas"):
                    replicas = scalar(obj.body, "spec", prop)
                    if replicas is not None:
                        yield Entry("12.2.1", subject, prop, replicas, (obj.loc("spec", prop),), group)
    for fact in inp.pipelines:
        subject = f"{fact.data.tool} {fact.data.name} ({fact.loc.path})"
        yield Entry("10.1.1", subject, "jobs", ", ".join(sorted(j.name for j in fact.data.jobs)), (fact.loc,))


def compare(old: Iterable[Entry], new: Iterable[Entry]) -> tuple[Change, ...]:
    """Subjects added or removed, and properties whose value changed, in section order."""
    before = {(e.section, e.subject, e.prop): e for e in old}
    after = {(e.section, e.subject, e.prop): e for e in new}
    old_subjects = {(s, subj) for s, subj, _ in before}
    new_subjects = {(s, subj) for s, subj, _ in after}
    changes: list[Change] = []
    changes += _appeared("added", new_subjects - old_subjects, after)
    changes += _appeared("removed", old_subjects - new_subjects, before)
    for key in sorted(set(before) | set(after)):
        if key[:2] not in old_subjects or key[:2] not in new_subjects:
            continue
        old_entry, new_entry = before.get(key), after.get(key)
        old_value = old_entry.value if old_entry else "(not set)"
        new_value = new_entry.value if new_entry else "(not set)"
        if old_value != new_value:
            either = new_entry or old_entry
            evidence = either.evidence if either is not None else ()
            changes.append(Change("changed", key[0], key[1], key[2], old_value, new_value, evidence))
    return tuple(sorted(changes, key=lambda c: (_section_key(c.section), c.subject, c.prop, c.kind)))


def _appeared(kind: str, subjects: set[tuple[str, str]], entries: dict[tuple[str, str, str], Entry]) -> list[Change]:
    """One change per group of subjects that came or went together, in its first section, naming their kinds."""
    groups: dict[str, list[tuple[str, str]]] = {}
    first: dict[tuple[str, str], Entry] = {}
    for key, entry in sorted(entries.items()):
        if key[:2] in subjects and key[:2] not in first:
            first[key[:2]] = entry
    for section_subject, entry in first.items():
        groups.setdefault(entry.group or entry.subject, []).append(section_subject)
    out = []
    for group, members in groups.items():
        members.sort(key=lambda m: (_section_key(m[0]), m[1]))
        section = members[0][0]
        subjects_in_group = sorted({subject for _, subject in members})
        entry = first[members[0]]
        if len(subjects_in_group) == 1:
            out.append(Change(kind, section, subjects_in_group[0], evidence=entry.evidence))
            continue
        kinds = ", ".join(sorted({s.split(" · ", 1)[-1].split(" ", 1)[0] for s in subjects_in_group}))
        out.append(Change(kind, section, group, kinds, evidence=entry.evidence))
    return out


def _stem(name: str) -> str:
    """`analytics-service-kv` belongs with `analytics-service`: the group is the name without a short suffix."""
    head, _, tail = name.rpartition("-")
    return head if head and tail in ("kv", "secrets", "config", "hpa", "pdb", "sa", "svc", "headless") else name


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(p) for p in section.split(".") if p.isdigit())


def dumps(entries: Iterable[Entry]) -> str:
    """One JSON object per line, sorted: stable, and a change shows as a one-line git diff."""
    lines = [json.dumps({"section": e.section, "subject": e.subject, "property": e.prop, "value": e.value,
                         "evidence": [str(loc) for loc in e.evidence], **({"group": e.group} if e.group else {})},
                        ensure_ascii=False, sort_keys=True)
             for e in sorted(entries)]
    return "\n".join(lines) + ("\n" if lines else "")


def loads(text: str) -> tuple[Entry, ...]:
    """The entries of a state file; raises ValueError for anything that is not one."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item: Any = json.loads(line)
            evidence = tuple(_loc(str(e)) for e in item["evidence"])
            entries.append(Entry(str(item["section"]), str(item["subject"]), str(item["property"]), str(item["value"]), evidence,
                                 str(item.get("group", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: not an archinfer state entry ({exc.__class__.__name__})") from None
    return tuple(entries)


def _loc(text: str) -> Loc:
    path, _, line = text.rpartition(":")
    return Loc(path, int(line)) if path and line.isdigit() else Loc(text)
