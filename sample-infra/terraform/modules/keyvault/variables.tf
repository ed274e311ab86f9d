variable "name_prefix" {
  type = string
}

variable "environment" {
  description = "dev or prod; prod gets premium SKU, purge protection and 90-day soft delete."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "tenant_id" {
  type = string
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
