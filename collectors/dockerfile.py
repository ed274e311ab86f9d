"""Dockerfiles and Containerfiles: stages and base images, exposed ports, entrypoint, and the language built."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from posixpath import basename

from ..model import Diagnostic, Fact, Limits, Loc, Severity
from .cimodel import KIND_IMAGE, DockerImage, DockerStage, argv_of, program, split_commands

NAME = "dockerfile"

_INSTRUCTIONS = frozenset({"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
                           "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"})
_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")
_HEREDOC = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][\w-]*)\1")
_ARG_REF = re.compile(r"\$\{(\w+)(?::([-+])([^}]*))?\}|\$(\w+)")
# ARGs with credential-like names are never substituted, even into FROM.
_SECRET_NAME = re.compile(r"pass|secret|token|key|credential|auth", re.I)


def matches(path: str) -> bool:
    name = basename(path)
    low = name.lower()
    return (name in ("Dockerfile", "Containerfile") or name.startswith(("Dockerfile.", "Dockerfile-", "Containerfile."))
            or low.endswith((".dockerfile", ".containerfile")))


@dataclass(frozen=True)
class _Instruction:
    line: int
    keyword: str
    args: str
    heredocs: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Stage:
    line: int
    written: str  # base image after ARG substitution
    name: str | None
    exposed: tuple[str, ...]
    entrypoint: str | None
    cmd: str | None
    runs: tuple[str, ...]


def _instructions(text: str, diagnostics: list[Diagnostic], path: str) -> list[_Instruction]:
    """Logical instructions: parser directives read, comments dropped, continuations and heredocs joined."""
    lines = text.replace("\r\n", "\n").split("\n")
    escape = "\\"
    i = 0
    while i < len(lines) and (m := _DIRECTIVE.match(lines[i].strip())):  # directives come first or never
        if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
            escape = m.group(2)
        i += 1
    out: list[_Instruction] = []
    while i < len(lines):
        start, text_line = i, lines[i].strip()
        i += 1
        if not text_line or text_line.startswith("#"):
            continue
        parts = [text_line]
        while parts[-1].endswith(escape) and i < len(lines):
            parts[-1] = parts[-1][:-1]
            nxt = lines[i].strip()
            i += 1
            if nxt.startswith("#"):  # comment lines inside a continuation are dropped
                parts.append(escape)
                continue
            parts.append(nxt)
        logical = " ".join(p for p in parts if p != escape).strip()
        heredocs: list[str] = []
        for m in _HEREDOC.finditer(logical):
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != m.group(2):
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                diagnostics.append(Diagnostic(Loc(path, start + 1), Severity.WARNING,
                                              f"heredoc <<{m.group(2)} is not closed"))
            i += 1
            heredocs.append("\n".join(body))
        keyword, _, args = logical.partition(" ")
        out.append(_Instruction(start + 1, keyword.upper(), args.strip(), tuple(heredocs)))
    return out


def _arg_defaults(args: str) -> dict[str, str]:
    """`ARG A=1 B="x"` -> {A: 1, B: x}; an ARG without a default is absent."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    out: dict[str, str] = {}
    for word in words:
        name, eq, value = word.partition("=")
        if eq and re.fullmatch(r"\w+", name):
            out[name] = value
    return out


def _substitute(text: str, defaults: dict[str, str]) -> str:
    """Pre-FROM ARG defaults substituted into a FROM image; unknown ones are kept as written."""
    def one(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        value = defaults.get(name) if not _SECRET_NAME.search(name) else None
        if m.group(2) == "-":
            return value if value else m.group(3)
        if m.group(2) == "+":
            return m.group(3) if value else m.group(0)
        return value if value is not None else m.group(0)
    return _ARG_REF.sub(one, text)


def _command(args: str) -> str:
    """ENTRYPOINT/CMD as one line: the exec form (JSON array) joined, the shell form as written."""
    if args.startswith("["):
        try:
            parsed = json.loads(args)
        except (ValueError, RecursionError):  # RecursionError: an array nested thousands deep
            return args  # not JSON: Docker runs it in shell form too
        if isinstance(parsed, list):
            return " ".join(str(a) for a in parsed)
    return args


def _from(ins: _Instruction, defaults: dict[str, str]) -> tuple[str, str | None] | None:
    words = [w for w in ins.args.split() if not w.startswith("--")]
    if not words:
        return None
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return _substitute(words[0], defaults), name


@dataclass
class _StageBuilder:
    """A stage while its instructions are read."""

    line: int
    written: str
    name: str | None
    exposed: list[str] = field(default_factory=list)
    entrypoint: str | None = None
    cmd: str | None = None
    runs: list[str] = field(default_factory=list)

    def read(self, ins: _Instruction) -> None:
        if ins.keyword == "EXPOSE":
            self.exposed += ins.args.split()
        elif ins.keyword == "ENTRYPOINT":
            self.entrypoint = _command(ins.args)
        elif ins.keyword == "CMD":
            self.cmd = _command(ins.args)
        elif ins.keyword == "RUN":
            self.runs += [ins.args, *ins.heredocs]

    def freeze(self) -> _Stage:
        return _Stage(self.line, self.written, self.name, tuple(self.exposed), self.entrypoint, self.cmd,
                      tuple(self.runs))


def _stages(instructions: list[_Instruction], diagnostics: list[Diagnostic], path: str) -> list[_Stage]:
    defaults: dict[str, str] = {}
    stages: list[_StageBuilder] = []
    for ins in instructions:
        if ins.keyword not in _INSTRUCTIONS:
            diagnostics.append(Diagnostic(Loc(path, ins.line), Severity.WARNING,
                                          f"unknown instruction {ins.keyword!r} ignored"))
        elif ins.keyword == "FROM":
            parsed = _from(ins, defaults)
            if parsed is None:
                diagnostics.append(Diagnostic(Loc(path, ins.line), Severity.ERROR, "FROM without an image"))
            else:
                stages.append(_StageBuilder(ins.line, parsed[0], parsed[1]))
        elif stages:
            stages[-1].read(ins)
        elif ins.keyword == "ARG":  # only ARGs declared before the first FROM can be used in FROM
            defaults.update(_arg_defaults(ins.args))
        else:
            diagnostics.append(Diagnostic(Loc(path, ins.line), Severity.WARNING,
                                          f"{ins.keyword} before the first FROM ignored"))
    return [s.freeze() for s in stages]


# Base image repository names -> language; matched on the last path part, registry and tag stripped.
_BASE_LANGUAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("eclipse-temurin", "openjdk", "amazoncorretto", "adoptopenjdk", "ibm-semeru-runtimes", "sapmachine", "gradle",
      "maven", "tomcat", "jetty", "java", "jdk", "jre", "zulu", "liberica", "temurin", "corretto", "open-liberty",
      "websphere-liberty", "wildfly"), "Java"),
    (("node", "nodejs"), "Node.js"),
    (("python", "pypy"), "Python"),
    (("golang", "go"), "Go"),
    (("rust",), "Rust"),
    (("ruby", "jruby"), "Ruby"),
    (("php", "composer"), "PHP"),
    (("elixir",), "Elixir"), (("erlang",), "Erlang"), (("swift",), "Swift"), (("dart",), "Dart"),
    (("deno",), "Deno"), (("bun",), "Bun"), (("haskell",), "Haskell"), (("perl",), "Perl"),
)
# Build and package commands in RUN -> language.
_RUN_LANGUAGES = {"gradle": "Java", "gradlew": "Java", "mvn": "Java", "mvnw": "Java", "npm": "Node.js",
                  "yarn": "Node.js", "pnpm": "Node.js", "npx": "Node.js", "pip": "Python", "pip3": "Python",
                  "poetry": "Python", "pipenv": "Python", "uv": "Python", "dotnet": ".NET", "cargo": "Rust",
                  "bundle": "Ruby", "gem": "Ruby", "composer": "PHP", "mix": "Elixir"}


def image_language(ref: str) -> str | None:
    """The language an image is for, from its repository name: `eclipse-temurin:21-jre` -> Java."""
    path = ref.lower().split("@", 1)[0]
    parts = path.split("/")
    parts[-1] = parts[-1].split(":", 1)[0]
    if "dotnet" in parts or parts[-1].startswith(("dotnet", "aspnet")):
        return ".NET"
    last = parts[-1]
    for names, language in _BASE_LANGUAGES:
        # `java17-debian12`, `nodejs20-debian12`, `python3`: a name followed by a version or variant.
        if any(last == n or re.match(re.escape(n) + r"(\d|[-_.])", last) for n in names):
            return language
    return None


def _run_language(runs: tuple[str, ...]) -> str | None:
    for run in runs:
        for pipeline in split_commands(run.replace("\n", " ; ")):
            for segment in pipeline:
                argv = argv_of(segment)
                prog = program(argv[0]) if argv else ""
                if prog == "go" and argv[1:2] and argv[1] in ("build", "mod", "install", "test"):
                    return "Go"
                if prog.startswith("python") and "pip" in argv[1:3]:
                    return "Python"
                if prog in _RUN_LANGUAGES:
                    return _RUN_LANGUAGES[prog]
    return None


def _chain(stages: list[_Stage], index: int) -> list[_Stage]:
    """A stage and the earlier stages it builds on (`FROM build AS final`), nearest first."""
    chain = [stages[index]]
    while True:
        parent = next((i for i, s in enumerate(stages[:index]) if s.name and s.name == chain[-1].written), None)
        if parent is None:
            return chain
        index = parent
        chain.append(stages[parent])


def _resolve(stages: list[_Stage], index: int) -> _Stage:
    """The stage that names the real base image of stage `index`."""
    return _chain(stages, index)[-1]


def _language(stages: list[_Stage]) -> str | None:
    """The final stage's language if its base or commands say, else the first build stage's."""
    final = len(stages) - 1
    order = [final] + [i for i in range(final)]
    for i in order:
        found = image_language(_resolve(stages, i).written) or _run_language(stages[i].runs)
        if found:
            return found
    return None


def _entrypoint(stages: list[_Stage]) -> str | None:
    """ENTRYPOINT (with CMD as its default arguments) or CMD of the final stage, inherited from the stage
    it builds on when it sets none."""
    chain = _chain(stages, len(stages) - 1)
    entrypoint = next((s.entrypoint for s in chain if s.entrypoint), None)
    cmd = next((s.cmd for s in chain if s.cmd), None)
    if entrypoint and cmd:
        return f"{entrypoint} {cmd}"
    return entrypoint or cmd


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """One image fact per Dockerfile (at its first FROM); a file without FROM gives an error diagnostic."""
    diagnostics: list[Diagnostic] = []
    stages = _stages(_instructions(text, diagnostics, path), diagnostics, path)
    if not stages:
        diagnostics.append(Diagnostic(Loc(path, 1), Severity.ERROR, "no FROM instruction: not a Dockerfile"))
        return [], diagnostics
    final = len(stages) - 1
    exposed = tuple(dict.fromkeys(p for s in reversed(_chain(stages, final)) for p in s.exposed))
    image = DockerImage(
        stages=tuple(DockerStage(s.line, s.written, s.name) for s in stages),
        exposed=exposed,
        language=_language(stages),
        runtime=_resolve(stages, final).written,
        entrypoint=_entrypoint(stages),
    )
    return [Fact(KIND_IMAGE, Loc(path, stages[0].line), image)], diagnostics
