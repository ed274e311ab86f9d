variable "name_prefix" {
  type = string
}

variable "environment" {
  description = "dev or prod; selects the compute SKU."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "administrator_login" {
  type    = string
  default = "evtmktadmin"
}

variable "administrator_password" {
  description = "Admin password; supplied via TF_VAR_postgres_administrator_password from the pipeline."
  type        = string
  sensitive   = true
}

variable "storage_mb" {
  type    = number
  default = 32768
}

variable "backup_retention_days" {
  description = "7-35 days."
  type        = number
  default     = 7
}

variable "geo_redundant_backup_enabled" {
  description = "Copy backups to the paired region (koreacentral -> koreasouth)."
  type        = bool
  default     = false
}

variable "high_availability" {
  description = "Enable zone-redundant HA with a standby in standby_availability_zone."
  type        = bool
  default     = false
}

variable "zone" {
  type    = string
  default = "1"
}

variable "standby_availability_zone" {
  type    = string
  default = "2"
}

variable "delegated_subnet_id" {
  type = string
}

variable "private_dns_zone_id" {
  type = string
}

variable "databases" {
  description = "One database per microservice that owns relational data."
  type        = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}
