variable "name_prefix" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "sku" {
  description = "Standard or Premium. Private endpoint, capacity and zone redundancy need Premium."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.sku)
    error_message = "sku must be Standard or Premium."
  }
}

variable "capacity" {
  description = "Messaging units for Premium (1, 2, 4, 8 or 16)."
  type        = number
  default     = 1
}

variable "premium_messaging_partitions" {
  type    = number
  default = 1
}

variable "zone_redundant" {
  type    = bool
  default = true
}

variable "topics" {
  description = "Topic name => settings and the subscriber services."
  type = map(object({
    max_size_in_megabytes = optional(number, 1024)
    subscriptions         = list(string)
  }))
  default = {}
}

variable "queues" {
  description = "Work queues (point-to-point)."
  type        = list(string)
  default     = []
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
