variable "project" {
  description = "Short project code used in resource names."
  type        = string
  default     = "evtmkt"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "location" {
  description = "Primary Azure region."
  type        = string
}

variable "secondary_location" {
  description = "Paired region for geo-redundant backup and ACR geo-replication."
  type        = string
  default     = "koreasouth"
}

variable "availability_zones" {
  type    = list(string)
  default = ["1", "2", "3"]
}

variable "tags" {
  type = map(string)
  default = {
    owner       = "platform-team"
    cost_center = "kt-event-marketing"
  }
}

variable "vnet_cidr" {
  type    = string
  default = "10.10.0.0/16"
}

variable "enable_ddos_protection" {
  type    = bool
  default = false
}

# --- AKS ---------------------------------------------------------------------

variable "kubernetes_version" {
  type    = string
  default = "1.31"
}

variable "aks_private_cluster_enabled" {
  type    = bool
  default = true
}

variable "aks_vm_sizes" {
  description = "VM size per node pool (system, user)."
  type        = map(string)
  default = {
    system = "Standard_D2s_v5"
    user   = "Standard_D4s_v5"
  }
}

variable "aks_system_enable_auto_scaling" {
  description = "When false the system pool runs a single fixed node."
  type        = bool
  default     = true
}

variable "aks_user_min_count" {
  type    = number
  default = 3
}

variable "aks_user_max_count" {
  type    = number
  default = 10
}

# --- Data --------------------------------------------------------------------

variable "postgres_administrator_password" {
  description = "Set through TF_VAR_postgres_administrator_password; never commit it."
  type        = string
  sensitive   = true
}

variable "postgres_storage_mb" {
  type    = number
  default = 32768
}

variable "postgres_backup_retention_days" {
  type    = number
  default = 7
}

variable "postgres_geo_redundant_backup_enabled" {
  type    = bool
  default = false
}

variable "postgres_high_availability" {
  type    = bool
  default = false
}

variable "redis_sku_name" {
  type    = string
  default = "Standard"
}

variable "redis_family" {
  type    = string
  default = "C"
}

variable "redis_capacity" {
  type    = number
  default = 1
}

variable "redis_shard_count" {
  type    = number
  default = 0
}

variable "redis_replicas_per_primary" {
  type    = number
  default = 1
}

variable "servicebus_sku" {
  type    = string
  default = "Standard"
}

variable "servicebus_capacity" {
  description = "Messaging units; ignored unless the SKU is Premium."
  type        = number
  default     = 1
}

# --- Edge, registry, observability ------------------------------------------

variable "appgw_min_capacity" {
  type    = number
  default = 1
}

variable "appgw_max_capacity" {
  type    = number
  default = 2
}

variable "waf_mode" {
  type    = string
  default = "Detection"
}

variable "acr_sku" {
  type    = string
  default = "Standard"
}

variable "log_analytics_retention_days" {
  type    = number
  default = 30
}

variable "alert_email_receivers" {
  description = "Action group e-mail receivers (alerts are created in prod only)."
  type        = map(string)
  default     = {}
}
