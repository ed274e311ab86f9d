"""Every Mermaid diagram archinfer writes renders in mermaid-cli (headless Chromium): the sample and the fixtures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archinfer.render import render_document
from archinfer.scan import analyze
from tests.conftest import Tree
from tests.infer.test_cluster import APP

ROOT = Path(__file__).resolve().parent.parent
MMDC = shutil.which("mmdc")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _render_all(text: str, tmp_path: Path) -> None:
    if not (MMDC and CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must install mermaid-cli and Chromium (scripts/test.sh does)")
        pytest.skip("mermaid-cli or Chromium not installed (scripts/test.sh installs them)")
    blocks = _mermaid_blocks(text)
    assert blocks, "no diagram to render"
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}), encoding="utf-8")
    source = tmp_path / "doc.md"
    source.write_text(text, encoding="utf-8")
    proc = subprocess.run([MMDC, "-p", str(config), "-i", str(source), "-o", str(tmp_path / "out.md")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list(tmp_path.glob("out-*.svg"))) == len(blocks)


def test_sample_document_diagrams_render(tmp_path: Path) -> None:
    _render_all((ROOT / "sample-infra" / "ARCHITECTURE.md").read_text(encoding="utf-8"), tmp_path)


def test_fixture_diagrams_render_including_awkward_names(tree: Tree, tmp_path: Path) -> None:
    root = tree({
        "k8s/app.yaml": APP,
        "main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n'
                   '  name   = "vpc \\"quoted\\" (x) [y] {z} <b>"\n  cidr   = "10.0.0.0/16"\n}\n',
    })
    text = render_document(analyze(root).views, "en")
    _render_all(text, tmp_path)
