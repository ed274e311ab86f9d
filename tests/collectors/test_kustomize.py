"""kustomize builder: the same objects as `kubectl kustomize`, with the path:line they came from."""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from archinfer.collectors.kustomize import KUSTOMIZATION_NAMES, BuildResult, build, is_kustomization, referenced_dirs
from archinfer.model import Loc, Severity

FIXTURES = Path(__file__).parent / "kustomize_fixtures"
SAMPLE_INFRA = Path(__file__).resolve().parents[2] / "sample-infra"
needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")

Tree = Callable[[dict[str, str | bytes]], Path]


def reader(root: Path) -> Callable[[str], str]:
    """read_text as archinfer gives it: files under `root` only, no symlinks."""
    base = root.resolve()

    def read_text(rel: str) -> str:
        path = root / rel
        if path.is_symlink():
            raise OSError(f"{rel}: symlink")
        if base not in path.resolve().parents:
            raise OSError(f"{rel}: outside the root")
        return path.read_text(encoding="utf-8")

    return read_text


def kubectl_objects(root: Path, overlay: str) -> list[Any]:
    out = subprocess.run(["kubectl", "kustomize", str(root / overlay)], capture_output=True, text=True, check=True)
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc is not None]


def built(overlay: str, root: Path = FIXTURES) -> BuildResult:
    return build(overlay, reader(root))


def by_kind(result: BuildResult, kind: str) -> list[dict[str, Any]]:
    return [o.data for o in result.objects if o.data["kind"] == kind]


def one(result: BuildResult, kind: str) -> dict[str, Any]:
    (obj,) = by_kind(result, kind)
    return obj


def containers(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}


# --- the on-disk fixture: a base, a component, and dev/prod overlays -------------------------------------------


@needs_kubectl
@pytest.mark.parametrize("overlay", ["shop/base", "shop/overlays/dev", "shop/overlays/prod"])
def test_fixture_overlays_match_kubectl(overlay: str) -> None:
    result = built(overlay)
    assert [o.data for o in result.objects] == kubectl_objects(FIXTURES, overlay)
    assert result.diagnostics == ()


def test_dev_overlay_names_namespace_images_replicas_and_hashes() -> None:
    result = built("shop/overlays/dev")
    assert result.overlay == "shop/overlays/dev"
    assert [(o.data["kind"], o.data["metadata"]["name"]) for o in result.objects] == [
        ("ServiceAccount", "dev-web"), ("Role", "dev-web-reader"), ("RoleBinding", "dev-web-reader"),
        ("ConfigMap", "dev-web-config-79t5dd5422"), ("Secret", "dev-web-secret-bgc4mctghk"),
        ("Service", "dev-web"), ("PersistentVolumeClaim", "dev-web-data"), ("Deployment", "dev-web"),
        ("HorizontalPodAutoscaler", "dev-web"), ("Ingress", "dev-web")]
    assert {o.data["metadata"]["namespace"] for o in result.objects} == {"shop-dev"}
    deployment = one(result, "Deployment")
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "web", "env": "dev"}
    web = containers(deployment)["web"]
    assert list(containers(deployment)) == ["web"]  # the metrics sidecar is deleted by `$patch: delete`
    assert web["image"] == "registry.example.com/shop/web:1.4.0-rc.1"
    assert web["imagePullPolicy"] == "Always"
    assert [e["name"] for e in web["env"]] == ["DEBUG", "DB_PASSWORD", "ENVIRONMENT"]
    assert web["envFrom"][0]["configMapRef"]["name"] == "dev-web-config-79t5dd5422"
    assert web["env"][1]["valueFrom"]["secretKeyRef"]["name"] == "dev-web-secret-bgc4mctghk"
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert volumes["config"]["configMap"]["name"] == "dev-web-config-79t5dd5422"
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] == "dev-web-data"
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "dev-web"
    assert one(result, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["name"] == "dev-web"
    assert one(result, "RoleBinding")["subjects"] == [{"kind": "ServiceAccount", "name": "dev-web",
                                                        "namespace": "shop-dev"}]
    backend = one(result, "Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]
    assert backend["service"]["name"] == "dev-web"
    assert one(result, "Service")["spec"]["selector"] == {"app": "web", "env": "dev"}


def test_generated_data_and_merge_behavior() -> None:
    result = built("shop/overlays/dev")
    config = one(result, "ConfigMap")
    assert config["data"] == {"GREETING": "hello <world> & co", "LOG_LEVEL": "debug",
                              "app.properties": "cache.ttl=300\nfeature.search=on\n"}
    secret = one(result, "Secret")
    assert secret["type"] == "Opaque"
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == {
        "DB_PASSWORD": "fixture-password-base", "DB_USER": "web"}


def test_prod_overlay_labels_component_images_and_patches() -> None:
    result = built("shop/overlays/prod")
    assert one(result, "Namespace")["metadata"] == {
        "name": "shop-prod", "labels": {"env": "prod", "team": "storefront"}, "annotations": {"owner": "platform-team"}}
    deployment = one(result, "Deployment")
    assert deployment["metadata"]["name"] == "web-prod"
    assert deployment["spec"]["replicas"] == 4  # the commented-out debug component (replicas: 99) is not applied
    # includeTemplates puts `env` in pod templates only; includeSelectors puts `team` in selectors too.
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "web", "team": "storefront"}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "web", "env": "prod", "team": "storefront"}
    template = deployment["spec"]["template"]
    assert template["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    web, metrics = containers(deployment)["web"], containers(deployment)["metrics"]
    assert web["image"] == ("prod.registry.example.com/shop/web@sha256:"
                            "4f1c5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d")
    assert web["resources"] == {"requests": {"cpu": "500m"}, "limits": {"memory": "1Gi"}}
    assert web["env"][-1] == {"name": "REGION", "value": "koreacentral"}
    assert metrics["ports"] == [{"containerPort": 9102, "name": "metrics"}]
    assert template["spec"]["topologySpreadConstraints"][0]["topologyKey"] == "topology.kubernetes.io/zone"
    service = one(result, "Service")
    assert service["spec"]["type"] == "LoadBalancer"
    assert [p["port"] for p in service["spec"]["ports"]] == [443, 80]
    assert one(result, "ServiceMonitor")["metadata"]["name"] == "web-prod"
    names = {o.data["metadata"]["name"] for o in result.objects if o.data["kind"] in ("ConfigMap", "Secret")}
    assert names == {"feature-flags-prod", "web-config-prod-mtfm8m6kh4", "web-secret-prod-5gt2dt4hbf"}
    secret = one(result, "Secret")
    assert secret["metadata"]["labels"]["generated"] == "true"
    assert base64.b64decode(secret["data"]["DB_PASSWORD"]).decode() == "fixture-password-prod"


def test_origins_and_lines_survive_overlay_patches() -> None:
    result = built("shop/overlays/dev")
    deployment = next(o for o in result.objects if o.data["kind"] == "Deployment")
    assert deployment.origin == Loc("shop/base/deployment.yaml", 1)
    containers_path = ("spec", "template", "spec", "containers")
    assert deployment.lines[containers_path] == 19
    assert deployment.lines[containers_path + (0, "image")] == 21  # the key is the base's, the tag the overlay's
    assert deployment.lines[("spec", "replicas")] == 9
    # DEBUG came from the overlay's patch (no line in the base); DB_PASSWORD keeps its base line after the merge.
    assert containers_path + (0, "env", 0) not in deployment.lines
    assert deployment.lines[containers_path + (0, "env", 1, "name")] == 29
    assert containers_path + (0, "resources") not in deployment.lines
    generated = {o.data["kind"]: o for o in result.objects if o.data["kind"] in ("ConfigMap", "Secret")}
    assert generated["ConfigMap"].origin == Loc("shop/base/kustomization.yaml", 11)  # merge keeps the original
    assert generated["Secret"].origin == Loc("shop/base/kustomization.yaml", 18)
    assert generated["Secret"].lines == {}
    prod = built("shop/overlays/prod")
    replaced = next(o for o in prod.objects if o.data["kind"] == "Secret")
    assert replaced.origin == Loc("shop/overlays/prod/kustomization.yaml", 31)  # replace takes the overlay's entry
    monitor = next(o for o in prod.objects if o.data["kind"] == "ServiceMonitor")
    assert monitor.origin == Loc("shop/components/monitoring/servicemonitor.yaml", 1)


def test_files_read_by_the_build() -> None:
    assert built("shop/overlays/dev").files == (
        "shop/base/config/app.properties", "shop/base/deployment.yaml", "shop/base/hpa.yaml", "shop/base/ingress.yaml",
        "shop/base/kustomization.yaml", "shop/base/pvc.yaml", "shop/base/rbac.yaml", "shop/base/secret.env",
        "shop/base/service.yaml", "shop/overlays/dev/kustomization.yaml", "shop/overlays/dev/patch-env.yaml",
        "shop/overlays/dev/patch-resources.yaml")
    assert "shop/components/debug/kustomization.yaml" not in built("shop/overlays/prod").files


def test_referenced_dirs_tell_bases_and_components_from_top_level_overlays() -> None:
    overlays = ["shop/base", "shop/components/debug", "shop/components/monitoring", "shop/overlays/dev",
                "shop/overlays/prod"]
    assert referenced_dirs(overlays, reader(FIXTURES)) == {"shop/base", "shop/components/monitoring"}
    assert referenced_dirs(["shop/overlays/prod"], reader(FIXTURES)) == {"shop/base", "shop/components/monitoring"}


def test_is_kustomization() -> None:
    assert all(is_kustomization(f"a/b/{name}") for name in KUSTOMIZATION_NAMES)
    assert not is_kustomization("a/kustomization.json") and not is_kustomization("a/my-kustomization.yaml")


# --- problems: each one is a diagnostic at the kustomization's line, and the build goes on ------------------------


def test_problems_are_diagnostics_with_lines_and_the_build_continues() -> None:
    result = built("broken/overlay")
    # What could be read is built, the replacement included (settings' mode copied into extra).
    assert [o.data for o in result.objects] == [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra"}, "data": {"mode": "safe"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "safe"}}]
    assert all(d.loc.path == "broken/overlay/kustomization.yaml" for d in result.diagnostics)
    expected = {
        3: (Severity.ERROR, "missing.yaml"),
        4: (Severity.ERROR, "broken/overlay/broken.yaml:7: cannot parse YAML"),
        5: (Severity.WARNING, "not fetched: https://github.com/example/platform//deploy/base?ref=v1.2.3"),
        6: (Severity.WARNING, "remote resource not fetched: github.com/example/other/manifests?ref=main"),
        8: (Severity.WARNING, "helmCharts"),
        23: (Severity.ERROR, "'colour'"),
        25: (Severity.WARNING, "transformer plugin ksops not run"),
        27: (Severity.ERROR, "no-such-patch.yaml"),
        28: (Severity.ERROR, "ConfigMap 'nobody'"),
        36: (Severity.ERROR, "the same key is given twice"),
    }
    assert sorted((d.loc.line, d.severity) for d in result.diagnostics) == sorted(
        (line, severity) for line, (severity, _) in expected.items())
    for d in result.diagnostics:
        assert expected[d.loc.line][1] in d.message


def test_secret_values_never_appear_in_diagnostics() -> None:
    messages = " ".join(str(d) for d in built("broken/overlay").diagnostics)
    assert "super-secret-value" not in messages and "another-secret-value" not in messages


def test_a_value_that_does_not_fit_its_tag_is_reported_without_the_value(tree: Tree) -> None:
    root = tree({"kustomization.yaml": "resources: [secret.yaml]\n",
                 "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: !!int hunter2\n"})
    result = build(".", reader(root))
    assert result.objects == ()
    assert [(d.loc, d.severity) for d in result.diagnostics] == [(Loc("kustomization.yaml", 1), Severity.ERROR)]
    assert "secret.yaml" in result.diagnostics[0].message and "hunter2" not in result.diagnostics[0].message

def test_cycles_are_reported_once_and_the_rest_is_built() -> None:
    result = built("cycle/a")
    assert [o.data["metadata"]["name"] for o in result.objects] == ["from-b"]
    assert [(d.loc, d.severity) for d in result.diagnostics] == [(Loc("cycle/b/kustomization.yaml", 2), Severity.ERROR)]
    assert "cycle" in result.diagnostics[0].message


def test_folder_without_kustomization() -> None:
    result = built("shop/nowhere")
    assert result.objects == () and len(result.diagnostics) == 1
    assert "no kustomization file" in result.diagnostics[0].message


def test_unreadable_and_outside_files(tree: Tree) -> None:
    root = tree({
        "app/kustomization.yaml": "resources:\n  - ../shared/cm.yaml\n  - ../../escape.yaml\n  - blob.bin\n",
        "shared/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n",
        "app/blob.bin": b"\xff\xfe binary",
    })
    result = build("app", reader(root))
    assert result.objects == ()
    messages = {d.loc.line: d.message for d in result.diagnostics}
    assert "outside the kustomization's folder" in messages[2]  # kustomize only loads files below the folder
    assert "outside the scanned folder" in messages[3]
    assert "not found" in messages[4]


# --- small trees, each compared with kubectl: the finer points of kustomize's semantics --------------------------


SCENARIOS: dict[str, dict[str, str | bytes]] = {
    "strategic_merge_lists": {
        "kustomization.yaml": """
            resources: [app.yaml, crd-instance.yaml]
            patches:
              - path: patch.yaml
              - patch: |-
                  apiVersion: example.com/v1
                  kind: Widget
                  metadata:
                    name: w
                  spec:
                    items:
                      - name: b
            """,
        "app.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              creationTimestamp: null
            spec:
              progressDeadlineSeconds:
              template:
                spec:
                  initContainers:
                    - name: init
                      image: busybox
                  containers:
                    - name: main
                      image: app:1
                      args: [--a, --b]
                      ports:
                        - containerPort: 80
                        - containerPort: 53
                          protocol: UDP
                      env:
                        - {name: A, value: "1"}
                        - {name: B, value: "2"}
                        - {name: C, value: "3"}
                      resources:
                        limits: {cpu: "1"}
                      securityContext: {runAsNonRoot: true}
                    - name: side
                      image: side:1
                  volumes:
                    - name: tmp
                      emptyDir: {}
                    - name: cache
                      emptyDir:
                  tolerations:
                    - key: a
                      operator: Exists
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app
            spec:
              ports:
                - {port: 80, targetPort: 8080}
                - {port: 53, protocol: UDP}
            """,
        "crd-instance.yaml": """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            spec:
              items:
                - {name: a, size: 1}
                - {name: b, size: 2}
            """,
        "patch.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: side
                      $patch: delete
                    - name: main
                      args: [--c]
                      ports:
                        - containerPort: 8443
                        - containerPort: 53
                          protocol: UDP
                          name: dns
                      env:
                        - {name: B, $patch: delete}
                        - {name: D, value: "4"}
                      resources:
                        $patch: replace
                        requests: {memory: 1Gi}
                      securityContext: null
                    - name: new
                      image: new:1
                  tolerations:
                    - key: b
                      operator: Exists
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app
            spec:
              ports:
                - {port: 80, targetPort: 9090}
                - {port: 443, name: https}
            """,
    },
    "json_patches": {
        "kustomization.yaml": """
            resources: [cm.yaml]
            patches:
              - target: {kind: ConfigMap, name: "settings-.*"}
                patch: |-
                  - op: add
                    path: /data/new~1key
                    value: added
                  - op: remove
                    path: /data/drop
                  - op: replace
                    path: /data/missing
                    value: set-by-replace
                  - op: copy
                    from: /data/keep
                    path: /data/copied
                  - op: move
                    from: /data/moveme
                    path: /metadata/annotations/moved
                  - op: test
                    path: /data/keep
                    value: "yes"
                  - op: add
                    path: /list/0
                    value: first
                  - op: add
                    path: /list/-
                    value: last
            patchesJson6902:
              - target: {version: v1, kind: ConfigMap, name: other}
                patch: '[{"op": "replace", "path": "/data/x", "value": "from-json"}]'
            """,
        "cm.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings-a
            data:
              keep: "yes"
              drop: x
              moveme: m
            list: [middle]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: other
            data:
              x: y
            """,
    },
    "name_references": {
        "kustomization.yaml": """
            namePrefix: top-
            resources: [team-a, team-b, binding.yaml]
            """,
        "team-a/kustomization.yaml": """
            namePrefix: a-
            resources: [app.yaml]
            configMapGenerator:
              - name: settings
                literals: [TEAM=a]
            """,
        "team-a/app.yaml": """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
            spec:
              serviceName: db
              template:
                spec:
                  serviceAccountName: db
                  priorityClassName: high
                  containers:
                    - name: db
                      image: postgres:16
                      envFrom:
                        - configMapRef: {name: settings}
                  volumes:
                    - name: cfg
                      projected:
                        sources:
                          - configMap: {name: settings}
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec:
                    storageClassName: fast
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: db
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: db
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata:
              name: high
            value: 1000
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: fast
            provisioner: example.com/fast
            """,
        "team-b/kustomization.yaml": """
            namePrefix: b-
            resources: [job.yaml]
            configMapGenerator:
              - name: settings
                literals: [TEAM=b]
            """,
        "team-b/job.yaml": """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: report
            spec:
              schedule: "0 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                        - name: report
                          image: report:1
                          env:
                            - name: TEAM
                              valueFrom:
                                configMapKeyRef: {name: settings, key: TEAM}
                      restartPolicy: Never
            """,
        "binding.yaml": """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: db-view
            subjects:
              - kind: ServiceAccount
                name: a-db
                namespace: default
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: view
            """,
    },
    "generators": {
        "kustomization.yaml": """
            resources: [base]
            generatorOptions:
              annotations:
                note: generated
              immutable: true
            configMapGenerator:
              - name: plain
                behavior: merge
                literals: [ADDED="quoted value", EMPTY=]
              - name: app-env
                envs: [app.env]
                env: more.env
            secretGenerator:
              - name: tls
                type: kubernetes.io/tls
                files: [tls.crt=cert.pem, tls.key=key.pem]
              - name: long
                literals:
                  - TOKEN=fixture-token-that-is-long-enough-to-be-wrapped-by-kustomize-base64-encoder-0123456789
                options:
                  disableNameSuffixHash: true
            """,
        "base/kustomization.yaml": "resources: [plain.yaml]\n",
        "base/plain.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: plain
              labels: {origin: base}
            data:
              KEPT: "1"
              ADDED: old
            """,
        "app.env": "# comment\nA=1\n  B = spaced\nC=\"not unquoted\"\n",
        "more.env": "D=4\n",
        "cert.pem": "-----BEGIN CERTIFICATE-----\nMIIfixture\n-----END CERTIFICATE-----\n",
        "key.pem": "-----BEGIN PRIVATE KEY-----\nMIIfixturekey\n-----END PRIVATE KEY-----\n",
    },
    "labels_namespace_order": {
        "kustomization.yaml": """
            namespace: platform
            commonLabels:
              app.kubernetes.io/part-of: shop
            labels:
              - pairs: {tier: backend}
                includeSelectors: true
            commonAnnotations:
              contact: ops@example.com
            resources: [all.yaml]
            """,
        "all.yaml": """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: check
            webhooks: []
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: api
            spec:
              minAvailable: 1
              selector:
                matchLabels: {app: api}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: api
            spec:
              podSelector:
                matchLabels: {app: api}
              ingress:
                - from:
                    - podSelector:
                        matchLabels: {app: web}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - labelSelector:
                            matchLabels: {app: agent}
                          topologyKey: kubernetes.io/hostname
                  containers: [{name: agent, image: agent:1}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
            spec:
              schedule: "@daily"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers: [{name: job, image: job:1}]
                      restartPolicy: OnFailure
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: defaults
            subjects:
              - {kind: ServiceAccount, name: default}
              - {kind: ServiceAccount, name: other, namespace: elsewhere}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ignored
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions: []
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: external
            spec:
              type: ExternalName
              externalName: example.com
            ---
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ConfigMap
                metadata: {name: from-list}
              - apiVersion: v1
                kind: Secret
                metadata: {name: from-list}
                stringData: {k: v}
            """,
    },
    "scalars_and_images": {
        "kustomization.yaml": """
            resources: [things.yaml]
            images:
              - name: localhost:5000/team/app
                newTag: "2.0"
              - name: nginx
                tagSuffix: -alpine
              - name: redis
                newName: mirror.example.com/redis
                newTag: "7"
                digest: sha256:deadbeef
            """,
        "things.yaml": """
            apiVersion: example.com/v1
            kind: Settings
            metadata:
              name: scalars
              annotations:
                count: 3
                enabled: true
                day: 2024-05-01
            spec:
              enabled: yes
              mode: on
              big: 1e3
              octal: 0o17
              legacyOctal: 0755
              hex: 0x1F
              float: 1.50
              when: 2024-05-01
              stamp: 2024-05-01T10:20:30.500+09:00
              spaced: 2024-05-01 10:20:30
              tilde: ~
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: images
            spec:
              initContainers:
                - {name: init, image: "redis:6@sha256:0000"}
              containers:
                - {name: a, image: "localhost:5000/team/app:1.0"}
                - {name: b, image: nginx}
                - {name: c, image: "nginx:1.25"}
            ---
            apiVersion: example.com/v1
            kind: Runner
            metadata:
              name: nested
            spec:
              job:
                containers:
                  - {name: x, image: "nginx:1.0"}
            """,
    },
    "replacements_configurations_vars": {
        "kustomization.yaml": """
            namespace: shop
            namePrefix: app-
            resources: [base]
            configurations: [issuer-refs.yaml]
            replacements:
              - source: {kind: Service, name: web, fieldPath: metadata.name}
                targets:
                  - select: {kind: Certificate}
                    fieldPaths: [spec.dnsNames.0, spec.commonName]
                    options: {delimiter: ".", index: 0}
                  - select: {kind: Deployment}
                    fieldPaths:
                      - spec.template.spec.containers.[name=web].env.[name=SERVICE].value
                      - metadata.annotations.service
                    options: {create: true}
              - source: {kind: Service, name: web, fieldPath: metadata.namespace}
                targets:
                  - select: {kind: Certificate}
                    fieldPaths: [spec.dnsNames.0, spec.commonName]
                    options: {delimiter: ".", index: 1}
            vars:
              - name: SERVICE_PORT
                objref: {kind: Service, name: web, apiVersion: v1}
                fieldref: {fieldpath: "spec.ports[0].port"}
            """,
        "issuer-refs.yaml": """
            nameReference:
              - kind: Issuer
                group: cert-manager.io
                fieldSpecs:
                  - kind: Certificate
                    group: cert-manager.io
                    path: spec/issuerRef/name
            """,
        "base/kustomization.yaml": """
            resources: [app.yaml]
            vars:
              - name: SERVICE_NAME
                objref: {kind: Service, name: web, apiVersion: v1}
            """,
        "base/app.yaml": """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports: [{port: 8080}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                    - name: web
                      image: web:1
                      args:
                        - --upstream=$(SERVICE_NAME):$(SERVICE_PORT)
                        - --literal=$$(SERVICE_NAME)
                        - --unknown=$(NOPE)
                      env:
                        - {name: SERVICE, value: placeholder}
                        - {name: PORT, value: "$(SERVICE_PORT)"}
            ---
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
            spec:
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: serving
            spec:
              commonName: SERVICE_NAME.SERVICE_NAMESPACE.svc
              dnsNames: [SERVICE_NAME.SERVICE_NAMESPACE.svc]
              issuerRef: {kind: Issuer, name: selfsigned}
            """,
    },
    "builtin_transformer_configs": {
        "kustomization.yaml": """
            resources: [app.yaml]
            namePrefix: x-
            transformers:
              - labels.yaml
              - |-
                apiVersion: builtin
                kind: PatchTransformer
                metadata:
                  name: scale
                target:
                  kind: Deployment
                patch: |-
                  - op: replace
                    path: /spec/replicas
                    value: 5
              - more.yaml
            """,
        "labels.yaml": """
            apiVersion: builtin
            kind: LabelTransformer
            metadata:
              name: labels
            labels:
              app.kubernetes.io/part-of: flux
            fieldSpecs:
              - path: metadata/labels
                create: true
              - kind: Deployment
                path: spec/template/metadata/labels
                create: true
            """,
        "more.yaml": """
            apiVersion: builtin
            kind: ImageTagTransformer
            metadata:
              name: pin
            imageTag:
              name: controller
              newTag: v2.0.0
            fieldSpecs:
              - path: spec/template/spec/containers/image
            ---
            apiVersion: builtin
            kind: AnnotationsTransformer
            metadata:
              name: notes
            annotations:
              owner: team
            fieldSpecs:
              - kind: Service
                path: metadata/annotations
                create: true
            """,
        "app.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: controller
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                    - name: manager
                      image: controller:v1
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: controller
            """,
    },
}


@needs_kubectl
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios_match_kubectl(name: str, tree: Tree) -> None:
    root = tree(SCENARIOS[name])
    result = build(".", reader(root))
    assert [o.data for o in result.objects] == kubectl_objects(root, ".")
    assert result.diagnostics == ()


def test_replacements_configurations_and_vars(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["replacements_configurations_vars"])))
    assert result.diagnostics == ()
    certificate = one(result, "Certificate")["spec"]
    assert certificate["commonName"] == "app-web.shop.svc" and certificate["dnsNames"] == ["app-web.shop.svc"]
    assert certificate["issuerRef"]["name"] == "app-selfsigned"  # a name reference added by `configurations`
    deployment = one(result, "Deployment")
    assert deployment["metadata"]["annotations"] == {"service": "app-web"}  # created by the replacement
    web = deployment["spec"]["template"]["spec"]["containers"][0]
    assert web["args"] == ["--upstream=app-web:8080", "--literal=$(SERVICE_NAME)", "--unknown=$(NOPE)"]
    assert web["env"] == [{"name": "SERVICE", "value": "app-web"}, {"name": "PORT", "value": 8080}]


def test_builtin_transformer_configs_run_in_process(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["builtin_transformer_configs"])))
    assert result.diagnostics == ()
    deployment = one(result, "Deployment")
    assert deployment["spec"]["replicas"] == 5
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app.kubernetes.io/part-of": "flux"}
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "controller:v2.0.0"
    assert one(result, "Service")["metadata"]["annotations"] == {"owner": "team"}


def test_strategic_merge_semantics(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["strategic_merge_lists"])))
    deployment = one(result, "Deployment")
    assert deployment["metadata"]["creationTimestamp"] is None  # an explicit null is kept...
    assert "progressDeadlineSeconds" not in deployment["spec"]  # ...a key with no value is dropped by the merge
    spec = deployment["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["main", "new"]  # patched items first, `side` deleted
    main = spec["containers"][0]
    assert main["args"] == ["--c"]  # not a merge list: replaced
    assert [e["name"] for e in main["env"]] == ["D", "A", "C"]
    assert main["resources"] == {"requests": {"memory": "1Gi"}}
    assert "securityContext" not in main
    # ports merge by (containerPort, protocol): new ones first, then the existing ones in their order.
    assert main["ports"] == [{"containerPort": 8443}, {"containerPort": 80},
                             {"containerPort": 53, "protocol": "UDP", "name": "dns"}]
    assert spec["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert {v["name"]: v for v in spec["volumes"]}["cache"] == {"name": "cache"}
    assert one(result, "Widget")["spec"]["items"] == [{"name": "b"}]  # no schema for a custom kind: replaced
    assert one(result, "Service")["spec"]["ports"] == [
        {"port": 443, "name": "https"}, {"port": 80, "targetPort": 9090}, {"port": 53, "protocol": "UDP"}]


def test_name_references_pick_the_object_of_the_same_base(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["name_references"])))
    statefulset = one(result, "StatefulSet")
    pod = statefulset["spec"]["template"]["spec"]
    settings_a = pod["containers"][0]["envFrom"][0]["configMapRef"]["name"]
    assert settings_a.startswith("top-a-settings-") and settings_a != "top-a-settings-"
    assert pod["volumes"][0]["projected"]["sources"][0]["configMap"]["name"] == settings_a
    assert (pod["serviceAccountName"], pod["priorityClassName"]) == ("top-a-db", "top-a-high")
    assert statefulset["spec"]["serviceName"] == "top-a-db"
    assert statefulset["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"] == "top-a-fast"
    cronjob = one(result, "CronJob")
    env = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"][0]
    assert env["valueFrom"]["configMapKeyRef"]["name"].startswith("top-b-settings-")
    assert one(result, "ClusterRoleBinding")["subjects"][0]["name"] == "top-a-db"


def test_generator_details(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["generators"])))
    maps = {o.data["metadata"]["name"]: o.data for o in result.objects}
    plain = maps["plain"]  # merging into a plain ConfigMap: no hash suffix, base labels kept, data merged
    assert plain["data"] == {"ADDED": "quoted value", "EMPTY": "", "KEPT": "1"}
    assert plain["metadata"]["labels"] == {"origin": "base"} and plain["immutable"] is True
    env = next(v for k, v in maps.items() if k.startswith("app-env-"))
    assert env["data"] == {"A": "1", "B ": " spaced", "C": '"not unquoted"', "D": "4"}
    long_secret = maps["long"]
    assert long_secret["data"]["TOKEN"].count("\n") == 2  # kyaml wraps base64 at 70 characters
    assert base64.b64decode(long_secret["data"]["TOKEN"]).decode().startswith("fixture-token-")
    tls = next(v for k, v in maps.items() if k.startswith("tls-"))
    assert tls["type"] == "kubernetes.io/tls" and set(tls["data"]) == {"tls.crt", "tls.key"}


def test_namespace_labels_and_legacy_order(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["labels_namespace_order"])))
    assert [o.data["kind"] for o in result.objects] == [
        "Namespace", "CustomResourceDefinition", "RoleBinding", "ConfigMap", "Secret", "Service", "CronJob",
        "PodDisruptionBudget", "DaemonSet", "NetworkPolicy", "ValidatingWebhookConfiguration"]
    assert one(result, "Namespace")["metadata"]["name"] == "platform"
    assert "namespace" not in one(result, "CustomResourceDefinition")["metadata"]
    assert one(result, "RoleBinding")["subjects"] == [
        {"kind": "ServiceAccount", "name": "default", "namespace": "platform"},
        {"kind": "ServiceAccount", "name": "other", "namespace": "elsewhere"}]
    selectors = {"app.kubernetes.io/part-of": "shop", "tier": "backend"}
    assert one(result, "Service")["spec"]["selector"] == selectors  # created, as kustomize does
    assert one(result, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == {"app": "api", **selectors}
    affinity = one(result, "DaemonSet")["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
    assert affinity["requiredDuringSchedulingIgnoredDuringExecution"][0]["labelSelector"]["matchLabels"] == {
        "app": "agent"}  # kustomize's specs cover affinity selectors for Deployments and StatefulSets only
    job_template = one(result, "CronJob")["spec"]["jobTemplate"]
    assert job_template["spec"]["template"]["metadata"]["annotations"] == {"contact": "ops@example.com"}


def test_scalars_are_read_as_kustomize_reads_them(tree: Tree) -> None:
    result = build(".", reader(tree(SCENARIOS["scalars_and_images"])))
    settings = one(result, "Settings")
    assert settings["spec"] == {
        "enabled": "yes", "mode": "on", "big": 1000, "octal": 15, "legacyOctal": 493, "hex": 31, "float": 1.5,
        "when": "2024-05-01T00:00:00Z", "stamp": "2024-05-01T10:20:30.5+09:00", "spaced": "2024-05-01T10:20:30Z",
        "tilde": None}
    assert settings["metadata"]["annotations"] == {"count": "3", "enabled": "true", "day": "2024-05-01"}
    pod = one(result, "Pod")["spec"]
    assert [c["image"] for c in pod["containers"]] == [
        "localhost:5000/team/app:2.0", "nginx:-alpine-alpine", "nginx:1.25-alpine-alpine"]
    assert pod["initContainers"][0]["image"] == "mirror.example.com/redis:7@sha256:deadbeef"
    nested = one(result, "Runner")["spec"]["job"]["containers"][0]
    assert nested["image"] == "nginx:1.0-alpine"  # only the legacy filter reaches containers of custom kinds


# --- every top-level overlay of the sample infrastructure --------------------------------------------------------


def _sample_overlays() -> list[str]:
    if not SAMPLE_INFRA.is_dir():
        return []
    files = [p.relative_to(SAMPLE_INFRA) for name in KUSTOMIZATION_NAMES for p in SAMPLE_INFRA.rglob(name)]
    dirs = sorted({f.parent.as_posix() for f in files if not any(part.startswith(".") for part in f.parts)})
    used = referenced_dirs(dirs, reader(SAMPLE_INFRA))
    return [d for d in dirs if d not in used]


@needs_kubectl
@pytest.mark.parametrize("overlay", _sample_overlays())
def test_sample_infra_overlays_match_kubectl(overlay: str) -> None:
    result = build(overlay, reader(SAMPLE_INFRA))
    assert [o.data for o in result.objects] == kubectl_objects(SAMPLE_INFRA, overlay)
    assert [d for d in result.diagnostics if d.severity is Severity.ERROR] == []


def test_builds_sharing_parsed_files_equal_separate_builds() -> None:
    """scan shares one `parsed` dict between all overlays: a build must never see another build's edits."""
    from archinfer import scan

    root = Path(__file__).resolve().parents[2] / "sample-infra"
    read_text = scan.reader(root, scan.Limits())
    overlays = ["k8s/overlays/dev", "k8s/overlays/prod", "k8s/base", "k8s/overlays/dev"]
    shared: dict[str, object] = {}
    together = [build(o, read_text, scan.Limits(), shared) for o in overlays]  # type: ignore[arg-type]
    alone = [build(o, read_text) for o in overlays]
    assert shared, "nothing was shared"
    assert [repr([(b.data, b.origin) for b in r.objects]) for r in together] == \
           [repr([(b.data, b.origin) for b in r.objects]) for r in alone]
