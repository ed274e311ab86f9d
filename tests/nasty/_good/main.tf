# The one good file of every nasty case: its facts must survive whatever else is in the tree.
provider "azurerm" {
  features {}
}
resource "azurerm_redis_cache" "cache" {
  name     = "redis-demo"
  sku_name = "Premium"
  family   = "P"
  capacity = 1
}
