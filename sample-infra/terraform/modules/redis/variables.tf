variable "name_prefix" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "sku_name" {
  description = "Basic, Standard or Premium. Zones, sharding and replicas need Premium."
  type        = string
  default     = "Standard"
}

variable "family" {
  description = "C for Basic/Standard, P for Premium."
  type        = string
  default     = "C"
}

variable "capacity" {
  type    = number
  default = 1
}

variable "zones" {
  type    = list(string)
  default = []
}

variable "shard_count" {
  description = "Cluster shards (Premium only)."
  type        = number
  default     = 0
}

variable "replicas_per_primary" {
  description = "Replicas per primary (Premium only)."
  type        = number
  default     = 1
}

variable "private_endpoint_subnet_id" {
  type = string
}

variable "private_dns_zone_id" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
