variable "name_prefix" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "retention_in_days" {
  description = "Log Analytics retention (30-730)."
  type        = number
  default     = 30
}

variable "enable_alerts" {
  description = "Create the action group and metric alerts."
  type        = bool
  default     = false
}

variable "alert_email_receivers" {
  description = "Map of receiver name => e-mail address for the action group."
  type        = map(string)
  default     = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}
