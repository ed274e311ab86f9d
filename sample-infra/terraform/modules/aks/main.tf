resource "azurerm_user_assigned_identity" "cluster" {
  name                = "id-aks-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

# Cluster identity manages the node subnet (NAT gateway egress, internal LB).
resource "azurerm_role_assignment" "cluster_network_contributor" {
  scope                = var.node_subnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

resource "azurerm_kubernetes_cluster" "this" {
  name                      = "aks-${var.name_prefix}"
  location                  = var.location
  resource_group_name       = var.resource_group_name
  dns_prefix                = "aks-${var.name_prefix}"
  kubernetes_version        = var.kubernetes_version
  sku_tier                  = var.environment == "prod" ? "Standard" : "Free"
  automatic_channel_upgrade = "patch"
  private_cluster_enabled   = var.private_cluster_enabled
  local_account_disabled    = true
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  tags                      = var.tags

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_node_vm_size
    orchestrator_version         = var.kubernetes_version
    enable_auto_scaling          = var.system_enable_auto_scaling
    node_count                   = var.system_enable_auto_scaling ? null : var.system_node_count
    min_count                    = var.system_enable_auto_scaling ? var.system_min_count : null
    max_count                    = var.system_enable_auto_scaling ? var.system_max_count : null
    zones                        = var.zones
    vnet_subnet_id               = var.node_subnet_id
    max_pods                     = 30
    os_disk_size_gb              = 64
    only_critical_addons_enabled = var.environment == "prod"
    temporary_name_for_rotation  = "systemtmp"

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cluster.id]
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "azure"
    load_balancer_sku = "standard"
    outbound_type     = "userAssignedNATGateway"
    service_cidr      = "172.16.0.0/16"
    dns_service_ip    = "172.16.0.10"
  }

  azure_active_directory_role_based_access_control {
    managed                = true
    azure_rbac_enabled     = true
    tenant_id              = var.tenant_id
    admin_group_object_ids = var.admin_group_object_ids
  }

  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  # Application Gateway Ingress Controller (AGIC) add-on. It programs the
  # existing gateway of terraform/modules/appgateway (listeners, rules, pools,
  # probes, certificates) from the Ingress resources of ingress class
  # azure-application-gateway, with the pod IPs as backends (Azure CNI). AGIC
  # is not a critical add-on: in prod, where the system pool only runs critical
  # add-ons, its pod is scheduled on the user pool.
  ingress_application_gateway {
    gateway_id = var.application_gateway_id
  }

  maintenance_window {
    allowed {
      day   = "Sunday"
      hours = [1, 2, 3]
    }
  }

  depends_on = [azurerm_role_assignment.cluster_network_contributor]
}

# Application workloads (user, event, content, ai, participation,
# distribution, analytics) run here, not on the system pool.
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = var.user_node_vm_size
  orchestrator_version  = var.kubernetes_version
  enable_auto_scaling   = true
  min_count             = var.user_min_count
  max_count             = var.user_max_count
  zones                 = var.zones
  vnet_subnet_id        = var.node_subnet_id
  max_pods              = 50
  os_disk_size_gb       = 128
  tags                  = var.tags

  node_labels = {
    "workload" = "apps"
  }

  upgrade_settings {
    max_surge = "33%"
  }
}

resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                            = var.acr_id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "csi_key_vault_secrets_user" {
  scope                = var.key_vault_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_kubernetes_cluster.this.key_vault_secrets_provider[0].secret_identity[0].object_id
}

# Identity of the AGIC add-on (created by AKS in the node resource group):
# the rights it needs to rewrite the gateway configuration.
locals {
  agic_object_id = azurerm_kubernetes_cluster.this.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id

  # "/subscriptions/<id>/resourceGroups/<name>" taken from the gateway's ID.
  application_gateway_resource_group_id = join("/", slice(split("/", var.application_gateway_id), 0, 5))
}

resource "azurerm_role_assignment" "agic_gateway_contributor" {
  scope                            = var.application_gateway_id
  role_definition_name             = "Contributor"
  principal_id                     = local.agic_object_id
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "agic_resource_group_reader" {
  scope                            = local.application_gateway_resource_group_id
  role_definition_name             = "Reader"
  principal_id                     = local.agic_object_id
  skip_service_principal_aad_check = true
}

# Every gateway update re-submits the gateway IP configuration, which needs
# Microsoft.Network/virtualNetworks/subnets/join/action on its subnet.
resource "azurerm_role_assignment" "agic_subnet_network_contributor" {
  scope                            = var.application_gateway_subnet_id
  role_definition_name             = "Network Contributor"
  principal_id                     = local.agic_object_id
  skip_service_principal_aad_check = true
}
