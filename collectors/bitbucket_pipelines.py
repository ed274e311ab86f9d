"""Bitbucket Pipelines (bitbucket-pipelines.yml): pipelines by branch/PR/tag/custom, steps, pipes, deployments."""

from __future__ import annotations

from collections.abc import Iterator
from posixpath import basename

from ..model import Diagnostic, Fact, Loc
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, as_dict, as_list, as_text, environment_in,
                      kinds_from_name, yaml_script_steps)
from .yamlload import YamlDoc

NAME = "bitbucket_pipelines"
TOOL = "Bitbucket Pipelines"
Key = tuple[str | int, ...]

_GROUP_TRIGGER = {"branches": "push: {}", "pull-requests": "pull_request: {}", "tags": "push: tags {}",
                  "bookmarks": "push: bookmark {}", "custom": "custom: {}"}


def from_yaml(path: str, docs: list[YamlDoc]) -> tuple[list[Fact], list[Diagnostic]] | None:
    """The pipeline fact of bitbucket-pipelines.yml, or None for any other file."""
    if basename(path) not in ("bitbucket-pipelines.yml", "bitbucket-pipelines.yaml"):
        return None
    facts = [Fact(KIND_PIPELINE, Loc(path, doc.line), _pipeline(path, doc)) for doc in docs
             if isinstance(doc.data, dict) and isinstance(doc.data.get("pipelines"), dict)]
    return (facts, []) if facts else None


def _groups(doc: YamlDoc) -> Iterator[tuple[str, str, Key, list[object]]]:
    """(label, trigger, key path, items) for every pipeline: default, per branch/PR/tag, custom."""
    pipelines = doc.data["pipelines"]
    if isinstance(pipelines.get("default"), list):
        yield "default", "push", ("pipelines", "default"), pipelines["default"]
    for group, trigger in _GROUP_TRIGGER.items():
        for pattern, items in as_dict(pipelines.get(group)).items():
            if isinstance(items, list):
                yield f"{group}/{pattern}", trigger.format(pattern), ("pipelines", group, pattern), items


def _steps_of(items: list[object], key: Key) -> Iterator[tuple[Key, dict[str, object], dict[str, object]]]:
    """(key path, step, enclosing stage or {}) for steps, inside `parallel` and `stage` too."""
    for i, item in enumerate(items):
        body = as_dict(item)
        if isinstance(body.get("step"), dict):
            yield key + (i, "step"), as_dict(body["step"]), {}
        parallel = body.get("parallel")
        if isinstance(parallel, dict):  # newer syntax: parallel: {steps: [...]}
            yield from _steps_of(as_list(parallel.get("steps")), key + (i, "parallel", "steps"))
        elif isinstance(parallel, list):
            yield from _steps_of(parallel, key + (i, "parallel"))
        stage = as_dict(body.get("stage"))
        for sk, step, _ in _steps_of(as_list(stage.get("steps")), key + (i, "stage", "steps")):
            yield sk, step, stage


def _pipeline(path: str, doc: YamlDoc) -> CiPipeline:
    env: dict[str, str] = {}  # Bitbucket variables live in repository settings, not in the file
    jobs: list[CiJob] = []
    triggers: list[str] = []
    registries: set[str] = set()
    for label, trigger, key, items in _groups(doc):
        triggers.append(trigger)
        for n, (step_key, step, stage) in enumerate(_steps_of(items, key), start=1):
            steps: list[CiStep] = []
            for script_key in ("script", "after-script"):
                found, regs = _script(doc, step_key + (script_key,), step.get(script_key), env)
                steps += found
                registries.update(regs)
            name = as_text(step.get("name")) or f"step {n}"
            # A custom pipeline's name is a job name (`custom: deploy-prod`); a branch name is not.
            environment = (as_text(step.get("deployment") or stage.get("deployment")) or environment_in(name)
                           or (environment_in(label) if label.startswith("custom/") else None))
            manual = "manual" in (step.get("trigger"), stage.get("trigger"))
            jobs.append(CiJob(f"{label}: {name}", doc.line_of(*step_key), environment or None, tuple(steps),
                              (), manual))
    return CiPipeline(TOOL, path, tuple(dict.fromkeys(triggers)), tuple(jobs), tuple(sorted(registries)))


def _script(doc: YamlDoc, key: Key, script: object, env: dict[str, str]) -> tuple[list[CiStep], tuple[str, ...]]:
    """Commands and pipes of a step's script list; a pipe's variables are never read (they carry keys)."""
    steps: list[CiStep] = []
    registries: set[str] = set()
    for i, item in enumerate(as_list(script)):
        if isinstance(item, dict) and isinstance(item.get("pipe"), str):
            pipe = str(item["pipe"])
            kinds = kinds_from_name(pipe.split(":", 1)[0].rsplit("/", 1)[-1])
            steps.append(CiStep(doc.line_of(*key, i, "pipe"), kinds, pipe, f"pipe {pipe}"))
        elif isinstance(item, str):
            found, regs = yaml_script_steps(doc, key + (i,), item, env)
            steps += found
            registries.update(regs)
    return steps, tuple(sorted(registries))
