"""Walking the tree: bad files become diagnostics naming the file (and line), and the scan goes on."""

from __future__ import annotations

import os
from pathlib import Path

from archinfer.model import Severity
from archinfer.scan import Limits, collect, decode, walk
from tests.conftest import Tree

GOOD = 'provider "azurerm" {\n  features {}\n}\n'


def messages(root: Path, limits: Limits = Limits()) -> dict[str, str]:
    return {d.loc.path: d.message for d in collect(root, limits).diagnostics}


def test_binary_invalid_utf8_and_huge_files_are_skipped_with_a_reason(tree: Tree) -> None:
    root = tree({"good.tf": GOOD, "nul.tf": b"resource \x00", "latin1.tf": b"# caf\xe9\nx = 1\n",
                 "big.tf": "# " + "x" * 200 + "\n"})
    result = collect(root, Limits(max_file_bytes=100))
    found = messages(root, Limits(max_file_bytes=100))
    assert "NUL byte" in found["nul.tf"]
    assert "not UTF-8" in found["latin1.tf"]
    assert "larger than 100 bytes" in found["big.tf"]
    latin = [d for d in result.diagnostics if d.loc.path == "latin1.tf"][0]
    assert latin.loc.line == 1
    assert [f.path for f in result.files if f.status == "parsed"] == ["good.tf"]


def test_utf16_and_bom_are_read(tree: Tree) -> None:
    assert decode("\ufeffx = 1\n".encode("utf-8")) == "x = 1\n"
    assert decode("x = 1\n".encode("utf-16")) == "x = 1\n"
    root = tree({"a.tf": GOOD.encode("utf-16"), "b.tf": b"\xef\xbb\xbf" + GOOD.encode()})
    assert all(f.status == "parsed" for f in collect(root).files)


def test_symlinks_are_never_followed(tree: Tree, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text(GOOD, encoding="utf-8")
    root = tree({"main.tf": GOOD})
    os.symlink(outside / "secret.tf", root / "link.tf")
    os.symlink(outside, root / "linkdir")
    os.symlink(root, root / "loop")
    assert "linkdir/secret.tf" not in walk(root)
    result = collect(root)
    assert [f.path for f in result.files if f.status == "parsed"] == ["main.tf"]
    assert any(d.loc.path == "link.tf" and d.severity is Severity.INFO for d in result.diagnostics)


def test_unreadable_file(tree: Tree) -> None:
    root = tree({"main.tf": GOOD, "locked.tf": GOOD})
    (root / "locked.tf").chmod(0)
    try:
        if os.access(root / "locked.tf", os.R_OK):  # root ignores permissions: nothing to test
            return
        assert "cannot read" in messages(root)["locked.tf"]
    finally:
        (root / "locked.tf").chmod(0o644)


def test_tool_state_folders_are_skipped(tree: Tree) -> None:
    root = tree({"main.tf": GOOD, ".terraform/modules/x/main.tf": GOOD, ".git/config.tf": GOOD})
    assert walk(root) == ["main.tf"]


def _boom(*args: object, **kwargs: object) -> None:
    raise ValueError("hunter2-internal")  # an exception text that quotes a secret


def test_one_failing_overlay_chart_or_deployment_does_not_end_the_scan(tree: Tree) -> None:
    """A bug in one kustomize build, Helm render or Terraform deployment is a diagnostic; the others go on."""
    from unittest import mock

    from archinfer.collectors import helm, kustomize
    from archinfer.infer import terraform
    from archinfer.scan import analyze

    deploy = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n"
              "      containers:\n        - name: a\n          image: nginx:1\n")
    root = tree({"a/kustomization.yaml": "resources: [d.yaml]\n", "a/d.yaml": deploy.format(name="web-a"),
                 "b/kustomization.yaml": "resources: [d.yaml]\n", "b/d.yaml": deploy.format(name="web-b"),
                 "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n", "c/templates/d.yaml": deploy.format(name="web-c"),
                 "envs/dev/main.tf": GOOD, "envs/prod/main.tf": GOOD})
    real_build, real_run = kustomize.build, terraform._Evaluator.run_module

    def build(overlay: str, read_text: object, limits: object, parsed: object) -> object:
        return _boom() if overlay == "a" else real_build(overlay, read_text, limits, parsed)  # type: ignore[arg-type]

    def run_module(self: terraform._Evaluator, mod: object) -> None:
        return _boom() if self.deployment.root == "envs/dev" else real_run(self, mod)  # type: ignore[arg-type]

    with mock.patch.object(kustomize, "build", build), mock.patch.object(helm, "render", _boom), \
            mock.patch.object(terraform._Evaluator, "run_module", run_module):
        analysis = analyze(root, "en")
    errors = {d.loc.path: d.message for d in analysis.diagnostics if d.severity is Severity.ERROR}
    assert "kustomize build of a: ValueError at " in errors["a/kustomization.yaml"]
    assert "rendering c: ValueError" in errors["c/Chart.yaml"]
    assert "Terraform evaluation of" in errors["envs/dev"]
    assert not any("hunter2" in str(d) for d in analysis.diagnostics)
    built = [f.data.overlay for f in analysis.collected.facts if f.kind == "kustomize.build"]
    assert built == ["b"]
    assert {d.root for d in analysis.inputs.model.deployments} == {"envs/dev", "envs/prod"}  # type: ignore[union-attr]


def test_a_scan_that_reads_nothing_useful_says_so_on_the_terminal_and_in_the_document(tree: Tree) -> None:
    from typer.testing import CliRunner

    from archinfer.cli import app

    root = tree({"docs/readme.md": "# hi\n", "broken.tf": "resource {\n", "k8s/notes.yaml": "a: 1\n"})
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--lang", "en"])
    assert result.exit_code == 0
    assert "warning: no infrastructure code was read under this path" in result.stderr
    assert "no infrastructure code could be read under the scanned path" in result.stdout
    strict = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--strict"])
    assert strict.exit_code == 1
