output "hostname" {
  value = azurerm_redis_cache.this.hostname
}

output "primary_access_key" {
  description = "Stored in Key Vault by the app pipeline; never print it."
  value       = azurerm_redis_cache.this.primary_access_key
  sensitive   = true
}
