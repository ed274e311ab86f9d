"""The HCL parser wrapper: structure, line numbers (python-hcl2 8.x lost them: upstream #291) and errors."""

from __future__ import annotations

import textwrap

import pytest

from archinfer.collectors.hclparse import HclSyntaxError, parse_hcl, parse_expression
from archinfer.hcl import BinOp, Call, Conditional, ForExpr, GetAttr, Literal, Opaque, Template, Variable

SOURCE = textwrap.dedent('''
    # a comment
    resource "azurerm_kubernetes_cluster" "main" {
      name = "${local.prefix}-aks"

      default_node_pool {
        vm_size = var.environment == "prod" ? "Standard_D4s_v5" : "Standard_B2s"
        zones   = [1, 2]
      }
    }

    variable "x" {
      default = 3
    }
''').lstrip("\\n")


def test_blocks_and_attributes_carry_their_lines() -> None:
    body = parse_hcl(SOURCE)
    resource, variable = body.blocks
    assert (resource.type, resource.labels, resource.line, resource.end_line) == (
        "resource", ("azurerm_kubernetes_cluster", "main"), 3, 10)
    assert resource.body.attr("name").line == 4
    pool = resource.body.blocks_of("default_node_pool")[0]
    assert pool.line == 6
    assert pool.body.attr("vm_size").line == 7
    assert pool.body.attr("zones").line == 8
    assert (variable.labels, variable.line) == (("x",), 12)


def test_expressions_keep_structure_and_source_text() -> None:
    body = parse_hcl(SOURCE)
    name = body.blocks[0].body.attr("name").expr
    assert isinstance(name, Template) and name.text == '"${local.prefix}-aks"'
    assert isinstance(name.parts[0], GetAttr) and name.parts[1] == "-aks"
    vm_size = body.blocks[0].body.blocks[0].body.attr("vm_size").expr
    assert isinstance(vm_size, Conditional)
    assert isinstance(vm_size.cond, BinOp) and vm_size.cond.op == "=="
    assert vm_size.cond.text == 'var.environment == "prod"'


def test_parse_expression_variants() -> None:
    assert parse_expression('"plain"') == Literal("plain", 1, '"plain"')
    assert isinstance(parse_expression('"${var.x}"'), GetAttr)  # a lone interpolation is the value itself
    assert isinstance(parse_expression("merge(a, b...)"), Call)
    assert parse_expression("merge(a, b...)").expand_last  # type: ignore[union-attr]
    assert isinstance(parse_expression("[for k, v in var.m : v if k != \"x\"]"), ForExpr)
    assert isinstance(parse_expression("x"), Variable)
    assert isinstance(parse_expression('"a%{ if true }b%{ endif }"'), Opaque)
    assert parse_expression('"tab\\there"') == Literal("tab\there", 1, '"tab\\there"')


def test_heredoc_without_interpolation_is_a_literal() -> None:
    body = parse_hcl('x = <<-EOT\n    hello\n      world\n    EOT\n')
    assert body.attr("x").expr.value == "hello\n  world\n"  # type: ignore[union-attr]


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(HclSyntaxError) as info:
        parse_hcl('resource "a" "b" {\n  x = 1\n  y = = 2\n}\n')
    assert info.value.line == 3


def test_crlf_and_comments() -> None:
    body = parse_hcl('// c\r\nlocals {\r\n  a = 1 # trailing\r\n}\r\n')
    assert body.blocks[0].body.attr("a").line == 3
