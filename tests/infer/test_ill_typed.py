"""Manifest fields of the wrong type read as absent; a view that still raises costs one section, not the scan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator
from unittest import mock

import pytest

from archinfer.collectors import helm
from archinfer.infer import sections
from archinfer.infer.fields import (TOO_LARGE, as_text, dig, entries, integer, mapping, mappings, pairs, scalar, scalars,
                                    sequence, text)
from archinfer.infer.sections import ARCHINFER, build_document
from archinfer.infer.view import Note, SectionView, show
from archinfer.model import Severity
from archinfer.render import render_document
from archinfer.scan import Analysis, analyze
from tests.conftest import Tree
from tests.test_fuzz import ILL_TYPED

HUGE = int("f" * 4000, 16)  # 4817 decimal digits: over Python's default 4300-digit str() limit


@pytest.fixture(autouse=True)
def static_helm() -> Iterator[None]:
    """No Helm SDK worker: these trees have no charts."""
    with mock.patch.object(helm, "SDK_MODULE", "archinfer_tests_no_such_helm_sdk"):
        yield


def manifest(tree: Tree, api: str, kind: str, body: str) -> Analysis:
    root = tree({"k8s/object.yaml": f"apiVersion: {api}\nkind: {kind}\n{body}\n"})
    return analyze(root, "en")


def failed_regions(analysis: Analysis) -> list[str]:
    """Regions whose view raised (build_document turns each into a note and an error diagnostic)."""
    assert analysis.inputs is not None
    return [d.message for d in build_document(analysis.inputs, analysis.collected).diagnostics]


# ---------------------------------------------------------------------------------------------
# The typed accessors
# ---------------------------------------------------------------------------------------------

DATA = {"spec": {"rules": [{"host": "a"}, "oops", {"host": 5}], "labels": ["a"], "tls": 1.5, "replicas": True,
                 "count": 3, "hard": {"pods": 30, "cpu": "4", "bad": [1]}, "name": None}}


def test_dig_stops_at_the_wrong_type() -> None:
    assert dig(DATA, "spec", "rules", 0, "host") == "a"
    assert dig(DATA, "spec", "rules", 1, "host") is None  # a string is not a mapping
    assert dig(DATA, "spec", "tls", 0) is None  # a float is not a list
    assert dig(DATA, "spec", "rules", 9) is None and dig(DATA, "spec", "rules", -1) is None
    assert dig(DATA, "spec", "name", "x") is None


def test_containers_of_the_wrong_type_read_as_empty() -> None:
    assert mapping(DATA, "spec", "labels") == {} and mapping(DATA, "spec", "hard") == DATA["spec"]["hard"]
    assert sequence(DATA, "spec", "tls") == [] and sequence(DATA, "spec", "labels") == ["a"]
    assert mappings(DATA, "spec", "rules") == [{"host": "a"}, {"host": 5}]
    assert scalars({"l": ["a", 1, [2], {"b": 3}, None, True]}, "l") == ["a", "1", "true"]


def test_scalars_and_numbers() -> None:
    assert text(DATA, "spec", "rules", 2, "host") is None and scalar(DATA, "spec", "rules", 2, "host") == "5"
    assert integer(DATA, "spec", "count") == 3
    assert integer(DATA, "spec", "replicas") is None  # True is an int in Python, not a number in YAML
    assert scalar(DATA, "spec", "replicas") == "true" and scalar(DATA, "spec", "hard") is None
    assert scalar(DATA, "spec", "name") is None


def test_mapping_entries_keep_scalars_only() -> None:
    assert entries(DATA, "spec", "hard") == (("pods", "30"), ("cpu", "4"))  # file order
    assert pairs(DATA, "spec", "hard") == (("cpu", "4"), ("pods", "30"))  # sorted
    assert pairs({"m": {1: "a", "b": 2, None: "c"}}, "m") == (("1", "a"), ("b", "2"), ("null", "c"))  # mixed keys sort as text


def test_an_int_too_long_for_str_is_shown_as_too_large() -> None:
    assert as_text(HUGE) == TOO_LARGE and as_text(-HUGE) == TOO_LARGE and as_text(10 ** 4299) == "1" + "0" * 4299
    assert show(HUGE, "en") == TOO_LARGE and show([1, HUGE], "en") == f"1, {TOO_LARGE}"
    assert show({"n": HUGE}, "en") == f"n={TOO_LARGE}" and show(1e300, "en") == str(int(1e300))
    assert scalar({"n": HUGE}, "n") == TOO_LARGE and pairs({"m": {HUGE: HUGE}}, "m") == ((TOO_LARGE, TOO_LARGE),)


def test_the_limit_is_the_interpreters() -> None:
    """sys.set_int_max_str_digits(0) lifts the limit: then the number is printed."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        assert as_text(HUGE) == str(HUGE)
    finally:
        sys.set_int_max_str_digits(before)


# ---------------------------------------------------------------------------------------------
# Ill-typed manifests end to end: no view falls back to the internal-error note
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ILL_TYPED))
def test_ill_typed_manifest_is_read_without_internal_errors(name: str, tree: Tree) -> None:
    api, kind, body, _ = ILL_TYPED[name]
    analysis = manifest(tree, api, kind, body)
    assert failed_regions(analysis) == []
    render_document(analysis.views, "en")


def test_ill_typed_ingress_is_still_listed(tree: Tree) -> None:
    body = "metadata: {name: web, annotations: oops}\nspec: {rules: [oops, {host: a.example, http: {paths: [/x, {path: /y}]}}], tls: 1.5}"
    analysis = manifest(tree, "networking.k8s.io/v1", "Ingress", body)
    text_811 = " ".join(cell.text for block in analysis.views["8.1.1"].blocks for cell in getattr(block, "cells", ()))
    assert "Ingress `web` (no class; hosts a.example; paths /y → None; no TLS)" in text_811


def test_huge_and_bool_replicas(tree: Tree) -> None:
    huge = manifest(tree, "apps/v1", "Deployment", "metadata: {name: web}\nspec:\n  replicas: 0x" + "f" * 4000
                    + "\n  template: {spec: {containers: [{name: a, image: x, resources: {limits: {cpu: 0x" + "f" * 4000 + "}}}]}}")
    document = render_document(huge.views, "en")
    # The YAML loader keeps integers longer than any real setting as their text, so replicas is not a number.
    assert huge.inputs is not None and huge.inputs.workloads[0].replicas is None
    assert "replicas 0x" not in document and "`web`" in document
    boolean = manifest(tree, "apps/v1", "Deployment", "metadata: {name: web}\nspec: {replicas: true, template: {spec: "
                       "{containers: [{name: a, image: x}]}}}")
    assert boolean.inputs is not None and boolean.inputs.workloads[0].replicas is None


def test_wrong_typed_pod_selector_is_not_a_default_deny(tree: Tree) -> None:
    analysis = manifest(tree, "networking.k8s.io/v1", "NetworkPolicy", "metadata: {name: p}\nspec: {podSelector: oops}")
    assert "default deny" not in render_document(analysis.views, "en")


def test_retries_that_are_not_a_policy_say_nothing(tree: Tree) -> None:
    analysis = manifest(tree, "networking.istio.io/v1", "VirtualService",
                        "metadata: {name: vs}\nspec: {http: [{retries: 5}, {retries: null}, {retries: {attempts: 3}}]}")
    cells = [c.text for block in analysis.views["12.3.1"].blocks for c in getattr(block, "cells", ())]
    assert cells == ["Istio VirtualService `vs` (retries 3)"]


# ---------------------------------------------------------------------------------------------
# Per-view isolation
# ---------------------------------------------------------------------------------------------


def test_a_view_that_raises_costs_only_its_section(tree: Tree) -> None:
    analysis = manifest(tree, "v1", "ConfigMap", "metadata: {name: web}")
    assert analysis.inputs is not None

    def broken(_: object) -> SectionView:
        raise KeyError("hunter2-isolated")  # a message that quotes input must never be printed

    with mock.patch.dict(sections.SECTIONS, {"12.3.1": broken}):
        built = build_document(analysis.inputs, analysis.collected)
    (failure,) = built.diagnostics
    assert failure.severity is Severity.ERROR and failure.loc.path == ARCHINFER
    assert "12.3.1" in failure.message and "KeyError" in failure.message and "test_ill_typed.py" in failure.message
    assert [type(b) for b in built.views["12.3.1"].blocks] == [Note]
    assert list(built.views)[0] == ARCHINFER and set(built.views) == {ARCHINFER, *sections.SECTIONS}
    document = render_document(built.views, "en")
    assert "hunter2" not in document and "hunter2" not in failure.message
    assert "internal error: section 12.3.1" in document  # the archinfer region lists it with the input's problems


def test_build_views_keeps_its_contract(tree: Tree) -> None:
    analysis = manifest(tree, "v1", "ConfigMap", "metadata: {name: web}")
    assert analysis.inputs is not None
    with mock.patch.dict(sections.SECTIONS, {"8.1.1": lambda _: [][0]}):
        views = sections.build_views(analysis.inputs)
    assert set(views) == set(sections.SECTIONS) and isinstance(views["8.1.1"].blocks[0], Note)


def test_region_ids_are_paths_relative_to_nothing() -> None:
    """Diagnostics about archinfer itself use a bare relative path (never absolute, never ..)."""
    assert not Path(ARCHINFER).is_absolute() and ".." not in Path(ARCHINFER).parts
