"""GitLab CI (.gitlab-ci.yml and included job files): jobs, scripts, environments, rules, templates."""

from __future__ import annotations

import re
from posixpath import basename

from ..model import Diagnostic, Fact, Loc
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, StepKind, as_list, as_text, environment_in,
                      kinds_from_name, safe_env, yaml_script_steps)
from .yamlload import YamlDoc

NAME = "gitlab_ci"
TOOL = "GitLab CI"

# Top-level keys that configure the pipeline rather than name a job.
_GLOBAL_KEYS = frozenset({"stages", "variables", "include", "default", "workflow", "image", "services", "cache",
                          "before_script", "after_script", "types", "spec"})
_JOB_KEYS = ("script", "trigger", "extends", "run")
_SCRIPTS = ("before_script", "script", "after_script")
MAX_EXTENDS = 10  # GitLab's own limit on `extends` depth


def is_gitlab_path(path: str) -> bool:
    name = basename(path)
    return name in (".gitlab-ci.yml", ".gitlab-ci.yaml") or name.endswith((".gitlab-ci.yml", ".gitlab-ci.yaml"))


def _is_gitlab_content(data: dict[object, object]) -> bool:
    """An included file by content: `stages` is a list of names (Azure's is a list of mappings) and at least
    one job has a `script`."""
    stages = data.get("stages")
    if not (isinstance(stages, list) and stages and all(isinstance(s, str) for s in stages)):
        return False
    return any(isinstance(v, dict) and "script" in v for k, v in data.items() if k not in _GLOBAL_KEYS)


def from_yaml(path: str, docs: list[YamlDoc]) -> tuple[list[Fact], list[Diagnostic]] | None:
    """The pipeline fact, or None when the file is not GitLab CI."""
    if "/.github/workflows/" in "/" + path:
        return None
    root = is_gitlab_path(path)
    facts: list[Fact] = []
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or "apiVersion" in data and "kind" in data:
            continue
        if root or _is_gitlab_content(data):
            facts.append(Fact(KIND_PIPELINE, Loc(path, doc.line), _pipeline(path, doc, root)))
    return (facts, []) if facts else None


def _pipeline(path: str, doc: YamlDoc, root: bool) -> CiPipeline:
    data: dict[str, object] = doc.data
    env = safe_env(_variables(data.get("variables")))
    jobs: list[CiJob] = []
    registries: set[str] = set()
    triggers: list[str] = list(_rule_triggers(doc, ("workflow", "rules")))
    includes = _includes(doc)
    if includes:
        jobs.append(CiJob("include", doc.line_of("include"), None, tuple(includes)))
    for name, job in data.items():
        if not isinstance(name, str) or name in _GLOBAL_KEYS or name.startswith(".") or not isinstance(job, dict):
            continue
        if not any(k in job for k in _JOB_KEYS):
            continue
        built, regs = _job(doc, name, env)
        jobs.append(built)
        registries.update(regs)
        triggers += _job_triggers(doc, name)
    if not triggers and root:
        triggers.append("push (default)")  # GitLab runs a pipeline for every push unless rules say otherwise
    return CiPipeline(TOOL, path, tuple(dict.fromkeys(triggers)), tuple(jobs), tuple(sorted(registries)))


def _variables(value: object) -> dict[str, object]:
    """`variables:` values; the expanded form (`X: {value: ..., description: ...}`) gives its value."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v.get("value") if isinstance(v, dict) else v for k, v in value.items()}


def _lookup(doc: YamlDoc, job: str, key: str, depth: int = 0) -> tuple[object, str] | None:
    """A job's key, following `extends` (last template wins, the job itself over all); with the name of
    the job or template that defines it, so lines point at the definition."""
    body = doc.data.get(job)
    if not isinstance(body, dict) or depth > MAX_EXTENDS:
        return None
    if key in body:
        return body[key], job
    for parent in reversed(as_list(body.get("extends"))):
        if isinstance(parent, str) and parent != job:
            found = _lookup(doc, parent, key, depth + 1)
            if found is not None:
                return found
    return None


def _job(doc: YamlDoc, name: str, env: dict[str, str]) -> tuple[CiJob, set[str]]:
    found_vars = _lookup(doc, name, "variables")
    env = {**env, **safe_env(_variables(found_vars[0] if found_vars else None))}
    steps: list[CiStep] = []
    registries: set[str] = set()
    for key in _SCRIPTS:
        found = _lookup(doc, name, key)
        if found is not None:
            value, owner = found
            got, regs = yaml_script_steps(doc, (owner, key), value, env)
            steps += got
            registries.update(regs)
    trigger = _lookup(doc, name, "trigger")
    if trigger is not None:
        target = trigger[0].get("project") or trigger[0].get("include") if isinstance(trigger[0], dict) else trigger[0]
        steps.append(CiStep(doc.line_of(trigger[1], "trigger"), (StepKind.OTHER,), "trigger",
                            f"downstream pipeline {as_text(target) or '(include)'}"))
    # The predefined registry variables name GitLab's own registry, whatever its host is.
    if any({StepKind.LOGIN, StepKind.PUSH} & set(s.kinds) and "CI_REGISTRY" in s.detail for s in steps):
        registries.add("$CI_REGISTRY")
    return CiJob(name, doc.line_of(name), _environment(doc, name), tuple(steps), _needs(doc, name),
                 _manual(doc, name)), registries


def _environment(doc: YamlDoc, name: str) -> str | None:
    found = _lookup(doc, name, "environment")
    value = found[0] if found else None
    if isinstance(value, dict):
        value = value.get("name")
    return as_text(value) or environment_in(name)


def _needs(doc: YamlDoc, name: str) -> tuple[str, ...]:
    found = _lookup(doc, name, "needs")
    out: list[str] = []
    for need in as_list(found[0] if found else None):
        need = need.get("job") if isinstance(need, dict) else need
        if as_text(need):
            out.append(as_text(need))
    return tuple(out)


def _manual(doc: YamlDoc, name: str) -> bool:
    when = _lookup(doc, name, "when")
    if when is not None and when[0] == "manual":
        return True
    rules = _lookup(doc, name, "rules")
    return any(isinstance(r, dict) and r.get("when") == "manual" for r in as_list(rules[0] if rules else None))


_SOURCE = {"merge_request_event": "merge_request", "schedule": "schedule", "web": "web (manual)",
           "push": "push", "api": "api", "trigger": "trigger", "pipeline": "pipeline", "parent_pipeline": "pipeline"}


def _rule_triggers(doc: YamlDoc, path: tuple[str, ...]) -> list[str]:
    """Trigger hints from `rules: - if:` expressions (pipeline source, branch, tag)."""
    node: object = doc.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    out: list[str] = []
    for rule in as_list(node):
        condition = as_text(rule.get("if")) if isinstance(rule, dict) else ""
        if not condition or isinstance(rule, dict) and rule.get("when") == "never":
            continue
        for source in re.findall(r"\$CI_PIPELINE_SOURCE\s*==\s*[\"']([\w-]+)[\"']", condition):
            out.append(_SOURCE.get(source, source))
        for branch in re.findall(r"\$CI_COMMIT_BRANCH\s*==\s*[\"']([^\"']+)[\"']", condition):
            out.append(f"push: {branch}")
        if re.search(r"\$CI_COMMIT_BRANCH\s*==\s*\$CI_DEFAULT_BRANCH", condition):
            out.append("push: default branch")
        if "$CI_COMMIT_TAG" in condition and "==" not in condition.split("$CI_COMMIT_TAG")[1][:4]:
            out.append("tag")
    return out


def _job_triggers(doc: YamlDoc, name: str) -> list[str]:
    out = _rule_triggers(doc, (name, "rules"))
    only = doc.data[name].get("only")
    refs = only.get("refs") if isinstance(only, dict) else only
    for ref in as_list(refs):
        ref = as_text(ref)
        out.append({"merge_requests": "merge_request", "tags": "tag", "schedules": "schedule", "web": "web (manual)",
                    "branches": "push"}.get(ref, f"push: {ref}" if ref else ""))
    return [t for t in out if t]


def _includes(doc: YamlDoc) -> list[CiStep]:
    """GitLab templates and CI/CD components: SAST, dependency, container and secret scanning, Auto DevOps."""
    steps: list[CiStep] = []
    for i, item in enumerate(as_list(doc.data.get("include"))):
        if not isinstance(item, dict):
            continue
        line = doc.line_of("include", i) if isinstance(doc.data.get("include"), list) else doc.line_of("include")
        name = as_text(item.get("template") or item.get("component"))
        if not name:
            continue
        kind = "template" if item.get("template") else "component"
        if "auto-devops" in name.lower():
            kinds: tuple[StepKind, ...] = (StepKind.BUILD, StepKind.TEST, StepKind.DEPLOY)
        elif re.search(r"sast|dast|dependency-scanning|container-scanning|secret-detection|license-scanning"
                       r"|fuzz|iac", name, re.I):
            kinds = (StepKind.SCAN,)
        else:
            kinds = kinds_from_name(name)
        steps.append(CiStep(line, kinds, f"gitlab {kind}", f"{kind} {name}"))
    return steps
