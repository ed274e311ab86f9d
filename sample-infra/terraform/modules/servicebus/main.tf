locals {
  is_premium = var.sku == "Premium"

  # { "event-created/analytics" = { topic = "event-created", name = "analytics" }, ... }
  topic_subscriptions = merge([
    for topic, cfg in var.topics : {
      for sub in cfg.subscriptions : "${topic}/${sub}" => {
        topic = topic
        name  = sub
      }
    }
  ]...)
}

resource "azurerm_servicebus_namespace" "this" {
  name                          = "sb-${var.name_prefix}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku                           = var.sku
  capacity                      = local.is_premium ? var.capacity : 0
  premium_messaging_partitions  = local.is_premium ? var.premium_messaging_partitions : 0
  zone_redundant                = local.is_premium ? var.zone_redundant : false
  public_network_access_enabled = !local.is_premium
  local_auth_enabled            = false
  minimum_tls_version           = "1.2"
  tags                          = var.tags
}

resource "azurerm_servicebus_topic" "this" {
  for_each = var.topics

  name                  = each.key
  namespace_id          = azurerm_servicebus_namespace.this.id
  max_size_in_megabytes = each.value.max_size_in_megabytes
}

resource "azurerm_servicebus_subscription" "this" {
  for_each = local.topic_subscriptions

  name               = each.value.name
  topic_id           = azurerm_servicebus_topic.this[each.value.topic].id
  max_delivery_count = 10

  dead_lettering_on_message_expiration = true
}

resource "azurerm_servicebus_queue" "this" {
  for_each = toset(var.queues)

  name               = each.value
  namespace_id       = azurerm_servicebus_namespace.this.id
  lock_duration      = "PT5M"
  max_delivery_count = 5

  dead_lettering_on_message_expiration = true
}

resource "azurerm_private_endpoint" "servicebus" {
  count = var.sku == "Premium" ? 1 : 0

  name                = "pe-sb-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-sb-${var.name_prefix}"
    private_connection_resource_id = azurerm_servicebus_namespace.this.id
    subresource_names              = ["namespace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}
