location           = "koreacentral"
secondary_location = "koreasouth"
availability_zones = ["1", "2", "3"]

# Network
vnet_cidr              = "10.20.0.0/16"
enable_ddos_protection = true

# AKS: kubernetes_version, aks_vm_sizes and node counts intentionally stay
# on the variables.tf defaults (prod follows dev once an upgrade has soaked)

# PostgreSQL
postgres_storage_mb                   = 131072
postgres_backup_retention_days        = 35
postgres_geo_redundant_backup_enabled = true
postgres_high_availability            = true

# Redis Premium P2, clustered, zone-redundant
redis_sku_name             = "Premium"
redis_family               = "P"
redis_capacity             = 2
redis_shard_count          = 2
redis_replicas_per_primary = 2

# Service Bus
servicebus_sku      = "Premium"
servicebus_capacity = 2

# Edge
appgw_min_capacity = 2
appgw_max_capacity = 10
waf_mode           = "Prevention"

# Registry, secrets, observability
acr_sku                      = "Premium"
log_analytics_retention_days = 90

alert_email_receivers = {
  platform-oncall = "evtmkt-platform-oncall@example.com"
}

tags = {
  owner       = "platform-team"
  cost_center = "kt-event-marketing"
  criticality = "high"
}
