"""Both cores and the cache change nothing but the time: the same facts, diagnostics and document."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from archinfer import scan
from archinfer.cache import FORMAT, Cache
from archinfer.model import CollectResult
from archinfer.render import render_regions

SAMPLE = Path(__file__).resolve().parents[1] / "sample-infra"
NASTY = Path(__file__).resolve().parent / "nasty"


def snapshot(collected: CollectResult) -> str:
    """Everything collect returned, data included (Fact equality ignores data)."""
    return repr([(f.kind, f.loc, f.data) for f in collected.facts]) + repr(collected.files) + repr(collected.diagnostics)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample-infra plus the nasty corpus: good files, broken files, odd encodings."""
    root = tmp_path_factory.mktemp("corpus") / "repo"
    shutil.copytree(SAMPLE, root)
    shutil.copytree(NASTY, root / "nasty")
    return root


def test_parallel_collect_is_identical_to_serial(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = scan.collect(corpus, jobs=1)
    monkeypatch.setattr(scan, "_POOL_MIN_BYTES", 0)  # use the pool even for this small tree
    calls: list[int] = []
    real = scan._in_pool
    monkeypatch.setattr(scan, "_in_pool", lambda work, limits, jobs, cache, pool, submitted=None: calls.append(len(work)) or real(work, limits, jobs, cache, pool, submitted))
    parallel = scan.collect(corpus, jobs=2)
    assert calls and calls[0] > 100, "the pool was not used"
    assert snapshot(parallel) == snapshot(serial)


def test_chunks_keep_order_and_balance_bytes() -> None:
    work = [(f"f{i}", "terraform", b"x" * (i % 7 + 1) * 100, "") for i in range(100)]
    chunks = scan._chunks(work, 8)
    assert [item for chunk in chunks for item in chunk] == work
    sizes = [sum(len(d) for _, _, d, _ in chunk) for chunk in chunks]
    target = sum(sizes) / 8
    assert 7 <= len(chunks) <= 9 and all(0.8 * target <= size <= target + 700 for size in sizes[:-1])


def test_cached_collect_is_identical_and_parses_nothing_the_second_time(corpus: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    expected = snapshot(scan.collect(corpus))
    first = Cache(tmp_path / "cache")
    assert snapshot(scan.collect(corpus, cache=first)) == expected
    assert first.hits == 0 and first.misses > 100 and not first.problems
    parsed: list[str] = []
    real = scan._parse_file
    monkeypatch.setattr(scan, "_parse_file", lambda rel, *a: parsed.append(rel) or real(rel, *a))
    second = Cache(tmp_path / "cache")
    # (pool workers write the same entries: see test_pool_workers_fill_the_cache_and_report_its_problems)
    assert snapshot(scan.collect(corpus, cache=second)) == expected
    assert parsed == [] and second.misses == 0 and second.hits == first.misses


def test_a_changed_file_is_parsed_again_and_only_it(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    scan.collect(root, cache=Cache(tmp_path / "cache"))
    main = root / "terraform/envs/prod/main.tf"
    main.write_text(main.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    parsed: list[str] = []
    real = scan._parse_file
    monkeypatch.setattr(scan, "_parse_file", lambda rel, *a: parsed.append(rel) or real(rel, *a))
    cache = Cache(tmp_path / "cache")
    result = scan.collect(root, cache=cache)
    assert parsed == ["terraform/envs/prod/main.tf"]
    assert snapshot(result) == snapshot(scan.collect(root))


@pytest.mark.parametrize("damage", ["truncate", "foreign", "hostile", "garbage-after-header"])
def test_a_corrupt_or_hostile_cache_is_ignored_with_a_problem(damage: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE / "terraform", root)
    expected = snapshot(scan.collect(root))
    scan.collect(root, cache=Cache(tmp_path / "cache"))
    marker = tmp_path / "PWNED"
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "foreign":
            entry.write_bytes(b"not ours at all")
        elif damage == "hostile":
            entry.write_bytes(FORMAT + pickle.dumps(_Hostile(str(marker))))
        else:
            entry.write_bytes(FORMAT + b"\x00garbage")
    cache = Cache(tmp_path / "cache")
    assert snapshot(scan.collect(root, cache=cache)) == expected
    assert len(cache.problems) == 1 and "ignored" in cache.problems[0] and "more entries" in cache.problems[0]
    assert not marker.exists(), "a cache entry ran code"


class _Hostile:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.path}",))


def test_an_unwritable_cache_folder_does_not_fail_the_scan(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    cache = Cache(blocker / "cache")  # a folder under a file cannot be created
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE / "terraform", root)
    assert snapshot(scan.collect(root, cache=cache)) == snapshot(scan.collect(root))
    assert len(cache.problems) == 1 and "cannot write the cache" in cache.problems[0] and "more entries" in cache.problems[0]


def test_parallel_and_cached_document_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "_POOL_MIN_BYTES", 0)
    serial = scan.analyze(SAMPLE, "ko")
    fast = scan.analyze(SAMPLE, "ko", jobs=2, cache=Cache(tmp_path / "cache"))
    again = scan.analyze(SAMPLE, "ko", jobs=2, cache=Cache(tmp_path / "cache"))
    expected = render_regions(serial.views, "ko", None)
    assert render_regions(fast.views, "ko", None) == expected == render_regions(again.views, "ko", None)
    assert fast.state == serial.state == again.state and fast.diagnostics == serial.diagnostics == again.diagnostics


# ----------------------------------------------------------------------------------------------
# The whole result reused when nothing changed (archinfer/reuse.py through the CLI)

from typer.testing import CliRunner  # noqa: E402

from archinfer.cli import app  # noqa: E402

GENERATOR_TREE = {
    "main.tf": 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "c" {\n  name = "redis-demo"\n}\n',
    "k/kustomization.yaml": "resources: [d.yaml]\nconfigMapGenerator:\n  - name: app\n    files: [app.properties]\n",
    "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: web\n          image: nginx:1.27\n          envFrom:\n"
                "            - configMapRef: {name: app}\n",
    "k/app.properties": "REDIS_HOST=redis-demo.redis.cache.windows.net\n",
    "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "c/values.yaml": "replicas: 2\n",
    "c/templates/_helpers.tpl": '{{- define "c.image" -}}nginx:1.25{{- end -}}\n',
    "c/templates/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chart-web\nspec:\n  replicas: "
                          "{{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n"
                          "        - name: web\n          image: {{ include \"c.image\" . }}\n",
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def scan_document(root: Path, cache: Path, *extra: str) -> str:
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--lang", "en", "--cache-dir", str(cache), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_unchanged_tree_reuses_the_whole_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    write_tree(root, GENERATOR_TREE)
    first = scan_document(root, tmp_path / "cache")
    monkeypatch.setattr(scan, "analyze", lambda *a, **k: pytest.fail("analyzed again although nothing changed"))
    assert scan_document(root, tmp_path / "cache") == first


@pytest.mark.parametrize("change", [
    pytest.param(("k/app.properties", "REDIS_HOST=other.redis.cache.windows.net\n"), id="file-read-by-a-kustomize-generator"),
    pytest.param(("c/templates/_helpers.tpl", '{{- define "c.image" -}}nginx:1.27{{- end -}}\n'), id="helm-helper"),
    pytest.param(("c/values.yaml", "replicas: 3\n"), id="values"),
    pytest.param(("new.tf", 'resource "azurerm_storage_account" "s" {\n  name = "stnew"\n}\n'), id="new-terraform-file"),
    pytest.param(("k/kustomization.yml", "resources: [d.yaml]\n"), id="second-kustomization-name-appears"),
])
def test_any_changed_input_recomputes(change: tuple[str, str], tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(root, GENERATOR_TREE)
    scan_document(root, tmp_path / "cache")
    rel, text = change
    write_tree(root, {rel: text})
    assert scan_document(root, tmp_path / "cache") == scan_document(root, tmp_path / "fresh-cache", "--no-cache")


def test_a_removed_file_recomputes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(root, GENERATOR_TREE)
    scan_document(root, tmp_path / "cache")
    (root / "k" / "app.properties").unlink()
    assert scan_document(root, tmp_path / "cache") == scan_document(root, tmp_path / "cache2", "--no-cache")


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(root, GENERATOR_TREE)
    scan_document(root, tmp_path / "cache", "--no-cache")
    assert not (tmp_path / "cache").exists()


def test_pool_workers_fill_the_cache_and_report_its_problems(corpus: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "_POOL_MIN_BYTES", 0)
    first = Cache(tmp_path / "cache")
    expected = snapshot(scan.collect(corpus, jobs=2, cache=first))
    second = Cache(tmp_path / "cache")
    assert snapshot(scan.collect(corpus, jobs=2, cache=second)) == expected
    assert second.misses == 0 and second.hits > 100
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    broken = Cache(blocker / "cache")
    scan.collect(corpus, jobs=2, cache=broken)
    assert len(broken.problems) == 1 and "cannot write the cache" in broken.problems[0]


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path: Path) -> None:
    import time

    from archinfer.cache import MAX_IDLE_DAYS

    root = tmp_path / "repo"
    shutil.copytree(SAMPLE / "terraform", root)
    scan.collect(root, cache=Cache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache").rglob("*.pickle"))
    old, used = entries[: len(entries) // 2], entries[len(entries) // 2:]
    now = time.time()
    for entry in old:
        os.utime(entry, (now - (MAX_IDLE_DAYS + 1) * 86400,) * 2)
    assert Cache(tmp_path / "cache").prune(now) == len(old)
    assert sorted((tmp_path / "cache").rglob("*.pickle")) == used
    for entry in used:
        os.utime(entry, (now - (MAX_IDLE_DAYS + 1) * 86400,) * 2)
    assert Cache(tmp_path / "cache").prune(now + 3600) == 0  # pruned an hour ago: not again today
    cache = Cache(tmp_path / "cache")
    scan.collect(root, cache=cache)  # a hit makes an entry recent again
    assert cache.hits == len(used) and Cache(tmp_path / "cache").prune(now + 25 * 3600) == 0
