"""Sections 6.1.1 and 10 (DevOps): build images, CI and CD pipelines, GitOps, cluster layout, chart management."""

from __future__ import annotations

import posixpath
from typing import Any

from ..model import Loc
from . import cluster
from .inputs import Inputs
from .fields import dig, mapping, scalar
from .view import Bullet, Cell, Note, SectionView, Table, merge_evidence, not_detected

BUILD, TEST, SCAN, PUSH, DEPLOY, LOGIN = "build", "test", "scan", "push", "deploy", "login"


def _steps(inp: Inputs, *kinds: str) -> list[tuple[Any, Any, Any, Any]]:
    """(fact, pipeline, job, step) for steps of the given kinds, in file order."""
    out = []
    for fact in inp.pipelines:
        pipeline = fact.data
        for job in pipeline.jobs:
            for step in job.steps:
                if any(str(getattr(k, "value", k)) in kinds for k in step.kinds):
                    out.append((fact, pipeline, job, step))
    return out


def _step_cells(inp: Inputs, *kinds: str) -> tuple[Cell, ...]:
    """One cell per (file, tool): which jobs run it, the lines that prove it."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for fact, pipeline, job, step in _steps(inp, *kinds):
        grouped.setdefault((fact.loc.path, step.tool), []).append((job, step))
    cells = []
    for (path, tool), items in grouped.items():
        jobs = sorted({job.name for job, _ in items})
        locs = merge_evidence((fact_loc(path, step.line) for _, step in items))
        cells.append(Cell(f"{tool} (" + inp.t("잡 ", "jobs ") + ", ".join(jobs) + ")", locs[:4]))
    return tuple(cells)


def fact_loc(path: str, line: int) -> Loc:
    return Loc(path, line)


def backend_stack(inp: Inputs) -> SectionView:
    """6.1.1: language and runtime per service, from its Dockerfile; the rationale is for people."""
    t = inp.t
    rows = []
    for fact in inp.images:
        image = fact.data
        service = posixpath.basename(posixpath.dirname(fact.loc.path)) or fact.loc.path
        language = image.language or not_detected(inp.lang)
        runtime = image.runtime or "-"
        rows.append((Cell(service), Cell(language, (fact.loc,)), Cell(f"`{runtime}`", (fact.loc,)), Cell("")))
    if not rows:
        return SectionView("6.1.1", (Note(not_detected(inp.lang)),))
    headers = (t("서비스", "Service"), t("언어", "Language"), t("런타임 이미지", "Runtime image"), t("선정이유", "Rationale"))
    return SectionView("6.1.1", (Table(headers, tuple(rows)),))


def ci(inp: Inputs) -> SectionView:
    """10.1.1: CI tools, what they build and push, what they test and scan."""
    t = inp.t
    tools = tuple(Cell(f"{fact.data.tool} `{fact.data.name}`" + (f" (" + ", ".join(fact.data.triggers) + ")" if fact.data.triggers else ""),
                       (fact.loc,)) for fact in inp.pipelines)
    registries = sorted({r for fact in inp.pipelines for r in fact.data.registries})
    build = _step_cells(inp, BUILD, PUSH)
    if registries:
        build += (Cell(t("이미지 레지스트리: ", "image registries: ") + ", ".join(registries),
                       tuple(f.loc for f in inp.pipelines if f.data.registries)[:3]),)
    return SectionView("10.1.1", (
        Bullet(t("도구", "Tools"), tools),
        Bullet(t("빌드 전략", "Build"), build),
        Bullet(t("테스트 자동화", "Test automation"), _step_cells(inp, TEST, SCAN)),
    ))


def cd(inp: Inputs) -> SectionView:
    """10.1.2: deploy steps and GitOps controllers, rollout strategies, rollback mechanisms."""
    t = inp.t
    tools = list(_step_cells(inp, DEPLOY, "infra"))
    for s in inp.k8s_sets:
        for app in s.of("Application", "ApplicationSet"):
            if not app.api_version.startswith("argoproj.io"):
                continue
            where = scalar(app.body, "spec", "source", "path") or scalar(app.body, "spec", "source", "chart") or ""
            auto = dig(app.body, "spec", "syncPolicy", "automated")
            sync = t("자동 동기화", "automated sync") if auto is not None else t("수동 동기화", "manual sync")
            extras = [k for k in ("prune", "selfHeal") if dig(auto, k)]
            namespace = scalar(app.body, "spec", "destination", "namespace") or "-"
            tools.append(Cell(f"Argo CD {app.kind} `{app.name}` ({where} → {namespace}; {sync}"
                              + (f" {'/'.join(extras)}" if extras else "") + ")", (app.loc(),)))
        for obj in s.of("Kustomization", "HelmRelease"):
            if obj.api_version.startswith(("kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io")):
                tools.append(Cell(f"Flux {obj.kind} `{obj.name}`", (obj.loc(),)))
    strategies = []
    for w in inp.workloads:
        if w.kind == "Rollout" and w.strategy:
            strategies.append(Cell(f"Argo Rollouts {w.strategy} (`{w.name}`)", (w.loc,)))
    by_type: dict[tuple[str, str], list[Any]] = {}
    for w in inp.workloads:
        if w.kind == "Deployment":
            by_type.setdefault((w.set, w.strategy or t("RollingUpdate (기본값)", "RollingUpdate (default)")), []).append(w)
    for (set_name, strategy), ws in sorted(by_type.items()):
        prefix = f"{set_name}: " if len(inp.k8s_sets) > 1 else ""
        strategies.append(Cell(prefix + t(f"Deployment {len(ws)}개 {strategy}", f"{len(ws)} Deployments {strategy}"),
                               merge_evidence(w.loc for w in ws)[:3]))
    for s in inp.k8s_sets:
        hooks = [o for o in s.objects if "helm.sh/hook" in mapping(o.body, "metadata", "annotations")]
        if hooks:
            kinds = sorted({str(scalar(o.body, "metadata", "annotations", "helm.sh/hook")) for o in hooks})
            strategies.append(Cell(f"{s.name}: " + t(f"Helm 훅 {len(hooks)}개 ({', '.join(kinds)})", f"{len(hooks)} Helm hooks ({', '.join(kinds)})"),
                                   merge_evidence(o.loc() for o in hooks)[:3]))
    rollback = [Cell(f"{step.tool}: {step.detail}", (fact_loc(fact.loc.path, step.line),))
                for fact, _, _, step in _steps(inp, DEPLOY) if "--atomic" in step.detail or "undo" in step.detail or "rollback" in step.detail]
    return SectionView("10.1.2", (
        Bullet(t("배포 도구", "Deploy tools"), tuple(tools)),
        Bullet(t("배포 전략", "Deploy strategy"), tuple(strategies)),
        Bullet(t("롤백 정책", "Rollback"), tuple(rollback)),
    ))


def kubernetes_setup(inp: Inputs) -> SectionView:
    """10.2.1: clusters, namespaces, resource management."""
    t = inp.t
    clusters = [inp.describe(c, [("version", "Kubernetes {}")]) for c in inp.of("k8s_cluster")]
    kinds = {"kustomize": "kustomize overlay", "helm": t("Helm 차트", "Helm chart"), "manifests": t("매니페스트", "manifests")}
    clusters += [Cell(f"{s.name}: " + kinds[s.kind]
                      + t(f" (오브젝트 {len(s.objects)}개)", f" ({len(s.objects)} objects)"), (s.loc,))
                 for s in inp.k8s_sets if s.objects]
    return SectionView("10.2.1", (
        Bullet(t("클러스터 전략", "Clusters"), tuple(clusters)),
        Bullet(t("네임스페이스 설계", "Namespaces"), tuple(cluster.namespace_cells(inp))),
        Bullet(t("리소스 관리", "Resource management"), tuple(cluster.resource_management_cells(inp))),
    ))


def charts(inp: Inputs) -> SectionView:
    """10.2.2: Helm charts (structure, values per environment, dependencies); kustomize overlays as the env config."""
    t = inp.t
    structure, per_env, deps = [], [], []
    for fact in inp.charts:
        chart = fact.data
        structure.append(Cell(f"`{chart.dir}`: {chart.name} {chart.version}" + (f" (appVersion {chart.app_version})" if chart.app_version else ""),
                              (fact.loc,)))
        extra = [v for v in chart.values_files if posixpath.basename(v) != "values.yaml"]
        if extra:
            per_env.append(Cell(f"`{chart.dir}`: values.yaml + " + ", ".join(posixpath.basename(v) for v in extra), (fact.loc,)))
        for dep in chart.dependencies:
            state = {True: t("활성", "enabled"), False: t("비활성", "disabled"), None: t("조건 미확정", "condition undecided")}[dep.enabled]
            vendored = t("charts/에 포함", "vendored in charts/") if dep.vendored else t("charts/에 없음", "not vendored")
            deps.append(Cell(f"`{chart.dir}` → {dep.alias or dep.name} {dep.version} ({dep.repository or '-'}; {state}"
                             + (f", {dep.condition}" if dep.condition else "") + f"; {vendored})", (Loc(fact.loc.path, dep.line),)))
    per_env += [Cell(f"kustomize overlay `{s.name}`", (s.loc,)) for s in inp.k8s_sets if s.kind == "kustomize" and s.objects]
    return SectionView("10.2.2", (
        Bullet(t("차트 구조", "Chart structure"), tuple(structure)),
        Bullet(t("환경별 설정", "Per-environment configuration"), tuple(per_env)),
        Bullet(t("의존성 관리", "Dependencies"), tuple(deps)),
    ))
