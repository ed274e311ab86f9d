"""Which resource types and registry modules play which architecture role, and the attributes that matter."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Props map a property key the views understand to attribute paths, first found wins.
Props = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Role:
    """An architecture role: category (what views group by), cloud and product name, and its props."""

    category: str
    cloud: str
    product: str
    props: Props = ()


def _p(**props: str | tuple[str, ...]) -> Props:
    return tuple((k, (v,) if isinstance(v, str) else v) for k, v in props.items())


_AKS_POOL = _p(vm_size="vm_size", node_count="node_count", min="min_count", max="max_count",
               autoscale=("enable_auto_scaling", "auto_scaling_enabled"), zones="zones", mode="mode",
               os_disk_gb="os_disk_size_gb", max_pods="max_pods", subnet="vnet_subnet_id")

RESOURCES: dict[str, Role] = {
    # --- Azure: compute and clusters
    "azurerm_kubernetes_cluster": Role("k8s_cluster", "azure", "Azure Kubernetes Service (AKS)", _p(
        version="kubernetes_version", sku_tier="sku_tier", private="private_cluster_enabled",
        network_plugin="network_profile.network_plugin", network_policy="network_profile.network_policy",
        network_plugin_mode="network_profile.network_plugin_mode", outbound="network_profile.outbound_type",
        azure_rbac="azure_active_directory_role_based_access_control.azure_rbac_enabled",
        aad_managed="azure_active_directory_role_based_access_control.managed",
        local_accounts_disabled="local_account_disabled", workload_identity="workload_identity_enabled",
        oidc_issuer="oidc_issuer_enabled", oms_workspace="oms_agent.log_analytics_workspace_id",
        secrets_provider="key_vault_secrets_provider.secret_rotation_enabled",
        agic="ingress_application_gateway.gateway_id", service_mesh="service_mesh_profile.mode",
        monitor_metrics="monitor_metrics.annotations_allowed", location="location", name="name",
        identity="identity.type")),
    "azurerm_kubernetes_cluster_node_pool": Role("node_pool", "azure", "AKS node pool", _AKS_POOL + _p(name="name")),
    "azurerm_linux_virtual_machine": Role("vm", "azure", "Azure Virtual Machine (Linux)", _p(size="size", zones="zone", name="name")),
    "azurerm_windows_virtual_machine": Role("vm", "azure", "Azure Virtual Machine (Windows)", _p(size="size", zones="zone", name="name")),
    "azurerm_virtual_machine": Role("vm", "azure", "Azure Virtual Machine", _p(size="vm_size", zones="zones", name="name")),
    "azurerm_linux_virtual_machine_scale_set": Role("vmss", "azure", "Azure VM Scale Set", _p(size="sku", node_count="instances", zones="zones", name="name")),
    "azurerm_windows_virtual_machine_scale_set": Role("vmss", "azure", "Azure VM Scale Set", _p(size="sku", node_count="instances", zones="zones", name="name")),
    "azurerm_service_plan": Role("app_service", "azure", "Azure App Service plan", _p(size="sku_name", node_count="worker_count", zone_balancing="zone_balancing_enabled", name="name")),
    "azurerm_linux_web_app": Role("app_service", "azure", "Azure App Service (Linux web app)", _p(name="name")),
    "azurerm_container_app": Role("container_app", "azure", "Azure Container Apps", _p(name="name", min="template.min_replicas", max="template.max_replicas")),
    "azurerm_linux_function_app": Role("function", "azure", "Azure Functions", _p(name="name")),
    "azurerm_container_registry": Role("registry", "azure", "Azure Container Registry (ACR)", _p(
        sku="sku", admin_enabled="admin_enabled", public_access="public_network_access_enabled",
        georeplication="georeplications.location", zone_redundancy="zone_redundancy_enabled", name="name")),
    # --- Azure: data
    "azurerm_postgresql_flexible_server": Role("database", "azure", "Azure Database for PostgreSQL Flexible Server", _p(
        engine_version="version", sku="sku_name", storage_mb="storage_mb", backup_days="backup_retention_days",
        geo_backup="geo_redundant_backup_enabled", ha_mode="high_availability.mode",
        standby_zone="high_availability.standby_availability_zone", zones="zone",
        public_access="public_network_access_enabled", subnet="delegated_subnet_id", name="name")),
    "azurerm_postgresql_flexible_server_database": Role("database_schema", "azure", "PostgreSQL database", _p(name="name", server="server_id")),
    "azurerm_postgresql_server": Role("database", "azure", "Azure Database for PostgreSQL (single server)", _p(
        engine_version="version", sku="sku_name", storage_mb="storage_mb", backup_days="backup_retention_days",
        geo_backup="geo_redundant_backup_enabled", name="name")),
    "azurerm_mysql_flexible_server": Role("database", "azure", "Azure Database for MySQL Flexible Server", _p(
        engine_version="version", sku="sku_name", storage_mb="storage.size_gb", backup_days="backup_retention_days",
        geo_backup="geo_redundant_backup_enabled", ha_mode="high_availability.mode", zones="zone", name="name")),
    "azurerm_mssql_server": Role("database", "azure", "Azure SQL Database server", _p(engine_version="version", public_access="public_network_access_enabled", name="name")),
    "azurerm_mssql_database": Role("database", "azure", "Azure SQL Database", _p(sku="sku_name", zone_redundant="zone_redundant", name="name")),
    "azurerm_cosmosdb_account": Role("database", "azure", "Azure Cosmos DB", _p(sku="offer_type", kind="kind", geo="geo_location.location", name="name")),
    "azurerm_redis_cache": Role("cache", "azure", "Azure Cache for Redis", _p(
        sku="sku_name", family="family", capacity="capacity", zones="zones", shards="shard_count",
        replicas="replicas_per_primary", tls="minimum_tls_version", public_access="public_network_access_enabled",
        engine_version="redis_version", eviction="redis_configuration.maxmemory_policy",
        backup="redis_configuration.rdb_backup_enabled", non_ssl="non_ssl_port_enabled", name="name")),
    "azurerm_managed_redis": Role("cache", "azure", "Azure Managed Redis", _p(sku="sku_name", name="name")),
    "azurerm_search_service": Role("search", "azure", "Azure AI Search", _p(sku="sku", name="name")),
    "azurerm_synapse_workspace": Role("warehouse", "azure", "Azure Synapse Analytics", _p(name="name")),
    # --- Azure: messaging and storage
    "azurerm_servicebus_namespace": Role("messaging", "azure", "Azure Service Bus", _p(
        sku="sku", capacity="capacity", partitions="premium_messaging_partitions", zone_redundant="zone_redundant",
        public_access="public_network_access_enabled", tls="minimum_tls_version", name="name")),
    "azurerm_servicebus_queue": Role("queue", "azure", "Service Bus queue", _p(name="name")),
    "azurerm_servicebus_topic": Role("topic", "azure", "Service Bus topic", _p(name="name")),
    "azurerm_servicebus_subscription": Role("subscription", "azure", "Service Bus subscription", _p(name="name", topic="topic_id")),
    "azurerm_eventhub_namespace": Role("event_streaming", "azure", "Azure Event Hubs", _p(sku="sku", capacity="capacity", name="name")),
    "azurerm_eventhub": Role("topic", "azure", "Event Hub", _p(name="name", partitions="partition_count")),
    "azurerm_eventgrid_topic": Role("event_routing", "azure", "Azure Event Grid topic", _p(name="name")),
    "azurerm_eventgrid_system_topic": Role("event_routing", "azure", "Azure Event Grid system topic", _p(name="name")),
    "azurerm_storage_account": Role("storage_account", "azure", "Azure Storage account", _p(
        tier="account_tier", replication="account_replication_type", kind="account_kind",
        tls="min_tls_version", public_access="public_network_access_enabled", https_only="https_traffic_only_enabled", name="name")),
    "azurerm_storage_container": Role("object_storage", "azure", "Blob container", _p(name="name")),
    "azurerm_storage_share": Role("file_storage", "azure", "Azure Files share", _p(name="name", quota="quota")),
    "azurerm_managed_disk": Role("block_storage", "azure", "Azure Managed Disk", _p(sku="storage_account_type", size_gb="disk_size_gb", name="name")),
    # --- Azure: network
    "azurerm_virtual_network": Role("network", "azure", "Azure Virtual Network", _p(cidr="address_space", name="name", ddos="ddos_protection_plan.id")),
    "azurerm_subnet": Role("subnet", "azure", "Subnet", _p(cidr="address_prefixes", name="name", network="virtual_network_name",
                                                           delegation="delegation.service_delegation.name")),
    "azurerm_nat_gateway": Role("nat", "azure", "Azure NAT Gateway", _p(sku="sku_name", zones="zones", name="name")),
    "azurerm_virtual_network_peering": Role("peering", "azure", "VNet peering", _p(name="name", remote="remote_virtual_network_id",
                                                                                network="virtual_network_name")),
    "azurerm_subnet_nat_gateway_association": Role("nat_association", "azure", "NAT association", _p(subnet="subnet_id", nat="nat_gateway_id")),
    "azurerm_subnet_route_table_association": Role("route_association", "azure", "Route table association", _p(subnet="subnet_id", route_table="route_table_id")),
    "azurerm_private_endpoint": Role("private_endpoint", "azure", "Private Endpoint", _p(
        name="name", subnet="subnet_id", target="private_service_connection.private_connection_resource_id",
        subresource="private_service_connection.subresource_names")),
    "azurerm_private_dns_zone": Role("private_dns", "azure", "Private DNS zone", _p(name="name")),
    "azurerm_dns_zone": Role("dns", "azure", "Azure DNS zone", _p(name="name")),
    "azurerm_virtual_network_gateway": Role("vpn", "azure", "Azure VPN/ExpressRoute gateway", _p(kind="type", sku="sku", name="name")),
    "azurerm_express_route_circuit": Role("vpn", "azure", "Azure ExpressRoute circuit", _p(name="name")),
    "azurerm_public_ip": Role("public_ip", "azure", "Public IP", _p(sku="sku", zones="zones", name="name")),
    "azurerm_network_security_group": Role("nsg", "azure", "Network Security Group", _p(name="name", rules="security_rule.name")),
    "azurerm_network_security_rule": Role("nsg_rule", "azure", "NSG rule", _p(name="name", access="access", direction="direction")),
    "azurerm_subnet_network_security_group_association": Role("nsg_association", "azure", "NSG association", _p(subnet="subnet_id", nsg="network_security_group_id")),
    "azurerm_firewall": Role("firewall", "azure", "Azure Firewall", _p(sku="sku_tier", zones="zones", policy="firewall_policy_id", name="name")),
    "azurerm_firewall_policy": Role("firewall_policy", "azure", "Azure Firewall policy", _p(sku="sku", threat_intel="threat_intelligence_mode", name="name")),
    "azurerm_network_ddos_protection_plan": Role("ddos", "azure", "Azure DDoS Network Protection plan", _p(name="name")),
    "azurerm_application_gateway": Role("load_balancer", "azure", "Azure Application Gateway", _p(
        sku="sku.name", tier="sku.tier", capacity="sku.capacity", min="autoscale_configuration.min_capacity",
        max="autoscale_configuration.max_capacity", zones="zones", waf_policy="firewall_policy_id",
        waf_mode="waf_configuration.firewall_mode", probe="probe.path", subnet="gateway_ip_configuration.subnet_id",
        listener_protocol="http_listener.protocol", name="name")),
    "azurerm_web_application_firewall_policy": Role("waf_policy", "azure", "Azure WAF policy", _p(
        mode="policy_settings.mode", enabled="policy_settings.enabled", rule_set="managed_rules.managed_rule_set.type",
        rule_set_version="managed_rules.managed_rule_set.version", name="name")),
    "azurerm_lb": Role("load_balancer", "azure", "Azure Load Balancer", _p(sku="sku", name="name")),
    "azurerm_cdn_frontdoor_profile": Role("cdn", "azure", "Azure Front Door", _p(sku="sku_name", name="name")),
    "azurerm_frontdoor": Role("cdn", "azure", "Azure Front Door (classic)", _p(name="name")),
    "azurerm_cdn_profile": Role("cdn", "azure", "Azure CDN", _p(sku="sku", name="name")),
    "azurerm_traffic_manager_profile": Role("traffic_manager", "azure", "Azure Traffic Manager", _p(routing="traffic_routing_method", name="name")),
    "azurerm_api_management": Role("api_gateway", "azure", "Azure API Management", _p(sku="sku_name", name="name")),
    # --- Azure: identity, keys, observability
    "azurerm_key_vault": Role("key_vault", "azure", "Azure Key Vault", _p(
        sku="sku_name", rbac=("enable_rbac_authorization", "rbac_authorization_enabled"), purge_protection="purge_protection_enabled",
        soft_delete_days="soft_delete_retention_days", public_access="public_network_access_enabled",
        network_default="network_acls.default_action", name="name")),
    "azurerm_key_vault_key": Role("key", "azure", "Key Vault key", _p(name="name", key_type="key_type", rotation="rotation_policy.expire_after")),
    "azurerm_user_assigned_identity": Role("identity", "azure", "User-assigned managed identity", _p(name="name")),
    "azurerm_federated_identity_credential": Role("federation", "azure", "Federated identity credential (workload identity)", _p(name="name", subject="subject")),
    "azurerm_role_assignment": Role("role_assignment", "azure", "Azure RBAC role assignment", _p(role="role_definition_name", scope="scope")),
    "azurerm_log_analytics_workspace": Role("log_workspace", "azure", "Azure Log Analytics workspace", _p(sku="sku", retention_days="retention_in_days", daily_quota="daily_quota_gb", name="name")),
    "azurerm_application_insights": Role("apm", "azure", "Azure Application Insights", _p(kind="application_type", workspace="workspace_id", sampling="sampling_percentage", retention_days="retention_in_days", name="name")),
    "azurerm_monitor_action_group": Role("action_group", "azure", "Azure Monitor action group", _p(name="name", short_name="short_name")),
    "azurerm_monitor_metric_alert": Role("alert", "azure", "Azure Monitor metric alert", _p(name="name", severity="severity", metric="criteria.metric_name")),
    "azurerm_monitor_scheduled_query_rules_alert_v2": Role("alert", "azure", "Azure Monitor log alert", _p(name="name", severity="severity")),
    "azurerm_monitor_diagnostic_setting": Role("diagnostic_setting", "azure", "Azure Monitor diagnostic setting", _p(name="name", target="target_resource_id", workspace="log_analytics_workspace_id")),
    "azurerm_monitor_workspace": Role("prometheus", "azure", "Azure Monitor managed Prometheus", _p(name="name")),
    "azurerm_dashboard_grafana": Role("grafana", "azure", "Azure Managed Grafana", _p(name="name", sku="sku")),
    "azurerm_monitor_autoscale_setting": Role("autoscale", "azure", "Azure Monitor autoscale setting", _p(name="name", min="profile.capacity.minimum", max="profile.capacity.maximum", predictive="predictive.scale_mode")),
    "azurerm_recovery_services_vault": Role("backup_vault", "azure", "Azure Recovery Services vault", _p(sku="sku", name="name", redundancy="storage_mode_type")),
    "azurerm_data_protection_backup_vault": Role("backup_vault", "azure", "Azure Backup vault", _p(name="name", redundancy="redundancy")),
    "azurerm_resource_group": Role("resource_group", "azure", "Resource group", _p(name="name", location="location")),
    # --- AWS
    "aws_eks_cluster": Role("k8s_cluster", "aws", "Amazon EKS", _p(version="version", name="name", private="vpc_config.endpoint_public_access",
                                                               encryption="encryption_config.provider.key_arn", logging="enabled_cluster_log_types")),
    "aws_eks_node_group": Role("node_pool", "aws", "EKS managed node group", _p(vm_size="instance_types", min="scaling_config.min_size", max="scaling_config.max_size", node_count="scaling_config.desired_size", name="node_group_name")),
    "aws_instance": Role("vm", "aws", "Amazon EC2 instance", _p(size="instance_type", name="tags.Name")),
    "aws_autoscaling_group": Role("vmss", "aws", "EC2 Auto Scaling group", _p(min="min_size", max="max_size", node_count="desired_capacity", name="name")),
    "aws_ecs_cluster": Role("container_platform", "aws", "Amazon ECS", _p(name="name")),
    "aws_ecs_service": Role("container_app", "aws", "Amazon ECS service", _p(name="name", node_count="desired_count")),
    "aws_lambda_function": Role("function", "aws", "AWS Lambda", _p(name="function_name", runtime="runtime")),
    "aws_db_instance": Role("database", "aws", "Amazon RDS", _p(engine="engine", engine_version="engine_version", sku="instance_class", storage_gb="allocated_storage", multi_az="multi_az", backup_days="backup_retention_period", encrypted="storage_encrypted", name="identifier")),
    "aws_rds_cluster": Role("database", "aws", "Amazon Aurora", _p(engine="engine", engine_version="engine_version", backup_days="backup_retention_period", encrypted="storage_encrypted", name="cluster_identifier")),
    "aws_dynamodb_table": Role("database", "aws", "Amazon DynamoDB", _p(name="name", billing="billing_mode")),
    "aws_elasticache_replication_group": Role("cache", "aws", "Amazon ElastiCache", _p(engine="engine", engine_version="engine_version", sku="node_type", shards="num_node_groups", replicas="replicas_per_node_group", multi_az="multi_az_enabled", name="replication_group_id")),
    "aws_elasticache_cluster": Role("cache", "aws", "Amazon ElastiCache", _p(engine="engine", sku="node_type", capacity="num_cache_nodes", name="cluster_id")),
    "aws_opensearch_domain": Role("search", "aws", "Amazon OpenSearch Service", _p(name="domain_name", engine_version="engine_version")),
    "aws_redshift_cluster": Role("warehouse", "aws", "Amazon Redshift", _p(name="cluster_identifier", sku="node_type")),
    "aws_sqs_queue": Role("queue", "aws", "Amazon SQS", _p(name="name", fifo="fifo_queue")),
    "aws_sns_topic": Role("topic", "aws", "Amazon SNS", _p(name="name")),
    "aws_msk_cluster": Role("event_streaming", "aws", "Amazon MSK (Kafka)", _p(name="cluster_name", engine_version="kafka_version", sku="broker_node_group_info.instance_type", capacity="number_of_broker_nodes")),
    "aws_kinesis_stream": Role("event_streaming", "aws", "Amazon Kinesis Data Streams", _p(name="name", shards="shard_count")),
    "aws_s3_bucket": Role("object_storage", "aws", "Amazon S3 bucket", _p(name="bucket")),
    "aws_efs_file_system": Role("file_storage", "aws", "Amazon EFS", _p(name="creation_token", encrypted="encrypted")),
    "aws_ebs_volume": Role("block_storage", "aws", "Amazon EBS volume", _p(size_gb="size", sku="type", encrypted="encrypted")),
    "aws_vpc": Role("network", "aws", "Amazon VPC", _p(cidr="cidr_block", name="tags.Name")),
    "aws_subnet": Role("subnet", "aws", "Subnet", _p(cidr="cidr_block", zones="availability_zone", name="tags.Name")),
    "aws_nat_gateway": Role("nat", "aws", "NAT gateway", _p(name="tags.Name")),
    "aws_vpc_peering_connection": Role("peering", "aws", "VPC peering", _p(name="tags.Name")),
    "aws_vpc_endpoint": Role("private_endpoint", "aws", "VPC endpoint (PrivateLink)", _p(name="service_name", kind="vpc_endpoint_type")),
    "aws_vpn_gateway": Role("vpn", "aws", "AWS VPN gateway", _p(name="tags.Name")),
    "aws_dx_connection": Role("vpn", "aws", "AWS Direct Connect", _p(name="name")),
    "aws_security_group": Role("nsg", "aws", "Security group", _p(name="name")),
    "aws_network_firewall_firewall": Role("firewall", "aws", "AWS Network Firewall", _p(name="name")),
    "aws_wafv2_web_acl": Role("waf_policy", "aws", "AWS WAF web ACL", _p(name="name", scope="scope", mode="default_action")),
    "aws_shield_protection": Role("ddos", "aws", "AWS Shield Advanced", _p(name="name")),
    "aws_lb": Role("load_balancer", "aws", "Elastic Load Balancing", _p(kind="load_balancer_type", internal="internal", name="name")),
    "aws_alb": Role("load_balancer", "aws", "Application Load Balancer", _p(internal="internal", name="name")),
    "aws_lb_target_group": Role("lb_target", "aws", "Target group", _p(name="name", probe="health_check.path")),
    "aws_cloudfront_distribution": Role("cdn", "aws", "Amazon CloudFront", _p(name="comment")),
    "aws_api_gateway_rest_api": Role("api_gateway", "aws", "Amazon API Gateway (REST)", _p(name="name")),
    "aws_apigatewayv2_api": Role("api_gateway", "aws", "Amazon API Gateway (HTTP/WebSocket)", _p(name="name", kind="protocol_type")),
    "aws_kms_key": Role("kms", "aws", "AWS KMS key", _p(name="description", rotation="enable_key_rotation")),
    "aws_secretsmanager_secret": Role("secret_store", "aws", "AWS Secrets Manager secret", _p(name="name")),
    "aws_iam_role": Role("identity", "aws", "IAM role", _p(name="name")),
    "aws_iam_openid_connect_provider": Role("oidc_provider", "aws", "IAM OIDC provider", _p(name="url")),
    "aws_cognito_user_pool": Role("idp", "aws", "Amazon Cognito user pool", _p(name="name")),
    "aws_cloudwatch_log_group": Role("log_workspace", "aws", "Amazon CloudWatch Logs", _p(name="name", retention_days="retention_in_days")),
    "aws_cloudwatch_metric_alarm": Role("alert", "aws", "Amazon CloudWatch alarm", _p(name="alarm_name", metric="metric_name")),
    "aws_xray_group": Role("apm", "aws", "AWS X-Ray", _p(name="group_name")),
    "aws_xray_sampling_rule": Role("apm", "aws", "AWS X-Ray sampling rule", _p(name="rule_name", sampling="fixed_rate")),
    "aws_prometheus_workspace": Role("prometheus", "aws", "Amazon Managed Service for Prometheus", _p(name="alias")),
    "aws_grafana_workspace": Role("grafana", "aws", "Amazon Managed Grafana", _p(name="name")),
    "aws_ecr_repository": Role("registry", "aws", "Amazon ECR", _p(name="name", scan="image_scanning_configuration.scan_on_push")),
    "aws_route53_zone": Role("dns", "aws", "Amazon Route 53 zone", _p(name="name")),
    "aws_backup_plan": Role("backup_vault", "aws", "AWS Backup plan", _p(name="name")),
    "aws_autoscaling_policy": Role("autoscale", "aws", "EC2 Auto Scaling policy", _p(name="name", kind="policy_type")),
    # --- GCP
    "google_container_cluster": Role("k8s_cluster", "gcp", "Google Kubernetes Engine (GKE)", _p(version="min_master_version", name="name", private="private_cluster_config.enable_private_nodes", autopilot="enable_autopilot", zones="node_locations", location="location")),
    "google_container_node_pool": Role("node_pool", "gcp", "GKE node pool", _p(vm_size="node_config.machine_type", node_count="node_count", min="autoscaling.min_node_count", max="autoscaling.max_node_count", name="name")),
    "google_compute_instance": Role("vm", "gcp", "Compute Engine VM", _p(size="machine_type", zones="zone", name="name")),
    "google_cloud_run_v2_service": Role("container_app", "gcp", "Cloud Run", _p(name="name", min="template.scaling.min_instance_count", max="template.scaling.max_instance_count")),
    "google_cloud_run_service": Role("container_app", "gcp", "Cloud Run", _p(name="name")),
    "google_cloudfunctions2_function": Role("function", "gcp", "Cloud Functions", _p(name="name")),
    "google_sql_database_instance": Role("database", "gcp", "Cloud SQL", _p(engine_version="database_version", sku="settings.tier", ha_mode="settings.availability_type", backup="settings.backup_configuration.enabled", name="name")),
    "google_spanner_instance": Role("database", "gcp", "Cloud Spanner", _p(name="name")),
    "google_redis_instance": Role("cache", "gcp", "Memorystore for Redis", _p(sku="tier", capacity="memory_size_gb", engine_version="redis_version", replicas="replica_count", name="name")),
    "google_pubsub_topic": Role("event_streaming", "gcp", "Pub/Sub topic", _p(name="name")),
    "google_pubsub_subscription": Role("subscription", "gcp", "Pub/Sub subscription", _p(name="name")),
    "google_storage_bucket": Role("object_storage", "gcp", "Cloud Storage bucket", _p(name="name", location="location", storage_class="storage_class")),
    "google_filestore_instance": Role("file_storage", "gcp", "Filestore", _p(name="name", tier="tier")),
    "google_compute_disk": Role("block_storage", "gcp", "Persistent Disk", _p(name="name", size_gb="size", sku="type")),
    "google_compute_network": Role("network", "gcp", "VPC network", _p(name="name")),
    "google_compute_subnetwork": Role("subnet", "gcp", "Subnet", _p(cidr="ip_cidr_range", name="name", region="region")),
    "google_compute_router_nat": Role("nat", "gcp", "Cloud NAT", _p(name="name")),
    "google_compute_network_peering": Role("peering", "gcp", "VPC peering", _p(name="name")),
    "google_compute_security_policy": Role("waf_policy", "gcp", "Cloud Armor policy", _p(name="name")),
    "google_compute_firewall": Role("nsg", "gcp", "VPC firewall rule", _p(name="name", direction="direction")),
    "google_compute_global_forwarding_rule": Role("load_balancer", "gcp", "Cloud Load Balancing", _p(name="name")),
    "google_compute_backend_service": Role("lb_target", "gcp", "Backend service", _p(name="name")),
    "google_compute_health_check": Role("health_check", "gcp", "Health check", _p(name="name")),
    "google_compute_vpn_gateway": Role("vpn", "gcp", "Cloud VPN", _p(name="name")),
    "google_kms_crypto_key": Role("kms", "gcp", "Cloud KMS key", _p(name="name", rotation="rotation_period")),
    "google_service_account": Role("identity", "gcp", "Service account", _p(name="account_id")),
    "google_artifact_registry_repository": Role("registry", "gcp", "Artifact Registry", _p(name="repository_id", kind="format")),
    "google_dns_managed_zone": Role("dns", "gcp", "Cloud DNS zone", _p(name="dns_name")),
    "google_api_gateway_api": Role("api_gateway", "gcp", "API Gateway", _p(name="api_id")),
    "google_logging_project_sink": Role("log_workspace", "gcp", "Cloud Logging sink", _p(name="name")),
    "google_monitoring_alert_policy": Role("alert", "gcp", "Cloud Monitoring alert policy", _p(name="display_name")),
    "google_bigquery_dataset": Role("warehouse", "gcp", "BigQuery dataset", _p(name="dataset_id")),
}

# Registry modules: a regular expression on the source, and the role with props naming module inputs.
MODULES: tuple[tuple[str, Role], ...] = (
    (r"^terraform-aws-modules/eks/aws", Role("k8s_cluster", "aws", "Amazon EKS (terraform-aws-modules/eks)", _p(
        version=("kubernetes_version", "cluster_version"), name=("name", "cluster_name"),
        public_endpoint=("endpoint_public_access", "cluster_endpoint_public_access"),
        node_groups="eks_managed_node_groups"))),
    (r"^terraform-aws-modules/vpc/aws", Role("network", "aws", "Amazon VPC (terraform-aws-modules/vpc)", _p(
        cidr="cidr", name="name", zones="azs", private_subnets="private_subnets", public_subnets="public_subnets",
        database_subnets="database_subnets", intra_subnets="intra_subnets", nat="enable_nat_gateway",
        single_nat="single_nat_gateway", one_nat_per_az="one_nat_gateway_per_az", vpn="enable_vpn_gateway"))),
    (r"^terraform-aws-modules/rds(-aurora)?/aws", Role("database", "aws", "Amazon RDS (terraform-aws-modules/rds)", _p(
        engine="engine", engine_version="engine_version", sku="instance_class", storage_gb="allocated_storage",
        multi_az="multi_az", backup_days="backup_retention_period", name="identifier"))),
    (r"^terraform-aws-modules/elasticache/aws", Role("cache", "aws", "Amazon ElastiCache (terraform-aws-modules/elasticache)", _p(
        engine="engine", engine_version="engine_version", sku="node_type", shards="num_node_groups",
        replicas="replicas_per_node_group", multi_az="multi_az_enabled", name=("replication_group_id", "cluster_id")))),
    (r"^terraform-aws-modules/s3-bucket/aws", Role("object_storage", "aws", "Amazon S3 (terraform-aws-modules/s3-bucket)", _p(name="bucket"))),
    (r"^terraform-aws-modules/alb/aws", Role("load_balancer", "aws", "Application Load Balancer (terraform-aws-modules/alb)", _p(
        name="name", kind="load_balancer_type", internal="internal"))),
    (r"^terraform-aws-modules/security-group/aws", Role("nsg", "aws", "Security group (terraform-aws-modules)", _p(name="name"))),
    (r"^terraform-aws-modules/kms/aws", Role("kms", "aws", "AWS KMS (terraform-aws-modules/kms)", _p(name="description", rotation="enable_key_rotation"))),
    (r"^terraform-aws-modules/iam/aws", Role("identity", "aws", "IAM (terraform-aws-modules/iam)", _p(name="name"))),
    (r"^Azure/aks/azurerm", Role("k8s_cluster", "azure", "Azure Kubernetes Service (Azure/aks module)", _p(
        version="kubernetes_version", name=("cluster_name", "prefix"), private="private_cluster_enabled",
        vm_size="agents_size", node_count="agents_count", min="agents_min_count", max="agents_max_count",
        autoscale=("enable_auto_scaling", "auto_scaling_enabled"), zones="agents_availability_zones",
        network_plugin="network_plugin", network_policy="network_policy", sku_tier="sku_tier",
        azure_rbac="rbac_aad_azure_rbac_enabled", workload_identity="workload_identity_enabled",
        node_pools="node_pools"))),
    (r"^Azure/avm-res-containerservice-managedcluster/azurerm", Role("k8s_cluster", "azure", "Azure Kubernetes Service (AVM)", _p(
        version="kubernetes_version", name="name", private="private_cluster_enabled",
        vm_size="default_node_pool.vm_size", min="default_node_pool.min_count", max="default_node_pool.max_count",
        zones="default_node_pool.zones", sku_tier="sku_tier", node_pools="node_pools"))),
    (r"^Azure/avm-res-dbforpostgresql-flexibleserver/azurerm", Role("database", "azure", "Azure Database for PostgreSQL Flexible Server (AVM)", _p(
        engine_version="server_version", sku="sku_name", storage_mb="storage_mb", backup_days="backup_retention_days",
        geo_backup="geo_redundant_backup_enabled", ha_mode="high_availability.mode", zones="zone", name="name"))),
    (r"^Azure/avm-res-cache-redis/azurerm", Role("cache", "azure", "Azure Cache for Redis (AVM)", _p(
        sku="sku_name", capacity="capacity", zones="zones", shards="shard_count", name="name"))),
    (r"^Azure/avm-res-servicebus-namespace/azurerm", Role("messaging", "azure", "Azure Service Bus (AVM)", _p(
        sku="sku", capacity="capacity", partitions="premium_messaging_partitions", name="name"))),
    (r"^Azure/avm-res-network-applicationgateway/azurerm", Role("load_balancer", "azure", "Azure Application Gateway (AVM)", _p(
        sku="sku.name", tier="sku.tier", min="autoscale_configuration.min_capacity", max="autoscale_configuration.max_capacity",
        zones="zones", waf_policy="app_gateway_waf_policy_resource_id", name="name",
        probe="probe_configurations"))),
    (r"^Azure/avm-res-network-azurefirewall/azurerm", Role("firewall", "azure", "Azure Firewall (AVM)", _p(sku="firewall_sku_tier", zones="firewall_zones", name="name"))),
    (r"^Azure/avm-res-keyvault-vault/azurerm", Role("key_vault", "azure", "Azure Key Vault (AVM)", _p(
        sku="sku_name", purge_protection="purge_protection_enabled", soft_delete_days="soft_delete_retention_days",
        public_access="public_network_access_enabled", name="name"))),
    (r"^Azure/avm-res-network-virtualnetwork/azurerm", Role("network", "azure", "Azure Virtual Network (AVM)", _p(cidr="address_space", name="name", subnets="subnets"))),
    (r"^Azure/avm-res-operationalinsights-workspace/azurerm", Role("log_workspace", "azure", "Azure Log Analytics workspace (AVM)", _p(
        retention_days="log_analytics_workspace_retention_in_days", sku="log_analytics_workspace_sku", name="name"))),
    (r"^Azure/avm-res-containerregistry-registry/azurerm", Role("registry", "azure", "Azure Container Registry (AVM)", _p(sku="sku", name="name"))),
    (r"^Azure/vnet/azurerm", Role("network", "azure", "Azure Virtual Network (Azure/vnet module)", _p(cidr="address_space", name="vnet_name", subnets="subnet_prefixes"))),
    (r"^terraform-google-modules/kubernetes-engine/google", Role("k8s_cluster", "gcp", "Google Kubernetes Engine (terraform-google-modules)", _p(
        version="kubernetes_version", name="name", zones="zones", node_pools="node_pools", private="enable_private_nodes"))),
    (r"^terraform-google-modules/sql-db/google", Role("database", "gcp", "Cloud SQL (terraform-google-modules/sql-db)", _p(
        engine_version="database_version", sku="tier", ha_mode="availability_type", name="name"))),
    (r"^terraform-google-modules/memorystore/google", Role("cache", "gcp", "Memorystore (terraform-google-modules)", _p(
        sku="tier", capacity="memory_size_gb", engine_version="redis_version", name="name"))),
    (r"^terraform-google-modules/network/google", Role("network", "gcp", "VPC network (terraform-google-modules)", _p(name="network_name", subnets="subnets"))),
)

MODULES += (
    (r"^Azure/avm-res-network-networksecuritygroup/azurerm", Role("nsg", "azure", "Network Security Group (AVM)", _p(name="name"))),
    (r"^Azure/avm-res-network-publicipaddress/azurerm", Role("public_ip", "azure", "Public IP (AVM)", _p(name="name", sku="sku", zones="zones"))),
    (r"^Azure/avm-res-network-firewallpolicy/azurerm", Role("firewall_policy", "azure", "Azure Firewall policy (AVM)", _p(name="name", sku="firewall_policy_sku"))),
    (r"^Azure/avm-res-network-bastionhost/azurerm", Role("bastion", "azure", "Azure Bastion (AVM)", _p(name="name", sku="sku"))),
    (r"^Azure/avm-res-network-routetable/azurerm", Role("route_table", "azure", "Route table (AVM)", _p(name="name", routes="routes"))),
    (r"^Azure/avm-res-network-privatednszone/azurerm", Role("private_dns", "azure", "Private DNS zone (AVM)", _p(name="domain_name"))),
    (r"^Azure/avm-res-network-privateendpoint/azurerm", Role("private_endpoint", "azure", "Private Endpoint (AVM)", _p(name="name", target="private_connection_resource_id"))),
    (r"^Azure/avm-res-managedidentity-userassignedidentity/azurerm", Role("identity", "azure", "User-assigned managed identity (AVM)", _p(name="name"))),
    (r"^Azure/avm-res-network-natgateway/azurerm", Role("nat", "azure", "Azure NAT Gateway (AVM)", _p(name="name"))),
    (r"^Azure/avm-res-network-ddosprotectionplan/azurerm", Role("ddos", "azure", "Azure DDoS Network Protection plan (AVM)", _p(name="name"))),
    (r"^Azure/avm-res-network-applicationgatewaywebapplicationfirewallpolicy/azurerm", Role("waf_policy", "azure", "Azure WAF policy (AVM)", _p(
        name="name", mode="policy_settings.mode"))),
    (r"^Azure/avm-res-apimanagement-service/azurerm", Role("api_gateway", "azure", "Azure API Management (AVM)", _p(name="name", sku="sku_name"))),
    (r"^Azure/avm-res-insights-component/azurerm", Role("apm", "azure", "Azure Application Insights (AVM)", _p(name="name", workspace="workspace_id"))),
)

# Submodules (`source//modules/name`): the base source pattern, the submodule path, its role.
SUBMODULES: tuple[tuple[str, str, Role], ...] = (
    (r"^Azure/avm-res-network-virtualnetwork/azurerm$", "modules/subnet",
     Role("subnet", "azure", "Subnet (AVM)", _p(name="name", cidr=("address_prefixes", "address_prefix"), network="virtual_network.resource_id"))),
    (r"^Azure/avm-res-network-virtualnetwork/azurerm$", "modules/peering",
     Role("peering", "azure", "VNet peering (AVM)", _p(name="name", remote="remote_virtual_network.resource_id"))),
    (r"^terraform-aws-modules/vpc/aws$", "modules/vpc-endpoints",
     Role("private_endpoint", "aws", "VPC endpoints (terraform-aws-modules/vpc)", _p(name="endpoints"))),
    (r"^terraform-aws-modules/eks/aws$", "modules/eks-managed-node-group",
     Role("node_pool", "aws", "EKS managed node group (terraform-aws-modules/eks)", _p(
         name="name", vm_size="instance_types", min="min_size", max="max_size", node_count="desired_size"))),
    (r"^terraform-aws-modules/eks/aws$", "modules/karpenter",
     Role("autoscale", "aws", "Karpenter (terraform-aws-modules/eks)", _p(name="cluster_name"))),
)

PROVIDER_CLOUDS = {"azurerm": "azure", "azapi": "azure", "aws": "aws", "google": "gcp", "google-beta": "gcp"}
CLOUD_NAMES = {"azure": "Microsoft Azure", "aws": "Amazon Web Services (AWS)", "gcp": "Google Cloud (GCP)"}


def role_for_resource(resource_type: str) -> Role | None:
    """The role of a resource type, or None for types that say nothing about the architecture."""
    return RESOURCES.get(resource_type)


def role_for_module(source: str) -> Role | None:
    """The role of a registry module, from its source; a `//modules/x` submodule has roles of its own."""
    base, _, sub = source.partition("//")
    base = base.rstrip("/")
    if sub:
        for pattern, name, role in SUBMODULES:
            if name == sub.rstrip("/") and re.search(pattern, base, flags=re.IGNORECASE):
                return role
        return None
    for pattern, role in MODULES:
        if re.search(pattern + "$", base, flags=re.IGNORECASE):
            return role
    return None


def cloud_of_type(resource_type: str) -> str | None:
    """The cloud a resource type belongs to, from its provider prefix."""
    return PROVIDER_CLOUDS.get(resource_type.split("_", 1)[0])
