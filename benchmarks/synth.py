"""Deterministic generator of a large synthetic infrastructure repository for archinfer's benchmark.

The same parameters always give a byte-identical tree: every random choice comes from a `random.Random`
seeded with a string built from the seed, the kind of unit and its index (string seeds are hashed with
SHA-512 by `random`, so PYTHONHASHSEED plays no part), files are written as UTF-8 with `\\n` line ends,
and nothing depends on the clock, the machine or the order of a dict built from a set.

Layout of the generated tree (N = --scale multiplies every count, never a per-unit density):

    terraform/modules/mNNN-<kind>/      main.tf variables.tf locals.tf outputs.tf versions.tf README.md
    terraform/live/stack-SSS/<env>/     main.tf variables.tf locals.tf outputs.tf providers.tf versions.tf
                                        terraform.tfvars .terraform.lock.hcl
    k8s/<app>/base/                     kustomization + Deployment, Service, ConfigMap, ServiceAccount,
                                        Ingress, HPA, PodDisruptionBudget
    k8s/<app>/overlays/<env>/           kustomization + strategic-merge patches (prod: an HPA patch too)
    manifests/<team>/<name>.yaml        plain manifests (multi-document), not managed by kustomize
    charts/<chart>/                     Chart.yaml, values.yaml, values-<env>.yaml, templates/*
    .github/workflows/*.yml             application and Terraform workflows
    .gitlab-ci.yml, ci/*.gitlab-ci.yml  GitLab CI, the root file including the others
    services/<app>/Dockerfile           multi-stage Dockerfiles (python, java, node, go)

Usage:  python benchmarks/synth.py OUT_DIR [--scale N] [--seed S] [--tf-modules M ...]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Callable, Iterator

ENVS = ("dev", "stg", "prod", "dr")  # Terraform environments: every stack has one root per environment
K8S_ENVS = ("dev", "stg", "prod")  # kustomize overlays and Helm values files
WORDS = ("orders", "payments", "catalog", "search", "users", "inventory", "shipping", "billing", "notify",
         "reviews", "cart", "pricing", "auth", "media", "reports", "ledger", "quotes", "loyalty", "events", "geo")
TEAMS = ("core", "growth", "data", "platform", "risk", "ops", "web", "mobile", "ml", "finance")
AWS_REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-northeast-2")
AZURE_REGIONS = ("koreacentral", "westeurope", "northeurope", "eastus2", "japaneast")
MIN_RESOURCES = 6  # outputs and locals of every module kind refer to its first six resources


@dataclass(frozen=True)
class Params:
    """Counts of the generated units; `scaled(n)` multiplies each of them by n."""

    tf_roots: int = 40  # Terraform root modules (stacks x environments; 4 environments per stack)
    tf_modules: int = 200  # reusable Terraform modules, each called from every root of one stack
    resources_per_module: int = 6  # a density: not scaled
    k8s_apps: int = 60  # kustomize applications (a base and one overlay per K8S_ENVS)
    manifest_dirs: int = 20  # folders of plain manifests
    manifests_per_dir: int = 20  # a density: not scaled
    helm_charts: int = 10  # charts with values.yaml and values-<env>.yaml per K8S_ENVS
    gh_workflows: int = 20  # .github/workflows/*.yml
    gitlab_files: int = 10  # ci/*.gitlab-ci.yml (plus the root .gitlab-ci.yml)
    dockerfiles: int = 60  # services/<app>/Dockerfile
    seed: int = 1

    def scaled(self, factor: int) -> "Params":
        """Every count times `factor`; densities (resources per module, manifests per folder) and seed kept."""
        keep = {"resources_per_module", "manifests_per_dir", "seed"}
        return replace(self, **{f.name: getattr(self, f.name) * factor for f in fields(self) if f.name not in keep})


# ----------------------------------------------------------------------------------------------- helpers


def rng_for(params: Params, kind: str, index: int) -> random.Random:
    """A generator private to one unit: adding units never changes the content of the others."""
    return random.Random(f"archinfer-bench:{params.seed}:{kind}:{index}")


def app_name(index: int) -> str:
    """A service name such as `orders-007`."""
    return f"{WORDS[index % len(WORDS)]}-{index:03d}"


def block(text: str) -> str:
    """Strip the leading newline of a triple-quoted template and make sure it ends with one newline."""
    return text.lstrip("\n").rstrip() + "\n"


def hcl_list(items: list[str]) -> str:
    """An HCL list of strings."""
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


# ----------------------------------------------------------------------------------------------- Terraform modules


@dataclass(frozen=True)
class ModuleKind:
    """A family of modules: its cloud, its extra variables and locals, resources in order, and its outputs."""

    name: str
    cloud: str  # "aws" | "azurerm"
    variables: Callable[[random.Random], str]
    locals_: str
    resources: tuple[Callable[[str, random.Random], str], ...]  # each takes the name suffix ("", "_2", ...)
    outputs: str


def common_variables(cloud: str) -> str:
    """Variables every module has: naming, environment with validation, placement, tags, an upstream id."""
    place = ('variable "region" {\n  description = "AWS region."\n  type        = string\n  default     = "eu-west-1"\n}\n'
             if cloud == "aws" else
             'variable "location" {\n  description = "Azure region."\n  type        = string\n}\n\n'
             'variable "resource_group_name" {\n  type = string\n}\n')
    return block(f'''
variable "name_prefix" {{
  description = "Prefix of every resource name."
  type        = string

  validation {{
    condition     = length(var.name_prefix) <= 24 && can(regex("^[a-z][a-z0-9-]*$", var.name_prefix))
    error_message = "name_prefix: lower-case letters, digits and dashes, at most 24 characters."
  }}
}}

variable "environment" {{
  description = "Deployment environment."
  type        = string

  validation {{
    condition     = contains(["dev", "stg", "prod", "dr"], var.environment)
    error_message = "environment must be one of dev, stg, prod, dr."
  }}
}}

{place}
variable "tags" {{
  description = "Tags added to every resource."
  type        = map(string)
  default     = {{}}
}}

variable "upstream_id" {{
  description = "Id of the module this one depends on (tagged for traceability)."
  type        = string
  default     = null
}}
''')


def common_locals(kind: str, extra: str) -> str:
    """Locals every module has, followed by the kind's own."""
    return block(f'''
locals {{
  name = "${{var.name_prefix}}-${{var.environment}}"
  common_tags = merge(var.tags, {{
    module      = "{kind}"
    environment = var.environment
  }}, var.upstream_id == null ? {{}} : {{ upstream = var.upstream_id }})
  is_prod = var.environment == "prod" || var.environment == "dr"
{extra.rstrip()}
}}
''')


# --- aws-network


def _aws_network_vars(rng: random.Random) -> str:
    third = rng.randrange(0, 200)
    return block(f'''
variable "cidr_block" {{
  description = "VPC address space."
  type        = string
  default     = "10.{third}.0.0/16"

  validation {{
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "cidr_block must be a valid CIDR."
  }}
}}

variable "azs" {{
  type    = list(string)
  default = ["a", "b", "c"]
}}

variable "subnets" {{
  description = "Subnets by name."
  type = map(object({{
    newbits = number
    netnum  = number
    public  = bool
  }}))
  default = {{
    web  = {{ newbits = 8, netnum = 1, public = true }}
    app  = {{ newbits = 8, netnum = 2, public = false }}
    data = {{ newbits = 8, netnum = 3, public = false }}
  }}
}}

variable "enable_nat" {{
  type    = bool
  default = true
}}

variable "allowed_ingress" {{
  type = list(object({{
    port = number
    cidr = string
  }}))
  default = [
    {{ port = 443, cidr = "0.0.0.0/0" }},
    {{ port = 80, cidr = "0.0.0.0/0" }},
  ]
}}
''')


AWS_NETWORK = ModuleKind(
    "aws-network", "aws", _aws_network_vars,
    block('''
  public_subnets  = { for k, s in var.subnets : k => s if s.public }
  private_subnets = { for k, s in var.subnets : k => s if !s.public }
  nat_count       = var.enable_nat ? (local.is_prod ? length(var.azs) : 1) : 0
  az_names        = [for az in var.azs : "${var.region}${az}"]
  ingress_ports   = distinct([for r in var.allowed_ingress : r.port])
'''),
    (
        lambda s, r: block(f'''
resource "aws_vpc" "this{s}" {{
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.common_tags, {{ Name = "vpc-${{local.name}}" }})
}}
'''),
        lambda s, r: block(f'''
resource "aws_subnet" "public{s}" {{
  for_each                = local.public_subnets
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr_block, each.value.newbits, each.value.netnum)
  map_public_ip_on_launch = true
  tags                    = merge(local.common_tags, {{ Name = "${{local.name}}-${{each.key}}", tier = "public" }})
}}
'''),
        lambda s, r: block(f'''
resource "aws_subnet" "private{s}" {{
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.az_names[count.index]
  cidr_block        = cidrsubnet(var.cidr_block, 4, count.index + 8)
  tags              = merge(local.common_tags, {{ Name = "${{local.name}}-private-${{count.index}}", tier = "private" }})
}}
'''),
        lambda s, r: block(f'''
resource "aws_internet_gateway" "this{s}" {{
  vpc_id = aws_vpc.this.id
  tags   = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_security_group" "web{s}" {{
  name        = "sg-${{local.name}}-web"
  description = "Web tier of ${{local.name}}"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {{
    for_each = var.allowed_ingress
    content {{
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_nat_gateway" "this{s}" {{
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = values(aws_subnet.public)[0].id
  tags          = local.common_tags
}}

resource "aws_eip" "nat{s}" {{
  count  = local.nat_count
  domain = "vpc"
  tags   = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_security_group_rule" "app_from_web{s}" {{
  type                     = "ingress"
  from_port                = {r.choice((8080, 8443, 9000))}
  to_port                  = {r.choice((8080, 8443, 9000))}
  protocol                 = "tcp"
  security_group_id        = aws_security_group.web.id
  source_security_group_id = aws_security_group.web.id
}}
'''),
        lambda s, r: block(f'''
resource "aws_flow_log" "this{s}" {{
  vpc_id               = aws_vpc.this.id
  traffic_type         = "REJECT"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
}}

resource "aws_cloudwatch_log_group" "flow{s}" {{
  name              = "/vpc/${{local.name}}/flow"
  retention_in_days = local.is_prod ? 90 : 14
}}
'''),
    ),
    block('''
output "id" {
  value = aws_vpc.this.id
}

output "name" {
  value = local.name
}

output "public_subnet_ids" {
  value = { for k, s in aws_subnet.public : k => s.id }
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "security_group_id" {
  value = aws_security_group.web.id
}
'''),
)


# --- aws-eks


def _aws_eks_vars(rng: random.Random) -> str:
    version = rng.choice(("1.29", "1.30", "1.31"))
    return block(f'''
variable "cluster_version" {{
  type    = string
  default = "{version}"
}}

variable "subnet_ids" {{
  type    = list(string)
  default = []
}}

variable "node_groups" {{
  description = "Managed node groups by name."
  type = map(object({{
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  }}))
  default = {{
    system = {{ instance_types = ["m6i.large"], min_size = 2, max_size = 4, desired_size = 2 }}
    apps   = {{ instance_types = ["m6i.xlarge"], min_size = 2, max_size = {rng.randrange(6, 20)}, desired_size = 3 }}
  }}

  validation {{
    condition     = alltrue([for g in values(var.node_groups) : g.min_size <= g.max_size])
    error_message = "min_size must not exceed max_size."
  }}
}}

variable "addons" {{
  type    = list(string)
  default = ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"]
}}
''')


AWS_EKS = ModuleKind(
    "aws-eks", "aws", _aws_eks_vars,
    block('''
  cluster_policies = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]
  node_policies    = toset(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"])
  scaled_groups = {
    for name, g in var.node_groups : name => merge(g, {
      max_size = local.is_prod ? g.max_size * 2 : g.max_size
    })
  }
'''),
    (
        lambda s, r: block(f'''
resource "aws_iam_role" "cluster{s}" {{
  name = "eks-${{local.name}}-cluster"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "eks.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
  tags = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_iam_role_policy_attachment" "cluster{s}" {{
  for_each   = toset(local.cluster_policies)
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:aws:iam::aws:policy/${{each.value}}"
}}
'''),
        lambda s, r: block(f'''
resource "aws_eks_cluster" "this{s}" {{
  name     = "eks-${{local.name}}"
  role_arn = aws_iam_role.cluster.arn
  version  = var.cluster_version

  vpc_config {{
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = !local.is_prod
  }}

  enabled_cluster_log_types = ["api", "audit", "authenticator"]
  tags                      = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_iam_role" "node{s}" {{
  name = "eks-${{local.name}}-node"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "ec2.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "node{s}" {{
  for_each   = local.node_policies
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/${{each.value}}"
}}
'''),
        lambda s, r: block(f'''
resource "aws_eks_node_group" "this{s}" {{
  for_each        = local.scaled_groups
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  instance_types  = each.value.instance_types

  scaling_config {{
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }}

  labels = {{ workload = each.key }}
  tags   = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_eks_addon" "this{s}" {{
  for_each     = toset(var.addons)
  cluster_name = aws_eks_cluster.this.name
  addon_name   = each.value
}}
'''),
        lambda s, r: block(f'''
resource "aws_cloudwatch_log_group" "cluster{s}" {{
  name              = "/aws/eks/eks-${{local.name}}/cluster"
  retention_in_days = {r.choice((7, 14, 30, 90))}
}}
'''),
    ),
    block('''
output "id" {
  value = aws_eks_cluster.this.id
}

output "name" {
  value = aws_eks_cluster.this.name
}

output "endpoint" {
  value = aws_eks_cluster.this.endpoint
}

output "node_group_names" {
  value = [for name, g in aws_eks_node_group.this : g.node_group_name]
}
'''),
)


# --- aws-rds


def _aws_rds_vars(rng: random.Random) -> str:
    return block(f'''
variable "engine_version" {{
  type    = string
  default = "{rng.choice(("15.6", "16.2", "16.3"))}"
}}

variable "allocated_storage" {{
  description = "GiB."
  type        = number
  default     = {rng.choice((20, 50, 100, 200))}

  validation {{
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }}
}}

variable "subnet_ids" {{
  type    = list(string)
  default = []
}}

variable "vpc_id" {{
  type    = string
  default = null
}}

variable "client_cidrs" {{
  type    = list(string)
  default = ["10.0.0.0/8"]
}}

variable "databases" {{
  type    = list(string)
  default = ["app", "reporting"]
}}
''')


AWS_RDS = ModuleKind(
    "aws-rds", "aws", _aws_rds_vars,
    block('''
  instance_class = local.is_prod ? "db.r6g.xlarge" : "db.t4g.medium"
  alarms = {
    cpu     = { metric = "CPUUtilization", threshold = 80 }
    storage = { metric = "FreeStorageSpace", threshold = 5368709120 }
    conns   = { metric = "DatabaseConnections", threshold = 500 }
  }
'''),
    (
        lambda s, r: block(f'''
resource "aws_db_subnet_group" "this{s}" {{
  name       = "db-${{local.name}}"
  subnet_ids = var.subnet_ids
  tags       = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_security_group" "db{s}" {{
  name   = "sg-${{local.name}}-db"
  vpc_id = var.vpc_id

  ingress {{
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.client_cidrs
  }}

  tags = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_db_parameter_group" "this{s}" {{
  name   = "pg-${{local.name}}"
  family = "postgres${{split(".", var.engine_version)[0]}}"

  parameter {{
    name  = "log_min_duration_statement"
    value = "{r.choice((250, 500, 1000))}"
  }}
}}
'''),
        lambda s, r: block(f'''
resource "aws_db_instance" "this{s}" {{
  identifier              = "db-${{local.name}}"
  engine                  = "postgres"
  engine_version          = var.engine_version
  instance_class          = local.instance_class
  allocated_storage       = var.allocated_storage
  max_allocated_storage   = var.allocated_storage * 4
  db_subnet_group_name    = aws_db_subnet_group.this.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  parameter_group_name    = aws_db_parameter_group.this.name
  multi_az                = local.is_prod
  backup_retention_period = local.is_prod ? 30 : 7
  storage_encrypted       = true
  deletion_protection     = local.is_prod
  skip_final_snapshot     = !local.is_prod
  username                = "app"
  manage_master_user_password = true
  tags                    = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "aws_cloudwatch_metric_alarm" "db{s}" {{
  for_each            = local.alarms
  alarm_name          = "${{local.name}}-db-${{each.key}}"
  namespace           = "AWS/RDS"
  metric_name         = each.value.metric
  threshold           = each.value.threshold
  comparison_operator = each.key == "storage" ? "LessThanThreshold" : "GreaterThanThreshold"
  evaluation_periods  = 3
  period              = 300
  statistic           = "Average"
  dimensions          = {{ DBInstanceIdentifier = aws_db_instance.this.identifier }}
}}
'''),
        lambda s, r: block(f'''
resource "aws_db_instance" "replica{s}" {{
  count               = local.is_prod ? {r.choice((1, 2))} : 0
  identifier          = "db-${{local.name}}-replica-${{count.index}}"
  replicate_source_db = aws_db_instance.this.identifier
  instance_class      = local.instance_class
  storage_encrypted   = true
  skip_final_snapshot = true
}}
'''),
    ),
    block('''
output "id" {
  value = aws_db_instance.this.id
}

output "name" {
  value = aws_db_instance.this.identifier
}

output "endpoint" {
  value = aws_db_instance.this.address
}
'''),
)


# --- aws-s3


def _aws_s3_vars(rng: random.Random) -> str:
    return block(f'''
variable "buckets" {{
  description = "Bucket suffixes and their lifecycle in days (0: keep)."
  type        = map(number)
  default = {{
    assets = 0
    logs   = {rng.choice((30, 60, 90))}
    backup = {rng.choice((180, 365))}
  }}
}}

variable "versioning" {{
  type    = bool
  default = true
}}
''')


AWS_S3 = ModuleKind(
    "aws-s3", "aws", _aws_s3_vars,
    block('''
  expiring = { for name, days in var.buckets : name => days if days > 0 }
  bucket_names = { for name, days in var.buckets : name => "${local.name}-${name}" }
'''),
    (
        lambda s, r: block(f'''
resource "aws_kms_key" "this{s}" {{
  description             = "Bucket key of ${{local.name}}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}}
'''),
        lambda s, r: block(f'''
resource "aws_s3_bucket" "this{s}" {{
  for_each = local.bucket_names
  bucket   = each.value
  tags     = merge(local.common_tags, {{ purpose = each.key }})
}}
'''),
        lambda s, r: block(f'''
resource "aws_s3_bucket_versioning" "this{s}" {{
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  versioning_configuration {{
    status = var.versioning ? "Enabled" : "Suspended"
  }}
}}
'''),
        lambda s, r: block(f'''
resource "aws_s3_bucket_server_side_encryption_configuration" "this{s}" {{
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }}
  }}
}}
'''),
        lambda s, r: block(f'''
resource "aws_s3_bucket_public_access_block" "this{s}" {{
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
'''),
        lambda s, r: block(f'''
resource "aws_s3_bucket_lifecycle_configuration" "this{s}" {{
  for_each = local.expiring
  bucket   = aws_s3_bucket.this[each.key].id

  rule {{
    id     = "expire"
    status = "Enabled"

    expiration {{
      days = each.value
    }}
  }}
}}
'''),
    ),
    block('''
output "id" {
  value = aws_kms_key.this.id
}

output "name" {
  value = local.name
}

output "bucket_arns" {
  value = { for k, b in aws_s3_bucket.this : k => b.arn }
}
'''),
)


# --- azure-network


def _azure_network_vars(rng: random.Random) -> str:
    second = rng.randrange(0, 250)
    return block(f'''
variable "address_space" {{
  type    = list(string)
  default = ["10.{second}.0.0/16"]

  validation {{
    condition     = alltrue([for c in var.address_space : can(cidrnetmask(c))])
    error_message = "address_space must hold valid CIDRs."
  }}
}}

variable "subnets" {{
  type = map(object({{
    newbits           = number
    netnum            = number
    service_endpoints = list(string)
  }}))
  default = {{
    aks               = {{ newbits = 4, netnum = 0, service_endpoints = ["Microsoft.KeyVault"] }}
    appgw             = {{ newbits = 8, netnum = 16, service_endpoints = [] }}
    private_endpoints = {{ newbits = 8, netnum = 17, service_endpoints = [] }}
    postgres          = {{ newbits = 8, netnum = 18, service_endpoints = ["Microsoft.Storage"] }}
  }}
}}

variable "allowed_ports" {{
  type    = list(number)
  default = [443, 80]
}}

variable "private_dns_zones" {{
  type    = list(string)
  default = ["privatelink.vaultcore.azure.net", "privatelink.azurecr.io", "privatelink.postgres.database.azure.com"]
}}
''')


AZURE_NETWORK = ModuleKind(
    "azure-network", "azurerm", _azure_network_vars,
    block('''
  subnet_cidrs = {
    for name, s in var.subnets : name => cidrsubnet(var.address_space[0], s.newbits, s.netnum)
  }
  nsg_rules = {
    for i, port in var.allowed_ports : "allow-${port}" => {
      priority = 100 + i * 10
      port     = port
    }
  }
'''),
    (
        lambda s, r: block(f'''
resource "azurerm_virtual_network" "this{s}" {{
  name                = "vnet-${{local.name}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_subnet" "this{s}" {{
  for_each             = var.subnets
  name                 = "snet-${{each.key}}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [local.subnet_cidrs[each.key]]
  service_endpoints    = each.value.service_endpoints
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_network_security_group" "this{s}" {{
  name                = "nsg-${{local.name}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_network_security_rule" "this{s}" {{
  for_each                    = local.nsg_rules
  name                        = each.key
  priority                    = each.value.priority
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(each.value.port)
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.this.name
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_subnet_network_security_group_association" "this{s}" {{
  for_each                  = {{ for k, v in azurerm_subnet.this : k => v if k != "appgw" }}
  subnet_id                 = each.value.id
  network_security_group_id = azurerm_network_security_group.this.id
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_private_dns_zone" "this{s}" {{
  for_each            = toset(var.private_dns_zones)
  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_private_dns_zone_virtual_network_link" "this{s}" {{
  for_each              = azurerm_private_dns_zone.this
  name                  = "link-${{local.name}}"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = each.value.name
  virtual_network_id    = azurerm_virtual_network.this.id
}}
'''),
    ),
    block('''
output "id" {
  value = azurerm_virtual_network.this.id
}

output "name" {
  value = azurerm_virtual_network.this.name
}

output "subnet_ids" {
  value = { for k, s in azurerm_subnet.this : k => s.id }
}

output "private_dns_zone_ids" {
  value = { for k, z in azurerm_private_dns_zone.this : k => z.id }
}
'''),
)


# --- azure-aks


def _azure_aks_vars(rng: random.Random) -> str:
    return block(f'''
variable "kubernetes_version" {{
  type    = string
  default = "{rng.choice(("1.30", "1.31", "1.32"))}"
}}

variable "subnet_id" {{
  type    = string
  default = null
}}

variable "system_vm_size" {{
  type    = string
  default = "Standard_D4s_v5"
}}

variable "node_pools" {{
  description = "User node pools by name."
  type = map(object({{
    vm_size   = string
    min_count = number
    max_count = number
    zones     = list(string)
  }}))
  default = {{
    apps  = {{ vm_size = "Standard_D8s_v5", min_count = 2, max_count = {rng.randrange(5, 30)}, zones = ["1", "2", "3"] }}
    batch = {{ vm_size = "Standard_F8s_v2", min_count = 0, max_count = 10, zones = ["1"] }}
  }}

  validation {{
    condition     = alltrue([for p in values(var.node_pools) : p.min_count <= p.max_count])
    error_message = "min_count must not exceed max_count."
  }}
}}

variable "private_cluster_enabled" {{
  type    = bool
  default = false
}}

variable "log_analytics_workspace_id" {{
  type    = string
  default = null
}}
''')


AZURE_AKS = ModuleKind(
    "azure-aks", "azurerm", _azure_aks_vars,
    block('''
  system_count = local.is_prod ? 3 : 1
  pools = {
    for name, p in var.node_pools : name => merge(p, {
      max_count = local.is_prod ? p.max_count : min(p.max_count, 5)
    })
  }
'''),
    (
        lambda s, r: block(f'''
resource "azurerm_user_assigned_identity" "aks{s}" {{
  name                = "id-aks-${{local.name}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_log_analytics_workspace" "this{s}" {{
  name                = "log-${{local.name}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = local.is_prod ? 90 : 30
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_kubernetes_cluster" "this{s}" {{
  name                    = "aks-${{local.name}}"
  location                = var.location
  resource_group_name     = var.resource_group_name
  dns_prefix              = "aks-${{local.name}}"
  kubernetes_version      = var.kubernetes_version
  private_cluster_enabled = var.private_cluster_enabled
  sku_tier                = local.is_prod ? "Standard" : "Free"

  default_node_pool {{
    name           = "system"
    vm_size        = var.system_vm_size
    node_count     = local.system_count
    vnet_subnet_id = var.subnet_id
    zones          = local.is_prod ? ["1", "2", "3"] : null
  }}

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }}

  network_profile {{
    network_plugin    = "azure"
    network_policy    = "{r.choice(("calico", "azure", "cilium"))}"
    load_balancer_sku = "standard"
  }}

  oms_agent {{
    log_analytics_workspace_id = coalesce(var.log_analytics_workspace_id, azurerm_log_analytics_workspace.this.id)
  }}

  tags = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_kubernetes_cluster_node_pool" "this{s}" {{
  for_each              = local.pools
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  vm_size               = each.value.vm_size
  auto_scaling_enabled  = true
  min_count             = each.value.min_count
  max_count             = each.value.max_count
  zones                 = each.value.zones
  vnet_subnet_id        = var.subnet_id
  node_labels           = {{ workload = each.key }}
  tags                  = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_role_assignment" "network{s}" {{
  scope                = var.subnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_monitor_diagnostic_setting" "aks{s}" {{
  name                       = "diag-aks"
  target_resource_id         = azurerm_kubernetes_cluster.this.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  dynamic "enabled_log" {{
    for_each = toset(["kube-apiserver", "kube-audit-admin", "guard"])
    content {{
      category = enabled_log.value
    }}
  }}
}}
'''),
    ),
    block('''
output "id" {
  value = azurerm_kubernetes_cluster.this.id
}

output "name" {
  value = azurerm_kubernetes_cluster.this.name
}

output "kubelet_identity" {
  value = azurerm_kubernetes_cluster.this.kubelet_identity
}
'''),
)


# --- azure-postgres


def _azure_pg_vars(rng: random.Random) -> str:
    return block(f'''
variable "postgres_version" {{
  type    = string
  default = "{rng.choice(("14", "15", "16"))}"
}}

variable "storage_mb" {{
  type    = number
  default = {rng.choice((32768, 65536, 131072))}

  validation {{
    condition     = contains([32768, 65536, 131072, 262144, 524288], var.storage_mb)
    error_message = "storage_mb must be one of the sizes Azure offers."
  }}
}}

variable "delegated_subnet_id" {{
  type    = string
  default = null
}}

variable "private_dns_zone_id" {{
  type    = string
  default = null
}}

variable "databases" {{
  type    = list(string)
  default = ["app", "audit", "reporting"]
}}

variable "server_parameters" {{
  type = map(string)
  default = {{
    require_secure_transport = "on"
    log_min_duration_statement = "{rng.choice((250, 500, 1000))}"
  }}
}}
''')


AZURE_POSTGRES = ModuleKind(
    "azure-postgres", "azurerm", _azure_pg_vars,
    block('''
  sku_name   = local.is_prod ? "GP_Standard_D4ds_v5" : "B_Standard_B2s"
  db_names   = toset([for d in var.databases : lower(d)])
  ha_enabled = local.is_prod
'''),
    (
        lambda s, r: block(f'''
resource "azurerm_postgresql_flexible_server" "this{s}" {{
  name                          = "psql-${{local.name}}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  version                       = var.postgres_version
  sku_name                      = local.sku_name
  storage_mb                    = var.storage_mb
  backup_retention_days         = local.is_prod ? 35 : 7
  geo_redundant_backup_enabled  = local.is_prod
  delegated_subnet_id           = var.delegated_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = false
  zone                          = "1"

  dynamic "high_availability" {{
    for_each = local.ha_enabled ? [1] : []
    content {{
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }}
  }}

  authentication {{
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }}

  tags = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_postgresql_flexible_server_database" "this{s}" {{
  for_each  = local.db_names
  name      = each.value
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_postgresql_flexible_server_configuration" "this{s}" {{
  for_each  = var.server_parameters
  name      = each.key
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = each.value
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_monitor_metric_alert" "cpu{s}" {{
  name                = "alert-${{local.name}}-psql-cpu"
  resource_group_name = var.resource_group_name
  scopes              = [azurerm_postgresql_flexible_server.this.id]
  severity            = local.is_prod ? 1 : 3

  criteria {{
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "cpu_percent"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = {r.choice((75, 80, 90))}
  }}
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "this{s}" {{
  server_name         = azurerm_postgresql_flexible_server.this.name
  resource_group_name = var.resource_group_name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  object_id           = "11111111-1111-1111-1111-111111111111"
  principal_name      = "grp-${{local.name}}-dba"
  principal_type      = "Group"
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_management_lock" "psql{s}" {{
  count      = local.is_prod ? 1 : 0
  name       = "lock-psql"
  scope      = azurerm_postgresql_flexible_server.this.id
  lock_level = "CanNotDelete"
  notes      = "Production database"
}}
'''),
    ),
    block('''
output "id" {
  value = azurerm_postgresql_flexible_server.this.id
}

output "name" {
  value = azurerm_postgresql_flexible_server.this.name
}

output "fqdn" {
  value = azurerm_postgresql_flexible_server.this.fqdn
}
'''),
)


# --- azure-data (cache, messaging, secrets, storage)


def _azure_data_vars(rng: random.Random) -> str:
    return block(f'''
variable "topics" {{
  type = map(list(string))
  default = {{
    "order-created"   = ["billing", "shipping"]
    "payment-settled" = ["ledger"]
  }}
}}

variable "redis_capacity" {{
  type    = number
  default = {rng.choice((1, 2, 3))}

  validation {{
    condition     = var.redis_capacity >= 0 && var.redis_capacity <= 6
    error_message = "redis_capacity: 0 to 6."
  }}
}}

variable "tenant_id" {{
  type    = string
  default = "00000000-0000-0000-0000-000000000000"
}}

variable "private_endpoint_subnet_id" {{
  type    = string
  default = null
}}
''')


AZURE_DATA = ModuleKind(
    "azure-data", "azurerm", _azure_data_vars,
    block('''
  compact_name  = replace(local.name, "-", "")
  subscriptions = merge([
    for topic, subs in var.topics : { for sub in subs : "${topic}/${sub}" => { topic = topic, name = sub } }
  ]...)
  endpoints = {
    vault = { id = azurerm_key_vault.this.id, group = "vault" }
    redis = { id = azurerm_redis_cache.this.id, group = "redisCache" }
  }
'''),
    (
        lambda s, r: block(f'''
resource "azurerm_key_vault" "this{s}" {{
  name                       = "kv-${{local.compact_name}}"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  tenant_id                  = var.tenant_id
  sku_name                   = "standard"
  purge_protection_enabled   = local.is_prod
  soft_delete_retention_days = 30
  enable_rbac_authorization  = true
  tags                       = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_redis_cache" "this{s}" {{
  name                 = "redis-${{local.name}}"
  location             = var.location
  resource_group_name  = var.resource_group_name
  capacity             = var.redis_capacity
  family               = local.is_prod ? "P" : "C"
  sku_name             = local.is_prod ? "Premium" : "Standard"
  minimum_tls_version  = "1.2"
  non_ssl_port_enabled = false
  tags                 = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_servicebus_namespace" "this{s}" {{
  name                = "sb-${{local.name}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = local.is_prod ? "Premium" : "Standard"
  tags                = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_servicebus_topic" "this{s}" {{
  for_each     = var.topics
  name         = each.key
  namespace_id = azurerm_servicebus_namespace.this.id
}}

resource "azurerm_servicebus_subscription" "this{s}" {{
  for_each           = local.subscriptions
  name               = each.value.name
  topic_id           = azurerm_servicebus_topic.this[each.value.topic].id
  max_delivery_count = {r.choice((5, 10))}
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_storage_account" "this{s}" {{
  name                     = substr("st${{local.compact_name}}", 0, 24)
  location                 = var.location
  resource_group_name      = var.resource_group_name
  account_tier             = "Standard"
  account_replication_type = local.is_prod ? "GZRS" : "LRS"
  min_tls_version          = "TLS1_2"
  tags                     = local.common_tags
}}
'''),
        lambda s, r: block(f'''
resource "azurerm_private_endpoint" "this{s}" {{
  for_each            = var.private_endpoint_subnet_id == null ? {{}} : local.endpoints
  name                = "pe-${{local.name}}-${{each.key}}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id

  private_service_connection {{
    name                           = "psc-${{each.key}}"
    private_connection_resource_id = each.value.id
    subresource_names              = [each.value.group]
    is_manual_connection           = false
  }}
}}
'''),
    ),
    block('''
output "id" {
  value = azurerm_key_vault.this.id
}

output "name" {
  value = azurerm_key_vault.this.name
}

output "redis_hostname" {
  value = azurerm_redis_cache.this.hostname
}

output "servicebus_endpoint" {
  value = azurerm_servicebus_namespace.this.endpoint
}
'''),
)

MODULE_KINDS: tuple[ModuleKind, ...] = (AWS_NETWORK, AZURE_NETWORK, AWS_EKS, AZURE_AKS, AWS_RDS, AZURE_POSTGRES,
                                        AWS_S3, AZURE_DATA)


def module_kind(index: int) -> ModuleKind:
    """Module `index` belongs to kinds in turn, so every kind appears at every scale."""
    return MODULE_KINDS[index % len(MODULE_KINDS)]


def module_dir(index: int) -> str:
    """Folder name of module `index`, e.g. `m017-aws-eks`."""
    return f"m{index:03d}-{module_kind(index).name}"


def module_files(params: Params, index: int) -> dict[str, str]:
    """The files of one reusable module."""
    kind = module_kind(index)
    rng = rng_for(params, "module", index)
    resources: list[str] = []
    for n in range(params.resources_per_module):
        make = kind.resources[n % len(kind.resources)]
        suffix = "" if n < len(kind.resources) else f"_{n // len(kind.resources) + 1}"
        resources.append(make(suffix, rng))
    provider = "hashicorp/aws" if kind.cloud == "aws" else "hashicorp/azurerm"
    version = "~> 5.60" if kind.cloud == "aws" else "~> 4.10"
    return {
        "main.tf": f"# {module_dir(index)}: {kind.name} building block.\n\n" + "\n".join(resources),
        "variables.tf": common_variables(kind.cloud) + "\n" + kind.variables(rng),
        "locals.tf": common_locals(kind.name, kind.locals_),
        "outputs.tf": kind.outputs,
        "versions.tf": block(f'''
terraform {{
  required_version = ">= 1.6"

  required_providers {{
    {kind.cloud} = {{
      source  = "{provider}"
      version = "{version}"
    }}
  }}
}}
'''),
        "README.md": f"# {module_dir(index)}\n\nA `{kind.name}` module. Inputs in `variables.tf`, outputs in `outputs.tf`.\n",
    }


# ----------------------------------------------------------------------------------------------- Terraform roots


def stacks(params: Params) -> int:
    """Number of stacks: one root per environment in each."""
    return max(1, math.ceil(params.tf_roots / len(ENVS)))


def stack_cloud(stack: int) -> str:
    """Even stacks run on AWS, odd ones on Azure."""
    return "aws" if stack % 2 == 0 else "azurerm"


def stack_modules(params: Params, stack: int) -> list[int]:
    """Modules of the stack's cloud, split evenly over the stacks of that cloud (every module is used)."""
    cloud = stack_cloud(stack)
    pool = [i for i in range(params.tf_modules) if module_kind(i).cloud == cloud]
    peers = [s for s in range(stacks(params)) if stack_cloud(s) == cloud]
    share = math.ceil(len(pool) / len(peers)) if peers else 0
    k = peers.index(stack)
    return pool[k * share:(k + 1) * share]


def module_call(index: int, cloud: str, previous: str | None, optional: bool) -> str:
    """One `module` block of a root; `previous` is the label of an earlier call to depend on."""
    kind = module_kind(index)
    label = f"m{index:03d}_{kind.name.replace('-', '_')}"
    lines = [f'module "{label}" {{', f'  source = "../../../modules/{module_dir(index)}"']
    if optional:
        lines.append('  count  = var.enable_optional ? 1 : 0')
    lines += ["", "  name_prefix = local.name_prefix", "  environment = var.environment", "  tags        = local.common_tags"]
    if cloud == "aws":
        lines.append("  region      = var.region")
    else:
        lines += ["  location            = azurerm_resource_group.this.location",
                  "  resource_group_name = azurerm_resource_group.this.name"]
    if kind.name == "aws-network":
        lines.append(f"  cidr_block  = cidrsubnet(var.vpc_cidr, 4, {index % 16})")
    elif kind.name == "azure-network":
        lines.append(f"  address_space = [cidrsubnet(var.vnet_cidr, 4, {index % 16})]")
    elif kind.name in ("aws-eks", "azure-aks"):
        lines.append("  node_pools  = var.node_pools" if kind.name == "azure-aks" else "  node_groups = var.node_groups")
    if previous is not None:
        lines.append(f"  upstream_id = module.{previous}.id")
    lines.append("}")
    return "\n".join(lines) + "\n"


def root_files(params: Params, root: int) -> tuple[str, dict[str, str]]:
    """(folder, files) of one root module: one environment of one stack."""
    stack, env = divmod(root, len(ENVS))
    env_name = ENVS[env]
    cloud = stack_cloud(stack)
    rng = rng_for(params, "root", root)
    modules = stack_modules(params, stack)
    calls: list[str] = []
    previous: str | None = None
    for n, index in enumerate(modules):
        optional = n % 5 == 4
        calls.append(module_call(index, cloud, previous, optional))
        if not optional:
            previous = f"m{index:03d}_{module_kind(index).name.replace('-', '_')}"
    region = rng.choice(AWS_REGIONS if cloud == "aws" else AZURE_REGIONS)
    folder = f"terraform/live/stack-{stack:03d}/{env_name}"
    header = "" if cloud == "aws" else block('''
resource "azurerm_resource_group" "this" {
  name     = "rg-${local.name_prefix}"
  location = var.location
  tags     = local.common_tags
}
''') + "\n"
    outputs = "\n".join(
        f'output "m{i:03d}_id" {{\n  value = ' + (f"one(module.m{i:03d}_{module_kind(i).name.replace('-', '_')}[*].id)"
                                                 if n % 5 == 4 else f"module.m{i:03d}_{module_kind(i).name.replace('-', '_')}.id")
        + "\n}\n" for n, i in enumerate(modules))
    return folder, {
        "main.tf": header + "\n".join(calls),
        "variables.tf": root_variables(cloud),
        "locals.tf": block(f'''
locals {{
  name_prefix = format("%s-s%03d", var.project, {stack})
  common_tags = merge(var.tags, {{
    project     = var.project
    stack       = "stack-{stack:03d}"
    environment = var.environment
    managed_by  = "terraform"
  }})
  owners = {{ for team in var.owner_teams : team => upper(team) }}
}}
'''),
        "outputs.tf": outputs,
        "providers.tf": root_providers(cloud),
        "versions.tf": root_versions(cloud, stack, env_name),
        "terraform.tfvars": root_tfvars(cloud, env_name, region, rng),
        ".terraform.lock.hcl": block(f'''
# This file is maintained automatically by "terraform init".
provider "registry.terraform.io/hashicorp/{cloud}" {{
  version     = "{'5.61.0' if cloud == 'aws' else '4.12.0'}"
  constraints = "{'~> 5.60' if cloud == 'aws' else '~> 4.10'}"
}}
'''),
    }


def root_variables(cloud: str) -> str:
    """Variables of a root module."""
    place = ('variable "region" {\n  type = string\n}\n\nvariable "vpc_cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n\n'
             'variable "node_groups" {\n  type = map(object({\n    instance_types = list(string)\n    min_size       = number\n'
             '    max_size       = number\n    desired_size   = number\n  }))\n}\n'
             if cloud == "aws" else
             'variable "location" {\n  type = string\n}\n\nvariable "vnet_cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n\n'
             'variable "node_pools" {\n  type = map(object({\n    vm_size   = string\n    min_count = number\n'
             '    max_count = number\n    zones     = list(string)\n  }))\n}\n')
    return block(f'''
variable "project" {{
  type    = string
  default = "bench"
}}

variable "environment" {{
  type = string

  validation {{
    condition     = contains(["dev", "stg", "prod", "dr"], var.environment)
    error_message = "environment must be one of dev, stg, prod, dr."
  }}
}}

variable "enable_optional" {{
  description = "Deploy the optional building blocks (count = 0 when false)."
  type        = bool
  default     = false
}}

variable "owner_teams" {{
  type    = list(string)
  default = ["platform"]
}}

variable "tags" {{
  type    = map(string)
  default = {{}}
}}

{place}''')


def root_providers(cloud: str) -> str:
    """providers.tf of a root."""
    if cloud == "aws":
        return block('''
provider "aws" {
  region = var.region

  default_tags {
    tags = local.common_tags
  }
}
''')
    return block('''
provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
  }
}
''')


def root_versions(cloud: str, stack: int, env: str) -> str:
    """versions.tf of a root: required providers and the state backend."""
    backend = (f'backend "s3" {{\n    bucket = "bench-tfstate"\n    key    = "stack-{stack:03d}/{env}.tfstate"\n'
               f'    region = "eu-west-1"\n  }}' if cloud == "aws" else
               f'backend "azurerm" {{\n    resource_group_name  = "rg-tfstate"\n    storage_account_name = "stbenchtfstate"\n'
               f'    container_name       = "tfstate"\n    key                  = "stack-{stack:03d}/{env}.tfstate"\n  }}')
    source, version = ("hashicorp/aws", "~> 5.60") if cloud == "aws" else ("hashicorp/azurerm", "~> 4.10")
    return block(f'''
terraform {{
  required_version = ">= 1.6"

  required_providers {{
    {cloud} = {{
      source  = "{source}"
      version = "{version}"
    }}
  }}

  {backend}
}}
''')


def root_tfvars(cloud: str, env: str, region: str, rng: random.Random) -> str:
    """terraform.tfvars of a root: per-environment sizes, region and tags."""
    prod = env in ("prod", "dr")
    if cloud == "aws":
        place = (f'region   = "{region}"\nvpc_cidr = "10.{rng.randrange(0, 250)}.0.0/16"\n\nnode_groups = {{\n'
                 f'  system = {{ instance_types = ["m6i.large"], min_size = 2, max_size = 3, desired_size = 2 }}\n'
                 f'  apps   = {{ instance_types = ["{"m6i.2xlarge" if prod else "m6i.large"}"], min_size = {3 if prod else 1}, '
                 f'max_size = {rng.randrange(10, 40) if prod else 4}, desired_size = {3 if prod else 1} }}\n}}\n')
    else:
        place = (f'location  = "{region}"\nvnet_cidr = "10.{rng.randrange(0, 250)}.0.0/16"\n\nnode_pools = {{\n'
                 f'  apps = {{ vm_size = "{"Standard_D8s_v5" if prod else "Standard_D4s_v5"}", min_count = {3 if prod else 1}, '
                 f'max_count = {rng.randrange(10, 40) if prod else 4}, zones = {hcl_list(["1", "2", "3"] if prod else ["1"])} }}\n}}\n')
    return (f'environment     = "{env}"\nenable_optional = {"true" if prod else "false"}\n'
            f'owner_teams     = {hcl_list(sorted(rng.sample(TEAMS, 2)))}\n\n{place}\n'
            f'tags = {{\n  cost_center = "cc-{rng.randrange(1000, 9999)}"\n  criticality = "{"high" if prod else "low"}"\n}}\n')


# ----------------------------------------------------------------------------------------------- Kubernetes


def runtime_of(index: int) -> str:
    """The language of service `index` (java, python, node, go in turn)."""
    return ("java", "python", "node", "go")[index % 4]


def deployment(name: str, image: str, rng: random.Random, namespace: str | None = None) -> str:
    """A Deployment with probes, resources, env from a ConfigMap and a restricted security context."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    cpu = rng.choice((100, 200, 250, 500))
    mem = rng.choice((128, 256, 512, 1024))
    return block(f'''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}{ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/component: backend
spec:
  replicas: {rng.choice((1, 2, 3))}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
        app.kubernetes.io/component: backend
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {name}
          image: {image}
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: {name}-config
          env:
            - name: SERVICE_NAME
              value: {name}
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          resources:
            requests:
              cpu: {cpu}m
              memory: {mem}Mi
            limits:
              cpu: {cpu * 4}m
              memory: {mem * 2}Mi
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            failureThreshold: 30
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
''')


def service(name: str, namespace: str | None = None) -> str:
    """A ClusterIP Service in front of the Deployment of the same name."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return block(f'''
apiVersion: v1
kind: Service
metadata:
  name: {name}{ns}
  labels:
    app.kubernetes.io/name: {name}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
''')


def configmap(name: str, rng: random.Random) -> str:
    """The ConfigMap the Deployment reads its environment from."""
    return block(f'''
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
data:
  LOG_LEVEL: {rng.choice(("INFO", "DEBUG", "WARN"))}
  LOG_FORMAT: json
  HTTP_PORT: "8080"
  DB_HOST: {name}-db.internal
  CACHE_TTL_SECONDS: "{rng.choice((30, 60, 300))}"
  FEATURE_FLAGS: "checkout-v2,search-rerank"
''')


def ingress(name: str, host: str) -> str:
    """An nginx Ingress with TLS from cert-manager."""
    return block(f'''
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
    - hosts: [{host}]
      secretName: {name}-tls
  rules:
    - host: {host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port:
                  name: http
''')


def hpa(name: str, rng: random.Random, min_replicas: int = 2) -> str:
    """An autoscaling/v2 HPA on CPU utilisation."""
    return block(f'''
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: {min_replicas}
  maxReplicas: {rng.choice((6, 10, 20))}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {rng.choice((60, 70, 80))}
''')


def kustomize_app(params: Params, index: int) -> dict[str, str]:
    """A kustomize application: base and one overlay per K8S_ENVS, paths relative to k8s/<app>/."""
    name = app_name(index)
    rng = rng_for(params, "app", index)
    files = {
        "base/deployment.yaml": deployment(name, f"registry.example.com/{name}", rng),
        "base/service.yaml": service(name),
        "base/configmap.yaml": configmap(name, rng),
        "base/serviceaccount.yaml": block(f'''
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  annotations:
    azure.workload.identity/client-id: "00000000-0000-0000-0000-{index:012d}"
'''),
        "base/ingress.yaml": ingress(name, f"{name}.example.com"),
        "base/hpa.yaml": hpa(name, rng),
        "base/pdb.yaml": block(f'''
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
'''),
        "base/kustomization.yaml": block(f'''
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

labels:
  - pairs:
      app.kubernetes.io/part-of: {name}
    includeSelectors: false
    includeTemplates: true

resources:
  - serviceaccount.yaml
  - configmap.yaml
  - deployment.yaml
  - service.yaml
  - ingress.yaml
  - hpa.yaml
  - pdb.yaml
'''),
    }
    for env in K8S_ENVS:
        files.update(overlay_files(name, env, index, rng))
    return files


def overlay_files(name: str, env: str, index: int, rng: random.Random) -> dict[str, str]:
    """One overlay: namespace, image, replicas, a resources patch and an ingress host patch (prod: an HPA patch)."""
    prod = env == "prod"
    team = TEAMS[index % len(TEAMS)]
    tag = hashlib.sha1(f"{name}:{env}".encode()).hexdigest()
    patches = ["  - path: patches/resources.yaml"]
    files = {
        f"overlays/{env}/patches/resources.yaml": block(f'''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: {name}
          resources:
            requests:
              cpu: {500 if prod else 100}m
              memory: {1024 if prod else 256}Mi
            limits:
              memory: {2048 if prod else 512}Mi
'''),
    }
    if prod:
        patches.append("  - path: patches/hpa.yaml")
        files[f"overlays/{env}/patches/hpa.yaml"] = block(f'''
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  minReplicas: 3
  maxReplicas: {rng.choice((20, 30, 50))}
''')
    files[f"overlays/{env}/kustomization.yaml"] = block(f'''
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

namespace: {team}-{env}

commonLabels:
  environment: {env}

resources:
  - ../../base

images:
  - name: registry.example.com/{name}
    newName: acrbench{env}.azurecr.io/{name}
    newTag: {tag}

replicas:
  - name: {name}
    count: {3 if prod else 1}

patches:
{chr(10).join(patches)}
  - target:
      group: networking.k8s.io
      version: v1
      kind: Ingress
      name: {name}
    patch: |-
      - op: replace
        path: /spec/rules/0/host
        value: {name}.{env}.example.com
''')
    return files


def plain_manifest(params: Params, folder: int, n: int) -> str:
    """One multi-document file of a plain manifests folder: a workload and what goes with it."""
    rng = rng_for(params, "manifest", folder * 1000 + n)
    team = TEAMS[folder % len(TEAMS)]
    name = f"{team}-{WORDS[n % len(WORDS)]}-{folder:03d}-{n:02d}"
    namespace = f"{team}-{folder:03d}"
    shape = n % 4
    if shape == 0:
        return deployment(name, f"registry.example.com/{team}/{name}:1.{n}.0", rng, namespace) + "---\n" + service(name, namespace)
    if shape == 1:
        return block(f'''
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}
  namespace: {namespace}
spec:
  serviceName: {name}
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      containers:
        - name: redis
          image: redis:7.2-alpine
          ports:
            - containerPort: 6379
          resources:
            requests: {{cpu: 100m, memory: 256Mi}}
            limits: {{memory: 512Mi}}
          readinessProbe:
            tcpSocket: {{port: 6379}}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: {rng.choice((5, 10, 20))}Gi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - port: 6379
''')
    if shape == 2:
        return block(f'''
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
  namespace: {namespace}
spec:
  schedule: "{rng.randrange(0, 60)} {rng.randrange(0, 24)} * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/{team}/{name}-job:2.{n}.1
              args: ["--since", "24h"]
              resources:
                requests: {{cpu: 50m, memory: 64Mi}}
''')
    return configmap(name, rng).replace(f"name: {name}-config", f"name: {name}-config\n  namespace: {namespace}") + "---\n" + block(f'''
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}-default-deny
  namespace: {namespace}
spec:
  podSelector: {{}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
''')


# ----------------------------------------------------------------------------------------------- Helm


HELPERS = '''{{- define "CHART.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "CHART.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "CHART.selectorLabels" -}}
app.kubernetes.io/name: {{ include "CHART.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "CHART.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "CHART.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
'''

DEPLOYMENT_TPL = '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "CHART.fullname" . }}
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "CHART.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "CHART.selectorLabels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "CHART.fullname" . }}
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.targetPort }}
          envFrom:
            - configMapRef:
                name: {{ include "CHART.fullname" . }}
          {{- with .Values.livenessProbe }}
          livenessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
'''

SERVICE_TPL = '''apiVersion: v1
kind: Service
metadata:
  name: {{ include "CHART.fullname" . }}
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
      name: http
  selector:
    {{- include "CHART.selectorLabels" . | nindent 4 }}
'''

INGRESS_TPL = '''{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "CHART.fullname" . }}
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
spec:
  ingressClassName: {{ .Values.ingress.className }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "CHART.fullname" $ }}
                port:
                  number: {{ $.Values.service.port }}
    {{- end }}
{{- end }}
'''

HPA_TPL = '''{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "CHART.fullname" . }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "CHART.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
'''

CONFIGMAP_TPL = '''apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "CHART.fullname" . }}
data:
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
'''

SERVICEACCOUNT_TPL = '''apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "CHART.fullname" . }}
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
'''


def chart_files(params: Params, index: int) -> dict[str, str]:
    """A helm-create-like chart with values.yaml and values-<env>.yaml, paths relative to charts/<chart>/."""
    name = f"{WORDS[(index * 7) % len(WORDS)]}-chart-{index:03d}"
    rng = rng_for(params, "chart", index)
    cpu = rng.choice((100, 250, 500))
    files = {
        "Chart.yaml": block(f'''
apiVersion: v2
name: {name}
description: Helm chart of the {name} service
type: application
version: 0.{index % 10}.{rng.randrange(0, 20)}
appVersion: "1.{rng.randrange(0, 30)}.{rng.randrange(0, 10)}"
'''),
        "values.yaml": block(f'''
replicaCount: 1

image:
  repository: registry.example.com/{name}
  pullPolicy: IfNotPresent
  tag: ""

service:
  type: ClusterIP
  port: 80
  targetPort: 8080

ingress:
  enabled: false
  className: nginx
  hosts:
    - host: {name}.local

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 5
  targetCPUUtilizationPercentage: 80

livenessProbe:
  httpGet:
    path: /healthz
    port: http
readinessProbe:
  httpGet:
    path: /ready
    port: http

resources:
  requests:
    cpu: {cpu}m
    memory: 256Mi
  limits:
    memory: 512Mi

config:
  LOG_LEVEL: INFO
  HTTP_PORT: "8080"
'''),
        "templates/_helpers.tpl": HELPERS.replace("CHART", name),
        "templates/deployment.yaml": DEPLOYMENT_TPL.replace("CHART", name),
        "templates/service.yaml": SERVICE_TPL.replace("CHART", name),
        "templates/ingress.yaml": INGRESS_TPL.replace("CHART", name),
        "templates/hpa.yaml": HPA_TPL.replace("CHART", name),
        "templates/configmap.yaml": CONFIGMAP_TPL.replace("CHART", name),
        "templates/serviceaccount.yaml": SERVICEACCOUNT_TPL.replace("CHART", name),
        "templates/NOTES.txt": f"{name} installed as {{{{ .Release.Name }}}}.\n",
        ".helmignore": ".git/\n*.swp\n",
    }
    for env in K8S_ENVS:
        prod = env == "prod"
        files[f"values-{env}.yaml"] = block(f'''
image:
  repository: acrbench{env}.azurecr.io/{name}
  tag: "{hashlib.sha1(f"{name}:{env}".encode()).hexdigest()[:12]}"

ingress:
  enabled: {"true" if env != "dev" else "false"}
  hosts:
    - host: {name}.{env}.example.com

autoscaling:
  enabled: {"true" if prod else "false"}
  minReplicas: {3 if prod else 1}
  maxReplicas: {rng.choice((10, 20)) if prod else 3}
  targetCPUUtilizationPercentage: 70

resources:
  requests:
    cpu: {cpu * (4 if prod else 1)}m
    memory: {1024 if prod else 256}Mi

config:
  LOG_LEVEL: {"WARN" if prod else "DEBUG"}
  ENVIRONMENT: {env}
''')
    return files


# ----------------------------------------------------------------------------------------------- CI and Dockerfiles


def github_workflow(params: Params, index: int) -> tuple[str, str]:
    """(file name, text): application workflows, every fourth one a Terraform workflow."""
    rng = rng_for(params, "gh", index)
    if index % 4 == 3:
        stack = index % stacks(params)
        return f"terraform-stack-{stack:03d}-{index:03d}.yml", block(f'''
name: terraform stack-{stack:03d}

on:
  pull_request:
    paths: ["terraform/live/stack-{stack:03d}/**", "terraform/modules/**"]
  push:
    branches: [main]
    paths: ["terraform/live/stack-{stack:03d}/**"]

permissions:
  id-token: write
  contents: read

jobs:
  plan:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        env: [dev, stg, prod, dr]
    defaults:
      run:
        working-directory: terraform/live/stack-{stack:03d}/${{{{ matrix.env }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
        with:
          terraform_version: 1.9.{rng.randrange(0, 8)}
      - run: terraform init -input=false
      - run: terraform validate
      - run: terraform plan -input=false -out=tfplan
  apply:
    needs: plan
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
      - run: terraform -chdir=terraform/live/stack-{stack:03d}/prod init -input=false
      - run: terraform -chdir=terraform/live/stack-{stack:03d}/prod apply -auto-approve -input=false
''')
    name = app_name(index)
    runtime = runtime_of(index)
    setup = {"java": "actions/setup-java@v4", "python": "actions/setup-python@v5",
             "node": "actions/setup-node@v4", "go": "actions/setup-go@v5"}[runtime]
    test = {"java": "./gradlew test --no-daemon", "python": "pytest -q", "node": "npm ci && npm test",
            "go": "go test ./..."}[runtime]
    return f"{name}.yml", block(f'''
name: {name}

on:
  push:
    branches: [main]
    paths: ["services/{name}/**", "k8s/{name}/**"]
  pull_request:
    paths: ["services/{name}/**"]

env:
  REGISTRY: acrbenchdev.azurecr.io
  IMAGE: {name}

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: {setup}
      - name: Test
        working-directory: services/{name}
        run: {test}
  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: azure/login@v2
        with:
          client-id: ${{{{ secrets.AZURE_CLIENT_ID }}}}
          tenant-id: ${{{{ secrets.AZURE_TENANT_ID }}}}
          subscription-id: ${{{{ secrets.AZURE_SUBSCRIPTION_ID }}}}
      - run: az acr login --name acrbenchdev
      - uses: docker/build-push-action@v6
        with:
          context: services/{name}
          push: true
          tags: ${{{{ env.REGISTRY }}}}/${{{{ env.IMAGE }}}}:${{{{ github.sha }}}}
      - uses: aquasecurity/trivy-action@0.24.0
        with:
          image-ref: ${{{{ env.REGISTRY }}}}/${{{{ env.IMAGE }}}}:${{{{ github.sha }}}}
          exit-code: "1"
          severity: CRITICAL,HIGH
  deploy-dev:
    needs: build
    runs-on: ubuntu-latest
    environment: dev
    steps:
      - uses: actions/checkout@v4
      - name: Bump image
        working-directory: k8s/{name}/overlays/dev
        run: kustomize edit set image registry.example.com/{name}=${{{{ env.REGISTRY }}}}/{name}:${{{{ github.sha }}}}
      - run: kubectl apply -k k8s/{name}/overlays/dev
''')


def gitlab_root(params: Params) -> str:
    """The root .gitlab-ci.yml: stages, defaults and the includes."""
    includes = "\n".join(f"  - local: ci/{TEAMS[i % len(TEAMS)]}-{i:03d}.gitlab-ci.yml" for i in range(params.gitlab_files))
    return block(f'''
stages: [lint, test, build, deploy]

default:
  image: alpine:3.20
  tags: [docker]

variables:
  REGISTRY: registry.gitlab.example.com/bench
  DOCKER_TLS_CERTDIR: "/certs"

include:
{includes}

yamllint:
  stage: lint
  image: cytopia/yamllint:1.35
  script:
    - yamllint k8s manifests charts

tflint:
  stage: lint
  image: ghcr.io/terraform-linters/tflint:v0.53.0
  script:
    - tflint --recursive terraform/modules
''')


def gitlab_file(params: Params, index: int) -> tuple[str, str]:
    """(file name, text) of one included GitLab CI file: build, push and Helm deploy of one chart."""
    rng = rng_for(params, "gitlab", index)
    team = TEAMS[index % len(TEAMS)]
    chart = f"{WORDS[(index * 7) % len(WORDS)]}-chart-{index:03d}"
    return f"{team}-{index:03d}.gitlab-ci.yml", block(f'''
.{team}-{index:03d}-rules:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      changes: ["charts/{chart}/**", "services/**"]

{team}-{index:03d}-test:
  stage: test
  image: python:3.12-slim
  extends: .{team}-{index:03d}-rules
  script:
    - pip install -r requirements-dev.txt
    - pytest -q tests/{team}

{team}-{index:03d}-build:
  stage: build
  image: docker:27
  services: [docker:27-dind]
  extends: .{team}-{index:03d}-rules
  script:
    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"
    - docker build -t "$REGISTRY/{chart}:$CI_COMMIT_SHA" services/{app_name(index)}
    - docker push "$REGISTRY/{chart}:$CI_COMMIT_SHA"

{team}-{index:03d}-deploy:
  stage: deploy
  image: alpine/helm:3.15.{rng.randrange(0, 5)}
  needs: ["{team}-{index:03d}-build"]
  environment:
    name: prod
  when: manual
  script:
    - helm upgrade --install {chart} charts/{chart} -f charts/{chart}/values-prod.yaml --set image.tag=$CI_COMMIT_SHA
''')


def dockerfile(index: int) -> str:
    """A multi-stage Dockerfile in the style of the service's runtime."""
    name = app_name(index)
    runtime = runtime_of(index)
    if runtime == "java":
        return block(f'''
# {name} (Spring Boot, Java 21)
FROM gradle:8.10-jdk21 AS build
WORKDIR /workspace
COPY settings.gradle build.gradle ./
RUN gradle dependencies --no-daemon > /dev/null
COPY src ./src
RUN gradle bootJar --no-daemon -x test

FROM eclipse-temurin:21-jre-alpine
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
WORKDIR /app
COPY --from=build /workspace/build/libs/app.jar /app/app.jar
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
''')
    if runtime == "python":
        return block(f'''
# {name} (FastAPI)
ARG PYTHON_VERSION=3.12
FROM python:${{PYTHON_VERSION}}-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM python:${{PYTHON_VERSION}}-slim
COPY --from=build /install /usr/local
WORKDIR /app
COPY src/ ./src/
USER 10001
EXPOSE 8080
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8080/healthz')"
CMD ["uvicorn", "src.main:app", "--host", "0.0.0.0", "--port", "8080"]
''')
    if runtime == "node":
        return block(f'''
# {name} (Node.js 20)
FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
EXPOSE 8080
CMD ["node", "server.js"]
''')
    return block(f'''
# {name} (Go 1.23)
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/{name} ./cmd/{name}

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/{name} /{name}
EXPOSE 8080
ENTRYPOINT ["/{name}"]
''')


# ----------------------------------------------------------------------------------------------- the tree


def tree(params: Params) -> Iterator[tuple[str, str]]:
    """Every (relative POSIX path, text) of the synthetic repository, in a fixed order."""
    yield "README.md", ("# Synthetic infrastructure repository\n\nGenerated by archinfer's benchmarks/synth.py with\n\n"
                        + "".join(f"- {k}: {v}\n" for k, v in asdict(params).items()))
    for i in range(params.tf_modules):
        for name, text in module_files(params, i).items():
            yield f"terraform/modules/{module_dir(i)}/{name}", text
    for r in range(params.tf_roots):
        folder, files = root_files(params, r)
        for name, text in files.items():
            yield f"{folder}/{name}", text
    for a in range(params.k8s_apps):
        for name, text in kustomize_app(params, a).items():
            yield f"k8s/{app_name(a)}/{name}", text
    for d in range(params.manifest_dirs):
        team = TEAMS[d % len(TEAMS)]
        for n in range(params.manifests_per_dir):
            yield f"manifests/{team}-{d:03d}/{WORDS[n % len(WORDS)]}-{n:02d}.yaml", plain_manifest(params, d, n)
    for c in range(params.helm_charts):
        chart = f"{WORDS[(c * 7) % len(WORDS)]}-chart-{c:03d}"
        for name, text in chart_files(params, c).items():
            yield f"charts/{chart}/{name}", text
    for w in range(params.gh_workflows):
        name, text = github_workflow(params, w)
        yield f".github/workflows/{name}", text
    yield ".gitlab-ci.yml", gitlab_root(params)
    for g in range(params.gitlab_files):
        name, text = gitlab_file(params, g)
        yield f"ci/{name}", text
    for d in range(params.dockerfiles):
        yield f"services/{app_name(d)}/Dockerfile", dockerfile(d)
        yield f"services/{app_name(d)}/.dockerignore", ".git\nnode_modules\nbuild/\n"


def generate(out: Path, params: Params) -> tuple[int, int]:
    """Write the tree under `out` (which must be empty or absent); returns (files, bytes)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out}: not empty; give a new folder")
    count = size = 0
    for rel, text in tree(params):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        count += 1
        size += len(data)
    return count, size


def digest(out: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order: equal trees give equal digests."""
    h = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        h.update(path.relative_to(out).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--scale, --seed and one option per count of Params (overrides applied before scaling)."""
    parser.add_argument("--scale", type=int, default=1, help="multiply every count by N (default 1)")
    for f in fields(Params):
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=int, default=None,
                            help=f"default {f.default}")


def params_from(args: argparse.Namespace) -> Params:
    """Params from parsed arguments: overrides first, then --scale."""
    overrides = {f.name: getattr(args, f.name) for f in fields(Params) if getattr(args, f.name, None) is not None}
    if args.scale < 1:
        raise SystemExit("--scale must be at least 1")
    if overrides.get("resources_per_module", MIN_RESOURCES) < MIN_RESOURCES:
        raise SystemExit(f"--resources-per-module must be at least {MIN_RESOURCES} (outputs refer to the first ones)")
    return replace(Params(), **overrides).scaled(args.scale)


def main(argv: list[str] | None = None) -> int:
    """Generate the tree and print its file count, size and digest."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must be empty or absent)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    params = params_from(args)
    count, size = generate(args.out, params)
    print(f"{args.out}: {count} files, {size} bytes, sha256 {digest(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
