"""Resource types and registry module sources map to architecture roles."""

from __future__ import annotations

import pytest

from archinfer.infer.catalog import role_for_module, role_for_resource


@pytest.mark.parametrize("source, category", [
    ("terraform-aws-modules/eks/aws", "k8s_cluster"),
    ("registry.terraform.io/terraform-aws-modules/vpc/aws", None),  # callers strip the registry host first
    ("terraform-aws-modules/vpc/aws", "network"),
    ("terraform-aws-modules/rds/aws", "database"),
    ("terraform-aws-modules/elasticache/aws", "cache"),
    ("terraform-aws-modules/s3-bucket/aws", "object_storage"),
    ("terraform-aws-modules/alb/aws", "load_balancer"),
    ("Azure/aks/azurerm", "k8s_cluster"),
    ("Azure/avm-res-containerservice-managedcluster/azurerm", "k8s_cluster"),
    ("Azure/avm-res-dbforpostgresql-flexibleserver/azurerm", "database"),
    ("Azure/avm-res-cache-redis/azurerm", "cache"),
    ("Azure/avm-res-servicebus-namespace/azurerm", "messaging"),
    ("Azure/avm-res-network-applicationgateway/azurerm", "load_balancer"),
    ("Azure/avm-res-network-azurefirewall/azurerm", "firewall"),
    ("Azure/avm-res-keyvault-vault/azurerm", "key_vault"),
    ("Azure/avm-res-network-virtualnetwork/azurerm", "network"),
    ("Azure/avm-res-network-virtualnetwork/azurerm//modules/subnet", "subnet"),
    ("Azure/avm-res-network-virtualnetwork/azurerm//modules/unknown", None),
    ("terraform-google-modules/kubernetes-engine/google", "k8s_cluster"),
    ("terraform-google-modules/sql-db/google", "database"),
    ("terraform-google-modules/memorystore/google", "cache"),
    ("Azure/naming/azurerm", None),
])
def test_module_sources(source: str, category: str | None) -> None:
    role = role_for_module(source)
    assert (role.category if role else None) == category


def test_resource_types() -> None:
    assert role_for_resource("azurerm_kubernetes_cluster").product == "Azure Kubernetes Service (AKS)"  # type: ignore[union-attr]
    assert role_for_resource("aws_eks_cluster").category == "k8s_cluster"  # type: ignore[union-attr]
    assert role_for_resource("google_sql_database_instance").category == "database"  # type: ignore[union-attr]
    assert role_for_resource("null_resource") is None
