"""Load YAML documents safely with the line of each document and of every key, using PyYAML's C loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model import Limits

# Aliases make a small file expand into a huge tree when walked, so their number and the size of the
# expanded document are bounded (Limits.max_yaml_aliases, max_yaml_nodes); so is nesting (max_nesting).
DEFAULTS = Limits()


class YamlError(Exception):
    """The text is not YAML archinfer will read; `line` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """One document: its data, the line it starts on, and the line of each key/item by path."""

    data: Any
    line: int
    lines: dict[Path, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *path: str | int) -> int:
        """The line of the deepest known part of `path` (the document's line at worst)."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found:
                return found
        return self.line


def _loader_class() -> type:
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe loader that also accepts the YAML 'value' tag (`=`), as valid CRDs use it."""

    Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))
    # Application tags (GitLab `!reference`, CloudFormation `!Ref`) keep their plain value.
    Loader.add_multi_constructor("!", _untagged)
    # An integer written with more digits than any real setting has stays text: Python refuses to print ints over
    # 4,300 digits, and every consumer would have to guard each str() of a number.
    Loader.add_constructor("tag:yaml.org,2002:int", _int)
    # Timestamps stay strings: a date in a manifest is text to show, not a datetime to reformat.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


MAX_INT_CHARS = 100


def _int(loader: Any, node: Any) -> Any:
    text = loader.construct_scalar(node)
    if len(text) > MAX_INT_CHARS:
        return text
    return loader.construct_yaml_int(node)


def _untagged(loader: Any, suffix: str, node: Any) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_LOADER: list[type] = []


def _loader() -> type:
    if not _LOADER:
        _LOADER.append(_loader_class())
    return _LOADER[0]


def load_documents(text: str, limits: Limits = DEFAULTS) -> list[YamlDoc]:
    """Every document of a YAML stream with lines; raises YamlError with the failing line."""
    max_aliases = limits.max_yaml_aliases
    aliases = 0
    if "&" in text:  # an alias needs an anchor: without one the (slow, event by event) count is skipped
        try:
            aliases = sum(1 for event in yaml.parse(text, Loader=_loader()) if isinstance(event, yaml.AliasEvent))
        except yaml.YAMLError as exc:
            raise _error(exc) from None
    if aliases > max_aliases:
        raise YamlError(f"{aliases} YAML aliases (limit max_yaml_aliases = {max_aliases}): not expanded", 0)
    loader = _loader()(text)
    docs: list[YamlDoc] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if aliases:  # without aliases a document is as large as its text, which max_file_bytes bounds
                expanded = _expanded_size(node, {}, limits.max_nesting)
                if expanded > limits.max_yaml_nodes:
                    raise YamlError(f"document expands to {expanded} nodes through aliases "
                                    f"(limit max_yaml_nodes = {limits.max_yaml_nodes})", node.start_mark.line + 1)
            lines: dict[Path, int] = {}
            _index(node, (), lines, 0, set(), limits.max_nesting)
            try:
                data = loader.construct_document(node)
            except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
                # `!!int hunter2`: PyYAML's message quotes the value, which may be a secret; never pass it on.
                raise YamlError(f"a value does not fit its YAML tag ({type(exc).__name__})", node.start_mark.line + 1) from None
            docs.append(YamlDoc(data, node.start_mark.line + 1, lines))
    except yaml.YAMLError as exc:
        raise _error(exc) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply to read", 0) from None
    finally:
        loader.dispose()
    return docs


def _expanded_size(node: Any, memo: dict[int, int], max_depth: int, depth: int = 0) -> int:
    """Nodes in the document with aliases expanded, computed once per shared node."""
    if depth > max_depth:
        raise YamlError(f"YAML nested deeper than {max_depth} levels (limit max_nesting)", node.start_mark.line + 1)
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once instead of looping
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo, max_depth, depth + 1) + _expanded_size(v, memo, max_depth, depth + 1)
                    for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo, max_depth, depth + 1) for item in node.value)
    memo[id(node)] = size
    return size


def _index(node: Any, path: Path, lines: dict[Path, int], depth: int, seen: set[int], max_depth: int) -> None:
    """Record the line of every mapping key and sequence item below `node`; an alias is walked once."""
    if depth > max_depth:
        raise YamlError(f"YAML nested deeper than {max_depth} levels (limit max_nesting)", node.start_mark.line + 1)
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark.line)
            child = path + (key,)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _index(value_node, child, lines, depth + 1, seen, max_depth)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = path + (i,)
            lines.setdefault(child, item.start_mark.line + 1)
            _index(item, child, lines, depth + 1, seen, max_depth)


def _error(exc: yaml.YAMLError) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return YamlError(f"cannot parse YAML: {problem}", line)
