"""Parse HCL text into archinfer's syntax tree, with a line on every node (python-hcl2's grammar, Lark positions)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Union

from ..hcl import (
    Attribute, BinOp, Block, Body, Call, Conditional, Expr, ForExpr, GetAttr, Index, Literal,
    ObjectExpr, Opaque, Splat, Template, TupleExpr, Unary, Variable,
)


class HclSyntaxError(Exception):
    """The text is not valid HCL; `line` is 1-based (0 when the parser could not tell)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """python-hcl2's grammar and post-lexer in our own Lark instance.

    python-hcl2 8.x dropped line numbers from its dict output (upstream #291) but its grammar
    still asks Lark for positions; parsing to the raw tree keeps them. Our own instance also
    caches the compiled grammar in the temp dir (`cache=True`): python-hcl2 writes its cache
    into its package directory, and silently rebuilds (about 4 s) where that is read-only.
    """
    from lark import Lark
    from hcl2.postlexer import PostLexer

    grammar = resources.files("hcl2").joinpath("hcl2.lark").read_text(encoding="utf-8")
    try:
        return Lark(grammar, parser="lalr", propagate_positions=True, postlex=PostLexer(), cache=True)
    except OSError:  # an unwritable temp dir only costs the cache
        return Lark(grammar, parser="lalr", propagate_positions=True, postlex=PostLexer())


def parse_hcl(text: str) -> Body:
    """Parse a whole HCL file. Raises HclSyntaxError with the line of the first error."""
    from lark.exceptions import LarkError, UnexpectedInput

    # The grammar needs a final newline (python-hcl2 adds one too: Lark has no EOF token).
    source = text if text.endswith("\n") else text + "\n"
    try:
        tree = _parser().parse(source)
    except UnexpectedInput as exc:
        line = int(getattr(exc, "line", 0) or 0)
        return _raise(_describe(exc), max(line, 0))
    except LarkError as exc:
        return _raise(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 0)
    try:
        return _Converter(source).body(tree.children[0])
    except RecursionError:
        return _raise("expressions nested too deeply to read", 0)


def parse_expression(text: str) -> Expr:
    """Parse one expression (used for `${...}` strings in .tf.json and tfvars values)."""
    body = parse_hcl(f"x = {text}\n")
    attribute = body.attr("x")
    if attribute is None:
        raise HclSyntaxError("not an expression")
    return attribute.expr


def _raise(message: str, line: int) -> Body:
    raise HclSyntaxError(message, line)


def _describe(exc: Exception) -> str:
    """What went wrong, never quoting the input's text (the line may hold a secret): punctuation or a token type."""
    token = getattr(exc, "token", None)
    if token is not None:
        text = str(token).strip()
        if len(text) == 1 and not text.isalnum():
            return f"unexpected {text!r}"
        return f"unexpected {getattr(token, 'type', 'token')}"
    char = getattr(exc, "char", None)
    if isinstance(char, str) and len(char) == 1 and not char.isalnum():
        return f"unexpected character {char!r}"
    return "syntax error"


MAX_NUMBER_DIGITS = 4000  # below Python's int/str conversion limit (4300)

_BINARY_OPS = {"==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&&", "||"}


class _Converter:
    """Lark tree -> archinfer syntax tree. Methods are named after grammar rules."""

    def __init__(self, source: str) -> None:
        self.source = source

    # -- helpers -------------------------------------------------------------------------------
    def _text(self, node: Any) -> str:
        meta = getattr(node, "meta", None)
        if meta is not None and not getattr(meta, "empty", True):
            return str(self.source[meta.start_pos:meta.end_pos]).strip()
        return str(node)

    @staticmethod
    def _line(node: Any) -> int:
        meta = getattr(node, "meta", None)
        if meta is not None and not getattr(meta, "empty", True):
            return int(meta.line)
        return int(getattr(node, "line", 0) or 0)

    @staticmethod
    def _trees(node: Any) -> list[Any]:
        from lark import Tree

        return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    # -- structure -----------------------------------------------------------------------------
    def body(self, node: Any) -> Body:
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        for child in self._trees(node):
            if child.data == "attribute":
                name = self._name(child.children[0])
                attributes.append(Attribute(name, self.expr(child.children[2]), self._line(child)))
            elif child.data == "block":
                blocks.append(self.block(child))
        return Body(tuple(attributes), tuple(blocks))

    def block(self, node: Any) -> Block:
        trees = self._trees(node)
        body_node = trees[-1]
        names = [self._label(t) for t in trees[:-1]]
        end_line = int(getattr(node.meta, "end_line", 0) or self._line(node))
        return Block(names[0], tuple(names[1:]), self.body(body_node), self._line(node), end_line)

    def _name(self, node: Any) -> str:
        return str(node.children[0])

    def _label(self, node: Any) -> str:
        if node.data == "string":
            return "".join(str(p.children[0]) for p in self._trees(node) if p.data == "string_part")
        return self._name(node)

    # -- expressions ---------------------------------------------------------------------------
    def expr(self, node: Any) -> Expr:
        method = getattr(self, "x_" + node.data, None)
        if method is None:
            return Opaque(f"unsupported syntax {node.data}", self._line(node), self._text(node))
        result: Expr = method(node)
        return result

    def x_expr_term(self, node: Any) -> Expr:
        trees = self._trees(node)
        return self.expr(trees[0])  # parenthesised or plain: one inner node either way

    def x_int_lit(self, node: Any) -> Expr:
        digits = str(node.children[0])
        if len(digits) > MAX_NUMBER_DIGITS:  # int() refuses these (CVE-2020-10735 limit); no real value is this long
            raise HclSyntaxError(f"number literal of {len(digits)} digits is too long", self._line(node))
        return Literal(int(digits), self._line(node), self._text(node))

    def x_float_lit(self, node: Any) -> Expr:
        return Literal(float(str(node.children[0])), self._line(node), self._text(node))

    def x_literal_value(self, node: Any) -> Expr:
        value = {"true": True, "false": False, "null": None}[str(node.children[0])]
        return Literal(value, self._line(node), self._text(node))

    def x_identifier(self, node: Any) -> Expr:
        return Variable(str(node.children[0]), self._line(node), self._text(node))

    def x_keyword(self, node: Any) -> Expr:
        return Variable(str(node.children[0]), self._line(node), self._text(node))

    def x_string(self, node: Any) -> Expr:
        parts: list[Union[str, Expr]] = []
        for part in self._trees(node):
            inner = part.children[0]
            if isinstance(inner, str):  # a Token: STRING_CHARS or an escaped ${ / %{
                raw = str(inner)
                if getattr(inner, "type", "") == "STRING_CHARS":
                    parts.append(_unescape(raw))
                else:
                    parts.append(raw[1:])  # $${x} is the literal text ${x}
            elif inner.data == "interpolation":
                parts.append(self.expr(self._trees(inner)[0]))
            else:
                return Opaque("template directive", self._line(node), self._text(node))
        line, text = self._line(node), self._text(node)
        if all(isinstance(p, str) for p in parts):
            return Literal("".join(p for p in parts if isinstance(p, str)), line, text)
        if len(parts) == 1:
            # "${x}" alone is x itself, with its own type (Terraform does the same).
            only = parts[0]
            assert not isinstance(only, str)
            return only
        return Template(tuple(parts), line, text)

    def x_template_string(self, node: Any) -> Expr:
        return Opaque("template string", self._line(node), self._text(node))

    def _heredoc(self, node: Any, trim: bool) -> Expr:
        raw = str(node.children[0].children[0] if hasattr(node.children[0], "children") else node.children[0])
        lines = raw.split("\n")
        body_lines = lines[1:-2]  # first line is <<EOT, last two are the marker and ""
        if trim:
            indents = [len(l) - len(l.lstrip()) for l in body_lines if l.strip()]
            cut = min(indents) if indents else 0
            body_lines = [l[cut:] for l in body_lines]
        text = "\n".join(l.rstrip("\r") for l in body_lines) + ("\n" if body_lines else "")
        if "${" in text or "%{" in text:
            return Opaque("heredoc with interpolation", self._line(node), self._text(node))
        return Literal(text, self._line(node), self._text(node))

    def x_heredoc_template(self, node: Any) -> Expr:
        return self._heredoc(node, trim=False)

    def x_heredoc_template_trim(self, node: Any) -> Expr:
        return self._heredoc(node, trim=True)

    def x_tuple(self, node: Any) -> Expr:
        items = tuple(self.expr(c) for c in self._trees(node))
        return TupleExpr(items, self._line(node), self._text(node))

    def x_object(self, node: Any) -> Expr:
        items: list[tuple[Expr, Expr]] = []
        for elem in self._trees(node):
            key_node, value_node = self._trees(elem)
            key_inner = self._trees(key_node)[0] if self._trees(key_node) else key_node
            key = self.expr(key_inner)
            if isinstance(key, Variable):  # a bare key is its own name, not a reference
                key = Literal(key.name, key.line, key.text)
            items.append((key, self.expr(value_node)))
        return ObjectExpr(tuple(items), self._line(node), self._text(node))

    def x_function_call(self, node: Any) -> Expr:
        trees = self._trees(node)
        names = [str(t.children[0]) for t in trees if t.data == "identifier"]
        name = "::".join(names) if len(names) > 1 else names[0]
        args: tuple[Expr, ...] = ()
        expand = False
        for t in trees:
            if t.data == "arguments":
                args = tuple(self.expr(a) for a in self._trees(t))
                expand = any(not hasattr(c, "data") and str(c) == "..." for c in t.children)
        if len(names) > 1:
            name = "provider::" + "::".join(names)
        return Call(name, args, expand, self._line(node), self._text(node))

    def x_get_attr_expr_term(self, node: Any) -> Expr:
        obj_node, attr_node = self._trees(node)
        name = str(self._trees(attr_node)[0].children[0])
        return GetAttr(self.expr(obj_node), name, self._line(node), self._text(node))

    def x_index_expr_term(self, node: Any) -> Expr:
        obj_node, index_node = self._trees(node)
        return Index(self.expr(obj_node), self._index_key(index_node), self._line(node), self._text(node))

    def _index_key(self, node: Any) -> Expr:
        if node.data == "short_index":  # a.0
            token = [c for c in node.children if not hasattr(c, "data")][-1]
            return Literal(int(str(token)), self._line(node), str(token))
        return self.expr(self._trees(node)[0])

    def _splat(self, node: Any) -> Expr:
        obj_node, splat_node = self._trees(node)
        steps: list[Union[str, Expr]] = []
        for step in self._trees(splat_node):
            if step.data == "get_attr":
                steps.append(str(self._trees(step)[0].children[0]))
            else:
                steps.append(self._index_key(step))
        return Splat(self.expr(obj_node), tuple(steps), self._line(node), self._text(node))

    def x_attr_splat_expr_term(self, node: Any) -> Expr:
        return self._splat(node)

    def x_full_splat_expr_term(self, node: Any) -> Expr:
        return self._splat(node)

    def x_binary_op(self, node: Any) -> Expr:
        left_node, term = self._trees(node)
        op_node, right_node = self._trees(term)
        op = str(op_node.children[0]).strip()  # the post-lexer may glue a newline to it
        if op not in _BINARY_OPS:
            return Opaque(f"operator {op}", self._line(node), self._text(node))
        return BinOp(op, self.expr(left_node), self.expr(right_node), self._line(node), self._text(node))

    def x_unary_op(self, node: Any) -> Expr:
        op = str(node.children[0]).strip()
        operand = self._trees(node)[0]
        return Unary(op, self.expr(operand), self._line(node), self._text(node))

    def x_conditional(self, node: Any) -> Expr:
        cond, if_true, if_false = self._trees(node)
        return Conditional(self.expr(cond), self.expr(if_true), self.expr(if_false),
                           self._line(node), self._text(node))

    def _for(self, node: Any, is_object: bool) -> Expr:
        trees = self._trees(node)
        intro = trees[0]
        intro_trees = self._trees(intro)
        names = [str(t.children[0]) for t in intro_trees if t.data == "identifier"]
        collection = self.expr([t for t in intro_trees if t.data != "identifier"][0])
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        rest = trees[1:]
        cond: Expr | None = None
        if rest and rest[-1].data == "for_cond":
            cond = self.expr(self._trees(rest[-1])[0])
            rest = rest[:-1]
        grouping = any(not hasattr(c, "data") and str(c) == "..." for c in node.children)
        line, text = self._line(node), self._text(node)
        if is_object:
            return ForExpr(key_var, value_var, collection, self.expr(rest[0]), self.expr(rest[1]),
                           cond, grouping, line, text)
        return ForExpr(key_var, value_var, collection, None, self.expr(rest[0]), cond, False, line, text)

    def x_for_tuple_expr(self, node: Any) -> Expr:
        return self._for(node, is_object=False)

    def x_for_object_expr(self, node: Any) -> Expr:
        return self._for(node, is_object=True)


def _unescape(raw: str) -> str:
    """HCL string escapes (\\n, \\t, \\", \\\\, \\uNNNN) to their characters."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            if nxt in "uU":
                width = 4 if nxt == "u" else 8
                digits = raw[i + 2:i + 2 + width]
                try:
                    out.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
                except ValueError:
                    pass
        out.append(ch)
        i += 1
    return "".join(out)
