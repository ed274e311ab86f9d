"""Section 12 (quality attributes): cache tier, autoscaling, load balancing, backup and disaster recovery."""

from __future__ import annotations

from . import cluster
from .fields import as_text, dig, mapping, scalar, sequence
from .inputs import Inputs, truthy
from .view import Bullet, Cell, Note, SectionView, Table, not_detected


def caching(inp: Inputs) -> SectionView:
    """12.1.1: cache tiers the infrastructure provides; TTLs live in application code."""
    t = inp.t
    rows: list[tuple[Cell, ...]] = []
    for c in inp.of("cache"):
        kind = inp.describe(c, [("sku", "SKU {}"), ("family", "{}"), ("capacity", t("용량 {}", "capacity {}"))])
        eviction = c.prop("eviction")
        policy = (Cell(t("maxmemory-policy ", "maxmemory-policy ") + as_text(eviction.value), eviction.evidence())
                  if eviction is not None else Cell(not_detected(inp.lang)))
        rows.append((Cell(t("데이터 캐시", "Data cache")), kind, Cell(not_detected(inp.lang)), policy))
    for w, product, image in cluster.in_cluster(inp, "cache"):
        rows.append((Cell(t("데이터 캐시 (클러스터 내)", "Data cache (in cluster)")), Cell(f"{product} {w.kind} `{w.name}` ({image})", (w.loc,)),
                     Cell(not_detected(inp.lang)), Cell(not_detected(inp.lang))))
    for c in inp.of("cdn"):
        rows.append((Cell(t("엣지 (CDN)", "Edge (CDN)")), inp.describe(c, [("sku", "SKU {}")]),
                     Cell(not_detected(inp.lang)), Cell(not_detected(inp.lang))))
    if not rows:
        return SectionView("12.1.1", (Note(not_detected(inp.lang)),))
    headers = (t("계층", "Tier"), t("캐시 유형", "Cache type"), "TTL", t("무효화 전략", "Invalidation"))
    return SectionView("12.1.1", (Table(headers, tuple(rows)),))


def autoscaling(inp: Inputs) -> SectionView:
    """12.2.1: what scales out automatically and within which bounds."""
    t = inp.t
    horizontal: list[Cell] = []
    for c in inp.of("node_pool", "vmss", "container_app"):
        if truthy(c, "autoscale") or (c.prop("autoscale") is None and c.prop("min") is not None and c.prop("max") is not None):
            horizontal.append(inp.describe(c, [("min", t("최소 {}", "min {}")), ("max", t("최대 {}", "max {}"))]))
    for c in inp.of("load_balancer"):
        if c.prop("min") is not None or c.prop("max") is not None:
            horizontal.append(inp.describe(c, [("min", t("최소 용량 {}", "min capacity {}")), ("max", t("최대 용량 {}", "max capacity {}"))]))
    for c in inp.of("autoscale"):
        horizontal.append(inp.describe(c, [("min", t("최소 {}", "min {}")), ("max", t("최대 {}", "max {}"))]))
    fixed = [inp.describe(c, [("node_count", t("{}대 고정", "fixed at {}"))]) for c in inp.of("node_pool")
             if c.prop("autoscale") is not None and not truthy(c, "autoscale")]
    predictive = [inp.describe(c, [("predictive", t("예측 모드 {}", "predictive mode {}"))])
                  for c in inp.of("autoscale") if c.prop("predictive") is not None]
    horizontal += cluster.autoscaler_cells(inp)
    items = [Bullet(t("수평 확장", "Horizontal scaling"), tuple(horizontal))]
    if fixed:
        items.append(Bullet(t("고정 크기", "Fixed size"), tuple(fixed)))
    items += [Bullet(t("수직 확장", "Vertical scaling"), tuple(cluster.vpa_cells(inp))),
              Bullet(t("예측적 스케일링", "Predictive scaling"), tuple(predictive))]
    return SectionView("12.2.1", tuple(items))


def load_balancing(inp: Inputs) -> SectionView:
    """12.2.2: load balancers, traffic routing and health probes."""
    t = inp.t
    balancers = [inp.describe(c, [("sku", "SKU {}"), ("tier", t("티어 {}", "tier {}")), ("kind", "{}"),
                                  ("zones", t("가용 영역 {}", "zones {}")), ("internal", t("내부 {}", "internal {}"))])
                 for c in inp.of("load_balancer")]
    routing = [inp.describe(c, [("routing", "{}")]) for c in inp.of("traffic_manager", "cdn")]
    routing += [inp.describe(c, [("listener_protocol", t("리스너 {}", "listener {}"))])
                for c in inp.of("load_balancer") if c.prop("listener_protocol") is not None]
    probes = [inp.describe(c, [("probe", t("헬스 프로브 {}", "health probe {}"))]) for c in inp.of("load_balancer", "lb_target")
              if c.prop("probe") is not None]
    probes += [inp.describe(c, []) for c in inp.of("health_check")]
    probes += cluster.probe_cells(inp)
    balancers += cluster.load_balancer_services(inp)
    return SectionView("12.2.2", (
        Bullet(t("로드 밸런서", "Load balancer"), tuple(balancers)),
        Bullet(t("트래픽 분산 정책", "Traffic distribution"), tuple(routing)),
        Bullet(t("헬스체크", "Health checks"), tuple(probes)),
    ))


def resilience(inp: Inputs) -> SectionView:
    """12.3.1: circuit breaking, retries and bulkheads that mesh objects configure; disruption budgets."""
    t = inp.t
    breakers, retries, bulkheads = [], [], []
    for s in inp.k8s_sets:
        prefix = f"{s.name}: " if len(inp.k8s_sets) > 1 else ""
        for rule in s.of("DestinationRule"):
            policy = mapping(rule.body, "spec", "trafficPolicy")
            if "outlierDetection" in policy:
                breakers.append(Cell(f"{prefix}Istio DestinationRule `{rule.name}` (outlierDetection)", (rule.loc("spec", "trafficPolicy", "outlierDetection"),)))
            if "connectionPool" in policy:
                bulkheads.append(Cell(f"{prefix}Istio DestinationRule `{rule.name}` (connectionPool)", (rule.loc("spec", "trafficPolicy", "connectionPool"),)))
        for vs in s.of("VirtualService"):
            for i, route in enumerate(sequence(vs.body, "spec", "http")):
                # Only a retries mapping is a retry policy; `retries: 5` or `retries: null` say nothing.
                if isinstance(dig(route, "retries"), dict):
                    attempts = scalar(route, "retries", "attempts") or "?"
                    retries.append(Cell(f"{prefix}Istio VirtualService `{vs.name}` (retries {attempts})",
                                        (vs.loc("spec", "http", i, "retries"),)))
    return SectionView("12.3.1", (
        Bullet("Circuit Breaker", tuple(breakers)),
        Bullet("Retry Pattern", tuple(retries)),
        Bullet("Bulkhead Pattern", tuple(bulkheads)),
        Bullet(t("Pod 중단 예산 (PDB)", "Pod disruption budgets"), tuple(cluster.pdb_cells(inp))),
    ))


def disaster_recovery(inp: Inputs) -> SectionView:
    """12.3.2: backups, zone redundancy and secondary regions the code configures."""
    t = inp.t
    backups = [inp.describe(c, [("backup_days", t("백업 보존 {}일", "backup retention {} days")),
                                ("geo_backup", t("지역 중복 백업 {}", "geo-redundant backup {}")),
                                ("backup", t("백업 {}", "backup {}"))])
               for c in inp.of("database", "cache") if any(c.prop(k) is not None for k in ("backup_days", "geo_backup", "backup"))]
    backups += [inp.describe(c, [("sku", "SKU {}"), ("redundancy", "{}")]) for c in inp.of("backup_vault")]
    zonal = [inp.describe(c, [("zones", t("가용 영역 {}", "zones {}")), ("ha_mode", "HA {}"), ("standby_zone", t("대기 영역 {}", "standby zone {}")),
                              ("zone_redundant", t("영역 중복 {}", "zone redundant {}")), ("zone_redundancy", t("영역 중복 {}", "zone redundant {}"))])
             for c in inp.components if c.category in ("node_pool", "database", "cache", "messaging", "registry", "load_balancer", "firewall")
             and any(c.value(k) not in (None, [], False) for k in ("zones", "ha_mode", "zone_redundant", "zone_redundancy"))]
    secondary = [inp.describe(c, [("georeplication", t("지역 복제 {}", "geo-replication to {}"))])
                 for c in inp.components if c.value("georeplication") not in (None, [])]
    secondary += [inp.describe(c, [("geo_backup", t("지역 중복 백업 (페어링 지역) {}", "geo-redundant backup (paired region) {}"))])
                  for c in inp.of("database") if truthy(c, "geo_backup")]
    return SectionView("12.3.2", (
        Bullet(t("백업 전략", "Backup"), tuple(backups)),
        Bullet("RTO/RPO", ()),
        Bullet(t("DR 사이트", "DR site"), tuple(secondary)),
        Bullet(t("가용 영역 배치 / 영역 중복", "Availability zones / zone redundancy"), tuple(zonal)),
    ))
