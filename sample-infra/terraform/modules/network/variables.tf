variable "name_prefix" {
  description = "Prefix for resource names, e.g. evtmkt-dev."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group that holds the network resources."
  type        = string
}

variable "address_space" {
  description = "Single CIDR for the VNet; subnets are carved out of it with cidrsubnet()."
  type        = string
}

variable "enable_ddos_protection" {
  description = "Create a DDoS Network Protection plan and attach it to the VNet."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
