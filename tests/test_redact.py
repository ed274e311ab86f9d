"""The last pass over every output: credential-looking values are withheld, ordinary values are not touched."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from archinfer.cli import app
from archinfer.redact import WITHHELD, redact
from tests.conftest import Tree


@pytest.mark.parametrize("text, secret", [
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0a2V5MTIz==;EndpointSuffix=core.windows.net", "c2VjcmV0a2V5MTIz=="),
    ("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
    ("postgres://app:hunter2-redact@db:5432/app", "hunter2-redact"),
    ("key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    ("-----BEGIN RSA PRIVATE KEY-----", "BEGIN RSA PRIVATE KEY"),
])
def test_credentials_are_withheld(text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out and WITHHELD in out


@pytest.mark.parametrize("text", [
    "acrevtmktprod.azurecr.io/user-service:8f28cf7d185a642cf1ce3d8937d702d5e5e27255",
    "otel/opentelemetry-collector-contrib@sha256:f2f01157055a9b2aab9df7118e1f1c9abf345e99b23bc7a2bc791db374a7d0f6",
    "module.network.azurerm_subnet.aks.id", "Standard_D4s_v5", "10.20.0.0/16", "https://charts.helm.sh/stable",
])
def test_ordinary_values_are_untouched(text: str) -> None:
    assert redact(text) == text


def test_a_connection_string_in_a_resource_never_reaches_the_document(tree: Tree) -> None:
    root = tree({"main.tf": 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "c" {\n'
                           '  name     = "redis-x;Password=hunter2-in-name"\n  sku_name = "Basic"\n}\n'})
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-"])
    assert result.exit_code == 0 and "hunter2-in-name" not in result.output
    json_out = CliRunner().invoke(app, ["scan", str(root), "--format", "json"])
    assert "hunter2-in-name" not in json_out.output


def test_show_redactions_lists_names_and_lines_never_values(tree: Tree) -> None:
    root = tree({
        "main.tf": 'provider "azurerm" {\n  features {}\n}\nvariable "db_password" {\n  sensitive = true\n}\n'
                   'output "conn" {\n  value     = "x"\n  sensitive = true\n}\n',
        "terraform.tfvars": 'db_password = "hunter2-tfvars"\n',
        "k8s/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-k8s\n",
    })
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--show-redactions"])
    assert result.exit_code == 0
    assert "main.tf:4: variable db_password: sensitive = true" in result.stderr
    assert "main.tf:7: output conn: sensitive = true" in result.stderr
    assert "terraform.tfvars:1: value of db_password" in result.stderr
    assert "k8s/secret.yaml:1: Secret db (password)" in result.stderr
    assert "hunter2" not in result.output


@pytest.mark.parametrize("path, text, withheld", [
    ("ci.yml", "jobs:\n  e2e:\n    uses: ./.github/workflows/e2e.yml\n    secrets: inherit\n", []),
    ("ci.yml", "env:\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n  API_TOKEN: hunter2-token\n", [3]),
    ("main.tf", 'resource "x" "y" {\n  admin_password = var.admin_password\n  client_secret = "hunter2"\n}\n', [3]),
    ("k.yaml", "env:\n  - name: DB_PASSWORD\n    valueFrom: {secretKeyRef: {name: db, key: pw}}\n"
               "  - name: REDIS_PASSWORD\n    value: hunter2\n", [5]),
    ("values.yaml", "tls:\n  secretName: web-tls\nbypass: true\n", []),
])
def test_the_sweep_names_lines_that_hold_a_credential_and_not_references(path: str, text: str, withheld: list[int]) -> None:
    from archinfer.collectors.secrets import sweep

    assert [f.loc.line for f in sweep(path, text)] == withheld
