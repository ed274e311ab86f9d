"""Build kustomize overlays in-process, object for object as `kubectl kustomize` (v5) would, running nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import posixpath
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

import yaml

from ..model import Diagnostic, Limits, Loc, Severity
from .yamlload import YamlDoc, YamlError, load_documents

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

Path = tuple[str | int, ...]
ReadText = Callable[[str], str]


@dataclass(frozen=True)
class BuiltObject:
    """One object of the build output, with the document (or generator entry) it came from."""

    data: dict[str, Any]
    origin: Loc
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class BuildResult:
    """The objects one kustomization folder builds to, in kubectl's order, and what the build read and reported."""

    overlay: str
    objects: tuple[BuiltObject, ...]
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def is_kustomization(path: str) -> bool:
    """Whether the file is a kustomization file (by name, as kustomize finds them)."""
    return posixpath.basename(path) in KUSTOMIZATION_NAMES


def build(overlay: str, read_text: ReadText, limits: Limits = Limits(),
          parsed: dict[str, list[_Doc] | YamlError] | None = None) -> BuildResult:
    """Build the kustomization in folder `overlay` (relative to the scanned root) as `kubectl kustomize` would.

    `parsed` (any dict, shared between the builds of one scan) keeps parsed resource files for the next build.
    """
    ctx = _Ctx(read_text, limits, parsed if parsed is not None else {})
    root = _norm_dir(overlay)
    resources: list[_Res] = []
    kust = _load_kust(ctx, root, None)
    if kust is not None:
        config = _accumulate(ctx, kust, resources, (root,), _Config())
        _add_hash_suffixes(resources)
        _fix_name_references(ctx, kust, resources, config)
        _resolve_vars(ctx, kust, resources, config)
        resources = _sorted(ctx, kust, [r for r in resources if not _is_local_config(r)])
    objects = tuple(_built(res) for res in resources)
    return BuildResult(root or ".", objects, tuple(sorted(ctx.files)), tuple(ctx.diagnostics))


def referenced_dirs(overlays: Iterable[str], read_text: ReadText, limits: Limits = Limits()) -> set[str]:
    """Folders that the given kustomizations (or those they use, transitively) use as a base, component or resource."""
    ctx = _Ctx(read_text, limits)
    found: set[str] = set()
    seen: set[str] = set()
    todo = [_norm_dir(o) for o in overlays]
    while todo:
        folder = todo.pop()
        if folder in seen:
            continue
        seen.add(folder)
        kust = _load_kust(ctx, folder, None)
        if kust is None:
            continue
        for field_name in ("resources", "bases", "components"):
            for _, entry in _str_entries(ctx, kust, field_name, report=False):
                target = _join(folder, entry)
                if _is_remote(entry) or target is None or ctx.read(target) is not None:
                    continue
                if _find_kust_file(ctx, target) is not None:
                    found.add(target or ".")
                    todo.append(target)
    return found


# ---------------------------------------------------------------------------------------------
# Build state, files and paths


@dataclass
class _Ctx:
    """Per-build state (mutable on purpose): how to read files, which were read, what went wrong."""

    read_text: ReadText
    limits: Limits = field(default_factory=Limits)
    # Resource files parsed by earlier builds of the same scan (by text): overlays share their bases.
    parsed: dict[str, list[_Doc] | YamlError] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    vars: list[_Var] = field(default_factory=list)  # every kustomization's vars end up in the top one's

    def report(self, loc: Loc, message: str, severity: Severity = Severity.ERROR) -> None:
        self.diagnostics.append(Diagnostic(loc, severity, message))

    def read(self, path: str) -> str | None:
        """The file's text, or None when it cannot be read (callers decide whether that is a problem)."""
        try:
            text = self.read_text(path)
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        self.files.add(path)
        return text

    def read_or_report(self, path: str | None, loc: Loc, what: str) -> str | None:
        if path is None:
            self.report(loc, f"{what} is outside the scanned folder")
            return None
        try:
            text = self.read_text(path)
        except UnicodeDecodeError:
            self.report(loc, f"{what} '{path}' is not UTF-8 text: not read")
            return None
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or "cannot be read"
            self.report(loc, f"{what} '{path}' cannot be read ({reason})")
            return None
        self.files.add(path)
        return text


def _norm_dir(folder: str) -> str:
    """A folder relative to the root as a normalised POSIX path; the root itself is ''."""
    norm = posixpath.normpath(folder.replace("\\", "/").strip("/") or ".")
    return "" if norm == "." else norm


def _join(folder: str, rel: str) -> str | None:
    """`rel` resolved against `folder`, or None when it leaves the scanned root (or is absolute)."""
    if rel.startswith("/"):
        return None
    norm = posixpath.normpath(posixpath.join(folder or ".", rel))
    if norm == ".." or norm.startswith("../"):
        return None
    return "" if norm == "." else norm


def _within(path: str, folder: str) -> bool:
    """Whether `path` is in or below `folder`: kustomize only loads files there (LoadRestrictionsRootOnly)."""
    return not folder or path == folder or path.startswith(folder + "/")


def _is_remote(entry: str) -> bool:
    """Whether kustomize would fetch `entry` from the network (a git repository or an HTTP(S) file)."""
    text = entry.strip()
    if text.lower().startswith("git::"):
        text = text[5:]
    lower = text.lower()
    if lower.startswith(("ssh://", "https://", "http://", "file://", "github.com/", "github.com:")):
        return True
    return re.match(r"^[a-zA-Z][a-zA-Z0-9-]*@", text) is not None


def _contains_root(candidate: str, root: str) -> bool:
    """Whether folder `candidate` is `root` or one of its ancestors (kustomize's cycle check)."""
    return not candidate or root == candidate or root.startswith(candidate + "/")


# ---------------------------------------------------------------------------------------------
# YAML: resources are read as kustomize reads them (go-yaml v3, YAML 1.2 scalars)


class _Stamp(str):
    """A timestamp scalar: go-yaml turns it into RFC 3339 text, but annotations keep the text as written."""

    raw: str

    def __new__(cls, value: str, raw: str) -> _Stamp:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj


_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:([Tt])|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$")
_SPECIAL_FLOATS = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf,
                   "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
                   ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan}


def _go_timestamp(text: str) -> str | None:
    """go-yaml v3 decodes these plain scalars as time.Time, which JSON writes as RFC 3339."""
    m = _TIMESTAMP.match(text)
    if m is None or (m.group(4) and not m.group(9)) or (m.group(9) and not m.group(4)):
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hour, minute, second = (int(m.group(i)) if m.group(i) else 0 for i in (5, 6, 7))
    try:
        stamp = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    frac = (m.group(8) or "")[:9].rstrip("0")
    zone = m.group(9) or "Z"
    if zone not in ("Z", "+00:00", "-00:00"):
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        stamp = stamp.replace(tzinfo=timezone(sign * offset))
        zone = zone if offset else "Z"
    return stamp.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + zone


def _go_scalar(text: str) -> Any:
    """A plain scalar starting with a digit, sign or dot, resolved as go-yaml v3 resolves it."""
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if text.startswith("."):
        try:
            return float(text) if re.match(r"^\.[0-9]", text) else text
        except ValueError:
            return text
    stamp = _go_timestamp(text)
    if stamp is not None:
        return _Stamp(stamp, text)
    plain = text.replace("_", "")
    m = _GO_INT.match(plain)
    if m:
        digits = m.group(2)
        base = 16 if digits[:2] in ("0x", "0X") else 8 if digits[:2] in ("0o", "0O") else 2 if digits[:2] in (
            "0b", "0B") else 8 if digits.startswith("0") and len(digits) > 1 else 10
        body = digits[2:] if base in (16, 2) or digits[:2] in ("0o", "0O") else digits
        value = int(body or "0", base)
        value = -value if m.group(1) == "-" else value
        if -(2 ** 63) <= value < 2 ** 64:
            return value
    if _YAML_FLOAT.match(plain):
        return float(plain)
    return text


_YAML_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ResourceLoader(_YAML_BASE):  # type: ignore[misc]
    """PyYAML's safe loader resolving plain scalars as go-yaml v3 does: kustomize reads resources with it."""


_ResourceLoader.yaml_implicit_resolvers = {}
_ResourceLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_ResourceLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_ResourceLoader.add_implicit_resolver(
    "tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_ResourceLoader.add_implicit_resolver("archinfer:go-number", re.compile(r"^[-+.0-9]"), list("-+.0123456789"))
_ResourceLoader.add_constructor("archinfer:go-number", lambda loader, node: _go_scalar(node.value))
_ResourceLoader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: node.value in ("true", "True", "TRUE"))
_ResourceLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: _go_scalar(node.value))


@dataclass(frozen=True)
class _Doc:
    """One YAML document of a resource file: its data (YAML 1.2 scalars), start line, key lines, and
    where a key has no value at all (kyaml drops those when merging, but keeps an explicit null)."""

    data: Any
    line: int
    lines: dict[Path, int]
    empty: frozenset[Path] = frozenset()


def _load_yaml(text: str, limits: Limits) -> list[YamlDoc]:
    """load_documents, with any failure as a YamlError whose message never quotes the text (it may be secret)."""
    try:
        return load_documents(text, limits)
    except YamlError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, yaml.YAMLError):
        raise YamlError("cannot read YAML: a value does not fit its tag", 0) from None


def _parse_resources(text: str, limits: Limits) -> list[_Doc]:
    """The documents of a resource or patch file; raises YamlError with the failing line."""
    docs = _load_yaml(text, limits)
    loader = _ResourceLoader(text)
    values: list[tuple[Any, frozenset[Path]]] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                empty: set[Path] = set()
                _empty_values(node, (), empty)
                values.append((loader.construct_document(node), frozenset(empty)))
    except yaml.YAMLError as exc:
        # Only the problem and its line: PyYAML's full message quotes the document, which may hold a secret.
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(f"cannot read YAML: {getattr(exc, 'problem', None) or 'invalid document'}",
                        mark.line + 1 if mark is not None else 0) from None
    except (ValueError, TypeError, OverflowError, RecursionError):
        raise YamlError("cannot read YAML: a value does not fit its tag", 0) from None
    finally:
        loader.dispose()
    if len(values) != len(docs):
        values = [(doc.data, frozenset()) for doc in docs]
    return [_Doc(_fresh(value), doc.line, doc.lines, empty) for doc, (value, empty) in zip(docs, values)]


def _empty_values(node: Any, path: Path, out: set[Path]) -> None:
    """Paths of mapping keys written with no value (`key:`), which is not the same as `key: null` to kyaml."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            child = path + (key_node.value,)
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null") and not value_node.value:
                out.add(child)
            _empty_values(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _empty_values(item, path + (i,), out)


def _fresh(node: Any) -> Any:
    """A copy sharing nothing: YAML aliases must not make one edit show up in two places."""
    if isinstance(node, dict):
        return {key: _fresh(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_fresh(value) for value in node]
    return node


def _scalar_text(value: Any) -> str:
    """The text kyaml reads for a scalar (annotation values, merge keys, data maps)."""
    if isinstance(value, _Stamp):
        return value.raw
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    return ""


def _go_float(value: float) -> str:
    """A float written as Go's JSON encoder writes it."""
    if math.isinf(value) or math.isnan(value):
        return "+Inf" if value > 0 else "-Inf" if value < 0 else "NaN"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}e{exp[0] if exp[0] in '+-' else '+'}{exp.lstrip('+-').zfill(2)}"
    return text


# ---------------------------------------------------------------------------------------------
# Kustomization files


@dataclass(frozen=True)
class _Kust:
    """A kustomization (or component) file: where it is, what it says, and its key lines."""

    folder: str
    path: str
    data: Mapping[str, Any]
    doc: YamlDoc
    spelled: Mapping[str, str] = field(default_factory=dict)  # field name -> key as written, when they differ

    def loc(self, *keys: str | int) -> Loc:
        if keys and isinstance(keys[0], str):
            keys = (self.spelled.get(keys[0], keys[0]),) + keys[1:]
        return Loc(self.path, self.doc.line_of(*keys))

    @property
    def is_component(self) -> bool:
        return self.data.get("kind") == "Component"


_STR_FIELDS = ("apiVersion", "kind", "namePrefix", "nameSuffix", "namespace")
_LIST_FIELDS = ("resources", "bases", "components", "patchesStrategicMerge", "patches", "patchesJson6902",
                "images", "imageTags", "replicas", "labels", "configMapGenerator", "secretGenerator", "replacements",
                "configurations", "vars", "transformers")
_MAP_FIELDS = ("commonLabels", "commonAnnotations", "generatorOptions", "sortOptions", "metadata")
_NOT_APPLIED = {
    "helmCharts": "Helm charts are not rendered",
    "helmChartInflationGenerator": "Helm charts are not rendered",
    "helmGlobals": "Helm charts are not rendered",
    "crds": "crds (custom name-reference configuration) are not supported: ignored",
    "generators": "generator plugins are not run",
    "validators": "validator plugins are not run",
    "openapi": "custom OpenAPI schemas are not supported: the built-in schema is used",
    "buildMetadata": "buildMetadata is not supported: ignored",
}


def _find_kust_file(ctx: _Ctx, folder: str) -> tuple[str, str, list[str]] | None:
    """(path, text, all names found) of the folder's kustomization file, or None."""
    found: list[tuple[str, str]] = []
    for name in KUSTOMIZATION_NAMES:
        path = posixpath.join(folder, name) if folder else name
        text = ctx.read(path)
        if text is not None:
            found.append((path, text))
    if not found:
        return None
    return found[0][0], found[0][1], [p for p, _ in found]


def _load_kust(ctx: _Ctx, folder: str, ref: Loc | None) -> _Kust | None:
    """The folder's kustomization, with a diagnostic (at `ref`, else in the file) for each problem."""
    where = ref or Loc(posixpath.join(folder, KUSTOMIZATION_NAMES[0]) if folder else KUSTOMIZATION_NAMES[0])
    located = _find_kust_file(ctx, folder)
    if located is None:
        ctx.report(where, f"no kustomization file in '{folder or '.'}'")
        return None
    path, text, names = located
    if len(names) > 1:
        ctx.report(Loc(path), f"several kustomization files in '{folder or '.'}' ({', '.join(names)}): "
                              "kustomize refuses to choose; this build uses the first")
    try:
        docs = _load_yaml(text, ctx.limits)
    except YamlError as exc:
        ctx.report(Loc(path, exc.line), exc.message)
        return None
    if not docs or not isinstance(docs[0].data, dict) or not docs[0].data:
        ctx.report(Loc(path, docs[0].line if docs else 0), "kustomization is empty or not a mapping")
        return None
    data, spelled = _canonical_keys(docs[0].data)
    kust = _Kust(folder, path, data, docs[0], spelled)
    _check_fields(ctx, kust)
    return kust


def _canonical_keys(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Field names as kustomize reads them: Go's JSON decoder also takes `patchesJSON6902` for `patchesJson6902`."""
    known = {k.lower(): k for k in (*_STR_FIELDS, *_LIST_FIELDS, *_MAP_FIELDS, *_NOT_APPLIED)}
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in data.items():
        name = known.get(key.lower(), key) if isinstance(key, str) and key not in known.values() else key
        if name != key:
            spelled[name] = key
        out.setdefault(name, value)
    return out, spelled


def _check_fields(ctx: _Ctx, kust: _Kust) -> None:
    """One diagnostic per field kustomize does not know, or that this builder does not apply."""
    known = set(_STR_FIELDS) | set(_LIST_FIELDS) | set(_MAP_FIELDS) | set(_NOT_APPLIED)
    for key, value in kust.data.items():
        if key in _NOT_APPLIED:
            if value:
                ctx.report(kust.loc(key), f"{key}: {_NOT_APPLIED[key]}", Severity.WARNING)
        elif key not in known:
            ctx.report(kust.loc(key), f"unknown kustomization field '{key}': ignored")
        elif value is not None and key in _STR_FIELDS and not isinstance(value, str):
            ctx.report(kust.loc(key), f"'{key}' must be a string: ignored")
        elif value is not None and key in _LIST_FIELDS and not isinstance(value, list):
            ctx.report(kust.loc(key), f"'{key}' must be a list: ignored")
        elif value is not None and key in _MAP_FIELDS and not isinstance(value, dict):
            ctx.report(kust.loc(key), f"'{key}' must be a mapping: ignored")
    kind = kust.data.get("kind")
    if kind not in (None, "Kustomization", "Component"):
        ctx.report(kust.loc("kind"), "kind should be Kustomization or Component")
    wanted = "kustomize.config.k8s.io/v1alpha1" if kind == "Component" else "kustomize.config.k8s.io/v1beta1"
    if kust.data.get("apiVersion") not in (None, wanted):
        ctx.report(kust.loc("apiVersion"), f"apiVersion should be {wanted}")
    if all(key in ("apiVersion", "kind") for key in kust.data):
        ctx.report(kust.loc(), "kustomization is empty")


def _str_field(kust: _Kust, key: str) -> str:
    value = kust.data.get(key)
    return value if isinstance(value, str) else ""


def _list_field(kust: _Kust, key: str) -> list[Any]:
    value = kust.data.get(key)
    return value if isinstance(value, list) else []


def _map_field(kust: _Kust, key: str) -> dict[str, Any]:
    value = kust.data.get(key)
    return value if isinstance(value, dict) else {}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _str_entries(ctx: _Ctx, kust: _Kust, key: str, report: bool = True) -> Iterator[tuple[int, str]]:
    for i, entry in enumerate(_list_field(kust, key)):
        if isinstance(entry, str) and entry:
            yield i, entry
        elif report:
            ctx.report(kust.loc(key, i), f"{key} entry {i + 1} is not a path: ignored")


def _object_entries(ctx: _Ctx, kust: _Kust, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, entry in enumerate(_list_field(kust, key)):
        if isinstance(entry, dict):
            yield i, entry
        else:
            ctx.report(kust.loc(key, i), f"{key} entry {i + 1} is not a mapping: ignored")


def _string_map(ctx: _Ctx, kust: _Kust, value: Any, *keys: str | int) -> dict[str, str]:
    """A map of strings from the kustomization; kustomize rejects other values, this build skips them."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, str) and isinstance(key, str):
            out[key] = item
        else:
            ctx.report(kust.loc(*keys, str(key)), f"value of '{key}' must be a string (quote it): ignored")
    return out


# ---------------------------------------------------------------------------------------------
# Resources and their identities


_CLUSTER_SCOPED = frozenset(
    (api, kind) for line in """
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
apiextensions.k8s.io/v1 CustomResourceDefinition
apiextensions.k8s.io/v1beta1 CustomResourceDefinition
apiregistration.k8s.io/v1 APIService
apiregistration.k8s.io/v1beta1 APIService
certificates.k8s.io/v1 CertificateSigningRequest
certificates.k8s.io/v1beta1 CertificateSigningRequest
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema PriorityLevelConfiguration
networking.k8s.io/v1 IngressClass
networking.k8s.io/v1beta1 IngressClass
node.k8s.io/v1 RuntimeClass
node.k8s.io/v1beta1 RuntimeClass
policy/v1beta1 PodSecurityPolicy
rbac.authorization.k8s.io/v1 ClusterRole ClusterRoleBinding
rbac.authorization.k8s.io/v1beta1 ClusterRole ClusterRoleBinding
scheduling.k8s.io/v1 PriorityClass
scheduling.k8s.io/v1beta1 PriorityClass
storage.k8s.io/v1 CSIDriver CSINode StorageClass VolumeAttachment
storage.k8s.io/v1beta1 CSIDriver CSINode StorageClass VolumeAttachment
v1 ComponentStatus Namespace Node NodeProxyOptions PersistentVolume
""".strip().splitlines() for api in [line.split()[0]] for kind in line.split()[1:])

_NOT_NAMESPACED = "_non_namespaceable_"


def _split_api(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@dataclass(frozen=True)
class _Id:
    """kustomize's ResId: group, version, kind, name and namespace."""

    group: str
    version: str
    kind: str
    name: str
    namespace: str

    @property
    def cluster_scoped(self) -> bool:
        api = f"{self.group}/{self.version}" if self.group else self.version
        return (api, self.kind) in _CLUSTER_SCOPED

    def effective_ns(self) -> str:
        if self.cluster_scoped:
            return _NOT_NAMESPACED
        return "default" if self.namespace in ("", "default") else self.namespace

    def equals(self, other: _Id) -> bool:
        return (self.effective_ns() == other.effective_ns() and self.name == other.name
                and (self.group, self.version, self.kind) == (other.group, other.version, other.kind))

    def selected_by(self, group: str, version: str, kind: str) -> bool:
        return ((not group or group == self.group) and (not version or version == self.version)
                and (not kind or kind == self.kind))


@dataclass(eq=False)
class _Res:
    """A resource being built; transformers change it in place, as kustomize changes its resource map."""

    data: dict[str, Any]
    origin: Loc
    src_lines: Mapping[Path, int] = field(default_factory=dict)
    index: dict[int, tuple[Any, Path]] = field(default_factory=dict)
    empty: frozenset[Path] = frozenset()
    prev: list[tuple[str, str, str]] = field(default_factory=list)  # (name, namespace, kind) before renames
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    behavior: str = ""
    needs_hash: bool = False
    var_names: list[str] = field(default_factory=list)  # vars whose value this object's field gives


def _new_res(data: dict[str, Any], origin: Loc, lines: Mapping[Path, int], empty: frozenset[Path]) -> _Res:
    index: dict[int, tuple[Any, Path]] = {}
    _index_nodes(data, (), index)
    return _Res(data, origin, lines, index, empty)


def _index_nodes(node: Any, path: Path, index: dict[int, tuple[Any, Path]]) -> None:
    """Remember each mapping and list of a document by identity, so lines survive edits that move them."""
    if isinstance(node, dict):
        index[id(node)] = (node, path)
        for key, value in node.items():
            _index_nodes(value, path + (_key_text(key),), index)
    elif isinstance(node, list):
        index[id(node)] = (node, path)
        for i, value in enumerate(node):
            _index_nodes(value, path + (i,), index)


def _key_text(key: Any) -> str:
    return key if isinstance(key, str) else _scalar_text(key) or str(key)


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    meta = data.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _text_of(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return _scalar_text(value) if value is not None else ""


def _kind(res: _Res) -> str:
    return _text_of(res.data, "kind")


def _name(res: _Res) -> str:
    return _text_of(_meta(res.data), "name")


def _namespace(res: _Res) -> str:
    return _text_of(_meta(res.data), "namespace")


def _gvk(res: _Res) -> tuple[str, str, str]:
    group, version = _split_api(_text_of(res.data, "apiVersion"))
    return group, version, _kind(res)


def _cur_id(res: _Res) -> _Id:
    group, version, kind = _gvk(res)
    return _Id(group, version, kind, _name(res), _namespace(res))


def _prev_ids(res: _Res) -> list[_Id]:
    group, version, _ = _gvk(res)
    return [_Id(group, version, kind, name, ns) for name, ns, kind in res.prev]


def _org_id(res: _Res) -> _Id:
    prev = _prev_ids(res)
    return prev[0] if prev else _cur_id(res)


def _any_id_matches(res: _Res, test: Callable[[_Id], bool]) -> bool:
    return any(test(i) for i in _prev_ids(res) + [_cur_id(res)])


def _store_prev(res: _Res) -> None:
    cur = _cur_id(res)
    res.prev.append((cur.name, cur.effective_ns(), cur.kind))


def _set_meta(res: _Res, key: str, value: str) -> None:
    meta = res.data.get("metadata")
    if not isinstance(meta, dict):
        meta = res.data["metadata"] = {}
    if value:
        meta[key] = value
    else:
        meta.pop(key, None)


def _labels(data: dict[str, Any]) -> dict[str, str]:
    labels = _meta(data).get("labels")
    return {_key_text(k): _scalar_text(v) for k, v in labels.items()} if isinstance(labels, dict) else {}


def _annotations(data: dict[str, Any]) -> dict[str, str]:
    annotations = _meta(data).get("annotations")
    if not isinstance(annotations, dict):
        return {}
    return {_key_text(k): _scalar_text(v) for k, v in annotations.items()}


def _set_string_map(data: dict[str, Any], key: str, values: dict[str, str]) -> None:
    """kyaml's SetLabels/SetAnnotations: the field is rewritten as strings, and dropped when empty."""
    meta = data.get("metadata")
    if not isinstance(meta, dict):
        meta = data["metadata"] = {}
    if not values:
        meta.pop(key, None)
        return
    current = meta.get(key)
    target = current if isinstance(current, dict) else {}
    target.clear()  # rewritten in place, so the map keeps its lines in the origin document
    target.update((k, values[k]) for k in sorted(values))
    meta[key] = target


# ---------------------------------------------------------------------------------------------
# Accumulating a kustomization: resources, generators, components, then transformers


def _accumulate(ctx: _Ctx, kust: _Kust, resmap: list[_Res], chain: tuple[str, ...], config: _Config) -> _Config:
    """kustomize's accumulateTarget: a component adds to its parent's `resmap` and config, a kustomization to
    its own; the config it returns (defaults, `configurations`, and those of its bases) goes up to the parent."""
    entries = [("resources", i, e) for i, e in _str_entries(ctx, kust, "resources")]
    entries += [("bases", i, e) for i, e in _str_entries(ctx, kust, "bases")]
    for key, i, entry in entries:
        config = config.merge(_accumulate_resource(ctx, kust, key, i, entry, resmap, chain))
    config = config.merge(_DEFAULT_CONFIG.merge(_load_configurations(ctx, kust)))
    _run_generators(ctx, kust, resmap)
    for i, entry in _str_entries(ctx, kust, "components"):
        config = _accumulate_component(ctx, kust, i, entry, resmap, chain, config)
    _run_transformers(ctx, kust, resmap, config)
    _bind_vars(ctx, kust, resmap)
    return config


def _accumulate_resource(ctx: _Ctx, kust: _Kust, key: str, i: int, entry: str, resmap: list[_Res],
                         chain: tuple[str, ...]) -> _Config:
    """Add a file's resources, or a base's whole build; returns the base's config (empty for a file)."""
    loc = kust.loc(key, i)
    if _is_remote(entry):
        ctx.report(loc, f"remote resource not fetched: {entry}", Severity.WARNING)
        return _Config()
    path = _join(kust.folder, entry)
    if path is None:
        ctx.report(loc, f"resource '{entry}' is outside the scanned folder")
        return _Config()
    text = ctx.read(path)
    if text is not None:
        if not _within(path, kust.folder):
            ctx.report(loc, f"resource file '{entry}' is outside the kustomization's folder: "
                            "kustomize refuses to load it")
            return _Config()
        _append_all(ctx, resmap, _resources_from(ctx, path, text, loc), loc)
        return _Config()
    sub = _enter(ctx, path, loc, chain, component=False)
    if sub is None:
        return _Config()
    sub_map: list[_Res] = []
    sub_config = _accumulate(ctx, sub, sub_map, chain + (path,), _Config())
    _append_all(ctx, resmap, sub_map, loc)
    return sub_config


def _accumulate_component(ctx: _Ctx, kust: _Kust, i: int, entry: str, resmap: list[_Res],
                          chain: tuple[str, ...], config: _Config) -> _Config:
    loc = kust.loc("components", i)
    if _is_remote(entry):
        ctx.report(loc, f"remote resource not fetched: {entry}", Severity.WARNING)
        return config
    path = _join(kust.folder, entry)
    if path is None:
        ctx.report(loc, f"component '{entry}' is outside the scanned folder")
        return config
    sub = _enter(ctx, path, loc, chain, component=True)
    return config if sub is None else _accumulate(ctx, sub, resmap, chain + (path,), config)


def _enter(ctx: _Ctx, path: str, loc: Loc, chain: tuple[str, ...], component: bool) -> _Kust | None:
    """The kustomization of a folder used as a base or component, after kustomize's checks."""
    if _find_kust_file(ctx, path) is None:
        what = "component" if component else "resource"
        ctx.report(loc, f"{what} '{path or '.'}' not found: no such file, and no kustomization in such a folder")
        return None
    for root in chain:
        if _contains_root(path, root):
            where = f"'{path or '.'}' is" if path == root else f"'{path or '.'}' contains '{root or '.'}', which is"
            ctx.report(loc, f"cycle: {where} already being built")
            return None
    sub = _load_kust(ctx, path, loc)
    if sub is None:
        return None
    if component and not sub.is_component:
        ctx.report(loc, f"'{path}' is used as a component but its kind is not Component: not applied")
        return None
    if not component and sub.is_component:
        ctx.report(loc, f"'{path}' is a Component: list it under components, not resources: not applied")
        return None
    return sub


# Larger files (CRD bundles, mostly) are parsed again by each overlay instead of being kept for the scan:
# their parsed form is ten times their size, which a monorepo's peak memory cannot afford.
_SHARE_MAX_CHARS = 512 * 1024


def _resources_from(ctx: _Ctx, path: str, text: str, loc: Loc) -> list[_Res]:
    """The resources of one file, Lists unwrapped (after the other documents, as kustomize queues them)."""
    known = ctx.parsed.get(text)
    if known is None:
        try:
            known = _parse_resources(text, ctx.limits)
        except YamlError as exc:
            known = exc
        if len(text) <= _SHARE_MAX_CHARS:
            ctx.parsed[text] = known
    if isinstance(known, YamlError):
        ctx.report(loc, f"{path}:{known.line}: {known.message}" if known.line else f"{path}: {known.message}")
        return []
    # Builds change resources in place: each gets its own copy of the data (lines are only read).
    docs = [_Doc(_fresh(doc.data), doc.line, doc.lines, doc.empty) for doc in known]
    queue: deque[tuple[Any, Loc, Mapping[Path, int], frozenset[Path]]] = deque(
        (doc.data, Loc(path, doc.line), doc.lines, doc.empty) for doc in docs)
    out: list[_Res] = []
    while queue:
        data, origin, lines, empty = queue.popleft()
        if data is None or data == {}:
            continue
        problem = _resource_problem(data)
        if problem:
            ctx.report(loc, f"{origin}: {problem}: not built")
            continue
        kind = _text_of(data, "kind")
        if kind.endswith("List") and "items" in data:
            queue.extend(_list_items(ctx, data, origin, lines, empty, loc))
            continue
        out.append(_new_res(data, origin, lines, empty))
    return out


def _resource_problem(data: Any) -> str:
    if not isinstance(data, dict):
        return "document is not a mapping"
    if not _text_of(data, "kind"):
        return "missing kind"
    if not _text_of(data, "kind").endswith("List") and not _text_of(_meta(data), "name"):
        return "missing metadata.name"
    return ""


def _list_items(ctx: _Ctx, data: dict[str, Any], origin: Loc, lines: Mapping[Path, int], empty: frozenset[Path],
                loc: Loc) -> Iterator[tuple[Any, Loc, Mapping[Path, int], frozenset[Path]]]:
    items = data.get("items")
    if items is None:
        return
    if not isinstance(items, list):
        ctx.report(loc, f"{origin}: items of a {data.get('kind')} must be a list: not built")
        return
    for i, item in enumerate(items):
        item_lines = {k[2:]: v for k, v in lines.items() if k[:2] == ("items", i)}
        item_empty = frozenset(k[2:] for k in empty if k[:2] == ("items", i))
        yield item, Loc(origin.path, lines.get(("items", i), origin.line)), item_lines, item_empty


def _append_all(ctx: _Ctx, resmap: list[_Res], new: list[_Res], loc: Loc) -> None:
    """Add resources; kustomize refuses a second resource with the same id."""
    known = {_id_key(_cur_id(r)): r for r in resmap}
    for res in new:
        cur = _cur_id(res)
        twin = known.get(_id_key(cur))
        if twin is not None:
            ctx.report(loc, f"{cur.kind} '{cur.name}' from {res.origin} is already built "
                            f"(from {twin.origin}): the second is dropped")
            continue
        resmap.append(res)
        known[_id_key(cur)] = res


def _id_key(res_id: _Id) -> tuple[str, ...]:
    """What makes two ids equal (kustomize's ResId.Equals)."""
    return res_id.group, res_id.version, res_id.kind, res_id.name, res_id.effective_ns()


# ---------------------------------------------------------------------------------------------
# Generators: configMapGenerator and secretGenerator


def _run_generators(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    options = _map_field(kust, "generatorOptions")
    for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
        for i, args in _object_entries(ctx, kust, key):
            res = _generate(ctx, kust, key, i, args, kind, options)
            if res is not None:
                _absorb(ctx, resmap, res, kust.loc(key, i))


def _generate(ctx: _Ctx, kust: _Kust, key: str, i: int, args: dict[str, Any], kind: str,
              global_options: dict[str, Any]) -> _Res | None:
    loc = kust.loc(key, i)
    name = args.get("name")
    if not isinstance(name, str) or not name:
        ctx.report(loc, f"{key} entry {i + 1} has no name: not generated")
        return None
    pairs = _generator_pairs(ctx, kust, args, loc)
    if pairs is None:
        return None
    data: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}}
    namespace = args.get("namespace")
    if isinstance(namespace, str) and namespace:
        data["metadata"]["namespace"] = namespace
    if kind == "Secret":
        secret_type = args.get("type")
        data["type"] = secret_type if isinstance(secret_type, str) and secret_type else "Opaque"
        data["data"] = {k: _base64(v) for k, v in sorted(pairs.items())}
    elif pairs:
        data["data"] = {k: pairs[k] for k in sorted(pairs)}
    options = _merged_options(args.get("options"), global_options)
    for field_name, option in (("labels", "labels"), ("annotations", "annotations")):
        values = options.get(option)
        if isinstance(values, dict) and values:
            data["metadata"][field_name] = {_key_text(k): _scalar_text(v) for k, v in sorted(values.items())}
    if options.get("immutable") is True:
        data["immutable"] = True
    res = _Res(data, loc)
    behavior = args.get("behavior")
    res.behavior = behavior if behavior in ("create", "merge", "replace") else "unspecified"
    res.needs_hash = options.get("disableNameSuffixHash") is not True
    return res


def _merged_options(local: Any, global_options: dict[str, Any]) -> dict[str, Any]:
    """kustomize's MergeGlobalOptionsIntoLocal: local labels/annotations win, global flags can only turn on."""
    out = dict(local) if isinstance(local, dict) else {}
    for key in ("labels", "annotations"):
        glob = global_options.get(key)
        if isinstance(glob, dict):
            mine = out.get(key)
            out[key] = {**glob, **mine} if isinstance(mine, dict) else dict(glob)
    for flag in ("disableNameSuffixHash", "immutable"):
        if global_options.get(flag) is True:
            out[flag] = True
    return out


def _generator_pairs(ctx: _Ctx, kust: _Kust, args: dict[str, Any], loc: Loc) -> dict[str, str] | None:
    """Key/value pairs from envs, then literals, then files, as kustomize's kv loader reads them."""
    pairs: list[tuple[str, str]] = []
    envs = list(_list(args.get("envs"))) + ([args["env"]] if isinstance(args.get("env"), str) else [])
    for source in envs:
        found = _env_pairs(ctx, kust, source, loc)
        if found is None:
            return None
        pairs += found
    for literal in _list(args.get("literals")):
        parsed = _literal_pair(literal)
        if parsed is None:
            ctx.report(loc, "a literal is not of the form key=value: not generated")
            return None
        pairs.append(parsed)
    for source in _list(args.get("files")):
        found_file = _file_pair(ctx, kust, source, loc)
        if found_file is None:
            return None
        pairs.append(found_file)
    out: dict[str, str] = {}
    for key, value in pairs:
        if key in out:
            # Keys are not named: a bare line of an env file becomes a key, and it may be a secret.
            ctx.report(loc, "the same key is given twice: not generated")
            return None
        out[key] = value
    return out


def _literal_pair(literal: Any) -> tuple[str, str] | None:
    text = literal if isinstance(literal, str) else _scalar_text(literal)
    key, sep, value = text.partition("=")
    if not sep or not key:
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return key, value


def _env_pairs(ctx: _Ctx, kust: _Kust, source: Any, loc: Loc) -> list[tuple[str, str]] | None:
    text = _generator_file(ctx, kust, source, loc, "env file")
    if text is None:
        return None
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if number == 1:
            line = line.removeprefix("\ufeff")
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if key:  # kustomize v5 validates no names: any text before '=' is a key
            pairs.append((key, value))
    return pairs


def _file_pair(ctx: _Ctx, kust: _Kust, source: Any, loc: Loc) -> tuple[str, str] | None:
    if not isinstance(source, str) or not source:
        ctx.report(loc, "a files entry is not a path: not generated")
        return None
    if source.count("=") > 1 or source.startswith("=") or source.endswith("="):
        ctx.report(loc, f"files entry '{source}' is not [key=]path: not generated")
        return None
    key, _, file_path = source.rpartition("=")
    text = _generator_file(ctx, kust, file_path, loc, "file")
    if text is None:
        return None
    return key or posixpath.basename(file_path), text


def _generator_file(ctx: _Ctx, kust: _Kust, source: Any, loc: Loc, what: str) -> str | None:
    if not isinstance(source, str) or not source:
        ctx.report(loc, f"{what} entry is not a path: not generated")
        return None
    if _is_remote(source):
        ctx.report(loc, f"remote resource not fetched: {source}", Severity.WARNING)
        return None
    path = _join(kust.folder, source)
    if path is not None and not _within(path, kust.folder):
        ctx.report(loc, f"{what} '{source}' is outside the kustomization's folder: kustomize refuses to load it")
        return None
    return ctx.read_or_report(path, loc, what)


def _base64(value: str) -> str:
    """kyaml's encodeBase64: standard base64, broken into 70-character lines once it is longer than that."""
    encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
    if len(encoded) < 70:
        return encoded
    return "".join(encoded[i:i + 70] + "\n" for i in range(0, len(encoded), 70))


def _absorb(ctx: _Ctx, resmap: list[_Res], res: _Res, loc: Loc) -> None:
    """kustomize's appendReplaceOrMerge: a generated object is added, or merges into/replaces its namesake."""
    cur = _cur_id(res)
    matches = [r for r in resmap if _any_id_matches(r, cur.equals)]
    if not matches:
        if res.behavior in ("merge", "replace"):
            ctx.report(loc, f"{cur.kind} '{cur.name}' does not exist: cannot {res.behavior} it")
            return
        resmap.append(res)
        return
    if len(matches) > 1:
        ctx.report(loc, f"several objects could take the {res.behavior} of {cur.kind} '{cur.name}'")
        return
    old = matches[0]
    if res.behavior not in ("merge", "replace"):
        ctx.report(loc, f"{cur.kind} '{cur.name}' already exists: behavior must be merge or replace")
        return
    merged = _merged_generated(old, res)
    resmap[resmap.index(old)] = merged


def _merged_generated(old: _Res, new: _Res) -> _Res:
    """CopyMergeMetaDataFieldsFrom (and for merge, the data maps): build state comes from the old object."""
    data = new.data
    _set_string_map(data, "labels", {**_labels(old.data), **_labels(data)})
    _set_string_map(data, "annotations", {**_annotations(old.data), **_annotations(data)})
    _set_meta_raw(data, "name", _meta(old.data).get("name"))
    _set_meta_raw(data, "namespace", _meta(old.data).get("namespace"))
    origin = new.origin
    if new.behavior == "merge":
        for key in ("data", "binaryData"):
            merged = {**_data_map(old.data, key), **_data_map(data, key)}
            data.pop(key, None)
            if merged:
                data[key] = {k: merged[k] for k in sorted(merged)}
        origin = old.origin
    return _Res(data, origin, prev=list(old.prev), prefixes=list(old.prefixes), suffixes=list(old.suffixes),
                behavior=old.behavior, needs_hash=old.needs_hash and new.needs_hash, var_names=list(old.var_names))


def _set_meta_raw(data: dict[str, Any], key: str, value: Any) -> None:
    meta = data.setdefault("metadata", {})
    if value is None or value == "":
        meta.pop(key, None)
    else:
        meta[key] = _scalar_text(value)


def _data_map(data: dict[str, Any], key: str) -> dict[str, str]:
    values = data.get(key)
    return {_key_text(k): _scalar_text(v) for k, v in values.items()} if isinstance(values, dict) else {}


# ---------------------------------------------------------------------------------------------
# Field specs: where kustomize's builtin transformers look (from its builtinpluginconsts)


@dataclass(frozen=True)
class _FieldSpec:
    """A path in objects of a group/version/kind (empty parts match any); `create` adds missing fields."""

    group: str
    version: str
    kind: str
    path: str
    create: bool = False

    def matches(self, res: _Res) -> bool:
        group, version, kind = _gvk(res)
        return ((not self.kind or self.kind == kind) and (not self.group or self.group == group)
                and (not self.version or self.version == version))


def _specs(text: str) -> tuple[_FieldSpec, ...]:
    """Parse lines of 'path group:version:kind [+]' ('+' = create when missing)."""
    out = []
    for line in text.strip().splitlines():
        parts = line.split()
        group, version, kind = parts[1].split(":")
        out.append(_FieldSpec(group, version, kind, parts[0], len(parts) > 2 and parts[2] == "+"))
    return tuple(out)


_METADATA_LABELS = _specs("""
metadata/labels :: +
spec/template/metadata/labels :v1:ReplicationController +
spec/template/metadata/labels ::Deployment +
spec/template/metadata/labels ::ReplicaSet +
spec/template/metadata/labels ::DaemonSet +
spec/template/metadata/labels apps::StatefulSet +
spec/volumeClaimTemplates[]/metadata/labels apps::StatefulSet +
spec/template/metadata/labels batch::Job +
spec/jobTemplate/metadata/labels batch::CronJob +
spec/jobTemplate/spec/template/metadata/labels batch::CronJob +
""")

_SELECTOR_LABELS = _specs("""
spec/selector :v1:Service +
spec/selector :v1:ReplicationController +
spec/selector/matchLabels ::Deployment +
spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels apps::Deployment
spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels apps::Deployment
spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels apps::Deployment
spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels apps::Deployment
spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels apps::Deployment
spec/selector/matchLabels ::ReplicaSet +
spec/selector/matchLabels ::DaemonSet +
spec/selector/matchLabels apps::StatefulSet +
spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels apps::StatefulSet
spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels apps::StatefulSet
spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels apps::StatefulSet
spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels apps::StatefulSet
spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels apps::StatefulSet
spec/selector/matchLabels batch::Job
spec/jobTemplate/spec/selector/matchLabels batch::CronJob
spec/selector/matchLabels policy::PodDisruptionBudget
spec/podSelector/matchLabels networking.k8s.io::NetworkPolicy
spec/ingress/from/podSelector/matchLabels networking.k8s.io::NetworkPolicy
spec/egress/to/podSelector/matchLabels networking.k8s.io::NetworkPolicy
""")

_COMMON_LABELS = _SELECTOR_LABELS + _METADATA_LABELS

_COMMON_ANNOTATIONS = _specs("""
metadata/annotations :: +
spec/template/metadata/annotations :v1:ReplicationController +
spec/template/metadata/annotations ::Deployment +
spec/template/metadata/annotations ::ReplicaSet +
spec/template/metadata/annotations ::DaemonSet +
spec/template/metadata/annotations ::StatefulSet +
spec/template/metadata/annotations batch::Job +
spec/jobTemplate/metadata/annotations batch::CronJob +
spec/jobTemplate/spec/template/metadata/annotations batch::CronJob +
""")

_NAMESPACE_SPECS = _specs("""
metadata/name ::Namespace +
spec/service/namespace apiregistration.k8s.io::APIService +
spec/conversion/webhook/clientConfig/service/namespace apiextensions.k8s.io::CustomResourceDefinition
""")

_IMAGE_SPECS = _specs("""
spec/containers[]/image :: +
spec/initContainers[]/image :: +
spec/template/spec/containers[]/image :: +
spec/template/spec/initContainers[]/image :: +
""")

_REPLICA_SPECS = _specs("""
spec/replicas ::Deployment +
spec/replicas ::ReplicationController +
spec/replicas ::ReplicaSet +
spec/replicas ::StatefulSet +
""")


def _pod_refs(kinds: str, paths: str) -> str:
    """Referrer specs for pod-spec fields in each workload kind ('Pod' only in version v1 where marked 'Pod1')."""
    prefixes = {"Pod": "spec/", "Pod1": "spec/", "PodTemplate": "template/spec/",
                "CronJob": "spec/jobTemplate/spec/template/spec/"}
    lines = []
    for kind in kinds.split():
        prefix = prefixes.get(kind, "spec/template/spec/")
        gvk = ":v1:Pod" if kind == "Pod1" else f"::{kind}"
        lines += [f"{prefix}{path} {gvk}" for path in paths.split()]
    return "\n".join(lines)


_CONFIG_MAP_PATHS = ("volumes/configMap/name containers/env/valueFrom/configMapKeyRef/name "
                     "initContainers/env/valueFrom/configMapKeyRef/name containers/envFrom/configMapRef/name "
                     "initContainers/envFrom/configMapRef/name volumes/projected/sources/configMap/name")
_SECRET_PATHS = ("volumes/secret/secretName containers/env/valueFrom/secretKeyRef/name "
                 "initContainers/env/valueFrom/secretKeyRef/name containers/envFrom/secretRef/name "
                 "initContainers/envFrom/secretRef/name imagePullSecrets/name volumes/projected/sources/secret/name")
_DATA_REFERRERS = "Pod1 PodTemplate Deployment ReplicaSet DaemonSet StatefulSet Job CronJob"
_POD_REFERRERS = "Pod StatefulSet Deployment ReplicationController CronJob Job DaemonSet"

# (group, version, kind) of the referred object -> the fields that refer to it by name.
_NAME_REFERENCES: tuple[tuple[tuple[str, str, str], tuple[_FieldSpec, ...]], ...] = tuple(
    ((target.split(":")[0], target.split(":")[1], target.split(":")[2]), _specs(specs)) for target, specs in (
        ("::Deployment", "spec/scaleTargetRef/name ::HorizontalPodAutoscaler"),
        ("::ReplicationController", "spec/scaleTargetRef/name ::HorizontalPodAutoscaler"),
        ("::ReplicaSet", "spec/scaleTargetRef/name ::HorizontalPodAutoscaler"),
        ("::StatefulSet", "spec/scaleTargetRef/name ::HorizontalPodAutoscaler"),
        (":v1:ConfigMap", _pod_refs(_DATA_REFERRERS, _CONFIG_MAP_PATHS) + """
spec/configSource/configMap ::Node
rules/resourceNames ::Role
rules/resourceNames ::ClusterRole
metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap ::Ingress"""),
        (":v1:Secret", _pod_refs(_DATA_REFERRERS, _SECRET_PATHS) + """
spec/tls/secretName ::Ingress
metadata/annotations/ingress.kubernetes.io\\/auth-secret ::Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret ::Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret ::Ingress
spec/tls/secretName ::Ingress
imagePullSecrets/name ::ServiceAccount
parameters/secretName ::StorageClass
parameters/adminSecretName ::StorageClass
parameters/userSecretName ::StorageClass
parameters/secretRef ::StorageClass
rules/resourceNames ::Role
rules/resourceNames ::ClusterRole
spec/template/spec/containers/env/valueFrom/secretKeyRef/name serving.knative.dev:v1:Service
spec/azureFile/secretName ::PersistentVolume"""),
        (":v1:Service", """
spec/serviceName apps::StatefulSet
spec/rules/http/paths/backend/serviceName ::Ingress
spec/backend/serviceName ::Ingress
spec/rules/http/paths/backend/service/name ::Ingress
spec/defaultBackend/service/name ::Ingress
spec/service/name apiregistration.k8s.io::APIService
webhooks/clientConfig/service admissionregistration.k8s.io::ValidatingWebhookConfiguration
webhooks/clientConfig/service admissionregistration.k8s.io::MutatingWebhookConfiguration"""),
        ("rbac.authorization.k8s.io::Role", "roleRef/name rbac.authorization.k8s.io::RoleBinding"),
        ("rbac.authorization.k8s.io::ClusterRole", """
roleRef/name rbac.authorization.k8s.io::RoleBinding
roleRef/name rbac.authorization.k8s.io::ClusterRoleBinding"""),
        (":v1:ServiceAccount", """
subjects rbac.authorization.k8s.io::RoleBinding
subjects rbac.authorization.k8s.io::ClusterRoleBinding
""" + _pod_refs(_POD_REFERRERS, "serviceAccountName")),
        (":v1:PersistentVolumeClaim", _pod_refs(_POD_REFERRERS, "volumes/persistentVolumeClaim/claimName")),
        (":v1:PersistentVolume", "spec/volumeName ::PersistentVolumeClaim\nrules/resourceNames ::ClusterRole"),
        ("storage.k8s.io:v1:StorageClass", """
spec/storageClassName ::PersistentVolume
spec/storageClassName ::PersistentVolumeClaim
spec/volumeClaimTemplates/spec/storageClassName ::StatefulSet"""),
        ("scheduling.k8s.io:v1:PriorityClass", _pod_refs(_POD_REFERRERS, "priorityClassName")),
        # kustomize's config names the group "networking.k8s.io/v1", so this reference never matches.
        ("networking.k8s.io/v1:v1:IngressClass", "spec/ingressClassName ::Ingress"),
        ("admissionregistration.k8s.io::ValidatingAdmissionPolicy",
         "spec/policyName admissionregistration.k8s.io::ValidatingAdmissionPolicyBinding"),
    ))


_CONTAINER_VAR_PATHS = " ".join(f"{c}/{p}" for c in ("containers", "initContainers")
                                for p in ("args", "command", "env/value", "volumeMounts/mountPath"))

# Where `$(VAR)` is replaced.
_VAR_REFERENCES = _specs(_pod_refs("CronJob DaemonSet Deployment Job Pod ReplicaSet StatefulSet", _CONTAINER_VAR_PATHS)
                         + "\n" + _pod_refs("DaemonSet Deployment Job Pod ReplicaSet", "volumes/nfs/server") + """
spec/jobTemplate/spec/template/volumes/nfs/server ::CronJob
spec/template/metadata/annotations ::Deployment
spec/rules/host ::Ingress
spec/tls/hosts ::Ingress
spec/tls/secretName ::Ingress
spec/ports/port ::Service
spec/ports/targetPort ::Service
spec/volumeClaimTemplates/spec/nfs/server ::StatefulSet
spec/nfs/server ::PersistentVolume
metadata/labels ::
metadata/annotations ::""")

_NameRefs = tuple[tuple[tuple[str, str, str], tuple[_FieldSpec, ...]], ...]


@dataclass(frozen=True)
class _Config:
    """kustomize's TransformerConfig: the fields each builtin transformer visits (defaults plus `configurations`)."""

    namePrefix: tuple[_FieldSpec, ...] = ()
    nameSuffix: tuple[_FieldSpec, ...] = ()
    namespace: tuple[_FieldSpec, ...] = ()
    commonLabels: tuple[_FieldSpec, ...] = ()
    labels: tuple[_FieldSpec, ...] = ()
    templateLabels: tuple[_FieldSpec, ...] = ()
    commonAnnotations: tuple[_FieldSpec, ...] = ()
    images: tuple[_FieldSpec, ...] = ()
    replicas: tuple[_FieldSpec, ...] = ()
    varReference: tuple[_FieldSpec, ...] = ()
    nameReference: _NameRefs = ()

    def merge(self, other: _Config) -> _Config:
        """TransformerConfig.Merge: specs already covered are not added twice."""
        merged = {name: _merge_specs(getattr(self, name), getattr(other, name)) for name in _SPEC_FIELDS}
        refs = list(self.nameReference)
        for gvk, specs in other.nameReference:
            at = next((i for i, (g, _) in enumerate(refs) if g == gvk), None)
            if at is None:
                refs.append((gvk, specs))
            else:
                refs[at] = (gvk, _merge_specs(refs[at][1], specs))
        return _Config(**merged, nameReference=tuple(refs))


_SPEC_FIELDS = ("namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "templateLabels",
                "commonAnnotations", "images", "replicas", "varReference")

_DEFAULT_CONFIG = _Config(
    namePrefix=(_FieldSpec("", "", "", "metadata/name"),), nameSuffix=(_FieldSpec("", "", "", "metadata/name"),),
    namespace=_NAMESPACE_SPECS, commonLabels=_COMMON_LABELS, templateLabels=_METADATA_LABELS,
    commonAnnotations=_COMMON_ANNOTATIONS, images=_IMAGE_SPECS, replicas=_REPLICA_SPECS,
    varReference=_VAR_REFERENCES, nameReference=_NAME_REFERENCES)


def _load_configurations(ctx: _Ctx, kust: _Kust) -> _Config:
    """The kustomization's `configurations` files: extra field specs for the builtin transformers."""
    config = _Config()
    for i, entry in _str_entries(ctx, kust, "configurations"):
        loc = kust.loc("configurations", i)
        text = _patch_file(ctx, kust, entry, loc)
        if text is None:
            continue
        try:
            docs = _load_yaml(text, ctx.limits)
        except YamlError as exc:
            ctx.report(loc, f"configuration '{entry}': {exc.message}")
            continue
        data = docs[0].data if docs and isinstance(docs[0].data, dict) else {}
        config = config.merge(_config_from(ctx, loc, entry, data))
    return config


def _config_from(ctx: _Ctx, loc: Loc, entry: str, data: dict[str, Any]) -> _Config:
    specs: dict[str, tuple[_FieldSpec, ...]] = {}
    for key, items in data.items():
        if key in _SPEC_FIELDS:
            specs[key] = _merge_specs((), (x for x in map(_parse_fieldspec, _list(items)) if x is not None))
        elif key != "nameReference":
            ctx.report(loc, f"configuration '{entry}': unknown section '{key}': ignored", Severity.WARNING)
    refs: list[tuple[tuple[str, str, str], tuple[_FieldSpec, ...]]] = []
    for item in _list(data.get("nameReference")):
        if isinstance(item, dict):
            gvk = tuple(str(item.get(k) or "") for k in ("group", "version", "kind"))
            referrers = tuple(s for s in map(_parse_fieldspec, _list(item.get("fieldSpecs"))) if s is not None)
            refs.append(((gvk[0], gvk[1], gvk[2]), referrers))
    return _Config(**specs, nameReference=tuple(refs))


def _split_path(path: str) -> list[str]:
    """A field-spec path split on '/', where '\\/' is a literal slash."""
    parts = re.split(r"(?<!\\)/", path)
    return [part.replace("\\/", "/") for part in parts if part]


class _SpecError(Exception):
    """A field on a field-spec path is neither a mapping nor a list (kustomize stops the build)."""


# A setter gets the container and key (or index) of the node at the end of a field-spec path.
_Setter = Callable[[Any, Any], None]


def _visit_spec(data: dict[str, Any], spec: _FieldSpec, create: str | None, setter: _Setter) -> None:
    """kustomize's fieldspec filter: walk `spec.path` (through lists), creating what is missing if asked."""
    holder = {"": data}
    _visit_parts(holder, "", _split_path(spec.path), spec.create and create is not None, create, setter)


def _visit_parts(container: Any, key: Any, parts: list[str], create: bool, leaf_kind: str | None,
                 setter: _Setter) -> None:
    if not parts:
        setter(container, key)
        return
    node = container[key]
    if node is None:
        return
    if isinstance(node, list):
        for i in range(len(node)):
            _visit_parts(node, i, parts, create, leaf_kind, setter)
        return
    if not isinstance(node, dict):
        raise _SpecError(f"expected a mapping or list on the way to '{parts[0]}'")
    name = parts[0].removesuffix("[]")
    is_seq = name != parts[0]
    if not create or is_seq:
        if name in node and (len(parts) == 1 or node[name] is not None):
            _visit_parts(node, name, parts[1:], create, leaf_kind, setter)
        return
    if node.get(name) is None:
        node[name] = {} if len(parts) > 1 or leaf_kind == "map" else None
    _visit_parts(node, name, parts[1:], create, leaf_kind, setter)


def _set_scalar(value: str) -> _Setter:
    def setter(container: Any, key: Any) -> None:
        container[key] = value
    return setter


def _set_entry(name: str, value: str) -> _Setter:
    def setter(container: Any, key: Any) -> None:
        node = container[key]
        if node is None:
            node = container[key] = {}
        if isinstance(node, dict):
            node[name] = value
    return setter


# ---------------------------------------------------------------------------------------------
# Transformers, in kustomize's order


def _run_transformers(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    _patch_strategic_merge(ctx, kust, resmap)
    _patches(ctx, kust, resmap)
    _namespace_transform(ctx, kust, resmap, config)
    _prefix_suffix(ctx, kust, resmap, config)
    _label_transforms(ctx, kust, resmap, config)
    _annotation_transform(ctx, kust, resmap, config)
    _patches_json6902(ctx, kust, resmap)
    _replica_transforms(ctx, kust, resmap, config)
    _image_transforms(ctx, kust, resmap, config)
    _replacements(ctx, kust, resmap)
    _builtin_plugins(ctx, kust, resmap, config)


def _builtin_plugins(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    """`transformers:` configs of kustomize's builtin transformers (apiVersion: builtin) run in process, after
    the kustomization's own; any other plugin would be a program to run, which this build never does."""
    for i, entry in _str_entries(ctx, kust, "transformers"):
        loc = kust.loc("transformers", i)
        for plugin in _plugin_configs(ctx, kust, entry, loc):
            kind = _text_of(plugin, "kind")
            run = _BUILTIN_TRANSFORMERS.get(kind) if _text_of(plugin, "apiVersion") == "builtin" else None
            if run is None:
                ctx.report(loc, f"transformer plugin {kind or '?'} not run (only kustomize's builtin ones are)",
                           Severity.WARNING)
            else:
                run(ctx, kust, resmap, plugin, loc)


def _plugin_configs(ctx: _Ctx, kust: _Kust, entry: str, loc: Loc) -> list[dict[str, Any]]:
    inline = _patch_docs(entry, ctx.limits)
    if inline:
        return inline
    text = _patch_file(ctx, kust, entry, loc)
    docs = _patch_docs(text, ctx.limits) if text is not None else []
    if docs is None:
        ctx.report(loc, f"transformer config '{entry}' is not a list of objects: not run")
    return docs or []


def _specs_of(plugin: dict[str, Any]) -> tuple[_FieldSpec, ...]:
    return tuple(s for s in map(_parse_fieldspec, _list(plugin.get("fieldSpecs"))) if s is not None)


def _run_labels(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _set_map_entries(ctx, loc, resmap, _string_map(ctx, kust, plugin.get("labels")), _specs_of(plugin))


def _run_annotations(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _set_map_entries(ctx, loc, resmap, _string_map(ctx, kust, plugin.get("annotations")), _specs_of(plugin))


def _run_prefix(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    if plugin.get("prefix"):
        _affix(ctx, loc, resmap, _specs_of(plugin), _scalar_text(plugin["prefix"]), "")


def _run_suffix(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    if plugin.get("suffix"):
        _affix(ctx, loc, resmap, _specs_of(plugin), "", _scalar_text(plugin["suffix"]))


def _run_namespace(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    if plugin.get("unsetOnly") or plugin.get("setRoleBindingSubjects") not in (None, "", "defaultOnly"):
        ctx.report(loc, "NamespaceTransformer options unsetOnly/setRoleBindingSubjects are not supported: not run",
                   Severity.WARNING)
        return
    namespace = _text_of(_meta(plugin), "namespace")
    if namespace:
        _apply_namespace(ctx, loc, resmap, namespace, _specs_of(plugin))


def _run_image(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _apply_image(ctx, loc, resmap, _mapping(plugin.get("imageTag")), _specs_of(plugin))


def _run_replicas(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _apply_replica(ctx, loc, resmap, _mapping(plugin.get("replica")), _specs_of(plugin))


def _run_patch(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _apply_patch(ctx, kust, resmap, plugin, loc)


def _run_json6902(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    _apply_json6902(ctx, kust, resmap, {**plugin, "patch": plugin.get("jsonOp")}, loc)


def _run_smp(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    for path in _list(plugin.get("paths")):
        _apply_smp_entry(ctx, kust, resmap, _scalar_text(path), loc)
    if isinstance(plugin.get("patches"), str):
        _apply_smp_entry(ctx, kust, resmap, plugin["patches"], loc)


def _run_replacements(ctx: _Ctx, kust: _Kust, resmap: list[_Res], plugin: dict[str, Any], loc: Loc) -> None:
    for entry in _list(plugin.get("replacements")):
        _apply_replacements(ctx, kust, resmap, _mapping(entry), loc)


_Plugin = Callable[[_Ctx, _Kust, list[_Res], dict[str, Any], Loc], None]
_BUILTIN_TRANSFORMERS: dict[str, _Plugin] = {
    "LabelTransformer": _run_labels, "AnnotationsTransformer": _run_annotations, "PrefixTransformer": _run_prefix,
    "SuffixTransformer": _run_suffix, "NamespaceTransformer": _run_namespace, "ImageTagTransformer": _run_image,
    "ReplicaCountTransformer": _run_replicas, "PatchTransformer": _run_patch, "PatchJson6902Transformer": _run_json6902,
    "PatchStrategicMergeTransformer": _run_smp, "ReplacementTransformer": _run_replacements,
}


def _transform_each(ctx: _Ctx, loc: Loc, resmap: list[_Res], fn: Callable[[_Res], None]) -> None:
    for res in resmap:
        try:
            fn(res)
        except _SpecError as exc:
            ctx.report(loc, f"{_kind(res)} '{_name(res)}': {exc}")


def _namespace_transform(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    namespace = _str_field(kust, "namespace")
    if namespace:
        _apply_namespace(ctx, kust.loc("namespace"), resmap, namespace, config.namespace)


def _apply_namespace(ctx: _Ctx, loc: Loc, resmap: list[_Res], namespace: str,
                     specs: tuple[_FieldSpec, ...]) -> None:
    """The NamespaceTransformer: every namespaced object, 'default' RoleBinding subjects, and the specs."""
    def apply(res: _Res) -> None:
        _store_prev(res)
        if not _cur_id(res).cluster_scoped:
            _set_meta(res, "namespace", namespace)
        if _kind(res) in ("RoleBinding", "ClusterRoleBinding"):
            for subject in _list(res.data.get("subjects")):
                if isinstance(subject, dict) and _text_of(subject, "name") == "default":
                    subject["namespace"] = namespace
        for spec in specs:
            # kustomize sets metadata.namespace itself, and renames only core (v1) Namespaces.
            if spec.path == "metadata/namespace" or (
                    spec.path == "metadata/name" and res.data.get("apiVersion") != "v1"):
                continue
            if spec.matches(res):
                _visit_spec(res.data, spec, "scalar", _set_scalar(namespace))

    _transform_each(ctx, loc, resmap, apply)
    seen: set[tuple[str, ...]] = set()
    for cur in map(_cur_id, resmap):
        key = _id_key(cur)
        if key in seen:
            ctx.report(loc, f"namespace '{namespace}' makes two objects {cur.kind} '{cur.name}'")
            break
        seen.add(key)


def _prefix_suffix(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    prefix, suffix = _str_field(kust, "namePrefix"), _str_field(kust, "nameSuffix")
    if prefix:
        _affix(ctx, kust.loc("namePrefix"), resmap, config.namePrefix, prefix, "")
    if suffix:
        _affix(ctx, kust.loc("nameSuffix"), resmap, config.nameSuffix, "", suffix)


def _affix(ctx: _Ctx, loc: Loc, resmap: list[_Res], specs: tuple[_FieldSpec, ...], prefix: str,
           suffix: str) -> None:
    """The Prefix/SuffixTransformer: add to each spec'd field; renaming metadata.name is remembered."""
    def setter(container: Any, key: Any) -> None:
        container[key] = prefix + _scalar_text(container[key]) + suffix

    def apply(res: _Res) -> None:
        org = _org_id(res)
        # kustomize never renames these kinds (by their original id).
        if org.kind in ("CustomResourceDefinition", "Namespace") or (
                org.kind == "APIService" and org.group == "apiregistration.k8s.io"):
            return
        for spec in specs:
            if not org.selected_by(spec.group, spec.version, spec.kind):
                continue
            if spec.path == "metadata/name":
                (res.prefixes if prefix else res.suffixes).append(prefix or suffix)
                _store_prev(res)
            if spec.matches(res):
                _visit_spec(res.data, spec, "scalar", setter)

    _transform_each(ctx, loc, resmap, apply)


def _label_transforms(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    for i, label in _object_entries(ctx, kust, "labels"):
        pairs = _string_map(ctx, kust, label.get("pairs"), "labels", i, "pairs")
        specs = _label_specs(ctx, kust, i, label, config)
        _set_map_entries(ctx, kust.loc("labels", i), resmap, pairs, specs)
    common = _string_map(ctx, kust, kust.data.get("commonLabels"), "commonLabels")
    _set_map_entries(ctx, kust.loc("commonLabels"), resmap, common, config.commonLabels)


def _label_specs(ctx: _Ctx, kust: _Kust, i: int, label: dict[str, Any], config: _Config) -> tuple[_FieldSpec, ...]:
    specs: list[_FieldSpec] = []
    for j, item in enumerate(_list(label.get("fields"))):
        spec = _parse_fieldspec(item)
        if spec is None:
            ctx.report(kust.loc("labels", i, "fields", j), "a labels field spec needs a path: ignored")
        else:
            specs.append(spec)
    specs = list(_merge_specs(specs, config.labels))
    if label.get("includeSelectors") is True:
        return _merge_specs(specs, config.commonLabels)
    if label.get("includeTemplates") is True:
        specs = list(_merge_specs(specs, config.templateLabels))
    return _merge_specs(specs, (_FieldSpec("", "", "", "metadata/labels", True),))


def _parse_fieldspec(item: Any) -> _FieldSpec | None:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        return None
    group, version, kind, path = (str(item.get(k) or "") for k in ("group", "version", "kind", "path"))
    return _FieldSpec(group, version, kind, path, item.get("create") is True)


def _merge_specs(specs: Iterable[_FieldSpec], more: Iterable[_FieldSpec]) -> tuple[_FieldSpec, ...]:
    """FsSlice.MergeAll: a spec already covered (same path, selected by the new gvk) is not added twice."""
    out = list(specs)
    by_path: dict[str, list[_FieldSpec]] = {}  # only specs of the same path can cover one another
    for s in out:
        by_path.setdefault(s.path, []).append(s)
    for spec in more:
        same = by_path.setdefault(spec.path, [])
        if not any((not spec.group or s.group == spec.group) and (not spec.version or s.version == spec.version)
                   and (not spec.kind or s.kind == spec.kind) for s in same):
            out.append(spec)
            same.append(spec)
    return tuple(out)


def _set_map_entries(ctx: _Ctx, loc: Loc, resmap: list[_Res], values: dict[str, str],
                     specs: Iterable[_FieldSpec]) -> None:
    if not values:
        return
    spec_list = list(specs)

    def apply(res: _Res) -> None:
        for key in sorted(values):
            for spec in spec_list:
                if spec.matches(res):
                    _visit_spec(res.data, spec, "map", _set_entry(key, values[key]))

    _transform_each(ctx, loc, resmap, apply)


def _annotation_transform(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    values = _string_map(ctx, kust, kust.data.get("commonAnnotations"), "commonAnnotations")
    _set_map_entries(ctx, kust.loc("commonAnnotations"), resmap, values, config.commonAnnotations)


def _replica_transforms(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    for i, entry in _object_entries(ctx, kust, "replicas"):
        _apply_replica(ctx, kust.loc("replicas", i), resmap, entry, config.replicas)


def _apply_replica(ctx: _Ctx, loc: Loc, resmap: list[_Res], entry: dict[str, Any],
                   specs: tuple[_FieldSpec, ...]) -> None:
    """The ReplicaCountTransformer: set the count wherever the specs point in objects of that name."""
    name, count = entry.get("name"), entry.get("count")
    if not isinstance(name, str) or not isinstance(count, int) or isinstance(count, bool):
        ctx.report(loc, "replicas entries need a name and an integer count: ignored")
        return
    found = False
    for spec in specs:
        matched = [r for r in resmap if _any_id_matches(
            r, lambda i: i.name == name and i.selected_by(spec.group, spec.version, spec.kind))]
        found = found or bool(matched)

        def apply(res: _Res, spec: _FieldSpec = spec) -> None:
            if spec.matches(res):
                _visit_spec(res.data, spec, "scalar", lambda c, k: c.__setitem__(k, count))

        _transform_each(ctx, loc, matched, apply)
    if not found:
        ctx.report(loc, f"replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet is named '{name}'")


def _image_transforms(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    for key in ("images", "imageTags"):
        for i, image in _object_entries(ctx, kust, key):
            _apply_image(ctx, kust.loc(key, i), resmap, image, config.images)


def _apply_image(ctx: _Ctx, loc: Loc, resmap: list[_Res], image: dict[str, Any],
                 specs: tuple[_FieldSpec, ...]) -> None:
    """The ImageTagTransformer: every container list anywhere, then the specs' image fields."""
    values = {k: image.get(k) for k in ("name", "newName", "newTag", "digest", "tagSuffix")}
    bad = [k for k, v in values.items() if v is not None and not isinstance(v, str)]
    if bad or not values["name"]:
        ctx.report(loc, f"image entry needs a name and string values ({', '.join(bad)} must be quoted): ignored")
        return
    update = _image_updater({k: v or "" for k, v in values.items()})

    def apply(res: _Res) -> None:
        if _kind(res) != "CustomResourceDefinition":
            _update_container_images(res.data, update)
            for spec in specs:
                if spec.matches(res):
                    _visit_spec(res.data, spec, None, update)

    _transform_each(ctx, loc, resmap, apply)


def _update_container_images(node: Any, update: _Setter) -> None:
    """The legacy image filter: every 'containers' and 'initContainers' list anywhere in the object."""
    if isinstance(node, dict):
        for key, value in node.items():
            _update_container_images(value, update)
            if key in ("containers", "initContainers") and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "image" in item:
                        update(item, "image")
    elif isinstance(node, list):
        for item in node:
            _update_container_images(item, update)


def _image_updater(image: dict[str, str]) -> _Setter:
    try:
        pattern: re.Pattern[str] | None = re.compile(
            "^" + image["name"] + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
    except re.error:
        pattern = None

    def update(container: Any, key: Any) -> None:
        value = container[key]
        if not isinstance(value, str) or pattern is None or not pattern.match(value):
            return
        name, tag, digest = _split_image(value)
        name = image["newName"] or name
        if image["newTag"] and image["digest"]:
            tag, digest = image["newTag"], image["digest"]
        elif image["newTag"]:
            tag, digest = image["newTag"], ""
        elif image["digest"]:
            tag, digest = "", image["digest"]
        elif image["tagSuffix"]:
            tag, digest = tag + image["tagSuffix"], ""
        container[key] = name + (":" + tag if tag else "") + ("@" + digest if digest else "")

    return update


def _split_image(image: str) -> tuple[str, str, str]:
    """kustomize's image.Split: (name, tag, digest), looking for ':' and '@' after the first '/'."""
    slash = image.find("/")
    start = slash if slash > 0 else 0
    search = image[start:]
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        return image[:at + start], "", image[at + start + 1:]
    if at >= 0 and colon >= 0:
        return image[:colon + start], image[colon + start + 1:at + start], image[at + start + 1:]
    return image[:colon + start], image[colon + start + 1:], ""


# ---------------------------------------------------------------------------------------------
# Patches


class _PatchError(Exception):
    """A patch that kustomize would refuse to apply; the message never quotes values."""


def _patch_docs(text: str, limits: Limits) -> list[dict[str, Any]] | None:
    """Strategic-merge patch documents (Lists unwrapped), or None when the text is not resources."""
    try:
        docs = _parse_resources(text, limits)
    except YamlError:
        return None
    queue: deque[Any] = deque(doc.data for doc in docs)
    out: list[dict[str, Any]] = []
    while queue:
        data = queue.popleft()
        if data is None or data == {}:
            continue
        if _resource_problem(data):
            return None
        if _text_of(data, "kind").endswith("List") and "items" in data:
            queue.extend(_list(data.get("items")))
            continue
        out.append(data)
    return out


def _patch_strategic_merge(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    for i, entry in _str_entries(ctx, kust, "patchesStrategicMerge"):
        _apply_smp_entry(ctx, kust, resmap, entry, kust.loc("patchesStrategicMerge", i))


def _apply_smp_entry(ctx: _Ctx, kust: _Kust, resmap: list[_Res], entry: str, loc: Loc) -> None:
    """A patchesStrategicMerge entry: inline patches, else a file of them; each names its one target."""
    inline = _patch_docs(entry, ctx.limits)
    patches = inline if inline else _file_patch_docs(ctx, kust, entry, loc)
    for patch in patches or []:  # None after a reported problem
        target = _unique_target(ctx, resmap, patch, loc)
        if target is not None:
            _apply_smp_to(ctx, resmap, [target], patch, loc, copy_meta=True)


def _file_patch_docs(ctx: _Ctx, kust: _Kust, entry: str, loc: Loc) -> list[dict[str, Any]] | None:
    text = _patch_file(ctx, kust, entry, loc)
    if text is None:
        return None
    docs = _patch_docs(text, ctx.limits)
    if docs is None:
        ctx.report(loc, f"patch '{entry}' is not a strategic-merge patch (each document needs kind and name)")
    return docs


def _patch_file(ctx: _Ctx, kust: _Kust, entry: str, loc: Loc) -> str | None:
    if _is_remote(entry):
        ctx.report(loc, f"remote resource not fetched: {entry}", Severity.WARNING)
        return None
    path = _join(kust.folder, entry)
    if path is not None and not _within(path, kust.folder):
        ctx.report(loc, f"patch '{entry}' is outside the kustomization's folder: kustomize refuses to load it")
        return None
    return ctx.read_or_report(path, loc, "patch")


def _unique_target(ctx: _Ctx, resmap: list[_Res], patch: dict[str, Any], loc: Loc) -> _Res | None:
    """The one object whose current or previous id is the patch's id (kustomize's GetById)."""
    group, version = _split_api(_text_of(patch, "apiVersion"))
    pid = _Id(group, version, _text_of(patch, "kind"), _text_of(_meta(patch), "name"),
              _text_of(_meta(patch), "namespace"))
    matches = [r for r in resmap if _any_id_matches(r, pid.equals)]
    if len(matches) != 1:
        ctx.report(loc, f"no unique target for patch of {pid.kind} '{pid.name}' "
                        f"({len(matches)} objects match): not applied")
        return None
    return matches[0]


def _patches(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    for i, entry in _object_entries(ctx, kust, "patches"):
        _apply_patch(ctx, kust, resmap, entry, kust.loc("patches", i))


def _apply_patch(ctx: _Ctx, kust: _Kust, resmap: list[_Res], entry: dict[str, Any], loc: Loc) -> None:
    """The PatchTransformer: a strategic-merge or JSON 6902 patch, inline or from a file."""
    text = _patch_text(ctx, kust, entry, loc)
    if text is None:
        return
    target = entry.get("target")
    smp = _patch_docs(text, ctx.limits)
    if smp:
        _apply_patch_entry(ctx, resmap, smp, target, _mapping(entry.get("options")), loc)
        return
    ops = _json_ops(text, ctx.limits)
    if ops is None:
        ctx.report(loc, "patch is neither a strategic-merge patch nor a JSON 6902 patch: not applied")
    elif not isinstance(target, dict):
        ctx.report(loc, "a JSON 6902 patch needs a target: not applied")
    else:
        _apply_json_patch(ctx, resmap, ops, target, loc, store_prev=True)


def _patch_text(ctx: _Ctx, kust: _Kust, entry: dict[str, Any], loc: Loc) -> str | None:
    path, patch = entry.get("path"), entry.get("patch")
    patch = patch.strip() if isinstance(patch, str) else ""
    if patch and path:
        ctx.report(loc, "a patch has both path and patch: not applied")
        return None
    if patch:
        return patch
    if isinstance(path, str) and path:
        return _patch_file(ctx, kust, path, loc)
    ctx.report(loc, "a patch needs a path or an inline patch: not applied")
    return None


def _apply_patch_entry(ctx: _Ctx, resmap: list[_Res], patches: list[dict[str, Any]], target: Any,
                       options: dict[str, Any], loc: Loc) -> None:
    allow = (options.get("allowNameChange") is True, options.get("allowKindChange") is True)
    if target is None:
        for patch in patches:
            res = _unique_target(ctx, resmap, patch, loc)
            if res is not None:
                _apply_smp_to(ctx, resmap, [res], patch, loc, copy_meta=False, allow=allow)
        return
    if not isinstance(target, dict):
        ctx.report(loc, "patch target must be a mapping: not applied")
    elif len(patches) > 1:
        ctx.report(loc, "several strategic-merge patches in one entry cannot share a target: not applied")
    else:
        selected = _select(ctx, resmap, target, loc)
        _apply_smp_to(ctx, resmap, selected, patches[0], loc, copy_meta=True, allow=allow)


def _apply_smp_to(ctx: _Ctx, resmap: list[_Res], targets: list[_Res], patch: dict[str, Any], loc: Loc,
                  copy_meta: bool, allow: tuple[bool, bool] = (False, False)) -> None:
    for res in targets:
        one = _fresh(patch)
        if copy_meta:
            _copy_patch_meta(one, res)
        try:
            kept = _apply_smp(res, one, allow)
        except _PatchError as exc:
            ctx.report(loc, f"patch of {_kind(res)} '{_name(res)}' not applied: {exc}")
            continue
        if not kept:
            resmap.remove(res)


def _copy_patch_meta(patch: dict[str, Any], res: _Res) -> None:
    """resmap.ApplySmPatch's copy of the patch: string labels/annotations, and the target's apiVersion."""
    _set_string_map(patch, "labels", _labels(patch))
    _set_string_map(patch, "annotations", _annotations(patch))
    namespace = _text_of(_meta(patch), "namespace")
    if not namespace:
        _meta(patch).pop("namespace", None)
    if "apiVersion" in res.data:
        patch["apiVersion"] = res.data["apiVersion"]


def _apply_smp(res: _Res, patch: dict[str, Any], allow: tuple[bool, bool]) -> bool:
    """Resource.ApplySmPatch; False when the patch deleted the object."""
    name, namespace, kind = _name(res), _namespace(res), _kind(res)
    if allow[0] or allow[1]:
        _store_prev(res)
    schema = _schema_for(res.data, patch)
    merged = _walk(res.data, patch, schema, "", _empty_test(res))
    if not isinstance(merged, dict) or not merged:
        return False
    res.data = merged
    if not allow[1]:
        res.data["kind"] = kind
    if not allow[0]:
        _set_meta(res, "name", name)
    _set_meta(res, "namespace", namespace)
    return True


def _select(ctx: _Ctx, resmap: list[_Res], target: dict[str, Any], loc: Loc) -> list[_Res]:
    """Resources a patch target selects (anchored regular expressions, label and annotation selectors)."""
    try:
        rx = {k: re.compile(f"^(?:{target[k]})$") for k in ("group", "version", "kind", "name", "namespace")
              if isinstance(target.get(k), str) and target[k]}
        labels = _parse_selector(target.get("labelSelector"))
        annotations = _parse_selector(target.get("annotationSelector"))
    except (re.error, ValueError) as exc:
        ctx.report(loc, f"invalid patch target: {exc}")
        return []
    out = []
    for res in resmap:
        cur, org = _cur_id(res), _org_id(res)
        if "namespace" in rx and not (rx["namespace"].match(org.effective_ns())
                                      or rx["namespace"].match(cur.effective_ns())):
            continue
        if "name" in rx and not (rx["name"].match(org.name) or rx["name"].match(cur.name)):
            continue
        if any(k in rx and not rx[k].match(v) for k, v in zip(("group", "version", "kind"), _gvk(res))):
            continue
        if labels(_labels(res.data)) and annotations(_annotations(res.data)):
            out.append(res)
    return out


def _parse_selector(text: Any) -> Callable[[dict[str, str]], bool]:
    """A Kubernetes label selector ('a=b,c!=d,e in (f,g),!h'); raises ValueError when malformed."""
    if not isinstance(text, str) or not text.strip():
        return lambda labels: True
    tests: list[Callable[[dict[str, str]], bool]] = []
    for part in re.split(r",(?![^()]*\))", text):
        tests.append(_requirement(part.strip()))
    return lambda labels: all(test(labels) for test in tests)


def _requirement(part: str) -> Callable[[dict[str, str]], bool]:
    m = re.fullmatch(r"([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)", part)
    if m:
        key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
        if op == "in":
            return lambda labels: key in labels and labels[key] in values
        return lambda labels: key not in labels or labels[key] not in values
    m = re.fullmatch(r"([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)", part)
    if m:
        key, op, value = m.group(1), m.group(2), m.group(3)
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: key in labels and labels[key] == value
    m = re.fullmatch(r"(!?)\s*([\w./-]+)", part)
    if m:
        negate, key = m.group(1) == "!", m.group(2)
        return lambda labels: (key in labels) != negate
    raise ValueError(f"cannot parse selector requirement '{part}'")


def _patches_json6902(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    for i, entry in _object_entries(ctx, kust, "patchesJson6902"):
        _apply_json6902(ctx, kust, resmap, entry, kust.loc("patchesJson6902", i))


def _apply_json6902(ctx: _Ctx, kust: _Kust, resmap: list[_Res], entry: dict[str, Any], loc: Loc) -> None:
    """The PatchJson6902Transformer: JSON 6902 operations on the objects a named target selects."""
    target = entry.get("target")
    if not isinstance(target, dict) or not target.get("name"):
        ctx.report(loc, "patchesJson6902 needs a target with a name: not applied")
        return
    text = _patch_text(ctx, kust, entry, loc)
    ops = _json_ops(text, ctx.limits) if text is not None else None
    if text is not None and not ops:
        ctx.report(loc, "not a JSON 6902 patch (a list of operations): not applied")
    if ops:
        _apply_json_patch(ctx, resmap, ops, target, loc, store_prev=False)


def _json_ops(text: str, limits: Limits) -> list[dict[str, Any]] | None:
    """JSON 6902 operations: JSON text, or YAML read as sigs.k8s.io/yaml reads it (YAML 1.1)."""
    try:
        if text.lstrip().startswith("["):
            value = json.loads(text)
        else:
            docs = _load_yaml(text, limits)
            value = docs[0].data if docs else None
    except (ValueError, YamlError):
        return None
    if not isinstance(value, list) or not all(isinstance(op, dict) for op in value):
        return None
    return value


def _apply_json_patch(ctx: _Ctx, resmap: list[_Res], ops: list[dict[str, Any]], target: dict[str, Any],
                      loc: Loc, store_prev: bool) -> None:
    for res in _select(ctx, resmap, target, loc):
        if store_prev:
            _store_prev(res)
        index: dict[int, tuple[Any, Path]] = {}
        doc = _copy_indexed(res.data, res.index, index)
        meta = doc.get("metadata")
        if _has_build_annotations(res) and isinstance(meta, dict) and "annotations" not in meta:
            meta["annotations"] = {}  # kustomize keeps its build state in annotations: the map exists
        try:
            for n, op in enumerate(ops, 1):
                doc = _json_op(doc, op, n)
        except _PatchError as exc:
            ctx.report(loc, f"JSON patch of {_kind(res)} '{_name(res)}' not applied: {exc}")
            continue
        if not isinstance(doc, dict):
            ctx.report(loc, f"JSON patch of {_kind(res)} '{_name(res)}' does not leave an object: not applied")
            continue
        res.data, res.index = doc, index
        _set_string_map(doc, "annotations", _annotations(doc))


def _has_build_annotations(res: _Res) -> bool:
    return bool(res.prev or res.prefixes or res.suffixes or res.behavior or res.needs_hash)


def _copy_indexed(node: Any, old: dict[int, tuple[Any, Path]], new: dict[int, tuple[Any, Path]]) -> Any:
    """A deep copy that keeps each copied node's line (via the identity index)."""
    if isinstance(node, dict):
        out: Any = {k: _copy_indexed(v, old, new) for k, v in node.items()}
    elif isinstance(node, list):
        out = [_copy_indexed(v, old, new) for v in node]
    else:
        return node
    entry = old.get(id(node))
    if entry is not None and entry[0] is node:
        new[id(out)] = (out, entry[1])
    return out


def _pointer(path: Any, n: int) -> list[str]:
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise _PatchError(f"operation {n}: invalid path")
    return [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]] if path else []


def _json_op(doc: Any, op: dict[str, Any], n: int) -> Any:
    """One RFC 6902 operation, with evanphx/json-patch v4's rules (negative indices allowed)."""
    kind = op.get("op")
    parts = _pointer(op.get("path"), n)
    if kind == "test":
        if _json_get(doc, parts, n, "test") != op.get("value"):
            raise _PatchError(f"operation {n} (test {op.get('path')}) failed")
        return doc
    if kind in ("move", "copy"):
        source = _pointer(op.get("from"), n)
        value = _json_get(doc, source, n, kind)
        if kind == "move":
            doc = _json_remove(doc, source, n)
        else:
            value = _fresh(value)
        return _json_add(doc, parts, value, n)
    if kind == "add":
        return _json_add(doc, parts, _fresh(op.get("value")), n)
    if kind == "remove":
        return _json_remove(doc, parts, n)
    if kind == "replace":
        if not parts:
            return _fresh(op.get("value"))
        parent = _json_parent(doc, parts, n, "replace")
        if isinstance(parent, dict):
            parent[parts[-1]] = _fresh(op.get("value"))  # json-patch v4 does not require the key to exist
            return doc
        _json_get(doc, parts, n, "replace")
        doc = _json_remove(doc, parts, n)
        return _json_add(doc, parts, _fresh(op.get("value")), n)
    raise _PatchError(f"operation {n}: unknown op")


def _json_parent(doc: Any, parts: list[str], n: int, what: str) -> Any:
    node = doc
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and _json_index(node, part, n, False) is not None:
            node = node[_json_index(node, part, n, False) or 0]
        else:
            raise _PatchError(f"operation {n} ({what}): path '/{'/'.join(parts)}' does not exist")
    if not isinstance(node, (dict, list)):
        raise _PatchError(f"operation {n} ({what}): path '/{'/'.join(parts)}' does not exist")
    return node


def _json_index(node: list[Any], part: str, n: int, inserting: bool) -> int | None:
    if not re.fullmatch(r"-?[0-9]+", part):
        return None
    idx = int(part)
    size = len(node) + (1 if inserting else 0)
    if idx < 0:
        idx += len(node)
    return idx if 0 <= idx < size else None


def _json_get(doc: Any, parts: list[str], n: int, what: str) -> Any:
    if not parts:
        return doc
    parent = _json_parent(doc, parts, n, what)
    key = parts[-1]
    if isinstance(parent, dict) and key in parent:
        return parent[key]
    if isinstance(parent, list) and _json_index(parent, key, n, False) is not None:
        return parent[_json_index(parent, key, n, False) or 0]
    if what == "test":
        return None
    raise _PatchError(f"operation {n} ({what}): path '/{'/'.join(parts)}' does not exist")


def _json_add(doc: Any, parts: list[str], value: Any, n: int) -> Any:
    if not parts:
        return value
    parent = _json_parent(doc, parts, n, "add")
    key = parts[-1]
    if isinstance(parent, dict):
        parent[key] = value
    elif key == "-":
        parent.append(value)
    else:
        idx = _json_index(parent, key, n, True)
        if idx is None:
            raise _PatchError(f"operation {n} (add): index '{key}' is out of range")
        parent.insert(idx, value)
    return doc


def _json_remove(doc: Any, parts: list[str], n: int) -> Any:
    if not parts:
        raise _PatchError(f"operation {n}: cannot remove the whole object")
    parent = _json_parent(doc, parts, n, "remove")
    key = parts[-1]
    if isinstance(parent, dict) and key in parent:
        del parent[key]
    elif isinstance(parent, list) and _json_index(parent, key, n, False) is not None:
        del parent[_json_index(parent, key, n, False) or 0]
    else:
        raise _PatchError(f"operation {n}: path '/{'/'.join(parts)}' does not exist")
    return doc


# ---------------------------------------------------------------------------------------------
# Replacements: copy a field of one object into fields of others (kustomize's replacement filter)


class _ReplacementError(Exception):
    """A replacement kustomize would refuse; the message names fields, never values."""


def _replacements(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    for i, entry in _object_entries(ctx, kust, "replacements"):
        _apply_replacements(ctx, kust, resmap, entry, kust.loc("replacements", i))


def _apply_replacements(ctx: _Ctx, kust: _Kust, resmap: list[_Res], entry: dict[str, Any], loc: Loc) -> None:
    for replacement in _replacement_list(ctx, kust, entry, loc):
        try:
            _apply_replacement(resmap, replacement)
        except (_ReplacementError, re.error) as exc:
            ctx.report(loc, f"replacement not applied: {exc}")


def _replacement_list(ctx: _Ctx, kust: _Kust, entry: dict[str, Any], loc: Loc) -> list[dict[str, Any]]:
    """The replacements of one entry: inline, or every one in the file at `path`."""
    path = entry.get("path")
    if not path:
        return [entry]
    if entry.get("source") or entry.get("targets"):
        ctx.report(loc, "a replacement has both path and an inline replacement: not applied")
        return []
    text = _patch_file(ctx, kust, str(path), loc)
    if text is None:
        return []
    try:
        docs = _load_yaml(text, ctx.limits)
    except YamlError as exc:
        ctx.report(loc, f"replacement file '{path}': {exc.message}")
        return []
    value = docs[0].data if docs else None
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        ctx.report(loc, f"replacement file '{path}' holds no replacement mappings: not applied")
        return []
    return [_mapping(item) for item in items]


def _ids_of(res: _Res) -> list[_Id]:
    return [_cur_id(res)] + _prev_ids(res)


def _selected_by(res_id: _Id, selector: dict[str, Any]) -> bool:
    """ResId.IsSelectedBy: every field the selector sets must match (namespaces compared as effective ones)."""
    def text(key: str) -> str:
        return _scalar_text(selector.get(key)) if selector.get(key) is not None else ""
    namespace = text("namespace")
    return ((not text("name") or text("name") == res_id.name)
            and (not namespace or ("default" if namespace == "default" else namespace) == res_id.effective_ns())
            and res_id.selected_by(text("group"), text("version"), text("kind")))


def _apply_replacement(resmap: list[_Res], replacement: dict[str, Any]) -> None:
    source, targets = replacement.get("source"), replacement.get("targets")
    if not isinstance(source, dict) or not isinstance(targets, list) or not targets:
        raise _ReplacementError("a replacement needs a source and at least one target")
    value = _replacement_value(resmap, source)
    for target in targets:
        select = target.get("select") if isinstance(target, dict) else None
        if not isinstance(select, dict):
            raise _ReplacementError("each target must select resources")
        rejects = [r for r in _list(target.get("reject")) if isinstance(r, dict)]
        for res in resmap:
            if _replacement_target(res, select, rejects):
                _copy_to_target(res, value, target)


def _replacement_value(resmap: list[_Res], source: dict[str, Any]) -> Any:
    matches = [r for r in resmap if any(_selected_by(i, source) for i in _ids_of(r))]
    if len(matches) != 1:
        raise _ReplacementError(f"{len(matches)} objects match the source selector (one is needed)")
    field_path = str(source.get("fieldPath") or "metadata.name")
    value = _lookup(matches[0].data, _smarter_split(field_path))
    if value is None or value == {} or value == [] or value is _ABSENT:
        raise _ReplacementError(f"fieldPath '{field_path}' is missing in the source")
    options = _mapping(source.get("options"))
    delimiter = _scalar_text(options.get("delimiter")) if options.get("delimiter") is not None else ""
    if not delimiter:
        return value
    if isinstance(value, (dict, list)):
        raise _ReplacementError("the delimiter option only works on scalar fields")
    parts = _scalar_text(value).split(delimiter)
    index = _int(options.get("index"))
    if not 0 <= index < len(parts):
        raise _ReplacementError(f"options.index {index} is out of bounds")
    return parts[index]


def _replacement_target(res: _Res, select: dict[str, Any], rejects: list[dict[str, Any]]) -> bool:
    labels, annotations = _labels(res.data), _annotations(res.data)
    try:
        if not (_parse_selector(select.get("labelSelector"))(labels)
                and _parse_selector(select.get("annotationSelector"))(annotations)):
            return False
        for reject in rejects:
            if (reject.get("labelSelector") or reject.get("annotationSelector")) and (
                    _parse_selector(reject.get("labelSelector"))(labels)
                    and _parse_selector(reject.get("annotationSelector"))(annotations)):
                return False
    except ValueError as exc:
        raise _ReplacementError(str(exc)) from None
    ids = _ids_of(res)
    id_keys = ("group", "version", "kind", "name", "namespace")
    rejected = any(any(r.get(k) for k in id_keys) and any(_selected_by(i, r) for i in ids) for r in rejects)
    return any(_selected_by(i, select) for i in ids) and not rejected


def _smarter_split(path: str) -> list[str]:
    """kyaml's SmarterPathSplitter: '.'-separated ('\\.' escapes), brackets kept whole ('[a.b=c]', '[a.b]')."""
    raw = path.split(".")
    if len(raw) > 1 and raw[0] == "":
        raw = raw[1:]
    parts: list[str] = [raw[0]]
    for piece in raw[1:]:
        if parts[-1].endswith("\\"):
            parts[-1] = parts[-1][:-1] + "." + piece
        else:
            parts.append(piece)
    out: list[str] = []
    i = 0
    while i < len(parts):
        elem = parts[i]
        if elem.startswith("[") and not elem.endswith("]"):
            bracketed = [elem]
            while i < len(parts) - 1:
                i += 1
                bracketed.append(parts[i])
                if parts[i].endswith("]"):
                    break
            joined = ".".join(bracketed)
            out.append(joined if "=" in joined else joined.strip("[]"))
        else:
            out.append(elem)
        i += 1
    return [p.strip() for p in out if p.strip()]


def _lookup(node: Any, path: list[str]) -> Any:
    """kyaml's PathGetter (no create): fields, indexes, '-' (last item) and '[key=value]' (exact match)."""
    for part in path:
        if isinstance(node, list) and (part.isdigit() or part == "-"):
            if not node or (part.isdigit() and int(part) >= len(node)):
                return _ABSENT
            node = node[-1 if part == "-" else int(part)]
        elif part.startswith("[") and part.endswith("]"):
            key, sep, wanted = part[1:-1].partition("=")
            if not sep or not isinstance(node, list):
                raise _ReplacementError(f"cannot match '{part}' there")
            node = next((x for x in node if _element_find([x], [key], [wanted]) is not _ABSENT), _ABSENT)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _ABSENT
    return node


def _copy_to_target(res: _Res, value: Any, target: dict[str, Any]) -> None:
    options = _mapping(target.get("options"))
    create = options.get("create") is True
    for field_path in target.get("fieldPaths") or ["metadata.name"]:
        holder = {"": res.data}
        slots = _path_matches(holder, "", _smarter_split(str(field_path)), _node_kind(value) if create else "")
        if not slots:
            raise _ReplacementError(f"unable to find field '{field_path}' in {_kind(res)} '{_name(res)}'")
        for container, key in slots:
            _set_replaced(container, key, value, options)
        res.data = holder[""]


def _node_kind(value: Any) -> str:
    return "map" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _path_matches(container: Any, key: Any, path: list[str], create: str) -> list[tuple[Any, Any]]:
    """kyaml's PathMatcher: the slots a target field path reaches ('*' and '[key=regex]' may reach several)."""
    if not path:
        return [(container, key)]
    node, part, rest = container[key], path[0], path[1:]
    if part.isdigit():
        return _match_index(node, int(part), rest, create)
    if part.startswith("[") and part.endswith("]"):
        return _match_items(node, part, rest, create)
    if part == "*":
        if not isinstance(node, list):
            raise _ReplacementError("'*' can only be used on a list")
        return [slot for i in range(len(node)) for slot in _path_matches(node, i, rest, create)]
    if not isinstance(node, dict):
        if node is None:
            return []
        raise _ReplacementError(f"cannot find field '{part}' in a scalar or list")
    if part not in node:
        if not create:
            return []
        node[part] = _new_node(rest[0] if rest else "", create)
    return _path_matches(node, part, rest, create)


def _new_node(next_part: str, create: str) -> Any:
    if next_part.isdigit() or (next_part.startswith("[") and next_part.endswith("]")):
        return []
    kind = create if not next_part else "map"
    return {} if kind == "map" else [] if kind == "list" else _CREATED


def _match_index(node: Any, idx: int, rest: list[str], create: str) -> list[tuple[Any, Any]]:
    if not isinstance(node, list):
        raise _ReplacementError("an index can only be used on a list")
    if len(node) == idx and create:
        node.append(_new_node(rest[0] if rest else "", create))
    if len(node) < idx + 1:
        raise _ReplacementError(f"index {idx} specified but only {len(node)} elements found")
    return _path_matches(node, idx, rest, create)


def _match_items(node: Any, part: str, rest: list[str], create: str) -> list[tuple[Any, Any]]:
    key, sep, pattern = part[1:-1].partition("=")
    if not sep:
        raise _ReplacementError(f"list path element '{part}' must be [field=value]")
    if not isinstance(node, list):
        raise _ReplacementError(f"'{part}' can only be used on a list")
    rx = re.compile(pattern)  # unanchored, as kyaml matches it
    out: list[tuple[Any, Any]] = []
    for i, item in enumerate(node):
        if not key:
            if rx.search(_scalar_text(item)):
                out.append((node, i))
        elif isinstance(item, dict) and item.get(key) is not None and rx.search(_scalar_text(item[key])):
            out += _path_matches(node, i, rest, create)
    if out or not create:
        return out
    node.append(_go_scalar_text(pattern) if not key else {key: _go_scalar_text(pattern)})
    return _match_items(node, part, rest, create)


_CREATED = object()  # a field the replacement created: its value is typed from the text, as plain YAML would be


def _go_scalar_text(text: str) -> Any:
    """An untyped scalar with this text, typed as go-yaml v3 resolves a plain scalar."""
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text in ("true", "True", "TRUE")
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    return _go_scalar(text) if text[:1] in "-+.0123456789" else text


def _set_replaced(container: Any, key: Any, value: Any, options: dict[str, Any]) -> None:
    """kyaml's setFieldValue: a scalar target keeps its type and takes the text; others take the value."""
    current = container[key]
    delimiter = _scalar_text(options.get("delimiter")) if options.get("delimiter") is not None else ""
    if delimiter:
        if isinstance(current, (dict, list)):
            raise _ReplacementError("the delimiter option only works on scalar fields")
        pieces = _scalar_text(current).split(delimiter) if current is not _CREATED else [""]
        index = _int(options.get("index"))
        text = _scalar_text(value)
        if index < 0:
            pieces.insert(0, text)
        elif index >= len(pieces):
            pieces.append(text)
        else:
            pieces[index] = text
        value = delimiter.join(pieces)
    if isinstance(current, (dict, list)):
        container[key] = _fresh(value)
    elif current is _CREATED:
        container[key] = _fresh(value) if isinstance(value, (dict, list)) else _go_scalar_text(_scalar_text(value))
    else:
        container[key] = _typed_like(current, value)


def _typed_like(current: Any, value: Any) -> Any:
    """The source's text in the target's YAML type; kustomize fails when the text does not fit that type."""
    if isinstance(value, (dict, list)):
        raise _ReplacementError("cannot put a mapping or list into a scalar field")
    text = _scalar_text(value)
    if current is None:
        raise _ReplacementError("cannot replace a null field")
    if isinstance(current, _Stamp):
        stamp = _go_timestamp(text)
        if stamp is None:
            raise _ReplacementError("the source's text cannot be decoded as a timestamp")
        return _Stamp(stamp, text)
    if isinstance(current, str):
        return text
    typed = _go_scalar_text(text)
    if isinstance(current, bool) != isinstance(typed, bool) or not isinstance(typed, (bool, int, float)):
        raise _ReplacementError(f"the source's text cannot be decoded as a {type(current).__name__}")
    if isinstance(current, int) and not isinstance(current, bool) and isinstance(typed, float):
        raise _ReplacementError("the source's text cannot be decoded as an int")
    return typed


# ---------------------------------------------------------------------------------------------
# Strategic merge: a port of kyaml's merge2 walker (the one kustomize v5 uses), with its schema


class _Absent(Enum):
    """A field that is not there at all (unlike a field that is there and null)."""

    TOKEN = 0


_ABSENT = _Absent.TOKEN


@dataclass(frozen=True)
class _Schema:
    """What kyaml's schema says about a field: its merge keys (None: not a merge list) and its parts."""

    keys: tuple[str, ...] | None
    type_name: str

    def field(self, name: str) -> _Schema | None:
        fields = _SMP_TYPES.get(self.type_name, {})
        return fields.get(name)

    def elements(self) -> _Schema | None:
        return _Schema(None, self.type_name) if self.type_name else None


# Merge lists of the Kubernetes v1.21.2 OpenAPI schema kustomize v5 embeds: "Type field=key1+key2>ValueType"
# ('=' marks a list merged by those keys, '=' alone a list of scalars merged as a set). Lists not listed
# here, and every list in a kind the schema does not know, are replaced by the patch.
_SMP_TABLE = """
Object metadata>ObjectMeta
ObjectMeta finalizers= ownerReferences=uid
Status conditions=type
WithStatus metadata>ObjectMeta status>Status
PodOwner metadata>ObjectMeta spec>PodOwnerSpec status>Status
PodOwnerSpec template>PodTemplateSpec
StatefulSet metadata>ObjectMeta spec>StatefulSetSpec status>Status
StatefulSetSpec template>PodTemplateSpec volumeClaimTemplates>WithStatus
CronJob metadata>ObjectMeta spec>CronJobSpec
CronJobSpec jobTemplate>JobTemplateSpec
JobTemplateSpec metadata>ObjectMeta spec>PodOwnerSpec
PodTemplate metadata>ObjectMeta template>PodTemplateSpec
PodTemplateSpec metadata>ObjectMeta spec>PodSpec
Pod metadata>ObjectMeta spec>PodSpec status>PodStatus
PodStatus conditions=type podIPs=ip
PodSpec containers=name>Container ephemeralContainers=name>EphemeralContainer hostAliases=ip
  imagePullSecrets=name initContainers=name>Container volumes=name>Volume
  topologySpreadConstraints=topologyKey+whenUnsatisfiable
Container env=name ports=containerPort+protocol volumeDevices=devicePath volumeMounts=mountPath
EphemeralContainer env=name volumeDevices=devicePath volumeMounts=mountPath
Volume ephemeral>EphemeralVolumeSource
EphemeralVolumeSource volumeClaimTemplate>Object
Service metadata>ObjectMeta spec>ServiceSpec status>Status
ServiceSpec ports=port+protocol
ServiceAccount metadata>ObjectMeta secrets=name
ComponentStatus metadata>ObjectMeta conditions=type
Node metadata>ObjectMeta spec>NodeSpec status>NodeStatus
NodeSpec podCIDRs=
NodeStatus addresses=type conditions=type
Webhooks metadata>ObjectMeta webhooks=name
CSINode metadata>ObjectMeta spec>CSINodeSpec
CSINodeSpec drivers=name
"""

# apiVersion: Kind[=Type] ... (Type defaults to Object) for every kind that schema knows.
_SMP_ROOTS = """
v1: Binding ComponentStatus=ComponentStatus ConfigMap Endpoints Event LimitRange Namespace=WithStatus Node=Node
  PersistentVolume PersistentVolumeClaim=WithStatus Pod=Pod PodTemplate=PodTemplate ReplicationController=PodOwner
  ResourceQuota Secret Service=Service ServiceAccount=ServiceAccount
admissionregistration.k8s.io/v1: MutatingWebhookConfiguration=Webhooks ValidatingWebhookConfiguration=Webhooks
admissionregistration.k8s.io/v1beta1: MutatingWebhookConfiguration=Webhooks ValidatingWebhookConfiguration=Webhooks
apiextensions.k8s.io/v1: CustomResourceDefinition
apiextensions.k8s.io/v1beta1: CustomResourceDefinition
apiregistration.k8s.io/v1: APIService=WithStatus
apiregistration.k8s.io/v1beta1: APIService=WithStatus
apps/v1: ControllerRevision DaemonSet=PodOwner Deployment=PodOwner ReplicaSet=PodOwner StatefulSet=StatefulSet
authentication.k8s.io/v1: TokenRequest TokenReview
authentication.k8s.io/v1beta1: TokenReview
authorization.k8s.io/v1: LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview
  SubjectAccessReview
authorization.k8s.io/v1beta1: LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview
  SubjectAccessReview
autoscaling/v1: HorizontalPodAutoscaler Scale
autoscaling/v2beta1: HorizontalPodAutoscaler
autoscaling/v2beta2: HorizontalPodAutoscaler
batch/v1: CronJob=CronJob Job=PodOwner
batch/v1beta1: CronJob=CronJob
certificates.k8s.io/v1: CertificateSigningRequest
certificates.k8s.io/v1beta1: CertificateSigningRequest
coordination.k8s.io/v1: Lease
coordination.k8s.io/v1beta1: Lease
discovery.k8s.io/v1: EndpointSlice
discovery.k8s.io/v1beta1: EndpointSlice
events.k8s.io/v1: Event
events.k8s.io/v1beta1: Event
extensions/v1beta1: Ingress
flowcontrol.apiserver.k8s.io/v1beta1: FlowSchema PriorityLevelConfiguration
networking.k8s.io/v1: Ingress IngressClass NetworkPolicy
networking.k8s.io/v1beta1: Ingress IngressClass
node.k8s.io/v1: RuntimeClass
node.k8s.io/v1beta1: RuntimeClass
policy/v1: PodDisruptionBudget=WithStatus
policy/v1beta1: Eviction PodDisruptionBudget=WithStatus PodSecurityPolicy
rbac.authorization.k8s.io/v1: ClusterRole ClusterRoleBinding Role RoleBinding
rbac.authorization.k8s.io/v1beta1: ClusterRole ClusterRoleBinding Role RoleBinding
scheduling.k8s.io/v1: PriorityClass
scheduling.k8s.io/v1beta1: PriorityClass
storage.k8s.io/v1: CSIDriver CSINode=CSINode StorageClass VolumeAttachment
storage.k8s.io/v1beta1: CSIDriver CSINode=CSINode CSIStorageCapacity StorageClass VolumeAttachment
"""


def _table_lines(text: str) -> list[str]:
    """Lines of a table, where a line starting with spaces continues the one before."""
    lines: list[str] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _parse_smp_table(text: str) -> dict[str, dict[str, _Schema]]:
    out: dict[str, dict[str, _Schema]] = {}
    for line in _table_lines(text):
        type_name, *items = line.split()
        fields: dict[str, _Schema] = {}
        for item in items:
            name, _, child = item.partition(">")
            name, merge, keys = name.partition("=")
            fields[name] = _Schema(tuple(k for k in keys.split("+") if k) if merge else None, child)
        out[type_name] = fields
    return out


def _parse_smp_roots(text: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for line in _table_lines(text):
        api, _, kinds = line.partition(": ")
        for item in kinds.split():
            kind, _, type_name = item.partition("=")
            out[(api, kind)] = type_name or "Object"
    return out


_SMP_TYPES = _parse_smp_table(_SMP_TABLE)
_SMP_ROOT_TYPES = _parse_smp_roots(_SMP_ROOTS)


def _schema_for(*sources: Any) -> _Schema | None:
    """The schema of the first source whose apiVersion and kind the built-in schema knows."""
    for src in sources:
        if not isinstance(src, dict) or not _text_of(src, "kind") or not _text_of(src, "apiVersion"):
            continue
        type_name = _SMP_ROOT_TYPES.get((_text_of(src, "apiVersion"), _text_of(src, "kind")))
        if type_name:
            return _Schema(None, type_name)
    return None


def _missing_or_null(node: Any) -> bool:
    return node is _ABSENT or node is None


def _kind_of(dest: Any, origin: Any) -> str:
    for node in (dest, origin):
        if not _missing_or_null(node):
            return "map" if isinstance(node, dict) else "list" if isinstance(node, list) else "scalar"
    return ""


def _walk(dest: Any, origin: Any, schema: _Schema | None, where: str, empty: _EmptyTest) -> Any:
    """Merge `origin` (the patch) into `dest`; returns the new value, or _ABSENT / None to drop the field."""
    kind = _kind_of(dest, origin)
    for node in (dest, origin):
        if kind and not _missing_or_null(node) and _kind_of(node, None) != kind:
            raise _PatchError(f"cannot merge a {_kind_of(node, None)} with a {kind} at '{where or '.'}'")
    if kind in ("map", ""):
        return _walk_map(dest, origin, schema, where, empty)
    if kind == "list":
        if schema is not None and schema.keys is not None:
            return _walk_merge_list(dest, origin, schema, where, empty)
        return origin if origin is not _ABSENT else dest
    return origin if origin is not _ABSENT else dest


def _directive(patch: Any, where: str) -> str:
    """The patch's `$patch` directive (delete, replace, merge), removed from the patch as kyaml does."""
    if isinstance(patch, dict):
        if "$patch" not in patch:
            return "merge"
        value = patch["$patch"]
        if value not in ("delete", "replace", "merge"):
            raise _PatchError(f"unknown patch strategy at '{where or '.'}'")
        del patch["$patch"]
        return str(value)
    if isinstance(patch, list):
        item = next((x for x in patch if isinstance(x, dict) and "$patch" in x), None)
        if item is None or len(item) > 1:
            return "merge"
        value = item["$patch"]
        if value not in ("delete", "replace", "merge"):
            raise _PatchError(f"unknown patch strategy at '{where or '.'}'")
        _element_set(patch, _ABSENT, ["$patch"], [_scalar_text(value)])
        return str(value)
    return "merge" if patch is _ABSENT else "unknown"


_KEEP_NULL = object()  # a null the merge keeps (kyaml's "persistent" null)

# Whether key `key` of mapping `node` was written with no value at all.
_EmptyTest = Callable[[Any, Any], bool]


def _empty_test(res: _Res) -> _EmptyTest:
    def test(node: Any, key: Any) -> bool:
        entry = res.index.get(id(node))
        return entry is not None and entry[0] is node and entry[1] + (_key_text(key),) in res.empty
    return test


def _walk_map(dest: Any, origin: Any, schema: _Schema | None, where: str, empty: _EmptyTest,
              holder: Any = None, key: Any = None) -> Any:
    if _missing_or_null(dest):
        directive = _directive(origin, where) if isinstance(origin, (dict, list)) else "merge"
        if directive == "delete":
            return _ABSENT
        if origin is _ABSENT and dest is None and not (holder is not None and empty(holder, key)):
            return _KEEP_NULL  # an explicit null the patch does not mention is kept (`key:` alone is dropped)
        result = origin
    elif origin is None:
        return _ABSENT
    else:
        directive = _directive(origin, where)
        if directive == "delete":
            return _ABSENT
        result = origin if directive == "replace" else dest
    if not isinstance(result, dict):
        return result
    other = origin if isinstance(origin, dict) else {}
    for name in sorted(set(result) | set(other), key=str):
        child_schema = schema.field(str(name)) if schema else None
        child_where = f"{where}.{name}" if where else str(name)
        dest_value, origin_value = result.get(name, _ABSENT), other.get(name, _ABSENT)
        if dest_value is None and origin_value is _ABSENT:
            value = _walk_map(None, _ABSENT, child_schema, child_where, empty, result, name)
        else:
            value = _walk(dest_value, origin_value, child_schema, child_where, empty)
        if value is _KEEP_NULL:
            result[name] = None
        elif value is _ABSENT or value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def _walk_merge_list(dest: Any, origin: Any, schema: _Schema, where: str, empty: _EmptyTest) -> Any:
    """kyaml's walkAssociativeSequence with MergeOptionsListPrepend (kustomize's setting)."""
    if _missing_or_null(dest):
        result = origin
    elif origin is None:
        return _ABSENT
    else:
        directive = _directive(origin, where)
        if directive == "delete":
            return _ABSENT
        result = origin if directive == "replace" else dest
    if not isinstance(result, list):
        return result
    keys = list(schema.keys or ())
    sources = (origin, result)  # the patch first: its items come first in the merged list
    if keys:
        values = _element_values(sources, keys)
    else:
        values, keys = _primitive_values(sources), [""]
    return _set_merge_elements(result, origin, values, keys, schema.elements(), where, empty)


def _element_values(sources: tuple[Any, Any], keys: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for src in sources:
        if not isinstance(src, list):
            continue
        for item in src:
            row = [_field_text(item, key) for key in keys]
            if row and row not in out:
                out.append(row)
    return out


def _field_text(item: Any, key: str) -> str:
    if not isinstance(item, dict):
        return ""
    value = item.get(key)
    if value is None or value == {} or value == []:
        return ""
    return _scalar_text(value)


def _primitive_values(sources: tuple[Any, Any]) -> list[list[str]]:
    out: list[list[str]] = []
    for src in sources:
        if isinstance(src, list):
            for item in src:
                if [_scalar_text(item)] not in out:
                    out.append([_scalar_text(item)])
    return out


def _set_merge_elements(dest: list[Any], origin: Any, values_list: list[list[str]], keys: list[str],
                        elem_schema: _Schema | None, where: str, empty: _EmptyTest) -> Any:
    """kyaml's setAssociativeSequenceElements: merge item by item, then re-add the destination's items."""
    items: list[Any] = []
    if len(keys) > 1:
        values_list = _merge_values(values_list)
    valid_keys: list[str] = []
    for values in values_list:
        if not values:
            continue
        valid_keys, valid_values = _validate_keys(values_list, values, keys)
        match_keys, match_values = _validate_keys([valid_values], valid_values, valid_keys)
        val = _walk(_element_find(dest, match_keys, match_values), _element_find(origin, match_keys, match_values),
                    elem_schema, f"{where}[]", empty)
        if val is _KEEP_NULL or _missing_or_null(val) or val == {}:
            _element_set(dest, _ABSENT, valid_keys, valid_values)
            continue
        for i, key in enumerate(valid_keys):
            if isinstance(val, dict) and key not in val and valid_values[i]:
                val[key] = _go_scalar(valid_values[i]) if valid_values[i][:1] in "-+.0123456789" else valid_values[i]
        _element_set(items, val, valid_keys, valid_values)
    if values_list:
        dest = _append_list(items, dest, valid_keys)
    return dest if dest is not None else _ABSENT


def _merge_values(values_list: list[list[str]]) -> list[list[str]]:
    for i in range(len(values_list)):
        first = values_list[i]
        for j in range(len(values_list)):
            matched, merged = _match_values(first, values_list[j])
            if matched:
                values_list[i] = merged
                values_list[j] = merged
    return values_list


def _match_values(a: list[str], b: list[str]) -> tuple[bool, list[str]]:
    if len(a) != len(b):
        return False, []
    common = False
    out: list[str] = []
    for x, y in zip(a, b):
        if x == y:
            common = True
            out.append(x)
        elif x and y:
            return False, []
        else:
            out.append(x or y)
    return common, out


def _validate_keys(values_list: list[list[str]], values: list[str], keys: list[str]) -> tuple[list[str], list[str]]:
    valid = {keys[i] for row in values_list for i, v in enumerate(row) if v and i < len(keys)}
    if not valid:
        return keys, values
    return [k for k in keys if k in valid], [v for i, v in enumerate(values) if v or keys[i] in valid]


def _element_find(seq: Any, keys: list[str], values: list[str]) -> Any:
    """kyaml's ElementMatcher: the first item whose key fields have exactly these values."""
    if not isinstance(seq, list):
        return _ABSENT
    if not keys or not keys[0]:
        value = values[0] if values else ""
        return next((item for item in seq if _scalar_text(item) == value), _ABSENT)
    for item in seq:
        if isinstance(item, dict) and all(k in item and _scalar_text(item[k]) == v for k, v in zip(keys, values)):
            return item
    return _ABSENT


def _element_set(seq: list[Any], element: Any, keys: list[str], values: list[str]) -> None:
    """kyaml's ElementSetter: replace (or delete) the items matching keys=values, else append."""
    keys = keys or [""]
    mapping_setter = bool(keys[0]) and bool(values) and bool(values[0])
    kept: list[Any] = []
    found = False
    for item in seq:
        if item is None or item == {}:
            continue
        if not isinstance(item, dict) and mapping_setter:
            kept.append(item)
            continue
        if not _item_matches(item, keys, values):
            if values:
                kept.append(item)
            continue
        found = True
        if element is not _ABSENT:
            kept.append(element)
    seq[:] = kept
    if element is not _ABSENT and not found:
        seq.append(element)


def _item_matches(item: Any, keys: list[str], values: list[str]) -> bool:
    matched: bool | None = None
    for j, key in enumerate(keys):
        if j < len(values):
            matched = _field_matches(item, key, values[j])
        if not matched:
            return False
    return bool(matched)


def _field_matches(item: Any, key: str, value: str) -> bool:
    if not key:
        return _scalar_text(item) == value
    if not isinstance(item, dict):
        raise _PatchError("a list mixes mappings and scalars")
    return key in item and (not value or _scalar_text(item[key]) == value)


def _append_list(dst: list[Any], src: list[Any], keys: list[str]) -> list[Any]:
    """kyaml's appendListNode: set each item of `src` into `dst` by its keys."""
    for elem in list(src):
        if not keys or not keys[0]:
            _element_set(dst, elem, [""], [_scalar_text(elem)])
            continue
        if not isinstance(elem, dict):
            raise _PatchError("a merge list holds a scalar")
        values: list[str] = []
        for key in keys:
            if key not in elem:
                dst.append(elem)
                continue
            values.append(_scalar_text(elem[key]))
        if len(keys) > 1:
            _element_set(dst, _ABSENT, keys, values)
        _element_set(dst, elem, keys, values)
    return dst


# ---------------------------------------------------------------------------------------------
# After accumulation: name hashes, name references, local configs, order, output


def _add_hash_suffixes(resmap: list[_Res]) -> None:
    for res in resmap:
        if res.needs_hash:
            suffix = _content_hash(res.data)
            _store_prev(res)
            _set_meta(res, "name", f"{_name(res)}-{suffix}")


def _content_hash(data: dict[str, Any]) -> str:
    """kustomize's hasher: sha256 of the JSON of kind, name (always '' there), data (and type), 10 characters."""
    kind = _text_of(data, "kind")
    content = data.get("data")
    encoded: dict[str, Any] = {"kind": kind, "name": "", "data": "" if content is None else _json_value(content)}
    if kind == "ConfigMap" and isinstance(data.get("binaryData"), dict):
        encoded["binaryData"] = _json_value(data["binaryData"])
    if kind == "Secret":
        encoded["type"] = _scalar_text(data["type"]) if "type" in data else ""
        if isinstance(data.get("stringData"), dict):
            encoded["stringData"] = _json_value(data["stringData"])
    digest = hashlib.sha256(_go_json(encoded).encode("utf-8")).hexdigest()
    return digest[:10].translate(str.maketrans("013ae", "ghkmt"))


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {_key_text(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and value == int(value) and abs(value) < 1e21:
        return int(value)
    return str(value) if isinstance(value, _Stamp) else value


def _go_json(value: Any) -> str:
    """JSON as Go's encoding/json writes it: sorted keys, no spaces, HTML characters escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _fix_name_references(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    """kustomize's nameReference transformer: fields naming a renamed object get its final name."""
    renamed = [r for r in resmap if r.prev]  # only an object with a previous name can be a referral
    orgs = [(res, _org_id(res)) for res in resmap]
    candidates_of: dict[int, list[_Res]] = {}
    for target, specs in config.nameReference:
        for spec in specs:
            for res, org in orgs:
                if not org.selected_by(spec.group, spec.version, spec.kind):
                    continue
                if id(res) not in candidates_of:
                    candidates_of[id(res)] = _reference_candidates(res, renamed)
                candidates = candidates_of[id(res)]
                referrer_spec = _FieldSpec("", "", "", spec.path)
                try:
                    _visit_spec(res.data, referrer_spec, None, _name_setter(res, target, spec.path, candidates))
                except (_SpecError, _PatchError) as exc:
                    ctx.report(kust.loc(), f"name reference in {_kind(res)} '{_name(res)}' ({spec.path}): {exc}")


def _reference_candidates(referrer: _Res, resmap: list[_Res]) -> list[_Res]:
    """SubsetThatCouldBeReferencedByResource: same namespace, cluster-scoped, or a RoleBinding's subjects'."""
    ref = _cur_id(referrer)
    if ref.cluster_scoped:
        return list(resmap)
    namespaces = set()
    if _kind(referrer) == "RoleBinding":
        for subject in _list(referrer.data.get("subjects")):
            if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and "namespace" in subject:
                namespaces.add(_scalar_text(subject["namespace"]))
    out = []
    for res in resmap:
        cur = _cur_id(res)
        if cur.cluster_scoped or cur.effective_ns() == ref.effective_ns() or _namespace(res) in namespaces:
            out.append(res)
    return out


def _name_setter(referrer: _Res, target: tuple[str, str, str], path: str, candidates: list[_Res]) -> _Setter:
    def set_node(container: Any, key: Any) -> None:
        node = container[key]
        if node is None:
            return
        if isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, dict):
                    _set_mapping_ref(referrer, target, path, candidates, item)
                elif item is not None:
                    _set_scalar_ref(referrer, target, path, candidates, node, i)
        elif isinstance(node, dict):
            _set_mapping_ref(referrer, target, path, candidates, node)
        else:
            _set_scalar_ref(referrer, target, path, candidates, container, key)
    return set_node


def _set_scalar_ref(referrer: _Res, target: tuple[str, str, str], path: str, candidates: list[_Res],
                    container: Any, key: Any) -> None:
    old = _scalar_text(container[key])
    referral = _select_referral(referrer, target, path, old, candidates, with_namespace=False)
    if referral is not None and _name(referral) != old:
        container[key] = _name(referral)


def _set_mapping_ref(referrer: _Res, target: tuple[str, str, str], path: str, candidates: list[_Res],
                     node: dict[str, Any]) -> None:
    if "name" not in node:
        raise _PatchError("no 'name' field in the reference")
    if "namespace" in node:
        namespace = _scalar_text(node["namespace"])
        by_org = [r for r in candidates if _org_id(r).effective_ns() == namespace]
        candidates = by_org or [r for r in candidates if _cur_id(r).effective_ns() == namespace]
    old = _scalar_text(node["name"])
    referral = _select_referral(referrer, target, path, old, candidates, with_namespace=True)
    if referral is None or (_name(referral) == old and not _namespace(referral)):
        return
    node["name"] = _name(referral)
    if _namespace(referral):
        node["namespace"] = _namespace(referral)


def _select_referral(referrer: _Res, target: tuple[str, str, str], path: str, old: str, candidates: list[_Res],
                     with_namespace: bool) -> _Res | None:
    """nameref's selectReferral: narrow the candidates step by step until one is left."""
    found = [r for r in candidates if any(i.name == old for i in _prev_ids(r))]
    found = [r for r in found if any(i.selected_by(*target) for i in _prev_ids(r))]
    found = [r for r in found if _role_ref_ok(referrer, path, r)]
    found = [r for r in found if _same_namespace_ok(referrer, r)]
    if len(found) == 1:
        return found[0]
    found = [r for r in found if _affixes_equal(referrer, r, True)]
    if len(found) > 1:
        found = [r for r in found if _affixes_equal(referrer, r, False)]
    if len(found) == 1:
        return found[0]
    if not found:
        return None
    names = {(_name(r), _namespace(r) if with_namespace else "") for r in found}
    if len(names) == 1:
        return found[0]
    raise _PatchError(f"several objects could be the '{old}' it names")


def _role_ref_ok(referrer: _Res, path: str, candidate: _Res) -> bool:
    if not path.endswith("roleRef/name"):
        return True
    role_ref = referrer.data.get("roleRef")
    if not isinstance(role_ref, dict) or "apiGroup" not in role_ref or "kind" not in role_ref:
        return True
    group, kind = _scalar_text(role_ref["apiGroup"]), _scalar_text(role_ref["kind"])
    return any(i.selected_by(group, "", kind) for i in _prev_ids(candidate))


def _same_namespace_ok(referrer: _Res, candidate: _Res) -> bool:
    ref, cur = _cur_id(referrer), _cur_id(candidate)
    if ref.cluster_scoped or cur.cluster_scoped or cur.kind == "ServiceAccount":
        return True
    return ref.effective_ns() == cur.effective_ns()


def _affixes_equal(a: _Res, b: _Res, allow_empty: bool) -> bool:
    def same_ending(x: list[str], y: list[str]) -> bool:
        short, long = (x, y) if len(x) <= len(y) else (y, x)
        if not short:
            return len(long) == 0
        return long[len(long) - len(short):] == short

    if allow_empty:
        return ((not a.prefixes or not b.prefixes or same_ending(a.prefixes, b.prefixes))
                and (not a.suffixes or not b.suffixes or same_ending(a.suffixes, b.suffixes)))
    return same_ending(a.prefixes, b.prefixes) and same_ending(a.suffixes, b.suffixes)


@dataclass(frozen=True)
class _Var:
    """A (deprecated) kustomize var: `$(name)` becomes a field of the object it refers to."""

    name: str
    target: dict[str, str]
    field_path: str
    loc: Loc


def _bind_vars(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> None:
    """ResAccumulator.MergeVars: each var is tied to the object it names, as that object is now."""
    for i, entry in _object_entries(ctx, kust, "vars"):
        loc = kust.loc("vars", i)
        name, objref = _get_folded(entry, "name"), _get_folded(entry, "objref")
        if not isinstance(name, str) or not isinstance(objref, dict):
            ctx.report(loc, "a var needs a name and an objref: ignored")
            continue
        field_ref = _get_folded(entry, "fieldref")
        field_path = _get_folded(field_ref, "fieldPath") if isinstance(field_ref, dict) else None
        target = {k: _scalar_text(_get_folded(objref, k)) for k in ("group", "version", "kind", "name", "namespace")}
        group, version = _split_api(_scalar_text(_get_folded(objref, "apiVersion")))
        target = {**target, "group": target["group"] or group, "version": target["version"] or version}
        var = _Var(name, target, str(field_path or "metadata.name"), loc)
        if any(v.name == var.name for v in ctx.vars):
            ctx.report(loc, f"var '{var.name}' is already defined: ignored")
            continue
        ctx.vars.append(var)
        _tie_var(ctx, var, resmap)


def _get_folded(mapping: Mapping[str, Any], key: str) -> Any:
    """A field as Go's JSON decoder finds it: the exact key, else any key equal to it ignoring case."""
    if key in mapping:
        return mapping[key]
    return next((v for k, v in mapping.items() if isinstance(k, str) and k.lower() == key.lower()), None)


def _tie_var(ctx: _Ctx, var: _Var, resmap: list[_Res]) -> None:
    want = _Id(var.target["group"], var.target["version"], var.target["kind"], var.target["name"],
               var.target["namespace"])
    exact = bool(want.namespace) or want.cluster_scoped

    def matches(i: _Id) -> bool:
        return i.equals(want) if exact else (
            i.name == want.name and (i.group, i.version, i.kind) == (want.group, want.version, want.kind))

    found = [r for r in resmap if _any_id_matches(r, matches)]
    if len(found) > 1:
        ctx.report(var.loc, f"var '{var.name}' matches {len(found)} objects: ignored")
    elif found:
        found[0].var_names.append(var.name)


def _resolve_vars(ctx: _Ctx, kust: _Kust, resmap: list[_Res], config: _Config) -> None:
    """ResolveVars: replace `$(NAME)` in the varReference fields with each var's value (after renames)."""
    values: dict[str, Any] = {}
    for var in ctx.vars:
        holder = next((r for r in resmap if var.name in r.var_names), None)
        value = _var_value(holder.data, var.field_path) if holder is not None else _ABSENT
        if value is _ABSENT:
            ctx.report(var.loc, f"var '{var.name}' cannot be mapped to a field of a built object: not replaced")
        else:
            values[var.name] = value
    if not values:
        return

    def replace(container: Any, key: Any) -> None:
        _replace_vars(container, key, values)

    for res in resmap:
        for spec in config.varReference:
            if spec.matches(res):
                try:
                    _visit_spec(res.data, spec, None, replace)
                except (_SpecError, _ReplacementError) as exc:
                    ctx.report(kust.loc("vars"), f"vars in {_kind(res)} '{_name(res)}' ({spec.path}): {exc}")


def _var_value(data: dict[str, Any], field_path: str) -> Any:
    """RNode.GetFieldValue: a '.' path where 'ports[0]' indexes a list; scalars keep their YAML type."""
    parts: list[str] = []
    for piece in field_path.split("."):
        m = re.fullmatch(r"(.*)\[(\d+)\]", piece)
        parts += ([m.group(1)] if m.group(1) else []) + [m.group(2)] if m else [piece]
    value = _lookup(data, parts)
    if value is _ABSENT or isinstance(value, (dict, list)):
        return value  # kustomize leaves $(NAME) alone for a mapping or a list
    if isinstance(value, (bool, int, float)) or value is None:
        return value if value is not None else ""
    return _scalar_text(value)


def _replace_vars(container: Any, key: Any, values: dict[str, Any]) -> None:
    node = container[key]
    if isinstance(node, str) and not isinstance(node, _Stamp):
        container[key] = _expand(node, values)
    elif isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                raise _ReplacementError("a map key is not a string")
            if isinstance(v, str) and not isinstance(v, _Stamp):
                node[k] = _expand(v, values)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if not isinstance(item, str):
                raise _ReplacementError("a list item is not a string")
            node[i] = _expand(item, values)


def _expand(text: str, values: dict[str, Any]) -> Any:
    """refvar.DoReplacements: `$(NAME)` expands, `$$` is a literal `$`; a lone `$(NAME)` keeps the value's type."""
    out: list[str] = []
    checkpoint, cursor = 0, 0
    while cursor < len(text):
        if text[cursor] == "$" and cursor + 1 < len(text):
            out.append(text[checkpoint:cursor])
            read, is_var, advance = _read_var(text[cursor + 1:])
            if is_var:
                mapped = values[read] if read in values and not isinstance(values[read], (dict, list)) else f"$({read})"
                if text == f"$({read})":
                    return mapped
                out.append(_scalar_text(mapped) if not isinstance(mapped, str) else mapped)
            else:
                out.append(read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + text[checkpoint:]


def _read_var(rest: str) -> tuple[str, bool, int]:
    if rest[0] == "$":
        return "$", False, 1
    if rest[0] == "(":
        close = rest.find(")", 1)
        return (rest[1:close], True, close + 1) if close > 0 else ("$(", False, 1)
    return "$" + rest[0], False, 1


def _is_local_config(res: _Res) -> bool:
    """kustomize drops objects annotated config.kubernetes.io/local-config (unless the value is 'false')."""
    value = _annotations(res.data).get("config.kubernetes.io/local-config")
    return value is not None and value != "false"


_ORDER_FIRST = ("Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
                "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
                "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
                "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget")
_ORDER_LAST = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def _sorted(ctx: _Ctx, kust: _Kust, resmap: list[_Res]) -> list[_Res]:
    """kustomize's output order: the kustomization's sortOptions, else the legacy order by kind."""
    options = _map_field(kust, "sortOptions")
    order = options.get("order", "legacy") if options else "legacy"
    if order == "fifo":
        return resmap
    if order != "legacy":
        ctx.report(kust.loc("sortOptions", "order"), "sortOptions.order must be legacy or fifo: legacy is used")
    legacy = _mapping(options.get("legacySortOptions"))
    first = [str(k) for k in _list(legacy.get("orderFirst"))] if legacy else list(_ORDER_FIRST)
    last = [str(k) for k in _list(legacy.get("orderLast"))] if legacy else list(_ORDER_LAST)
    ranks = {kind: i - len(first) for i, kind in enumerate(first)}
    ranks.update({kind: i + 1 for i, kind in enumerate(last)})
    return sorted(resmap, key=lambda r: _sort_key(r, ranks))


def _sort_key(res: _Res, ranks: dict[str, int]) -> tuple[int, bool, str, str]:
    group, version, kind = _gvk(res)
    gvk = "_".join((group or "~G", version or "~V", kind or "~K"))
    # kustomize compares a group-less Namespace kind in reverse with other Namespace kinds: it comes first.
    later = not (kind == "Namespace" and not group)
    ident = "|".join((f"{kind or '[noKind]'}.{version or '[noVer]'}.{group or '[noGrp]'}",
                      _namespace(res) or "~X", _name(res) or "~N"))
    return ranks.get(kind, 0), later, gvk, ident


def _built(res: _Res) -> BuiltObject:
    _finish_annotations(res.data)
    lines = _final_lines(res)
    return BuiltObject(_plain(res.data), res.origin, lines)


def _finish_annotations(data: dict[str, Any]) -> None:
    """kustomize rewrites every object's annotations as strings when it strips its own, dropping an empty map."""
    meta = data.get("metadata")
    if isinstance(meta, dict) and "annotations" in meta:
        _set_string_map(data, "annotations", _annotations(data))


def _final_lines(res: _Res) -> dict[Path, int]:
    """Lines of the keys and items that still come from the origin document, at their final paths."""
    out: dict[Path, int] = {}

    def visit(node: Any, path: Path) -> None:
        entry = res.index.get(id(node))
        original = entry[1] if entry is not None and entry[0] is node else None
        if original is not None and path and original in res.src_lines:
            out[path] = res.src_lines[original]
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in children:
            child: Path = path + (_key_text(key) if isinstance(node, dict) else key,)
            # A key of an original mapping keeps its line even when its value was rebuilt by a patch.
            line = res.src_lines.get(original + child[-1:]) if original is not None else None
            if line:
                out[child] = line
            if isinstance(value, (dict, list)):
                visit(value, child)

    visit(res.data, ())
    return out


def _plain(node: Any) -> Any:
    """Output as kustomize writes it (through JSON): string keys, plain strings."""
    if isinstance(node, dict):
        return {_key_text(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, _Stamp):
        return str.__str__(node)
    if isinstance(node, float) and node == int(node) and abs(node) < 1e21:
        return int(node)  # Go's JSON encoder writes 1000.0 as 1000
    return node
