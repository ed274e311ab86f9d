"""The sample-infra document is the golden test: regenerating it must give the committed bytes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from archinfer.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample-infra"


def test_sample_document_is_up_to_date() -> None:
    committed = (SAMPLE / "ARCHITECTURE.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(SAMPLE), "-o", "-", "--quiet"])
    assert result.exit_code == 0, result.output
    fresh = result.stdout
    # A fresh render equals the committed file: regenerate with `archinfer scan sample-infra` and commit.
    assert fresh == committed


def test_check_passes_on_the_committed_document() -> None:
    result = CliRunner().invoke(app, ["check", str(SAMPLE), "--quiet"])
    assert result.exit_code == 0, result.output


def test_sample_document_states_the_seed_components_for_both_environments() -> None:
    text = (SAMPLE / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for needle in ("Azure Kubernetes Service (AKS)", "Azure Database for PostgreSQL Flexible Server", "Azure Cache for Redis",
                   "SKU Premium", "Azure Service Bus", "Azure Application Gateway", "Azure WAF policy", "Azure Key Vault",
                   "Azure Log Analytics workspace", "Azure Application Insights", "Azure Container Registry (ACR)",
                   "Azure Virtual Network", "Private Endpoint", "terraform/envs/dev", "terraform/envs/prod",
                   "모드 Prevention", "모드 Detection", "GP_Standard_D4s_v3", "B_Standard_B1ms", "ZoneRedundant"):
        assert needle in text, needle
    # No template placeholder survives where a fact belongs.
    generated = text.split("<!-- archinfer:begin 7.1.2 -->", 1)[1].split("<!-- archinfer:end 7.1.2", 1)[0]
    assert "Azure/AWS/GCP" not in generated


def test_sample_document_names_environments_and_draws_both_per_environment() -> None:
    text = (SAMPLE / "ARCHITECTURE.md").read_text(encoding="utf-8")
    coverage = text.split("<!-- archinfer:begin archinfer -->", 1)[1].split("<!-- archinfer:end archinfer", 1)[0]
    for source in ("GitHub Actions job", "Argo CD Application evtmkt-prod", "kustomize k8s/overlays/prod", "Terraform terraform/envs/prod"):
        assert source in coverage, source
    for env in ("dev", "prod"):
        assert f"**물리 아키텍처: {env}**" in text
        assert f"**네트워크 토폴로지: terraform/envs/{env}**" in text
    assert "**환경별 비교 (dev / prod)**" in text
    assert "| Azure Database for PostgreSQL Flexible Server `psql-evtmkt-*` | sku | B_Standard_B1ms" in text
    assert "-->" in text.split("**네트워크 토폴로지: terraform/envs/prod**", 1)[1].split("```", 2)[1]  # egress and endpoints drawn
