locals {
  gateway_ip_configuration_name  = "gwipc-${var.name_prefix}"
  frontend_ip_configuration_name = "feip-public"

  # Placeholders: only needed to create the gateway (see the lifecycle block).
  frontend_port_name         = "port-80"
  backend_address_pool_name  = "pool-placeholder"
  backend_http_settings_name = "settings-placeholder"
  http_listener_name         = "listener-placeholder"
  request_routing_rule_name  = "rule-placeholder"
}

resource "azurerm_public_ip" "appgw" {
  name                = "pip-agw-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = var.zones
  domain_name_label   = "agw-${var.name_prefix}"
  tags                = var.tags
}

resource "azurerm_web_application_firewall_policy" "this" {
  name                = "waf-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags

  policy_settings {
    enabled                     = true
    mode                        = var.waf_mode
    request_body_check          = true
    max_request_body_size_in_kb = 128
    file_upload_limit_in_mb     = 100
  }

  managed_rules {
    managed_rule_set {
      type    = "OWASP"
      version = "3.2"
    }
  }
}

resource "azurerm_application_gateway" "this" {
  name                = "agw-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  zones               = var.zones
  firewall_policy_id  = azurerm_web_application_firewall_policy.this.id
  enable_http2        = true
  tags                = var.tags

  force_firewall_policy_association = true

  sku {
    name = "WAF_v2"
    tier = "WAF_v2"
  }

  autoscale_configuration {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
  }

  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20220101"
  }

  gateway_ip_configuration {
    name      = local.gateway_ip_configuration_name
    subnet_id = var.subnet_id
  }

  frontend_ip_configuration {
    name                 = local.frontend_ip_configuration_name
    public_ip_address_id = azurerm_public_ip.appgw.id
  }

  # Everything below is a placeholder. The gateway is programmed at runtime by
  # the AGIC add-on of the AKS cluster (terraform/modules/aks,
  # ingress_application_gateway) from the Ingress in k8s/base: AGIC replaces
  # the listeners, rules, pools (pod IPs), HTTP settings, probes, redirects and
  # TLS certificates (from the cert-manager secret) and tags the gateway. The
  # API requires at least one listener, pool, HTTP settings and rule to create
  # the gateway, hence these.
  frontend_port {
    name = local.frontend_port_name
    port = 80
  }

  backend_address_pool {
    name = local.backend_address_pool_name
  }

  backend_http_settings {
    name                  = local.backend_http_settings_name
    protocol              = "Http"
    port                  = 80
    cookie_based_affinity = "Disabled"
    request_timeout       = 60
  }

  http_listener {
    name                           = local.http_listener_name
    frontend_ip_configuration_name = local.frontend_ip_configuration_name
    frontend_port_name             = local.frontend_port_name
    protocol                       = "Http"
  }

  request_routing_rule {
    name                       = local.request_routing_rule_name
    priority                   = 100
    rule_type                  = "Basic"
    http_listener_name         = local.http_listener_name
    backend_address_pool_name  = local.backend_address_pool_name
    backend_http_settings_name = local.backend_http_settings_name
  }

  # AGIC owns these parts of the gateway; without this, every terraform apply
  # would reset the gateway to the placeholders above and cut the traffic until
  # AGIC writes its configuration back. AGIC also adds its own tags
  # (managed-by-k8s-ingress, ...), so var.tags only apply when the gateway is
  # created.
  lifecycle {
    ignore_changes = [
      backend_address_pool,
      backend_http_settings,
      http_listener,
      probe,
      request_routing_rule,
      url_path_map,
      frontend_port,
      redirect_configuration,
      ssl_certificate,
      tags,
    ]
  }
}
