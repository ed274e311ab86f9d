"""Well-known software recognised from container images, and the cloud a registry host belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Software:
    """What an image runs: a category the views group by, and the product name."""

    category: str
    product: str


# (pattern on the image repository without registry and tag, software); first match wins.
_IMAGES: tuple[tuple[str, Software], ...] = (
    (r"(^|/)(postgres|postgresql|pgvector|timescaledb|postgis)$|cloudnative-pg|crunchy.*postgres", Software("database", "PostgreSQL")),
    (r"(^|/)(mysql|mysql-server)$", Software("database", "MySQL")),
    (r"(^|/)mariadb$", Software("database", "MariaDB")),
    (r"(^|/)(mongo|mongodb|mongodb-community-server)$", Software("database", "MongoDB")),
    (r"documentdb(-local)?$|(^|/)ferretdb$", Software("database", "DocumentDB (MongoDB-compatible)")),
    (r"(^|/)(cassandra)$", Software("database", "Apache Cassandra")),
    (r"(^|/)(cockroach|cockroachdb)$", Software("database", "CockroachDB")),
    (r"(^|/)(redis|redis-stack|redis-stack-server)$", Software("cache", "Redis")),
    (r"(^|/)valkey$", Software("cache", "Valkey")),
    (r"(^|/)memcached$", Software("cache", "Memcached")),
    (r"(^|/)(kafka|cp-kafka|kafka-native)$|strimzi/kafka", Software("event_streaming", "Apache Kafka")),
    (r"(^|/)rabbitmq$", Software("messaging", "RabbitMQ")),
    (r"(^|/)(nats|nats-streaming)$", Software("messaging", "NATS")),
    (r"(^|/)(elasticsearch)$", Software("search", "Elasticsearch")),
    (r"(^|/)opensearch$", Software("search", "OpenSearch")),
    (r"ingress-nginx/controller|(^|/)nginx-ingress(-controller)?$", Software("ingress_controller", "NGINX Ingress Controller")),
    (r"(^|/)traefik$", Software("ingress_controller", "Traefik")),
    (r"(^|/)(envoy|envoyproxy/envoy)$", Software("proxy", "Envoy")),
    (r"(^|/)(prometheus|prometheus-operator)$", Software("metrics", "Prometheus")),
    (r"(^|/)grafana$", Software("dashboards", "Grafana")),
    (r"(^|/)(jaeger|all-in-one|jaeger-collector|jaeger-query)$|jaegertracing/", Software("tracing", "Jaeger")),
    (r"opentelemetry-collector(-contrib|-k8s)?$|otel/opentelemetry-collector", Software("telemetry", "OpenTelemetry Collector")),
    (r"(^|/)loki$", Software("logs", "Grafana Loki")),
    (r"(^|/)(fluent-bit)$", Software("log_shipper", "Fluent Bit")),
    (r"(^|/)(fluentd)$", Software("log_shipper", "Fluentd")),
    (r"(^|/)(vault)$", Software("secrets", "HashiCorp Vault")),
    (r"(^|/)keycloak$", Software("identity", "Keycloak")),
    (r"(^|/)minio$", Software("object_storage", "MinIO")),
)

_REGISTRIES: tuple[tuple[str, str], ...] = (
    (r"\.azurecr\.io$", "azure"),
    (r"^mcr\.microsoft\.com$", "azure"),
    (r"\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$", "aws"),
    (r"^public\.ecr\.aws$", "aws"),
    (r"(^|\.)gcr\.io$|-docker\.pkg\.dev$", "gcp"),
)


# Ingress classes that only exist on one cloud's managed Kubernetes.
INGRESS_CLASS_CLOUDS = {"azure-application-gateway": "azure", "webapprouting.kubernetes.azure.com": "azure",
                        "alb": "aws", "gce": "gcp", "gce-internal": "gcp"}


def host_cloud(host: str) -> str | None:
    """The cloud of a registry host (`x.azurecr.io`, `*.dkr.ecr.*.amazonaws.com`, `*-docker.pkg.dev`)."""
    for pattern, cloud in _REGISTRIES:
        if host and re.search(pattern, host.lower()):
            return cloud
    return None


def split_image(image: str) -> tuple[str, str, str]:
    """registry host ('' for Docker Hub), repository, tag or digest."""
    rest, tag = image, ""
    if "@" in rest:
        rest, tag = rest.split("@", 1)
    elif ":" in rest.rsplit("/", 1)[-1]:
        rest, tag = rest.rsplit(":", 1)
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        return first, remainder, tag
    return "", rest, tag


def recognise(image: str) -> Software | None:
    """The well-known software an image runs, or None for the team's own services."""
    _, repository, tag = split_image(image.lower())
    # Some projects publish every component from one repository, named by tag (`demo:2.0-kafka`).
    tag_word = tag.rsplit("-", 1)[-1] if "-" in tag else ""
    for candidate in (repository, tag_word):
        for pattern, software in _IMAGES:
            if candidate and re.search(pattern, candidate):
                return software
    return None


def registry_cloud(image: str) -> str | None:
    """The cloud whose registry serves the image (ACR, ECR, Artifact Registry/GCR), if any."""
    host, _, _ = split_image(image.lower())
    return host_cloud(host)
