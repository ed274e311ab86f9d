"""What Kubernetes objects add to the sections: workloads, ingress, in-cluster stores, policies, scaling, probes."""

from __future__ import annotations

import re
from typing import Any

from ..collectors.kubernetes import K8sObject
from .images import INGRESS_CLASS_CLOUDS, host_cloud, recognise, registry_cloud
from .inputs import NAME_WORD, Inputs
from .fields import as_text, dig, entries, mapping, mappings, scalar, scalars, sequence, text
from .kubernetes import K8sSet, Workload, hpa_range
from .view import Cell, Table, merge_evidence


def _prefix(inp: Inputs, set_name: str) -> str:
    return f"{set_name}: " if len(inp.k8s_sets) > 1 else ""


def _hpas(k8s_set: K8sSet) -> dict[tuple[str | None, str | None], K8sObject]:
    """HPAs by the (kind, name) they scale."""
    return {(scalar(hpa.body, "spec", "scaleTargetRef", "kind"), scalar(hpa.body, "spec", "scaleTargetRef", "name")): hpa
            for hpa in k8s_set.of("HorizontalPodAutoscaler")}


def workload_table(inp: Inputs) -> Table | None:
    """7.2.1: each workload with image, replicas, requests/limits and how it scales."""
    t = inp.t
    rows: list[tuple[Cell, ...]] = []
    for k8s_set in inp.k8s_sets:
        hpas = _hpas(k8s_set)
        for w in (x for x in inp.workloads if x.set == k8s_set.name):
            images = ", ".join(c.image for c in w.containers)
            resources = "; ".join(
                f"{c.name}: requests {_kv(c.requests) or '-'}, limits {_kv(c.limits) or '-'}" for c in w.containers
                if c.requests or c.limits)
            spec = f"`{images}`" + (f" ({resources})" if resources else "")
            hpa = hpas.get((w.kind, w.name))
            if hpa is not None:
                metrics = _metrics(hpa)
                scaling = Cell(f"HPA {hpa_range(hpa)}" + (f", {metrics}" if metrics else ""), (hpa.loc("spec"),))
            elif w.replicas is not None:
                replicas = as_text(w.replicas)  # an f-string of an int over the str() digit limit raises
                scaling = Cell(t(f"replicas {replicas} (고정)", f"replicas {replicas} (fixed)"), (w.loc,))
            else:
                scaling = Cell(t("replicas 지정 없음 (기본 1)", "replicas not set (default 1)"), (w.loc,))
            rows.append((Cell(f"{w.kind} `{w.name}`"), Cell(k8s_set.name), Cell(spec, (w.loc,)), scaling))
    if not rows:
        return None
    return Table((t("워크로드", "Workload"), t("배포", "Deployment"), t("이미지 / 리소스", "Image / resources"),
                  t("스케일링 전략", "Scaling")), tuple(rows))


def _kv(pairs: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pairs)


def _metrics(hpa: K8sObject) -> str:
    """An HPA's resource utilisation targets (autoscaling/v2 metrics, v1 targetCPUUtilizationPercentage)."""
    parts = []
    for metric in mappings(hpa.body, "spec", "metrics"):
        name = scalar(metric, "resource", "name")
        utilization = scalar(metric, "resource", "target", "averageUtilization")
        if name and utilization is not None:
            parts.append(f"{name} {utilization}%")
    cpu = scalar(hpa.body, "spec", "targetCPUUtilizationPercentage")
    if cpu is not None:
        parts.append(f"cpu {cpu}%")
    return ", ".join(parts)


def ingress_cells(inp: Inputs) -> list[Cell]:
    """8.1.1: ingresses and Gateway API routes with class, hosts, paths -> services, TLS."""
    t = inp.t
    cells = []
    for k8s_set in inp.k8s_sets:
        for ing in k8s_set.of("Ingress"):
            cls = scalar(ing.body, "spec", "ingressClassName") or scalar(ing.body, "metadata", "annotations", "kubernetes.io/ingress.class")
            routes = []
            hosts = []
            for rule in mappings(ing.body, "spec", "rules"):
                host = scalar(rule, "host")
                if host:
                    hosts.append(host)
                for path in mappings(rule, "http", "paths"):
                    service = scalar(path, "backend", "service", "name") or scalar(path, "backend", "serviceName")
                    routes.append(f"{scalar(path, 'path') or '/'} → {service}")
            tls = [s for entry in mappings(ing.body, "spec", "tls") if (s := scalar(entry, "secretName"))]
            annotations = mapping(ing.body, "metadata", "annotations")
            issuer = scalar(annotations, "cert-manager.io/cluster-issuer") or scalar(annotations, "cert-manager.io/issuer")
            parts = [t(f"클래스 {cls}", f"class {cls}") if cls else t("클래스 지정 없음", "no class")]
            if hosts:
                parts.append(t("호스트 ", "hosts ") + ", ".join(hosts))
            if routes:
                parts.append(t("경로 ", "paths ") + ", ".join(routes))
            parts.append(("TLS " + ", ".join(tls)) if tls else t("TLS 없음", "no TLS"))
            if issuer:
                parts.append(f"cert-manager {issuer}")
            cells.append(Cell(f"{_prefix(inp, k8s_set.name)}Ingress `{ing.name}` ({'; '.join(parts)})", (ing.loc(),)))
        for route in k8s_set.of("HTTPRoute", "GRPCRoute"):
            route_hosts = scalars(route.body, "spec", "hostnames")
            parents = [str(scalar(p, "name")) for p in mappings(route.body, "spec", "parentRefs")]
            cells.append(Cell(f"{_prefix(inp, k8s_set.name)}Gateway API {route.kind} `{route.name}` (gateway {', '.join(parents)}"
                              + (f"; hosts {', '.join(route_hosts)}" if route_hosts else "") + ")", (route.loc(),)))
    return cells


def ingress_controllers(inp: Inputs) -> list[Cell]:
    """Ingress controllers the class names or the workloads show."""
    cells = []
    classes: dict[str, Any] = {}
    for k8s_set in inp.k8s_sets:
        for ing in k8s_set.of("Ingress"):
            cls = text(ing.body, "spec", "ingressClassName")
            if cls is not None:
                classes.setdefault(cls, ing.loc("spec", "ingressClassName"))
    names = {"azure-application-gateway": "Azure Application Gateway Ingress Controller (AGIC)",
             "webapprouting.kubernetes.azure.com": "AKS application routing (managed NGINX)",
             "nginx": "NGINX Ingress Controller", "alb": "AWS Load Balancer Controller", "gce": "GKE Ingress",
             "traefik": "Traefik", "istio": "Istio ingress gateway"}
    for cls, loc in sorted(classes.items()):
        cells.append(Cell(names.get(cls, f"ingress class {cls}") + (f" (ingressClassName {cls})" if cls in names else ""), (loc,)))
    for w in inp.workloads:
        for c in w.containers:
            software = recognise(c.image)
            if software is not None and software.category in ("ingress_controller", "proxy"):
                cells.append(Cell(f"{_prefix(inp, w.set)}{software.product} ({w.kind} `{w.name}`)", (c.loc,)))
    return cells


def in_cluster(inp: Inputs, *categories: str) -> list[tuple[Workload, str, str]]:
    """Workloads that run well-known software of the given categories: (workload, product, image)."""
    out = []
    for w in inp.workloads:
        for c in w.containers:
            software = recognise(c.image)
            if software is not None and software.category in categories:
                out.append((w, software.product, c.image))
                break
    return out


def users_of(inp: Inputs, names: list[str], set_name: str | None = None) -> list[tuple[Workload, str]]:
    """Workloads whose env values name one of `names` (a Service or host), with the variable that does.

    Per workload, the first variable (in container and variable order) that mentions a name is the one given.
    """
    lowered = [n.lower() for n in names if n]
    words = {n for n in lowered if NAME_WORD.fullmatch(n)}  # a word is mentioned exactly when it is one of them
    others = [n for n in lowered if n not in words]  # names with dots, colons...: searched in the text
    first: dict[int, tuple[int, int]] = {}  # workload -> (container, variable) of its first mention
    for word in words:
        for w, c, e in inp.env_word_index.get(word, ()):
            if (c, e) < first.get(w, (c + 1, 0)):
                first[w] = (c, e)
    if others:  # rare: scan the text of every variable, as before the index
        for w, (_, containers) in enumerate(inp.env_words):
            for c, env in enumerate(containers):
                for e, (_, value, _) in enumerate(env):
                    if (c, e) < first.get(w, (c + 1, 0)) and any(_mentions(value, n) for n in others):
                        first[w] = (c, e)
    found: list[tuple[Workload, str]] = []
    for w in sorted(first):
        workload, containers = inp.env_words[w]
        if set_name is None or workload.set == set_name:
            c, e = first[w]
            found.append((workload, containers[c][e][0]))
    return found


def _mentions(value: str, name: str) -> bool:
    """`redis-cart:6379`, `psql-x.postgres.database.azure.com`, `http://svc.ns.svc` mention svc; `my-svcx` does not."""
    start = value.find(name)
    while start >= 0:
        before = value[start - 1] if start > 0 else ""
        after = value[start + len(name)] if start + len(name) < len(value) else ""
        if not _name_char(before) and not _name_char(after):
            return True
        start = value.find(name, start + 1)
    return False


def _name_char(char: str) -> bool:
    return bool(char) and (char.isalnum() or char in "-_")


def services_for(k8s_set: K8sSet, w: Workload) -> list[str]:
    """Names of Services in the set whose selector matches the workload's pod labels."""
    labels = dict(w.labels)
    names = []
    for svc in k8s_set.of("Service"):
        if _selects(mapping(svc.body, "spec", "selector"), labels):
            names.append(svc.name)
    return names


def _selects(selector: dict[Any, Any], labels: dict[str, str]) -> bool:
    """A non-empty selector all of whose entries the labels have; an entry whose value is not a scalar matches nothing."""
    wanted = [(as_text(key), scalar(value)) for key, value in selector.items()]
    return bool(wanted) and all(value is not None and labels.get(key) == value for key, value in wanted)


def store_rows(inp: Inputs, category: str, purpose: str, kind: str) -> list[tuple[Cell, ...]]:
    """8.2.1 rows for data stores running in the cluster, with the workloads that use them."""
    t = inp.t
    rows: list[tuple[Cell, ...]] = []
    sets = {s.name: s for s in inp.k8s_sets}
    for w, product, image in in_cluster(inp, category):
        names = services_for(sets[w.set], w) + [w.name]
        users = [u for u, _ in users_of(inp, names, w.set) if u.name != w.name]
        text = f"{_prefix(inp, w.set)}{w.kind} `{w.name}` ({image})"
        if users:
            text += t("; 사용: ", "; used by: ") + ", ".join(sorted({u.name for u in users}))
        rows.append((Cell(purpose), Cell(product + t(" (클러스터 내)", " (in cluster)")), Cell(kind), Cell(text, (w.loc,))))
    return rows


def registry_clouds(inp: Inputs) -> dict[str, list[Any]]:
    """Cloud evidence outside Terraform: image registries, registries CI pushes to, cloud-only ingress classes."""
    out: dict[str, list[Any]] = {}
    for w in inp.workloads:
        for c in w.containers:
            cloud = registry_cloud(c.image)
            if cloud:
                out.setdefault(cloud, []).append(c.loc)
    for fact in inp.pipelines:
        for host in fact.data.registries:
            cloud = host_cloud(host)
            if cloud:
                out.setdefault(cloud, []).append(fact.loc)
    for s in inp.k8s_sets:
        for ing in s.of("Ingress"):
            cloud = INGRESS_CLASS_CLOUDS.get(scalar(ing.body, "spec", "ingressClassName") or "")
            if cloud:
                out.setdefault(cloud, []).append(ing.loc("spec", "ingressClassName"))
    return out


def network_policy_cells(inp: Inputs) -> list[Cell]:
    """7.2.3: NetworkPolicies per set; a policy that selects every pod with no ingress rule is a default deny."""
    t = inp.t
    cells = []
    for s in inp.k8s_sets:
        policies = s.of("NetworkPolicy")
        if not policies:
            continue
        deny = [p.name for p in policies if _denies_ingress(p)]
        text = t(f"NetworkPolicy {len(policies)}개", f"{len(policies)} NetworkPolicies") + " (" + ", ".join(f"`{p.name}`" for p in policies) + ")"
        if deny:
            text += t("; 기본 차단(default deny): ", "; default deny: ") + ", ".join(deny)
        cells.append(Cell(_prefix(inp, s.name) + text, merge_evidence(p.loc() for p in policies)[:3]))
    return cells


def _denies_ingress(policy: K8sObject) -> bool:
    """The policy selects every pod (podSelector {} or absent), covers Ingress and allows no ingress."""
    # Not mapping(): a podSelector of the wrong type must not read as {} (select all) and claim a default deny.
    selects_all = dig(policy.body, "spec", "podSelector") in (None, {})
    types = sequence(policy.body, "spec", "policyTypes") or ["Ingress"]
    return selects_all and "Ingress" in types and not dig(policy.body, "spec", "ingress")


def probe_cells(inp: Inputs) -> list[Cell]:
    """12.2.2: readiness/liveness probes per workload, and which containers have none."""
    t = inp.t
    cells = []
    for k8s_set in inp.k8s_sets:
        mine = [w for w in inp.workloads if w.set == k8s_set.name and w.kind not in ("Job", "CronJob")]
        if not mine:
            continue
        with_both = [w for w in mine if all(c.probe("readiness") and c.probe("liveness") for c in w.containers)]
        missing = []
        for w in mine:
            for c in w.containers:
                lacks = [k for k in ("readiness", "liveness") if c.probe(k) is None]
                if lacks:
                    missing.append((w, c, lacks))
        evidence = merge_evidence(p.loc for w in with_both for c in w.containers for p in c.probes)[:3]
        cells.append(Cell(f"{_prefix(inp, k8s_set.name)}" + t(f"readiness/liveness 프로브가 모두 있는 워크로드 {len(with_both)}/{len(mine)}개",
                                                                f"{len(with_both)}/{len(mine)} workloads have readiness and liveness probes"), evidence))
        for w, c, lacks in missing:
            cells.append(Cell(f"{_prefix(inp, k8s_set.name)}{w.kind} `{w.name}` " + t(f"컨테이너 {c.name}: {', '.join(lacks)} 프로브 없음",
                                                                                    f"container {c.name}: no {', '.join(lacks)} probe"), (c.loc,)))
    return cells


def load_balancer_services(inp: Inputs) -> list[Cell]:
    cells = []
    for k8s_set in inp.k8s_sets:
        for svc in k8s_set.of("Service"):
            if text(svc.body, "spec", "type") == "LoadBalancer":
                ports = ", ".join(str(scalar(p, "port")) for p in mappings(svc.body, "spec", "ports"))
                cells.append(Cell(f"{_prefix(inp, k8s_set.name)}Service `{svc.name}` (type LoadBalancer, ports {ports})", (svc.loc("spec", "type"),)))
    return cells


def autoscaler_cells(inp: Inputs) -> list[Cell]:
    """12.2.1: HPAs, KEDA ScaledObjects (horizontal) and VPAs (vertical)."""
    cells = []
    for k8s_set in inp.k8s_sets:
        for hpa in k8s_set.of("HorizontalPodAutoscaler"):
            target = scalar(hpa.body, "spec", "scaleTargetRef", "name")
            metrics = _metrics(hpa)
            cells.append(Cell(f"{_prefix(inp, k8s_set.name)}HPA `{hpa.name}` → {target} ({hpa_range(hpa)}"
                              + (f", {metrics}" if metrics else "") + ")", (hpa.loc(),)))
        for so in k8s_set.of("ScaledObject"):
            triggers = ", ".join(str(scalar(trigger, "type")) for trigger in mappings(so.body, "spec", "triggers"))
            cells.append(Cell(f"{_prefix(inp, k8s_set.name)}KEDA ScaledObject `{so.name}` ({triggers})", (so.loc(),)))
    return cells


def vpa_cells(inp: Inputs) -> list[Cell]:
    return [Cell(f"{_prefix(inp, s.name)}VPA `{v.name}` (updateMode {scalar(v.body, 'spec', 'updatePolicy', 'updateMode') or 'Auto'})", (v.loc(),))
            for s in inp.k8s_sets for v in s.of("VerticalPodAutoscaler")]


def pdb_cells(inp: Inputs) -> list[Cell]:
    cells = []
    for s in inp.k8s_sets:
        for pdb in s.of("PodDisruptionBudget"):
            least = scalar(pdb.body, "spec", "minAvailable")
            rule = f"minAvailable {least}" if least is not None else f"maxUnavailable {scalar(pdb.body, 'spec', 'maxUnavailable')}"
            cells.append(Cell(f"{_prefix(inp, s.name)}PodDisruptionBudget `{pdb.name}` ({rule})", (pdb.loc(),)))
    return cells


def mesh_cells(inp: Inputs) -> list[Cell]:
    """8.1.2: service mesh objects and injection switches."""
    cells = []
    for s in inp.k8s_sets:
        istio = [o for o in s.objects if o.api_version.startswith(("networking.istio.io", "security.istio.io"))]
        if istio:
            kinds = sorted({o.kind for o in istio})
            cells.append(Cell(f"{_prefix(inp, s.name)}Istio ({', '.join(kinds)})", merge_evidence(o.loc() for o in istio)[:3]))
        linkerd = [o for o in s.objects if o.api_version.startswith("linkerd.io") or
                   text(o.body, "metadata", "annotations", "linkerd.io/inject") == "enabled"]
        if linkerd:
            cells.append(Cell(f"{_prefix(inp, s.name)}Linkerd", merge_evidence(o.loc() for o in linkerd)[:3]))
        for ns in s.of("Namespace"):
            labels = mapping(ns.body, "metadata", "labels")
            if text(labels, "istio-injection") == "enabled" or "istio.io/rev" in labels:
                cells.append(Cell(f"{_prefix(inp, s.name)}Namespace `{ns.name}`: Istio sidecar injection", (ns.loc("metadata", "labels"),)))
    return cells


def namespace_cells(inp: Inputs) -> list[Cell]:
    t = inp.t
    cells = []
    for s in inp.k8s_sets:
        declared = sorted({o.name for o in s.of("Namespace")})
        used = sorted({o.namespace for o in s.objects if o.namespace})
        if declared or used:
            text = t("네임스페이스 ", "namespaces ") + ", ".join(sorted(set(declared) | set(used)))
            evidence = [o.loc() for o in s.of("Namespace")] or [s.objects[0].loc()]
            cells.append(Cell(_prefix(inp, s.name) + text, tuple(evidence[:3])))
    return cells


def resource_management_cells(inp: Inputs) -> list[Cell]:
    t = inp.t
    cells = []
    for s in inp.k8s_sets:
        for quota in s.of("ResourceQuota"):
            hard = entries(quota.body, "spec", "hard")
            cells.append(Cell(f"{_prefix(inp, s.name)}ResourceQuota `{quota.name}` ({', '.join(f'{k}={v}' for k, v in hard)})", (quota.loc(),)))
        for lr in s.of("LimitRange"):
            cells.append(Cell(f"{_prefix(inp, s.name)}LimitRange `{lr.name}`", (lr.loc(),)))
        containers = [c for w in inp.workloads if w.set == s.name for c in w.containers]
        if containers:
            with_requests = sum(1 for c in containers if c.requests)
            with_limits = sum(1 for c in containers if c.limits)
            cells.append(Cell(_prefix(inp, s.name) + t(f"requests 지정 컨테이너 {with_requests}/{len(containers)}, limits 지정 {with_limits}/{len(containers)}",
                                                      f"{with_requests}/{len(containers)} containers set requests, {with_limits}/{len(containers)} set limits")))
    return cells


def identity_cells(inp: Inputs) -> list[Cell]:
    """11.2.1: service accounts bound to cloud identities, and RBAC objects."""
    t = inp.t
    cells = []
    keys = {"azure.workload.identity/client-id": "Azure workload identity", "eks.amazonaws.com/role-arn": "EKS IRSA",
            "iam.gke.io/gcp-service-account": "GKE Workload Identity"}
    for s in inp.k8s_sets:
        bound = []
        for sa in s.of("ServiceAccount"):
            annotations = mapping(sa.body, "metadata", "annotations")
            for key, label in keys.items():
                if key in annotations:
                    bound.append((sa, label))
        if bound:
            label = bound[0][1]
            cells.append(Cell(_prefix(inp, s.name) + t(f"{label}로 연결된 ServiceAccount {len(bound)}개 (", f"{len(bound)} ServiceAccounts bound with {label} (")
                              + ", ".join(f"`{sa.name}`" for sa, _ in bound) + ")", merge_evidence(sa.loc("metadata", "annotations") for sa, _ in bound)[:3]))
        rbac = s.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
        if rbac:
            counts = ", ".join(f"{k} {sum(1 for o in rbac if o.kind == k)}" for k in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
                               if any(o.kind == k for o in rbac))
            cells.append(Cell(_prefix(inp, s.name) + "Kubernetes RBAC (" + counts + ")", merge_evidence(o.loc() for o in rbac)[:3]))
    return cells


def secret_store_cells(inp: Inputs) -> list[Cell]:
    """11.2.2: how secrets reach pods (CSI Key Vault provider, External Secrets), names only."""
    cells = []
    for s in inp.k8s_sets:
        groups: dict[tuple[str, str], list[K8sObject]] = {}
        for spc in s.of("SecretProviderClass"):
            vault = scalar(spc.body, "spec", "parameters", "keyvaultName") or scalar(spc.body, "spec", "parameters", "vaultName") or ""
            groups.setdefault((str(scalar(spc.body, "spec", "provider")), vault), []).append(spc)
        for (provider, vault), spcs in sorted(groups.items()):
            names = ", ".join(f"`{o.name}`" for o in spcs)
            cells.append(Cell(f"{_prefix(inp, s.name)}Secrets Store CSI SecretProviderClass {len(spcs)} (provider {provider}"
                              + (f", Key Vault {vault}" if vault else "") + f": {names})", merge_evidence(o.loc() for o in spcs)[:3]))
        for es in s.of("ExternalSecret", "SecretStore", "ClusterSecretStore"):
            cells.append(Cell(f"{_prefix(inp, s.name)}External Secrets {es.kind} `{es.name}`", (es.loc(),)))
        secrets = s.of("Secret")
        if secrets:
            cells.append(Cell(f"{_prefix(inp, s.name)}Secret {len(secrets)} (" + ", ".join(f"`{o.name}`" for o in secrets[:8]) + ")",
                              merge_evidence(o.loc() for o in secrets)[:3]))
    return cells


def storage_cells(inp: Inputs) -> list[Cell]:
    cells = []
    for s in inp.k8s_sets:
        for pvc in s.of("PersistentVolumeClaim"):
            size = scalar(pvc.body, "spec", "resources", "requests", "storage")
            cls = scalar(pvc.body, "spec", "storageClassName")
            cells.append(Cell(f"{_prefix(inp, s.name)}PVC `{pvc.name}` ({size or '?'}" + (f", {cls}" if cls else "") + ")", (pvc.loc(),)))
        for sc in s.of("StorageClass"):
            cells.append(Cell(f"{_prefix(inp, s.name)}StorageClass `{sc.name}` ({scalar(sc.body, 'provisioner')})", (sc.loc(),)))
        for w in s.of("StatefulSet"):
            for i, claim in enumerate(sequence(w.body, "spec", "volumeClaimTemplates")):
                if not isinstance(claim, dict):
                    continue
                size = scalar(claim, "spec", "resources", "requests", "storage")
                cells.append(Cell(f"{_prefix(inp, s.name)}StatefulSet `{w.name}` volumeClaimTemplate {scalar(claim, 'metadata', 'name')} ({size})",
                                  (w.loc("spec", "volumeClaimTemplates", i),)))
    return cells


def observability_cells(inp: Inputs, *categories: str) -> list[Cell]:
    """Well-known software running in the cluster, with the workloads whose configuration points at it."""
    sets = {s.name: s for s in inp.k8s_sets}
    cells = []
    for w, product, image in in_cluster(inp, *categories):
        users = sorted({u.name for u, _ in users_of(inp, services_for(sets[w.set], w) + [w.name], w.set) if u.name != w.name})
        used = inp.t("; 사용: ", "; used by: ") + ", ".join(users) if users else ""
        cells.append(Cell(f"{_prefix(inp, w.set)}{product} ({w.kind} `{w.name}`, {image}{used})", (w.loc,)))
    return cells


def monitor_objects(inp: Inputs) -> list[Cell]:
    cells = []
    for s in inp.k8s_sets:
        objs = s.of("ServiceMonitor", "PodMonitor", "PrometheusRule")
        if objs:
            kinds = ", ".join(f"{k} {sum(1 for o in objs if o.kind == k)}" for k in ("ServiceMonitor", "PodMonitor", "PrometheusRule") if any(o.kind == k for o in objs))
            cells.append(Cell(f"{_prefix(inp, s.name)}Prometheus Operator ({kinds})", merge_evidence(o.loc() for o in objs)[:3]))
    return cells
