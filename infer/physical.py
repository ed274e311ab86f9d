"""Section 7 (physical view): cloud provider, compute resources, network topology and network security."""

from __future__ import annotations

from typing import Any

from . import cluster, diagrams, environments
from .components import Component
from .inputs import Inputs, evidence_of, truthy
from .values import ResourceRef
from .view import Bullet, Cell, Diagram, Note, SectionView, Table, merge_evidence, mermaid_label, not_detected, show
from .catalog import CLOUD_NAMES, PROVIDER_CLOUDS


def cloud_provider(inp: Inputs) -> SectionView:
    """7.1.2: which clouds the resources and providers belong to, regions, hybrid links."""
    t = inp.t
    providers: dict[str, list[Any]] = {}
    for provider in inp.model.providers:
        cloud = PROVIDER_CLOUDS.get(provider.name)
        if cloud:
            providers.setdefault(cloud, []).append(provider.loc)
    others = cluster.registry_clouds(inp)
    counts: dict[str, int] = {}
    first_component: dict[str, Any] = {}
    for component in inp.components:
        counts[component.cloud] = counts.get(component.cloud, 0) + 1
        first_component.setdefault(component.cloud, component.loc)
    clouds = set(providers) | set(others) | set(counts)
    primary = sorted(clouds, key=lambda c: (-counts.get(c, 0), -len(others.get(c, [])), c))
    cloud_list = []
    for c in primary:
        why = []
        if counts.get(c):
            why.append(t(f"아키텍처 리소스 {counts[c]}개", f"{counts[c]} architecture resources"))
        if others.get(c):
            why.append(t(f"레지스트리·인그레스 근거 {len(others[c])}건", f"{len(others[c])} registry/ingress references"))
        # One of each kind of evidence, so the reader sees where each claim comes from.
        evidence = merge_evidence(providers.get(c, [])[:2], [first_component[c]] if c in first_component else [], others.get(c, [])[:1])
        cloud_list.append(Cell(CLOUD_NAMES[c] + (f" ({', '.join(why)})" if why else ""), evidence))
    cloud_cells = tuple(cloud_list)
    multi: tuple[Cell, ...]
    if len(primary) > 1:
        multi = (Cell(t("여러 클라우드의 리소스가 함께 선언됨: ", "Resources of several clouds are declared: ")
                      + ", ".join(CLOUD_NAMES[c] for c in primary), tuple(e for cell in cloud_cells for e in cell.evidence[:1])),)
    elif primary:
        multi = (Cell(t(f"단일 클라우드 ({CLOUD_NAMES[primary[0]]}); 다른 클라우드의 리소스는 탐지되지 않음",
                        f"Single cloud ({CLOUD_NAMES[primary[0]]}); no resources of other clouds detected")),)
    else:
        multi = ()
    hybrid = tuple(inp.describe(c, [("kind", "{}"), ("sku", "SKU {}")]) for c in inp.of("vpn"))
    regions: list[Cell] = []
    for deployment in inp.deployments:
        found: dict[str, list[Any]] = {}
        for provider in inp.model.providers:
            if provider.deployment == deployment and provider.region is not None and isinstance(provider.region.value, str):
                found.setdefault(provider.region.value, []).extend(provider.region.evidence())
        for instance in inp.model.instances:
            if instance.deployment != deployment or instance.mode == "data":
                continue
            location = instance.body.attr("location") or instance.body.attr("region")
            if location is not None and location.known and isinstance(location.value, str):
                found.setdefault(location.value, []).extend(location.evidence())
        if found:
            prefix = f"{deployment}: " if len(inp.deployments) > 1 else ""
            for region in sorted(found):
                regions.append(Cell(f"{prefix}{region}", merge_evidence(found[region])[:3]))
    return SectionView("7.1.2", (
        Bullet(t("주 클라우드", "Primary cloud"), cloud_cells),
        Bullet(t("멀티 클라우드 전략", "Multi-cloud strategy"), multi),
        Bullet(t("하이브리드 구성", "Hybrid setup"), hybrid),
        Bullet(t("리전", "Regions"), tuple(regions)),
    ))


_COMPUTE = ("k8s_cluster", "node_pool", "vm", "vmss", "app_service", "container_app", "container_platform",
            "function", "database", "cache")


def compute(inp: Inputs) -> SectionView:
    """7.2.1: clusters, node pools, VMs, app platforms, databases and caches with size and scaling."""
    t = inp.t
    rows: list[tuple[Cell, ...]] = []
    for component in inp.of(*_COMPUTE):
        spec, scaling = _spec(inp, component), _scaling(inp, component)
        rows.append((Cell(component.product), Cell(component.deployment), spec, scaling))
    headers = (t("구성요소", "Component"), t("배포", "Deployment"), t("사양", "Specification"),
               t("스케일링 전략", "Scaling"))
    blocks: list[Any] = [Table(headers, tuple(rows))] if rows else []
    workloads = cluster.workload_table(inp)
    if workloads is not None:
        blocks.append(workloads)
    blocks += _compared(inp, _COMPUTE, with_workloads=True)
    blocks += diagrams.physical_diagrams(inp)
    return SectionView("7.2.1", tuple(blocks) or (Note(not_detected(inp.lang)),))


def _compared(inp: Inputs, categories: Any, with_workloads: bool = False) -> list[Any]:
    """A side-by-side table of what differs between environments, under a heading naming them."""
    table = environments.comparison(inp, categories, with_workloads)
    if table is None:
        return []
    names = " / ".join(table.headers[2:])
    return [Note(inp.t(f"**환경별 비교 ({names})**", f"**Environments side by side ({names})**")), table]


def _spec(inp: Inputs, c: Component) -> Cell:
    t = inp.t
    specs = {
        "k8s_cluster": [("version", "Kubernetes {}"), ("sku_tier", t("SKU 티어 {}", "SKU tier {}")),
                        ("private", t("프라이빗 클러스터 {}", "private cluster {}")),
                        ("network_plugin", t("네트워크 플러그인 {}", "network plugin {}"))],
        "node_pool": [("vm_size", "{}"), ("zones", t("가용 영역 {}", "zones {}")), ("mode", t("모드 {}", "mode {}"))],
        "vm": [("size", "{}"), ("zones", t("가용 영역 {}", "zones {}"))],
        "vmss": [("size", "{}"), ("zones", t("가용 영역 {}", "zones {}"))],
        "app_service": [("size", "SKU {}")],
        "database": [("engine", "{}"), ("engine_version", t("버전 {}", "version {}")), ("sku", "SKU {}"),
                     ("storage_mb", "{} MB"), ("storage_gb", "{} GB"), ("zones", t("가용 영역 {}", "zone {}"))],
        "cache": [("sku", "SKU {}"), ("family", t("패밀리 {}", "family {}")), ("capacity", t("용량 {}", "capacity {}")),
                  ("engine_version", t("버전 {}", "version {}")), ("zones", t("가용 영역 {}", "zones {}"))],
    }.get(c.category, [("size", "{}")])
    found = inp.details(c, specs)
    name = f"`{c.name}`" if c.name != c.address else c.address
    return Cell(f"{name}: {found.text}" if found.text else name, found.evidence, found.unresolved)


def _scaling(inp: Inputs, c: Component) -> Cell:
    t = inp.t
    if c.category in ("node_pool", "vmss", "container_app"):
        if truthy(c, "autoscale") or (c.prop("autoscale") is None and c.prop("min") and c.prop("max")):
            found = inp.details(c, [("min", t("최소 {}", "min {}")), ("max", t("최대 {}", "max {}")),
                                    ("node_count", t("초기 {}", "initial {}"))])
            return Cell(t("자동 확장", "Autoscaling") + f" ({found.text})", found.evidence, found.unresolved)
        found = inp.details(c, [("node_count", t("{}대", "{} nodes")), ("autoscale", t("자동 확장 {}", "autoscaling {}"))])
        return Cell(t("고정 크기", "Fixed size") + (f" ({found.text})" if found.text else ""), found.evidence, found.unresolved)
    if c.category == "database":
        found = inp.details(c, [("ha_mode", t("고가용성 {}", "high availability {}")), ("multi_az", "Multi-AZ {}"),
                                ("standby_zone", t("대기 영역 {}", "standby zone {}"))])
        if not found.text:
            if c.type.count("/"):  # a registry module: its own defaults are not in the scanned files
                return Cell(not_detected(inp.lang))
            return Cell(t("고가용성 설정 없음 (단일 서버)", "No high availability configured (single server)"), (c.loc,))
        return found
    if c.category == "cache":
        found = inp.details(c, [("shards", t("샤드 {}", "shards {}")), ("replicas", t("주 노드당 복제본 {}", "replicas per primary {}"))])
        if found.text or c.type.count("/"):
            return found if found.text else Cell(not_detected(inp.lang))
        return Cell(t("샤드/복제본 설정 없음", "No shards or replicas configured"), (c.loc,))
    if c.category == "k8s_cluster":
        return Cell(t("노드 풀별 (노드 풀 행 참조)", "Per node pool (see the node pool rows)"), (c.loc,))
    return Cell(not_detected(inp.lang))


_NET = ("network", "subnet", "nat", "peering", "private_endpoint", "private_dns", "vpn", "public_ip")


def network(inp: Inputs) -> SectionView:
    """7.2.2: networks, subnets and CIDRs, NAT, peering, private endpoints and DNS; one diagram per deployment."""
    t = inp.t
    rows: list[tuple[Cell, ...]] = []
    for component in inp.of(*_NET):
        detail_specs = {
            "network": [("cidr", "{}")], "subnet": [("cidr", "{}"), ("delegation", t("위임 {}", "delegated to {}"))],
            "private_endpoint": [("target", "→ {}"), ("subresource", "{}")],
            "nat": [("sku", "SKU {}")], "public_ip": [("sku", "SKU {}"), ("zones", t("가용 영역 {}", "zones {}"))],
            "peering": [("remote", "→ {}")],
            "network_module": [],
        }.get(component.category, [])
        if component.category == "network" and "/" in component.type:  # a registry VPC/VNet module
            detail_specs = [("cidr", "{}"), ("zones", "AZ {}"), ("private_subnets", "private {}"),
                            ("public_subnets", "public {}"), ("nat", "NAT {}"), ("single_nat", "single NAT {}")]
        found = inp.details(component, detail_specs)
        rows.append((Cell(component.product), Cell(component.deployment),
                     Cell(component.name), Cell(found.text or "-", found.evidence, found.unresolved)))
    blocks: list[Any] = []
    if rows:
        blocks.append(Table((t("구분", "Kind"), t("배포", "Deployment"), t("이름", "Name"),
                             t("주소 / 대상", "Addresses / target")), tuple(rows)))
    else:
        blocks.append(Note(not_detected(inp.lang)))
    blocks += _compared(inp, _NET)
    for deployment in inp.deployments:
        mermaid = topology_diagram(inp, deployment)
        if mermaid:
            blocks.append(Diagram(t(f"네트워크 토폴로지: {deployment}", f"Network topology: {deployment}"), mermaid))
    return SectionView("7.2.2", tuple(blocks))


def topology_diagram(inp: Inputs, deployment: str) -> str:
    """A Mermaid flowchart: networks containing subnets containing what is placed in them."""
    comps = [c for c in inp.components if c.deployment == deployment]
    networks = [c for c in comps if c.category == "network"]
    subnets = [c for c in comps if c.category == "subnet"]
    if not networks and not subnets:
        return ""
    ids: dict[str, str] = {}

    def node_id(component: Component) -> str:
        return ids.setdefault(component.address, f"n{len(ids) + 1}")

    by_subnet: dict[str, list[Component]] = {}
    placed: set[str] = set()
    for c in comps:
        ref = c.ref("subnet")
        if ref is not None and c.category in _PLACED:
            by_subnet.setdefault(ref.address, []).append(c)
            placed.add(c.address)
    lines = ["flowchart TB"]
    edge_nodes = [c for c in comps if c.category == "public_ip"]
    if edge_nodes:
        lines.append('  internet(("Internet"))')
    for net in networks:
        lines.append(f'  subgraph {node_id(net)}["{mermaid_label(net.product + " " + net.name + _cidr(net, inp))}"]')
        for sn in subnets:
            if not _same_network(sn, net):
                continue
            lines.append(f'    subgraph {node_id(sn)}["{mermaid_label(sn.name + _cidr(sn, inp))}"]')
            members = by_subnet.get(sn.address, [])
            if len(members) > MAX_SUBNET_MEMBERS:  # many boxes say less than a count: keep large systems readable
                lines.append(f'      {node_id(sn)}_all["{len(members)} resources (see the table)"]')
            for member in members if len(members) <= MAX_SUBNET_MEMBERS else []:
                lines.append(f'      {node_id(member)}["{mermaid_label(member.product + " " + _short(member))}"]')
            lines.append("    end")
        lines.append("  end")
    paas = [c for c in comps if c.category in ("database", "cache", "messaging", "key_vault", "registry", "storage_account")
            and c.address not in placed]
    for c in paas:
        lines.append(f'  {node_id(c)}[("{mermaid_label(c.product + " " + _short(c))}")]')
    for c in comps:
        if c.category == "private_endpoint":
            target = c.ref("target")
            if target is not None:
                for other in comps:
                    if other.address == target.address:
                        lines.append(f"  {node_id(c)} -.-> {node_id(other)}")
    for lb in (c for c in comps if c.category == "load_balancer" and c.address in ids):
        lines.append(f"  internet --> {node_id(lb)}" if edge_nodes else "")
    lines += _egress_and_peering(comps, node_id, edge_nodes != [])
    return "\n".join(line for line in lines if line) + "\n"


def _egress_and_peering(comps: list[Component], node_id: Any, has_internet: bool) -> list[str]:
    """NAT gateways and firewalls as the way out (subnet -> NAT -> Internet), and peerings between networks."""
    lines = []
    by_address = {c.address: c for c in comps}
    if not has_internet and any(c.category in ("nat", "firewall") for c in comps):
        lines.append('  internet(("Internet"))')
    for nat in (c for c in comps if c.category == "nat"):
        lines.append(f'  {node_id(nat)}[/"{mermaid_label(nat.product + " " + nat.name)}"/]')
        lines.append(f"  {node_id(nat)} --> internet")
    for assoc in (c for c in comps if c.category == "nat_association"):
        subnet_ref, nat_ref = assoc.ref("subnet"), assoc.ref("nat")
        if subnet_ref is not None and nat_ref is not None and subnet_ref.address in by_address and nat_ref.address in by_address:
            lines.append(f"  {node_id(by_address[subnet_ref.address])} --> {node_id(by_address[nat_ref.address])}")
    for firewall in (c for c in comps if c.category == "firewall"):
        lines.append(f"  {node_id(firewall)} --> internet")
    networks = [c for c in comps if c.category == "network"]
    for peering in (c for c in comps if c.category == "peering"):
        remote = peering.ref("remote")
        local = next((n for n in networks if n.name == peering.value("network")), None)
        if remote is not None and remote.address in by_address and local is not None:
            lines.append(f"  {node_id(local)} <-. peering .-> {node_id(by_address[remote.address])}")
    return lines


MAX_SUBNET_MEMBERS = 15

# What a diagram draws inside a subnet; associations and rules are not boxes of their own.
_PLACED = frozenset({"node_pool", "vm", "vmss", "load_balancer", "database", "cache", "private_endpoint", "firewall",
                     "app_service", "container_app", "function", "vpn", "nat"})


def _same_network(subnet: Component, network: Component) -> bool:
    ref = subnet.ref("network")
    if ref is not None:
        return ref.address == network.address
    name = subnet.value("network")
    return name is None or name == network.name


def _cidr(component: Component, inp: Inputs) -> str:
    value = component.value("cidr")
    return f" {show(value, inp.lang)}" if value is not None else ""


def _short(component: Component) -> str:
    return component.name if component.name != component.address else component.address.rsplit(".", 1)[-1]


def security(inp: Inputs) -> SectionView:
    """7.2.3: firewalls and NSGs, WAF, DDoS protection, private connectivity."""
    t = inp.t
    firewall = [inp.describe(c, [("sku", "SKU {}"), ("zones", t("가용 영역 {}", "zones {}"))]) for c in inp.of("firewall")]
    nsgs = inp.of("nsg")
    for prefix, mine in inp.by_deployment(nsgs):
        if mine:
            firewall.append(Cell(prefix + t(f"{mine[0].product} {len(mine)}개 (", f"{len(mine)} × {mine[0].product} (")
                                 + ", ".join(f"`{_short(c)}`" for c in mine) + ")", evidence_of(mine)[:3]))
    firewall += cluster.network_policy_cells(inp)
    waf = [inp.describe(c, [("mode", t("모드 {}", "mode {}")), ("rule_set", "{}"), ("rule_set_version", "{}")])
           for c in inp.of("waf_policy")]
    waf += [inp.describe(c, [("sku", "SKU {}"), ("waf_mode", t("WAF 모드 {}", "WAF mode {}"))])
            for c in inp.of("load_balancer") if c.value("waf_mode") is not None]
    ddos = [inp.describe(c, []) for c in inp.of("ddos")]
    ddos += [Cell(f"{d.deployment}: " + t(f"{d.type} 배포 안 함 ({d.reason})", f"{d.type} not deployed ({d.reason})"), (d.loc,))
             for d in inp.model.disabled if d.type in ("azurerm_network_ddos_protection_plan", "aws_shield_protection")]
    private = [inp.describe(c, [("target", "→ {}")]) for c in inp.of("private_endpoint")]
    private += [inp.describe(c, [("kind", "{}")]) for c in inp.of("vpn")]
    return SectionView("7.2.3", (
        Bullet(t("방화벽", "Firewall"), tuple(firewall)),
        Bullet("WAF", tuple(waf)),
        Bullet(t("DDoS 방어", "DDoS protection"), tuple(ddos)),
        Bullet("VPN/Private Link", tuple(private)),
        *_compared(inp, ("firewall", "waf_policy", "ddos", "private_endpoint", "vpn", "key_vault", "registry")),
    ))
