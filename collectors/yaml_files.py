"""YAML files, parsed once and classified by content: Kubernetes objects, CI pipelines, or nothing archinfer reads."""

from __future__ import annotations

from posixpath import basename
from typing import Callable

from ..model import Diagnostic, Fact, Limits, Loc, Severity
from . import kubernetes
from .yamlload import YamlDoc, YamlError, load_documents

NAME = "yaml"

# A YAML format module answers None for files that are not its format (tried in this order).
YamlFormat = Callable[[str, list[YamlDoc]], "tuple[list[Fact], list[Diagnostic]] | None"]


def formats() -> tuple[YamlFormat, ...]:
    """The content-classified YAML formats besides Kubernetes objects, most specific first."""
    from . import azure_pipelines, bitbucket_pipelines, circleci, github_actions, gitlab_ci

    return (github_actions.from_yaml, gitlab_ci.from_yaml, bitbucket_pipelines.from_yaml, circleci.from_yaml,
            azure_pipelines.from_yaml)


def matches(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


def is_helm_template(path: str, text: str) -> bool:
    """Go templates inside a chart's templates/ folder are not YAML until Helm renders them."""
    return "/templates/" in f"/{path}" and ("{{" in text)


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """Kubernetes objects and pipelines of one file; other YAML gives nothing (and no noise)."""
    if is_helm_template(path, text) or basename(path) in ("Chart.yaml", "Chart.yml"):
        return [], []
    try:
        docs = load_documents(text, limits)
    except YamlError as exc:
        return [], [Diagnostic(Loc(path, exc.line), Severity.WARNING, exc.message)]
    facts = kubernetes.facts_from(path, docs)
    if facts:
        return facts, []
    for fmt in formats():
        found = fmt(path, docs)
        if found is not None:
            return found
    return [], []
