"""The live-cluster reader against recorded API responses served on 127.0.0.1: the manifests' facts, no secret values."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from archinfer.collectors import yaml_files
from archinfer.collectors.kubernetes import KIND_OBJECT, K8sObject
from archinfer.collectors.live_cluster import ClusterRead, read_cluster
from archinfer.infer.kubernetes import k8s_sets, workloads
from archinfer.model import Fact, Loc, Severity

FIXTURES = Path(__file__).parent / "live_cluster_fixtures"
TOKEN = "recorded-token"
EKS_CONTEXT = "arn:aws:eks:eu-west-1:111122223333:cluster/shop"
# Every value the recorded Secret and the credential keys of the ConfigMap hold, plain and base64.
SECRET_VALUES = ("hunter2-live-8817", "aHVudGVyMi1saXZlLTg4MTc=", "tok-live-5521-zeta", "dG9rLWxpdmUtNTUyMS16ZXRh",
                 "cm-password-9924", "cm-url-password-7731", "MDEyMzQ1Njc4OWFiY2RlZg==")

needs_client = pytest.mark.skipif(importlib.util.find_spec("kubernetes") is None,
                                  reason="the `kubernetes` package (archinfer[cluster]) is not installed")


@dataclass(frozen=True)
class Recorded:
    """The recorded API server: its port, the kubeconfig pointing at it, and every request it got."""

    port: int
    kubeconfig: Path
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path?query, Authorization)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> answer, for one test


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def _load(path: str, token: str | None) -> dict[str, Any] | None:
    file = FIXTURES / (path.strip("/") + (f"@{token}" if token else "") + ".json")
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else None


def answer(path: str, token: str | None) -> dict[str, Any]:
    """The recorded answer; namespaced paths are served from the cluster-wide recording, as the API server would."""
    recorded = _load(path, token)
    if recorded is not None:
        return recorded
    parts = path.strip("/").split("/")
    if "namespaces" in parts[:4] and len(parts) >= parts.index("namespaces") + 2:
        at = parts.index("namespaces")
        namespace, rest = parts[at + 1], parts[at + 2:]
        if not rest:  # GET /api/v1/namespaces/NAME
            listed = _load("/".join(parts[:at + 1]), None) or {"items": []}
            for item in listed["items"]:
                if item["metadata"]["name"] == namespace:
                    return dict(item, apiVersion="v1", kind="Namespace")
            return _status(404, "NotFound", f'namespaces "{namespace}" not found')
        whole = _load("/".join(parts[:at] + rest), token)
        if whole is not None and whole.get("kind") != "Status":
            items = [i for i in whole["items"] if i["metadata"].get("namespace") == namespace]
            return dict(whole, items=items)
        if whole is not None:
            return whole
    return _status(404, "NotFound", "the server could not find the requested resource")


def _handler(recorded: Recorded) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            auth = self.headers.get("Authorization", "")
            recorded.requests.append(("GET", self.path, auth))
            if auth != f"Bearer {TOKEN}":
                body = _status(401, "Unauthorized", "Unauthorized")
            else:
                token = parse_qs(url.query).get("continue", [""])[0] or None
                body = recorded.overrides.get(url.path.rstrip("/")) or answer(url.path, token)
            self._send(int(body["code"]) if body.get("kind") == "Status" else 200, body)

        def _refuse(self) -> None:  # a reader must never write: every other method is recorded and refused
            recorded.requests.append((self.command, self.path, self.headers.get("Authorization", "")))
            self._send(405, _status(405, "MethodNotAllowed", "read-only recording"))

        do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

        def _send(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def write_kubeconfig(path: Path, server: str, token: str = TOKEN) -> Path:
    contexts = ("recorded", EKS_CONTEXT)
    path.write_text(json.dumps({  # JSON is YAML: the loader reads it as any kubeconfig
        "apiVersion": "v1", "kind": "Config", "current-context": "recorded",
        "clusters": [{"name": "recorded", "cluster": {"server": server, "insecure-skip-tls-verify": True}}],
        "users": [{"name": "reader", "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": "recorded", "user": "reader", "namespace": "shop"}}
                     for name in contexts],
    }), encoding="utf-8")
    return path


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture(scope="module", autouse=True)
def no_proxy() -> Iterator[None]:
    """The client takes proxies from the environment (as kubectl does): 127.0.0.1 must be reached directly."""
    with pytest.MonkeyPatch.context() as patch:
        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    rec = Recorded(port, write_kubeconfig(tmp_path_factory.mktemp("kube") / "config", f"http://127.0.0.1:{port}"))
    server.RequestHandlerClass = _handler(rec)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def cluster(recorded: Recorded) -> ClusterRead:
    if importlib.util.find_spec("kubernetes") is None:
        pytest.skip("the `kubernetes` package (archinfer[cluster]) is not installed")
    return read_cluster(kubeconfig=str(recorded.kubeconfig), timeout_seconds=10)


def objects(read: ClusterRead) -> dict[tuple[str | None, str, str], K8sObject]:
    return {(f.data.namespace, f.data.kind, f.data.name): f.data for f in read.facts}


# The objects of namespace `shop` as their manifests say them (what `kubectl apply` was given).
MANIFESTS = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
  labels:
    app.kubernetes.io/name: web
data:
  CACHE_HOST: redis.shop.svc.cluster.local
  DATABASE_URL: postgres://shop:cm-url-password-7731@db.shop.svc:5432/shop
  DB_PASSWORD: cm-password-9924
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/part-of: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        app.kubernetes.io/part-of: shop
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: ghcr.io/example/shop-web:1.8.2
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: web-config
          env:
            - name: CACHE_HOST
              valueFrom:
                configMapKeyRef: {name: web-config, key: CACHE_HOST}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: web-secrets, key: DB_PASSWORD}
            - name: POD_NAME
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
            - name: PORT
              value: "8080"
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {cpu: "1", memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
          livenessProbe:
            tcpSocket: {port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: web-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {name: http}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 12
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secrets
  namespace: shop
type: Opaque
stringData:
  API_TOKEN: tok-live-5521-zeta
  DB_PASSWORD: hunter2-live-8817
"""


def manifest_objects() -> dict[tuple[str | None, str, str], K8sObject]:
    facts, diagnostics = yaml_files.collect("k8s/shop.yaml", MANIFESTS)
    assert diagnostics == []
    return {(f.data.namespace, f.data.kind, f.data.name): f.data for f in facts}


def _walk(data: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key), value
            yield from _walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


@needs_client
def test_every_kind_read_as_facts_with_cluster_provenance(cluster: ClusterRead) -> None:
    assert cluster.context == "recorded"
    assert [(f.data.namespace, f.data.kind, f.data.name) for f in cluster.facts] == [
        (None, "ClusterRoleBinding", "argocd-application-controller"),
        (None, "IngressClass", "nginx"),
        (None, "Namespace", "argocd"),
        (None, "Namespace", "shop"),
        (None, "StorageClass", "standard"),
        ("argocd", "Application", "shop"),
        ("shop", "ConfigMap", "feature-flags"),  # from the list's second page
        ("shop", "ConfigMap", "web-config"),
        ("shop", "CronJob", "nightly-report"),
        ("shop", "Deployment", "web"),
        ("shop", "HorizontalPodAutoscaler", "web"),
        ("shop", "Ingress", "web"),
        ("shop", "NetworkPolicy", "default-deny"),
        ("shop", "PodDisruptionBudget", "web"),
        ("shop", "ResourceQuota", "compute"),
        ("shop", "Role", "web-config-reader"),
        ("shop", "RoleBinding", "web-config-reader"),
        ("shop", "Secret", "web-secrets"),
        ("shop", "Service", "web"),
        ("shop", "ServiceAccount", "web"),
    ]
    deployment = next(f for f in cluster.facts if f.data.kind == "Deployment")
    loc = Loc("cluster:recorded/shop/Deployment/web", 0)
    assert deployment == Fact(KIND_OBJECT, loc, None)
    assert (deployment.data.origin, deployment.data.source, deployment.data.loc("spec", "replicas")) == (
        loc, "cluster:recorded", loc)
    cluster_scoped = next(f for f in cluster.facts if f.data.kind == "IngressClass")
    assert cluster_scoped.loc == Loc("cluster:recorded/-/IngressClass/nginx", 0)
    assert str(cluster_scoped.loc) == "cluster:recorded/-/IngressClass/nginx"


@needs_client
def test_facts_have_the_shape_the_manifests_give(cluster: ClusterRead) -> None:
    live, manifest = objects(cluster), manifest_objects()
    for key, declared in manifest.items():
        served = live[key]
        assert (served.api_version, served.kind, served.name, served.namespace) == (
            declared.api_version, declared.kind, declared.name, declared.namespace)
        assert list(served.body)[:3] == ["apiVersion", "kind", "metadata"]
        # The server may add labels (kubernetes.io/metadata.name), never lose one.
        assert declared.body["metadata"].get("labels", {}).items() <= served.body["metadata"].get("labels", {}).items()
    deployment = ("shop", "Deployment", "web")
    assert live[deployment].body["spec"]["replicas"] == manifest[deployment].body["spec"]["replicas"] == 3
    served_container = live[deployment].body["spec"]["template"]["spec"]["containers"][0]
    declared_container = manifest[deployment].body["spec"]["template"]["spec"]["containers"][0]
    for field_name in ("name", "image", "envFrom", "resources"):
        assert served_container[field_name] == declared_container[field_name]
    # The API server adds defaults (fieldRef.apiVersion): the env is the manifest's, defaults aside.
    assert [e["name"] for e in served_container["env"]] == [e["name"] for e in declared_container["env"]]
    assert served_container["env"][0] == declared_container["env"][0]
    ingress = ("shop", "Ingress", "web")
    assert live[ingress].body["spec"] == manifest[ingress].body["spec"]
    service = ("shop", "Service", "web")
    assert live[service].body["spec"]["selector"] == manifest[service].body["spec"]["selector"]
    assert [(p["port"], p["targetPort"]) for p in live[service].body["spec"]["ports"]] == [(80, "http")]
    hpa = ("shop", "HorizontalPodAutoscaler", "web")
    for field_name in ("scaleTargetRef", "minReplicas", "maxReplicas", "metrics"):
        assert live[hpa].body["spec"][field_name] == manifest[hpa].body["spec"][field_name]


@needs_client
def test_workloads_resolve_the_same_env_from_the_live_configmap(cluster: ClusterRead) -> None:
    [live_set] = k8s_sets(cluster.facts)  # one cluster, one set: its facts' paths share "cluster:recorded"
    assert (live_set.name, live_set.kind) == ("cluster:recorded", "manifests")
    manifest_facts, _ = yaml_files.collect("k8s/shop.yaml", MANIFESTS)
    live, declared = workloads(live_set), workloads(k8s_sets(manifest_facts)[0])
    web = next(w for w in live if w.name == "web")
    expected = next(w for w in declared if w.name == "web")
    assert (web.kind, web.namespace, web.replicas, web.service_account, web.labels) == (
        expected.kind, expected.namespace, expected.replicas, expected.service_account, expected.labels)
    [container], [declared_container] = web.containers, expected.containers
    assert (container.image, container.ports, container.requests, container.limits) == (
        declared_container.image, declared_container.ports, declared_container.requests, declared_container.limits)
    assert [(p.kind, p.detail) for p in container.probes] == [(p.kind, p.detail) for p in declared_container.probes]
    # Only the ConfigMap's credential-like entries are missing: the live reader never brings them in.
    withheld = {"DB_PASSWORD", "DATABASE_URL"}
    assert container.env == tuple(e for e in declared_container.env
                                  if not (e.source == "configmap:web-config" and e.name in withheld))
    assert ("CACHE_HOST", "redis.shop.svc.cluster.local", "configmap:web-config") in [
        (e.name, e.value, e.source) for e in container.env]
    assert container.loc == Loc("cluster:recorded/shop/Deployment/web", 0)


@needs_client
def test_no_secret_value_anywhere_in_the_result(cluster: ClusterRead) -> None:
    text = repr(cluster) + repr([f.data.body for f in cluster.facts])
    for value in SECRET_VALUES:
        assert value not in text
    secret = objects(cluster)[("shop", "Secret", "web-secrets")]
    assert (secret.body["type"], secret.body["data"]) == ("Opaque", {"API_TOKEN": "", "DB_PASSWORD": ""})
    config = objects(cluster)[("shop", "ConfigMap", "web-config")].body["data"]
    assert config == {"CACHE_HOST": "redis.shop.svc.cluster.local", "LOG_LEVEL": "info"}
    flags = objects(cluster)[("shop", "ConfigMap", "feature-flags")].body
    assert flags["data"] == {"checkout.v2": "true", "search.fuzzy": "false"} and flags["binaryData"] == {"banner.png": ""}


@needs_client
def test_server_bookkeeping_and_last_applied_are_gone(cluster: ClusterRead) -> None:
    for fact in cluster.facts:
        body = fact.data.body
        assert "status" not in body
        assert not {"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"} & set(body["metadata"])
        assert "kubectl.kubernetes.io/last-applied-configuration" not in json.dumps(body)
    live = objects(cluster)
    assert "annotations" not in live[("shop", "Deployment", "web")].body["metadata"] or \
        live[("shop", "Deployment", "web")].body["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "4"}
    assert "annotations" not in live[("shop", "Secret", "web-secrets")].body["metadata"]  # only last-applied was there
    assert live[("shop", "Ingress", "web")].body["metadata"]["annotations"] == {
        "cert-manager.io/cluster-issuer": "letsencrypt"}


@needs_client
def test_custom_resources_of_served_groups_as_manifests(cluster: ClusterRead) -> None:
    app = objects(cluster)[("argocd", "Application", "shop")]
    assert (app.api_version, app.kind) == ("argoproj.io/v1alpha1", "Application")
    assert app.body["spec"]["source"]["path"] == "k8s/overlays/prod" and "status" not in app.body
    assert next(f.loc for f in cluster.facts if f.data is app) == Loc("cluster:recorded/argocd/Application/shop", 0)


@needs_client
def test_system_namespaces_and_what_kubernetes_made_itself_are_left_out(cluster: ClusterRead) -> None:
    keys = set(objects(cluster))
    assert not [k for k in keys if k[0] in ("kube-system", "kube-public", "kube-node-lease", "default")]
    assert {(None, "Namespace", "default"), (None, "Namespace", "kube-system"), ("shop", "ServiceAccount", "default"),
            ("shop", "ConfigMap", "kube-root-ca.crt"), (None, "ClusterRoleBinding", "cluster-admin"),
            (None, "ClusterRoleBinding", "system:coredns"), ("shop", "Job", "nightly-report-28578600")} & keys == set()


@needs_client
def test_forbidden_list_is_a_warning_and_the_rest_is_read(cluster: ClusterRead) -> None:
    assert [(str(d.loc), d.severity) for d in cluster.diagnostics] == [
        ("cluster:recorded/-/ClusterRole", Severity.WARNING)]
    message = cluster.diagnostics[0].message
    assert message.startswith("ClusterRole objects not read: 403 Forbidden") and 'cannot list resource "clusterroles"' in message


@needs_client
def test_only_gets_with_the_kubeconfig_credentials(recorded: Recorded) -> None:
    start = len(recorded.requests)
    read_cluster(kubeconfig=str(recorded.kubeconfig), timeout_seconds=10)
    requests = recorded.requests[start:]
    assert requests and {(method, auth) for method, _, auth in requests} == {("GET", f"Bearer {TOKEN}")}
    paths = [path for _, path, _ in requests]
    assert paths[:2] == ["/apis/", "/apis/argoproj.io/v1alpha1"]  # discovery first
    assert any(p.startswith("/api/v1/configmaps?") and "continue=page2" in p for p in paths)
    assert all("limit=" in p for p in paths if p.startswith("/api/v1/secrets"))


@needs_client
def test_namespaces_limit_the_read(recorded: Recorded) -> None:
    read = read_cluster(kubeconfig=str(recorded.kubeconfig), namespaces=["shop"], timeout_seconds=10)
    keys = set(objects(read))
    assert {k[0] for k in keys} == {None, "shop"}
    assert (None, "Namespace", "shop") in keys and (None, "Namespace", "argocd") not in keys
    assert ("shop", "ConfigMap", "feature-flags") in keys and ("shop", "Deployment", "web") in keys
    assert (None, "StorageClass", "standard") in keys  # cluster-scoped kinds are still read
    # Missing cluster-wide rights is expected of a namespace-limited reader: no warning for it.
    assert [(str(d.loc), d.severity) for d in read.diagnostics] == [("cluster:recorded/-/ClusterRole", Severity.INFO)]


@needs_client
def test_a_system_namespace_asked_for_is_read(recorded: Recorded) -> None:
    read = read_cluster(kubeconfig=str(recorded.kubeconfig), namespaces=("kube-system", "nowhere"), timeout_seconds=10)
    keys = set(objects(read))
    assert ("kube-system", "Deployment", "coredns") in keys and ("kube-system", "DaemonSet", "kube-proxy") in keys
    assert (None, "Namespace", "kube-system") in keys
    # Kubernetes' own objects stay out even there.
    assert (None, "ClusterRoleBinding", "system:coredns") not in keys
    missing = [d for d in read.diagnostics if "nowhere" in str(d.loc)]
    assert [(str(d.loc), d.severity) for d in missing] == [("cluster:recorded/nowhere/Namespace", Severity.WARNING)]
    assert "404" in missing[0].message


@needs_client
def test_named_context_with_a_slash_keeps_the_path_readable(recorded: Recorded) -> None:
    read = read_cluster(EKS_CONTEXT, str(recorded.kubeconfig), namespaces=["shop"], timeout_seconds=10)
    assert read.context == EKS_CONTEXT
    deployment = next(f for f in read.facts if f.data.kind == "Deployment")
    assert deployment.loc.path == "cluster:arn:aws:eks:eu-west-1:111122223333:cluster%2Fshop/shop/Deployment/web"
    assert deployment.data.source == f"cluster:{EKS_CONTEXT}"


@needs_client
def test_an_older_cluster_without_a_group_version_is_read_without_it(recorded: Recorded) -> None:
    apis = json.loads((FIXTURES / "apis.json").read_text(encoding="utf-8"))
    for group in apis["groups"]:
        if group["name"] == "autoscaling":  # Kubernetes before 1.23 serves autoscaling/v1 only
            group["versions"] = [{"groupVersion": "autoscaling/v1", "version": "v1"}]
            group["preferredVersion"] = group["versions"][0]
    recorded.overrides["/apis"] = apis
    try:
        read = read_cluster(kubeconfig=str(recorded.kubeconfig), timeout_seconds=10)
    finally:
        recorded.overrides.clear()
    assert "HorizontalPodAutoscaler" not in {f.data.kind for f in read.facts} and len(read.facts) == 19
    assert ("cluster:recorded", Severity.INFO, "autoscaling/v2 is not served: HorizontalPodAutoscaler objects not read") in [
        (str(d.loc), d.severity, d.message) for d in read.diagnostics]


@needs_client
def test_a_server_without_the_kubernetes_api_gives_an_empty_read(recorded: Recorded) -> None:
    recorded.overrides["/apis"] = _status(404, "NotFound", "404 page not found")
    try:
        read = read_cluster(kubeconfig=str(recorded.kubeconfig), timeout_seconds=10)
    finally:
        recorded.overrides.clear()
    assert read.facts == () and [d.severity for d in read.diagnostics] == [Severity.ERROR]
    assert "/apis answers 404 Not Found" in read.diagnostics[0].message


@needs_client
def test_rejected_credentials_give_an_empty_read(recorded: Recorded, tmp_path: Path) -> None:
    kubeconfig = write_kubeconfig(tmp_path / "config", f"http://127.0.0.1:{recorded.port}", token="expired")
    read = read_cluster(kubeconfig=str(kubeconfig), timeout_seconds=10)
    assert read.facts == () and [d.severity for d in read.diagnostics] == [Severity.ERROR]
    assert "401" in read.diagnostics[0].message


@needs_client
def test_closed_port_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kubeconfig = write_kubeconfig(tmp_path / "config", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    read = read_cluster(kubeconfig=str(kubeconfig), timeout_seconds=5)
    assert time.monotonic() - started < 5
    assert read.facts == () and [(str(d.loc), d.severity) for d in read.diagnostics] == [
        ("cluster:recorded", Severity.ERROR)]
    assert read.diagnostics[0].message.startswith(f"cannot read the cluster at http://127.0.0.1:{port}:")
    assert "refused" in read.diagnostics[0].message.lower()


@needs_client
def test_a_silent_server_times_out(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        kubeconfig = write_kubeconfig(tmp_path / "config", f"http://127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        read = read_cluster(kubeconfig=str(kubeconfig), timeout_seconds=1)
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert read.facts == () and "no answer within 1 s" in read.diagnostics[0].message


@needs_client
def test_unusable_kubeconfig_is_a_diagnostic(tmp_path: Path, recorded: Recorded) -> None:
    missing = read_cluster(kubeconfig=str(tmp_path / "absent"), timeout_seconds=5)
    assert missing.facts == () and missing.diagnostics[0].severity == Severity.ERROR
    assert missing.diagnostics[0].message.startswith(f"cannot use the kubeconfig ({tmp_path / 'absent'}):")
    unknown = read_cluster("no-such-context", str(recorded.kubeconfig), timeout_seconds=5)
    assert unknown.context == "no-such-context" and unknown.facts == ()
    assert "no-such-context" in unknown.diagnostics[0].message


def test_missing_client_package_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # `import kubernetes` now raises ImportError
    read = read_cluster("prod")
    assert read == ClusterRead("prod", (), read.diagnostics)
    [diagnostic] = read.diagnostics
    assert (str(diagnostic.loc), diagnostic.severity) == ("cluster:prod", Severity.ERROR)
    assert "pip install 'archinfer[cluster]'" in diagnostic.message


def test_importing_the_reader_does_not_import_the_client() -> None:
    code = "import sys, archinfer.collectors.live_cluster; print('kubernetes' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@needs_client
def test_scan_cluster_end_to_end_through_the_cli(recorded: Recorded, tmp_path: Path) -> None:
    """`archinfer scan DIR --cluster`: the live objects reach the document with cluster provenance, secrets never."""
    from typer.testing import CliRunner

    from archinfer.cli import app

    result = CliRunner().invoke(app, ["scan", str(tmp_path), "-o", "-", "--cluster", "--kubeconfig", str(recorded.kubeconfig)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "cluster:recorded/shop/Deployment/" in text
    assert "cluster:recorded" in text.split("<!-- archinfer:begin 7.2.1 -->")[1].split("<!-- archinfer:end 7.2.1")[0]
    for value in SECRET_VALUES:
        assert value not in result.output
