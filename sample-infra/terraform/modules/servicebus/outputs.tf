output "namespace_id" {
  value = azurerm_servicebus_namespace.this.id
}

output "namespace_name" {
  value = azurerm_servicebus_namespace.this.name
}

output "topic_names" {
  value = keys(azurerm_servicebus_topic.this)
}
