output "vnet_id" {
  description = "ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "subnet_ids" {
  description = "Subnet IDs keyed by role: aks, appgw, private_endpoints, postgres."
  value = {
    aks               = azurerm_subnet.aks.id
    appgw             = azurerm_subnet.appgw.id
    private_endpoints = azurerm_subnet.private_endpoints.id
    postgres          = azurerm_subnet.postgres.id
  }
}

output "subnet_prefixes" {
  description = "Subnet CIDRs keyed by role."
  value       = local.subnet_prefixes
}

output "private_dns_zone_ids" {
  description = "Private DNS zone IDs keyed by service: postgres, redis, servicebus, keyvault, acr."
  value       = { for k, z in azurerm_private_dns_zone.this : k => z.id }
}

output "ddos_protection_plan_id" {
  description = "ID of the DDoS plan, null when disabled."
  value       = one(azurerm_network_ddos_protection_plan.this[*].id)
}
