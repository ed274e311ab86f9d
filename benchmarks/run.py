"""archinfer's performance benchmark (issue 7): end-to-end scan, re-scan, --help, per-stage times and the parse floor.

    .venv/bin/python benchmarks/run.py                      # generate the synthetic corpus at scale 1 and measure
    .venv/bin/python benchmarks/run.py --generate-scale 2   # the same corpus, every count doubled
    .venv/bin/python benchmarks/run.py DIR                  # any folder (nothing is written into it)
    .venv/bin/python benchmarks/run.py --compare-scale 1    # scale N and 2N side by side: does time grow linearly?
    ... --json out.json                                     # everything measured, machine-readable

Not part of the test suite: run it on purpose, on a quiet machine (it takes minutes). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import importlib
import importlib.util
import inspect
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGETS = {  # issue 7: what the team wants to reach; measured here, not enforced
    "cold_over_hcl2": 0.65,  # cold scan wall time / single-process raw python-hcl2 parse of the same .tf files
    "rescan_s": 1.0,  # re-scan with nothing changed
    "help_s": 0.3,  # `archinfer --help`
    "peak_mb": 300.0,  # memory of a scan, MB (10^6 bytes): max(largest process RSS, peak PSS sum over its workers)
    "double_ratio": 2.2,  # time at 2N / time at N (doubling the input at most doubles the time, +10 %)
}
MIN_TF_FILES = 1000  # the corpus the targets are stated for: >= 1,000 .tf files ...
MIN_MANIFESTS = 1000  # ... and >= 1,000 manifests
UNACCOUNTED_WARN = 0.10  # more than this share of a run outside every probe: the probes no longer cover the pipeline
UNACCOUNTED_MIN_S = 0.5  # ... and more than this (the CLI's own glue is a fixed ~70 ms)


class BenchmarkError(Exception):
    """The benchmark cannot measure honestly (archinfer's internals changed, a scan failed, ...)."""


def require(module_name: str, attribute: str) -> Any:
    """archinfer's `module_name.attribute`, or a clear error naming what the benchmark expected to find."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BenchmarkError(f"cannot import {module_name} ({exc}); run with the project's venv "
                             "(.venv/bin/python benchmarks/run.py)") from exc
    if not hasattr(module, attribute):
        raise BenchmarkError(f"{module_name}.{attribute} no longer exists: the stage probes of benchmarks/run.py name "
                             "archinfer's pipeline functions; update PROBES there")
    return getattr(module, attribute)


# ----------------------------------------------------------------------------------------------- inventory


@dataclass
class KindCount:
    files: int = 0
    bytes: int = 0


@dataclass
class Inventory:
    """Files and bytes per kind, and the paths the floors need."""

    kinds: dict[str, KindCount] = field(default_factory=dict)
    tf_files: list[str] = field(default_factory=list)
    yaml_files: list[str] = field(default_factory=list)  # YAML archinfer parses as YAML (not Go templates)

    def add(self, kind: str, size: int) -> None:
        """Count one file of `kind`."""
        entry = self.kinds.setdefault(kind, KindCount())
        entry.files += 1
        entry.bytes += size

    def count(self, kind: str) -> int:
        """Files of `kind`."""
        return self.kinds.get(kind, KindCount()).files


KIND_ORDER = ("terraform .tf", "tfvars", "yaml manifests", "kustomization", "helm chart files", "CI", "Dockerfile")


@dataclass(frozen=True)
class Classifier:
    """Inventory kind of a file, from archinfer's own collector registry (first match wins, as in a scan)."""

    registry: dict[str, Any]
    pick: Callable[..., Any]
    charts: frozenset[str]

    @staticmethod
    def for_paths(paths: list[str]) -> "Classifier":
        """A classifier for this tree (chart folders are those holding a Chart.yaml)."""
        charts = frozenset(os.path.dirname(p) for p in paths if os.path.basename(p) in ("Chart.yaml", "Chart.yml"))
        return Classifier(require("archinfer.collectors.registry", "collectors")(), require("archinfer.scan", "_pick"),
                          charts)

    def kind(self, rel: str) -> str:
        """The inventory kind of one relative path."""
        if self.in_chart(rel):
            return "helm chart files"
        collector = self.pick(self.registry, rel)
        if collector is None:
            return "other"
        name = collector.NAME
        if name == "terraform":
            return "terraform .tf"
        if name == "yaml":
            if require("archinfer.collectors.kustomize", "is_kustomization")(rel):
                return "kustomization"
            return "CI" if is_ci_yaml(rel) else "yaml manifests"
        return {"tfvars": "tfvars", "dockerfile": "Dockerfile", "jenkinsfile": "CI"}.get(name, f"other ({name} collector)")

    def in_chart(self, rel: str) -> bool:
        """Whether the file is inside a chart folder (templates, values files, helpers)."""
        parent = os.path.dirname(rel)
        while parent:
            if parent in self.charts:
                return True
            parent = os.path.dirname(parent)
        return "" in self.charts


def is_ci_yaml(rel: str) -> bool:
    """CI files by path, with archinfer's own path tests where it has them."""
    name = os.path.basename(rel)
    return (require("archinfer.collectors.github_actions", "is_workflow_path")(rel)
            or require("archinfer.collectors.gitlab_ci", "is_gitlab_path")(rel)
            or "/.circleci/" in f"/{rel}" or name.startswith(("azure-pipelines", "bitbucket-pipelines")))


def ignore_patterns(root: Path) -> tuple[str, ...]:
    """The project's `ignore` globs (from its .archinfer.toml or pyproject.toml), as a scan uses them."""
    return tuple(require("archinfer.config", "load")(root).ignore)


def walk(root: Path) -> list[str]:
    """The files a scan of `root` reads, through archinfer's own walk and the project's ignore globs."""
    return list(require("archinfer.scan", "walk")(root, ignore_patterns(root)))


def inventory(root: Path) -> Inventory:
    """Walk the tree as a scan does and count files and bytes per kind."""
    paths = walk(root)
    classify = Classifier.for_paths(paths)
    inv = Inventory()
    for rel in paths:
        kind = classify.kind(rel)
        inv.add(kind, (root / rel).lstat().st_size)
        if rel.endswith(".tf"):
            inv.tf_files.append(rel)
        if rel.endswith((".yaml", ".yml")) and not ("/templates/" in f"/{rel}" and kind == "helm chart files"):
            inv.yaml_files.append(rel)
    return inv


# ----------------------------------------------------------------------------------------------- processes


@dataclass
class ProcRun:
    """One measured child process: wall, CPU (user + sys, its children included) and memory."""

    wall_s: float
    user_s: float
    sys_s: float
    maxrss_mb: float  # ru_maxrss: the largest single process (the child or a descendant it waited for), MB
    tree_pss_mb: float  # peak of the PSS summed over the child and all its descendants (sampled), MB
    returncode: int

    @property
    def cpu_s(self) -> float:
        """User plus system CPU seconds."""
        return self.user_s + self.sys_s

    @property
    def peak_mb(self) -> float:
        """The memory the run needed: the larger of the biggest process and the sampled sum over its workers."""
        return max(self.maxrss_mb, self.tree_pss_mb)


SAMPLE_S = 0.05  # memory sampling period of the process tree


@dataclass
class TreeSampler:
    """Samples the summed PSS of a process and its descendants from /proc while it runs (Linux; else 0)."""

    pid: int
    peak_kb: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Sample until `stop` is set (runs in its own thread)."""
        while not self.stop.wait(SAMPLE_S):
            self.peak_kb = max(self.peak_kb, sum(pss_kb(p) for p in descendants(self.pid)))


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it, from /proc/<pid>/task/<tid>/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
    return found


def pss_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split among their users), KiB; 0 when gone."""
    with contextlib.suppress(OSError, ValueError):
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    return 0


def run_measured(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> ProcRun:
    """Run `cmd` to completion and measure it with wait4 (exactly this child and what it waited for)."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        sampler = TreeSampler(proc.pid)
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop.set()
        thread.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    return ProcRun(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss * 1024 / 1e6, sampler.peak_kb * 1024 / 1e6,
                   proc.returncode)


def archinfer_command() -> list[str]:
    """The installed `archinfer` script beside this interpreter (what users run), else `python -m archinfer`."""
    script = Path(sys.executable).with_name("archinfer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "archinfer"]


def tail(log: Path, lines: int = 15) -> str:
    """The last lines of a log, for an error message."""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def help_times(repeats: int, work: Path) -> list[float]:
    """Wall time of `archinfer --help`, `repeats` times."""
    times = []
    for _ in range(repeats):
        run = run_measured([*archinfer_command(), "--help"], work / "help.log")
        if run.returncode != 0:
            raise BenchmarkError(f"archinfer --help exited {run.returncode}: {tail(work / 'help.log')}")
        times.append(run.wall_s)
    return times


def source_digest() -> str:
    """A digest of archinfer's own source files (.py, .j2) as they are on disk now.

    Others may edit the checkout while the benchmark runs; archinfer's cache keys include a digest of its
    code, so an edit between a cold scan and its re-scan turns the re-scan into a (slow) cache miss.
    """
    import hashlib

    h = hashlib.sha256()
    for package in ("archinfer", "archinfer.collectors", "archinfer.infer", "archinfer.templates"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for path in sorted(Path(folder).rglob("*")):
                if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
                    h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


CODE_RETRIES = 3  # cold scan + re-scan pairs tried again when archinfer's source changed in between


@dataclass
class EndToEnd:
    cold: ProcRun
    rescan: ProcRun
    cold_runs: list[float]
    rescan_runs: list[float]
    output_bytes: int
    rescan_identical: bool  # the re-scan left the document and state file byte for byte as they were
    stderr_lines: int  # lines the cold scan printed (diagnostics, "written")
    code_changed: bool = False  # archinfer's source changed during a pair even after CODE_RETRIES tries
    retries: int = 0  # pairs measured again because archinfer's source changed meanwhile


def state_file(doc: Path) -> Path:
    """The state file archinfer keeps beside the document (`X.md` -> `X.archinfer.jsonl`)."""
    return Path(require("archinfer.cli", "state_path")(doc))


def scan_once(root: Path, out: Path, log: Path, cache: Path, extra: list[str]) -> ProcRun:
    """One measured `archinfer scan`; a failed scan is an error, not a number."""
    run = run_measured([*archinfer_command(), "scan", str(root), "-o", str(out), *extra], log, cache_env(cache))
    if run.returncode != 0:
        raise BenchmarkError(f"archinfer scan {root} exited {run.returncode}:\n{tail(log)}")
    return run


def end_to_end(root: Path, work: Path, repeats: int, extra: list[str]) -> tuple[EndToEnd, Path]:
    """Cold scans (new process, no document yet) and re-scans (document present, nothing changed); median kept."""
    colds: list[ProcRun] = []
    rescans: list[ProcRun] = []
    out = work / "cold" / "ARCHITECTURE.md"
    identical, changed, retries = True, False, 0
    for _ in range(repeats):
        for attempt in range(CODE_RETRIES):
            code = source_digest()
            cold, rescan, same = scan_pair(root, out, work, extra)
            changed = source_digest() != code
            if not changed:
                break
            retries += 1
            progress("archinfer's source changed during the cold scan + re-scan (another session?); measuring again")
        colds.append(cold)
        rescans.append(rescan)
        identical = identical and same
    lines = len((work / "cold.log").read_text(encoding="utf-8", errors="replace").splitlines())
    return EndToEnd(median_run(colds), median_run(rescans), [r.wall_s for r in colds], [r.wall_s for r in rescans],
                    out.stat().st_size + state_file(out).stat().st_size, identical, lines, changed, retries), out


def scan_pair(root: Path, out: Path, work: Path, extra: list[str]) -> tuple[ProcRun, ProcRun, bool]:
    """A cold scan (no document, empty cache) then a re-scan; whether the re-scan left both files as they were."""
    cache = work / "cache"
    for folder in (out.parent, cache):
        shutil.rmtree(folder, ignore_errors=True)
    out.parent.mkdir(parents=True)
    cold = scan_once(root, out, work / "cold.log", cache, extra)
    before = (out.read_bytes(), state_file(out).read_bytes())
    rescan = scan_once(root, out, work / "rescan.log", cache, extra)
    return cold, rescan, before == (out.read_bytes(), state_file(out).read_bytes())


def cache_env(cache: Path) -> dict[str, str]:
    """archinfer's cache in a folder of the benchmark's own: empty for a cold scan, kept for the re-scan, and
    never the user's ~/.cache (a version of archinfer without a cache ignores the variable)."""
    return {"ARCHINFER_CACHE_DIR": str(cache)}


def median_run(runs: list[ProcRun]) -> ProcRun:
    """The run with the median wall time (memory: the largest of all runs)."""
    ordered = sorted(runs, key=lambda r: r.wall_s)
    mid = ordered[(len(ordered) - 1) // 2]
    return dataclasses.replace(mid, maxrss_mb=max(r.maxrss_mb for r in runs),
                               tree_pss_mb=max(r.tree_pss_mb for r in runs))


# ----------------------------------------------------------------------------------------------- the floor


@dataclass
class Floor:
    """Raw parse of the same files by the plain libraries, one process, texts already in memory."""

    hcl2_files: int
    hcl2_s: float  # python-hcl2 `hcl2.loads` over every .tf file (wall)
    hcl2_cpu_s: float  # the same in CPU time of this process (less sensitive to other load on the machine)
    hcl2_setup_s: float  # building python-hcl2's parser (first call), not included in hcl2_s
    hcl2_failures: int
    yaml_files: int
    yaml_s: float  # yaml.load_all(CSafeLoader) over every YAML file archinfer parses as YAML (wall)
    yaml_cpu_s: float
    yaml_failures: int


def read_texts(root: Path, paths: list[str]) -> list[str]:
    """The files' texts, read before any timing starts."""
    return [(root / p).read_text(encoding="utf-8", errors="replace") for p in paths]


def floor(root: Path, inv: Inventory) -> Floor:
    """Time hcl2.loads and CSafeLoader over the corpus (reading the files is not timed)."""
    import gc

    import hcl2
    import yaml

    tf_texts = read_texts(root, inv.tf_files)
    start = time.perf_counter()
    hcl2.loads('a = 1\n')  # builds (or loads the cached) Lark parser once
    setup = time.perf_counter() - start
    gc.collect()
    failures = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in tf_texts:
        try:
            hcl2.loads(text)
        except Exception:  # the floor counts what the library cannot parse, it does not stop
            failures += 1
    hcl2_s, hcl2_cpu = time.perf_counter() - start, time.process_time() - cpu
    yaml_texts = read_texts(root, inv.yaml_files)
    gc.collect()
    yaml_failures = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in yaml_texts:
        try:
            list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            yaml_failures += 1
    yaml_s, yaml_cpu = time.perf_counter() - start, time.process_time() - cpu
    return Floor(len(tf_texts), hcl2_s, hcl2_cpu, setup, failures, len(yaml_texts), yaml_s, yaml_cpu, yaml_failures)


# ----------------------------------------------------------------------------------------------- stages (probes)
#
# The stage breakdown does not re-implement archinfer's pipeline: it wraps archinfer's own functions with timers
# (every module attribute that is the function, so `from x import f` copies are covered too) and runs the real
# `archinfer scan` command in a fresh worker process. Nested probes are accounted exclusively ("self" time), so
# the stages add up to the run's total; whatever runs outside every probe is shown as "unaccounted". A probe
# whose function no longer exists fails the benchmark, and so does a required probe that was never called.


@dataclass(frozen=True)
class Probe:
    """One archinfer function to time: where it lives, its stage name, and when it must be called."""

    module: str
    attribute: str  # a function, or "Class.method"; "a|b": the first of these that exists
    label: str  # "{collector}" and "{kind}" are filled per call for the per-file parse probe
    group: str  # setup | collect | infer | output
    required: str = ""  # "cold", "rescan", "both": the run fails if the function was not called then
    optional: bool = False  # a feature archinfer may not have (the cache): skipped when missing, never an error

    @property
    def id(self) -> str:
        """The probe's name in messages: module.attribute."""
        return f"{self.module}.{self.attribute}"


PROBES: tuple[Probe, ...] = (
    Probe("archinfer.cli", "_settings", "settings (config file)", "setup", "both"),
    Probe("archinfer.cli", "_produce", "cli: _produce own code", "setup", "both"),
    Probe("archinfer.cli", "_result", "result cache: own code (lookup, else compute and keep)", "setup", "both"),
    Probe("archinfer.cli", "_result_key", "result cache: key (settings, templates)", "setup"),
    Probe("archinfer.cache", "code_version", "cache: code version (digest of archinfer's sources)", "setup"),
    Probe("archinfer.cli", "_candidates", "result cache: list the input files", "setup"),
    Probe("archinfer.reuse", "valid", "result cache: check the inputs are unchanged", "setup"),
    Probe("archinfer.reuse", "snapshot", "result cache: snapshot the inputs", "setup"),
    Probe("archinfer.cli", "_compute", "cli: _compute own code", "setup", "cold"),
    Probe("archinfer.cli", "_analyze", "cli: _analyze own code", "setup", "cold"),
    Probe("archinfer.scan", "analyze", "analyze: own code", "infer", "cold"),
    Probe("archinfer.scan", "collect", "collect: own code (loop, pick, sort)", "collect", "cold"),
    Probe("archinfer.scan", "walk", "walk", "collect", "cold"),
    Probe("archinfer.scan", "_read_file", "read files", "collect", optional=True),
    Probe("archinfer.scan", "_parse_file|_collect_file", "parse: {collector} [{kind}]", "collect", "cold"),
    Probe("archinfer.collectors.hclparse", "parse_hcl", "  HCL parse (hclparse.parse_hcl, .tf + .tfvars)", "collect"),
    Probe("archinfer.collectors.yamlload", "load_documents", "  YAML load (yamlload.load_documents, all callers)",
          "collect"),
    Probe("archinfer.cache", "Cache.get", "cache: get", "collect", optional=True),
    Probe("archinfer.cache", "Cache.put", "cache: put", "collect", optional=True),
    Probe("archinfer.scan", "_kustomize", "kustomize: own code", "collect", "cold"),
    Probe("archinfer.collectors.kustomize", "referenced_dirs", "kustomize: find top-level overlays", "collect"),
    Probe("archinfer.collectors.kustomize", "build", "kustomize build", "collect"),
    Probe("archinfer.scan", "_helm", "helm: own code", "collect", "cold"),
    Probe("archinfer.collectors.helm", "render", "helm render (values, static reading)", "collect"),
    Probe("archinfer.collectors.helm", "_run_sdk", "helm SDK worker process", "collect"),
    Probe("archinfer.infer.terraform", "evaluate", "evaluate (terraform)", "infer", "cold"),
    Probe("archinfer.infer.kubernetes", "k8s_sets", "infer: kubernetes sets", "infer", "cold"),
    Probe("archinfer.infer.kubernetes", "workloads", "infer: workloads", "infer"),
    Probe("archinfer.infer.components", "components", "infer: components", "infer", "cold"),
    Probe("archinfer.infer.sections", "build_document", "infer: build_document own code", "infer", "cold"),
    Probe("archinfer.infer.coverage", "coverage", "infer: coverage", "infer", "cold"),
    Probe("archinfer.infer.state", "architecture_state", "infer: architecture state", "infer", "cold"),
    Probe("archinfer.infer.redactions", "redactions", "redactions report", "output", "cold"),
    Probe("archinfer.redact", "redact", "redact (secret detectors, all callers)", "output"),
    Probe("archinfer.render", "render_document", "render document", "output", "cold"),
    Probe("archinfer.render", "render_regions", "render regions", "output", "cold"),
    Probe("archinfer.infer.state", "dumps", "state dumps", "output", "cold"),
    Probe("archinfer.cli", "_read_state", "read recorded state", "output", "both"),
    Probe("archinfer.infer.state", "loads", "parse recorded state", "output"),
    Probe("archinfer.infer.state", "compare", "compare with recorded state", "output"),
    Probe("archinfer.document", "read", "read document", "output", "both"),
    Probe("archinfer.merge", "merge", "merge into the document", "output", "rescan"),
    Probe("archinfer.document", "write_atomic", "write document + state", "output", "both"),
)
SECTIONS = ("archinfer.infer.sections", "SECTIONS")  # region -> view function: each view is probed as a section
SECTION_LABEL = "infer: section views"
THREAD_SUFFIX = " (in worker threads)"


@dataclass
class Tally:
    self_wall: float = 0.0
    self_cpu: float = 0.0
    incl_wall: float = 0.0
    calls: int = 0


@dataclass
class Recorder:
    """Exclusive ("self") and inclusive time per stage label; one per run, no global state."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)  # label -> probe index, for the report's order
    calls_by_probe: dict[str, int] = field(default_factory=dict)
    local: threading.local = field(default_factory=threading.local)  # .stack: [label, child wall, child cpu]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget the previous run's times (the probes stay installed)."""
        self.tallies.clear()
        self.calls_by_probe.clear()

    def wrap(self, fn: Callable[..., Any], probe_id: str, index: int, label: Callable[..., str]) -> Any:
        """`fn` with a timer that records its self and inclusive time under `label(*args)`."""

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            main = threading.current_thread() is threading.main_thread()
            # Work in other threads overlaps the main thread's stages: listed apart, outside the total.
            name = label(*args, **kwargs) + ("" if main else THREAD_SUFFIX)
            clock = cpu_now if main else time.thread_time
            stack: list[list[Any]] = self.local.__dict__.setdefault("stack", [])
            outer = any(frame[0] == name for frame in stack)  # recursion: inclusive time counted once
            frame: list[Any] = [name, 0.0, 0.0]
            stack.append(frame)
            wall, cpu = time.perf_counter(), clock()
            try:
                return fn(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, clock() - cpu
                stack.pop()
                with self.lock:
                    self.order.setdefault(name, index)
                    self.calls_by_probe[probe_id] = self.calls_by_probe.get(probe_id, 0) + 1
                    tally = self.tallies.setdefault(name, Tally())
                    tally.self_wall += wall - frame[1]
                    tally.self_cpu += cpu - frame[2]
                    tally.incl_wall += 0.0 if outer else wall
                    tally.calls += 1
                if stack:
                    stack[-1][1] += wall
                    stack[-1][2] += cpu

        return timed


def cpu_now() -> float:
    """CPU seconds of this process (high resolution) and of its waited-for children (the Helm SDK workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def patch_everywhere(original: Any, replacement: Any) -> int:
    """Replace `original` in every loaded archinfer module (the defining one and `from x import f` copies)."""
    count = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("archinfer") or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if value is original:
                setattr(module, attribute, replacement)
                count += 1
    return count


def import_archinfer() -> float:
    """Import every archinfer module the probes name (and the CLI); seconds taken."""
    start = time.perf_counter()
    for module in sorted({p.module for p in PROBES if not p.optional} | {SECTIONS[0], "archinfer.cli"}):
        require(module, "__name__")
    for module in sorted({p.module for p in PROBES if p.optional}):
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return time.perf_counter() - start


def install(recorder: Recorder, root: Path) -> None:
    """Wrap every probed function (and each section view) with the recorder's timers."""
    paths = walk(root)
    classify = Classifier.for_paths(paths)
    kinds = {rel: classify.kind(rel) for rel in paths}
    for index, probe in enumerate(PROBES):
        found = resolve(probe)
        if found is None:
            continue
        owner, name, original = found
        timed = recorder.wrap(original, probe.id, index, labeller(probe, original, kinds))
        if isinstance(owner, type):
            setattr(owner, name, timed)
        else:
            patch_everywhere(original, timed)
    sections = require(*SECTIONS)
    if not isinstance(sections, dict) or not sections:
        raise BenchmarkError(f"{'.'.join(SECTIONS)} is no longer a dict of section views: update benchmarks/run.py")
    for region, view in list(sections.items()):
        sections[region] = recorder.wrap(view, "section", len(PROBES), lambda args, r=region: f"section {r}")


def resolve(probe: Probe) -> tuple[Any, str, Callable[..., Any]] | None:
    """(owner, attribute, function) of the probe's first existing alternative; None for a missing optional one."""
    module = require(probe.module, "__name__") if not probe.optional else importlib.util.find_spec(probe.module)
    if module is None:
        return None
    owner: Any = importlib.import_module(probe.module)
    for alternative in probe.attribute.split("|"):
        *path, name = alternative.split(".")
        target: Any = owner
        for part in path:
            target = getattr(target, part, None)
        if target is not None and callable(getattr(target, name, None)):
            return target, name, getattr(target, name)
    if probe.optional:
        return None
    raise BenchmarkError(f"{probe.module}.{probe.attribute.replace('|', ' / ')} no longer exists: the stage probes of "
                         "benchmarks/run.py name archinfer's pipeline functions; update PROBES there")


def labeller(probe: Probe, original: Callable[..., Any], kinds: dict[str, str]) -> Callable[..., str]:
    """The stage name of one call: fixed, or for the per-file parse probe the collector and the file's kind."""
    if "{" not in probe.label:
        return lambda *args, **kwargs: probe.label
    signature = inspect.signature(original)
    names = set(signature.parameters)
    if "rel" not in names or not names & {"collector", "collector_name"}:
        raise BenchmarkError(f"{probe.id}{signature} no longer takes `rel` and `collector`: update the per-file "
                             "parse probe in benchmarks/run.py")

    def label(*args: Any, **kwargs: Any) -> str:
        bound = signature.bind_partial(*args, **kwargs).arguments
        collector = bound.get("collector")
        name = collector.NAME if collector is not None else bound.get("collector_name")
        return probe.label.format(collector=name, kind=kinds.get(bound["rel"]) or "other")

    return label


@dataclass
class StageRow:
    name: str
    group: str
    self_s: float
    self_cpu_s: float
    incl_s: float
    calls: int


@dataclass
class StageRun:
    """One in-process run of the real CLI with probes: total, and time per stage."""

    total_s: float
    total_cpu_s: float
    rows: list[StageRow]
    unaccounted_s: float  # total minus every stage's self time: CLI/typer glue, or a stage no probe covers
    gc_s: float = 0.0  # garbage collector pauses during the run (already inside the stages' times)
    gc_collections: int = 0


def group_of(name: str) -> str:
    """The group of a stage label (section views belong to infer)."""
    for probe in PROBES:
        if name == probe.label or (probe.label.startswith("parse: {") and name.startswith("parse: ")):
            return probe.group
    return "infer"  # section views


def run_cli(recorder: Recorder, args: list[str], required: str) -> StageRun:
    """The real `archinfer` command, in this process, timed stage by stage."""
    app = require("archinfer.cli", "app")
    recorder.reset()
    wall, cpu = time.perf_counter(), cpu_now()
    code = app(args, standalone_mode=False)
    total, total_cpu = time.perf_counter() - wall, cpu_now() - cpu
    if code not in (None, 0):
        raise BenchmarkError(f"archinfer {' '.join(args)} exited {code} in the stage worker")
    missing = [p.id for p in PROBES if p.required in (required, "both") and not recorder.calls_by_probe.get(p.id)]
    if missing:
        raise BenchmarkError(f"archinfer no longer calls {', '.join(missing)} during a {required} scan: the pipeline "
                             "changed; update PROBES in benchmarks/run.py")
    rows = [StageRow(name, group_of(name.removesuffix(THREAD_SUFFIX)), t.self_wall, t.self_cpu, t.incl_wall, t.calls)
            for name, t in sorted(recorder.tallies.items(), key=lambda kv: (recorder.order[kv[0]], -kv[1].self_wall))]
    in_main = [r for r in rows if not r.name.endswith(THREAD_SUFFIX)]
    return StageRun(total, total_cpu, rows, total - sum(r.self_s for r in in_main))


@dataclass
class GcClock:
    """Time Python's garbage collector spends in collections (gc.callbacks); paused work shows in every stage."""

    seconds: float = 0.0
    collections: int = 0
    started: float = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        """gc.callbacks hook: time from "start" to "stop"."""
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self.started
            self.collections += 1


def stages_worker(root: Path, out: Path, result: Path, extra: list[str]) -> int:
    """Worker process: import, install the probes, run `archinfer scan` cold and again; write the result as JSON."""
    import gc

    imports = import_archinfer()
    recorder = Recorder()
    install(recorder, root)
    args = ["scan", str(root), "-o", str(out), *sequential_flags(), *extra]
    runs = {}
    for name in ("cold", "rescan"):
        clock = GcClock()
        gc.callbacks.append(clock)
        run = run_cli(recorder, args, name)
        gc.callbacks.remove(clock)
        run.gc_s, run.gc_collections = clock.seconds, clock.collections
        runs[name] = dataclasses.asdict(run)
    data = {"imports_s": imports, **runs}
    result.write_text(json.dumps(data), encoding="utf-8")
    return 0


def sequential_flags() -> list[str]:
    """`--jobs 1` when archinfer has it: every stage then runs in the worker, where the probes are."""
    scan = require("archinfer.cli", "scan")
    return ["--jobs", "1"] if "jobs" in inspect.signature(scan).parameters else []


@dataclass
class Stages:
    imports_s: float
    cold: StageRun
    rescan: StageRun
    identical_to_cold_scan: bool  # the worker's document equals the subprocess cold scan's (determinism)
    code_changed: bool = False  # archinfer's source changed during the worker's run (even after retries)


def stage_run(data: dict[str, Any]) -> StageRun:
    """A StageRun back from the worker's JSON."""
    return StageRun(data["total_s"], data["total_cpu_s"], [StageRow(**r) for r in data["rows"]], data["unaccounted_s"],
                    data["gc_s"], data["gc_collections"])


def stages(root: Path, work: Path, cold_doc: Path, extra: list[str]) -> Stages:
    """Run the stage worker in a fresh process (like a real cold scan) and read its result."""
    out, result, log = work / "stages" / "ARCHITECTURE.md", work / "stages.json", work / "stages.log"
    for _ in range(CODE_RETRIES):
        shutil.rmtree(out.parent, ignore_errors=True)
        shutil.rmtree(work / "stages-cache", ignore_errors=True)
        out.parent.mkdir(parents=True)
        code = source_digest()
        run = run_measured([sys.executable, str(Path(__file__).resolve()), "--stages-worker", str(root), str(out),
                            str(result), f"--scan-args={' '.join(extra)}"], log, cache_env(work / "stages-cache"))
        changed = source_digest() != code
        if not changed:
            break
        progress("archinfer's source changed during the stage breakdown (another session?); measuring again")
    if run.returncode != 0:
        raise BenchmarkError(f"the stage worker failed (exit {run.returncode}):\n{tail(log)}")
    data = json.loads(result.read_text(encoding="utf-8"))
    return Stages(data["imports_s"], stage_run(data["cold"]), stage_run(data["rescan"]),
                  out.read_bytes() == cold_doc.read_bytes(), changed)


# ----------------------------------------------------------------------------------------------- one measurement


@dataclass
class Measurement:
    label: str
    root: str
    generate_s: float | None
    inventory: dict[str, dict[str, int]]
    tf_files: int
    manifests: int
    load_before: tuple[float, float, float]  # 1, 5, 15-minute load averages: other work skews wall times
    load_after: tuple[float, float, float]
    help_runs: list[float]
    help_median_s: float
    end_to_end: EndToEnd
    floor: Floor | None
    stages: Stages | None
    scan_args: list[str] = field(default_factory=list)


def measure(root: Path, label: str, args: argparse.Namespace, generate_s: float | None) -> Measurement:
    """Everything for one tree, one thing at a time (the machine may have only two cores)."""
    load_before = os.getloadavg()
    if load_before[0] > 0.5 * (os.cpu_count() or 1):
        progress(f"[{label}] warning: load average {load_before[0]:.2f} on {os.cpu_count()} CPUs; wall times will be "
                 "inflated (CPU times less so)")
    inv = inventory(root)
    with tempfile.TemporaryDirectory(prefix="archinfer-bench-work-") as tmp:
        work = Path(tmp)
        progress(f"[{label}] archinfer --help x{args.help_repeats}")
        helps = help_times(args.help_repeats, work)
        progress(f"[{label}] cold scan + re-scan (subprocess) x{args.repeat}")
        e2e, cold_doc = end_to_end(root, work, args.repeat, args.scan_args)
        flo = None
        if not args.no_floor:
            progress(f"[{label}] floor: python-hcl2 and CSafeLoader")
            flo = floor(root, inv)
        stage_result = None
        if not args.no_stages:
            progress(f"[{label}] stage breakdown (worker process, cold + re-scan)")
            stage_result = stages(root, work, cold_doc, args.scan_args)
    kinds = {k: dataclasses.asdict(v) for k, v in sorted(inv.kinds.items(), key=lambda kv: kind_rank(kv[0]))}
    return Measurement(label, str(root), generate_s, kinds, inv.count("terraform .tf"), inv.count("yaml manifests"),
                       load_before, os.getloadavg(), helps, statistics.median(helps), e2e, flo, stage_result,
                       args.scan_args)


def kind_rank(kind: str) -> tuple[int, str]:
    """Sort key: the kinds in KIND_ORDER first, in that order."""
    return (KIND_ORDER.index(kind), kind) if kind in KIND_ORDER else (len(KIND_ORDER), kind)


def progress(text: str) -> None:
    """A progress line on stderr (stdout keeps only the report)."""
    print(f"... {text}", file=sys.stderr, flush=True)


def generated(scale: int, keep: bool) -> tuple[Path, float]:
    """Generate the synthetic corpus at `scale` into a new temp folder; (folder, seconds)."""
    sys.path.insert(0, str(HERE))
    import synth

    out = Path(tempfile.mkdtemp(prefix=f"archinfer-bench-s{scale}-")) / "repo"
    start = time.perf_counter()
    count, size = synth.generate(out, synth.Params().scaled(scale))
    took = time.perf_counter() - start
    progress(f"generated scale {scale}: {count} files, {size / 1e6:.1f} MB in {out}" + (" (kept)" if keep else ""))
    return out, took


# ----------------------------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    versions = {}
    for package in ("python-hcl2", "PyYAML", "lark", "helm-python-sdk"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    return {"cpus": str(os.cpu_count()), "cpu model": model, "memory": memory,
            "python": platform.python_version(), "platform": platform.platform(), **versions,
            "archinfer": archinfer_revision()}


def archinfer_revision() -> str:
    """The commit of the archinfer checkout measured, and whether its files differ from it (read-only git)."""
    repo = HERE.parent
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "--no-optional-locks", "-C", str(repo), "status", "--porcelain",
                                  "--untracked-files=no"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    count = len(changed.splitlines())
    return f"{head}" + (f" + uncommitted changes in {count} files" if count else "")


def fmt_s(seconds: float) -> str:
    """Milliseconds below a second, seconds above."""
    return f"{seconds * 1000:.0f} ms" if abs(seconds) < 1 else f"{seconds:.2f} s"


def table(rows: list[list[str]], header: list[str]) -> str:
    """A plain text table, first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]).rstrip()


def report(m: Measurement) -> str:
    """The readable report of one measurement."""
    head = f"archinfer benchmark: {m.label}  ({m.root})"
    if m.generate_s is not None:
        head += f"  generated in {fmt_s(m.generate_s)}"
    parts = [head, f"load average before/after (1 min): {m.load_before[0]:.2f} / {m.load_after[0]:.2f} "
                   f"on {os.cpu_count()} CPUs; extra scan arguments: {' '.join(m.scan_args) or 'none'}"]
    inv_rows = [[k, str(v["files"]), f"{v['bytes'] / 1e6:.2f} MB"] for k, v in m.inventory.items()]
    inv_rows.append(["total", str(sum(v["files"] for v in m.inventory.values())),
                     f"{sum(v['bytes'] for v in m.inventory.values()) / 1e6:.2f} MB"])
    parts += ["", "INPUT (files and bytes per kind)", table(inv_rows, ["kind", "files", "bytes"])]
    e = m.end_to_end
    e2e_rows = [
        ["cold scan (new process, no document, empty cache)", fmt_s(e.cold.wall_s), fmt_s(e.cold.cpu_s),
         f"{e.cold.maxrss_mb:.0f} MB", f"{e.cold.tree_pss_mb:.0f} MB", ", ".join(f"{t:.2f}" for t in e.cold_runs)],
        ["re-scan (nothing changed, cache kept)", fmt_s(e.rescan.wall_s), fmt_s(e.rescan.cpu_s),
         f"{e.rescan.maxrss_mb:.0f} MB", f"{e.rescan.tree_pss_mb:.0f} MB", ", ".join(f"{t:.2f}" for t in e.rescan_runs)],
        ["archinfer --help (median)", fmt_s(m.help_median_s), "", "", "", ", ".join(f"{t:.3f}" for t in m.help_runs)],
    ]
    parts += ["", "END TO END (`archinfer scan DIR -o TMP/ARCHITECTURE.md` in a subprocess, archinfer's default jobs;",
              "            cpu = user+sys incl. children; max RSS = largest process; tree PSS = peak sum over workers)",
              table(e2e_rows, ["run", "wall", "cpu", "max RSS", "tree PSS", "runs (s)"]),
              f"output: {e.output_bytes / 1e6:.2f} MB (document + state); re-scan left them byte-identical: "
              f"{'yes' if e.rescan_identical else 'NO'}; the cold scan printed {e.stderr_lines} line(s) on stderr"]
    if e.retries:
        parts.append(f"archinfer's source changed during {e.retries} cold scan + re-scan pair(s); those were measured again")
    if e.code_changed:
        parts.append("WARNING: archinfer's source kept changing during the measurement (another session editing it): "
                     "these numbers mix versions, and a re-scan misses the cache whose key holds a digest of the code")
    if m.floor is not None:
        f = m.floor
        parts += ["", "FLOOR (one process, texts in memory)", table([
            [f"python-hcl2 hcl2.loads, {f.hcl2_files} .tf files", fmt_s(f.hcl2_s), fmt_s(f.hcl2_cpu_s),
             f"parser setup (first call in this process) {fmt_s(f.hcl2_setup_s)} not included; {f.hcl2_failures} failed"],
            [f"PyYAML CSafeLoader load_all, {f.yaml_files} YAML files", fmt_s(f.yaml_s), fmt_s(f.yaml_cpu_s),
             f"{f.yaml_failures} failed"],
        ], ["parse", "wall", "cpu", "note"])]
    if m.stages is not None:
        parts += ["", stage_report(m.stages, m.floor)]
    parts += ["", targets_report(m)]
    return "\n".join(parts)


def folded(run: StageRun) -> tuple[list[StageRow], list[StageRow]]:
    """Rows with the section views folded into one row, and the section rows themselves (slowest first)."""
    sections = [r for r in run.rows if r.name.startswith("section ")]
    rows = [r for r in run.rows if not r.name.startswith("section ")]
    if sections:
        fold = StageRow(f"{SECTION_LABEL} ({len(sections)})", "infer", sum(r.self_s for r in sections),
                        sum(r.self_cpu_s for r in sections), sum(r.incl_s for r in sections),
                        sum(r.calls for r in sections))
        at = next((i for i, r in enumerate(rows) if r.name.startswith("infer: coverage")), len(rows))
        rows.insert(at, fold)
    return rows, sorted(sections, key=lambda r: -r.self_s)


def totals(st: Stages) -> list[list[str]]:
    """The unaccounted and total rows of the stage table."""
    return [["unaccounted (CLI and typer glue, anything no probe covers)", "", fmt_s(st.cold.unaccounted_s),
             f"{100 * st.cold.unaccounted_s / st.cold.total_s:.1f} %", "", "", "", fmt_s(st.rescan.unaccounted_s), ""],
            ["total (in-process, after imports)", "", fmt_s(st.cold.total_s), "100 %", "",
             fmt_s(st.cold.total_cpu_s), "", fmt_s(st.rescan.total_s), ""]]


def stage_report(st: Stages, flo: Floor | None) -> str:
    """Cold and re-scan stages side by side: self time (adds up to the total), its share, inclusive time, calls."""
    cold_rows, cold_sections = folded(st.cold)
    rescan_rows = {r.name: r for r in folded(st.rescan)[0]}
    cold_names = {r.name for r in cold_rows}
    ordered = cold_rows + [r for r in rescan_rows.values() if r.name not in cold_names]

    def cells(r: StageRow) -> list[str]:
        c = r if r.name in cold_names else None
        again = rescan_rows.get(r.name)
        share = f"{100 * c.self_s / st.cold.total_s:.1f} %" if c and not r.name.endswith(THREAD_SUFFIX) else ""
        return [r.name, r.group, fmt_s(c.self_s) if c else "", share,
                fmt_s(c.incl_s) if c and abs(c.incl_s - c.self_s) > 0.0005 else "",
                fmt_s(c.self_cpu_s) if c else "", str(c.calls) if c else "",
                fmt_s(again.self_s) if again else "", str(again.calls) if again else ""]

    rows = [cells(r) for r in ordered if not r.name.endswith(THREAD_SUFFIX)] + totals(st)
    threaded = [r for r in ordered if r.name.endswith(THREAD_SUFFIX)]
    if threaded:
        rows.append(["-- in worker threads (overlaps the stages above; not in the total) --", *[""] * 8])
        rows += [cells(r) for r in threaded]
    lines = ["STAGES (the real `archinfer scan` in a worker process, archinfer's functions wrapped with timers;",
             "        self = time in the stage minus the stages it calls, so self times add up to the total)",
             table(rows, ["stage", "group", "cold self", "% of cold", "incl.", "cpu self", "calls", "re-scan self", "calls"]),
             f"imports of archinfer before the run (paid by every process): {fmt_s(st.imports_s)}; worker document "
             f"identical to the cold scan's: {'yes' if st.identical_to_cold_scan else 'NO (nondeterministic output?)'}",
             f"garbage collector pauses (inside the stages above): cold {fmt_s(st.cold.gc_s)} in "
             f"{st.cold.gc_collections} collections, re-scan {fmt_s(st.rescan.gc_s)}"]
    if st.code_changed:
        lines.append("WARNING: archinfer's source changed while the stage worker ran: the stages mix versions")
    if st.cold.unaccounted_s > max(UNACCOUNTED_WARN * st.cold.total_s, UNACCOUNTED_MIN_S):
        lines.append(f"WARNING: {fmt_s(st.cold.unaccounted_s)} of the cold run is outside every probe: archinfer's "
                     "pipeline gained a stage; add a probe to PROBES in benchmarks/run.py")
    top = [r for r in cold_sections if r.self_s >= 0.005][:8]
    if top:
        lines.append("slowest section views: " + ", ".join(f"{r.name.removeprefix('section ')} {fmt_s(r.self_s)}"
                                                            for r in top))
    if flo is not None and flo.hcl2_s and flo.yaml_s:
        tf = sum(r.incl_s for r in st.cold.rows if r.name.startswith("parse: terraform ["))
        hcl = sum(r.incl_s for r in st.cold.rows if r.name.strip().startswith("HCL parse"))
        ya = sum(r.incl_s for r in st.cold.rows if r.name.strip().startswith("YAML load"))
        lines.append(f"vs the floor: parse: terraform (incl.) {fmt_s(tf)} = {tf / flo.hcl2_s:.2f}x hcl2.loads; "
                     f"HCL parse alone {fmt_s(hcl)} = {hcl / flo.hcl2_s:.2f}x; YAML load (all callers) {fmt_s(ya)} = "
                     f"{ya / flo.yaml_s:.1f}x CSafeLoader over each file once")
    return "\n".join(lines)


def targets_report(m: Measurement) -> str:
    """Issue 7's targets next to what was measured."""
    e = m.end_to_end
    rows = []
    if m.floor is not None and m.floor.hcl2_s > 0:
        ratio = e.cold.wall_s / m.floor.hcl2_s
        rows.append(["cold scan wall / raw hcl2 parse", f"{ratio:.2f}x ({fmt_s(e.cold.wall_s)} / {fmt_s(m.floor.hcl2_s)})",
                     f"<= {TARGETS['cold_over_hcl2']}x", verdict(ratio <= TARGETS["cold_over_hcl2"])])
        if m.floor.hcl2_cpu_s > 0:
            cpu_ratio = e.cold.cpu_s / m.floor.hcl2_cpu_s
            rows.append(["  (the same in CPU time, for reference)",
                         f"{cpu_ratio:.2f}x ({fmt_s(e.cold.cpu_s)} / {fmt_s(m.floor.hcl2_cpu_s)})", "", ""])
    rows.append(["re-scan, nothing changed", fmt_s(e.rescan.wall_s), f"<= {TARGETS['rescan_s']:g} s",
                 verdict(e.rescan.wall_s <= TARGETS["rescan_s"])])
    rows.append(["archinfer --help", fmt_s(m.help_median_s), f"<= {TARGETS['help_s']:g} s",
                 verdict(m.help_median_s <= TARGETS["help_s"])])
    peak = max(e.cold.peak_mb, e.rescan.peak_mb)
    rows.append(["peak memory (max of max RSS, tree PSS)", f"{peak:.0f} MB", f"<= {TARGETS['peak_mb']:g} MB",
                 verdict(peak <= TARGETS["peak_mb"])])
    big = m.tf_files >= MIN_TF_FILES and m.manifests >= MIN_MANIFESTS
    note = (f"corpus: {m.tf_files} .tf files, {m.manifests} manifests ({'meets' if big else 'BELOW'} the "
            f">= {MIN_TF_FILES} .tf + >= {MIN_MANIFESTS} manifests the targets are stated for)")
    return "\n".join(["TARGETS (issue 7)", table(rows, ["target", "measured", "goal", ""]), note])


def verdict(ok: bool) -> str:
    """A target's outcome as a word."""
    return "met" if ok else "MISSED"


def compare_report(small: Measurement, large: Measurement, scale: int) -> str:
    """Scale N and 2N side by side; end-to-end ratios judged against the target, stage ratios above it marked."""
    limit = TARGETS["double_ratio"]

    def row(name: str, a: float, b: float, seconds: bool = True, judged: bool = False) -> list[str]:
        ratio = b / a if a else float("nan")
        flag = " <" if ratio > limit and not judged else ""
        show = fmt_s if seconds else (lambda v: f"{v:.0f}")
        return [name, show(a), show(b), f"{ratio:.2f}{flag}", verdict(ratio <= limit) if judged else ""]

    def files(m: Measurement) -> int:
        return sum(v["files"] for v in m.inventory.values())

    se, le = small.end_to_end, large.end_to_end
    rows = [row("files", files(small), files(large), seconds=False),
            row(".tf files", small.tf_files, large.tf_files, seconds=False),
            row("cold scan wall", se.cold.wall_s, le.cold.wall_s, judged=True),
            row("cold scan cpu", se.cold.cpu_s, le.cold.cpu_s, judged=True),
            row("re-scan wall", se.rescan.wall_s, le.rescan.wall_s, judged=True),
            row("cold scan peak memory (MB)", se.cold.peak_mb, le.cold.peak_mb, seconds=False),
            row("re-scan peak memory (MB)", se.rescan.peak_mb, le.rescan.peak_mb, seconds=False)]
    if small.floor and large.floor:
        rows.append(row("floor hcl2.loads", small.floor.hcl2_s, large.floor.hcl2_s))
        rows.append(row("floor CSafeLoader", small.floor.yaml_s, large.floor.yaml_s))
    if small.stages and large.stages:
        big_rows = {r.name: r for r in folded(large.stages.cold)[0]}
        for r in folded(small.stages.cold)[0]:
            other = big_rows.get(r.name)
            if other is not None and max(r.self_s, other.self_s) >= 0.05:  # tiny stages: their ratios are noise
                rows.append(row(f"stage {r.name.strip()}", r.self_s, other.self_s))
    return "\n".join([f"COMPARE scale {scale} vs {2 * scale} (target: end-to-end ratio <= {limit}; "
                      "'<' marks a stage ratio above it)",
                      table(rows, ["metric", f"scale {scale}", f"scale {2 * scale}", "ratio", "target"])])


def to_json(measurements: list[Measurement], extra: dict[str, Any]) -> str:
    """Every number measured, with the machine and the targets, as JSON."""
    data = {"machine": machine(), "targets": TARGETS, "measurements": [dataclasses.asdict(m) for m in measurements],
            **extra}
    return json.dumps(data, indent=2, default=str) + "\n"


# ----------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line arguments, checked (one corpus source at a time)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("dir", nargs="?", type=Path, help="folder to measure (default: generate the synthetic corpus)")
    parser.add_argument("--generate-scale", type=int, metavar="N", help="generate the synthetic corpus at scale N")
    parser.add_argument("--compare-scale", type=int, metavar="N", help="measure the synthetic corpus at N and 2N")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write every number as JSON")
    parser.add_argument("--repeat", type=int, default=1, help="cold scans and re-scans to run (median kept; default 1)")
    parser.add_argument("--help-repeats", type=int, default=5, help="runs of `archinfer --help` (median; default 5)")
    parser.add_argument("--no-floor", action="store_true", help="skip the python-hcl2 / PyYAML floor")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage breakdown")
    parser.add_argument("--keep", action="store_true", help="keep generated corpora (their paths are printed)")
    parser.add_argument("--scan-args", default="", metavar="ARGS",
                        help="extra arguments for every `archinfer scan`, e.g. --scan-args='--jobs 1' or '--no-cache'")
    parser.add_argument("--stages-worker", nargs=3, type=Path, metavar=("ROOT", "OUT", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.scan_args = shlex.split(args.scan_args)
    if args.stages_worker:
        return args
    if sum(x is not None for x in (args.dir, args.generate_scale, args.compare_scale)) > 1:
        parser.error("give one of DIR, --generate-scale, --compare-scale")
    if args.dir is None and args.compare_scale is None and args.generate_scale is None:
        args.generate_scale = 1
    for name in ("generate_scale", "compare_scale", "repeat", "help_repeats"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def measure_generated(scale: int, args: argparse.Namespace) -> Measurement:
    """Generate the synthetic corpus at `scale`, measure it, delete it (unless --keep)."""
    root, took = generated(scale, args.keep)
    try:
        return measure(root, f"synthetic corpus, scale {scale}", args, took)
    finally:
        if not args.keep:
            shutil.rmtree(root.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark the arguments ask for; 2 when it cannot measure honestly."""
    args = parse_args(argv)
    try:
        if args.stages_worker:
            root, out, result = args.stages_worker
            return stages_worker(root, out, result, args.scan_args)
        if args.compare_scale is not None:
            small = measure_generated(args.compare_scale, args)
            large = measure_generated(2 * args.compare_scale, args)
            print("\n\n".join([report(small), report(large), compare_report(small, large, args.compare_scale)]))
            measurements = [small, large]
        elif args.dir is not None:
            if not args.dir.is_dir():
                raise BenchmarkError(f"{args.dir}: not a folder")
            measurements = [measure(args.dir.resolve(), args.dir.name, args, None)]
            print(report(measurements[0]))
        else:
            measurements = [measure_generated(args.generate_scale, args)]
            print(report(measurements[0]))
        print("\nmachine: " + "; ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    except BenchmarkError as exc:
        print(f"benchmark: error: {exc}", file=sys.stderr)
        return 2
    if args.json is not None:
        args.json.write_text(to_json(measurements, {"argv": sys.argv[1:]}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
