variable "name_prefix" {
  type = string
}

variable "environment" {
  description = "dev or prod; drives the AKS pricing tier and system pool isolation."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "kubernetes_version" {
  description = "AKS control plane and node pool version (minor, e.g. 1.31)."
  type        = string
}

variable "tenant_id" {
  type = string
}

variable "admin_group_object_ids" {
  description = "Entra ID groups granted cluster-admin through Azure RBAC."
  type        = list(string)
  default     = []
}

variable "private_cluster_enabled" {
  type    = bool
  default = true
}

variable "zones" {
  description = "Availability zones for both node pools."
  type        = list(string)
  default     = ["1", "2", "3"]
}

variable "node_subnet_id" {
  type = string
}

# --- system node pool ---------------------------------------------------------

variable "system_node_vm_size" {
  type    = string
  default = "Standard_D2s_v5"
}

variable "system_enable_auto_scaling" {
  type    = bool
  default = true
}

variable "system_node_count" {
  description = "Fixed node count, used only when auto scaling is off."
  type        = number
  default     = 1
}

variable "system_min_count" {
  type    = number
  default = 3
}

variable "system_max_count" {
  type    = number
  default = 5
}

# --- user (application) node pool ---------------------------------------------

variable "user_node_vm_size" {
  type    = string
  default = "Standard_D4s_v5"
}

variable "user_min_count" {
  type    = number
  default = 3
}

variable "user_max_count" {
  type    = number
  default = 10
}

# --- networking / integrations ------------------------------------------------

variable "log_analytics_workspace_id" {
  type = string
}

variable "acr_id" {
  description = "Registry the kubelet identity is allowed to pull from."
  type        = string
}

variable "key_vault_id" {
  description = "Key Vault read by the Secrets Store CSI driver."
  type        = string
}

variable "application_gateway_id" {
  description = "Application Gateway programmed by the AGIC add-on (ingress_application_gateway)."
  type        = string
}

variable "application_gateway_subnet_id" {
  description = "Subnet of that gateway; the AGIC identity is made Network Contributor on it."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
