"""Azure Pipelines YAML, found by content: stages, jobs, deployment jobs and strategies, tasks and scripts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..model import Diagnostic, Fact, Loc
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, StepKind, as_dict, as_list, as_text, block_start,
                      classify_command, environment_in, kinds_from_name, looks_like_registry, registry_host, safe_env, script_steps,
                      substitute)
from .github_actions import is_workflow_path
from .yamlload import YamlDoc

NAME = "azure_pipelines"
TOOL = "Azure Pipelines"

B, T, S, P, D, I, L, O = (StepKind.BUILD, StepKind.TEST, StepKind.SCAN, StepKind.PUSH,
                          StepKind.DEPLOY, StepKind.INFRA, StepKind.LOGIN, StepKind.OTHER)
Key = tuple[str | int, ...]

# Step keys only Azure Pipelines uses; `script` alone is shared with Cloud Build, told apart below.
_STEP_KEYS = frozenset({"task", "bash", "pwsh", "powershell", "checkout", "download", "publish", "upload",
                        "downloadBuild", "getPackage", "reviewApp", "restoreCache"})
_SCRIPT_KEYS = ("script", "bash", "pwsh", "powershell")
_HOOKS = ("preDeploy", "deploy", "routeTraffic", "postRouteTraffic")
_STRATEGIES = ("runOnce", "rolling", "canary")
_SETUP_LANGUAGE = {"usedotnet": ".NET", "dotnetcoreinstaller": ".NET", "usenode": "Node.js", "nodetool": "Node.js",
                   "usepythonversion": "Python", "javatoolinstaller": "Java", "gotool": "Go", "userubyversion": "Ruby"}
_NOTHING = frozenset({"publishbuildartifacts", "publishpipelineartifact", "downloadpipelineartifact",
                      "downloadbuildartifacts", "copyfiles", "archivefiles", "extractfiles", "azurekeyvault",
                      "replacetokens", "cache", "publishtestresults", "publishcodecoverageresults", "deletefiles",
                      "helminstaller", "kubectlinstaller", "terraforminstaller", "manualvalidation", "nugettoolinstaller",
                      "nugetauthenticate", "npmauthenticate", "pipauthenticate", "mavenauthenticate"})
_DEPLOY_TASKS = ("azurewebapp", "azurermwebappdeployment", "azurefunctionapp", "azurecontainerapps",
                 "azurewebappcontainer", "azurefunctionappcontainer", "azurespringcloud", "azurestaticwebapp",
                 "servicefabricdeploy", "iiswebappdeploymentonmachinegroup")
_INFRA_TASKS = ("azureresourcemanagertemplatedeployment", "azureresourcegroupdeployment", "terraformtaskv",
                "terraformcli", "terraform", "pulumi", "cloudformationcreateorupdatestack")
_SCAN_TASKS = ("sonarqube", "sonarcloud", "snyksecurityscan", "trivy", "microsoftsecuritydevops", "advancedsecurity",
               "whitesource", "mend", "credscan", "checkmarx", "dependency-check", "dependencycheck", "fortify",
               "veracode", "prismacloud", "aqua")
# Inputs worth showing: never credentials (and redaction runs on top anyway).
_SHOWN = ("command", "action", "strategy", "percentage", "containerRegistry", "repository", "Dockerfile", "tags",
          "namespace", "manifests", "containers", "chartName", "chartPath", "releaseName", "arguments", "goals",
          "tasks", "projects", "azureSubscription", "kubernetesServiceConnection", "resourceGroupName", "appName",
          "WebAppName", "csmFile", "templateLocation", "provider", "customCommand", "scriptPath")


def _is_step(item: object) -> bool:
    if not isinstance(item, dict):
        return False
    if _STEP_KEYS & item.keys() or "template" in item and isinstance(item["template"], str):
        return True
    # Cloud Build steps have `script` too, but always with `name: <builder image>`.
    return "script" in item and not ("/" in as_text(item.get("name")) or "args" in item)


def _is_template_ref(item: dict[str, object]) -> bool:
    return isinstance(item.get("template"), str) and str(item["template"]).endswith((".yml", ".yaml"))


def is_azure(data: object) -> bool:
    """Azure Pipelines by shape: Kubernetes objects, GitHub/CircleCI (`jobs:` mapping), GitLab (`stages:` of
    names), compose files and Helm values have none of these shapes."""
    if not isinstance(data, dict) or "apiVersion" in data and "kind" in data or isinstance(data.get("jobs"), dict):
        return False
    stages, jobs, steps = data.get("stages"), data.get("jobs"), data.get("steps")
    if isinstance(stages, list) and any(isinstance(s, dict) and ("stage" in s or _is_template_ref(s)) for s in stages):
        return True
    if isinstance(jobs, list) and any(isinstance(j, dict) and ("job" in j or "deployment" in j or _is_template_ref(j))
                                      for j in jobs):
        return True
    if isinstance(steps, list) and any(_is_step(s) for s in steps):
        return True
    extends = data.get("extends")
    return isinstance(extends, dict) and isinstance(extends.get("template"), str)


def from_yaml(path: str, docs: list[YamlDoc]) -> tuple[list[Fact], list[Diagnostic]] | None:
    """The pipeline fact of an Azure Pipelines file (or template), or None when it is not one."""
    if is_workflow_path(path):
        return None
    facts = [Fact(KIND_PIPELINE, Loc(path, doc.line), _pipeline(path, doc)) for doc in docs if is_azure(doc.data)]
    return (facts, []) if facts else None


@dataclasses.dataclass(frozen=True)
class _Context:
    """What a walk of one document shares: the document, variables in scope and the registries seen."""

    doc: YamlDoc
    env: Mapping[str, str]
    registries: set[str]

    def scoped(self, variables: object) -> _Context:
        return _Context(self.doc, {**self.env, **safe_env(_variables(variables))}, self.registries)


def _pipeline(path: str, doc: YamlDoc) -> CiPipeline:
    data = doc.data
    context = _Context(doc, safe_env(_variables(data.get("variables"))), set())
    jobs: list[CiJob] = []
    if isinstance(data.get("stages"), list):
        for si, stage in enumerate(data["stages"]):
            if isinstance(stage, dict):
                jobs += _stage(context, si, stage)
    elif isinstance(data.get("jobs"), list):
        for ji, job in enumerate(data["jobs"]):
            if isinstance(job, dict):
                jobs.append(_job(context, ("jobs", ji), job, None, ()))
    elif isinstance(data.get("steps"), list):
        jobs.append(CiJob("Job", doc.line_of("steps"), None, tuple(_steps(context, ("steps",), data["steps"]))))
    if isinstance(data.get("extends"), dict) and isinstance(data["extends"].get("template"), str):
        template = str(data["extends"]["template"])
        line = doc.line_of("extends", "template")
        jobs.append(CiJob("extends", line, None, (CiStep(line, kinds_from_name(template), "template",
                                                          f"extends template {template}"),)))
    registries = context.registries
    if any({P, L} & set(step.kinds) for job in jobs for step in job.steps):
        # Variables naming a registry (`containerRegistry: myacr.azurecr.io`) are where the pipeline pushes:
        # the Docker task itself names only a service connection.
        registries.update(h for v in context.env.values()
                          if looks_like_registry(v) and (h := registry_host(v, bare=None)))
    return CiPipeline(TOOL, path, _triggers(data), tuple(jobs), tuple(sorted(registries)))


def _variables(value: object) -> dict[str, object]:
    """Variables in mapping form or list form (`- name: x value: y`); groups and templates are not read."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    out: dict[str, object] = {}
    for item in as_list(value):
        if isinstance(item, dict) and "name" in item and "value" in item:
            out[as_text(item["name"])] = item["value"]
    return out


def _stage(context: _Context, si: int, stage: dict[str, object]) -> list[CiJob]:
    doc = context.doc
    if "stage" not in stage and _is_template_ref(stage):
        return [_template_job(doc, ("stages", si), str(stage["template"]))]
    name = as_text(stage.get("stage"))
    context = context.scoped(stage.get("variables"))
    needs = tuple(as_text(d) for d in as_list(stage.get("dependsOn")) if as_text(d))
    jobs = [_job(context, ("stages", si, "jobs", ji), job, stage, needs)
            for ji, job in enumerate(as_list(stage.get("jobs"))) if isinstance(job, dict)]
    return jobs


def _template_job(doc: YamlDoc, key: Key, template: str) -> CiJob:
    line = doc.line_of(*key, "template")
    return CiJob(f"template {template}", line, environment_in(template),
                 (CiStep(line, kinds_from_name(template), "template", f"template {template}"),))


def _job(context: _Context, key: Key, job: dict[str, object], stage: dict[str, object] | None,
         stage_needs: tuple[str, ...]) -> CiJob:
    doc = context.doc
    job_id = as_text(job.get("job") or job.get("deployment"))
    if not job_id and _is_template_ref(job):
        return _template_job(doc, key, str(job["template"]))
    stage_name = as_text(stage.get("stage")) if stage else ""
    name = f"{stage_name}/{job_id}" if stage_name else job_id
    context = context.scoped(job.get("variables"))
    steps = _steps(context, key + ("steps",), job.get("steps"))
    if "deployment" in job:
        steps += _strategy_steps(context, key, job.get("strategy"))
    own_needs = tuple(f"{stage_name}/{d}" if stage_name else d
                      for d in (as_text(x) for x in as_list(job.get("dependsOn"))) if d)
    manual = any(s.tool.lower().startswith("manualvalidation") for s in steps)
    return CiJob(name, doc.line_of(*key), _environment(job, job_id, stage), tuple(steps), own_needs + stage_needs,
                 manual)


def _environment(job: dict[str, object], job_id: str, stage: dict[str, object] | None) -> str | None:
    value = job.get("environment")
    if isinstance(value, dict):
        value = value.get("name")
    # `environment: prod.my-namespace` targets a resource of environment `prod`.
    written = as_text(value).split(".", 1)[0] if "$" not in as_text(value) else as_text(value)
    stage_name = as_text(stage.get("stage")) if stage else ""
    return (written or environment_in(job_id) or environment_in(stage_name)
            or environment_in(as_text(job.get("displayName"))))


def _strategy_steps(context: _Context, key: Key, strategy: object) -> list[CiStep]:
    """Steps of a deployment job's lifecycle hooks, each detail naming strategy and hook; steps under
    `on: failure` are the pipeline's rollback."""
    if not isinstance(strategy, dict):
        return []
    out: list[CiStep] = []
    for kind in _STRATEGIES:
        body = strategy.get(kind)
        if not isinstance(body, dict):
            continue
        hooks: list[tuple[Key, str, object]] = [
            (key + ("strategy", kind, hook, "steps"), hook, body[hook].get("steps"))
            for hook in _HOOKS if isinstance(body.get(hook), dict)]
        on = as_dict(body.get("on", body.get(True)))  # PyYAML reads the key `on` as True (YAML 1.1)
        hooks += [(key + ("strategy", kind, "on", outcome, "steps"), f"on.{outcome}",
                   as_dict(on[outcome]).get("steps"))
                  for outcome in ("failure", "success") if isinstance(on.get(outcome), dict)]
        for path, hook, steps in hooks:
            label = f"[{kind} {hook}{': rollback' if hook == 'on.failure' else ''}] "
            out += [dataclasses.replace(s, detail=label + s.detail) for s in _steps(context, path, steps)]
    return out


def _steps(context: _Context, key: Key, steps: object) -> list[CiStep]:
    out: list[CiStep] = []
    for i, step in enumerate(as_list(steps)):
        if isinstance(step, dict):
            out += _step(context, key + (i,), step)
    return out


def _step(context: _Context, key: Key, step: dict[str, object]) -> list[CiStep]:
    doc = context.doc
    display = as_text(step.get("displayName"))
    if isinstance(step.get("task"), str):
        return _task(context, key, step, str(step["task"]), display)
    for script_key in _SCRIPT_KEYS:
        if isinstance(step.get(script_key), str):
            script = str(step[script_key])
            found, registries = script_steps(script, block_start(script, doc.line_of(*key, script_key)), context.env)
            context.registries.update(registries)
            return found or [CiStep(doc.line_of(*key), (O,), script_key, display or script_key)]
    if isinstance(step.get("template"), str):
        template = str(step["template"])
        return [CiStep(doc.line_of(*key, "template"), kinds_from_name(template), "template", f"template {template}")]
    if "checkout" in step:
        return [CiStep(doc.line_of(*key), (O,), "checkout", f"checkout {as_text(step['checkout'])}")]
    return []


def _task(context: _Context, key: Key, step: dict[str, object], ref: str, display: str) -> list[CiStep]:
    doc = context.doc
    inputs = as_dict(step.get("inputs"))
    lowered = {k.lower(): v for k, v in inputs.items()}
    name = ref.split("@", 1)[0].lower()
    line = doc.line_of(*key, "task")
    script_input = next((k for k in ("inlineScript", "script", "Inline") if isinstance(inputs.get(k), str)), "")
    if script_input and name in ("azurecli", "azurepowershell", "bash", "cmdline", "powershell", "shellscript",
                                 "awsshellscript", "awscli"):
        script = str(inputs[script_input])
        found, registries = script_steps(script, block_start(script, doc.line_of(*key, "inputs", script_input)),
                                         context.env)
        context.registries.update(registries)
        if found:
            return found
    kinds, note = _task_kinds(name, lowered)
    detail = _detail(display, ref, inputs) + (f" [{note}]" if note else "")
    if name == "docker" and {P, L} & set(kinds):
        # Usually a service connection name; a host only when a variable or the input says so.
        host = registry_host(substitute(as_text(lowered.get("containerregistry")), context.env), bare=None)
        context.registries.update([host] if host else [])
    return [CiStep(line, kinds, _SETUP_LANGUAGE.get(name, ref), detail)]


def _task_kinds(name: str, inputs: Mapping[str, object]) -> tuple[tuple[StepKind, ...], str]:
    """What a task does, from its name and its command/action input; a note for strategy hints."""
    command = as_text(inputs.get("command") or inputs.get("action")).strip().lower()
    arguments = as_text(inputs.get("arguments"))
    if name == "docker":
        return {"build": (B,), "push": (P,), "login": (L,), "": (B, P),
                "buildandpush": (B, P)}.get(command, (O,)), ""
    if name == "kubernetesmanifest":
        strategy = as_text(inputs.get("strategy")).lower()
        if command in ("deploy", ""):
            return (D,), f"{strategy} deployment" if strategy not in ("", "none") else ""
        if command in ("promote", "reject"):
            return (D,), f"canary {command}"
        return ((D,) if command in ("patch", "scale") else (O,)), ""
    if name == "kubernetes":
        if command == "login":
            return (L,), ""
        return ((D,) if command in ("apply", "set", "rollout", "replace", "create", "patch", "scale") else (O,)), ""
    if name == "helmdeploy":
        atomic = "--atomic: rollback on failure" if "--atomic" in arguments else ""
        return {"install": (D,), "upgrade": (D,), "package": (B,), "push": (P,), "save": (P,),
                "login": (L,)}.get(command, (O,)), atomic if command in ("install", "upgrade") else ""
    if name.startswith("gradle"):
        return classify_command("gradle " + (as_text(inputs.get("tasks")) or "build"))[0], ""
    if name == "maven":
        return classify_command("mvn " + (as_text(inputs.get("goals")) or "package"))[0], ""
    if name == "npm":
        if command == "custom":
            return classify_command("npm " + as_text(inputs.get("customcommand")))[0], ""
        return ((P,) if command == "publish" else (O,)), ""
    if name == "dotnetcorecli":
        verb = command or "build"
        if verb == "custom":
            verb = as_text(inputs.get("custom"))
        return classify_command(f"dotnet {verb} {arguments}")[0], ""
    if name in ("vstest", "visualstudiotestplatforminstaller"):
        return ((T,) if name == "vstest" else (O,)), ""
    if name in ("ecrpushimage",):
        return (P,), ""
    if name.startswith(_SCAN_TASKS):
        return (S,), ""
    if name.startswith(_INFRA_TASKS):
        return ((O,) if command in ("validate", "show", "output", "custom") else (I,)), ""
    if name.startswith(_DEPLOY_TASKS):
        return (D,), ""
    if name in _NOTHING or name in _SETUP_LANGUAGE:
        return (O,), ""
    return kinds_from_name(name), ""


def _detail(display: str, ref: str, inputs: Mapping[str, object]) -> str:
    shown = []
    for key in _SHOWN:
        value = as_text(inputs.get(key)).strip()
        if value:
            lines = value.splitlines()
            shown.append(f"{key} {lines[0]}{' …' if len(lines) > 1 else ''}")
    return f"{display + ': ' if display else ''}{ref}{' (' + ', '.join(shown) + ')' if shown else ''}"


def _branch_filter(value: object) -> list[str]:
    if isinstance(value, dict):
        return [as_text(b) for b in as_list(value.get("include")) if as_text(b)]
    return [as_text(b) for b in as_list(value) if as_text(b)]


def _triggers(data: dict[str, object]) -> tuple[str, ...]:
    out: list[str] = []
    template = "parameters" in data and not any(k in data for k in ("trigger", "pr", "schedules", "resources",
                                                                   "pool", "name"))
    trigger = data.get("trigger", "" if template else "(default)")
    if trigger == "(default)":
        out.append("push (default)")  # without `trigger`, every push to any branch runs the pipeline
    elif isinstance(trigger, list):
        out.append("push: " + ", ".join(as_text(b) for b in trigger))
    elif isinstance(trigger, dict):
        branches = _branch_filter(trigger.get("branches"))
        tags = _branch_filter(trigger.get("tags"))
        out += [f"push: {', '.join(branches)}"] if branches else []
        out += [f"push: tags {', '.join(tags)}"] if tags else []
        out += [] if branches or tags else ["push"]
    pr = data.get("pr")
    if isinstance(pr, list) or isinstance(pr, dict):
        branches = _branch_filter(pr.get("branches") if isinstance(pr, dict) else pr)
        out.append(f"pull_request: {', '.join(branches)}" if branches else "pull_request")
    if data.get("schedules"):
        out.append("schedule")
    resources = data.get("resources") if isinstance(data.get("resources"), dict) else {}
    assert isinstance(resources, dict)
    for item in as_list(resources.get("pipelines")):
        if isinstance(item, dict) and item.get("trigger") not in (None, "none", False):
            out.append(f"pipeline: {as_text(item.get('source') or item.get('pipeline'))}")
    return tuple(out)
