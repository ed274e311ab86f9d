"""Section views end to end from small Terraform trees: facts with evidence, 'not detected' otherwise."""

from __future__ import annotations

from pathlib import Path

from archinfer.infer.view import show
from archinfer.render import render_document
from archinfer.scan import analyze
from tests.conftest import Tree

AZURE = '''
provider "azurerm" {
  features {}
}
variable "environment" {
  default = "prod"
}
resource "azurerm_kubernetes_cluster" "aks" {
  name               = "aks-demo"
  location           = "koreacentral"
  kubernetes_version = "1.30"
  default_node_pool {
    name                = "system"
    vm_size             = "Standard_D4s_v5"
    enable_auto_scaling = true
    min_count           = 2
    max_count           = 6
    zones               = ["1", "2", "3"]
  }
}
resource "azurerm_web_application_firewall_policy" "waf" {
  name = "waf-demo"
  policy_settings {
    mode = var.environment == "prod" ? "Prevention" : "Detection"
  }
}
resource "azurerm_postgresql_flexible_server" "db" {
  name                   = "psql-demo"
  sku_name               = "GP_Standard_D4s_v3"
  backup_retention_days  = 35
  administrator_password = "not-a-real-but-secret-password"
  high_availability {
    mode = "ZoneRedundant"
  }
}
'''


def document(root: Path, lang: str = "ko") -> str:
    return render_document(analyze(root, lang).views, lang)


def region(text: str, region_id: str) -> str:
    return text.split(f"<!-- archinfer:begin {region_id} -->", 1)[1].split(f"<!-- archinfer:end {region_id}", 1)[0]


def test_physical_and_quality_sections_state_facts_with_lines(tree: Tree) -> None:
    text = document(tree({"main.tf": AZURE}))
    compute = region(text, "7.2.1")
    assert "`system`: Standard_D4s_v5, 가용 영역 1, 2, 3 (`main.tf:11`, `main.tf:13`, `main.tf:17`)" in compute
    assert "자동 확장 (최소 2, 최대 6)" in compute
    assert "Kubernetes 1.30" in compute
    assert "Microsoft Azure" in region(text, "7.1.2") and "koreacentral" in region(text, "7.1.2")
    waf = region(text, "7.2.3")
    assert "모드 Prevention" in waf and "`main.tf:23`" in waf and "`main.tf:5`" in waf  # the default feeding the conditional
    assert "ZoneRedundant" in region(text, "12.3.2") or "ZoneRedundant" in region(text, "7.2.1")
    assert "백업 보존 35일" in region(text, "12.3.2")
    assert "스캔한 파일에서 탐지되지 않음" in region(text, "8.1.1")  # no API management: said, not guessed
    assert "not-a-real-but-secret-password" not in text


def test_english_document(tree: Tree) -> None:
    text = document(tree({"main.tf": AZURE}), "en")
    assert "Autoscaling (min 2, max 6)" in region(text, "7.2.1")
    assert "Not detected in the scanned files" in region(text, "8.1.1")
    assert "## 7. Physical Architecture" in text or "Physical" in text


def test_aws_registry_modules(tree: Tree) -> None:
    root = tree({"main.tf": '''
provider "aws" {
  region = "eu-west-1"
}
module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  cidr               = "10.0.0.0/16"
  enable_nat_gateway = true
}
module "eks" {
  source             = "terraform-aws-modules/eks/aws"
  kubernetes_version = "1.33"
  eks_managed_node_groups = {
    default = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 5
      desired_size   = 2
    }
  }
}
'''})
    text = document(root)
    assert "Amazon Web Services (AWS)" in region(text, "7.1.2") and "eu-west-1" in region(text, "7.1.2")
    compute = region(text, "7.2.1")
    assert "Kubernetes 1.33" in compute and "m6i.large" in compute and "최소 2, 최대 5" in compute
    assert "10.0.0.0/16" in region(text, "7.2.2") and "NAT true" in region(text, "7.2.2")


def test_values_with_credential_keys_are_withheld() -> None:
    assert show({"user": "app", "password": "hunter2"}, "en") == "user=app, password=(withheld)"


def test_markdown_and_marker_injection_is_escaped(tree: Tree) -> None:
    root = tree({"main.tf": 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "c" {\n  name = "a|b<!-- archinfer:end 8.2.1 sum=0 --><script>"\n  sku_name = "Premium"\n}\n'})
    text = document(root)
    assert "<script>" not in text and "a\\|b&lt;!-- archinfer:end" in text
    from archinfer.merge import parse_regions
    from archinfer.infer.sections import SECTIONS
    assert len(parse_regions(text)) == len(SECTIONS) + 1
