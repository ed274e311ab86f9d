output "resource_group_name" {
  value = azurerm_resource_group.this.name
}

output "aks_cluster_name" {
  value = module.aks.cluster_name
}

output "acr_login_server" {
  value = module.acr.login_server
}

output "postgres_fqdn" {
  value = module.postgresql.fqdn
}

output "redis_hostname" {
  value = module.redis.hostname
}

output "servicebus_namespace" {
  value = module.servicebus.namespace_name
}

output "key_vault_uri" {
  value = module.keyvault.vault_uri
}

output "app_gateway_public_ip" {
  value = module.appgateway.public_ip_address
}

output "subnet_prefixes" {
  value = module.network.subnet_prefixes
}

output "application_insights_connection_string" {
  description = "Pushed to Key Vault by the release pipeline."
  value       = module.monitoring.application_insights_connection_string
  sensitive   = true
}
