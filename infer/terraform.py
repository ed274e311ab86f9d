"""Evaluate Terraform configurations statically: roots, variables, locals and modules -> deployed instances."""

from __future__ import annotations

import math
import operator
import posixpath
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ..collectors.terraform import KIND_BLOCK, TfBlock
from ..collectors.tfvars import KIND_VARS, TfVarsFile
from ..hcl import (
    Attribute, BinOp, Block, Body, Call, Conditional, Expr, ForExpr, GetAttr, Index, Literal,
    ObjectExpr, Opaque, Splat, Template, TupleExpr, Unary, Variable,
)
from ..model import Diagnostic, Fact, Limits, Loc, Severity, internal_error
from ..redact import CREDENTIAL_NAME
from .hclfuncs import STRING_LIMIT, FunctionError, call_function
from .values import ResourceRef, Unknown, contains_unknown

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class EvalValue:
    """An evaluated attribute: its value, where it is written, and where its inputs came from."""

    value: Any
    loc: Loc
    via: tuple[Loc, ...] = ()
    text: str = ""  # the source expression, shown when the value stays unresolved

    @property
    def known(self) -> bool:
        return not contains_unknown(self.value)

    def evidence(self) -> tuple[Loc, ...]:
        """The attribute's own line first, then the variable values it was computed from."""
        return (self.loc,) + tuple(v for v in self.via if v != self.loc)


@dataclass(frozen=True)
class EvalBody:
    """An evaluated block body: attributes by name and nested blocks by type, in file order."""

    loc: Loc
    attributes: tuple[tuple[str, EvalValue], ...] = ()
    blocks: tuple[tuple[str, "EvalBody"], ...] = ()

    def attr(self, name: str) -> EvalValue | None:
        for key, value in self.attributes:
            if key == name:
                return value
        return None

    def blocks_of(self, block_type: str) -> tuple["EvalBody", ...]:
        return tuple(b for t, b in self.blocks if t == block_type)

    def get(self, path: str) -> EvalValue | None:
        """`a.b.c`: the attribute c of the first block b of the first block a."""
        *blocks, name = path.split(".")
        body: EvalBody | None = self
        for block_type in blocks:
            found = body.blocks_of(block_type) if body else ()
            body = found[0] if found else None
        return body.attr(name) if body else None


@dataclass(frozen=True)
class Deployment:
    """One way a root module is applied: the root folder and the variable files given to it."""

    name: str
    root: str
    var_files: tuple[str, ...]
    workspace: str | None = None  # set when the code compares terraform.workspace with this name


@dataclass(frozen=True)
class Instance:
    """A managed resource, data source or registry-module call that a deployment creates."""

    deployment: str
    address: str
    mode: str  # "managed" | "data" | "module"
    type: str  # resource type, or the registry module source without version
    name: str
    key: str | int | None
    loc: Loc
    body: EvalBody
    multiplicity_unresolved: bool = False


@dataclass(frozen=True)
class Disabled:
    """A resource or module whose count/for_each resolves to nothing in a deployment: not deployed."""

    deployment: str
    address: str
    type: str
    loc: Loc
    reason: str


@dataclass(frozen=True)
class ProviderUse:
    """A provider configured or required by a deployment's modules."""

    deployment: str
    name: str
    source: str
    version: str
    loc: Loc
    region: EvalValue | None = None  # `region`/`location` in a provider block (AWS, GCP)


@dataclass(frozen=True)
class TerraformModel:
    """Everything the Terraform configurations of a tree deploy, per deployment."""

    deployments: tuple[Deployment, ...]
    instances: tuple[Instance, ...]
    disabled: tuple[Disabled, ...]
    providers: tuple[ProviderUse, ...]
    unused_modules: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    defs: dict[str, "ModuleDef"] = field(default_factory=dict, compare=False, repr=False)  # by folder, as read


# ---------------------------------------------------------------------------------------------
# Module definitions


@dataclass(frozen=True)
class Decl:
    """A block and the file it is written in."""

    block: Block
    path: str

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.block.line)


@dataclass
class ModuleDef:
    """The blocks of one module folder, by kind and name."""

    dir: str
    variables: dict[str, Decl] = field(default_factory=dict)
    locals: dict[str, tuple[Attribute, str]] = field(default_factory=dict)
    resources: dict[str, Decl] = field(default_factory=dict)
    data: dict[str, Decl] = field(default_factory=dict)
    modules: dict[str, Decl] = field(default_factory=dict)
    outputs: dict[str, Decl] = field(default_factory=dict)
    providers: list[Decl] = field(default_factory=list)
    settings: list[Decl] = field(default_factory=list)  # terraform { ... } blocks


def module_defs(facts: Iterable[Fact]) -> dict[str, ModuleDef]:
    """Group block facts by module folder."""
    defs: dict[str, ModuleDef] = {}
    for fact in facts:
        if fact.kind != KIND_BLOCK:
            continue
        data: TfBlock = fact.data
        mdef = defs.setdefault(data.module_dir, ModuleDef(data.module_dir))
        block, decl = data.block, Decl(data.block, fact.loc.path)
        labels = block.labels
        if block.type == "variable" and labels:
            mdef.variables[labels[0]] = decl
        elif block.type == "locals":
            for attribute in block.body.attributes:
                mdef.locals[attribute.name] = (attribute, fact.loc.path)
        elif block.type == "resource" and len(labels) == 2:
            mdef.resources[f"{labels[0]}.{labels[1]}"] = decl
        elif block.type == "data" and len(labels) == 2:
            mdef.data[f"{labels[0]}.{labels[1]}"] = decl
        elif block.type == "module" and labels:
            mdef.modules[labels[0]] = decl
        elif block.type == "output" and labels:
            mdef.outputs[labels[0]] = decl
        elif block.type == "provider":
            mdef.providers.append(decl)
        elif block.type == "terraform":
            mdef.settings.append(decl)
    return defs


def local_source(decl: Decl) -> str | None:
    """The folder a `./` or `../` module source points at, relative to the scanned root."""
    attribute = decl.block.body.attr("source")
    if attribute is None or not isinstance(attribute.expr, Literal) or not isinstance(attribute.expr.value, str):
        return None
    source = attribute.expr.value
    if not source.startswith(("./", "../")):
        return None
    module_dir = posixpath.dirname(decl.path) or "."
    return posixpath.normpath(posixpath.join(module_dir, source))


def registry_source(decl: Decl) -> str:
    """The module source as written, without `git::`/`?ref=` noise, for the catalog to recognise."""
    attribute = decl.block.body.attr("source")
    if attribute is None or not isinstance(attribute.expr, Literal):
        return "(unresolved source)"
    source = str(attribute.expr.value)
    for prefix in ("git::", "registry.terraform.io/", "github.com/", "https://github.com/", "ssh://git@github.com/"):
        if source.startswith(prefix):
            source = source[len(prefix):]
    source = source.split("?", 1)[0].removesuffix(".git")
    return source


def find_roots(defs: dict[str, ModuleDef]) -> tuple[list[str], list[str]]:
    """Root modules, and module folders that nothing instantiates (definitions, not deployments).

    A folder some other folder calls with a local source is a module. Of the rest, a folder that
    configures a provider or a backend, or has variable files, is a root; any other is a module
    definition on its own (a reusable module's repository), so its resources are not deployed.
    """
    called = {target for mdef in defs.values() for decl in mdef.modules.values()
              if (target := local_source(decl)) is not None}
    roots, unused = [], []
    for module_dir in sorted(defs):
        if module_dir in called:
            continue
        mdef = defs[module_dir]
        has_backend = any(s.block.body.blocks_of("backend") or s.block.body.blocks_of("cloud") for s in mdef.settings)
        if mdef.providers or has_backend:
            roots.append(module_dir)
        else:
            unused.append(module_dir)
    return roots, unused


_AUTO_VARS = ("terraform.tfvars", "terraform.tfvars.json")


def deployments_for(roots: list[str], var_files: list[TfVarsFile], unused: list[str],
                    root_label: str = ".") -> tuple[list[Deployment], list[str]]:
    """Deployments per root: always-loaded files apply to all; each other variable file is one deployment.

    A root whose folder holds variable files is a root too, even without a provider block.
    Returns the deployments and the roots the unused list should lose (promoted by their tfvars).
    """
    by_dir: dict[str, list[TfVarsFile]] = {}
    for vf in var_files:
        by_dir.setdefault(vf.dir, []).append(vf)
    promoted = [d for d in unused if d in by_dir and posixpath.basename(d) not in ("modules",)
                and "/modules/" not in f"/{d}/"]
    out: list[Deployment] = []
    for root in sorted(roots + promoted):
        files = sorted(by_dir.get(root, []), key=lambda v: v.name)
        auto = [f for f in files if f.name in _AUTO_VARS]
        auto += [f for f in files if f.name.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        # Variable files in subfolders that are not modules themselves (envs/prod.tfvars beside a root).
        nested = [vf for d, vfs in by_dir.items() if d.startswith(root + "/") or (root == "." and d != ".")
                  for vf in vfs if d not in roots and d not in promoted]
        variants = [f for f in files if f not in auto] + sorted(nested, key=lambda v: (v.dir, v.name))
        auto_paths = tuple(_path(f) for f in auto)
        label = root_label if root == "." else root
        if not variants:
            out.append(Deployment(label, root, auto_paths))
        for vf in variants:
            out.append(Deployment(f"{label} ({vf.name})", root, auto_paths + (_path(vf),)))
    return out, promoted


def _path(vf: TfVarsFile) -> str:
    return vf.name if vf.dir == "." else f"{vf.dir}/{vf.name}"


# ---------------------------------------------------------------------------------------------
# Evaluation


class _Namespace:
    """A partial reference such as `var`, `module.x` or `data.type` waiting for its next name."""

    def __init__(self, *parts: str) -> None:
        self.parts = parts


class ResourceObject(dict[str, Any]):
    """A resource's configured attributes; any other attribute is a computed ResourceRef."""

    def __init__(self, address: str, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.address = address


class ModuleObject:
    """A module call's outputs, evaluated when read."""

    def __init__(self, address: str, instance: "_ModuleInstance | None") -> None:
        self.address = address
        self.instance = instance


_CYCLE = object()


class _ModuleInstance:
    """One instance of a module during evaluation: its variable bindings and memoised values."""

    def __init__(self, mdef: ModuleDef, address: str, bindings: dict[str, tuple[Any, tuple[Loc, ...]]]) -> None:
        self.mdef = mdef
        self.address = address  # "" for the root, "module.a.module.b" below it
        self.bindings = bindings  # evaluated inputs: value and where it came from
        self.memo: dict[str, Any] = {}

    def prefix(self, name: str) -> str:
        return f"{self.address}.{name}" if self.address else name


# Expressions evaluated per deployment before the rest is left unresolved; the largest real roots tried
# (terraform-aws-eks examples: 4,728; AKS landing zone: 1,193) need a fortieth of this.
MAX_EVAL_STEPS = Limits.max_eval_steps
# Instances one `count` may create before it is left unresolved.
MAX_INSTANCES = 10_000


class _Evaluator:
    """Evaluates one deployment; collects instances, disabled resources and diagnostics."""

    def __init__(self, defs: dict[str, ModuleDef], deployment: Deployment, max_steps: int = MAX_EVAL_STEPS) -> None:
        self.defs = defs
        self.deployment = deployment
        self.instances: list[Instance] = []
        self.disabled: list[Disabled] = []
        self.diagnostics: list[Diagnostic] = []
        self.providers: list[ProviderUse] = []
        self.trace: list[set[Loc]] = [set()]
        self.depth = 0
        self.steps = 0  # expressions evaluated: a few bytes (nested `for` over `range`) can mean billions
        self.max_steps = max_steps
        self.where = Loc(deployment.root)  # the attribute being evaluated, for the diagnostic when the budget runs out

    # -- variables, locals, references -------------------------------------------------------
    def variable(self, mod: _ModuleInstance, name: str, text: str) -> Any:
        decl = mod.mdef.variables.get(name)
        if decl is None:
            return Unknown(text, f"variable {name!r} is not declared")
        sensitive = decl.block.body.attr("sensitive")
        if sensitive is not None and isinstance(sensitive.expr, Literal) and sensitive.expr.value is True:
            return Unknown(text, "sensitive")
        if CREDENTIAL_NAME.search(name):  # named like a credential but not marked sensitive: treated the same
            return Unknown(text, "sensitive")
        if name in mod.bindings:
            value, locs = mod.bindings[name]
            self.trace[-1].update(locs)
            return value
        default = decl.block.body.attr("default")
        if default is None:
            return Unknown(text, "no value given")
        self.trace[-1].add(Loc(decl.path, default.line))
        return self.eval(default.expr, _EMPTY_MOD, {})

    def memoised(self, mod: _ModuleInstance, key: str, compute: Any) -> Any:
        """Evaluate once per module instance, replaying the variable sources on every later use."""
        hit = mod.memo.get(key)
        if hit is _CYCLE:
            return Unknown(key, "circular reference")
        if hit is not None:
            value, locs = hit
            self.trace[-1].update(locs)
            return value
        mod.memo[key] = _CYCLE
        self.trace.append(set())
        try:
            value = compute()
        finally:
            locs = self.trace.pop()
        mod.memo[key] = (value, frozenset(locs))
        self.trace[-1].update(locs)
        return value

    def local(self, mod: _ModuleInstance, name: str, text: str) -> Any:
        entry = mod.mdef.locals.get(name)
        if entry is None:
            return Unknown(text, f"local {name!r} is not defined")
        attribute, path = entry

        def compute() -> Any:
            self.trace[-1].add(Loc(path, attribute.line))  # the local's own line is evidence too
            return self.eval(attribute.expr, mod, {})

        return self.memoised(mod, "local." + name, compute)

    def resource(self, mod: _ModuleInstance, key: str, data: bool) -> Any:
        decl = (mod.mdef.data if data else mod.mdef.resources).get(key)
        address = mod.prefix(("data." if data else "") + key)
        if decl is None:
            return Unknown(address, "not declared in this module")

        def compute() -> Any:
            keys = self.expand(decl.block.body, mod, {})
            if isinstance(keys, Unknown):
                return Unknown(address, "count/for_each unresolved")

            def one(each: dict[str, Any], suffix: str) -> ResourceObject:
                values = {a.name: self.eval(a.expr, mod, each) for a in decl.block.body.attributes
                          if a.name not in ("count", "for_each", "depends_on", "provider", "lifecycle")}
                for nested in decl.block.body.blocks:
                    if nested.type not in ("lifecycle", "provisioner", "connection", "dynamic"):
                        values.setdefault(nested.type, []).append(
                            {a.name: self.eval(a.expr, mod, each) for a in nested.body.attributes})
                return ResourceObject(address + suffix, values)

            if keys is None:
                return one({}, "")
            objects = {k: one(env, _suffix(k)) for k, env in keys}
            if all(isinstance(k, int) for k in objects):
                return [objects[k] for k in sorted(objects)]
            return objects

        return self.memoised(mod, address, compute)

    def module_object(self, mod: _ModuleInstance, name: str) -> Any:
        """`module.name`: its outputs, or a list/map of them for count/for_each calls."""
        decl = mod.mdef.modules.get(name)
        address = mod.prefix(f"module.{name}")
        if decl is None:
            return Unknown(address, "module not declared")
        children = self.children(mod, name, decl)
        if isinstance(children, Unknown):
            return children
        if len(children) == 1 and children[0][0] is None:
            return ModuleObject(address, children[0][1])
        objects = {k: ModuleObject(address + _suffix(k), child) for k, child, in children}
        if all(isinstance(k, int) for k in objects):
            return [objects[k] for k in sorted(objects)]
        return objects

    def children(self, mod: _ModuleInstance, name: str, decl: Decl) -> Any:
        """The instances of a module call, created once: [(key, child or None for registry modules)]."""
        address = mod.prefix(f"module.{name}")

        def compute() -> Any:
            keys = self.expand(decl.block.body, mod, {})
            if isinstance(keys, Unknown):
                return keys
            target = local_source(decl)
            out: list[tuple[Any, _ModuleInstance | None]] = []
            for k, env in keys if keys is not None else [(None, {})]:
                if target is None or target not in self.defs:
                    out.append((k, None))
                    continue
                bindings: dict[str, tuple[Any, tuple[Loc, ...]]] = {}
                for attribute in decl.block.body.attributes:
                    if attribute.name in _META_ARGUMENTS:
                        continue
                    self.trace.append(set())
                    value = self.eval(attribute.expr, mod, env)
                    locs = self.trace.pop() | {Loc(decl.path, attribute.line)}
                    bindings[attribute.name] = (value, tuple(sorted(locs)))
                out.append((k, _ModuleInstance(self.defs[target], address + _suffix(k), bindings)))
            return out

        return self.memoised(mod, "children:" + name, compute)

    def output(self, obj: ModuleObject, name: str, text: str) -> Any:
        child = obj.instance
        if child is None:
            return ResourceRef(obj.address, name)
        decl = child.mdef.outputs.get(name)
        if decl is None:
            return Unknown(text, f"module has no output {name!r}")
        value_attr = decl.block.body.attr("value")
        sensitive = decl.block.body.attr("sensitive")
        if value_attr is None:
            return Unknown(text, "output without value")
        if sensitive is not None and isinstance(sensitive.expr, Literal) and sensitive.expr.value is True:
            return Unknown(text, "sensitive")
        return self.memoised(child, "output." + name, lambda: self.eval(value_attr.expr, child, {}))

    # -- expressions ---------------------------------------------------------------------------
    def eval(self, expr: Expr, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        self.steps += 1
        if self.steps > self.max_steps:
            if self.steps == self.max_steps + 1:
                self.diagnostics.append(Diagnostic(self.where, Severity.WARNING,
                                                   f"Terraform evaluation of {self.deployment.name} stopped after "
                                                   f"{self.max_steps} steps (limit max_eval_steps); the values left "
                                                   "are unresolved"))
            return Unknown(expr.text, "evaluation limit reached")
        self.depth += 1
        try:
            if self.depth > 200:
                return Unknown(expr.text, "evaluation nested too deeply")
            value = self._eval(expr, mod, env)
        finally:
            self.depth -= 1
        if isinstance(value, _Namespace):
            return Unknown(expr.text, "incomplete reference")
        return value

    def _eval(self, expr: Expr, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            parts = [p if isinstance(p, str) else self.eval(p, mod, env) for p in expr.parts]
            if any(contains_unknown(p) for p in parts):
                return Unknown(expr.text)
            if any(isinstance(p, (list, dict)) for p in parts):
                return Unknown(expr.text, "cannot interpolate a collection")
            text = "".join(_to_string(p) for p in parts)
            # Templates that double a string through locals grow exponentially: stop at the limit.
            return text if len(text) <= STRING_LIMIT else Unknown(expr.text, "string longer than the limit")
        if isinstance(expr, TupleExpr):
            return [self.eval(item, mod, env) for item in expr.items]
        if isinstance(expr, ObjectExpr):
            out: dict[str, Any] = {}
            for key_expr, value_expr in expr.items:
                key = self.eval(key_expr, mod, env)
                if contains_unknown(key) or isinstance(key, (list, dict)):
                    return Unknown(expr.text, "object key unresolved")
                out[_to_string(key)] = self.eval(value_expr, mod, env)
            return out
        if isinstance(expr, Variable):
            if expr.name in env:
                return env[expr.name]
            if expr.name == "self":
                return Unknown(expr.text, "self is known only at apply time")
            return _Namespace(expr.name)
        if isinstance(expr, GetAttr):
            obj = self.eval_ref(expr.obj, mod, env)
            return self.get_attr(obj, expr.name, expr.text, mod)
        if isinstance(expr, Index):
            obj = self.eval_ref(expr.obj, mod, env)
            key = self.eval(expr.key, mod, env)
            return _index(obj, key, expr.text)
        if isinstance(expr, Splat):
            obj = self.eval(expr.obj, mod, env)
            if isinstance(obj, Unknown):
                return Unknown(expr.text)
            items = [] if obj is None else obj if isinstance(obj, list) else [obj]
            results = []
            for item in items:
                for step in expr.steps:
                    item = (self.get_attr(item, step, expr.text, mod) if isinstance(step, str)
                            else _index(item, self.eval(step, mod, env), expr.text))
                results.append(item)
            return results
        if isinstance(expr, Call):
            return self.call(expr, mod, env)
        if isinstance(expr, BinOp):
            return _binop(expr.op, self.eval(expr.left, mod, env), self.eval(expr.right, mod, env), expr.text)
        if isinstance(expr, Unary):
            operand = self.eval(expr.operand, mod, env)
            if contains_unknown(operand):
                return Unknown(expr.text)
            if expr.op == "!" and isinstance(operand, bool):
                return not operand
            if expr.op == "-" and isinstance(operand, (int, float)) and not isinstance(operand, bool):
                return -operand
            return Unknown(expr.text, f"cannot apply {expr.op}")
        if isinstance(expr, Conditional):
            cond = self.eval(expr.cond, mod, env)
            if isinstance(cond, str) and cond in ("true", "false"):
                cond = cond == "true"
            if not isinstance(cond, bool):
                return Unknown(expr.text, f"condition {expr.cond.text} unresolved")
            return self.eval(expr.if_true if cond else expr.if_false, mod, env)
        if isinstance(expr, ForExpr):
            return self.for_expr(expr, mod, env)
        if isinstance(expr, Opaque):
            return Unknown(expr.text, expr.reason)
        return Unknown(getattr(expr, "text", "?"), "unsupported expression")

    def eval_ref(self, expr: Expr, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        """Like eval, but lets a partial reference (`var`, `module.x`) through to the next step."""
        self.depth += 1
        try:
            return self._eval(expr, mod, env) if self.depth <= 200 else Unknown(expr.text, "too deep")
        finally:
            self.depth -= 1

    def get_attr(self, obj: Any, name: str, text: str, mod: _ModuleInstance) -> Any:
        if isinstance(obj, _Namespace):
            parts = obj.parts + (name,)
            head = parts[0]
            if head == "var":
                return self.variable(mod, name, text)
            if head == "local":
                return self.local(mod, name, text)
            if head == "module":
                return self.module_object(mod, name)
            if head == "path":
                return {"module": mod.mdef.dir, "root": self.deployment.root, "cwd": self.deployment.root}.get(
                    name, Unknown(text))
            if head == "terraform":
                if name == "workspace" and self.deployment.workspace is not None:
                    return self.deployment.workspace
                return Unknown(text, "workspace is chosen at apply time")
            if head == "data":
                if len(parts) == 2:
                    return _Namespace(*parts)
                return self.resource(mod, f"{parts[1]}.{parts[2]}", data=True)
            if head in ("count", "each"):
                return Unknown(text, f"{head} used outside count/for_each")
            return self.resource(mod, f"{head}.{name}", data=False)
        if isinstance(obj, ModuleObject):
            return self.output(obj, name, text)
        if isinstance(obj, ResourceObject):
            return obj[name] if name in obj else ResourceRef(obj.address, name)
        if isinstance(obj, dict):
            return obj[name] if name in obj else Unknown(text, f"no attribute {name!r}")
        if isinstance(obj, ResourceRef):
            return ResourceRef(obj.address, f"{obj.attribute}.{name}")
        if isinstance(obj, Unknown):
            return Unknown(text, obj.reason)
        return Unknown(text, f"no attribute {name!r}")

    def call(self, expr: Call, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        if expr.name in ("try", "can"):
            for arg in expr.args:
                self.trace.append(set())
                value = self.eval(arg, mod, env)
                locs = self.trace.pop()
                if not isinstance(value, Unknown) or not _is_failure(value.reason):
                    if isinstance(value, Unknown):  # unresolved, not failed: try cannot decide
                        return Unknown(expr.text)
                    self.trace[-1].update(locs)
                    return True if expr.name == "can" else value
                if expr.name == "can":
                    return False
            return Unknown(expr.text, "no argument of try() succeeded")
        args = [self.eval(a, mod, env) for a in expr.args]
        if expr.expand_last and args:
            last = args.pop()
            if not isinstance(last, list):
                return Unknown(expr.text, "cannot expand a non-list")
            args.extend(last)
        if any(isinstance(a, (Unknown, ResourceRef)) for a in args):
            return Unknown(expr.text)
        try:
            result = call_function(expr.name, args)
        except FunctionError as exc:
            return Unknown(expr.text, _FAILED + str(exc))
        if isinstance(result, Unknown):
            return Unknown(expr.text, result.reason)
        return result

    def for_expr(self, expr: ForExpr, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        pairs = _pairs(self.eval(expr.collection, mod, env))
        if pairs is None:
            return Unknown(expr.text, f"{expr.collection.text} unresolved")
        items: list[Any] = []
        groups: dict[str, Any] = {}
        for key, value in pairs:
            inner = dict(env)
            if expr.key_var:
                inner[expr.key_var] = key
            inner[expr.value_var] = value
            if expr.cond is not None:
                keep = self.eval(expr.cond, mod, inner)
                if not isinstance(keep, bool):
                    return Unknown(expr.text, "filter unresolved")
                if not keep:
                    continue
            item = self.eval(expr.value, mod, inner)
            if expr.key is None:
                items.append(item)
                continue
            k = self.eval(expr.key, mod, inner)
            if contains_unknown(k) or isinstance(k, (list, dict)):
                return Unknown(expr.text, "key unresolved")
            if expr.grouping:
                groups.setdefault(_to_string(k), []).append(item)
            else:
                groups[_to_string(k)] = item
        return items if expr.key is None else groups

    # -- instances -----------------------------------------------------------------------------
    def expand(self, body: Body, mod: _ModuleInstance, env: dict[str, Any]) -> Any:
        """None for a single instance; Unknown when unresolved; else [(key, env)] per instance."""
        count = body.attr("count")
        for_each = body.attr("for_each")
        if count is not None:
            n = self.eval(count.expr, mod, env)
            if isinstance(n, float) and n.is_integer():
                n = int(n)
            if not isinstance(n, int) or isinstance(n, bool):
                return Unknown(count.expr.text, "count unresolved")
            if n > MAX_INSTANCES:  # each instance is evaluated: a count of 10**9 would never finish
                return Unknown(count.expr.text, f"count {n} over the limit of {MAX_INSTANCES}")
            return [(i, {**env, "count": {"index": i}}) for i in range(max(n, 0))]
        if for_each is not None:
            coll = self.eval(for_each.expr, mod, env)
            if isinstance(coll, dict) and not contains_unknown(list(coll.keys())):
                return [(k, {**env, "each": {"key": k, "value": coll[k]}}) for k in sorted(coll)]
            if isinstance(coll, list) and all(isinstance(v, str) for v in coll):
                return [(k, {**env, "each": {"key": k, "value": k}}) for k in sorted(set(coll))]
            return Unknown(for_each.expr.text, "for_each unresolved")
        return None

    def eval_body(self, body: Body, mod: _ModuleInstance, env: dict[str, Any], path: str, line: int) -> EvalBody:
        attributes = []
        for attribute in body.attributes:
            if attribute.name in ("count", "for_each", "depends_on", "provider", "providers", "source", "version"):
                continue
            self.trace.append(set())
            self.where = Loc(path, attribute.line)
            value = self.eval(attribute.expr, mod, env)
            via = self.trace.pop()
            attributes.append((attribute.name, EvalValue(value, Loc(path, attribute.line),
                                                         tuple(sorted(via)), attribute.expr.text)))
        blocks: list[tuple[str, EvalBody]] = []
        for nested in body.blocks:
            if nested.type in ("lifecycle", "provisioner", "connection"):
                continue
            if nested.type == "dynamic" and nested.labels:
                blocks.extend(self.dynamic(nested, mod, env, path))
                continue
            blocks.append((nested.type, self.eval_body(nested.body, mod, env, path, nested.line)))
        return EvalBody(Loc(path, line), tuple(attributes), tuple(blocks))

    def dynamic(self, block: Block, mod: _ModuleInstance, env: dict[str, Any], path: str) -> list[tuple[str, EvalBody]]:
        name = block.labels[0]
        iterator_attr = block.body.attr("iterator")
        iterator = iterator_attr.expr.text if iterator_attr else name
        content = block.body.blocks_of("content")
        for_each = block.body.attr("for_each")
        if not content or for_each is None:
            return []
        pairs = _pairs(self.eval(for_each.expr, mod, env))
        if pairs is None:
            unknown = Unknown(for_each.expr.text, "dynamic block for_each unresolved")
            pairs = [(unknown, unknown)]
        return [(name, self.eval_body(content[0].body, mod, {**env, iterator: {"key": k, "value": v}},
                                      path, content[0].line)) for k, v in pairs]

    def run_module(self, mod: _ModuleInstance, depth: int = 0) -> None:
        """Record every resource of a module instance, then descend into its module calls."""
        mdef = mod.mdef
        for decl in mdef.providers:
            region = None
            for name in ("region", "location"):
                attribute = decl.block.body.attr(name)
                if attribute is not None:
                    self.trace.append(set())
                    value = self.eval(attribute.expr, mod, {})
                    via = tuple(sorted(self.trace.pop()))
                    region = EvalValue(value, Loc(decl.path, attribute.line), via, attribute.expr.text)
                    break
            self.providers.append(ProviderUse(self.deployment.name, decl.block.labels[0] if decl.block.labels else "?",
                                              "", "", decl.loc, region))
        for setting in mdef.settings:
            for req in setting.block.body.blocks_of("required_providers"):
                for attribute in req.body.attributes:
                    spec = self.eval(attribute.expr, _EMPTY_MOD, {})
                    source = spec.get("source", "") if isinstance(spec, dict) else ""
                    version = spec.get("version", "") if isinstance(spec, dict) else (spec if isinstance(spec, str) else "")
                    self.providers.append(ProviderUse(self.deployment.name, attribute.name, str(source),
                                                      str(version), Loc(setting.path, attribute.line)))
        for key, decl in sorted(mdef.resources.items()):
            self.record(mod, decl, "managed", key)
        for key, decl in sorted(mdef.data.items()):
            self.record(mod, decl, "data", key)
        for name, decl in sorted(mdef.modules.items()):
            self.call_module(mod, name, decl, depth)

    def record(self, mod: _ModuleInstance, decl: Decl, mode: str, key: str) -> None:
        rtype, name = key.split(".", 1)
        address = mod.prefix(("data." if mode == "data" else "") + key)
        keys = self.expand(decl.block.body, mod, {})
        if isinstance(keys, Unknown):
            body = self.eval_body(decl.block.body, mod, {"count": {"index": Unknown("count.index")},
                                                         "each": {"key": Unknown("each.key"), "value": Unknown("each.value")}},
                                  decl.path, decl.block.line)
            self.instances.append(Instance(self.deployment.name, address, mode, rtype, name, None, decl.loc, body, True))
            return
        if keys == []:
            if mode == "managed":  # a data source read zero times deploys nothing either way
                self.disabled.append(Disabled(self.deployment.name, address, rtype, decl.loc,
                                              _why_empty(decl.block.body)))
            return
        for k, env in keys or [(None, {})]:
            body = self.eval_body(decl.block.body, mod, env, decl.path, decl.block.line)
            self.instances.append(Instance(self.deployment.name, address + _suffix(k), mode, rtype, name, k,
                                           decl.loc, body))

    def call_module(self, mod: _ModuleInstance, name: str, decl: Decl, depth: int) -> None:
        """Record a registry module call as an instance, or descend into a local module's instances."""
        address = mod.prefix(f"module.{name}")
        children = self.children(mod, name, decl)
        if children == []:
            self.disabled.append(Disabled(self.deployment.name, address, "module", decl.loc, _why_empty(decl.block.body)))
            return
        unresolved = isinstance(children, Unknown)
        target = local_source(decl)
        if unresolved:
            env: dict[str, Any] = {"count": {"index": Unknown("count.index")},
                                   "each": {"key": Unknown("each.key"), "value": Unknown("each.value")}}
            if target is not None and target in self.defs:
                self.diagnostics.append(Diagnostic(decl.loc, Severity.WARNING,
                                                   f"count/for_each of module {name!r} unresolved: its resources are not listed"))
                return
            body = self.eval_body(decl.block.body, mod, env, decl.path, decl.block.line)
            self.instances.append(Instance(self.deployment.name, address, "module", registry_source(decl), name, None,
                                           decl.loc, body, True))
            return
        for k, child in children:
            if child is None:
                env = {} if k is None else self._iteration_env(decl, mod, k)
                body = self.eval_body(decl.block.body, mod, env, decl.path, decl.block.line)
                self.instances.append(Instance(self.deployment.name, address + _suffix(k), "module",
                                               registry_source(decl), name, k, decl.loc, body))
                if target is not None:
                    self.diagnostics.append(Diagnostic(decl.loc, Severity.WARNING,
                                                       f"module source {target} has no .tf files in the scanned tree"))
            elif depth > 20:
                self.diagnostics.append(Diagnostic(decl.loc, Severity.WARNING, "module nesting deeper than 20: not followed"))
            else:
                self.run_module(child, depth + 1)

    def _iteration_env(self, decl: Decl, mod: _ModuleInstance, key: Any) -> dict[str, Any]:
        keys = self.expand(decl.block.body, mod, {})
        for k, env in keys if isinstance(keys, list) else []:
            if k == key:
                return dict(env)
        return {}


_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_FAILED = "failed: "


def _is_failure(reason: str) -> bool:
    """try() skips an argument that failed (bad function call, missing key), not one merely unresolved."""
    return reason.startswith((_FAILED, "no attribute", "index"))


# Variable files and defaults are evaluated where nothing is in scope.
_EMPTY_MOD = _ModuleInstance(ModuleDef(""), "", {})


def _pairs(collection: Any) -> list[tuple[Any, Any]] | None:
    """(key, value) pairs to iterate, as Terraform does (maps in key order); None when not a collection."""
    if isinstance(collection, dict):
        return [(k, collection[k]) for k in sorted(collection)]
    if isinstance(collection, list):
        return list(enumerate(collection))
    return None


def _suffix(key: Any) -> str:
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


def _why_empty(body: Body) -> str:
    attribute = body.attr("count") or body.attr("for_each")
    kind = "count" if body.attr("count") else "for_each"
    return f"{kind} = {attribute.expr.text if attribute else '?'} resolves to none"


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)


def _index(obj: Any, key: Any, text: str) -> Any:
    if isinstance(obj, (Unknown, ResourceRef)) or contains_unknown(key):
        return Unknown(text)
    if isinstance(obj, list):
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        if isinstance(key, float) and key.is_integer():
            key = int(key)
        if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(obj):
            return obj[key]
        return Unknown(text, f"index {key!r} out of range")
    if isinstance(obj, dict):
        name = _to_string(key)
        if name in obj:
            return obj[name]
        if isinstance(obj, ResourceObject):
            return ResourceRef(obj.address, name)
        return Unknown(text, f"index {name!r} not in map")
    return Unknown(text, "index of a non-collection")


def _binop(op: str, left: Any, right: Any, text: str) -> Any:
    if contains_unknown(left) or contains_unknown(right):
        return Unknown(text)
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in ("&&", "||"):
        if not isinstance(left, bool) or not isinstance(right, bool):
            return Unknown(text, "logical operator needs booleans")
        return (left and right) if op == "&&" else (left or right)
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return Unknown(text, f"{op} needs numbers")
    try:
        result: Any = _ARITHMETIC[op](a, b)
    except ZeroDivisionError:
        return Unknown(text, _FAILED + "division by zero")
    if isinstance(result, float) and result.is_integer() and op != "<":
        return int(result)
    return result


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": math.fmod,
    "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
}


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def _equal(left: Any, right: Any) -> bool:
    # Terraform compares with types: "1" != 1, but numbers compare by value.
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    return bool(left == right)


# ---------------------------------------------------------------------------------------------
# Entry point


def evaluate(facts: Iterable[Fact], root_label: str = ".", max_steps: int = MAX_EVAL_STEPS) -> TerraformModel:
    """All deployments of all roots in the facts, evaluated; `root_label` names a root at the scanned folder itself."""
    fact_list = list(facts)
    defs = module_defs(fact_list)
    var_files = [f.data for f in fact_list if f.kind == KIND_VARS]
    roots, unused = find_roots(defs)
    deployments, promoted = deployments_for(roots, var_files, unused, root_label)
    deployments = _per_workspace(deployments, defs)
    unused = [d for d in unused if d not in promoted]
    instances: list[Instance] = []
    disabled: list[Disabled] = []
    providers: list[ProviderUse] = []
    diagnostics: list[Diagnostic] = []
    var_facts = {(_path(v)): v for v in var_files}
    for deployment in deployments:
        ev = _Evaluator(defs, deployment, max_steps)
        try:
            bindings = _root_bindings(ev, defs[deployment.root], [var_facts[p] for p in deployment.var_files], diagnostics)
            root = _ModuleInstance(defs[deployment.root], "", bindings)
            ev.run_module(root)
        except Exception as exc:  # one deployment must not end the evaluation of the others
            diagnostics.append(Diagnostic(Loc(deployment.root), Severity.ERROR,
                                          internal_error(f"Terraform evaluation of {deployment.name}", exc)))
            continue
        instances.extend(ev.instances)
        disabled.extend(ev.disabled)
        providers.extend(ev.providers)
        diagnostics.extend(ev.diagnostics)
        for name, decl in sorted(defs[deployment.root].variables.items()):
            if name not in bindings and decl.block.body.attr("default") is None:
                diagnostics.append(Diagnostic(decl.loc, Severity.INFO,
                                              f"variable {name!r} has no default and no value in {deployment.name}: unresolved"))
    return TerraformModel(tuple(deployments), tuple(instances), tuple(disabled), tuple(providers),
                          tuple(unused), tuple(sorted(set(diagnostics))), defs)


def _per_workspace(deployments: list[Deployment], defs: dict[str, ModuleDef]) -> list[Deployment]:
    """A root whose code compares terraform.workspace with names is evaluated once per named workspace."""
    out: list[Deployment] = []
    for deployment in deployments:
        names = sorted(_workspace_names(defs, deployment.root, set()))
        if not names:
            out.append(deployment)
            continue
        out += [Deployment(f"{deployment.name} (workspace {n})", deployment.root, deployment.var_files, n) for n in names]
    return out


def _workspace_names(defs: dict[str, ModuleDef], module_dir: str, seen: set[str]) -> set[str]:
    """String literals compared with terraform.workspace in a module and the local modules it calls."""
    if module_dir in seen or module_dir not in defs:
        return set()
    seen.add(module_dir)
    mdef = defs[module_dir]
    names: set[str] = set()
    bodies = [d.block.body for group in (mdef.resources, mdef.data, mdef.modules, mdef.outputs) for d in group.values()]
    exprs: list[Expr] = [a.expr for a, _ in mdef.locals.values()]
    while bodies:
        body = bodies.pop()
        exprs += [a.expr for a in body.attributes]
        bodies += [b.body for b in body.blocks]
    for expr in exprs:
        names |= _compared_with_workspace(expr)
    for decl in mdef.modules.values():
        target = local_source(decl)
        if target is not None:
            names |= _workspace_names(defs, target, seen)
    return names


def _is_workspace(expr: Expr) -> bool:
    return isinstance(expr, GetAttr) and expr.name == "workspace" and isinstance(expr.obj, Variable) and expr.obj.name == "terraform"


def _compared_with_workspace(expr: Expr) -> set[str]:
    found: set[str] = set()
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp) and node.op in ("==", "!="):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if _is_workspace(a) and isinstance(b, Literal) and isinstance(b.value, str):
                    found.add(b.value)
        if hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                value = getattr(node, name)
                if isinstance(value, tuple):
                    stack += [v for item in value for v in (item if isinstance(item, tuple) else (item,))]
                elif value is not None and not isinstance(value, (str, int, float, bool)):
                    stack.append(value)
    return found


def _root_bindings(ev: _Evaluator, mdef: ModuleDef, files: list[TfVarsFile],
                   diagnostics: list[Diagnostic]) -> dict[str, tuple[Any, tuple[Loc, ...]]]:
    """Variable values from the deployment's variable files, later files winning (Terraform's order)."""
    bindings: dict[str, tuple[Any, tuple[Loc, ...]]] = {}
    for vf in files:
        for attribute in vf.assignments:
            loc = Loc(_path(vf), attribute.line)
            if attribute.name not in mdef.variables:
                diagnostics.append(Diagnostic(loc, Severity.WARNING,
                                              f"value for undeclared variable {attribute.name!r} in {mdef.dir}"))
                continue
            bindings[attribute.name] = (ev.eval(attribute.expr, _EMPTY_MOD, {}), (loc,))
    return bindings


def iter_values(value: Any) -> Iterator[Any]:
    """Every scalar nested in a value (for scanning lists of zones, CIDRs...)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from iter_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from iter_values(v)
    else:
        yield value
