resource "azurerm_storage_account" "sa" {
  name = "unclosed"
  network_rules {
    default_action = "Deny"
