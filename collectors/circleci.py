"""CircleCI (.circleci/config.yml): jobs, run steps, orb commands and jobs, workflows with approvals."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import Diagnostic, Fact, Loc
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, StepKind, as_dict, as_list, as_text, block_start,
                      environment_in, kinds_from_name, registry_host, safe_env, script_steps)
from .yamlload import YamlDoc

NAME = "circleci"
TOOL = "CircleCI"
Key = tuple[str | int, ...]
MAX_COMMAND_DEPTH = 3  # reusable commands calling commands: enough for real configs, bounded for loops


def is_circleci_path(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return len(parts) >= 2 and parts[-2] == ".circleci" and parts[-1] in ("config.yml", "config.yaml")


def from_yaml(path: str, docs: list[YamlDoc]) -> tuple[list[Fact], list[Diagnostic]] | None:
    """The pipeline fact of .circleci/config.yml, or None for any other file."""
    if not is_circleci_path(path):
        return None
    facts = [Fact(KIND_PIPELINE, Loc(path, doc.line), _pipeline(path, doc)) for doc in docs
             if isinstance(doc.data, dict) and (isinstance(doc.data.get("jobs"), dict)
                                                 or isinstance(doc.data.get("workflows"), dict))]
    return (facts, []) if facts else None


class _Workflows:
    """What the workflows say about jobs: requirements, approvals, contexts, triggers, orb-only jobs."""

    def __init__(self, doc: YamlDoc) -> None:
        self.needs: dict[str, list[str]] = {}
        self.contexts: dict[str, list[str]] = {}
        self.approvals: dict[str, int] = {}
        self.external: dict[str, tuple[int, str, dict[str, object]]] = {}
        self.triggers: list[str] = []
        for wf_name, workflow in as_dict(doc.data.get("workflows")).items():
            if isinstance(workflow, dict):
                self._read(doc, wf_name, workflow)

    def _read(self, doc: YamlDoc, wf_name: str, workflow: dict[str, object]) -> None:
        filtered = False
        for trigger in as_list(workflow.get("triggers")):
            if isinstance(trigger, dict) and "schedule" in trigger:
                self.triggers.append("schedule")
                filtered = True
        for i, entry in enumerate(as_list(workflow.get("jobs"))):
            ref, params = (entry, {}) if isinstance(entry, str) else next(iter(as_dict(entry).items()), ("", {}))
            params = as_dict(params)
            name = as_text(params.get("name")) or ref
            if not name:
                continue
            self.needs.setdefault(name, []).extend(as_text(r) for r in as_list(params.get("requires")))
            self.contexts.setdefault(name, []).extend(as_text(c) for c in as_list(params.get("context")))
            if params.get("type") == "approval":
                self.approvals[name] = doc.line_of("workflows", wf_name, "jobs", i)
            elif ref not in as_dict(doc.data.get("jobs")):
                self.external[name] = (doc.line_of("workflows", wf_name, "jobs", i), ref, params)
            filters = as_dict(params.get("filters"))
            for what, form in (("branches", "push: {}"), ("tags", "push: tags {}")):
                only = [as_text(b) for b in as_list(as_dict(filters.get(what)).get("only")) if as_text(b)]
                if only:
                    self.triggers.append(form.format(", ".join(only)))
                    filtered = True
        if not filtered:
            self.triggers.append("push")


def _pipeline(path: str, doc: YamlDoc) -> CiPipeline:
    workflows = _Workflows(doc)
    orbs = {str(k): as_text(v) for k, v in as_dict(doc.data.get("orbs")).items()}
    jobs: list[CiJob] = []
    registries: set[str] = set()
    for name, job in as_dict(doc.data.get("jobs")).items():
        body = as_dict(job)
        env = safe_env(as_dict(body.get("environment")))
        steps = _steps(doc, ("jobs", name, "steps"), body.get("steps"), env, orbs, registries, 0)
        jobs.append(_job(name, doc.line_of("jobs", name), steps, workflows))
    for name, (line, ref, params) in workflows.external.items():
        orb = ref.split("/", 1)[0]
        step = CiStep(line, kinds_from_name(ref.split("/", 1)[-1]), ref,
                      f"orb job {ref}" + (f" ({orbs[orb]})" if orb in orbs else ""))
        registries.update(_param_registries(params))
        jobs.append(_job(name, line, [step], workflows))
    for name, line in workflows.approvals.items():
        jobs.append(CiJob(name, line, environment_in(name), (), tuple(dict.fromkeys(workflows.needs.get(name, []))),
                          True))
    return CiPipeline(TOOL, path, tuple(dict.fromkeys(workflows.triggers)), tuple(jobs), tuple(sorted(registries)))


def _job(name: str, line: int, steps: list[CiStep], workflows: _Workflows) -> CiJob:
    needs = tuple(dict.fromkeys(n for n in workflows.needs.get(name, []) if n))
    contexts = workflows.contexts.get(name, [])
    environment = environment_in(name) or next((e for c in contexts if (e := environment_in(c))), None)
    # A job that waits for an approval job is released by hand.
    manual = any(n in workflows.approvals for n in needs)
    return CiJob(name, line, environment, tuple(steps), needs, manual)


def _steps(doc: YamlDoc, key: Key, steps: object, env: Mapping[str, str], orbs: Mapping[str, str],
           registries: set[str], depth: int) -> list[CiStep]:
    out: list[CiStep] = []
    commands = as_dict(doc.data.get("commands"))
    for i, step in enumerate(as_list(steps)):
        params: object = {}
        if isinstance(step, str):
            name = step
        elif isinstance(step, dict) and len(step) == 1:
            key_name, params = next(iter(step.items()))
            name = str(key_name)
        else:
            continue
        line = doc.line_of(*key, i)
        if name == "run":
            out += _run(doc, key + (i, "run"), params, env, registries)
        elif name in commands and depth < MAX_COMMAND_DEPTH:
            out += _steps(doc, ("commands", name, "steps"), as_dict(commands[name]).get("steps"), env, orbs,
                          registries, depth + 1)
        elif "/" in name:
            orb = name.split("/", 1)[0]
            registries.update(_param_registries(as_dict(params)))
            out.append(CiStep(line, kinds_from_name(name.split("/", 1)[1]), name,
                              f"orb command {name}" + (f" ({orbs[orb]})" if orb in orbs else "")))
        elif name in ("checkout", "setup_remote_docker"):
            out.append(CiStep(line, (StepKind.OTHER,), name, name))
    return out


def _run(doc: YamlDoc, key: Key, params: object, env: Mapping[str, str], registries: set[str]) -> list[CiStep]:
    if isinstance(params, str):
        command, command_key, label = params, key, ""
    else:
        body = as_dict(params)
        command, command_key, label = as_text(body.get("command")), key + ("command",), as_text(body.get("name"))
        env = {**env, **safe_env(as_dict(body.get("environment")))}
    found, regs = script_steps(command, block_start(command, doc.line_of(*command_key)), env)
    registries.update(regs)
    return found or [CiStep(doc.line_of(*key), (StepKind.OTHER,), "shell", label or "shell script")]


def _param_registries(params: dict[str, object]) -> set[str]:
    """Registry hosts among orb parameters named like registries (`registry-url: us.gcr.io`)."""
    out: set[str] = set()
    for key, value in params.items():
        if re.search(r"registry|login-server|account-url", key) and isinstance(value, str):
            host = registry_host(value, bare=None)
            if host:
                out.add(host)
    return out
