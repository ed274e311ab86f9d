"""What every section view is computed from, and the small queries the views share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable, Iterator

import re

from ..model import Fact, Loc
from .components import Component
from .kubernetes import K8sSet, Workload
from .terraform import TerraformModel
from .values import ResourceRef
from .view import Cell, is_unresolved, merge_evidence, show, tr


NAME_WORD = re.compile(r"[\w-]+")  # runs of name characters: letters, digits, - and _ (as cluster._name_char)


@dataclass(frozen=True)
class Inputs:
    """The evaluated Terraform model, its components, and the document language."""

    model: TerraformModel
    components: tuple[Component, ...]
    lang: str = "ko"
    k8s_sets: tuple[K8sSet, ...] = ()
    workloads: tuple[Workload, ...] = ()
    pipelines: tuple[Fact, ...] = ()  # ci.pipeline facts
    images: tuple[Fact, ...] = ()  # docker.image facts
    charts: tuple[Fact, ...] = ()  # helm.chart facts

    @property
    def deployments(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.model.deployments)

    @cached_property
    def env_words(self) -> tuple[tuple[Workload, tuple[tuple[tuple[str, str, frozenset[str]], ...], ...]], ...]:
        """Per workload, per container, each env var with a value: (name, lowered value, its words).

        A word is a maximal run of name characters (letters, digits, - and _): finding who uses a Service or
        host is then a set lookup per variable instead of a substring search (it was quadratic on 1,000 workloads).
        """
        return tuple((w, tuple(tuple((e.name, e.value.lower(), frozenset(NAME_WORD.findall(e.value.lower())))
                                     for e in c.env if e.value) for c in w.containers))
                     for w in self.workloads)

    @cached_property
    def env_word_index(self) -> dict[str, list[tuple[int, int, int]]]:
        """Each word of an env value -> where it occurs: (workload, container, variable) positions in env_words,
        in order. Who uses a name is then found without visiting every workload for every component."""
        index: dict[str, list[tuple[int, int, int]]] = {}
        for w, (_, containers) in enumerate(self.env_words):
            for c, env in enumerate(containers):
                for e, (_, _, words) in enumerate(env):
                    for word in words:
                        index.setdefault(word, []).append((w, c, e))
        return index

    def of(self, *categories: str) -> list[Component]:
        """Components of the given categories, in stable order."""
        return [c for c in self.components if c.category in categories]

    def by_deployment(self, components: Iterable[Component]) -> Iterator[tuple[str, list[Component]]]:
        """(prefix, components) per deployment that has any; the prefix names it when there are several."""
        listed = list(components)
        for deployment in self.deployments:
            mine = [c for c in listed if c.deployment == deployment]
            if mine:
                yield (f"{deployment}: " if len(self.deployments) > 1 else ""), mine

    def t(self, ko: str, en: str) -> str:
        return tr(self.lang, ko, en)

    def label(self, component: Component, with_product: bool = True) -> str:
        """`deployment: product name`, without the deployment when there is only one."""
        parts = []
        if len(self.deployments) > 1:
            parts.append(f"{component.deployment}:")
        if with_product:
            parts.append(component.product)
        name = component.name
        if name != component.address or not with_product:
            parts.append(f"`{name}`" if with_product else name)
        return " ".join(parts)

    def details(self, component: Component, specs: Iterable[tuple[str, str]]) -> Cell:
        """Some props of a component, comma-separated: specs are (prop key, format with {}); unset props are left out."""
        texts, evidence, unresolved = [], [component.loc], False
        for key, fmt in specs:
            found = component.prop(key)
            if found is None or found.value is None or found.value == [] or found.value == {}:
                continue
            texts.append(fmt.format(self.show_ref(component, found.value)))
            evidence.extend(found.evidence())
            unresolved = unresolved or is_unresolved(found.value)
        return Cell(", ".join(texts), merge_evidence(evidence), unresolved)

    def show_ref(self, component: Component, value: Any) -> str:
        """A value as text; a reference to another resource of the same deployment is shown as that resource."""
        if isinstance(value, ResourceRef):
            target = self._by_address.get((component.deployment, value.address))
            if target is not None:
                return f"{target.product} {target.name}"
        return show(value, self.lang)

    @cached_property
    def _by_address(self) -> dict[tuple[str, str], Component]:
        # Built once per Inputs (cached_property writes the instance dict, so it works on a frozen dataclass).
        return {(c.deployment, c.address): c for c in self.components}

    def describe(self, component: Component, specs: Iterable[tuple[str, str]]) -> Cell:
        """`deployment: product name (props)`: a component in a bullet list."""
        found = self.details(component, specs)
        head = self.label(component)
        return Cell(f"{head} ({found.text})" if found.text else head, found.evidence, found.unresolved)


def truthy(component: Component, key: str) -> bool:
    """The prop is known and true (a string "true" counts)."""
    value: Any = component.value(key)
    return value is True or value == "true"


def evidence_of(components: Iterable[Component]) -> tuple[Loc, ...]:
    return merge_evidence(c.loc for c in components)
