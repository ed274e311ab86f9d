variable "region" {
  default = "koreacentral"
}
}
output "region" {
  value = var.region
}
