data "azurerm_client_config" "current" {}

locals {
  name_prefix = format("%s-%s", var.project, var.environment)

  common_tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed_by  = "terraform"
  })

  # The ai service keeps no relational data (Redis + Service Bus only).
  postgres_databases = [
    "user_db",
    "event_db",
    "content_db",
    "participation_db",
    "distribution_db",
    "analytics_db",
  ]

  servicebus_topics = {
    "event-created"          = { subscriptions = ["analytics", "distribution"] }
    "participant-registered" = { subscriptions = ["analytics"] }
    "distribution-completed" = { subscriptions = ["analytics", "event"] }
  }

  servicebus_queues = ["ai-event-generation-job", "image-generation-job"]
}

resource "azurerm_resource_group" "this" {
  name     = "rg-${local.name_prefix}"
  location = var.location
  tags     = local.common_tags
}

module "network" {
  source = "../../modules/network"

  name_prefix            = local.name_prefix
  location               = azurerm_resource_group.this.location
  resource_group_name    = azurerm_resource_group.this.name
  address_space          = var.vnet_cidr
  enable_ddos_protection = var.enable_ddos_protection
  tags                   = local.common_tags
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix           = local.name_prefix
  location              = azurerm_resource_group.this.location
  resource_group_name   = azurerm_resource_group.this.name
  retention_in_days     = var.log_analytics_retention_days
  enable_alerts         = var.environment == "prod"
  alert_email_receivers = var.alert_email_receivers
  tags                  = local.common_tags
}

module "acr" {
  source = "../../modules/acr"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  sku                        = var.acr_sku
  georeplication_locations   = [var.secondary_location]
  private_endpoint_subnet_id = module.network.subnet_ids["private_endpoints"]
  private_dns_zone_id        = module.network.private_dns_zone_ids["acr"]
  tags                       = local.common_tags
}

module "keyvault" {
  source = "../../modules/keyvault"

  name_prefix                = local.name_prefix
  environment                = var.environment
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  private_endpoint_subnet_id = module.network.subnet_ids["private_endpoints"]
  private_dns_zone_id        = module.network.private_dns_zone_ids["keyvault"]
  tags                       = local.common_tags
}

module "aks" {
  source = "../../modules/aks"

  name_prefix             = local.name_prefix
  environment             = var.environment
  location                = azurerm_resource_group.this.location
  resource_group_name     = azurerm_resource_group.this.name
  kubernetes_version      = var.kubernetes_version
  tenant_id               = data.azurerm_client_config.current.tenant_id
  private_cluster_enabled = var.aks_private_cluster_enabled
  zones                   = var.availability_zones
  node_subnet_id          = module.network.subnet_ids["aks"]

  system_node_vm_size        = lookup(var.aks_vm_sizes, "system", "Standard_D2s_v5")
  system_enable_auto_scaling = var.aks_system_enable_auto_scaling

  user_node_vm_size = lookup(var.aks_vm_sizes, "user", "Standard_D4s_v5")
  user_min_count    = var.aks_user_min_count
  user_max_count    = var.aks_user_max_count

  log_analytics_workspace_id = module.monitoring.workspace_id
  acr_id                     = module.acr.id
  key_vault_id               = module.keyvault.id

  # AGIC add-on: programs this gateway from the Ingress of k8s/overlays/<env>.
  application_gateway_id        = module.appgateway.id
  application_gateway_subnet_id = module.network.subnet_ids["appgw"]

  tags = local.common_tags
}

module "postgresql" {
  source = "../../modules/postgresql"

  name_prefix                  = local.name_prefix
  environment                  = var.environment
  location                     = azurerm_resource_group.this.location
  resource_group_name          = azurerm_resource_group.this.name
  administrator_password       = var.postgres_administrator_password
  storage_mb                   = var.postgres_storage_mb
  backup_retention_days        = var.postgres_backup_retention_days
  geo_redundant_backup_enabled = var.postgres_geo_redundant_backup_enabled
  high_availability            = var.postgres_high_availability
  zone                         = var.availability_zones[0]
  delegated_subnet_id          = module.network.subnet_ids["postgres"]
  private_dns_zone_id          = module.network.private_dns_zone_ids["postgres"]
  databases                    = local.postgres_databases
  tags                         = local.common_tags
}

module "redis" {
  source = "../../modules/redis"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  sku_name                   = var.redis_sku_name
  family                     = var.redis_family
  capacity                   = var.redis_capacity
  zones                      = var.availability_zones
  shard_count                = var.redis_shard_count
  replicas_per_primary       = var.redis_replicas_per_primary
  private_endpoint_subnet_id = module.network.subnet_ids["private_endpoints"]
  private_dns_zone_id        = module.network.private_dns_zone_ids["redis"]
  tags                       = local.common_tags
}

module "servicebus" {
  source = "../../modules/servicebus"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  sku                        = var.servicebus_sku
  capacity                   = var.servicebus_capacity
  topics                     = local.servicebus_topics
  queues                     = local.servicebus_queues
  private_endpoint_subnet_id = module.network.subnet_ids["private_endpoints"]
  private_dns_zone_id        = module.network.private_dns_zone_ids["servicebus"]
  tags                       = local.common_tags
}

module "appgateway" {
  source = "../../modules/appgateway"

  name_prefix         = local.name_prefix
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  subnet_id           = module.network.subnet_ids["appgw"]
  zones               = var.availability_zones
  min_capacity        = var.appgw_min_capacity
  max_capacity        = var.appgw_max_capacity
  waf_mode            = var.waf_mode
  tags                = local.common_tags
}
