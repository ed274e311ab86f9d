variable "name_prefix" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "subnet_id" {
  description = "Dedicated Application Gateway subnet."
  type        = string
}

variable "zones" {
  type    = list(string)
  default = ["1", "2", "3"]
}

variable "min_capacity" {
  type    = number
  default = 1
}

variable "max_capacity" {
  type    = number
  default = 2
}

variable "waf_mode" {
  description = "Detection (log only) or Prevention (block)."
  type        = string
  default     = "Detection"

  validation {
    condition     = contains(["Detection", "Prevention"], var.waf_mode)
    error_message = "waf_mode must be Detection or Prevention."
  }
}

variable "tags" {
  type    = map(string)
  default = {}
}
