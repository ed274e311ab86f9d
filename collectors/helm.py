"""Helm charts: Chart.yaml and values files, and the objects a chart renders to (Helm SDK, else a static reading)."""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import subprocess
import sys
import tempfile
from types import MappingProxyType
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from ..model import Diagnostic, Limits, Loc, Severity
from .kubernetes import K8sObject, objects_from
from .yamlload import YamlDoc, YamlError, load_documents

KIND_CHART = "helm.chart"
CHART_FILES = ("Chart.yaml", "Chart.yml")
SDK_MODULE = "helm_python"
SDK_TIMEOUT = 20.0
NAMESPACE = "default"
# Helm loads every file of the chart folder into memory; a folder this large is not a chart to hand it.
MAX_CHART_BYTES = 100 * 1024 * 1024
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"})
STATIC_KINDS = WORKLOAD_KINDS | {"Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
# Subcharts that run a data store: shown as one StatefulSet each when the static reading cannot render them.
DATA_STORES = frozenset({
    "postgresql", "postgresql-ha", "mysql", "mariadb", "mariadb-galera", "mongodb", "mongodb-sharded", "redis",
    "redis-cluster", "valkey", "valkey-cluster", "memcached", "kafka", "rabbitmq", "rabbitmq-cluster-operator",
    "elasticsearch", "opensearch", "cassandra", "etcd", "zookeeper", "minio", "clickhouse", "couchdb", "influxdb",
    "neo4j", "nats", "keydb", "dragonfly", "scylla", "cockroachdb", "solr",
})
# Helm's status words for a declared dependency it could not use (`helm dependency list`).
_MISSING_STATUSES = frozenset({"missing", "corrupt", "misnamed"})
_VALUES_NAME = re.compile(r"^values(?P<env>.*)\.ya?ml$")
# Python refuses str() of an int over 4300 digits; Helm reads YAML numbers as 64-bit values anyway, so an int this
# large (a hex literal in values.yaml, say) means nothing to render and is treated as unknown.
_MAX_INT_BITS = 4000

ValuePath = tuple[str | int, ...]
ReadText = Callable[[str], str]


@dataclass(frozen=True)
class HelmDependency:
    """One entry of Chart.yaml `dependencies`, with whether values.yaml enables it and whether it is vendored."""

    name: str
    version: str
    repository: str
    condition: str | None
    alias: str | None
    enabled: bool | None  # the condition evaluated against the chart's values.yaml (None when it can't be decided)
    vendored: bool  # present under charts/ (folder or .tgz)
    line: int  # line in Chart.yaml
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class HelmChart:
    """A chart folder: its Chart.yaml facts and the values files beside it."""

    dir: str  # chart folder relative to the scanned root, POSIX
    name: str
    version: str
    app_version: str | None
    dependencies: tuple[HelmDependency, ...]
    values_files: tuple[str, ...]  # values*.yaml beside Chart.yaml (relative paths), values.yaml first
    line: int = 1


@dataclass(frozen=True)
class RenderResult:
    """The objects one chart renders to with one set of values files, and how they were obtained."""

    chart: str
    variant: str
    method: str  # "helm-sdk" | "static"
    objects: tuple[K8sObject, ...]
    values: dict[str, Any]  # may hold secrets: for views only, never printed
    value_lines: dict[ValuePath, tuple[str, int]]
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


# ---------------------------------------------------------------- Chart.yaml and values files


def is_chart_file(path: str) -> bool:
    """Whether the file is a chart's metadata file (Chart.yaml, or Chart.yml which Helm also reads)."""
    return posixpath.basename(path) in CHART_FILES


def chart_from(path: str, text: str, values_text: str | None = None, all_paths: Iterable[str] | None = None,
               limits: Limits = Limits()) -> tuple[HelmChart | None, list[Diagnostic]]:
    """Parse Chart.yaml; with values.yaml's text dependencies get `enabled`, with the tree's paths `vendored`."""
    try:
        docs = load_documents(text, limits)
    except YamlError as exc:
        return None, [Diagnostic(Loc(path, exc.line), Severity.ERROR, f"cannot parse Chart.yaml: {exc.message}")]
    doc = docs[0] if docs else None
    if doc is None or not isinstance(doc.data, dict):
        return None, [Diagnostic(Loc(path, doc.line if doc else 1), Severity.ERROR, "Chart.yaml is not a mapping")]
    name = doc.data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None, [Diagnostic(Loc(path, doc.line_of("name")), Severity.ERROR, "Chart.yaml has no name")]
    diagnostics: list[Diagnostic] = []
    if doc.data.get("version") is None:
        diagnostics.append(Diagnostic(Loc(path, doc.line), Severity.WARNING, "Chart.yaml has no version"))
    version = _string_field(doc.data.get("version"), "version", Loc(path, doc.line_of("version")), diagnostics)
    app_version = _string_field(doc.data.get("appVersion"), "appVersion", Loc(path, doc.line_of("appVersion")),
                                diagnostics)
    chart_dir = _dir_of(path)
    values = _values_for_conditions(_join(chart_dir, "values.yaml"), values_text, diagnostics, limits)
    paths = tuple(all_paths) if all_paths is not None else None
    dependencies = tuple(_dependencies(path, doc, values, paths, diagnostics))
    values_files = values_files_in(chart_dir, paths) if paths is not None else ()
    chart = HelmChart(chart_dir, name.strip(), version or "", app_version, dependencies, values_files,
                      doc.line_of("name"))
    return chart, diagnostics


def values_files_in(chart_dir: str, all_paths: Iterable[str]) -> tuple[str, ...]:
    """Every values*.yaml beside Chart.yaml in `chart_dir`, values.yaml (or values.yml) first."""
    folder = _dir_of(_join(chart_dir, "Chart.yaml"))
    found = [p for p in all_paths if _dir_of(p) == folder and _VALUES_NAME.match(posixpath.basename(p))]
    return tuple(sorted(set(found), key=lambda p: (environment_of(p) is not None, p)))


def environment_of(values_file: str) -> str | None:
    """The environment a values file is for: values-prod.yaml -> prod, values.production.yaml -> production."""
    match = _VALUES_NAME.match(posixpath.basename(values_file))
    if match is None:
        return None
    return match.group("env").lstrip("-._") or None


def _dependencies(path: str, doc: YamlDoc, values: dict[str, Any] | None, paths: tuple[str, ...] | None,
                  diagnostics: list[Diagnostic]) -> list[HelmDependency]:
    entries = doc.data.get("dependencies")
    if entries is None:
        return []
    if not isinstance(entries, list):
        diagnostics.append(Diagnostic(Loc(path, doc.line_of("dependencies")), Severity.WARNING,
                                      "dependencies is not a list: ignored"))
        return []
    out: list[HelmDependency] = []
    for i, entry in enumerate(entries):
        line = doc.line_of("dependencies", i)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            diagnostics.append(Diagnostic(Loc(path, line), Severity.WARNING, "dependency without a name: ignored"))
            continue
        out.append(_dependency(path, doc, (i, entry), values, paths, diagnostics))
    return out


def _dependency(path: str, doc: YamlDoc, numbered: tuple[int, dict[str, Any]], values: dict[str, Any] | None,
                paths: tuple[str, ...] | None, diagnostics: list[Diagnostic]) -> HelmDependency:
    """One named entry (its index, itself) of `dependencies`; a field of the wrong type is reported and left out."""
    i, entry = numbered
    name: str = entry["name"]

    def text(key: str) -> str | None:
        where = Loc(path, doc.line_of("dependencies", i, key))
        return _string_field(entry.get(key), f"dependency {name}: {key}", where, diagnostics)

    condition = (text("condition") or "").strip() or None
    alias = (text("alias") or "").strip() or None
    tags = _tags(entry.get("tags"), f"dependency {name}: tags", Loc(path, doc.line_of("dependencies", i, "tags")),
                 diagnostics)
    enabled = _enabled(condition, tags, values) if values is not None else (
        True if not condition and not tags else None)
    vendored = paths is not None and _vendored_in(_dir_of(path), name, paths)
    return HelmDependency(name, text("version") or "", text("repository") or "", condition, alias, enabled,
                          vendored, doc.line_of("dependencies", i), tags)


def _string_field(value: Any, what: str, where: Loc, diagnostics: list[Diagnostic]) -> str | None:
    """A Chart.yaml field Helm reads as a string; None when absent or ill-typed (then reported).

    Helm's YAML reader turns any scalar into the string a string field wants (`version: 1.0`), so numbers and
    booleans are read as text; a list or a map is not a string at all.
    """
    if value is None:
        return None
    text = _go_text(value) if isinstance(value, (str, int, float)) else None
    if text is None:
        problem = "an integer too large to read" if isinstance(value, int) else "not a string"
        diagnostics.append(Diagnostic(where, Severity.WARNING, f"{what} is {problem}: ignored"))
    return text


def _tags(value: Any, what: str, where: Loc, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    """A dependency's `tags`: a list of strings; anything else in it is reported and left out."""
    if value is None:
        return ()
    if not isinstance(value, list):
        diagnostics.append(Diagnostic(where, Severity.WARNING, f"{what} is not a list: ignored"))
        return ()
    tags: list[str] = []
    for item in value:
        tag = _string_field(item, f"{what} entry", where, diagnostics) if item is not None else None
        if tag:
            tags.append(tag)
    return tuple(tags)


def _values_for_conditions(path: str, text: str | None, diagnostics: list[Diagnostic],
                           limits: Limits) -> dict[str, Any] | None:
    if text is None:
        return None
    loaded, problems = _parse_values(path, text, limits)
    diagnostics.extend(problems)
    return loaded.data if loaded is not None else None


def _vendored_in(chart_dir: str, name: str, paths: Iterable[str]) -> bool:
    """Whether charts/ holds the subchart as a folder (charts/NAME/Chart.yaml) or an archive (charts/NAME-1.2.3.tgz)."""
    prefix = _join(chart_dir, "charts/")
    for p in paths:
        if not p.startswith(prefix):
            continue
        rest = p[len(prefix):]
        if rest in (f"{name}/Chart.yaml", f"{name}/Chart.yml") or _is_archive_of(rest, name):
            return True
    return False


def _is_archive_of(file_name: str, name: str) -> bool:
    # The version must follow the name, so that postgresql-ha-1.0.0.tgz is not taken for postgresql.
    return ("/" not in file_name and file_name.endswith(".tgz") and file_name.startswith(f"{name}-")
            and file_name[len(name) + 1:][:1].isdigit())


def _enabled(condition: str | None, tags: Sequence[str], values: Mapping[str, Any]) -> bool:
    """Helm's rule: enabled by default, tags first (any true tag wins), then the first condition path that is a bool."""
    enabled = True
    tag_values = values.get("tags")
    if tags and isinstance(tag_values, dict):
        flags = [tag_values[t] for t in tags if isinstance(tag_values.get(t), bool)]
        if flags:
            enabled = any(flags)
    for part in (condition or "").split(","):
        found, value = _lookup(values, part.strip().split(".")) if part.strip() else (False, None)
        if found and isinstance(value, bool):
            return value
    return enabled


# ---------------------------------------------------------------- values: Helm's merge, with the line of every key


@dataclass(frozen=True)
class _ValuesFile:
    """One values file as read. `data` holds no cycle (checked on reading), so that the walkers over values
    (_merge_maps, _coalesce, _without_nulls, _value_lines, _copy, _strings, _tpl_value) all end."""

    path: str
    data: dict[str, Any]
    lines: dict[ValuePath, int] = field(compare=False, repr=False)


def _parse_values(path: str, text: str, limits: Limits) -> tuple[_ValuesFile | None, list[Diagnostic]]:
    try:
        docs = load_documents(text, limits)
    except YamlError as exc:
        return None, [Diagnostic(Loc(path, exc.line), Severity.WARNING, f"cannot parse values file: {exc.message}")]
    doc = docs[0] if docs else None
    data = doc.data if doc is not None else None
    if data is None:
        return _ValuesFile(path, {}, {}), []
    if not isinstance(data, dict):
        return None, [Diagnostic(Loc(path, doc.line if doc else 1), Severity.WARNING,
                                 "values file is not a mapping: ignored")]
    if _holds_itself(data):
        # Helm refuses such a file too ("anchor value contains itself"); taking it would leave every walker over
        # the values (merge, copy, tpl, the key lines) looping or recursing without end.
        return None, [Diagnostic(Loc(path, doc.line if doc else 1), Severity.WARNING,
                                 "values file has an alias inside its own anchor (a value that contains itself): "
                                 "ignored")]
    return _ValuesFile(path, data, dict(doc.lines) if doc else {}), []


def _holds_itself(data: Any) -> bool:
    """Whether a map or list contains itself through YAML aliases (`a: &a [*a]`); shared, acyclic aliases are fine.

    Iterative depth-first walk: a container met again while it is still on the current path closes a cycle; one
    already walked completely is not walked again, so that shared aliases cost nothing more.
    """
    on_path: set[int] = set()
    done: set[int] = set()
    todo: list[tuple[Any, bool]] = [(data, False)]
    while todo:
        node, leaving = todo.pop()
        if leaving:
            on_path.discard(id(node))
            done.add(id(node))
            continue
        if not isinstance(node, (dict, list)) or id(node) in done:
            continue
        if id(node) in on_path:
            return True
        on_path.add(id(node))
        todo.append((node, True))
        todo.extend((child, False) for child in (node.values() if isinstance(node, dict) else node))
    return False


def _merge_maps(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's merge of several -f files: maps merge deeply, everything else (nulls included) replaces."""
    out = dict(base)
    for key, value in top.items():
        current = out.get(key)
        out[key] = _merge_maps(current, value) if isinstance(value, dict) and isinstance(current, dict) else value
    return out


def _coalesce(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """User values over the chart's defaults as Helm coalesces them: maps merge deeply and a null removes the key."""
    out = dict(defaults)
    for key, value in overrides.items():
        current = out.get(key)
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(current, dict):
            out[key] = _coalesce(current, value)
        else:
            out[key] = value
    return out


def _without_nulls(values: Mapping[str, Any]) -> dict[str, Any]:
    """The chart's own values as Helm uses them: a key whose default is null is not there at all."""
    return {k: _without_nulls(v) if isinstance(v, dict) else v for k, v in values.items() if v is not None}


def _value_lines(values: Mapping[str, Any], files: Sequence[_ValuesFile]) -> dict[ValuePath, tuple[str, int]]:
    """For each key path of the merged values, the last file that sets it (a later file replaces lists whole)."""
    out: dict[ValuePath, tuple[str, int]] = {}
    todo: list[tuple[Any, ValuePath]] = [(values, ())]
    while todo:
        node, path = todo.pop()
        children: Iterable[tuple[str | int, Any]] = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ())
        for key, child in children:
            child_path = path + (key,)
            owner = next((f for f in reversed(files) if child_path in f.lines), None)
            if owner is not None:
                out[child_path] = (owner.path, owner.lines[child_path])
            todo.append((child, child_path))
    return dict(sorted(out.items(), key=lambda item: tuple(map(str, item[0]))))


def _lookup(data: Any, path: Sequence[str | int]) -> tuple[bool, Any]:
    node = data
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return False, None
    return True, node


# ---------------------------------------------------------------- render


@dataclass(frozen=True)
class _Variant:
    files: tuple[_ValuesFile, ...]
    read: tuple[str, ...]
    overrides: dict[str, Any]  # the user values Helm gets on top of the chart's own values.yaml (nulls kept)
    values: dict[str, Any]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class _DependencyState:
    dependency: HelmDependency
    enabled: bool
    vendored: bool


def render(chart: HelmChart, values_files: Sequence[str], read_text: ReadText, root: Path, *,
           use_sdk: bool = True, timeout: float = SDK_TIMEOUT, limits: Limits = Limits(),
           session: SdkSession | None = None) -> RenderResult:
    """The chart's objects with these values files over values.yaml: Helm's own render when it can be trusted."""
    chart_file = _chart_file(chart, root)
    variant = _load_variant(chart, values_files, read_text, root, limits)
    names = [posixpath.basename(f) for f in variant.read]
    label = " + ".join(names) if names else "(no values file)"
    deps = _dependency_states(chart, variant.values, root, read_text)
    reasons = _static_reasons(chart, deps, root, use_sdk)
    if not reasons:
        sdk = _run_sdk(root / chart.dir, chart.name, variant.overrides, timeout, session)
        if isinstance(sdk, _SdkOutput):
            missing = [d["name"] for d in sdk.dependencies if d.get("status") in _MISSING_STATUSES
                       and any(s.enabled and d.get("name") == s.dependency.name for s in deps)]
            if not missing:
                return _sdk_result(chart, chart_file, label, variant, sdk, read_text, root)
            reasons = [f"Helm reports dependency {', '.join(missing)} missing"]
        else:
            reasons = [_scrub(sdk, variant.values)]
            problem = _template_problem(chart, chart_file, sdk, variant.values, root)
            if problem is not None:
                variant = replace(variant, diagnostics=variant.diagnostics + (problem,))
    return _static_result(chart, chart_file, label, variant, deps, reasons, read_text, root)


def _load_variant(chart: HelmChart, values_files: Sequence[str], read_text: ReadText, root: Path,
                  limits: Limits) -> _Variant:
    # The chart's own values.yaml is Helm's defaults; every other file is a user -f file on top of it.
    defaults_path = next((p for p in (*chart.values_files, *values_files)
                          if _dir_of(p) == _dir_of(_join(chart.dir, "Chart.yaml"))
                          and posixpath.basename(p) in ("values.yaml", "values.yml")), None)
    if defaults_path is None and (root / chart.dir / "values.yaml").is_file():
        defaults_path = _join(chart.dir, "values.yaml")
    ordered = ([defaults_path] if defaults_path else []) + [f for f in values_files if f != defaults_path]
    diagnostics: list[Diagnostic] = []
    loaded: list[_ValuesFile] = []
    for path in dict.fromkeys(ordered):
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.append(Diagnostic(Loc(path), Severity.WARNING, f"cannot read values file: {_reason(exc)}"))
            continue
        parsed, problems = _parse_values(path, text, limits)
        diagnostics.extend(problems)
        if parsed is not None:
            loaded.append(parsed)
    defaults = loaded[0].data if loaded and loaded[0].path == defaults_path else {}
    user = [f for f in loaded if f.path != defaults_path]
    overrides: dict[str, Any] = {}
    for values_file in user:
        overrides = _merge_maps(overrides, values_file.data)
    values = _coalesce(_without_nulls(defaults), overrides)
    return _Variant(tuple(loaded), tuple(f.path for f in loaded), overrides, values, tuple(diagnostics))


def _dependency_states(chart: HelmChart, values: Mapping[str, Any], root: Path,
                       read_text: ReadText) -> list[_DependencyState]:
    present = _vendored_names(root, chart.dir, read_text)
    return [_DependencyState(d, _enabled(d.condition, d.tags, values), d.name in present) for d in chart.dependencies]


def _vendored_names(root: Path, chart_dir: str, read_text: ReadText) -> set[str]:
    """Names of the subcharts under charts/: a folder's Chart.yaml name (Helm matches by it) or an archive's prefix."""
    folder = root / chart_dir / "charts"
    names: set[str] = set()
    if not folder.is_dir() or folder.is_symlink():  # a link may lead anywhere (/etc): never listed
        return names
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.name.endswith(".tgz"):
            names.add(re.sub(r"-\d[^/]*\.tgz$", "", entry.name))
        elif entry.is_dir() and not entry.is_symlink():
            for chart_name in CHART_FILES:
                rel = _join(chart_dir, f"charts/{entry.name}/{chart_name}")
                if (root / rel).is_file():
                    names.update({entry.name, _chart_name(rel, read_text) or entry.name})
    return names


def _chart_name(rel: str, read_text: ReadText) -> str | None:
    try:
        docs = load_documents(read_text(rel))
    except (OSError, UnicodeDecodeError, YamlError):
        return None
    data = docs[0].data if docs else None
    return data["name"] if isinstance(data, dict) and isinstance(data.get("name"), str) else None


def _static_reasons(chart: HelmChart, deps: Sequence[_DependencyState], root: Path, use_sdk: bool) -> list[str]:
    """Why Helm's own render cannot be used or trusted here (empty: try it)."""
    if not use_sdk:
        return ["the Helm SDK is turned off"]
    missing = [s.dependency.name for s in deps if s.enabled and not s.vendored]
    if missing:
        word = "dependency" if len(missing) == 1 else "dependencies"
        return [f"{word} {', '.join(missing)} not vendored under charts/"]
    escaping, size = _chart_folder_check(root, chart.dir)
    if escaping:
        return [f"{escaping[0]} is a symbolic link to outside the scanned folder"]
    if size > MAX_CHART_BYTES:
        return [f"the chart folder holds more than {MAX_CHART_BYTES // (1024 * 1024)} MiB"]
    if importlib.util.find_spec(SDK_MODULE) is None:
        return ["helm-python-sdk not installed"]
    return []


def _chart_folder_check(root: Path, chart_dir: str) -> tuple[list[str], int]:
    """Links in the chart folder that lead outside the root (Helm follows links), and the folder's size."""
    base = root.resolve()
    top = root / chart_dir
    escaping: list[str] = []
    if not _inside(top, base):
        escaping.append(chart_dir)
    size = 0
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not _inside(path, base):
                escaping.append(path.relative_to(root).as_posix())
            elif name in filenames:
                size += path.lstat().st_size
    return escaping, size


def _inside(path: Path, base: Path) -> bool:
    try:
        return path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a link loop: Python 3.11 raises RuntimeError
        return False


# ---------------------------------------------------------------- the Helm SDK, in a worker process of our own

# Run with `python -P -c` from a neutral folder: nothing of the scanned repository is on the import path, the
# values travel on stdin (never argv), and the process can be killed when it overruns its time.
_WORKER: Final = r"""
import json, sys

def answer(request):
    try:
        import helm_python as helm
    except ImportError as exc:
        return {"status": "missing", "error": str(exc)}
    except Exception as exc:
        return {"status": "error", "error": "cannot load helm-python-sdk: " + type(exc).__name__}
    try:
        dependencies = helm.dependency_list(request["chart"])
        with helm.Chart.load(request["chart"]) as chart:
            manifests = chart.render(request["values"], name=request["name"], namespace=request["namespace"],
                                     is_install=True)
    except Exception as exc:
        return {"status": "error", "error": type(exc).__name__ + ": " + str(exc)}
    return {"status": "ok", "manifests": manifests, "dependencies": dependencies,
            "version": getattr(helm, "__version__", "?"), "helm": helm.helm_sdk_version()}

# One request per line, one answer per line: a session sends several (JSON text never holds a raw newline).
for line in sys.stdin:
    if line.strip():
        sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
        sys.stdout.flush()
"""


def _read_line(stream: Any, timeout: float) -> str | None:
    """One line from `stream`, or None after `timeout` seconds (a thread reads: select() takes no pipes on Windows)."""
    import threading

    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return box[0] if box else None  # on a timeout the caller kills the worker, which ends the read


class SdkSession:
    """One Helm SDK worker process kept for several renders: starting it (Python and Helm) costs more than a render.

    Not shared between threads; a worker that overruns its time or dies is killed, and the next request starts
    a new one.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None

    def ask(self, payload: str, timeout: float) -> str:
        """The worker's answer line to one request, or a message starting with '!' saying why there is none."""
        try:
            proc = self._worker()
        except OSError as exc:
            return f"!cannot start the Helm SDK worker: {exc.strerror or type(exc).__name__}"
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(payload + "\n")
            proc.stdin.flush()
            line = _read_line(proc.stdout, timeout)
        except OSError:
            line = ""
        if line is None:
            self.close()
            return f"!the Helm SDK took longer than {timeout:g} s"
        if not line:
            try:
                code: int | None = proc.wait(timeout=1)  # it closed its output: it is ending, or has ended
            except subprocess.TimeoutExpired:
                code = None
            self.close()
            return f"!the Helm SDK worker ended without an answer (exit code {code})"
        return line

    def _worker(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen([sys.executable, "-P", "-c", _WORKER], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, encoding="utf-8",
                                          errors="replace", cwd=tempfile.gettempdir())
        return self._proc

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
            self._proc = None

    def __enter__(self) -> "SdkSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class _SdkOutput:
    manifests: dict[str, str]
    dependencies: tuple[dict[str, Any], ...]
    version: str


def _run_sdk(chart_path: Path, release: str, values: dict[str, Any], timeout: float,
             session: SdkSession | None = None) -> _SdkOutput | str:
    """Helm's render of the chart, or why there is none (in `session`'s worker, else in one of its own)."""
    try:
        payload = json.dumps({"chart": str(chart_path.resolve()), "values": values, "name": release,
                              "namespace": NAMESPACE}, allow_nan=False)
    except (TypeError, ValueError):
        return "the values cannot be handed to Helm as JSON"
    if session is None:
        with SdkSession() as own:
            line = own.ask(payload, timeout)
    else:
        line = session.ask(payload, timeout)
    if line.startswith("!"):
        return line[1:]
    try:
        answer = json.loads(line)
    except ValueError:
        return "the Helm SDK worker ended without an answer"
    if answer.get("status") == "missing":
        return "helm-python-sdk not installed"
    if answer.get("status") != "ok":
        return f"the Helm SDK failed: {answer.get('error', '')}"
    return _SdkOutput(dict(answer.get("manifests") or {}), tuple(answer.get("dependencies") or ()),
                      f"helm-python-sdk {answer.get('version')}, Helm {answer.get('helm')}")


def _sdk_result(chart: HelmChart, chart_file: str, label: str, variant: _Variant, sdk: _SdkOutput,
                read_text: ReadText, root: Path) -> RenderResult:
    source = f"helm:{chart.dir}"
    objects: list[K8sObject] = []
    diagnostics = list(variant.diagnostics)
    templates: set[str] = set()
    for key in sorted(sdk.manifests):
        rel = key.split("/", 1)[1] if "/" in key else key  # Helm names templates "<chart name>/templates/x.yaml"
        text = sdk.manifests[key]
        if posixpath.basename(rel).startswith("_") or rel.endswith("NOTES.txt") or not text.strip():
            continue
        origin, template = _origin_of(chart, chart_file, rel, read_text, root)
        if template is not None:
            templates.add(origin.path)
        try:
            docs = load_documents(text)
        except YamlError as exc:
            diagnostics.append(Diagnostic(origin, Severity.WARNING, f"rendered template is not YAML: {exc.message}"))
            continue
        seen: dict[str, int] = {}
        for obj in objects_from(origin.path, docs, source):
            if _is_test_hook(obj.body):
                continue  # `helm test` pods run only on demand: not part of the deployment
            nth = seen.get(obj.kind, 0)
            seen[obj.kind] = nth + 1
            line = _kind_line(template, obj.kind, nth) if template is not None else origin.line
            objects.append(replace(obj, origin=Loc(origin.path, line or 1), lines={}))
    diagnostics.append(Diagnostic(Loc(chart_file, chart.line), Severity.INFO,
                                  f"rendered with the Helm SDK ({sdk.version}): {len(objects)} objects"))
    files = {chart_file, *variant.read, *templates}
    return RenderResult(chart.dir, label, "helm-sdk", tuple(objects), variant.values,
                        _value_lines(variant.values, variant.files), tuple(sorted(files)), tuple(diagnostics))


def _origin_of(chart: HelmChart, chart_file: str, rel: str, read_text: ReadText,
               root: Path) -> tuple[Loc, str | None]:
    """The template file a rendered manifest came from, or the Chart.yaml line of the archived subchart it is in."""
    loc = _template_loc(chart, chart_file, rel, 1, root)
    if loc.path == chart_file:
        return loc, None
    try:
        return loc, read_text(loc.path)
    except (OSError, UnicodeDecodeError):
        return loc, None


def _template_loc(chart: HelmChart, chart_file: str, rel: str, line: int, root: Path) -> Loc:
    """Where a chart-relative template path is in the tree: the file itself, or the Chart.yaml line of the archived
    subchart (charts/NAME-1.0.tgz) that holds it."""
    path = _join(chart.dir, rel)
    if ".." not in rel.split("/") and (root / path).is_file():
        return Loc(path, line)
    parts = rel.split("/")
    sub = parts[1] if len(parts) > 2 and parts[0] == "charts" else None
    dep = next((d for d in chart.dependencies if sub in (d.name, d.alias)), None)
    return Loc(chart_file, dep.line if dep else chart.line)


# Helm's words for a template it cannot parse: `parse error at (<chart name>/templates/x.yaml:LINE): DETAIL`.
_PARSE_ERROR = re.compile(r"parse error at \((?P<name>[^()\s:]+/[^()\s:]+):(?P<line>\d+)\): (?P<detail>[^\n]*)")


def _template_problem(chart: HelmChart, chart_file: str, error: str, values: Mapping[str, Any],
                      root: Path) -> Diagnostic | None:
    """A warning on the template Helm could not parse, at its line, when Helm's error names one.

    Helm names templates by chart name (`gosyntax/templates/deploy.yaml`), not by folder: the name is mapped to
    the file under the scanned root. The detail is Go's parse message about the template's own text; a `tpl` or
    `include` error (which may quote values) is not a parse error of the file and is left to the INFO note.
    """
    match = _PARSE_ERROR.search(error)
    if match is None or "error calling" in error[: match.start()]:
        return None
    rel = match.group("name").split("/", 1)[1]
    loc = _template_loc(chart, chart_file, rel, int(match.group("line")), root)
    detail = _scrub(match.group("detail"), values)
    detail = detail if len(detail) <= 120 else detail[:117] + "..."
    what = rel if loc.path == chart_file else "this template"  # an archived subchart's: named, at its dependency
    return Diagnostic(loc, Severity.WARNING, f"Helm cannot parse {what} ({detail}); the chart is read without Helm, "
                                             "Go templates not evaluated")


def _kind_line(template: str, kind: str, nth: int) -> int:
    """The line of the nth literal `kind: <kind>` of a template (0 when it has none)."""
    pattern = re.compile(rf"^\s*kind:\s*[\"']?{re.escape(kind)}[\"']?\s*(#.*)?$")
    found = [i + 1 for i, line in enumerate(template.splitlines()) if pattern.match(line)]
    return found[min(nth, len(found) - 1)] if found else 0


def _is_test_hook(body: Mapping[str, Any]) -> bool:
    metadata = body.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    hook = annotations.get("helm.sh/hook") if isinstance(annotations, dict) else None
    return isinstance(hook, str) and any(h.strip().startswith("test") for h in hook.split(","))


def _scrub(message: str, values: Mapping[str, Any]) -> str:
    """A Helm error on one line, cut short, with any values-file string in it masked (it may be a secret)."""
    first = " ".join(message.split()) or "unknown error"
    for secret in sorted(_strings(values), key=len, reverse=True):
        first = first.replace(secret, "<value>")
    return first if len(first) <= 300 else first[:297] + "..."


def _strings(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_strings(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_strings(v) for v in node)) if node else set()
    return {node} if isinstance(node, str) and len(node) >= 4 else set()


# ---------------------------------------------------------------- static reading: Go templates are not evaluated


class _Unknown:
    """A value the static reading cannot know (a lookup, a helper it does not model, a variable...)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class _YamlBlock:
    """What `toYaml x` (or Bitnami's tplvalues.render) emits: structured data, not a scalar."""

    value: Any


class _Root(dict[str, Any]):
    """The template's top-level `.`: a field it does not hold (.Capabilities, .Files...) is unknown, not empty."""


# Bounds of the static evaluation. A value can `tpl` itself and a helper can include itself, several times per
# action: without bounds the reading recurses past Python's stack or runs for ever; past them the value is unknown.
# Helm allows 1000 nested includes, real charts use a handful.
_MAX_TPL_DEPTH = 50  # tpl within tpl (include within include stops at 8, see _include)
_MAX_EXPANSIONS = 10_000  # tpl and helper expansions in one render (real charts use a few dozen): ~1 s at worst
_MAX_PARENS = 50  # ( ( ... ) ) within one action
_MAX_NUMBER_DIGITS = 1000  # a longer number in an action is not parsed (int() refuses over 4300 digits)


@dataclass
class _Budget:
    """Expansions left for one render: shared by every `_Env` derived from the first one."""

    left: int = _MAX_EXPANSIONS

    def spend(self) -> bool:
        """Take one expansion; False once there is none left."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


@dataclass(frozen=True)
class _Env:
    root: _Root
    dot: Any
    defines: Mapping[str, str] = field(repr=False)
    depth: int = 0  # helpers within helpers and tpl within tpl, bounded
    budget: _Budget = field(default_factory=_Budget, compare=False, repr=False)  # `replace` keeps the same one


def _root_context(chart: HelmChart, values: dict[str, Any]) -> _Root:
    return _Root(Values=values,
                 Chart=_Root(Name=chart.name, Version=chart.version, AppVersion=chart.app_version or ""),
                 Release=_Root(Name=chart.name, Namespace=NAMESPACE, Service="Helm", IsInstall=True,
                               IsUpgrade=False, Revision=1))


_ACTION = re.compile(r"\{\{(?P<body>.*?)\}\}", re.DOTALL)
_CONTROL = re.compile(r"^(?P<word>else\s+if|else\s+with|if|else|with|range|define|block|end)\b\s*(?P<rest>.*)$",
                      re.DOTALL)
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|`[^`]*`)
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<field>(?:\$[A-Za-z_0-9]*)?(?:\.[A-Za-z_][A-Za-z_0-9]*)+|\.|\$[A-Za-z_0-9]*)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>[()|])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_NOTHING: Final = object()  # no value piped into a command yet

Operand = tuple[str, Any]
Command = list[Operand]
Pipeline = list[Command]


@dataclass(frozen=True)
class _Action:
    start: int
    end: int
    body: str  # without the {{- -}} trim markers


def _actions(text: str) -> list[_Action]:
    out: list[_Action] = []
    for match in _ACTION.finditer(text):
        body = match.group("body")
        body = body[1:] if body.startswith("-") and body[1:2].isspace() else body
        body = body[:-1] if body.endswith("-") and body[-2:-1].isspace() else body
        out.append(_Action(match.start(), match.end(), body.strip()))
    return out


def _is_comment(action: _Action) -> bool:
    return action.body.startswith("/*")


def _control(action: _Action) -> tuple[str, str] | None:
    match = _CONTROL.match(action.body)
    if match is None:
        return None
    return re.sub(r"\s+", " ", match.group("word")), match.group("rest").strip()


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "space":
            out.append((kind, match.group()))
    return out


def _parse(text: str) -> Pipeline | None:
    """A Go template pipeline as commands of operands; None for what this reader does not model (:=, =, ...)."""
    tokens = _tokens(text)
    if any(kind == "other" for kind, _ in tokens):
        return None
    pipeline, end = _parse_pipeline(tokens, 0)
    return pipeline if pipeline is not None and end == len(tokens) else None


def _parse_pipeline(tokens: list[tuple[str, str]], i: int, depth: int = 0) -> tuple[Pipeline | None, int]:
    """The pipeline starting at token i, up to a `)` or the end; None past the bounds of nesting or of numbers."""
    pipeline: Pipeline = []
    command: Command = []
    while i < len(tokens):
        kind, text = tokens[i]
        if text == ")":
            break
        if text == "|":
            if not command:
                return None, i
            pipeline.append(command)
            command = []
            i += 1
            continue
        if text == "(":
            if depth >= _MAX_PARENS:
                return None, i
            inner, i = _parse_pipeline(tokens, i + 1, depth + 1)
            if inner is None or i >= len(tokens) or tokens[i][1] != ")":
                return None, i
            command.append(("pipe", inner))
            i += 1
            continue
        if kind == "number" and len(text) > _MAX_NUMBER_DIGITS:
            return None, i
        command.append(_operand(kind, text))
        i += 1
    if not command:
        return None, i
    pipeline.append(command)
    return pipeline, i


def _operand(kind: str, text: str) -> Operand:
    if kind == "string":
        return "value", (text[1:-1] if text.startswith("`") else json.loads(text))
    if kind == "number":
        return "value", float(text) if "." in text else int(text)
    if kind == "word" and text in ("true", "false", "nil"):
        return "value", {"true": True, "false": False, "nil": None}[text]
    return kind, text


def _evaluate(text: str, env: _Env) -> Any:
    pipeline = _parse(text)
    return UNKNOWN if pipeline is None else _run(pipeline, env)


def _run(pipeline: Pipeline, env: _Env) -> Any:
    value: Any = _NOTHING
    for command in pipeline:
        value = _command(command, env, value)
        if value is UNKNOWN:
            return UNKNOWN
    return value


def _command(command: Command, env: _Env, piped: Any) -> Any:
    kind, head = command[0]
    if kind == "word":
        args = [_operand_value(op, env) for op in command[1:]]
        return _call(head, args + ([] if piped is _NOTHING else [piped]), env)
    if len(command) != 1 or piped is not _NOTHING:
        return UNKNOWN
    return _operand_value(command[0], env)


def _operand_value(operand: Operand, env: _Env) -> Any:
    kind, text = operand
    if kind == "value":
        return text
    if kind == "pipe":
        return _run(text, env)
    if kind == "field":
        return _field(text, env)
    return UNKNOWN  # a bare function name as an argument


def _field(text: str, env: _Env) -> Any:
    if text == ".":
        return env.dot
    if text == "$":
        return env.root
    head, _, rest = text.partition(".")
    if head not in ("", "$"):
        return UNKNOWN  # a template variable: its value was computed by the template
    node: Any = env.root if head == "$" else env.dot
    for name in rest.split("."):
        if isinstance(node, _Root):
            node = node.get(name, UNKNOWN)
        elif isinstance(node, dict):
            node = node.get(name)
        elif node is None:
            return None  # Helm fails on nil.field; nothing is known there either way
        else:
            return UNKNOWN
    return node


def _truth(value: Any) -> bool | None:
    """Go template truth: false, 0, nil and empty strings, maps and lists are false."""
    if value is UNKNOWN:
        return None
    if isinstance(value, _YamlBlock):
        return _truth(value.value)
    return bool(value)


def _go_text(value: Any) -> str | None:
    """How a scalar prints in a template (None for maps, lists and unknowns); nil prints as nothing in Helm."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, int):
        return None if _too_large(value) else str(value)
    if isinstance(value, str):
        return value
    return None


def _call(name: str, args: list[Any], env: _Env) -> Any:
    lenient = _LENIENT.get(name)
    if lenient is not None:
        return lenient(args)
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    if name in ("include", "template"):
        return _include(args, env)
    if name == "tpl":
        return _tpl(args[0], env) if args else UNKNOWN
    function = _FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN
    try:
        return function(args)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError):  # float() of a huge int
        return UNKNOWN


def _and(args: list[Any]) -> Any:
    unknown = False
    for arg in args:
        truth = _truth(arg)
        if truth is False:
            return False if unknown else arg
        unknown = unknown or truth is None
    return UNKNOWN if unknown or not args else args[-1]


def _or(args: list[Any]) -> Any:
    unknown = False
    for arg in args:
        truth = _truth(arg)
        if truth is True:
            return True if unknown else arg
        unknown = unknown or truth is None
    return UNKNOWN if unknown or not args else args[-1]


def _not(args: list[Any]) -> Any:
    truth = _truth(args[0]) if len(args) == 1 else None
    return UNKNOWN if truth is None else not truth


def _default(args: list[Any]) -> Any:
    """Sprig's `default DEFAULT GIVEN`: GIVEN unless it is empty."""
    if len(args) < 2:
        return args[0] if args else UNKNOWN
    truth = _truth(args[-1])
    return UNKNOWN if truth is None else args[-1] if truth else args[0]


def _ternary(args: list[Any]) -> Any:
    truth = _truth(args[2]) if len(args) == 3 else None
    return UNKNOWN if truth is None else args[0] if truth else args[1]


def _coalesce_fn(args: list[Any]) -> Any:
    for arg in args:
        truth = _truth(arg)
        if truth is None:
            return UNKNOWN
        if truth:
            return arg
    return None


_LENIENT: Final[Mapping[str, Callable[[list[Any]], Any]]] = MappingProxyType({
    "and": _and, "or": _or, "not": _not, "default": _default, "ternary": _ternary, "coalesce": _coalesce_fn,
})


def _quote(args: list[Any], mark: str) -> Any:
    texts = [_go_text(a) for a in args if a is not None]
    if any(t is None for t in texts):
        return UNKNOWN
    if mark == '"':
        return " ".join(json.dumps(t) for t in texts)
    return " ".join(f"'{t}'" for t in texts)


def _text_of(value: Any) -> str:
    text = _go_text(value)
    if text is None:
        raise TypeError("not a scalar")
    return text


def _printf(args: list[Any]) -> str:
    texts = iter([_text_of(a) for a in args[1:]])
    # Go prints a verb without an argument as %!v(MISSING); a bare next() would end the whole reading.
    return re.sub(r"%[sdvq]", lambda m: next(texts, f"%!{m.group()[1]}(MISSING)"), str(args[0]))


def _omit(args: list[Any]) -> dict[str, Any]:
    return {k: v for k, v in args[0].items() if k not in args[1:]}


def _index(args: list[Any]) -> Any:
    node = args[0]
    for key in args[1:]:
        node = node.get(key) if isinstance(node, dict) else node[key] if isinstance(node, list) else None
    return node


def _dict(args: list[Any]) -> dict[str, Any]:
    return {str(args[i]): args[i + 1] for i in range(0, len(args) - 1, 2)}


def _integer(value: Any) -> int:
    return int(float(value)) if isinstance(value, (str, float, int)) else 0


def _required(args: list[Any]) -> Any:
    return UNKNOWN if args[-1] is None or args[-1] == "" else args[-1]


_FUNCTIONS: Final[Mapping[str, Callable[[list[Any]], Any]]] = MappingProxyType({
    "eq": lambda a: any(a[0] == b for b in a[1:]),
    "ne": lambda a: a[0] != a[1],
    "empty": lambda a: not _truth(a[0]),
    "quote": lambda a: _quote(a, '"'),
    "squote": lambda a: _quote(a, "'"),
    "toString": lambda a: _text_of(a[0]),
    "int": lambda a: _integer(a[0]),
    "int64": lambda a: _integer(a[0]),
    "float64": lambda a: float(a[0]),
    "lower": lambda a: _text_of(a[0]).lower(),
    "upper": lambda a: _text_of(a[0]).upper(),
    "trim": lambda a: _text_of(a[0]).strip(),
    "trunc": lambda a: _text_of(a[1])[: int(a[0])],
    "trimSuffix": lambda a: _text_of(a[1]).removesuffix(_text_of(a[0])),
    "trimPrefix": lambda a: _text_of(a[1]).removeprefix(_text_of(a[0])),
    "replace": lambda a: _text_of(a[2]).replace(_text_of(a[0]), _text_of(a[1])),
    "printf": _printf,
    "print": lambda a: "".join(_text_of(x) for x in a),
    "toYaml": lambda a: _YamlBlock(a[0]),
    "nindent": lambda a: a[1],
    "indent": lambda a: a[1],
    "dict": _dict,
    "list": lambda a: list(a),
    "omit": _omit,
    "pick": lambda a: {k: v for k, v in a[0].items() if k in a[1:]},
    "hasKey": lambda a: isinstance(a[0], dict) and a[1] in a[0],
    "index": _index,
    "required": _required,
    "kindIs": lambda a: isinstance(a[1], {"map": dict, "slice": list, "string": str, "bool": bool}[a[0]]),
})


def _include(args: list[Any], env: _Env) -> Any:
    """Bitnami's tplvalues.render and the `helm create` name helpers; any other helper's output is unknown."""
    if len(args) != 2 or not isinstance(args[0], str):
        return UNKNOWN
    name, arg = args
    if name == "common.tplvalues.render":
        value = _tpl_value(arg.get("value"), env) if isinstance(arg, dict) else UNKNOWN
        return UNKNOWN if value is UNKNOWN else _YamlBlock(value)
    values = env.root.get("Values") or {}
    body = env.defines.get(name)
    if name == "common.names.fullname" or (body is not None and _is_scaffold_fullname(body)):
        return _fullname(values, str(env.root["Chart"]["Name"]))
    if name == "common.names.name":
        override = values.get("nameOverride")
        return (override if isinstance(override, str) and override else str(env.root["Chart"]["Name"]))[:63]
    single = _single_action(body) if body is not None and env.depth < 8 else None
    if single is None:
        return UNKNOWN  # a helper with logic of its own: its output is not known without Helm
    if not env.budget.spend():
        return UNKNOWN
    return _evaluate(single, replace(env, dot=arg, depth=env.depth + 1))


# The fullname helper of `helm create`, action by action (whitespace aside): recognised, not evaluated.
_SCAFFOLD_FULLNAME: Final = (
    "if .Values.fullnameOverride", '.Values.fullnameOverride | trunc 63 | trimSuffix "-"', "else",
    "$name := default .Chart.Name .Values.nameOverride", "if contains $name .Release.Name",
    '.Release.Name | trunc 63 | trimSuffix "-"', "else",
    'printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-"', "end", "end")


def _is_scaffold_fullname(body: str) -> bool:
    actions = tuple(" ".join(a.body.split()) for a in _actions(body) if not _is_comment(a))
    return actions == _SCAFFOLD_FULLNAME and not _ACTION.sub("", body).strip()


def _single_action(body: str) -> str | None:
    """The expression of a helper that is one action and nothing else (`{{ printf "%s-web" ... }}`)."""
    actions = [a for a in _actions(body) if not _is_comment(a)]
    if len(actions) != 1 or _control(actions[0]) is not None or _ACTION.sub("", body).strip():
        return None
    return actions[0].body


def _fullname(values: Mapping[str, Any], chart_name: str) -> str:
    """The `helm create` / Bitnami fullname with release name = chart name."""
    override = values.get("fullnameOverride")
    if isinstance(override, str) and override:
        return override[:63].rstrip("-")
    name_override = values.get("nameOverride")
    name = name_override if isinstance(name_override, str) and name_override else chart_name
    release = chart_name
    return (release if name in release else f"{release}-{name}")[:63].rstrip("-")


def _tpl(value: Any, env: _Env) -> Any:
    """`tpl VALUE .`: the value rendered as a template; unknown past the nesting bound (a value that tpl's itself)."""
    if not isinstance(value, str):
        return UNKNOWN
    if "{{" not in value:
        return value
    if env.depth >= _MAX_TPL_DEPTH or not env.budget.spend():
        return UNKNOWN
    return _interpolate(value, replace(env, dot=env.root, depth=env.depth + 1))


def _tpl_value(value: Any, env: _Env) -> Any:
    """A values subtree as Bitnami's tplvalues.render gives it: strings holding templates are rendered too."""
    if isinstance(value, str):
        return _tpl(value, env)
    if isinstance(value, dict):
        out = {k: _tpl_value(v, env) for k, v in value.items()}
        return UNKNOWN if any(v is UNKNOWN for v in out.values()) else out
    if isinstance(value, list):
        items = [_tpl_value(v, env) for v in value]
        return UNKNOWN if any(v is UNKNOWN for v in items) else items
    return value


def _interpolate(text: str, env: _Env) -> Any:
    """Text with its actions replaced by their values; unknown when one is unknown, absent or not a scalar."""
    out: list[str] = []
    last = 0
    for action in _actions(text):
        out.append(text[last:action.start])
        last = action.end
        if _is_comment(action):
            continue
        if _control(action) is not None:
            return UNKNOWN
        value = _evaluate(action.body, env)
        rendered = None if value is None or value is UNKNOWN else _go_text(value)
        if rendered is None:
            return UNKNOWN  # an absent value renders as nothing: leave the field out rather than guess
        out.append(rendered)
    out.append(text[last:])
    return "".join(out)


def _scalar(text: str) -> Any:
    """A rendered YAML value as YAML reads it (`80` is a number, `"80"` a string)."""
    if not text.strip():
        return None
    try:
        docs = load_documents(text)
    except YamlError:
        return UNKNOWN  # e.g. a flow list continued on the next lines: not read
    return docs[0].data if docs else None


def _line_value(text: str, env: _Env) -> Any:
    """The value a `key: ...` line renders to, `_YamlBlock` for inline toYaml, UNKNOWN when it depends on more."""
    actions = [a for a in _actions(text) if not _is_comment(a)]
    if not actions:
        return _scalar(text)
    outside = _ACTION.sub("", text).strip()
    if len(actions) == 1 and not outside and _control(actions[0]) is None:
        value = _evaluate(actions[0].body, env)
        if isinstance(value, _YamlBlock) or value is UNKNOWN:
            return value
        rendered = None if value is None else _go_text(value)
        return UNKNOWN if not rendered else _scalar(rendered)  # renders empty: leave the field out
    rendered_text = _interpolate(text, env)
    return UNKNOWN if rendered_text is UNKNOWN else _scalar(rendered_text)


# ---------------------------------------------------------------- static reading: template structure


@dataclass(frozen=True)
class _Frame:
    """An open {{ if }} / {{ with }} / {{ range }} / {{ define }} and the branch a line is in."""

    kind: str
    conditions: tuple[str, ...]
    in_else: bool = False


@dataclass(frozen=True)
class _Line:
    no: int  # 1-based
    text: str
    outside: str  # the line with every action blanked out
    actions: tuple[_Action, ...]  # actions that start on this line
    frames: tuple[_Frame, ...]  # open at the start of the line


def _template_lines(text: str) -> list[_Line]:
    actions = _actions(text)
    blank = list(text)
    for action in actions:
        for i in range(action.start, action.end):
            if blank[i] != "\n":
                blank[i] = " "
    outside = "".join(blank).split("\n")
    raw = text.split("\n")
    out: list[_Line] = []
    frames: tuple[_Frame, ...] = ()
    offset = 0
    pending = list(actions)
    for i, line in enumerate(raw):
        end = offset + len(line) + 1
        mine = tuple(a for a in pending if offset <= a.start < end)
        out.append(_Line(i + 1, line, outside[i], mine, frames))
        for action in mine:
            frames = _apply(frames, action)
        pending = pending[len(mine):]
        offset = end
    return out


def _apply(frames: tuple[_Frame, ...], action: _Action) -> tuple[_Frame, ...]:
    control = _control(action)
    if control is None or _is_comment(action):
        return frames
    word, rest = control
    if word in ("if", "with", "range"):
        return frames + (_Frame(word, (rest,)),)
    if word in ("define", "block"):
        return frames + (_Frame("define", ()),)
    if word == "end":
        return frames[:-1]
    if not frames:
        return frames
    top = frames[-1]
    if word in ("else if", "else with"):
        return frames[:-1] + (_Frame(top.kind, top.conditions + (rest,)),)
    return frames[:-1] + (_Frame(top.kind, top.conditions, True),)  # else


def _state(frames: Sequence[_Frame], env: _Env) -> tuple[bool | None, _Env]:
    """Whether a line is rendered (None: undecidable, or repeated by a range) and the `.` it sees."""
    state: bool | None = True
    for frame in frames:
        if frame.kind == "define":
            return False, env
        if frame.kind == "range":
            state = None  # repeated once per item: `.` is an item this reading does not follow
            env = replace(env, dot=UNKNOWN)
            continue
        truths = [_truth(_evaluate(c, env)) for c in frame.conditions]
        branch = _branch(truths, frame.in_else)
        if branch is False:
            return False, env
        if branch is None:
            state = None
        elif frame.kind == "with" and not frame.in_else:
            env = replace(env, dot=_evaluate(frame.conditions[-1], env))
    return state, env


def _branch(truths: Sequence[bool | None], in_else: bool) -> bool | None:
    """Whether the current branch of an if/else-if chain is the one taken."""
    earlier = truths if in_else else truths[:-1]
    if any(t is True for t in earlier):
        return False
    current: bool | None = True if in_else else truths[-1]
    if current is False:
        return False
    return None if current is None or any(t is None for t in earlier) else True


_KEY_LINE = re.compile(r"""^(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#\-?:{][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(?P<value>.*?))?\s*$""")
_INDENT_ARG = re.compile(r"\bn?indent\s+(\d+)")

Container = dict[str, Any] | list[Any]


class _Skeleton:
    """Builds an object's body from the literal YAML structure of one template document, line by line."""

    def __init__(self, env: _Env) -> None:
        self.env = env
        self.body: dict[str, Any] = {}
        self.where: dict[ValuePath, int] = {}
        self.unresolved: dict[ValuePath, tuple[int, str]] = {}
        self.stack: list[tuple[int, Container, ValuePath]] = [(-1, self.body, ())]
        self.pending: tuple[int, dict[str, Any], str, ValuePath, int] | None = None
        self.skip_deeper: int | None = None

    def feed(self, line: _Line) -> None:
        stripped = line.outside.strip()
        indent = len(line.text) - len(line.text.lstrip(" "))
        if self.skip_deeper is not None and indent > self.skip_deeper and (stripped or line.actions):
            return
        if not stripped:
            if line.actions:
                self._inclusion(line, indent)
            return
        if stripped.startswith("#"):
            return
        self.skip_deeper = None
        state, env = _state(line.frames, self.env)
        if state is not True:
            self.skip_deeper = indent
            return
        rest = line.text.strip()
        if rest == "-" or rest.startswith("- "):
            self._item(line, indent, rest, env)
        else:
            self._key(line, indent, rest, env, in_item=False)

    def finish(self) -> None:
        self._drop_pending()

    def _drop_pending(self) -> None:
        if self.pending is not None:
            self.unresolved.setdefault(self.pending[3], (self.pending[4], ""))
            self.pending = None

    def _open(self, child: Container, indent: int) -> bool:
        """Give the key that ended with ':' its block, when this line is inside it."""
        if self.pending is None:
            return False
        key_indent, parent, key, path, _ = self.pending
        deeper = indent > key_indent or (indent == key_indent and isinstance(child, list))
        if not deeper:
            self._drop_pending()
            return False
        self.pending = None
        parent[key] = child
        self.stack.append((indent, child, path))
        return True

    def _top(self, indent: int, want_list: bool) -> tuple[int, Container, ValuePath] | None:
        # A key closes a list written at its own column (`ports:` then `- port: 80` then `env:`).
        while self.stack[-1][0] > indent or (not want_list and self.stack[-1][0] == indent
                                             and isinstance(self.stack[-1][1], list)):
            self.stack.pop()
        if len(self.stack) == 1 and self.stack[0][0] < 0 and not want_list:
            self.stack[0] = (indent, self.body, ())  # the document's own keys sit at the first key's column
        top = self.stack[-1]
        return top if top[0] == indent and isinstance(top[1], list) == want_list else None

    def _item(self, line: _Line, indent: int, rest: str, env: _Env) -> None:
        if not self._open([], indent):
            self._drop_pending()
        top = self._top(indent, want_list=True)
        content = rest[1:].lstrip()
        if top is None or not content:
            self.skip_deeper = indent
            return
        items = top[1]
        assert isinstance(items, list)
        path = top[2] + (len(items),)
        if _KEY_LINE.match(content) and not content.startswith(("{{", '"{{')):
            item: dict[str, Any] = {}
            items.append(item)
            self.where[path] = line.no
            column = indent + len(rest) - len(content)
            self.stack.append((column, item, path))
            self._key(line, column, content, env, in_item=True)
            return
        value = UNKNOWN if content[0] in "|>" else _line_value(content, env)  # a block scalar is text
        if value is UNKNOWN or isinstance(value, _YamlBlock):
            self.unresolved[path] = (line.no, content)
            self.skip_deeper = indent
            return
        items.append(value)
        self.where[path] = line.no

    def _key(self, line: _Line, indent: int, rest: str, env: _Env, in_item: bool) -> None:
        match = _KEY_LINE.match(rest)
        if match is None or "{{" in match.group("key"):
            self.skip_deeper = indent  # a templated key, or text this reader does not follow
            return
        if not in_item and not self._open({}, indent):
            self._drop_pending()
        top = self._top(indent, want_list=False)
        if top is None:
            self.skip_deeper = indent
            return
        parent = top[1]
        assert isinstance(parent, dict)
        key = _scalar(match.group("key"))
        key = match.group("key") if key is None or _too_large(key) else str(key)
        path = top[2] + (key,)
        self.where[path] = line.no
        value_text = match.group("value") or ""
        if not value_text or value_text.startswith("#"):
            self.pending = (indent, parent, key, path, line.no)
        elif value_text[0] in "|>":
            self.skip_deeper = indent  # a block scalar (a script, a config file): text, not structure
        else:
            self._set(parent, key, path, line.no, value_text, env, indent)

    def _set(self, parent: dict[str, Any], key: str, path: ValuePath, line_no: int, text: str, env: _Env,
             indent: int) -> None:
        value = _line_value(text, env)
        if value is UNKNOWN:
            self.unresolved[path] = (line_no, text)
            self.skip_deeper = indent
            return
        parent[key] = _copy(value.value) if isinstance(value, _YamlBlock) else value

    def _inclusion(self, line: _Line, indent: int) -> None:
        """A line that only holds actions: `{{- toYaml .Values.x | nindent 8 }}` adds structure where it lands."""
        state, env = _state(line.frames, self.env)
        for action in line.actions:
            if _is_comment(action) or _control(action) is not None:
                continue
            if state is not True:
                continue
            value = _evaluate(action.body, env)
            found = _INDENT_ARG.search(action.body)
            column = int(found.group(1)) if found else indent
            self._place(value, column, line.no)

    def _place(self, value: Any, column: int, line_no: int) -> None:
        data = value.value if isinstance(value, _YamlBlock) else value
        if value is UNKNOWN or not isinstance(data, (dict, list)):
            if self.pending is not None and value is UNKNOWN:
                self.unresolved.setdefault(self.pending[3], (line_no, ""))
            return
        data = _copy(data)
        if self.pending is not None and column > self.pending[0]:
            _, parent, key, path, _ = self.pending
            self.pending = None
            parent[key] = data
            self.stack.append((column, data, path))
            return
        top = self._top(column, want_list=isinstance(data, list))
        if top is None:
            return
        if isinstance(top[1], dict) and isinstance(data, dict):
            top[1].update(data)
        elif isinstance(top[1], list) and isinstance(data, list):
            top[1].extend(data)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# ---------------------------------------------------------------- static reading: objects


@dataclass(frozen=True)
class _StaticTemplate:
    path: str
    text: str


def _static_result(chart: HelmChart, chart_file: str, label: str, variant: _Variant,
                   deps: Sequence[_DependencyState], reasons: Sequence[str], read_text: ReadText,
                   root: Path) -> RenderResult:
    diagnostics = list(variant.diagnostics)
    templates, skipped = _read_templates(chart, read_text, root, diagnostics)
    defines: dict[str, str] = {}
    for template in templates:
        defines.update(_defines(template.text))
    env = _Env(_root_context(chart, variant.values), None, defines)
    env = replace(env, dot=env.root)
    objects: list[K8sObject] = []
    undecided: list[str] = []
    for template in templates:
        name = posixpath.basename(template.path)
        if name.startswith("_") or not name.endswith((".yaml", ".yml")) or "/templates/tests/" in f"/{template.path}":
            continue
        try:
            found, unsure = _template_objects(chart, template, env)
        except RecursionError:
            # The bounds on tpl, include and parentheses keep real templates far from Python's stack limit; only
            # a contrived mix of them (deep values rendered by tpl within tpl...) gets here.
            diagnostics.append(Diagnostic(Loc(template.path), Severity.WARNING,
                                          "template nested too deeply to read without Helm: skipped"))
            continue
        objects.extend(found)
        undecided.extend(unsure)
    stores = [s for s in deps if s.enabled and s.dependency.name in DATA_STORES]
    objects.extend(_data_store(chart, chart_file, s.dependency) for s in stores)
    notes = list(reasons)
    if stores:
        notes.append(f"data-store dependencies shown as StatefulSets: {', '.join(s.dependency.name for s in stores)}")
    others = [s.dependency.name for s in deps if s.enabled and s.dependency.name not in DATA_STORES]
    if others:
        notes.append(f"subcharts not read: {', '.join(others)}")
    if undecided:
        notes.append(f"not decided without Helm: {', '.join(undecided)}")
    if skipped:
        notes.append(f"symbolic links not read: {', '.join(skipped)}")
    diagnostics.append(Diagnostic(Loc(chart_file, chart.line), Severity.INFO,
                                  f"static reading (Go templates not evaluated): {'; '.join(notes)}"))
    files = {chart_file, *variant.read, *(t.path for t in templates)}
    return RenderResult(chart.dir, label, "static", tuple(objects), variant.values,
                        _value_lines(variant.values, variant.files), tuple(sorted(files)), tuple(diagnostics))


def _read_templates(chart: HelmChart, read_text: ReadText, root: Path,
                    diagnostics: list[Diagnostic]) -> tuple[list[_StaticTemplate], list[str]]:
    """Every file under templates/, never through a link (Helm would follow it; this reading does not).

    Returns the templates and the links not followed, each named as itself (never what lies behind it): os.walk
    follows its top folder, so `templates` that is a link (to /etc, say) is checked before the walk.
    """
    top_rel = _join(chart.dir, "templates")
    link = _first_link(root, top_rel)
    if link is not None:
        return [], [link]
    out: list[_StaticTemplate] = []
    skipped: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root / top_rel, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                skipped.append(rel)
                continue
            try:
                out.append(_StaticTemplate(rel, read_text(rel)))
            except (OSError, UnicodeDecodeError) as exc:
                diagnostics.append(Diagnostic(Loc(rel), Severity.WARNING, f"cannot read template: {_reason(exc)}"))
    return out, skipped


def _first_link(root: Path, rel: str) -> str | None:
    """The first part of a root-relative path (from the root down) that is a symbolic link, if any."""
    parts = rel.split("/")
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        if prefix not in ("", ".") and (root / prefix).is_symlink():
            return prefix
    return None


def _defines(text: str) -> dict[str, str]:
    """The named templates ({{ define "x" }}...{{ end }}) of a file, each with its body text."""
    out: dict[str, str] = {}
    open_at: list[tuple[str | None, int]] = []
    for action in _actions(text):
        control = _control(action)
        if control is None or _is_comment(action):
            continue
        word, rest = control
        if word in ("define", "block", "if", "with", "range"):
            named = re.match(r'"([^"]+)"', rest) if word in ("define", "block") else None
            open_at.append((named.group(1) if named else None, action.end))
        elif word == "end" and open_at:
            name, start = open_at.pop()
            if name is not None:
                out[name] = text[start:action.start]
    return out


def _template_objects(chart: HelmChart, template: _StaticTemplate, env: _Env) -> tuple[list[K8sObject], list[str]]:
    objects: list[K8sObject] = []
    undecided: list[str] = []
    lines = _template_lines(template.text)
    for chunk in _documents(lines):
        kind, kind_line, state = _kind_of(chunk, env)
        if kind is None or kind not in STATIC_KINDS or state is False:
            continue
        if state is None:
            undecided.append(f"{template.path}:{kind_line} ({kind})")
            continue
        skeleton = _Skeleton(env)
        for line in chunk:
            skeleton.feed(line)
        skeleton.finish()
        if _is_test_hook(skeleton.body):
            continue
        objects.append(_static_object(chart, template, kind, kind_line, skeleton, env))
    return objects, undecided


def _documents(lines: Sequence[_Line]) -> list[list[_Line]]:
    chunks: list[list[_Line]] = [[]]
    for line in lines:
        if line.outside.rstrip() == "---" or line.outside.startswith("--- "):
            chunks.append([])
        else:
            chunks[-1].append(line)
    return [c for c in chunks if c]


def _kind_of(chunk: Sequence[_Line], env: _Env) -> tuple[str | None, int, bool | None]:
    """The document's literal kind (at column 0), its line, and whether the template renders it."""
    candidates: list[tuple[str, int, bool | None]] = []
    for line in chunk:
        match = re.match(r"^kind:\s*(?P<kind>.*?)\s*(#.*)?$", line.text)
        if match is None:
            continue
        kind = match.group("kind")
        if "{{" in kind:
            continue
        candidates.append((kind.strip("\"'"), line.no, _state(line.frames, env)[0]))
    live = [c for c in candidates if c[2] is not False]
    if not live:
        return (candidates[0] if candidates else (None, 0, False))
    if len(live) > 1:
        return live[0][0], live[0][1], None  # alternative kinds: which one renders is not known statically
    return live[0]


def _static_object(chart: HelmChart, template: _StaticTemplate, kind: str, kind_line: int, skeleton: _Skeleton,
                   env: _Env) -> K8sObject:
    body = skeleton.body
    body["kind"] = kind
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    body["metadata"] = metadata
    if not isinstance(metadata.get("name"), str) or not metadata["name"]:
        metadata["name"] = _fullname(env.root["Values"], chart.name)
    values: dict[str, Any] = env.root["Values"]
    # Conventions only fill keys whose own line the template renders but whose content this reading could not
    # follow (a {{ range }} over hosts, a helper): a key the template leaves out stays out.
    if kind in WORKLOAD_KINDS:
        _fill_workload(body, skeleton, template, env)
    elif kind == "Ingress":
        _fill_ingress(body, set(skeleton.unresolved), template.text, values, metadata["name"])
    elif kind == "HorizontalPodAutoscaler":
        _fill_hpa(body, set(skeleton.unresolved), template.text, values, metadata["name"])
    api = body.get("apiVersion")
    namespace = metadata.get("namespace")
    return K8sObject(api if isinstance(api, str) else "", kind, metadata["name"],
                     namespace if isinstance(namespace, str) else None, body, Loc(template.path, kind_line),
                     dict(skeleton.where), f"helm:{chart.dir}")


def _mentions(text: str, key: str) -> bool:
    return re.search(rf"\.Values\.{re.escape(key)}\b", text) is not None


def _pod_spec_path(kind: str) -> ValuePath:
    return ("spec", "jobTemplate", "spec", "template", "spec") if kind == "CronJob" else ("spec", "template", "spec")


def _fill_workload(body: dict[str, Any], skeleton: _Skeleton, template: _StaticTemplate, env: _Env) -> None:
    """Containers whose image comes from a helper get it from the image values; probes the template has are kept."""
    spec_path = _pod_spec_path(body["kind"])
    for path, (_, text) in skeleton.unresolved.items():
        if len(path) != len(spec_path) + 3 or path[: len(spec_path)] != spec_path:
            continue
        group, index, key = path[len(spec_path):]
        found, container = _lookup(body, spec_path + (group, index))
        if not found or not isinstance(container, dict):
            continue
        if key == "image" and "image" not in container:
            image = _helper_image(text, env, template.text)
            if image is not None:
                container["image"] = image
        elif key in ("livenessProbe", "readinessProbe", "startupProbe") and key not in container:
            container[key] = {}  # the template has the probe; its settings were not read


def _helper_image(text: str, env: _Env, template_text: str) -> str | None:
    """An image built by a helper (Bitnami's common.images.image and the like) from the values map it is given."""
    chain = text
    todo = re.findall(r'(?:include|template)\s+"([^"]+)"', text)
    seen: set[str] = set()
    while todo and len(seen) < 5:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        body = env.defines.get(name, "")
        chain += "\n" + body
        todo.extend(re.findall(r'(?:include|template)\s+"([^"]+)"', body))
    values = env.root["Values"]
    for ref in re.findall(r"\.Values((?:\.[A-Za-z_][A-Za-z_0-9]*)+)", chain):
        path = ref.strip(".").split(".")
        found, node = _lookup(values, path)
        if path[-1] == "repository":
            found, node = _lookup(values, path[:-1])
        if found and isinstance(node, dict) and isinstance(node.get("repository"), str) and node["repository"]:
            return _compose_image(node, values, chain, str(env.root["Chart"]["AppVersion"]))
    return None


def _compose_image(image: Mapping[str, Any], values: Mapping[str, Any], chain: str, app_version: str) -> str:
    registry = image.get("registry")
    if "common.images.image" in chain:  # Bitnami: global.imageRegistry wins over the image's own registry
        _, global_registry = _lookup(values, ["global", "imageRegistry"])
        registry = global_registry or registry
    name = f"{registry}/{image['repository']}" if isinstance(registry, str) and registry else str(image["repository"])
    digest, tag = image.get("digest"), image.get("tag")
    if isinstance(digest, str) and digest:
        return f"{name}@{digest}"
    tag_text = _go_text(tag)
    if tag_text:  # a map, a list or an unprintable number is no tag
        return f"{name}:{tag_text}"
    if app_version and (".Chart.AppVersion" in chain or '"chart" .Chart' in chain):
        return f"{name}:{app_version}"
    return name


def _fill_ingress(body: dict[str, Any], unread: set[ValuePath], text: str, values: Mapping[str, Any],
                  name: str) -> None:
    """Ingress rules and TLS are built in {{ range }} loops: read them from the conventional values instead."""
    spec = body.setdefault("spec", {})
    _, ingress = _lookup(values, ["ingress"])
    if not isinstance(spec, dict) or not isinstance(ingress, dict):
        return
    for key in ("className", "ingressClassName"):
        if ("spec", "ingressClassName") in unread and "ingressClassName" not in spec \
                and _mentions(text, f"ingress.{key}") and isinstance(ingress.get(key), str) and ingress[key]:
            spec["ingressClassName"] = ingress[key]
    if ("spec", "rules") in unread and "rules" not in spec:
        rules = _ingress_rules(ingress, text, values, name)
        if rules:
            spec["rules"] = rules
    tls = ingress.get("tls")
    if ("spec", "tls") in unread and "tls" not in spec and _mentions(text, "ingress.tls") \
            and isinstance(tls, list) and tls:
        spec["tls"] = _copy(tls)


def _ingress_rules(ingress: Mapping[str, Any], text: str, values: Mapping[str, Any],
                   name: str) -> list[dict[str, Any]]:
    _, port = _lookup(values, ["service", "port"])
    backend = ({"service": {"name": name, "port": {"number": port}}}
               if isinstance(port, int) and _mentions(text, "service.port") else None)
    rules: list[dict[str, Any]] = []
    hosts = ingress.get("hosts") if _mentions(text, "ingress.hosts") else None
    for host in hosts if isinstance(hosts, list) else ():
        if isinstance(host, dict) and isinstance(host.get("host"), str):
            paths = [_ingress_path(p, backend) for p in host.get("paths") or () if isinstance(p, (dict, str))]
            rules.append({"host": host["host"], **({"http": {"paths": paths}} if paths else {})})
        elif isinstance(host, str):  # older scaffolds: a list of names and one ingress.path
            path = ingress.get("path")
            paths = [_ingress_path(path, backend)] if isinstance(path, str) else []
            rules.append({"host": host, **({"http": {"paths": paths}} if paths else {})})
    if _mentions(text, "ingress.hostname") and isinstance(ingress.get("hostname"), str):
        path = ingress.get("path")
        rule: dict[str, Any] = {"host": ingress["hostname"]}
        if isinstance(path, str):
            entry: dict[str, Any] = {"path": path}
            if isinstance(ingress.get("pathType"), str):
                entry["pathType"] = ingress["pathType"]
            rule["http"] = {"paths": [entry]}
        rules.append(rule)
    return rules


def _ingress_path(path: Any, backend: dict[str, Any] | None) -> dict[str, Any]:
    entry: dict[str, Any] = ({k: path[k] for k in ("path", "pathType") if k in path} if isinstance(path, dict)
                             else {"path": path})
    if backend is not None:
        entry["backend"] = _copy(backend)
    return entry


def _fill_hpa(body: dict[str, Any], unread: set[ValuePath], text: str, values: Mapping[str, Any],
              name: str) -> None:
    """Replica bounds and CPU/memory targets from autoscaling.* (helm create) or autoscaling.hpa.* (Bitnami)."""
    spec = body.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    for prefix in ("autoscaling", "autoscaling.hpa"):
        _, settings = _lookup(values, prefix.split("."))
        if not isinstance(settings, dict):
            continue
        for key in ("minReplicas", "maxReplicas"):
            if ("spec", key) in unread and key not in spec and _mentions(text, f"{prefix}.{key}") \
                    and isinstance(settings.get(key), int):
                spec[key] = settings[key]
        if ("spec", "metrics") in unread and "metrics" not in spec:
            metrics = _hpa_metrics(settings, text, prefix)
            if metrics:
                spec["metrics"] = metrics
    scale_target = spec.get("scaleTargetRef")
    if isinstance(scale_target, dict) and ("spec", "scaleTargetRef", "name") in unread and "name" not in scale_target:
        scale_target["name"] = name


def _hpa_metrics(settings: Mapping[str, Any], text: str, prefix: str) -> list[dict[str, Any]]:
    metrics: list[dict[str, Any]] = []
    for resource, keys in (("cpu", ("targetCPUUtilizationPercentage", "targetCPU")),
                           ("memory", ("targetMemoryUtilizationPercentage", "targetMemory"))):
        target = next((settings[k] for k in keys if _mentions(text, f"{prefix}.{k}") and settings.get(k)), None)
        if isinstance(target, int):
            metrics.append({"type": "Resource", "resource": {"name": resource, "target": {
                "type": "Utilization", "averageUtilization": target}}})
    return metrics


def _data_store(chart: HelmChart, chart_file: str, dep: HelmDependency) -> K8sObject:
    """An enabled data-store subchart as the one StatefulSet it runs, named as Bitnami names it."""
    short = dep.alias or dep.name
    name = f"{chart.name}-{short}"
    body: dict[str, Any] = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
                            "spec": {"template": {"spec": {"containers": [{"name": short, "image": dep.name}]}}}}
    return K8sObject("apps/v1", "StatefulSet", name, None, body, Loc(chart_file, dep.line), {}, f"helm:{chart.dir}")


# ---------------------------------------------------------------- small helpers


def _dir_of(path: str) -> str:
    return posixpath.dirname(path) or "."


def _join(folder: str, rel: str) -> str:
    return rel if folder in ("", ".") else f"{folder.rstrip('/')}/{rel}"


def _chart_file(chart: HelmChart, root: Path) -> str:
    for name in CHART_FILES:
        if (root / _join(chart.dir, name)).is_file():
            return _join(chart.dir, name)
    return _join(chart.dir, "Chart.yaml")


def _reason(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, without its content."""
    return exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc) or type(exc).__name__


def _too_large(value: Any) -> bool:
    """Whether a number is an int too large to print (see _MAX_INT_BITS)."""
    return isinstance(value, int) and value.bit_length() > _MAX_INT_BITS
