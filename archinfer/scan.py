"""Walk a tree, hand each file to the collector that reads it, and gather facts and diagnostics."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import os
import posixpath
import queue
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol

from .collectors.secrets import KIND_WITHHELD
from .model import CollectResult, Diagnostic, Fact, FileReport, Limits, Loc, Severity, internal_error

if TYPE_CHECKING:
    from .cache import Cache
    from .collectors.registry import Collector
    from .infer.inputs import Inputs
    from .infer.state import Entry
    from .infer.view import SectionView

# Folders that hold tool state, vendored code or caches, never the team's own infrastructure.
SKIP_DIRS = frozenset({".git", ".terraform", ".terragrunt-cache", "node_modules", ".venv", "__pycache__",
                       ".idea", ".vscode"})


class Progress(Protocol):
    """Told how many files there are and when each is done (the CLI's progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, rel: str) -> None: ...

    def done(self) -> None: ...


def walk(root: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """Regular files under root as sorted POSIX paths relative to root; links are never followed.

    `ignore` holds glob patterns (fnmatch: `*` also crosses `/`) matched against each relative path.
    """
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if not any(fnmatch.fnmatchcase(rel, pattern) for pattern in ignore):
                found.append(rel)
    return sorted(found)


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) or UTF-16 with BOM; raises UnicodeDecodeError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1,
                                 "NUL byte: binary file")
    return data.decode("utf-8")


def collect(root: Path, limits: Limits = Limits(), jobs: int = 1, cache: "Cache | None" = None,
            progress: "Progress | None" = None) -> CollectResult:
    """Run every collector over the tree; a file that fails is reported and the rest goes on.

    `jobs` > 1 parses in that many processes (the result is the same as with one); `cache` reuses what an
    earlier scan parsed from the same content.
    """
    from .collectors.registry import collectors  # here, not at the top: `check` with a cached result needs none

    registry = collectors()
    facts: list[Fact] = []
    files: list[FileReport] = []
    diagnostics: list[Diagnostic] = []
    paths = walk(root, limits.ignore)
    picked = [(rel, c) for rel in paths if (c := _pick(registry, rel)) is not None]
    if progress is not None:
        progress.start(len(picked))
    pool = _pool(jobs) if jobs > 1 and _bytes(root, picked) >= _POOL_MIN_BYTES else None
    # kustomize builds and Helm renders need only the tree: while the pool parses, a thread of this process
    # does them (started once the workers are forked; their objects never need pickling).
    side = _Side(root, paths, limits, jobs)
    with pool or contextlib.nullcontext():
        for batch in _batches(picked):
            parsed = _parse_all(root, batch, limits, jobs, cache, pool, side.start)
            for rel, (report, file_facts, file_diags) in zip([r for r, _ in batch], parsed):
                if progress is not None:
                    progress.advance(rel)
                if len(facts) >= limits.max_facts:  # the rest is listed, not read: a partial scan must say so
                    files.append(FileReport(rel, report.kind, "skipped", "limit max_facts reached"))
                    continue
                files.append(report)
                facts.extend(file_facts)
                diagnostics.extend(file_diags)
            if len(facts) >= limits.max_facts:
                files.extend(FileReport(rel, c.NAME, "skipped", "limit max_facts reached")
                             for rel, c in picked[len(files):])
                break
        more_facts, more_diags, inputs = side.result()
    unread = [f.path for f in files if f.detail == "limit max_facts reached"]
    if unread:
        diagnostics.append(Diagnostic(Loc(unread[0]), Severity.WARNING,
                                      f"this file and {len(unread) - 1} more were not read: the scan reached its limit "
                                      f"of {limits.max_facts} facts (max_facts)"))
    facts.extend(more_facts)
    diagnostics.extend(more_diags)
    inputs.update(rel for rel, _ in picked)
    if progress is not None:
        progress.done()
    return CollectResult(tuple(facts), tuple(files), tuple(sorted(diagnostics)), tuple(sorted(inputs)))


class _Side:
    """The side stages in a thread: `start` once the pool's workers exist, `result` waits (or runs them here)."""

    def __init__(self, root: Path, paths: list[str], limits: Limits, jobs: int) -> None:
        self._args = (root, paths, limits, jobs)
        self._thread: threading.Thread | None = None
        self._outcome: tuple[list[Fact], list[Diagnostic], set[str]] | BaseException | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="archinfer-kustomize-helm", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome = _side_stages(*self._args)
        except BaseException as exc:  # handed to the main thread by result()
            self._outcome = exc

    def result(self) -> tuple[list[Fact], list[Diagnostic], set[str]]:
        if self._thread is None:
            return _side_stages(*self._args)
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome


def _side_stages(root: Path, paths: list[str], limits: Limits,
                 jobs: int) -> tuple[list[Fact], list[Diagnostic], set[str]]:
    """kustomize builds and Helm renders (they read the tree themselves), and every path they asked for."""
    inputs: set[str] = set()
    read_text = reader(root, limits, inputs)
    facts: list[Fact] = []
    diagnostics: list[Diagnostic] = []
    for produce in (_kustomize, functools.partial(_helm, jobs=jobs)):
        more_facts, more_diags = produce(paths, read_text, root, limits)
        facts.extend(more_facts)
        diagnostics.extend(more_diags)
    # Helm's SDK reads whole chart folders itself (templates, helpers, .helmignore): all of them are inputs.
    chart_dirs = {posixpath.dirname(p) for p in paths if posixpath.basename(p) == "Chart.yaml"}
    inputs.update(p for p in paths if any(p.startswith(f"{d}/") or not d for d in chart_dirs))
    return facts, diagnostics, inputs


def _bytes(root: Path, picked: list[tuple[str, Collector]]) -> int:
    total = 0
    for rel, _ in picked:
        try:
            total += os.lstat(root / rel).st_size
        except OSError:
            continue
    return total


def _pool(jobs: int) -> Any:
    """A process pool of `jobs` workers, forked (they start with everything already imported)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))


# Files parsed between two checks of max_facts (in parallel: one batch is spread over the workers).
_BATCH = 2048
# Below this much text a process pool costs more than it saves.
_POOL_MIN_BYTES = 512 * 1024


def _batches(picked: list[tuple[str, Collector]]) -> Iterator[list[tuple[str, Collector]]]:
    for start in range(0, len(picked), _BATCH):
        yield picked[start : start + _BATCH]


FileResult = tuple[FileReport, list[Fact], list[Diagnostic]]


def _parse_all(root: Path, batch: list[tuple[str, Collector]], limits: Limits, jobs: int,
               cache: "Cache | None", pool: Any = None, submitted: Callable[[], None] | None = None) -> list[FileResult]:
    """Each file's result, in the batch's order: from the cache, else parsed here or in the process pool."""
    results: list[FileResult | None] = []
    todo: list[tuple[int, str, str, bytes, str]] = []  # (index, rel, collector name, bytes, cache key)
    for index, (rel, collector) in enumerate(batch):
        read = _read_file(root, rel, collector, limits)
        if not isinstance(read, bytes):
            results.append(read)
            continue
        key = _cache_key(rel, collector.NAME, read, limits) if cache is not None else ""
        cached = cache.get("parse", key) if cache is not None else None
        results.append(cached)
        if cached is None:
            todo.append((index, rel, collector.NAME, read, key))
    work = [(rel, name, data, key) for _, rel, name, data, key in todo]
    if pool is not None and len(todo) > 1:
        parsed = _in_pool(work, limits, jobs, cache, pool, submitted)
    else:
        parsed = _parse_chunk(work, limits, cache)[0]
    for (index, *_), result in zip(todo, parsed):
        results[index] = result
    return [r for r in results if r is not None]


Work = list[tuple[str, str, bytes, str]]  # (path, collector name, bytes, cache key)


def _in_pool(work: Work, limits: Limits, jobs: int, cache: "Cache | None", pool: Any,
             submitted: Callable[[], None] | None = None) -> list[FileResult]:
    """Parse in the pool, in chunks of similar total size; results come back in `work`'s order.

    The workers write their results to the cache themselves, so that pickling entries is spread over the cores.
    `submitted` runs once the work is handed over (a fork pool has forked all its workers by then).
    """
    chunks = _chunks(work, jobs * 4)
    pending = pool.map(_parse_chunk, chunks, [limits] * len(chunks), [cache] * len(chunks))
    if submitted is not None:
        submitted()
    parts = list(pending)
    if cache is not None:
        for _, worker_cache in parts:
            if worker_cache is not None:
                cache.absorb(worker_cache)
    return [result for part, _ in parts for result in part]


def _chunks(work: Work, count: int) -> list[Work]:
    """`work` cut into about `count` consecutive chunks of similar size in bytes (order kept)."""
    total = sum(len(item[2]) for item in work) or 1
    target = total / count
    chunks: list[Work] = [[]]
    filled = 0
    for item in work:
        if chunks[-1] and filled >= target:
            chunks.append([])
            filled = 0
        chunks[-1].append(item)
        filled += len(item[2])
    return chunks


def _parse_chunk(chunk: Work, limits: Limits, cache: "Cache | None") -> tuple[list[FileResult], "Cache | None"]:
    """Parse each file and keep its result in the cache; the cache comes back for its counts and problems."""
    results = []
    for rel, name, data, key in chunk:
        result = _parse_file(rel, name, data, limits)
        if cache is not None:
            cache.put("parse", key, result)
        results.append(result)
    return results, cache


def _cache_key(rel: str, collector: str, data: bytes, limits: Limits) -> str:
    from .cache import code_version, digest

    return digest(code_version(), collector, rel, repr(limits), data)


def reader(root: Path, limits: Limits, record: set[str] | None = None) -> Callable[[str], str]:
    """Read a file by relative path with the walk's rules: inside the root, no links, size limit, UTF-8/16.

    Every path asked for (found or not) is added to `record`: a file that appears later changes the result too.
    Answers are kept for the reader's life (kustomize asks for the same files once per overlay).
    """
    resolved_root = root.resolve()
    known: dict[str, str | OSError | UnicodeDecodeError] = {}

    def read_text(rel: str) -> str:
        if record is not None and ".." not in Path(rel).parts and not Path(rel).is_absolute():
            record.add(posixpath.normpath(rel))
        answer = known.get(rel)
        if answer is None:
            try:
                answer = _read_checked(root, resolved_root, rel, limits)
            except (OSError, UnicodeDecodeError) as exc:
                answer = exc
            known[rel] = answer
        if isinstance(answer, BaseException):
            raise answer.with_traceback(None)  # a fresh traceback each time, not one that grows
        return answer

    return read_text


def _read_checked(root: Path, resolved_root: Path, rel: str, limits: Limits) -> str:
    path = (root / rel)
    if ".." in Path(rel).parts or Path(rel).is_absolute():
        raise OSError(f"{rel}: outside the scanned folder")
    for parent in [path, *path.parents]:
        if parent == root or parent == resolved_root:
            break
        if parent.is_symlink():
            raise OSError(f"{rel}: symbolic link not followed")
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block the read forever
        raise OSError(f"{rel}: not a regular file")
    if info.st_size > limits.max_file_bytes:
        raise OSError(f"{rel}: larger than {limits.max_file_bytes} bytes")
    return decode(path.read_bytes())


def _kustomize(paths: list[str], read_text: Callable[[str], str], root: Path,
               limits: Limits) -> tuple[list[Fact], list[Diagnostic]]:
    """Build every top-level overlay (a kustomization no other kustomization uses) into objects."""
    from .collectors import kustomize
    from .collectors.kubernetes import K8sObject
    from .infer.kubernetes import KIND_BUILD, KustomizeBuild

    from .infer.kubernetes import KIND_KUSTOMIZATION

    files = [p for p in paths if kustomize.is_kustomization(p)]
    dirs = sorted({posixpath.dirname(p) or "." for p in files})
    if not dirs:
        return [], []
    facts: list[Fact] = [Fact(KIND_KUSTOMIZATION, Loc(p, 1), None) for p in files]
    diagnostics: list[Diagnostic] = []
    parsed: dict[str, Any] = {}  # resource files parsed once for all overlays of this scan
    first_file: dict[str, str] = {}  # folder -> its kustomization file (the first name, as kustomize looks)
    for p in files:
        first_file.setdefault(posixpath.dirname(p) or ".", p)
    for overlay in _top_level(dirs, read_text, lambda d, r: kustomize.referenced_dirs(d, r, limits)):
        if _is_component(first_file.get(overlay), read_text, limits):
            continue  # a component only means something inside an overlay that enables it
        kustomization = first_file[overlay]
        try:
            result = kustomize.build(overlay, read_text, limits, parsed)
            objects = tuple(_built_object(o, f"kustomize:{overlay}", K8sObject) for o in result.objects)
        except Exception as exc:  # one overlay must not end the scan of the others
            diagnostics.append(Diagnostic(Loc(kustomization), Severity.ERROR, internal_error(f"kustomize build of {overlay}", exc)))
            continue
        diagnostics.extend(result.diagnostics)
        facts.append(Fact(KIND_BUILD, Loc(kustomization, 1), KustomizeBuild(overlay, objects, result.files)))
    return facts, diagnostics


def _with_cluster(collected: CollectResult, options: ClusterOptions) -> CollectResult:
    """Add what a live cluster says, as objects like the manifests' (provenance cluster:context/ns/kind/name)."""
    from .collectors.live_cluster import read_cluster

    read = read_cluster(options.context, options.kubeconfig)
    report = FileReport(f"cluster:{read.context}", "cluster", "parsed" if read.facts else "error",
                        f"{len(read.facts)} objects")
    return CollectResult(collected.facts + read.facts, collected.files + (report,),
                         tuple(sorted(collected.diagnostics + read.diagnostics)))


def _helm(paths: list[str], read_text: Callable[[str], str], root: Path,
          limits: Limits, jobs: int = 1) -> tuple[list[Fact], list[Diagnostic]]:
    """Each chart (not a vendored subchart) rendered once with values.yaml and once per other values file."""
    from .collectors import helm
    from .infer.kubernetes import KIND_RENDER, HelmRender

    charts = [p for p in paths if helm.is_chart_file(p)]
    chart_dirs = {posixpath.dirname(p) or "." for p in charts}
    facts: list[Fact] = []
    diagnostics: list[Diagnostic] = []
    plan: list[Fact | tuple[str, Any, tuple[str, ...]]] = []  # chart facts, and the renders to make after each
    path_set = set(paths)
    for path in charts:
        chart_dir = posixpath.dirname(path) or "."
        if "/charts/" in f"/{chart_dir}/" and any(chart_dir.startswith(f"{d}/charts/") for d in chart_dirs):
            continue  # a subchart: rendered as part of its parent
        try:
            text = read_text(path)
            values_path = posixpath.join(chart_dir, "values.yaml") if chart_dir != "." else "values.yaml"
            values_text = read_text(values_path) if values_path in path_set else None
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.append(Diagnostic(Loc(path), Severity.WARNING, f"cannot read chart: {exc}"))
            continue
        try:
            chart, chart_diags = helm.chart_from(path, text, values_text, paths, limits)
        except Exception as exc:  # one chart must not end the scan of the others
            diagnostics.append(Diagnostic(Loc(path), Severity.ERROR, internal_error(f"reading chart {chart_dir}", exc)))
            continue
        diagnostics.extend(chart_diags)
        if chart is None:
            continue
        plan.append(Fact(helm.KIND_CHART, Loc(path, chart.line), chart))
        variants: list[list[str]] = [[]] + [[v] for v in chart.values_files if posixpath.basename(v) != "values.yaml"]
        plan.extend((path, chart, tuple(extra)) for extra in variants)

    tasks = [item for item in plan if not isinstance(item, Fact)]
    workers = max(1, min(jobs, len(tasks)))
    # Helm SDK worker processes kept for the whole scan (one per thread): starting one costs more than a render.
    sessions: queue.SimpleQueue[helm.SdkSession] = queue.SimpleQueue()
    for _ in range(workers):
        sessions.put(helm.SdkSession())

    def render(task: tuple[str, Any, tuple[str, ...]]) -> tuple[Fact | None, list[Diagnostic]]:
        path, chart, extra = task
        session = sessions.get()
        try:
            result = helm.render(chart, extra, read_text, root, limits=limits, session=session)
        except Exception as exc:
            label = " ".join([chart.dir, *extra])
            return None, [Diagnostic(Loc(path, chart.line), Severity.ERROR, internal_error(f"rendering {label}", exc))]
        finally:
            sessions.put(session)
        name = chart.dir if not extra else f"{chart.dir} ({posixpath.basename(extra[0])})"
        return (Fact(KIND_RENDER, Loc(path, chart.line),
                     HelmRender(name, chart.dir, result.variant, result.method, result.objects, result.files)),
                list(result.diagnostics))

    try:
        if workers > 1:
            # Each SDK render waits on its worker process: threads keep `jobs` of them busy at once.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=workers) as pool:
                rendered = iter(list(pool.map(render, tasks)))
        else:
            rendered = iter([render(task) for task in tasks])
    finally:
        while not sessions.empty():
            sessions.get().close()
    for item in plan:  # the order of a serial run: each chart, then its renders
        if isinstance(item, Fact):
            facts.append(item)
            continue
        fact, more = next(rendered)
        diagnostics.extend(more)
        if fact is not None:
            facts.append(fact)
    return facts, diagnostics


def _top_level(dirs: list[str], read_text: Callable[[str], str], referenced: Callable[..., set[str]]) -> list[str]:
    """Overlays to build: those no other kustomization uses, plus any caught in a cycle (the build reports it)."""
    uses = {d: referenced([d], read_text) - {d} for d in dirs}
    used = set().union(*uses.values()) if uses else set()
    top = [d for d in dirs if d not in used]
    reached, stack = set(top), list(top)
    while stack:
        for child in uses.get(stack.pop(), set()):
            if child not in reached:
                reached.add(child)
                stack.append(child)
    # A folder nothing outside a cycle reaches would otherwise never be built, and its problems never said.
    return top + [d for d in dirs if d not in reached]


def _is_component(path: str | None, read_text: Callable[[str], str], limits: Limits) -> bool:
    """`kind: Component` kustomizations only mean something inside an overlay that lists them."""
    from .collectors.yamlload import YamlError, load_documents

    if path is None:
        return False
    try:
        docs = load_documents(read_text(path), limits)
    except (OSError, UnicodeDecodeError, YamlError):
        return False  # the build reports the problem
    return bool(docs) and isinstance(docs[0].data, dict) and docs[0].data.get("kind") == "Component"


def _built_object(built: Any, source: str, factory: Any) -> Any:
    data = built.data
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    namespace = metadata.get("namespace")
    return factory(str(data.get("apiVersion", "")), str(data.get("kind", "")), str(metadata.get("name", "")),
                   str(namespace) if namespace is not None else None, data, built.origin, dict(built.lines), source)


def _pick(registry: dict[str, Collector], rel: str) -> Collector | None:
    for collector in registry.values():
        if collector.matches(rel):
            return collector
    return None


def _collect_file(root: Path, rel: str, collector: Collector, limits: Limits) -> FileResult:
    """One file read and parsed (the serial path; `collect` does the same through the cache and the pool)."""
    read = _read_file(root, rel, collector, limits)
    return _parse_file(rel, collector.NAME, read, limits) if isinstance(read, bytes) else read


def _read_file(root: Path, rel: str, collector: Collector, limits: Limits) -> bytes | FileResult:
    """The file's bytes, or the result of a file that cannot be read (a link, a FIFO, too large, unreadable)."""
    path = root / rel
    loc = Loc(rel)

    def skipped(why: str, severity: Severity = Severity.WARNING) -> FileResult:
        return FileReport(rel, collector.NAME, "skipped", why), [], [Diagnostic(loc, severity, why)]

    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return skipped("symbolic link not followed", Severity.INFO)
        if not stat.S_ISREG(info.st_mode):
            return skipped("not a regular file")
        if info.st_size > limits.max_file_bytes:
            return skipped(f"file larger than {limits.max_file_bytes} bytes skipped")
        return path.read_bytes()
    except OSError as exc:
        return skipped(f"cannot read file: {exc.strerror or exc}")


def _parse_file(rel: str, collector_name: str, data: bytes, limits: Limits) -> FileResult:
    """Decode and parse one file's bytes with the named collector (runs in pool workers too)."""
    from .collectors.registry import collectors

    collector = collectors()[collector_name]
    loc = Loc(rel)
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (FileReport(rel, collector.NAME, "skipped", "not UTF-8 text"), [],
                [Diagnostic(Loc(rel, line), Severity.WARNING, f"not UTF-8 text ({exc.reason}); file skipped")])
    withheld = _withheld(rel, text)
    try:
        file_facts, file_diags = collector.collect(rel, text, limits)
    except Exception as exc:  # a collector bug must not end the scan; say where it happened
        return (FileReport(rel, collector.NAME, "error", type(exc).__name__), withheld,
                [Diagnostic(loc, Severity.ERROR, internal_error(f"the {collector.NAME} collector", exc))])
    # A file that said only what is wrong with it (a YAML parse error is a warning: the file may not be
    # infrastructure at all) was not read.
    failed = not file_facts and any(d.severity is not Severity.INFO for d in file_diags)
    # A YAML file that is neither manifest nor pipeline was read but says nothing about infrastructure.
    status = "error" if failed else "parsed" if file_facts or file_diags or collector.NAME != "yaml" else "ignored"
    known = {f.loc for f in file_facts if f.kind == KIND_WITHHELD}
    return FileReport(rel, collector.NAME, status), file_facts + [f for f in withheld if f.loc not in known], file_diags


def _withheld(rel: str, text: str) -> list[Fact]:
    """Where the file holds secrets (even a file its collector cannot read), for the redaction report."""
    from .collectors.secrets import sweep

    try:
        return sweep(rel, text)
    except Exception:  # the report is best effort; the output's own redaction pass still runs
        return []


@dataclass(frozen=True)
class Analysis:
    """A scanned tree: what was collected, and one view per generated region."""

    collected: CollectResult
    views: dict[str, "SectionView"]
    diagnostics: tuple[Diagnostic, ...]
    state: tuple["Entry", ...] = ()  # the inferred architecture as comparable entries (for diff and history)
    inputs: "Inputs | None" = None  # the model the views were built from (JSON output reuses it)


@dataclass(frozen=True)
class ClusterOptions:
    """Read a live cluster too: kubeconfig context (None: current) and kubeconfig file (None: default)."""

    context: str | None = None
    kubeconfig: str | None = None


def analyze(root: Path, lang: str = "ko", limits: Limits = Limits(), cluster: ClusterOptions | None = None,
            label: str | None = None, jobs: int = 1, cache: "Cache | None" = None,
            progress: Progress | None = None) -> Analysis:
    """Collect, evaluate and infer: the whole read-only half of a scan; `label` names a root at `root` itself."""
    with without_gc():
        return _analyze(root, lang, limits, cluster, label, jobs, cache, progress)


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """The cycle collector off while a scan builds its (acyclic, ever-growing) facts and views.

    Each full collection walks every object built so far: on a 30 MB corpus that was 40 % of the scan.
    Reference counting still frees everything that is not in a cycle; one collection at the end does the rest.
    """
    enabled = gc.isenabled()  # nested uses leave it as the outer one found it
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze(root: Path, lang: str, limits: Limits, cluster: ClusterOptions | None, label: str | None, jobs: int,
             cache: "Cache | None", progress: Progress | None) -> Analysis:
    from .infer.components import components
    from .infer.inputs import Inputs
    from .infer.kubernetes import k8s_sets, workloads
    from .infer.sections import build_document
    from .infer.state import architecture_state
    from .infer.terraform import evaluate

    collected = collect(root, limits, jobs, cache, progress)
    if cluster is not None:
        collected = _with_cluster(collected, cluster)
    model = evaluate(collected.facts, label or root.resolve().name or ".", limits.max_eval_steps)
    sets = k8s_sets(collected.facts)
    inputs = Inputs(model, components(model), lang, sets, tuple(w for s in sets for w in workloads(s)),
                    tuple(f for f in collected.facts if f.kind == "ci.pipeline"),
                    tuple(f for f in collected.facts if f.kind == "docker.image"),
                    tuple(f for f in collected.facts if f.kind == "helm.chart"))
    built = build_document(inputs, collected)  # a view that fails becomes a note and an error, not a crash
    empty = () if collected.read_infrastructure() else (Diagnostic(
        Loc("."), Severity.WARNING, "no infrastructure code was read under this path (nothing parsed): "
                                    "every generated section is empty"),)
    diagnostics = tuple(sorted(set(collected.diagnostics) | set(model.diagnostics) | set(built.diagnostics) | set(empty)))
    return Analysis(collected, built.views, diagnostics, architecture_state(inputs), inputs)
