"""Project configuration (.archinfer.toml / [tool.archinfer]) and user templates; flags win, unknown keys fail."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from archinfer.cli import app
from tests.conftest import Tree

runner = CliRunner()
MAIN = 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "c" {\n  name     = "redis-demo"\n  sku_name = "Basic"\n}\n'


def test_config_sets_output_language_and_ignores(tree: Tree) -> None:
    root = tree({
        "main.tf": MAIN,
        "examples/x/main.tf": MAIN.replace("redis-demo", "redis-example"),
        ".archinfer.toml": 'output = "docs/architecture.md"\nlang = "en"\nignore = ["examples/*"]\n',
    })
    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    text = (root / "docs/architecture.md").read_text(encoding="utf-8")
    assert text.startswith("# High Level Architecture Definition")
    assert "redis-demo" in text and "redis-example" not in text
    assert runner.invoke(app, ["check", str(root), "-q"]).exit_code == 0
    # A flag wins over the file.
    assert runner.invoke(app, ["scan", str(root), "-o", "-", "--lang", "ko", "-q"]).stdout.startswith("# High Level 아키텍처")


def test_pyproject_table_and_unknown_keys(tree: Tree) -> None:
    root = tree({"main.tf": MAIN, "pyproject.toml": '[tool.archinfer]\nlang = "en"\n'})
    assert runner.invoke(app, ["scan", str(root), "-o", "-", "-q"]).stdout.startswith("# High Level Architecture Definition")
    bad = tree({"main.tf": MAIN, ".archinfer.toml": 'outptu = "x.md"\n'})
    result = runner.invoke(app, ["scan", str(bad)])
    assert result.exit_code == 2 and "unknown key(s) outptu" in result.stderr
    assert runner.invoke(app, ["scan", str(tree({".archinfer.toml": 'lang = "fr"\n'}))]).exit_code == 2


def test_user_templates_override_a_section_in_a_sandbox(tree: Tree) -> None:
    root = tree({
        "main.tf": MAIN,
        ".archinfer.toml": 'templates = "doc-templates"\n',
        "doc-templates/sections/8.2.1.md.j2": "Our stores: {% for b in view.blocks %}{{ b.headers | join(',') }}{% endfor %}\n",
    })
    text = runner.invoke(app, ["scan", str(root), "-o", "-", "-q"]).stdout
    assert "Our stores: 용도,데이터베이스,타입,특징" in text
    evil = tree({
        "main.tf": MAIN,
        ".archinfer.toml": 'templates = "t"\n',
        "t/sections/8.2.1.md.j2": "{{ view.__class__.__mro__ }}\n",
    })
    result = runner.invoke(app, ["scan", str(evil), "-o", "-", "-q"])
    assert result.exit_code == 2 and "SecurityError" in result.stderr and "8.2.1.md.j2" in result.stderr


def test_limits_come_from_the_config_file_and_bound_the_scan(tmp_path: Path) -> None:
    """[limits] overrides the defaults: a small max_file_bytes skips the file, a small max_yaml_aliases refuses it."""
    from typer.testing import CliRunner

    from archinfer.cli import app

    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "main.tf").write_text('provider "azurerm" {\n  features {}\n}\n' + "# padding\n" * 50, encoding="utf-8")
    (root / "k8s" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
                                          "data: &d {a: b}\nother: [*d, *d, *d]\n", encoding="utf-8")
    (root / ".archinfer.toml").write_text("[limits]\nmax_file_bytes = 200\nmax_yaml_aliases = 2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "main.tf: warning: file larger than 200 bytes skipped" in result.stderr
    assert "k8s/cm.yaml" in result.stderr and "limit max_yaml_aliases = 2" in result.stderr
    (root / ".archinfer.toml").write_text("[limits]\nmax_fact = 3\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["scan", str(root), "-o", "-"])
    assert bad.exit_code == 2 and "unknown limit(s) max_fact" in bad.stderr
    (root / ".archinfer.toml").write_text("[limits]\nmax_facts = 0\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["scan", str(root), "-o", "-"]).exit_code == 2


def test_max_facts_stops_reading_and_says_so(tmp_path: Path) -> None:
    from archinfer.model import Limits
    from archinfer.scan import collect

    root = tmp_path / "repo"
    root.mkdir()
    for i in range(5):
        (root / f"m{i}.tf").write_text(f'resource "azurerm_resource_group" "r{i}" {{\n  name = "rg{i}"\n}}\n', encoding="utf-8")
    result = collect(root, Limits(max_facts=2))
    assert [f.path for f in result.files if f.status == "parsed"] == ["m0.tf", "m1.tf"]
    assert any("m2.tf" == d.loc.path and "2 more were not read" in d.message and "max_facts" in d.message
               for d in result.diagnostics)
