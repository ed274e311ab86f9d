"""YAML classification: Kubernetes objects by content with their lines; Helm templates and other YAML skipped."""

from __future__ import annotations

from archinfer.collectors import yaml_files
from archinfer.collectors.kubernetes import K8sObject
from archinfer.collectors.yamlload import YamlError, load_documents
from archinfer.model import Limits

import pytest

MULTI = """\
# leading comment
apiVersion: v1
kind: Service
metadata:
  name: redis-cart
spec:
  ports:
    - port: 6379
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      namespace: shop
"""


def test_objects_by_content_with_lines_and_list_items() -> None:
    facts, diagnostics = yaml_files.collect("deploy/anything.txt.yaml", MULTI)
    assert diagnostics == []
    objects: list[K8sObject] = [f.data for f in facts]
    assert [(o.kind, o.name, o.namespace, o.origin.line) for o in objects] == [
        ("Service", "redis-cart", None, 2), ("ConfigMap", "settings", "shop", 13)]
    assert objects[0].line_of("spec", "ports", 0) == 8
    assert objects[1].line_of("metadata", "namespace") == 17


def test_helm_templates_and_other_yaml_give_nothing() -> None:
    template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    assert yaml_files.collect("chart/templates/deployment.yaml", template) == ([], [])
    assert yaml_files.collect("mkdocs.yml", "site_name: docs\nnav: []\n") == ([], [])
    assert yaml_files.collect("chart/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n") == ([], [])


def test_broken_yaml_is_a_diagnostic_with_its_line() -> None:
    facts, diagnostics = yaml_files.collect("k8s/bad.yaml", "apiVersion: v1\nkind: [Service\nmetadata: {}\n")
    assert facts == [] and diagnostics[0].loc.path == "k8s/bad.yaml" and diagnostics[0].loc.line >= 2


def test_alias_bomb_is_refused_before_it_is_built() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    with pytest.raises(YamlError) as info:
        load_documents(bomb)
    assert "aliases" in info.value.message
    with pytest.raises(YamlError):  # few aliases, but each one multiplies the tree
        load_documents(bomb, Limits(max_yaml_aliases=1000))


def test_yaml_value_tag_and_timestamps() -> None:
    docs = load_documents("enum:\n  - =\nwhen: 2024-01-02\n")
    assert docs[0].data == {"enum": ["="], "when": "2024-01-02"}


def test_mistagged_value_is_an_error_that_does_not_quote_it() -> None:
    with pytest.raises(YamlError) as info:
        load_documents("a: 1\npassword: !!int hunter2-tagged\n")
    assert "hunter2-tagged" not in str(info.value)


def test_a_crd_keeps_what_identifies_it_and_drops_its_schema() -> None:
    text = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: jobs.example.com\n"
            "spec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Job, plural: jobs}\n  versions:\n"
            "    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n"
            "          type: object\n          properties: {spec: {type: object}}\n")
    facts, _ = yaml_files.collect("crds/jobs.yaml", text)
    crd = facts[0].data
    assert crd.body["spec"] == {"group": "example.com", "names": {"kind": "Job", "plural": "jobs"}, "scope": "Namespaced",
                                "versions": [{"name": "v1", "served": True, "storage": True}]}
    assert crd.line_of("spec", "group") == 6 and ("spec", "versions", 0, "schema") not in crd.lines
