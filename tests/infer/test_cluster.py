"""Kubernetes objects in the document: workloads, stores and who uses them, ingress, probes, autoscaling."""

from __future__ import annotations

from typing import Any

from archinfer.render import render_document
from archinfer.scan import analyze
from tests.conftest import Tree
from tests.infer.test_sections import region

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cartservice
spec:
  replicas: 2
  selector:
    matchLabels: {app: cartservice}
  template:
    metadata:
      labels: {app: cartservice}
    spec:
      serviceAccountName: cart
      containers:
        - name: server
          image: us-docker.pkg.dev/google-samples/microservices-demo/cartservice:v0.10.0
          ports: [{containerPort: 7070}]
          env:
            - name: REDIS_ADDR
              value: "redis-cart:6379"
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
          readinessProbe:
            grpc: {port: 7070}
          resources:
            requests: {cpu: 200m, memory: 64Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-cart
spec:
  selector:
    matchLabels: {app: redis-cart}
  template:
    metadata:
      labels: {app: redis-cart}
    spec:
      containers:
        - name: redis
          image: redis:alpine
          readinessProbe: {tcpSocket: {port: 6379}}
          livenessProbe: {tcpSocket: {port: 6379}}
---
apiVersion: v1
kind: Service
metadata:
  name: redis-cart
spec:
  selector: {app: redis-cart}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata:
  name: frontend-external
spec:
  type: LoadBalancer
  selector: {app: frontend}
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /cart
            pathType: Prefix
            backend: {service: {name: cartservice, port: {number: 7070}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: cart
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: cartservice}
  minReplicas: 2
  maxReplicas: 8
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cart
spec:
  minAvailable: 1
  selector: {matchLabels: {app: cartservice}}
"""


def test_manifests_fill_cluster_sections(tree: Tree) -> None:
    root = tree({"kubernetes-manifests/app.yaml": APP})
    text = render_document(analyze(root).views, "ko")
    workloads = region(text, "7.2.1")
    assert "Deployment `cartservice`" in workloads and "HPA 2–8, cpu 60%" in workloads
    assert "requests cpu=200m, memory=64Mi" in workloads
    assert "Google Cloud (GCP)" in region(text, "7.1.2")  # Artifact Registry images are evidence of the cloud
    stores = region(text, "8.2.1")
    assert "Redis (클러스터 내)" in stores and "사용: cartservice" in stores
    ingress = region(text, "8.1.1")
    assert "클래스 nginx" in ingress and "/cart → cartservice" in ingress and "TLS shop-tls" in ingress
    assert "cert-manager letsencrypt" in ingress and "`kubernetes-manifests/app.yaml:62`" in ingress
    probes = region(text, "12.2.2")
    assert "1/2" in probes and "컨테이너 server: liveness 프로브 없음" in probes
    assert "type LoadBalancer" in probes
    assert "PodDisruptionBudget `cart` (minAvailable 1)" in region(text, "12.3.1")
    assert "HPA `cart` → cartservice (2–8, cpu 60%)" in region(text, "12.2.1")
    assert "password" not in stores.lower()


def test_secret_values_never_reach_the_document(tree: Tree) -> None:
    secret = """\
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
data:
  password: aHVudGVyMi1rOHMtc2VjcmV0
stringData:
  url: postgres://app:hunter2-k8s-secret@db:5432/app
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - name: DATABASE_URL
              value: postgres://app:hunter2-inline@db:5432/app
"""
    root = tree({"k8s/secret.yaml": secret})
    text = render_document(analyze(root).views, "ko")
    assert "db-credentials" in text  # the Secret's existence is a fact worth stating
    for value in ("aHVudGVyMi1rOHMtc2VjcmV0", "hunter2-k8s-secret", "hunter2-inline"):
        assert value not in text


def test_kustomize_components_nobody_enables_are_not_running(tree: Tree) -> None:
    deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: {name}:1\n"
    root = tree({
        "kustomize/kustomization.yaml": "resources:\n  - base\n# components:\n#   - components/assistant\n",
        "kustomize/base/kustomization.yaml": "resources:\n  - app.yaml\n",
        "kustomize/base/app.yaml": deployment.format(name="frontend"),
        "kustomize/components/assistant/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - assistant.yaml\n",
        "kustomize/components/assistant/assistant.yaml": deployment.format(name="assistant"),
    })
    analysis = analyze(root)
    text = render_document(analysis.views, "ko")
    assert "Deployment `frontend`" in region(text, "7.2.1")
    assert "assistant" not in text
    assert not [d for d in analysis.diagnostics if d.severity.value == "error"]


def test_conflicting_image_versions_and_unresolved_values_are_listed(tree: Tree) -> None:
    deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:{tag}\n"
    root = tree({"manifests/web.yaml": deployment.format(tag="1.0"), "release/web.yaml": deployment.format(tag="2.0"),
                 "main.tf": 'provider "azurerm" {\n  features {}\n}\nvariable "size" {}\nresource "azurerm_redis_cache" "c" {\n  sku_name = var.size\n}\n'})
    coverage = region(render_document(analyze(root, "en").views, "en"), "archinfer")
    assert "image web in several versions: 1.0, 2.0" in coverage
    assert "1 values not determined statically" in coverage and "sku = var.size" in coverage


def _users_by_search(inp: Any, names: list[str], set_name: str | None = None) -> list[tuple[Any, str]]:
    """users_of as it was written before its word index: every variable of every workload searched."""
    from archinfer.infer.cluster import _mentions

    found = []
    lowered = [n.lower() for n in names if n]
    for w in inp.workloads:
        if set_name is not None and w.set != set_name:
            continue
        for c in w.containers:
            hit = next((e.name for e in c.env if e.value and any(_mentions(e.value.lower(), n) for n in lowered)), None)
            if hit:
                found.append((w, hit))
                break
    return found


def test_users_of_finds_what_a_search_of_every_variable_finds(tree: Tree) -> None:
    from archinfer.infer.cluster import users_of
    from archinfer.scan import analyze

    values = ["redis-cart:6379", "http://api.shop.svc.cluster.local/v1", "psql-x.postgres.database.azure.com",
              "redis", "my-redisx", "REDIS-CART", "amqp://rabbit:5672,redis-cart", "db_host", "api"]
    docs = []
    for i in range(12):
        env = "".join(f"            - {{name: V{j}, value: '{values[(i * 5 + j) % len(values)]}'}}\n" for j in range(i % 4))
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w{i}\nspec:\n  template:\n    spec:\n"
                    f"      containers:\n        - name: a\n          image: nginx:1\n"
                    + (f"          env:\n{env}" if env else "")
                    + "        - name: b\n          image: nginx:1\n          env:\n"
                    f"            - {{name: SIDE, value: '{values[i % len(values)]}'}}\n")
    inp = analyze(tree({"k8s/all.yaml": "---\n".join(docs)}), "en").inputs
    assert inp is not None and len(inp.workloads) == 12
    for names in (["redis-cart"], ["redis"], ["api", "rabbit"], ["psql-x.postgres.database.azure.com"],
                  ["api.shop.svc.cluster.local", "redis-cart"], ["db_host", "x:y"], ["nothing"], [""]):
        assert [(w.name, v) for w, v in users_of(inp, names)] == [(w.name, v) for w, v in _users_by_search(inp, names)], names
