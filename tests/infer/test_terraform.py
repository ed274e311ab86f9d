"""Static evaluation of Terraform: roots, variables and tfvars, locals, functions, count/for_each, modules."""

from __future__ import annotations

from pathlib import Path

from archinfer.infer.terraform import Instance, TerraformModel, evaluate
from archinfer.infer.values import ResourceRef, Unknown
from archinfer.model import Loc
from archinfer.scan import collect
from tests.conftest import Tree

PROVIDER = 'provider "azurerm" {\n  features {}\n}\n'


def model_of(root: Path) -> TerraformModel:
    return evaluate(collect(root).facts)


def one(model: TerraformModel, address: str, deployment: str | None = None) -> Instance:
    found = [i for i in model.instances if i.address == address and (deployment is None or i.deployment == deployment)]
    assert len(found) == 1, [i.address for i in model.instances]
    return found[0]


def test_tfvars_win_over_defaults_and_evidence_points_at_both(tree: Tree) -> None:
    root = tree({
        "main.tf": PROVIDER + '''
            variable "sku" {
              default = "Basic"
            }
            variable "location" {
              default = "koreacentral"
            }
            resource "azurerm_redis_cache" "c" {
              sku_name = var.sku
              location = var.location
            }
        '''.replace("\n            ", "\n"),
        "terraform.tfvars": 'sku = "Premium"\n',
    })
    cache = one(model_of(root), "azurerm_redis_cache.c")
    sku = cache.body.attr("sku_name")
    assert sku is not None and sku.value == "Premium"
    assert Loc("terraform.tfvars", 1) in sku.evidence()
    assert sku.loc == Loc("main.tf", 12)
    location = cache.body.attr("location")
    assert location is not None and location.value == "koreacentral"
    assert Loc("main.tf", 9) in location.via  # the default's line


def test_conditional_on_environment_is_evaluated_per_deployment(tree: Tree) -> None:
    module = '''
        variable "environment" {}
        resource "azurerm_postgresql_flexible_server" "db" {
          sku_name = var.environment == "prod" ? "GP_Standard_D4s_v3" : "B_Standard_B1ms"
        }
    '''
    env = PROVIDER + 'module "db" {\n  source      = "../../modules/db"\n  environment = "%s"\n}\n'
    root = tree({"modules/db/main.tf": module, "envs/dev/main.tf": env % "dev", "envs/prod/main.tf": env % "prod"})
    model = model_of(root)
    assert [d.name for d in model.deployments] == ["envs/dev", "envs/prod"]
    dev = one(model, "module.db.azurerm_postgresql_flexible_server.db", "envs/dev")
    prod = one(model, "module.db.azurerm_postgresql_flexible_server.db", "envs/prod")
    assert dev.body.attr("sku_name").value == "B_Standard_B1ms"  # type: ignore[union-attr]
    assert prod.body.attr("sku_name").value == "GP_Standard_D4s_v3"  # type: ignore[union-attr]
    assert dev.loc == Loc("modules/db/main.tf", 2)
    assert model.unused_modules == ()


def test_count_zero_switches_a_resource_off(tree: Tree) -> None:
    root = tree({"main.tf": PROVIDER + '''
variable "ddos" {
  default = false
}
resource "azurerm_network_ddos_protection_plan" "p" {
  count = var.ddos ? 1 : 0
  name  = "ddos"
}
resource "azurerm_public_ip" "ip" {
  count = 2
  name  = "ip-${count.index}"
}
'''})
    model = model_of(root)
    assert [d.address for d in model.disabled] == ["azurerm_network_ddos_protection_plan.p"]
    assert "resolves to none" in model.disabled[0].reason
    names = sorted(i.body.attr("name").value for i in model.instances)  # type: ignore[union-attr]
    assert names == ["ip-0", "ip-1"]


def test_unresolved_values_stay_visible_and_are_never_guessed(tree: Tree) -> None:
    root = tree({"main.tf": PROVIDER + '''
variable "node_size" {}
resource "azurerm_kubernetes_cluster_node_pool" "p" {
  vm_size    = var.node_size
  node_count = var.node_size == "big" ? 5 : 1
  name       = "${var.node_size}-pool"
}
'''})
    model = model_of(root)
    pool = one(model, "azurerm_kubernetes_cluster_node_pool.p")
    assert pool.body.attr("vm_size").value == Unknown("var.node_size", "no value given")  # type: ignore[union-attr]
    count = pool.body.attr("node_count").value  # type: ignore[union-attr]
    assert isinstance(count, Unknown) and count.text == 'var.node_size == "big" ? 5 : 1'
    assert any("node_size" in d.message and "unresolved" in d.message for d in model.diagnostics)


def test_locals_functions_and_for_each(tree: Tree) -> None:
    root = tree({"main.tf": PROVIDER + '''
variable "project" {
  default = "evt"
}
variable "sizes" {
  default = { dev = "S", prod = "L" }
}
locals {
  prefix = format("%s-%s", var.project, "prod")
  tags   = merge({ a = "1" }, { b = "2" })
  cidr   = cidrsubnet("10.20.0.0/16", 8, 3)
}
resource "azurerm_subnet" "s" {
  for_each         = toset(["aks", "db"])
  name             = "${local.prefix}-${each.key}"
  address_prefixes = [local.cidr]
  size             = lookup(var.sizes, "prod", "M")
  tags             = local.tags
}
'''})
    model = model_of(root)
    subnet = one(model, 'azurerm_subnet.s["aks"]')
    assert subnet.body.attr("name").value == "evt-prod-aks"  # type: ignore[union-attr]
    assert subnet.body.attr("address_prefixes").value == ["10.20.3.0/24"]  # type: ignore[union-attr]
    assert subnet.body.attr("size").value == "L"  # type: ignore[union-attr]
    assert subnet.body.attr("tags").value == {"a": "1", "b": "2"}  # type: ignore[union-attr]
    assert one(model, 'azurerm_subnet.s["db"]').key == "db"


def test_module_outputs_link_resources_across_modules(tree: Tree) -> None:
    root = tree({
        "modules/net/main.tf": 'resource "azurerm_subnet" "aks" {\n  name = "snet"\n}\noutput "ids" {\n  value = { aks = azurerm_subnet.aks.id }\n}\n',
        "modules/aks/main.tf": 'variable "subnet_id" {}\nresource "azurerm_kubernetes_cluster" "k" {\n  default_node_pool {\n    vnet_subnet_id = var.subnet_id\n  }\n}\n',
        "env/main.tf": PROVIDER + 'module "aks" {\n  source    = "../modules/aks"\n  subnet_id = module.net.ids["aks"]\n}\nmodule "net" {\n  source = "../modules/net"\n}\n',
    })
    cluster = one(model_of(root), "module.aks.azurerm_kubernetes_cluster.k")
    ref = cluster.body.get("default_node_pool.vnet_subnet_id")
    assert ref is not None and ref.value == ResourceRef("module.net.azurerm_subnet.aks", "id")


def test_registry_modules_are_instances_with_their_inputs(tree: Tree) -> None:
    root = tree({"main.tf": 'provider "aws" {}\nmodule "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 21.0"\n  kubernetes_version = "1.33"\n}\n'})
    eks = one(model_of(root), "module.eks")
    assert eks.mode == "module" and eks.type == "terraform-aws-modules/eks/aws"
    assert eks.body.attr("kubernetes_version").value == "1.33"  # type: ignore[union-attr]


def test_roots_and_module_definitions_nobody_calls(tree: Tree) -> None:
    root = tree({
        "modules/used/main.tf": 'resource "azurerm_resource_group" "rg" {\n  name = "rg"\n}\n',
        "modules/leftover/main.tf": 'resource "azurerm_bastion_host" "b" {\n  name = "b"\n}\n',
        "live/main.tf": PROVIDER + 'module "u" {\n  source = "../modules/used"\n}\n',
    })
    model = model_of(root)
    assert [d.root for d in model.deployments] == ["live"]
    assert model.unused_modules == ("modules/leftover",)
    assert not any("bastion" in i.address for i in model.instances)


def test_variable_files_beside_a_root_are_deployments(tree: Tree) -> None:
    root = tree({
        "main.tf": PROVIDER + 'variable "env" {}\nresource "azurerm_resource_group" "rg" {\n  name = "rg-${var.env}"\n}\n',
        "dev.tfvars": 'env = "dev"\n',
        "prod.tfvars": 'env = "prod"\n',
    })
    model = model_of(root)
    assert [d.name for d in model.deployments] == [". (dev.tfvars)", ". (prod.tfvars)"]
    names = sorted(i.body.attr("name").value for i in model.instances)  # type: ignore[union-attr]
    assert names == ["rg-dev", "rg-prod"]


def test_sensitive_variables_are_never_evaluated(tree: Tree) -> None:
    root = tree({
        "main.tf": PROVIDER + 'variable "pw" {\n  sensitive = true\n}\nresource "azurerm_postgresql_flexible_server" "db" {\n  administrator_password = var.pw\n}\n',
        "terraform.tfvars": 'pw = "hunter2-very-secret"\n',
    })
    db = one(model_of(root), "azurerm_postgresql_flexible_server.db")
    value = db.body.attr("administrator_password").value  # type: ignore[union-attr]
    assert isinstance(value, Unknown) and value.reason == "sensitive"


def test_dynamic_blocks_expand(tree: Tree) -> None:
    root = tree({"main.tf": PROVIDER + '''
variable "ha" {
  default = true
}
resource "azurerm_postgresql_flexible_server" "db" {
  dynamic "high_availability" {
    for_each = var.ha ? [1] : []
    content {
      mode = "ZoneRedundant"
    }
  }
}
'''})
    db = one(model_of(root), "azurerm_postgresql_flexible_server.db")
    assert db.body.get("high_availability.mode").value == "ZoneRedundant"  # type: ignore[union-attr]


def test_locals_are_evidence_and_provider_region_is_read(tree: Tree) -> None:
    root = tree({"main.tf": 'locals {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  region = local.region\n}\n'})
    model = model_of(root)
    region = model.providers[0].region
    assert region is not None and region.value == "eu-west-1"
    assert region.evidence() == (Loc("main.tf", 5), Loc("main.tf", 2))


def test_workspaces_named_in_the_code_are_evaluated_one_by_one(tree: Tree) -> None:
    root = tree({"main.tf": PROVIDER + '''
locals {
  is_prod = terraform.workspace == "prod"
}
resource "azurerm_redis_cache" "c" {
  sku_name = local.is_prod ? "Premium" : "Basic"
  capacity = terraform.workspace == "staging" ? 2 : 1
}
'''})
    model = model_of(root)
    assert [d.name for d in model.deployments] == [". (workspace prod)", ". (workspace staging)"]
    skus = {i.deployment: i.body.attr("sku_name").value for i in model.instances}  # type: ignore[union-attr]
    assert skus == {". (workspace prod)": "Premium", ". (workspace staging)": "Basic"}
