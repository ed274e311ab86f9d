output "fqdn" {
  value = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_names" {
  value = [for db in azurerm_postgresql_flexible_server_database.this : db.name]
}
