"""Section 8 (technology stack): gateways and mesh, data stores, backing services, observability."""

from __future__ import annotations

from .components import Component
from . import cluster
from .inputs import Inputs
from .view import Bullet, Cell, SectionView, Table, not_detected


def api_gateway(inp: Inputs) -> SectionView:
    """8.1.1: API management products; an L7 load balancer is not called an API gateway."""
    t = inp.t
    gateways = inp.of("api_gateway")
    products = tuple(inp.describe(c, [("sku", "SKU {}"), ("kind", "{}")]) for c in gateways)
    return SectionView("8.1.1", (
        Bullet(t("제품", "Product"), products),
        Bullet(t("인그레스 컨트롤러", "Ingress controller"),
               tuple(inp.describe(c, [("agic", t("AGIC 애드온 → {}", "AGIC add-on → {}"))]) for c in inp.of("k8s_cluster")
                     if c.prop("agic") is not None) + tuple(cluster.ingress_controllers(inp))),
        Bullet(t("인그레스 / 라우팅", "Ingress / routing"), tuple(cluster.ingress_cells(inp))),
    ))


def service_mesh(inp: Inputs) -> SectionView:
    """8.1.2: a service mesh switched on in the cluster definition (AKS Istio add-on)."""
    t = inp.t
    meshes = tuple(inp.describe(c, [("service_mesh", t("AKS 서비스 메시 애드온 {}", "AKS service mesh add-on {}"))])
                   for c in inp.of("k8s_cluster") if c.value("service_mesh") is not None)
    return SectionView("8.1.2", (
        Bullet(t("제품", "Product"), meshes + tuple(cluster.mesh_cells(inp))),
        Bullet(t("적용 범위", "Scope"), ()),
        Bullet(t("트래픽 관리", "Traffic management"), ()),
    ))


def databases(inp: Inputs) -> SectionView:
    """8.2.1: transactional databases, caches, search engines and warehouses, with their key settings."""
    t = inp.t
    schemas = inp.of("database_schema")
    purposes = (("database", t("트랜잭션", "Transactional"), "RDBMS / NoSQL"),
                ("cache", t("캐시", "Cache"), "In-Memory"),
                ("search", t("검색", "Search"), "Search Engine"),
                ("warehouse", t("분석", "Analytics"), "Data Warehouse"))
    rows: list[tuple[Cell, ...]] = []
    for category, purpose, kind in purposes:
        found = inp.of(category)
        in_cluster = cluster.store_rows(inp, category, purpose, kind)
        rows.extend(in_cluster)
        if not found:
            if not in_cluster:
                rows.append((Cell(purpose), Cell(not_detected(inp.lang)), Cell(kind), Cell("-")))
            continue
        for c in found:
            features = inp.describe(c, _FEATURES.get(category, []))
            names = sorted({s.name for s in schemas if _belongs(s, c)})
            text = features.text
            if names:
                text += t(f"; 데이터베이스 {len(names)}개: ", f"; {len(names)} databases: ") + ", ".join(names)
            users = sorted({f"{w.set}: {w.name}" if len(inp.k8s_sets) > 1 else w.name for w, _ in cluster.users_of(inp, [c.name])})
            if users:
                text += t("; 사용 워크로드: ", "; used by workloads: ") + ", ".join(users)
            db_kind = kind.split(" / ")[0] if category == "database" and "SQL" in c.product else kind
            rows.append((Cell(purpose), Cell(f"{c.product}"), Cell(db_kind), Cell(text, features.evidence, features.unresolved)))
    headers = (t("용도", "Purpose"), t("데이터베이스", "Database"), t("타입", "Type"), t("특징", "Characteristics"))
    return SectionView("8.2.1", (Table(headers, tuple(rows)),))


_FEATURES = {
    "database": [("engine", "{}"), ("engine_version", "v{}"), ("sku", "SKU {}"), ("storage_mb", "{} MB"),
                 ("storage_gb", "{} GB"), ("ha_mode", "HA {}"), ("multi_az", "Multi-AZ {}"),
                 ("backup_days", "backup {} d"), ("geo_backup", "geo-backup {}"), ("public_access", "public access {}")],
    "cache": [("sku", "SKU {}"), ("family", "{}"), ("capacity", "capacity {}"), ("engine_version", "v{}"),
              ("shards", "shards {}"), ("replicas", "replicas/primary {}"), ("tls", "TLS ≥ {}"), ("public_access", "public access {}")],
    "search": [("sku", "SKU {}")],
    "warehouse": [("sku", "SKU {}")],
}


def _belongs(child: Component, parent: Component) -> bool:
    ref = child.ref("server")
    return child.deployment == parent.deployment and ref is not None and ref.address == parent.address


def messaging(inp: Inputs) -> SectionView:
    """8.3.1: brokers with their queues and topics, event streaming, event stores."""
    t = inp.t
    queues: list[Cell] = []
    for ns in inp.of("messaging"):
        cell = inp.describe(ns, [("sku", "SKU {}"), ("capacity", t("용량 {}", "capacity {}")),
                                 ("partitions", t("파티션 {}", "partitions {}")), ("zone_redundant", t("영역 중복 {}", "zone redundant {}"))])
        members = [c for c in inp.components if c.deployment == ns.deployment and c.category in ("queue", "topic")
                   and c.address.startswith(ns.address.rsplit(".", 2)[0])]
        q = sorted(c.name for c in members if c.category == "queue")
        tp = sorted(c.name for c in members if c.category == "topic")
        extra = ""
        if q:
            extra += t("; 큐: ", "; queues: ") + ", ".join(q)
        if tp:
            extra += t("; 토픽: ", "; topics: ") + ", ".join(tp)
        queues.append(Cell(cell.text + extra, cell.evidence, cell.unresolved))
    queues += [inp.describe(c, [("fifo", "FIFO {}")]) for c in inp.of("queue") if c.type.startswith("aws_")]
    queues += cluster.observability_cells(inp, "messaging")
    streaming = [inp.describe(c, [("sku", "SKU {}"), ("capacity", t("용량 {}", "capacity {}")), ("shards", "shards {}")])
                 for c in inp.of("event_streaming")]
    streaming += cluster.observability_cells(inp, "event_streaming")
    streaming += [Cell(f"Strimzi Kafka `{o.name}`", (o.loc(),)) for s in inp.k8s_sets for o in s.of("Kafka")
                  if o.api_version.startswith("kafka.strimzi.io")]
    streaming += [inp.describe(c, []) for c in inp.of("event_routing")]
    streaming += [inp.describe(c, []) for c in inp.of("topic") if c.type == "aws_sns_topic"]
    return SectionView("8.3.1", (
        Bullet(t("메시지 큐", "Message queue"), tuple(queues)),
        Bullet(t("이벤트 스트리밍", "Event streaming"), tuple(streaming)),
        Bullet(t("이벤트 스토어", "Event store"), ()),
    ))


def storage(inp: Inputs) -> SectionView:
    """8.3.2: object, block and file storage."""
    t = inp.t
    objects = [inp.describe(c, [("tier", "{}"), ("replication", t("복제 {}", "replication {}")), ("kind", "{}")])
               for c in inp.of("storage_account")]
    objects += [inp.describe(c, [("storage_class", "{}")]) for c in inp.of("object_storage")]
    blocks = [inp.describe(c, [("sku", "{}"), ("size_gb", "{} GB")]) for c in inp.of("block_storage")]
    files = [inp.describe(c, [("quota", "{} GB"), ("tier", "{}")]) for c in inp.of("file_storage")]
    registries = [inp.describe(c, [("sku", "SKU {}"), ("georeplication", t("지역 복제 {}", "geo-replicated to {}"))])
                  for c in inp.of("registry")]
    objects += cluster.observability_cells(inp, "object_storage")
    blocks += cluster.storage_cells(inp)
    return SectionView("8.3.2", (
        Bullet(t("객체 스토리지", "Object storage"), tuple(objects)),
        Bullet(t("블록 스토리지 (영구 볼륨 포함)", "Block storage (persistent volumes included)"), tuple(blocks)),
        Bullet(t("파일 스토리지", "File storage"), tuple(files)),
        Bullet(t("컨테이너 레지스트리", "Container registry"), tuple(registries)),
    ))


def logging(inp: Inputs) -> SectionView:
    """8.4.1: what ships logs, where they are kept and for how long."""
    t = inp.t
    collection = [inp.describe(c, [("oms_workspace", t("Container Insights (oms_agent) → {}", "Container Insights (oms_agent) → {}"))])
                  for c in inp.of("k8s_cluster") if c.prop("oms_workspace") is not None]
    settings = inp.of("diagnostic_setting")
    for prefix, mine in inp.by_deployment(settings):
        if mine:
            collection.append(Cell(prefix + t(f"진단 설정 {len(mine)}개", f"{len(mine)} diagnostic settings"),
                                   tuple(c.loc for c in mine)[:3]))
    collection += cluster.observability_cells(inp, "log_shipper")
    stores = [inp.describe(c, [("sku", "SKU {}"), ("retention_days", t("보존 {}일", "retention {} days"))])
              for c in inp.of("log_workspace")]
    stores += cluster.observability_cells(inp, "logs")
    return SectionView("8.4.1", (
        Bullet(t("로그 수집", "Log collection"), tuple(collection)),
        Bullet(t("로그 저장", "Log storage"), tuple(stores)),
        Bullet(t("로그 분석", "Log analysis"), tuple(inp.describe(c, []) for c in inp.of("log_workspace"))),
    ))


def monitoring(inp: Inputs) -> SectionView:
    """8.4.2: metric collection, dashboards, alert rules and who they notify."""
    t = inp.t
    metrics = [inp.describe(c, []) for c in inp.of("prometheus")]
    metrics += [inp.describe(c, [("monitor_metrics", t("AKS 메트릭 애드온 {}", "AKS metrics add-on {}"))])
                for c in inp.of("k8s_cluster") if c.prop("monitor_metrics") is not None]
    metrics += cluster.observability_cells(inp, "metrics") + cluster.monitor_objects(inp)
    visual = [inp.describe(c, [("sku", "SKU {}")]) for c in inp.of("grafana")]
    visual += cluster.observability_cells(inp, "dashboards")
    alerts = [inp.describe(c, [("severity", "severity {}"), ("metric", "{}")]) for c in inp.of("alert")]
    alerts += [inp.describe(c, []) for c in inp.of("action_group")]
    alerts += [Cell(f"{d.deployment}: " + t(f"{d.address} 배포 안 함 ({d.reason})", f"{d.address} not deployed ({d.reason})"), (d.loc,))
               for d in inp.model.disabled if d.type in ("azurerm_monitor_metric_alert", "azurerm_monitor_action_group",
                                                          "aws_cloudwatch_metric_alarm")]
    return SectionView("8.4.2", (
        Bullet(t("메트릭 수집", "Metrics collection"), tuple(metrics)),
        Bullet(t("시각화", "Visualisation"), tuple(visual)),
        Bullet(t("알람 정책", "Alerting"), tuple(alerts)),
    ))


def tracing(inp: Inputs) -> SectionView:
    """8.4.3: APM and tracing services and their sampling settings."""
    t = inp.t
    tools = [inp.describe(c, [("kind", "{}"), ("workspace", t("작업 영역 {}", "workspace {}"))]) for c in inp.of("apm")]
    tools += cluster.observability_cells(inp, "tracing", "telemetry")
    sampling = [inp.describe(c, [("sampling", t("샘플링 {}%", "sampling {}%"))]) for c in inp.of("apm") if c.prop("sampling")]
    return SectionView("8.4.3", (
        Bullet(t("추적 도구", "Tracing tool"), tuple(tools)),
        Bullet(t("샘플링 전략", "Sampling"), tuple(sampling)),
        Bullet(t("성능 분석", "Performance analysis"), ()),
    ))
