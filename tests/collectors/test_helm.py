"""Helm charts: Chart.yaml, values files, and rendering with the Helm SDK or by a static reading."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest

from archinfer.collectors import helm
from archinfer.collectors.helm import HelmChart, RenderResult
from archinfer.collectors.kubernetes import K8sObject
from archinfer.model import Loc, Severity

from ..conftest import Tree

FIXTURES = Path(__file__).parent / "helm_fixtures"
HAVE_SDK = importlib.util.find_spec(helm.SDK_MODULE) is not None
needs_sdk = pytest.mark.skipif(not HAVE_SDK, reason="helm-python-sdk not installed")


def paths_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def reader_for(root: Path) -> helm.ReadText:
    def read_text(rel: str) -> str:
        return (root / rel).read_text(encoding="utf-8")

    return read_text


def load(root: Path, chart_dir: str) -> HelmChart:
    read = reader_for(root)
    chart, diagnostics = helm.chart_from(f"{chart_dir}/Chart.yaml", read(f"{chart_dir}/Chart.yaml"),
                                         read(f"{chart_dir}/values.yaml"), paths_under(root))
    assert chart is not None and diagnostics == []
    return chart


def render(chart_dir: str, *extra: str, root: Path = FIXTURES, **options: Any) -> RenderResult:
    chart = load(root, chart_dir)
    files = [f"{chart_dir}/values.yaml", *(f"{chart_dir}/{name}" for name in extra)]
    return helm.render(chart, files, reader_for(root), root, **options)


def by_kind(result: RenderResult) -> dict[str, list[K8sObject]]:
    out: dict[str, list[K8sObject]] = {}
    for obj in result.objects:
        out.setdefault(obj.kind, []).append(obj)
    return out


def container(obj: K8sObject) -> dict[str, Any]:
    first: dict[str, Any] = obj.body["spec"]["template"]["spec"]["containers"][0]
    return first


def method_note(result: RenderResult) -> str:
    notes = [d for d in result.diagnostics if d.severity is Severity.INFO]
    assert len(notes) == 1, notes
    return notes[0].message


# ---------------------------------------------------------------- Chart.yaml and values files


def test_chart_yaml_gives_metadata_dependencies_and_values_files() -> None:
    chart = load(FIXTURES, "blog")
    assert (chart.dir, chart.name, chart.version, chart.app_version, chart.line) == ("blog", "blog", "2.1.0",
                                                                                     "6.8.2", 2)
    assert chart.values_files == ("blog/values.yaml", "blog/values-cache.yaml", "blog/values-nodb.yaml")
    deps = {d.name: d for d in chart.dependencies}
    assert (deps["postgresql"].condition, deps["postgresql"].enabled, deps["postgresql"].line) == (
        "postgresql.enabled", True, 7)
    assert deps["memcached"].enabled is False and deps["common"].enabled is True
    assert deps["common"].tags == ("bitnami-common",) and deps["common"].condition is None
    assert not any(d.vendored for d in chart.dependencies)
    assert deps["postgresql"].repository == "oci://registry-1.docker.io/bitnamicharts"


def test_without_values_a_conditional_dependency_is_undecided() -> None:
    text = (FIXTURES / "blog" / "Chart.yaml").read_text()
    chart, _ = helm.chart_from("blog/Chart.yaml", text)
    assert chart is not None
    assert [(d.name, d.enabled, d.vendored) for d in chart.dependencies] == [
        ("postgresql", None, False), ("memcached", None, False), ("common", None, False)]
    assert chart.values_files == ()


def test_vendored_means_a_folder_or_an_archive_of_that_chart() -> None:
    text = "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n" + "".join(
        f"  - name: {n}\n    version: 1.x\n    repository: https://charts.example.com\n"
        for n in ("postgresql", "redis", "kafka"))
    paths = ["app/Chart.yaml", "app/charts/postgresql-ha-14.0.0.tgz", "app/charts/redis-19.1.0.tgz",
             "app/charts/kafka/Chart.yaml"]
    chart, _ = helm.chart_from("app/Chart.yaml", text, None, paths)
    assert chart is not None
    assert [(d.name, d.vendored) for d in chart.dependencies] == [
        ("postgresql", False), ("redis", True), ("kafka", True)]


def test_tags_and_conditions_follow_helm() -> None:
    values = {"tags": {"bitnami-common": False, "db": True}, "a": {"enabled": "yes"}, "b": {"on": False}}
    assert helm._enabled(None, ("bitnami-common",), values) is False
    assert helm._enabled(None, ("bitnami-common", "db"), values) is True
    assert helm._enabled("a.enabled", (), values) is True  # not a bool: Helm ignores it and keeps the default
    assert helm._enabled("missing.enabled,b.on", (), values) is False  # the first path that is a bool wins
    assert helm._enabled("b.on", ("db",), values) is False  # the condition overrides the tags


def test_chart_yaml_errors_are_diagnostics_with_lines() -> None:
    chart, diagnostics = helm.chart_from("c/Chart.yaml", "apiVersion: v2\nname: [c\nversion: 1.0.0\n")
    assert chart is None
    assert [(d.loc.path, d.severity) for d in diagnostics] == [("c/Chart.yaml", Severity.ERROR)]
    assert diagnostics[0].loc.line >= 2 and "cannot parse Chart.yaml" in diagnostics[0].message
    chart, diagnostics = helm.chart_from("c/Chart.yaml", "apiVersion: v2\ndescription: x\n")
    assert chart is None and "no name" in diagnostics[0].message
    chart, diagnostics = helm.chart_from("c/Chart.yaml", "apiVersion: v2\nname: c\ndependencies:\n  - version: 1\n")
    assert chart is not None and chart.version == "" and chart.dependencies == ()
    assert sorted((d.loc.line, d.severity.value) for d in diagnostics) == [(1, "warning"), (4, "warning")]
    chart, diagnostics = helm.chart_from("c/Chart.yaml", "name: c\nversion: 1.0.0\n", values_text="a: [1\n")
    assert chart is not None and diagnostics[0].loc.path == "c/values.yaml"


def test_values_files_beside_chart_yaml_values_yaml_first() -> None:
    paths = ["c/values.yaml", "c/values-prod.yaml", "c/values.staging.yaml", "c/ci/values-test.yaml",
             "c/values.schema.json", "c/Chart.yaml", "other/values.yaml", "c/myvalues.yaml"]
    assert helm.values_files_in("c", paths) == ("c/values.yaml", "c/values-prod.yaml", "c/values.staging.yaml")
    assert helm.values_files_in(".", ["values-dev.yml", "values.yaml", "c/values.yaml"]) == (
        "values.yaml", "values-dev.yml")


@pytest.mark.parametrize(("name", "environment"), [
    ("values-prod.yaml", "prod"), ("deploy/values.production.yaml", "production"), ("values.yaml", None),
    ("values_staging.yml", "staging"), ("values.yml", None), ("prod.yaml", None)])
def test_environment_of(name: str, environment: str | None) -> None:
    assert helm.environment_of(name) == environment


def test_is_chart_file() -> None:
    assert helm.is_chart_file("a/Chart.yaml") and helm.is_chart_file("Chart.yml")
    assert not helm.is_chart_file("a/chart.yaml") and not helm.is_chart_file("a/Chart.lock")


def test_values_merge_like_helm_with_the_line_of_the_last_file(tree: Tree) -> None:
    root = tree({
        "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "c/values.yaml": """\
            image:
              repository: nginx
              tag: "1.25"
            hosts: [a, b, c]
            debug: true
            unset: null
            """,
        "c/values-prod.yaml": """\
            image:
              tag: "1.27"
            hosts: [z]
            debug: null
            """,
    })
    result = render("c", "values-prod.yaml", root=root, use_sdk=False)
    assert result.variant == "values.yaml + values-prod.yaml"
    assert result.values == {"image": {"repository": "nginx", "tag": "1.27"}, "hosts": ["z"]}
    assert result.value_lines[("image", "repository")] == ("c/values.yaml", 2)
    assert result.value_lines[("image", "tag")] == ("c/values-prod.yaml", 2)
    assert result.value_lines[("hosts", 0)] == ("c/values-prod.yaml", 3)
    assert ("hosts", 1) not in result.value_lines and ("debug",) not in result.value_lines
    assert result.files == ("c/Chart.yaml", "c/values-prod.yaml", "c/values.yaml")


# ---------------------------------------------------------------- the helm-create-like chart, both ways


def check_webapp_defaults(result: RenderResult) -> None:
    kinds = by_kind(result)
    assert "Ingress" not in kinds and "HorizontalPodAutoscaler" not in kinds and "Pod" not in kinds  # test hook
    deployment, service = kinds["Deployment"][0], kinds["Service"][0]
    assert (deployment.name, deployment.source) == ("webapp", "helm:webapp")
    assert deployment.origin.path == "webapp/templates/deployment.yaml" and deployment.origin.line == 2
    assert deployment.body["spec"]["replicas"] == 2
    main = container(deployment)
    assert main["image"] == "ghcr.io/example/webapp:1.4.2"  # tag empty: the chart's appVersion
    assert main["resources"] == {"requests": {"cpu": "100m", "memory": "128Mi"}}
    assert main["livenessProbe"]["httpGet"]["path"] == "/healthz" and "readinessProbe" in main
    assert service.body["spec"]["type"] == "ClusterIP" and service.body["spec"]["ports"][0]["port"] == 8080
    assert service.origin == Loc("webapp/templates/service.yaml", 2)


def check_webapp_prod(result: RenderResult) -> None:
    kinds = by_kind(result)
    deployment, hpa, ingress = kinds["Deployment"][0], kinds["HorizontalPodAutoscaler"][0], kinds["Ingress"][0]
    assert container(deployment)["image"] == "ghcr.io/example/webapp:1.5.0"
    assert "replicas" not in deployment.body["spec"]  # the HPA owns the replica count
    assert (hpa.body["spec"]["minReplicas"], hpa.body["spec"]["maxReplicas"]) == (3, 10)
    assert hpa.body["spec"]["metrics"][0]["resource"] == {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}
    assert hpa.body["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "webapp"}
    assert hpa.origin == Loc("webapp/templates/hpa.yaml", 3)
    spec = ingress.body["spec"]
    assert spec["ingressClassName"] == "nginx"
    assert [r["host"] for r in spec["rules"]] == ["shop.example.com"]
    assert spec["rules"][0]["http"]["paths"][0]["backend"]["service"] == {"name": "webapp", "port": {"number": 8080}}
    assert spec["tls"] == [{"hosts": ["shop.example.com"], "secretName": "shop-example-tls"}]
    assert kinds["Service"][0].body["spec"]["type"] == "LoadBalancer"
    assert result.value_lines[("image", "tag")] == ("webapp/values-prod.yaml", 2)
    assert result.value_lines[("image", "repository")] == ("webapp/values.yaml", 4)


@needs_sdk
def test_webapp_rendered_with_the_helm_sdk() -> None:
    result = render("webapp")
    assert (result.method, result.chart, result.variant) == ("helm-sdk", "webapp", "values.yaml")
    assert "rendered with the Helm SDK" in method_note(result)
    check_webapp_defaults(result)
    prod = render("webapp", "values-prod.yaml")
    assert (prod.method, prod.variant) == ("helm-sdk", "values.yaml + values-prod.yaml")
    check_webapp_prod(prod)
    assert "webapp/templates/ingress.yaml" in prod.files and "webapp/Chart.yaml" in prod.files


def test_webapp_read_statically_gives_the_same_facts() -> None:
    result = render("webapp", use_sdk=False)
    assert result.method == "static"
    assert method_note(result).startswith("static reading (Go templates not evaluated): the Helm SDK is turned off")
    check_webapp_defaults(result)
    prod = render("webapp", "values-prod.yaml", use_sdk=False)
    check_webapp_prod(prod)
    deployment = by_kind(prod)["Deployment"][0]
    assert deployment.line_of("spec", "template", "spec", "containers", 0, "image") == 21  # its template line


def test_static_reading_when_the_sdk_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helm, "SDK_MODULE", "helm_python_is_not_here")
    result = render("webapp")
    assert result.method == "static" and method_note(result).endswith("helm-python-sdk not installed")
    check_webapp_defaults(result)


@needs_sdk
@pytest.mark.parametrize("extra", [(), ("values-prod.yaml",)])
def test_static_facts_are_a_subset_of_helms_render(extra: tuple[str, ...]) -> None:
    rendered = {(o.kind, o.name): o.body for o in render("webapp", *extra).objects}
    for obj in render("webapp", *extra, use_sdk=False).objects:
        assert contained(obj.body, rendered[(obj.kind, obj.name)]), obj.kind


def contained(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and contained(v, whole[k]) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(contained(p, w) for w in whole) for p in part)
    return bool(part == whole)


@needs_sdk
def test_the_sdk_is_given_up_after_its_time_limit() -> None:
    result = render("webapp", timeout=0.001)
    assert result.method == "static" and "took longer than 0.001 s" in method_note(result)
    check_webapp_defaults(result)


@pytest.mark.parametrize(("shadow", "reason"), [
    ("raise ImportError('no native library')", "helm-python-sdk not installed"),
    ("import os\nos._exit(3)", "the Helm SDK worker ended without an answer (exit code 3)"),
])
def test_the_worker_reports_an_sdk_it_cannot_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shadow: str,
                                                 reason: str) -> None:
    fake = tmp_path / "shadow" / "helm_python"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(shadow + "\n")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))  # the worker process imports this one
    monkeypatch.setattr(helm, "SDK_MODULE", "json")  # so that this process thinks an SDK is there
    result = render("webapp")
    assert result.method == "static" and method_note(result).endswith(reason)


# ---------------------------------------------------------------- dependencies not vendored: the static path


def test_dependencies_not_vendored_are_read_statically() -> None:
    result = render("blog")
    assert result.method == "static"
    note = method_note(result)
    assert "dependencies postgresql, common not vendored under charts/" in note
    assert "data-store dependencies shown as StatefulSets: postgresql" in note
    kinds = by_kind(result)
    store = kinds["StatefulSet"][0]
    assert (store.name, container(store)["image"], store.origin) == (
        "blog-postgresql", "postgresql", Loc("blog/Chart.yaml", 7))
    assert all("memcached" not in o.name for o in result.objects)
    deployment = kinds["Deployment"][0]
    assert (deployment.name, deployment.namespace, deployment.api_version) == ("blog", "default", "")
    main = container(deployment)
    assert main["image"] == "docker.io/bitnami/wordpress:6.8.2-debian-12-r4"
    assert main["livenessProbe"] == {"tcpSocket": {"port": "http"}}
    assert "readinessProbe" not in main and "resources" not in main  # disabled; a preset is not read
    assert [p["port"] for p in kinds["Service"][0].body["spec"]["ports"]] == [80, 443]
    assert "Secret" not in kinds  # only the kinds the architecture needs
    assert "blog/templates/psp.yaml:12 (PodDisruptionBudget)" in note  # gated by a helper: undecided


def test_a_data_store_appears_only_when_enabled() -> None:
    without_db = render("blog", "values-nodb.yaml")
    assert [o.name for o in without_db.objects if o.kind == "StatefulSet"] == []
    assert "data-store" not in method_note(without_db)
    with_cache = render("blog", "values-cache.yaml")
    assert sorted(o.name for o in with_cache.objects if o.kind == "StatefulSet") == [
        "blog-memcached", "blog-postgresql"]
    # Bitnami's global.imageRegistry wins over the image's own registry.
    assert container(by_kind(with_cache)["Deployment"][0])["image"] == (
        "mirror.example.com/bitnami/wordpress:6.8.2-debian-12-r4")


def test_an_alias_names_the_data_store(tree: Tree) -> None:
    root = tree({
        "app/Chart.yaml": """\
            apiVersion: v2
            name: app
            version: 1.0.0
            dependencies:
              - name: redis
                alias: cache
                version: 19.x.x
                repository: https://charts.bitnami.com/bitnami
                condition: cache.enabled
            """,
        "app/values.yaml": "cache:\n  enabled: true\n",
    })
    result = render("app", root=root)
    assert [(o.kind, o.name, container(o)["image"], o.origin.line) for o in result.objects] == [
        ("StatefulSet", "app-cache", "redis", 5)]


# ---------------------------------------------------------------- safety


def copy_chart(name: str, root: Path) -> None:
    shutil.copytree(FIXTURES / name, root / name)


def test_a_link_out_of_the_root_forces_the_static_path_and_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stolen\n")
    root = tmp_path / "repo"
    copy_chart("webapp", root)
    (root / "webapp" / "templates" / "extra.yaml").symlink_to(outside)
    result = render("webapp", root=root)
    assert result.method == "static"
    note = method_note(result)
    assert "webapp/templates/extra.yaml is a symbolic link to outside the scanned folder" in note
    assert "symbolic links not read: webapp/templates/extra.yaml" in note
    assert "stolen" not in {o.name for o in result.objects}
    assert "webapp/templates/extra.yaml" not in result.files


@needs_sdk
def test_a_link_inside_the_root_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    copy_chart("webapp", root)
    (root / "shared.yaml").write_text("replicaCount: 5\n")
    (root / "webapp" / "values-shared.yaml").symlink_to(root / "shared.yaml")
    assert render("webapp", root=root).method == "helm-sdk"


@needs_sdk
def test_a_helm_error_names_no_value(tree: Tree) -> None:
    root = tree({
        "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "c/values.yaml": "password: hunter2-very-secret\n",
        "c/templates/secret.yaml": "{{ fail (printf \"bad password %s\" .Values.password) }}\n",
    })
    result = render("c", root=root)
    assert result.method == "static" and "the Helm SDK failed" in method_note(result)
    assert all("hunter2" not in d.message for d in result.diagnostics)
    assert "<value>" in method_note(result)


def test_unreadable_values_are_warnings_not_failures(tree: Tree) -> None:
    root = tree({
        "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "c/values.yaml": "replicaCount: 3\n",
        "c/values-bad.yaml": "image: [oops\n",
        "c/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n",
    })
    result = render("c", "values-bad.yaml", "values-gone.yaml", root=root, use_sdk=False)
    warnings = sorted((d.loc.path, d.loc.line) for d in result.diagnostics if d.severity is Severity.WARNING)
    assert warnings == [("c/values-bad.yaml", 2), ("c/values-gone.yaml", 0)]
    assert result.objects[0].body["spec"]["replicas"] == 3


# ---------------------------------------------------------------- the static reader's rules


def static_objects(tree: Tree, template: str, values: str) -> RenderResult:
    root = tree({"c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: '2.0'\n",
                 "c/values.yaml": values, "c/templates/t.yaml": template})
    return render("c", root=root, use_sdk=False)


def test_gates_else_branches_and_undecidable_conditions(tree: Tree) -> None:
    template = """\
        {{- if .Values.worker.enabled }}
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: worker
        spec:
          {{- if .Values.worker.replicas }}
          replicas: {{ .Values.worker.replicas }}
          {{- else }}
          replicas: 1
          {{- end }}
        {{- end }}
        ---
        {{- if .Values.cron.enabled }}
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
        {{- end }}
        ---
        {{- if (include "c.hasPdb" .) }}
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        {{- end }}
        """
    result = static_objects(tree, template, "worker:\n  enabled: true\ncron:\n  enabled: false\n")
    assert [(o.kind, o.name, o.body["spec"]) for o in result.objects] == [("Deployment", "worker", {"replicas": 1})]
    assert result.objects[0].origin.line == 3
    assert "c/templates/t.yaml:23 (PodDisruptionBudget)" in method_note(result)


def test_absent_values_leave_fields_out(tree: Tree) -> None:
    template = """\
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ .Values.name }}
        spec:
          type: {{ .Values.service.type }}
          clusterIP: {{ lookup "v1" "Service" "" "x" }}
          ports:
            - port: {{ .Values.service.port }}
              name: web
        """
    result = static_objects(tree, template, "service:\n  port: 80\n")
    service = result.objects[0]
    assert service.name == "c" and service.body["spec"] == {"ports": [{"port": 80, "name": "web"}]}
    assert service.line_of("spec", "ports", 0, "port") == 9


def test_objects_repeated_by_range_are_not_guessed(tree: Tree) -> None:
    template = """\
        {{- range .Values.apps }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .name }}
        {{- end }}
        """
    result = static_objects(tree, template, "apps:\n  - name: a\n  - name: b\n")
    assert result.objects == () and "(Deployment)" in method_note(result)


def test_quoting_and_defaults_render_as_helm_would(tree: Tree) -> None:
    template = """\
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ printf "%s-migrate" .Release.Name }}
        spec:
          backoffLimit: {{ .Values.retries | default 6 }}
          template:
            spec:
              containers:
                - name: migrate
                  image: {{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
                  args: ["--port", {{ .Values.port | quote }}]
                  env:
                    - name: MODE
                      value: {{ .Values.mode | upper | quote }}
        """
    result = static_objects(tree, template, "image:\n  repository: ghcr.io/x/migrate\nport: 5432\nmode: fast\n")
    job = result.objects[0]
    assert job.name == "c-migrate" and job.body["spec"]["backoffLimit"] == 6
    main = container(job)
    assert main["image"] == "ghcr.io/x/migrate:2.0"
    assert main["args"] == ["--port", "5432"] and main["env"] == [{"name": "MODE", "value": "FAST"}]


@needs_sdk
def test_one_worker_process_renders_every_chart_of_a_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting the SDK worker costs more than a render: a scan keeps one per thread, and results do not change."""
    import subprocess

    from archinfer import scan

    for name in ("a", "b", "c"):
        shutil.copytree(FIXTURES / "webapp", tmp_path / "repo" / name)
    root = tmp_path / "repo"
    started: list[Any] = []
    real = subprocess.Popen.__init__

    def popen(this: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
        started.append(args)
        real(this, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", popen)
    together = scan.collect(root, jobs=1)
    renders = [f for f in together.facts if f.kind == "helm.render"]
    assert len(renders) == 6 and all(f.data.method == "helm-sdk" for f in renders)
    assert len(started) == 1, started
    alone = [render(name, root=root) for name in ("a", "b", "c")]
    assert [repr(r.objects) for r in alone] == [repr(f.data.objects) for f in renders if f.data.name in ("a", "b", "c")]
