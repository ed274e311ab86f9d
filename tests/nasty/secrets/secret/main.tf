resource "azurerm_key_vault_secret" "db" {
  name  = "db-password"
  secret = "hunter2-hcl" "trailing"
}
