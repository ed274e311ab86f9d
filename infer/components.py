"""Evaluated instances -> architecture components: the catalog role and the props that matter, with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..model import Loc
from .catalog import Role, role_for_module, role_for_resource
from .terraform import EvalValue, Instance, TerraformModel
from .values import ResourceRef, contains_unknown


@dataclass(frozen=True)
class Component:
    """A deployed thing with an architecture role, in one deployment, and where it is declared."""

    category: str
    cloud: str
    product: str
    deployment: str
    address: str
    type: str
    loc: Loc
    props: tuple[tuple[str, EvalValue], ...]
    multiplicity_unresolved: bool = False

    def prop(self, key: str) -> EvalValue | None:
        for k, value in self.props:
            if k == key:
                return value
        return None

    def value(self, key: str) -> Any:
        """The prop's value when it is known, else None."""
        found = self.prop(key)
        return found.value if found is not None and found.known else None

    def ref(self, key: str) -> ResourceRef | None:
        """The prop when it points at another resource (`subnet_id = azurerm_subnet.x.id`)."""
        found = self.prop(key)
        return found.value if found is not None and isinstance(found.value, ResourceRef) else None

    @property
    def name(self) -> str:
        """The name the resource gets in the cloud when the files say it, else its Terraform address."""
        value = self.value("name")
        return value if isinstance(value, str) and value else self.address


def components(model: TerraformModel) -> tuple[Component, ...]:
    """Every instance the catalog knows, plus node pools nested in clusters, sorted for stable output."""
    out: list[Component] = []
    for instance in model.instances:
        if instance.mode == "data":
            continue
        role = role_for_module(instance.type) if instance.mode == "module" else role_for_resource(instance.type)
        if role is None:
            continue
        component = _component(instance, role)
        out.append(component)
        out.extend(_nested_pools(instance, component))
    return tuple(sorted(out, key=lambda c: (c.deployment, c.category, c.address)))


def _component(instance: Instance, role: Role) -> Component:
    props: list[tuple[str, EvalValue]] = []
    for key, paths in role.props:
        for path in paths:
            found = _lookup(instance, path)
            if found is not None:
                props.append((key, found))
                break
    return Component(role.category, role.cloud, role.product, instance.deployment, instance.address,
                     instance.type, instance.loc, tuple(props), instance.multiplicity_unresolved)


def _lookup(instance: Instance, path: str) -> EvalValue | None:
    """An attribute by dotted path; in module inputs a dotted path walks into object values."""
    found = instance.body.get(path)
    if found is not None or instance.mode != "module" or "." not in path:
        return found
    head, *rest = path.split(".")
    base = instance.body.attr(head)
    value: Any = base.value if base is not None else None
    for part in rest:
        value = value.get(part) if isinstance(value, dict) else None
    return EvalValue(value, base.loc, base.via, base.text) if base is not None and value is not None else None


_POOL_KEYS = {  # module input objects -> node pool props
    "vm_size": ("instance_types", "vm_size", "machine_type", "agents_size"),
    "min": ("min_size", "min_count", "min_node_count"),
    "max": ("max_size", "max_count", "max_node_count"),
    "node_count": ("desired_size", "node_count", "count"),
    "zones": ("zones", "availability_zones", "node_locations"),
}


def _nested_pools(instance: Instance, cluster: Component) -> Iterable[Component]:
    """Node pools written inside a cluster: AKS's default_node_pool, module node group maps."""
    if instance.type == "azurerm_kubernetes_cluster":
        for pool in instance.body.blocks_of("default_node_pool"):
            role = role_for_resource("azurerm_kubernetes_cluster_node_pool")
            assert role is not None
            props = []
            for key, paths in role.props:
                for path in paths:
                    found = pool.get(path)
                    if found is not None:
                        props.append((key, found))
                        break
            yield Component("node_pool", cluster.cloud, "AKS default (system) node pool", instance.deployment,
                            f"{instance.address}.default_node_pool", instance.type, pool.loc, tuple(props))
        return
    if cluster.category != "k8s_cluster" or instance.mode != "module":
        return
    for key in ("node_groups", "node_pools"):
        groups = cluster.prop(key)
        if groups is None or not isinstance(groups.value, dict) or contains_unknown(list(groups.value)):
            continue
        for name in sorted(groups.value):
            spec = groups.value[name]
            if not isinstance(spec, dict):
                continue
            group_props = [("name", EvalValue(spec.get("name", name), groups.loc, groups.via))]
            for prop, names in _POOL_KEYS.items():
                for candidate in names:
                    if candidate in spec:
                        group_props.append((prop, EvalValue(spec[candidate], groups.loc, groups.via)))
                        break
            yield Component("node_pool", cluster.cloud, f"{cluster.product}: node group", instance.deployment,
                            f"{instance.address}.{key}[\"{name}\"]", instance.type, groups.loc, tuple(group_props))
