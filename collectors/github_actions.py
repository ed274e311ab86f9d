"""GitHub Actions workflows (.github/workflows/*.yml at any depth): triggers, jobs, steps, registries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from posixpath import basename

from ..model import Diagnostic, Fact, Loc, Severity
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, StepKind, as_dict, as_list, as_text, block_start,
                      classify_command, environment_in, kinds_from_name, registry_host, safe_env, script_steps)
from .yamlload import YamlDoc

NAME = "github_actions"
TOOL = "GitHub Actions"

B, T, S, P, D, I, L, O = (StepKind.BUILD, StepKind.TEST, StepKind.SCAN, StepKind.PUSH,
                          StepKind.DEPLOY, StepKind.INFRA, StepKind.LOGIN, StepKind.OTHER)


@dataclass(frozen=True)
class _Action:
    """What a well-known action does; `tool` replaces the action name only for language setup."""

    prefix: str
    kinds: tuple[StepKind, ...]
    tool: str = ""


# Longest prefix wins, so `github/codeql-action/analyze` and `azure/k8s-deploy` need no special order.
_ACTIONS = tuple(_Action(p, k, t) for p, k, t in (
    ("actions/checkout", (O,), ""), ("actions/setup-java", (O,), "Java"), ("actions/setup-node", (O,), "Node.js"),
    ("actions/setup-python", (O,), "Python"), ("actions/setup-go", (O,), "Go"), ("actions/setup-dotnet", (O,), ".NET"),
    ("ruby/setup-ruby", (O,), "Ruby"), ("shivammathur/setup-php", (O,), "PHP"),
    ("dtolnay/rust-toolchain", (O,), "Rust"), ("actions-rs/toolchain", (O,), "Rust"),
    ("gradle/gradle-build-action", (B,), ""), ("gradle/actions/setup-gradle", (O,), ""),
    ("docker/build-push-action", (B, P), ""), ("docker/setup-", (O,), ""), ("docker/metadata-action", (O,), ""), ("docker/login-action", (L,), ""), ("docker/bake-action", (B,), ""),
    ("azure/docker-login", (L,), ""), ("azure/login", (L,), ""), ("azure/aks-set-context", (L,), ""),
    ("azure/k8s-set-context", (L,), ""), ("azure/k8s-deploy", (D,), ""), ("azure/k8s-bake", (O,), ""),
    ("azure/arm-deploy", (I,), ""), ("azure/bicep-deploy", (I,), ""), ("azure/webapps-deploy", (D,), ""),
    ("azure/functions-action", (D,), ""), ("azure/container-apps-deploy-action", (B, D), ""),
    ("azure/static-web-apps-deploy", (D,), ""), ("azure/aci-deploy", (D,), ""), ("azure/setup-helm", (O,), ""),
    ("azure/setup-kubectl", (O,), ""), ("azure/use-kubelogin", (O,), ""),
    ("aws-actions/configure-aws-credentials", (L,), ""), ("aws-actions/amazon-ecr-login", (L,), ""),
    ("aws-actions/amazon-ecs-deploy-task-definition", (D,), ""),
    ("aws-actions/amazon-ecs-render-task-definition", (O,), ""),
    ("google-github-actions/auth", (L,), ""), ("google-github-actions/get-gke-credentials", (L,), ""),
    ("google-github-actions/setup-gcloud", (O,), ""), ("google-github-actions/deploy-cloudrun", (D,), ""),
    ("google-github-actions/create-cloud-deploy-release", (D,), ""),
    ("github/codeql-action", (S,), ""), ("aquasecurity/trivy-action", (S,), ""),
    ("aquasecurity/tfsec", (S,), ""), ("sonarsource/", (S,), ""), ("snyk/actions", (S,), ""),
    ("bridgecrewio/checkov-action", (S,), ""), ("anchore/scan-action", (S,), ""),
    ("gitleaks/gitleaks-action", (S,), ""), ("trufflesecurity/trufflehog", (S,), ""),
    ("actions/dependency-review-action", (S,), ""), ("ossf/scorecard-action", (S,), ""),
    ("hashicorp/setup-terraform", (I,), ""), ("pulumi/actions", (I,), ""),
    ("goreleaser/goreleaser-action", (B, P), ""), ("helm/chart-releaser-action", (B, P), ""),
    ("helm/kind-action", (O,), ""), ("helm/chart-testing-action", (O,), ""),
    ("actions/upload-artifact", (O,), ""), ("actions/download-artifact", (O,), ""), ("actions/cache", (O,), ""),
    ("trstringer/manual-approval", (O,), ""),
))

# Inputs that are worth showing and never carry a credential.
_SHOWN_INPUTS = ("context", "file", "tags", "push", "registry", "login-server", "namespace", "strategy", "action",
                 "manifests", "traffic-split-method", "percentage", "template", "deploymentName", "scope",
                 "java-version", "distribution", "node-version", "python-version", "go-version", "dotnet-version",
                 "scan-type", "image-ref", "languages", "cluster-name", "resource-group", "service", "region",
                 "image", "chart", "arguments", "aws-region", "registry-type")
_MANUAL_ACTIONS = ("trstringer/manual-approval",)


def is_workflow_path(path: str) -> bool:
    """A YAML file directly in a `.github/workflows/` folder (at any depth); composite actions are not."""
    parts = path.replace("\\", "/").split("/")
    return (len(parts) >= 3 and parts[-3:-1] == [".github", "workflows"]
            and parts[-1].endswith((".yml", ".yaml")) and parts[-1] not in ("action.yml", "action.yaml"))


def from_yaml(path: str, docs: list[YamlDoc]) -> tuple[list[Fact], list[Diagnostic]] | None:
    """The workflow's pipeline fact, or None when the file is not a workflow."""
    if not is_workflow_path(path):
        return None
    facts: list[Fact] = []
    diagnostics: list[Diagnostic] = []
    for doc in docs:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("jobs"), dict):
            facts.append(Fact(KIND_PIPELINE, Loc(path, doc.line), _pipeline(path, doc, diagnostics)))
    return (facts, diagnostics) if facts else None


def _pipeline(path: str, doc: YamlDoc, diagnostics: list[Diagnostic]) -> CiPipeline:
    data = doc.data
    env = safe_env(as_dict(data.get("env")))
    jobs: list[CiJob] = []
    registries: set[str] = set()
    for job_id, job in data["jobs"].items():
        if not isinstance(job, dict):
            diagnostics.append(Diagnostic(Loc(path, doc.line_of("jobs", job_id)), Severity.WARNING,
                                          f"job {job_id!r} is not a mapping: ignored"))
            continue
        built, regs = _job(doc, str(job_id), job, env)
        jobs.append(built)
        registries.update(regs)
    name = as_text(data.get("name")) or basename(path)
    return CiPipeline(TOOL, name, _triggers(data), tuple(jobs), tuple(sorted(registries)))


def _triggers(data: dict[object, object]) -> tuple[str, ...]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        return (on,)
    if isinstance(on, list):
        return tuple(as_text(e) for e in on if as_text(e))
    if not isinstance(on, dict):
        return ()
    out: list[str] = []
    for event, config in on.items():
        event = as_text(event)
        filters = config if isinstance(config, dict) else {}
        branches = [as_text(b) for b in as_list(filters.get("branches"))]
        tags = [as_text(t) for t in as_list(filters.get("tags"))]
        if branches:
            out.append(f"{event}: {', '.join(branches)}")
        if tags:
            out.append(f"{event}: tags {', '.join(tags)}")
        if not branches and not tags:
            out.append(event)
    return tuple(out)


def _job(doc: YamlDoc, job_id: str, job: dict[str, object], env: dict[str, str],
         ) -> tuple[CiJob, set[str]]:
    env = {**env, **safe_env(as_dict(job.get("env")))}
    steps: list[CiStep] = []
    registries: set[str] = set()
    manual = False
    uses = job.get("uses")
    if isinstance(uses, str):  # a job that calls a reusable workflow
        steps.append(CiStep(doc.line_of("jobs", job_id, "uses"), kinds_from_name(basename(uses)), uses,
                            f"reusable workflow {uses}"))
    region = ""
    for i, step in enumerate(as_list(job.get("steps"))):
        if not isinstance(step, dict):
            continue
        key = ("jobs", job_id, "steps", i)
        step_env = {**env, **safe_env(as_dict(step.get("env")))}
        if isinstance(step.get("uses"), str):
            action = str(step["uses"])
            inputs = as_dict(step.get("with"))
            region = as_text(inputs.get("aws-region")) or region
            found, regs = _action_step(doc, key, step, action, inputs, step_env, region)
            manual = manual or action.lower().startswith(_MANUAL_ACTIONS)
        elif isinstance(step.get("run"), str):
            found, regs = _run_step(doc, key, step, step_env)
        else:
            continue
        steps += found
        registries.update(regs)
    return CiJob(job_id, doc.line_of("jobs", job_id), _environment(job_id, job), tuple(steps),
                 tuple(as_text(n) for n in as_list(job.get("needs")) if as_text(n)), manual), registries


def _environment(job_id: str, job: dict[str, object]) -> str | None:
    value = job.get("environment")
    if isinstance(value, dict):
        value = value.get("name")
    return as_text(value) or environment_in(job_id) or environment_in(as_text(job.get("name")))


def _run_step(doc: YamlDoc, key: tuple[str | int, ...], step: dict[str, object], env: Mapping[str, str],
              ) -> tuple[list[CiStep], tuple[str, ...]]:
    script = str(step["run"])
    found, registries = script_steps(script, block_start(script, doc.line_of(*key, "run")), env)
    if not found:
        # Only the name: the unrecognised script itself may hold anything.
        # Only the name, and no kinds from it: free text like "Edit YAML for deployment" is no deploy.
        found = [CiStep(doc.line_of(*key), (O,), "shell", as_text(step.get("name")) or "shell script")]
    return found, registries


def _action_step(doc: YamlDoc, key: tuple[str | int, ...], step: dict[str, object], action: str,
                 inputs: dict[str, object], env: Mapping[str, str], region: str,
                 ) -> tuple[list[CiStep], tuple[str, ...]]:
    line = doc.line_of(*key, "uses")
    name = action.split("@", 1)[0].lower()
    if name in ("azure/cli", "azure/powershell") and isinstance(inputs.get("inlineScript"), str):
        script = str(inputs["inlineScript"])
        found, seen = script_steps(script, block_start(script, doc.line_of(*key, "with", "inlineScript")), env)
        if found:
            return found, seen
    known = max((a for a in _ACTIONS if name.startswith(a.prefix)), key=lambda a: len(a.prefix), default=None)
    kinds = known.kinds if known else kinds_from_name(name.rsplit("/", 1)[-1])
    registries: tuple[str, ...] = ()
    if name == "docker/build-push-action":
        kinds, registries = _build_push(inputs, env)
    elif name in ("docker/login-action", "azure/docker-login"):
        server = as_text(inputs.get("registry") or inputs.get("login-server")) or "docker.io"
        host = registry_host(server, env)
        registries = (host,) if host else ()
    elif name == "aws-actions/amazon-ecr-login":
        registries = _ecr_registries(inputs, region)
    elif name == "gradle/gradle-build-action" and isinstance(inputs.get("arguments"), str):
        kinds = _gradle_kinds(str(inputs["arguments"]))
    tool = known.tool if known and known.tool else action
    return [CiStep(line, kinds, tool, _detail(step, action, inputs))], registries


def _build_push(inputs: dict[str, object], env: Mapping[str, str]) -> tuple[tuple[StepKind, ...], tuple[str, ...]]:
    # The action pushes only when told to; an expression (`push: ${{ github.event_name == 'push' }}`) may push.
    push = as_text(inputs.get("push")).strip().lower()
    outputs = as_text(inputs.get("outputs"))
    pushes = push not in ("", "false") or "type=registry" in outputs or "push=true" in outputs
    if not pushes:
        return (B,), ()
    # One tag per line or comma; `${{ ... }}` holds spaces, so no splitting on them.
    tags = [t.strip() for t in re.split(r"[\n,]", as_text(inputs.get("tags")))]
    hosts = {h for h in (registry_host(t, env) for t in tags if t) if h}
    return (B, P), tuple(sorted(hosts))


def _ecr_registries(inputs: dict[str, object], region: str) -> tuple[str, ...]:
    if as_text(inputs.get("registry-type")).lower() == "public":
        return ("public.ecr.aws",)
    accounts = [a for a in re.split(r"[\s,]+", as_text(inputs.get("registries"))) if re.fullmatch(r"\d{12}", a)]
    if region and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", region):
        return tuple(sorted(f"{a}.dkr.ecr.{region}.amazonaws.com" for a in accounts))
    return ()


def _gradle_kinds(arguments: str) -> tuple[StepKind, ...]:
    return classify_command("gradle " + arguments)[0]


def _detail(step: dict[str, object], action: str, inputs: dict[str, object]) -> str:
    shown = []
    for key in _SHOWN_INPUTS:
        value = as_text(inputs.get(key)).strip()
        if value:
            lines = value.splitlines()
            shown.append(f"{key} {lines[0]}{' …' if len(lines) > 1 else ''}")
    name = as_text(step.get("name"))
    return f"{name + ': ' if name else ''}{action}{' (' + ', '.join(shown) + ')' if shown else ''}"
