"""JSON output: valid against the published schema, stable run to run, evidence kept, secrets never written."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from archinfer.infer.sections import SECTIONS
from archinfer.jsonout import SCHEMA_VERSION, dumps, to_json
from archinfer.scan import analyze
from tests.conftest import Tree

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample-infra"
SCHEMA_PATH = REPO / "schema" / "archinfer-output.schema.json"

# Every value below is a secret of the inline tree: none may appear anywhere in the output.
SECRETS = ("hunter2-json", "hunter3-nested", "s3cr3t-db-pw", "c2VjcmV0LWRhdGEtanNvbg==", "secret-data-json",
           "string-data-json")

SECRET_TREE: dict[str, str | bytes] = {
    "infra/main.tf": """
        provider "azurerm" {
          features {}
        }

        variable "db_sku" {
          type      = string
          sensitive = true
        }

        variable "db_password" {
          type      = string
          sensitive = true
        }

        variable "storage_mb" {
          type = number
        }

        resource "azurerm_postgresql_flexible_server" "db" {
          name                   = "psql-json"
          sku_name               = var.db_sku
          storage_mb             = var.storage_mb
          administrator_password = var.db_password
        }

        module "eks" {
          source       = "terraform-aws-modules/eks/aws"
          version      = "~> 20.0"
          cluster_name = "eks-json"
          eks_managed_node_groups = {
            default = {
              instance_types  = ["m5.large"]
              bootstrap_token = "hunter3-nested"
            }
          }
        }
        """,
    "infra/terraform.tfvars": """
        db_sku      = "hunter2-json"
        db_password = "hunter2-json"
        """,
    "k8s/app.yaml": """
        apiVersion: v1
        kind: Secret
        metadata:
          name: app-secrets
          namespace: shop
        type: Opaque
        data:
          password: c2VjcmV0LWRhdGEtanNvbg==
        stringData:
          token: string-data-json
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app: api}
          template:
            metadata:
              labels: {app: api}
            spec:
              containers:
                - name: api
                  image: registry.example.com/api:1.0
                  env:
                    - name: DATABASE_URL
                      value: postgres://app:s3cr3t-db-pw@db:5432/app
                    - name: API_TOKEN
                      valueFrom:
                        secretKeyRef: {name: app-secrets, key: token}
        """,
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of sample-infra, so edits made to the original while the tests run cannot change it."""
    root = tmp_path_factory.mktemp("jsonout") / SAMPLE.name
    shutil.copytree(SAMPLE, root, symlinks=True)
    return root


@pytest.fixture(scope="module")
def sample(sample_root: Path) -> dict[str, Any]:
    return to_json(analyze(sample_root), sample_root.name)


def validate(data: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def component(data: dict[str, Any], deployment: str, resource_type: str, category: str) -> dict[str, Any]:
    wanted = (deployment, resource_type, category)
    found: list[dict[str, Any]] = [c for c in data["components"] if (c["deployment"], c["type"], c["category"]) == wanted]
    assert len(found) == 1, found
    return found[0]


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://archinfer.dev/schema/archinfer-output.schema.json"
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_sample_output_validates_against_the_schema(sample: dict[str, Any], schema: dict[str, Any]) -> None:
    validate(sample, schema)
    assert sample["root"] == "sample-infra"
    assert sample["files"] and sample["components"] and sample["kubernetes"]["sets"]


def test_schema_is_strict(sample: dict[str, Any], schema: dict[str, Any]) -> None:
    """An unknown field or a missing one is an error, so consumers can rely on the shape."""
    extra = copy.deepcopy(sample)
    extra["components"][0]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        validate(extra, schema)
    missing = copy.deepcopy(sample)
    del missing["kubernetes"]["sets"][0]["loc"]
    with pytest.raises(jsonschema.ValidationError):
        validate(missing, schema)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing `needle`: the tests follow edits to the sample."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_output_is_deterministic_and_plain_json(sample_root: Path) -> None:
    first = dumps(to_json(analyze(sample_root), sample_root.name))
    second = dumps(to_json(analyze(sample_root), sample_root.name))
    assert first == second
    assert first.endswith("}\n")
    assert dumps(json.loads(first)) == first  # nothing but JSON types inside


def test_known_value_has_its_evidence(sample: dict[str, Any], sample_root: Path) -> None:
    module = "terraform/modules/postgresql/main.tf"
    db = component(sample, "terraform/envs/prod", "azurerm_postgresql_flexible_server", "database")
    sku = db["props"]["sku"]
    assert sku["value"] == "GP_Standard_D4s_v3"
    assert sku["unresolved"] is False
    # The attribute's own line first, then where var.environment = "prod" came from.
    assert sku["evidence"][0] == {"path": module, "line": line_of(sample_root / module, "sku_name")}
    assert any(e["path"] == "terraform/envs/prod/variables.tf" for e in sku["evidence"])
    assert db["loc"] == {"path": module, "line": line_of(sample_root / module, '"azurerm_postgresql_flexible_server"')}
    subnet = db["props"]["subnet"]["value"]  # computed after apply: a reference, not unresolved
    assert set(subnet) == {"ref"} and subnet["ref"].endswith(".id") and db["props"]["subnet"]["unresolved"] is False


def test_sections_follow_document_order_with_structured_cells(sample: dict[str, Any], sample_root: Path) -> None:
    module = "terraform/modules/postgresql/main.tf"
    assert list(sample["sections"]) == ["archinfer", *SECTIONS]
    databases = sample["sections"]["8.2.1"]["blocks"]
    cells = [c for b in databases if b["type"] == "table" for row in b["rows"] for c in row]
    sku_cells = [c for c in cells if "GP_Standard_D4s_v3" in c["text"]]
    assert sku_cells
    assert {"path": module, "line": line_of(sample_root / module, "sku_name")} in sku_cells[0]["evidence"]


def test_secrets_never_reach_the_output(tree: Tree, schema: dict[str, Any]) -> None:
    root = tree(SECRET_TREE)
    data = to_json(analyze(root), root.name)
    validate(data, schema)
    text = dumps(data)
    for secret in SECRETS:
        assert secret not in text, secret
    # A Kubernetes Secret is listed by name only; a literal env var by name and source only.
    k8s = next(s for s in data["kubernetes"]["sets"] if s["name"] == "k8s")
    assert {"api_version": "v1", "kind": "Secret", "name": "app-secrets", "namespace": "shop",
            "loc": {"path": "k8s/app.yaml", "line": 1}} in k8s["objects"]
    env = k8s["workloads"][0]["containers"][0]["env"]
    assert env == [{"name": "DATABASE_URL", "source": "literal"}, {"name": "API_TOKEN", "source": "secret:app-secrets"}]


def test_unresolved_and_sensitive_values_are_marked_by_expression(tree: Tree) -> None:
    root = tree(SECRET_TREE)
    data = to_json(analyze(root), root.name)
    db = component(data, "infra", "azurerm_postgresql_flexible_server", "database")
    # Sensitive: bound in terraform.tfvars, yet only the expression is written.
    assert db["props"]["sku"]["value"] == {"unresolved": "var.db_sku"}
    assert db["props"]["sku"]["unresolved"] is True
    assert db["props"]["sku"]["evidence"][0] == {"path": "infra/main.tf", "line": 21}
    # No value anywhere: unresolved as well.
    assert db["props"]["storage_mb"] == {"value": {"unresolved": "var.storage_mb"},
                                         "evidence": [{"path": "infra/main.tf", "line": 22}], "unresolved": True}
    assert db["props"]["name"]["value"] == "psql-json" and db["props"]["name"]["unresolved"] is False


def test_props_holding_credential_keys_are_left_out(tree: Tree) -> None:
    root = tree(SECRET_TREE)
    eks = component(to_json(analyze(root), root.name), "infra", "terraform-aws-modules/eks/aws", "k8s_cluster")
    assert eks["props"]["name"]["value"] == "eks-json"
    assert "node_groups" not in eks["props"]  # its map holds `bootstrap_token`


def test_scan_format_json_through_the_cli_validates(tmp_path: Path) -> None:
    """`archinfer scan --format json` writes what the schema describes."""
    import jsonschema
    from typer.testing import CliRunner

    from archinfer.cli import app

    out = tmp_path / "arch.json"
    result = CliRunner().invoke(app, ["scan", str(Path(__file__).resolve().parent.parent / "sample-infra"), "--format", "json", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((Path(__file__).resolve().parent.parent / "schema" / "archinfer-output.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["root"] == "sample-infra"
