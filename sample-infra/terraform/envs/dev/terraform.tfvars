location           = "koreacentral"
availability_zones = ["1"]

kubernetes_version          = "1.32"
aks_private_cluster_enabled = false

aks_vm_sizes = {
  system = "Standard_B2s"
  user   = "Standard_B4ms"
}

aks_system_enable_auto_scaling = false
aks_user_min_count             = 1
aks_user_max_count             = 2

tags = {
  owner       = "platform-team"
  cost_center = "kt-event-marketing"
  lifecycle   = "non-production"
}
