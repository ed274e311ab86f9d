"""Environments found wherever the repository names them, merged by name, and compared side by side."""

from __future__ import annotations

import pytest

from archinfer.infer.environments import environment_of
from archinfer.render import render_document
from archinfer.scan import analyze
from tests.conftest import Tree
from tests.infer.test_sections import region


@pytest.mark.parametrize("name, env", [
    ("terraform/envs/prod", "prod"), ("environments/production", "prod"), ("live/stg", "staging"),
    ("k8s/overlays/dev", "dev"), ("development.tfvars", "dev"), ("chart (values-production.yaml)", "prod"),
    ("infra (qa.tfvars.json)", "qa"), ("uat", "uat"), ("preprod", "preprod"), ("modules/network", None),
    ("products", None),  # a word that merely contains "prod" is not an environment
])
def test_environment_names(name: str, env: str | None) -> None:
    assert environment_of(name) == env


MODULE = '''
variable "environment" {}
resource "azurerm_redis_cache" "c" {
  name     = "redis-${var.environment}"
  sku_name = var.environment == "prod" ? "Premium" : "Standard"
  capacity = 1
}
'''
ROOT = 'provider "azurerm" {\n  features {}\n}\nmodule "cache" {\n  source      = "../../modules/cache"\n  environment = "%s"\n}\n'
DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: %d\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n"


def test_one_environment_per_name_wherever_found_and_compared(tree: Tree) -> None:
    root = tree({
        "modules/cache/main.tf": MODULE,
        "envs/development/main.tf": ROOT % "dev",
        "envs/production/main.tf": ROOT % "prod",
        "k8s/base/kustomization.yaml": "resources:\n  - api.yaml\n",
        "k8s/base/api.yaml": DEPLOYMENT % 1,
        "k8s/overlays/dev/kustomization.yaml": "resources:\n  - ../../base\n",
        "k8s/overlays/prod/kustomization.yaml": "resources:\n  - ../../base\nreplicas:\n  - name: api\n    count: 3\n",
    })
    text = render_document(analyze(root).views, "ko")
    coverage = region(text, "archinfer")
    assert "dev: kustomize k8s/overlays/dev, Terraform envs/development" in coverage
    assert "prod: kustomize k8s/overlays/prod, Terraform envs/production" in coverage
    compute = region(text, "7.2.1")
    assert "**환경별 비교 (dev / prod)**" in compute
    assert "| Azure Cache for Redis `redis-*` | sku | Standard (`modules/cache/main.tf:4`" in compute
    assert "Premium (`modules/cache/main.tf:4`" in compute
    assert "| Azure Cache for Redis `redis-*` | 모든 환경 동일 | capacity=1" in compute
    assert "| Deployment `api` | replicas | 1 " in compute and "| 3 (" in compute


def test_a_single_environment_gets_no_comparison(tree: Tree) -> None:
    root = tree({"modules/cache/main.tf": MODULE, "envs/prod/main.tf": ROOT % "prod"})
    assert "환경별 비교" not in render_document(analyze(root).views, "ko")


def test_helm_values_files_compare_against_the_charts_own_values(tree: Tree) -> None:
    root = tree({
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/values.yaml": "service:\n  type: ClusterIP\n",
        "chart/values-production.yaml": "service:\n  type: LoadBalancer\n",
        "chart/templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n"
                                        "  type: {{ .Values.service.type }}\n  ports:\n    - port: 80\n",
    })
    text = render_document(analyze(root).views, "en")
    assert "base: helm chart" in region(text, "archinfer") and "prod: helm chart (values-production.yaml)" in region(text, "archinfer")
    compute = region(text, "7.2.1")
    assert "| Service `web` | type | ClusterIP" in compute and "LoadBalancer" in compute
