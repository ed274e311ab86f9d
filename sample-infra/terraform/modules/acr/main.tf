locals {
  is_premium = var.sku == "Premium"
}

resource "azurerm_container_registry" "this" {
  name                          = "acr${replace(var.name_prefix, "-", "")}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku                           = var.sku
  admin_enabled                 = false
  public_network_access_enabled = !local.is_premium
  zone_redundancy_enabled       = local.is_premium
  tags                          = var.tags

  dynamic "georeplications" {
    for_each = local.is_premium ? var.georeplication_locations : []
    content {
      location                = georeplications.value
      zone_redundancy_enabled = false
      tags                    = var.tags
    }
  }
}

resource "azurerm_private_endpoint" "acr" {
  count = local.is_premium ? 1 : 0

  name                = "pe-acr-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-acr-${var.name_prefix}"
    private_connection_resource_id = azurerm_container_registry.this.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}
