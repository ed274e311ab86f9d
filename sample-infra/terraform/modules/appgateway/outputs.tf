output "id" {
  description = "Gateway programmed by the AGIC add-on of the AKS cluster (terraform/modules/aks)."
  value       = azurerm_application_gateway.this.id
}

output "public_ip_address" {
  value = azurerm_public_ip.appgw.ip_address
}

output "fqdn" {
  value = azurerm_public_ip.appgw.fqdn
}
