"""Terraform and tfvars collectors: one fact per block with its line; a broken file is one diagnostic."""

from __future__ import annotations

from archinfer.collectors import terraform, tfvars
from archinfer.model import Loc, Severity


def test_every_top_level_block_is_a_fact_with_its_line() -> None:
    text = 'terraform {\n}\n\nprovider "azurerm" {\n  features {}\n}\n\nresource "a_b" "c" {}\nmodule "m" {\n  source = "./x"\n}\n'
    facts, diagnostics = terraform.collect("envs/prod/main.tf", text)
    assert diagnostics == []
    assert [(f.data.block.type, f.loc) for f in facts] == [
        ("terraform", Loc("envs/prod/main.tf", 1)),
        ("provider", Loc("envs/prod/main.tf", 4)),
        ("resource", Loc("envs/prod/main.tf", 8)),
        ("module", Loc("envs/prod/main.tf", 9)),
    ]
    assert {f.data.module_dir for f in facts} == {"envs/prod"}


def test_parse_error_is_a_diagnostic_with_path_and_line() -> None:
    facts, diagnostics = terraform.collect("bad.tf", 'resource "a" "b" {\n  x = \n}\n')
    assert facts == []
    assert len(diagnostics) == 1
    assert diagnostics[0].severity is Severity.ERROR
    assert diagnostics[0].loc.path == "bad.tf" and diagnostics[0].loc.line >= 2
    assert str(diagnostics[0]).startswith("bad.tf:")


def test_tfvars_hcl_and_json() -> None:
    facts, _ = tfvars.collect("envs/prod/terraform.tfvars", 'location = "koreacentral"\n\nnode_count = 3\n')
    assignments = facts[0].data.assignments
    assert [(a.name, a.line) for a in assignments] == [("location", 1), ("node_count", 3)]
    facts, _ = tfvars.collect("prod.tfvars.json", '{\n  "location": "eastus",\n  "zones": [1, 2]\n}\n')
    assert [(a.name, a.line, a.expr.value) for a in facts[0].data.assignments] == [
        ("location", 2, "eastus"), ("zones", 3, [1, 2])]


def test_tfvars_json_error() -> None:
    facts, diagnostics = tfvars.collect("x.tfvars.json", '{"a": ')
    assert facts == [] and diagnostics[0].loc.path == "x.tfvars.json"
