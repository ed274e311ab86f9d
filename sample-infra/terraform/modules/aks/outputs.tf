output "cluster_id" {
  value = azurerm_kubernetes_cluster.this.id
}

output "cluster_name" {
  value = azurerm_kubernetes_cluster.this.name
}

output "oidc_issuer_url" {
  description = "Used to federate workload identities of the services."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}
