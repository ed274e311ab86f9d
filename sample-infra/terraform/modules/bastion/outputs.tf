output "id" {
  value = azurerm_bastion_host.this.id
}
