"""Jenkinsfiles, declarative and scripted, read by a small scanner (no Groovy runs): stages, sh steps, triggers."""

from __future__ import annotations

from dataclasses import dataclass, field
from posixpath import basename

from ..model import Diagnostic, Fact, Limits, Loc, Severity
from .cimodel import (KIND_PIPELINE, CiJob, CiPipeline, CiStep, StepKind, environment_in, registry_host, safe_env,
                      script_steps, sort_kinds)

NAME = "jenkinsfile"
TOOL = "Jenkins"
MAX_DEPTH = 100  # nesting deeper than any real pipeline: refused, not recursed into

B, T, S, P, D, I, L, O = (StepKind.BUILD, StepKind.TEST, StepKind.SCAN, StepKind.PUSH,
                          StepKind.DEPLOY, StepKind.INFRA, StepKind.LOGIN, StepKind.OTHER)

_SHELLS = ("sh", "bat", "powershell", "pwsh")
# Pipeline DSL calls that do something for delivery: word -> (kinds, tool).
_DSL: dict[str, tuple[tuple[StepKind, ...], str]] = {
    "docker.build": ((B,), "docker"), ".push": ((P,), "docker"), "docker.withRegistry": ((L,), "docker"),
    "kubernetesDeploy": ((D,), "kubernetesDeploy"), "kubernetesApply": ((D,), "kubernetesApply"),
    "withKubeConfig": ((L,), "kubectl"), "withKubeCredentials": ((L,), "kubectl"), "withAWS": ((L,), "aws"),
    "withSonarQubeEnv": ((S,), "sonarqube"), "waitForQualityGate": ((S,), "sonarqube"),
    "dependencyCheck": ((S,), "owasp dependency-check"), "azureWebAppPublish": ((D,), "azureWebAppPublish"),
    "azureFunctionAppPublish": ((D,), "azureFunctionAppPublish"), "acsDeploy": ((D,), "acsDeploy"),
    "ansiblePlaybook": ((I,), "ansible"), "nexusArtifactUploader": ((P,), "nexus"), "nexusPublisher": ((P,), "nexus"),
    "junit": ((O,), "junit"), "checkout": ((O,), "checkout"),
}
_TRIGGERS = {"cron": "schedule", "parameterizedCron": "schedule", "pollSCM": "poll SCM", "githubPush": "push",
             "gitlab": "push", "GenericTrigger": "webhook", "upstream": "upstream", "bitbucketPush": "push"}
_POST_CONDITIONS = frozenset({"always", "success", "failure", "unstable", "aborted", "changed", "fixed", "regression",
                              "cleanup", "unsuccessful", "notBuilt"})
_SKIPPED = frozenset({"options", "agent", "tools", "parameters", "libraries", "label"})


def matches(path: str) -> bool:
    name = basename(path)
    return name == "Jenkinsfile" or name.startswith("Jenkinsfile.") or name.lower().endswith(".jenkinsfile")


# ---------------------------------------------------------------------------------------------
# Lexer: words, strings (with their start line), punctuation and newlines; comments dropped.

@dataclass(frozen=True)
class _Token:
    kind: str  # "word" | "string" | "punct" | "newline"
    text: str  # for strings: the content without quotes
    line: int
    start: int
    end: int


class _ScanError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _string_end(text: str, i: int, quote: str, line: int) -> int:
    """Index just past the closing quote of the string opening at `i` (quote is ', ", ''' or \"\"\")."""
    j = i + len(quote)
    depth = 0  # inside ${ ... } of a double-quoted string, a quote does not close it
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if quote.startswith('"') and text.startswith("${", j):
            depth += 1
            j += 2
            continue
        if depth and c == "}":
            depth -= 1
        elif not depth and text.startswith(quote, j):
            return j + len(quote)
        elif c == "\n" and len(quote) == 1:
            break
        j += 1
    raise _ScanError(f"unterminated string starting with {quote}", line)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, line = 0, 1
    while i < len(text):
        c = text[i]
        if c == "\n":
            out.append(_Token("newline", "\n", line, i, i + 1))
            line += 1
            i += 1
        elif c in " \t\r\f\ufeff":
            i += 1
        elif c == "\\" and text.startswith("\n", i + 1):  # a continued line
            line += 1
            i += 2
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _ScanError("unterminated /* comment", line)
            line += text.count("\n", i, end)
            i = end + 2
        elif c in "'\"":
            quote = text[i:i + 3] if text.startswith((c * 3,), i) else c
            end = _string_end(text, i, quote, line)
            out.append(_Token("string", text[i + len(quote):end - len(quote)], line, i, end))
            line += text.count("\n", i, end)
            i = end
        elif c.isalnum() or c in "_$@" or c == "." and text[i + 1:i + 2].isalpha():
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] in "_$." or text[j] == "@" and j == i):
                j += 1
            out.append(_Token("word", text[i:j], line, i, j))
            i = j
        else:
            out.append(_Token("punct", c, line, i, i + 1))
            i += 1
    return out


# ---------------------------------------------------------------------------------------------
# Parser: statements, each with the block that follows it and closures passed in its arguments.

@dataclass(frozen=True)
class _Node:
    tokens: tuple[_Token, ...]
    line: int
    children: tuple[_Node, ...] | None = None
    closures: tuple[tuple[_Node, ...], ...] = ()

    @property
    def head(self) -> str:
        return self.tokens[0].text if self.tokens and self.tokens[0].kind == "word" else ""

    def strings(self) -> list[_Token]:
        return [t for t in self.tokens if t.kind == "string"]

    def named_string(self, name: str) -> _Token | None:
        """The string after `name:` (`sh script: '...'`), if any."""
        for a, b, c in zip(self.tokens, self.tokens[1:], self.tokens[2:]):
            if a.kind == "word" and a.text == name and b.text == ":" and c.kind == "string":
                return c
        return None


@dataclass
class _Parser:
    tokens: list[_Token]
    diagnostics: list[Diagnostic]
    path: str
    pos: int = 0

    def block(self, depth: int, opened: int) -> tuple[_Node, ...]:
        """Statements up to the `}` that closes the block opened on line `opened` (0: the file)."""
        if depth > MAX_DEPTH:
            raise _ScanError(f"blocks nested deeper than {MAX_DEPTH}", opened)
        nodes: list[_Node] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if tok.kind == "newline" or tok.text == ";":
                self.pos += 1
            elif tok.text == "}":
                if depth:
                    return tuple(nodes)
                self.diagnostics.append(Diagnostic(Loc(self.path, tok.line), Severity.WARNING, "unmatched '}' ignored"))
                self.pos += 1
            else:
                nodes.append(self.statement(depth))
        if depth:
            self.diagnostics.append(Diagnostic(Loc(self.path, opened), Severity.WARNING,
                                               f"block opened on line {opened} is not closed"))
        return tuple(nodes)

    def statement(self, depth: int) -> _Node:
        tokens: list[_Token] = []
        closures: list[tuple[_Node, ...]] = []
        parens = 0
        line = self.tokens[self.pos].line
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if tok.text in ("(", "[") and tok.kind == "punct":
                parens += 1
            elif tok.text in (")", "]") and tok.kind == "punct":
                parens = max(0, parens - 1)
            elif tok.text == "{" and tok.kind == "punct":
                self.pos += 1
                body = self.block(depth + 1, tok.line)
                self.pos += 1  # the closing brace (or the end of the file)
                if parens:
                    closures.append(body)
                    continue
                return _Node(tuple(tokens), line, body, tuple(closures))
            elif tok.text == "}" and tok.kind == "punct":
                break
            elif (tok.kind == "newline" or tok.text == ";") and not parens:
                if not self._brace_on_next_line():
                    break
            tokens.append(tok)
            self.pos += 1
        return _Node(tuple(t for t in tokens if t.kind != "newline"), line, None, tuple(closures))

    def _brace_on_next_line(self) -> bool:
        """`stage('x')` with its `{` on the next line (Allman style) is one statement."""
        j = self.pos
        while j < len(self.tokens) and self.tokens[j].kind == "newline":
            j += 1
        return j < len(self.tokens) and self.tokens[j].text == "{" and self.tokens[j].kind == "punct"


# ---------------------------------------------------------------------------------------------
# Interpretation: stages become jobs; sh and DSL steps become steps.

@dataclass
class _Stage:
    name: str
    line: int
    steps: list[CiStep] = field(default_factory=list)
    manual: bool = False


@dataclass
class _Walk:
    text: str
    stages: list[_Stage] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    registries: set[str] = field(default_factory=set)
    built: set[str] = field(default_factory=set)
    env: dict[str, str] = field(default_factory=dict)

    def nodes(self, nodes: tuple[_Node, ...], stage: _Stage | None, label: str = "") -> None:
        for node in nodes:
            stage = self.node(node, stage, label)

    def node(self, node: _Node, stage: _Stage | None, label: str) -> _Stage | None:
        """Read one statement; returns the stage later statements belong to (old `stage 'x'` form)."""
        head = node.head
        if head == "stage":
            strings = node.strings()
            new = _Stage(strings[0].text if strings else "stage", node.line)
            self.stages.append(new)
            if node.children is None:
                return new
            self.nodes(node.children, new)
            return stage
        if head in _SKIPPED:
            return stage
        if head == "triggers" or head == "properties":
            self.triggers += [_TRIGGERS[t.text] for t in _all_tokens(node) if t.kind == "word" and t.text in _TRIGGERS]
            return stage
        if head == "environment" and node.children is not None:
            self._environment(node.children)
            return stage
        if head == "when" and node.children is not None:
            self.triggers += _when(node.children)
            return stage
        if head == "post" and node.children is not None:
            for condition in node.children:
                if condition.head in _POST_CONDITIONS and condition.children is not None:
                    self.nodes(condition.children, stage, f"[post {condition.head}] ")
            return stage
        target = stage
        found = self.steps(node, label)
        if head == "input":
            target = target or self._loose(node.line)
            target.manual = True
            found.append(CiStep(node.line, (O,), "input", label + "manual approval (input)"))
        if found:
            target = target or self._loose(node.line)
            target.steps += found
        for closure in node.closures:
            self.nodes(closure, stage, label)
        if node.children is not None:
            self.nodes(node.children, stage, label)
        return stage

    def _loose(self, line: int) -> _Stage:
        """The job for steps outside any stage (scripted pipelines, pipeline-level post)."""
        for existing in self.stages:
            if existing.name == "(no stage)":
                return existing
        loose = _Stage("(no stage)", line)
        self.stages.append(loose)
        return loose

    def _environment(self, nodes: tuple[_Node, ...]) -> None:
        """`environment { NAME = 'value' }`: values are kept only when they name a registry."""
        literals: dict[str, object] = {}
        for node in nodes:
            toks = node.tokens
            if len(toks) == 3 and toks[0].kind == "word" and toks[1].text == "=" and toks[2].kind == "string":
                literals[toks[0].text] = toks[2].text
        self.env.update(safe_env(literals))

    def steps(self, node: _Node, label: str) -> list[CiStep]:
        if node.head in _SHELLS:
            script = node.named_string("script") or next(iter(node.strings()), None)
            if script is None:
                return []
            found, registries = script_steps(script.text, script.line, self.env)
            self.registries.update(registries)
            return [CiStep(s.line, s.kinds, s.tool, label + s.detail) for s in found]
        kinds: list[StepKind] = []
        tool = ""
        for tok in node.tokens:
            if tok.kind != "word":
                continue
            key = ".push" if tok.text.endswith(".push") else tok.text
            if key in _DSL:
                kinds += _DSL[key][0]
                tool = tool or _DSL[key][1]
                self._registry(node, tok)
        if not tool:
            return []
        statement = self.text[node.tokens[0].start:node.tokens[-1].end]
        return [CiStep(node.line, sort_kinds(kinds), tool, label + statement)]

    def _registry(self, node: _Node, call: _Token) -> None:
        after = [t for t in node.tokens if t.start > call.start and t.kind == "string"]
        if call.text == "docker.withRegistry":
            host = registry_host(after[0].text if after else "", self.env) if after and after[0].text else "docker.io"
            self.registries.update([host] if host else [])
        elif call.text == "docker.build" and after:
            host = registry_host(after[0].text, self.env, bare=None)
            self.built.update([host] if host else [])


def _all_tokens(node: _Node) -> list[_Token]:
    out = list(node.tokens)
    for child in (node.children or ()) + tuple(n for c in node.closures for n in c):
        out += _all_tokens(child)
    return out


def _when(nodes: tuple[_Node, ...]) -> list[str]:
    """Trigger hints from `when { branch 'main' }`, `tag`, `buildingTag()`, `changeRequest()`, anyOf/allOf."""
    out: list[str] = []
    for node in nodes:
        strings = node.strings()
        if node.head == "branch":
            out.append(f"when branch: {strings[0].text}" if strings else "when branch")
        elif node.head == "tag":
            out.append(f"when tag: {strings[0].text}" if strings else "when tag")
        elif node.head == "buildingTag":
            out.append("when tag")
        elif node.head == "changeRequest":
            out.append("when change request")
        elif node.head in ("anyOf", "allOf") and node.children is not None:
            out += _when(node.children)
    return out


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """The pipeline of one Jenkinsfile; unreadable Groovy gives a diagnostic with its line, never an exception."""
    diagnostics: list[Diagnostic] = []
    try:
        tokens = _tokens(text)
        tree = _Parser(tokens, diagnostics, path).block(0, 0)
    except _ScanError as exc:
        return [], [Diagnostic(Loc(path, exc.line), Severity.ERROR, f"cannot read Jenkinsfile: {exc.message}")]
    except RecursionError:
        return [], [Diagnostic(Loc(path, 0), Severity.ERROR, "cannot read Jenkinsfile: nested too deeply")]
    walk = _Walk(text)
    walk.nodes(tree, None)
    if not walk.stages and not any(n.head in ("pipeline", "node") for n in tree):
        diagnostics.append(Diagnostic(Loc(path, 1), Severity.WARNING, "no pipeline, node or stage found"))
        return [], diagnostics
    if any(P in s.kinds for stage in walk.stages for s in stage.steps):
        walk.registries.update(walk.built)  # images built for a registry that the pipeline pushes to
    jobs = tuple(CiJob(s.name, s.line, environment_in(s.name), tuple(s.steps), (), s.manual) for s in walk.stages)
    first = next((n.line for n in tree), 1)
    pipeline = CiPipeline(TOOL, path, tuple(dict.fromkeys(walk.triggers)), jobs, tuple(sorted(walk.registries)))
    return [Fact(KIND_PIPELINE, Loc(path, first), pipeline)], diagnostics
