"""End to end on a copy of sample-infra: people write prose, the infrastructure changes, the document follows."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from archinfer.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample-infra"
runner = CliRunner()
CACHE = '''
resource "azurerm_redis_cache" "sessions" {
  name                = "redis-evtmkt-prod-sessions"
  location            = "koreacentral"
  resource_group_name = "rg-evtmkt-prod"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}
'''


def _drop_analytics(root: Path) -> None:
    """Remove the analytics service the way a team would: its manifests and every reference to it."""
    k8s = root / "k8s"
    shutil.rmtree(k8s / "base" / "analytics-service")
    base = k8s / "base" / "kustomization.yaml"
    base.write_text("".join(l for l in base.read_text().splitlines(True) if "analytics-service/" not in l))
    for path in [k8s / "base" / "ingress.yaml", k8s / "overlays" / "dev" / "patches" / "ingress-host.yaml"]:
        docs = list(yaml.safe_load_all(path.read_text()))
        for doc in docs:
            for rule in doc["spec"]["rules"]:
                rule["http"]["paths"] = [p for p in rule["http"]["paths"] if "analytics" not in p["path"]]
        path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    for path in list((k8s / "overlays").glob("*/patches/*.yaml")) + [k8s / "overlays" / "prod" / "hpa.yaml"]:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d and "analytics" not in d["metadata"]["name"]]
        path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    for overlay in ("dev", "prod"):
        path = k8s / "overlays" / overlay / "kustomization.yaml"
        data = yaml.safe_load(path.read_text())
        data["images"] = [i for i in data["images"] if "analytics" not in i["name"]]
        data["replicas"] = [r for r in data["replicas"] if "analytics" not in r["name"]]
        path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_prose_survives_and_the_document_follows_three_infrastructure_changes(tmp_path: Path) -> None:
    root = tmp_path / "sample-infra"
    shutil.copytree(SAMPLE, root)
    doc = root / "ARCHITECTURE.md"
    assert runner.invoke(app, ["check", str(root), "-q"]).exit_code == 0

    # People write: a business section and a note between two generated regions.
    text = doc.read_text(encoding="utf-8")
    text = text.replace("- **비즈니스 목적**: \n", "- **비즈니스 목적**: 이벤트 마케팅 캠페인 자동화\n", 1)
    end_721 = next(line for line in text.splitlines() if line.startswith("<!-- archinfer:end 7.2.1 "))
    note = "\n> 메모: 노드 풀 크기는 분기마다 검토합니다. | 표 문법도 그대로.\n"
    text = text.replace(end_721 + "\n", end_721 + "\n" + note, 1)
    doc.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["check", str(root), "-q"]).exit_code == 0  # prose outside regions is not staleness

    # The infrastructure changes: a cache added, a node pool resized, a service removed.
    with (root / "terraform/envs/prod/main.tf").open("a", encoding="utf-8") as main_tf:
        main_tf.write(CACHE)
    with (root / "terraform/envs/prod/terraform.tfvars").open("a", encoding="utf-8") as tfvars:
        tfvars.write('\naks_vm_sizes = {\n  system = "Standard_D2s_v5"\n  user   = "Standard_D8s_v5"\n}\n')
    _drop_analytics(root)

    check = runner.invoke(app, ["check", str(root), "-q"])
    assert check.exit_code == 1
    diff = runner.invoke(app, ["diff", str(root)])
    assert diff.exit_code == 0, diff.output
    changes = [line for line in diff.stdout.splitlines() if line.startswith("- ")]
    assert any("redis-evtmkt-prod-sessions added" in c and "`terraform/envs/prod/main.tf:" in c for c in changes), changes
    assert any("AKS node pool user vm_size Standard_D4s_v5 -&gt; Standard_D8s_v5" in c or
               "AKS node pool user vm_size Standard_D4s_v5 -> Standard_D8s_v5" in c for c in changes), changes
    for overlay in ("dev", "prod"):  # one removal in the base shows in both environments, once each
        assert any(f"k8s/overlays/{overlay} · analytics-service (Deployment, " in c and c.split(")")[1].startswith(" removed")
                   for c in changes), changes
    assert len(changes) == 4, changes  # the three changes, the removal once per environment, nothing else

    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    after = doc.read_text(encoding="utf-8")
    assert "- **비즈니스 목적**: 이벤트 마케팅 캠페인 자동화\n" in after
    assert end_721.split(" sum=")[0] in after and note in after
    compute = after.split("<!-- archinfer:begin 7.2.1 -->")[1].split("<!-- archinfer:end 7.2.1")[0]
    assert "Standard_D8s_v5" in compute and "analytics-service" not in compute
    assert "redis-evtmkt-prod-sessions" in after.split("<!-- archinfer:begin 8.2.1 -->")[1].split("<!-- archinfer:end 8.2.1")[0]
    history = after.split("## 문서 이력")[1]
    assert history.count("| v1.1 |") == 1 and "| v1.2 |" not in history
    assert runner.invoke(app, ["check", str(root), "-q"]).exit_code == 0
    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    assert doc.read_text(encoding="utf-8") == after  # idempotent: no second history row
