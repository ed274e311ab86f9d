"""CI/CD and container-image facts shared by the pipeline collectors, and the shell step classifier."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from .yamlload import YamlDoc

KIND_PIPELINE = "ci.pipeline"
KIND_IMAGE = "docker.image"

# A step's detail is a hint for a person reading the document, not a copy of the script.
MAX_DETAIL = 160


class StepKind(str, Enum):
    """What a step does for the delivery flow; the order is the order kinds are listed in."""

    BUILD = "build"
    TEST = "test"
    SCAN = "scan"
    PUSH = "push"
    DEPLOY = "deploy"
    INFRA = "infra"
    LOGIN = "login"
    OTHER = "other"


@dataclass(frozen=True)
class CiStep:
    """One recognised step; `detail` is passed through `redact` so no credential value survives."""

    line: int
    kinds: tuple[StepKind, ...]
    tool: str
    detail: str

    def __post_init__(self) -> None:
        # Redacting here, not at each call site, means no collector can forget to.
        object.__setattr__(self, "detail", shorten(redact(self.detail)))


@dataclass(frozen=True)
class CiJob:
    """A job (GitHub/GitLab/Azure/CircleCI), a Jenkins stage or a Bitbucket step."""

    name: str
    line: int
    environment: str | None
    steps: tuple[CiStep, ...]
    needs: tuple[str, ...] = ()
    manual: bool = False


@dataclass(frozen=True)
class CiPipeline:
    """One pipeline definition file (or document) with its triggers, jobs and registries."""

    tool: str
    name: str
    triggers: tuple[str, ...]
    jobs: tuple[CiJob, ...]
    registries: tuple[str, ...]


@dataclass(frozen=True)
class DockerStage:
    """One FROM of a Dockerfile: the base image as written (pre-FROM ARG defaults substituted)."""

    line: int
    base_image: str
    name: str | None


@dataclass(frozen=True)
class DockerImage:
    """What a Dockerfile builds: stages, exposed ports, inferred language and the runtime base image."""

    stages: tuple[DockerStage, ...]
    exposed: tuple[str, ...]
    language: str | None
    runtime: str | None
    entrypoint: str | None

    def __post_init__(self) -> None:
        if self.entrypoint is not None:
            object.__setattr__(self, "entrypoint", shorten(redact(self.entrypoint)))


@dataclass(frozen=True)
class Command:
    """What one shell command line does: kinds, tool, a note for the reader and registries it touches."""

    kinds: tuple[StepKind, ...]
    tool: str
    note: str = ""
    registries: tuple[str, ...] = ()
    text: str = field(default="", compare=False)


# ---------------------------------------------------------------------------------------------
# Redaction: every detail is shown to people, so credential values are replaced by "***".

_SECRET_WORD = (r"pass(?:word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key|account[-_]?key|"
                r"private[-_]?key|shared[-_]?access[-_]?key|client[-_]?secret|credentials?|sas|"
                r"connection[-_]?string|conn[-_]?str|auth")
_VALUE = r"(\"[^\"]*\"|'[^']*'|[^\s\"']+)"
_URL_USERINFO = re.compile(r"(\b[a-z][\w+.-]*://)[^/\s@\"']+@", re.I)
_SECRET_FLAG = re.compile(r"(?<![\w-])(--?[\w.-]*(?:" + _SECRET_WORD + r"|\.login)[\w.-]*)(=|\s+)" + _VALUE, re.I)
# Flags whose value is a credential whatever the command (docker/az/helm `-p`, kubectl literals, az `--value`).
_ALWAYS_FLAG = re.compile(r"(?<![\w-])(--value|--body|--from-literal=[\w.-]+)(=|\s+)" + _VALUE)
# `-p` is a password next to a user name or a login (docker/az/oras login, mysql), a profile or port elsewhere.
_SHORT_P = re.compile(r"(?<![\w-])(-p)(=|\s+)" + _VALUE)
_LOGIN_CONTEXT = re.compile(r"(?<![\w-])(-u|--username|--user)\b|\blogin\b|\bmysql|\bpsql|\bsqlcmd", re.I)
_USER_COLON = re.compile(r"(?<![\w-])(-u|--user)(=|\s+)([^\s:\"']+):" + _VALUE)
_SECRET_ASSIGN = re.compile(r"(?<![\w$.-])((?:[A-Za-z_][\w.-]*?)?(?:" + _SECRET_WORD + r")[\w.-]*)=" + _VALUE, re.I)
_PORTS = re.compile(r"^([\d.]+:)?\d{1,5}(-\d{1,5})?:\d{1,5}(-\d{1,5})?(/(tcp|udp))?$")
_SECRET_HEADER = re.compile(r"\b((?:authorization|[\w-]*(?:token|api-key|secret|password))\s*:\s*"
                            r"(?:bearer\s+|basic\s+|token\s+)?)[^\s\"',;]+", re.I)
_KNOWN_TOKEN = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|"
                          r"xox[abpr]-[\w-]{10,}|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|sig=[\w%+/=-]{16,})")
_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S)
_RANDOM = re.compile(r"(?<![\w@:/.-])[A-Za-z0-9+_=-]{32,}(?![\w/.-])")
_SNYK_AUTH = re.compile(r"(\bsnyk\s+auth\s+)(\S+)")


def _keep_reference(match: re.Match[str], prefix: str) -> str:
    """Replace the value with *** unless it is a variable reference (a name, not a value)."""
    value = match.group(match.lastindex or 0).strip("\"'")
    if value.startswith(("$", "%", "#{")) or value in ("***", "") or _PORTS.match(value):
        return match.group(0)
    return prefix + "***"


# `--password-stdin`, `--token-file`, `--auth-mode`, `--secret-name`: the flag names a credential, its value does not.
_NOT_A_VALUE_FLAG = ("stdin", "file", "path", "name", "mode", "type", "id", "provider", "variable", "env", "dir",
                     "helper", "ref")


def _secret_flag(match: re.Match[str]) -> str:
    if match.group(1).lower().endswith(_NOT_A_VALUE_FLAG):
        return match.group(0)
    return _keep_reference(match, match.group(1) + match.group(2))


def _random_looking(word: str) -> bool:
    return (any(c.isdigit() for c in word) and any(c.islower() for c in word) and any(c.isupper() for c in word))


def redact(text: str) -> str:
    """`text` with every credential value replaced by ***: names and variable references stay."""
    text = _PEM.sub("***", text)
    text = _URL_USERINFO.sub(r"\1***@", text)
    text = _SECRET_FLAG.sub(_secret_flag, text)
    text = _ALWAYS_FLAG.sub(lambda m: _keep_reference(m, m.group(1) + m.group(2)), text)
    if _LOGIN_CONTEXT.search(text):
        text = _SHORT_P.sub(lambda m: _keep_reference(m, m.group(1) + m.group(2)), text)
    text = _USER_COLON.sub(lambda m: _keep_reference(m, f"{m.group(1)}{m.group(2)}{m.group(3)}:"), text)
    text = _SECRET_ASSIGN.sub(lambda m: _keep_reference(m, m.group(1) + "="), text)
    text = _SECRET_HEADER.sub(lambda m: m.group(1) + "***", text)
    text = _SNYK_AUTH.sub(lambda m: m.group(1) + ("***" if not m.group(2).startswith("$") else m.group(2)), text)
    text = _KNOWN_TOKEN.sub("***", text)
    return _RANDOM.sub(lambda m: "***" if _random_looking(m.group(0)) else m.group(0), text)


def shorten(text: str, limit: int = MAX_DETAIL) -> str:
    """One line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# Shell scripts -> logical command lines with their offsets.

_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][\w-]*)\1")
# bash `\`; PowerShell and cmd continue with a backtick or caret after a space (a bare one is `cmd`/regex).
_CONTINUATION = ("\\", " `", " ^")


def script_lines(script: str) -> list[tuple[int, str]]:
    """Logical command lines of a script as (0-based line offset, text): continuations joined,
    comments, blank lines and heredoc bodies (data, not commands) left out."""
    out: list[tuple[int, str]] = []
    lines = script.split("\n")
    i = 0
    while i < len(lines):
        start, text = i, lines[i].strip()
        while text.endswith(_CONTINUATION) and not text.endswith("\\\\") and i + 1 < len(lines):
            i += 1
            text = text[:-1].rstrip() + " " + lines[i].strip()  # drops the marker (and its space)
        i += 1
        heredoc = _HEREDOC.search(text)
        if heredoc and "<<<" not in text:
            while i < len(lines) and lines[i].strip() != heredoc.group(2):
                i += 1
            i += 1
        if text and not text.startswith(("#", "REM ", "rem ", "::")):
            out.append((start, text))
    return out


def split_commands(line: str) -> list[list[str]]:
    """A command line as pipelines of simple commands: `a | b && c` -> [[a, b], [c]].
    Separators inside quotes, `$(...)`, `${...}` and `${{ ... }}` do not split."""
    pipelines: list[list[str]] = [[]]
    buf: list[str] = []
    quote, closers, i = "", [], 0

    def cut(new_pipeline: bool) -> None:
        segment = "".join(buf).strip()
        if segment:
            pipelines[-1].append(segment)
        buf.clear()
        if new_pipeline and pipelines[-1]:
            pipelines.append([])

    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"' and i + 1 < len(line):
                buf.append(line[i:i + 2])
                i += 2
                continue
            quote = "" if c == quote else quote
        elif line.startswith("${{", i):
            end = line.find("}}", i)
            end = len(line) if end < 0 else end + 2
            buf.append(line[i:end])
            i = end
            continue
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            break  # a shell comment runs to the end of the line
        elif line.startswith(("$(", "${"), i):
            closers.append(")" if line[i + 1] == "(" else "}")
            buf.append(line[i:i + 2])
            i += 2
            continue
        elif closers and c == "(":
            closers.append(")")
        elif closers and c == closers[-1]:
            closers.pop()
        elif not closers and (line.startswith(("&&", "||"), i) or c == ";"):
            cut(True)
            i += 1 if c == ";" else 2
            continue
        elif not closers and c == "|" and not line.startswith("|&", i):
            cut(False)
            i += 1
            continue
        elif not closers and c == "&" and line[i - 1:i] != ">" and line[i + 1:i + 2] != ">":
            cut(True)
            i += 1
            continue
        buf.append(c)
        i += 1
    cut(False)
    return [p for p in pipelines if p]


_EXPR = re.compile(r"\$\{\{(.*?)\}\}")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\+?=")
_PREFIX_WORDS = frozenset({"sudo", "time", "then", "do", "else", "if", "elif", "while", "until", "!", "exec",
                           "nohup", "command", "{", "(", "((", "xargs", "call", "&", "."})
_WRAPPERS = {("npx",): 1, ("pnpx",): 1, ("bunx",): 1, ("poetry", "run"): 2, ("pipenv", "run"): 2,
             ("uv", "run"): 2, ("pdm", "run"): 2, ("hatch", "run"): 2, ("bundle", "exec"): 2,
             ("yarn", "dlx"): 2, ("pnpm", "exec"): 2, ("pnpm", "dlx"): 2, ("npm", "exec"): 2,
             ("dotnet", "tool", "run"): 3}


def _skip_assignments(command: str) -> str:
    """`A=$(x | y) B="c d" cmd ...` -> `cmd ...`: values may hold spaces inside quotes and `$(...)`."""
    while (m := _ASSIGNMENT.match(command)) is not None:
        i, quote, depth = m.end(), "", 0
        while i < len(command) and (quote or depth or not command[i].isspace()):
            c = command[i]
            if quote:
                quote = "" if c == quote else quote
            elif c in "'\"":
                quote = c
            elif command.startswith(("$(", "${"), i):
                depth += 1
                i += 1
            elif depth and c in ")}":
                depth -= 1
            i += 1
        command = command[i:].lstrip()
    return command


def argv_of(command: str) -> list[str]:
    """A simple command's words without quotes, leading assignments, sudo/if/then and runner wrappers."""
    compact = _EXPR.sub(lambda m: "${{" + "".join(m.group(1).split()) + "}}", _skip_assignments(command.strip()))
    try:
        words = shlex.split(compact, posix=True)
    except ValueError:
        words = compact.split()
    while words and (words[0] in _PREFIX_WORDS or _ASSIGNMENT.match(words[0]) or words[0] == "env"):
        sudo = words[0] == "sudo"
        words = words[1:]
        while sudo and words and words[0].startswith("-"):  # sudo's own options (-E, -u user)
            words = words[2:] if words[0] in ("-u", "-g", "-C", "-D") else words[1:]
    if words and words[0].startswith("(") and len(words[0]) > 1:
        words[0] = words[0].lstrip("(")
    for prefix, drop in _WRAPPERS.items():
        if tuple(w.lower() for w in words[:len(prefix)]) == prefix and len(words) > drop:
            return argv_of(shlex.join(words[drop:]))
    if len(words) > 2 and program(words[0]).startswith("python") and words[1] == "-m":
        return words[2:]
    return words


def program(word: str) -> str:
    """The program name of argv[0]: basename, lower case, without a Windows extension."""
    name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for ext in (".exe", ".bat", ".cmd"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return name


# ---------------------------------------------------------------------------------------------
# Classification of simple commands.

B, T, S, P, D, I, L, O = (StepKind.BUILD, StepKind.TEST, StepKind.SCAN, StepKind.PUSH,
                          StepKind.DEPLOY, StepKind.INFRA, StepKind.LOGIN, StepKind.OTHER)
_ORDER = {kind: i for i, kind in enumerate(StepKind)}
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*(?::\d+)?$|^localhost(?::\d+)?$")
_IMAGE_REF = re.compile(r"^[a-z0-9][a-z0-9._/:@-]*$")
_VAR = re.compile(r"\$\{\{\s*(?:env|variables)\.(\w+)\s*\}\}|\$\{env\.(\w+)\}|\$\(([\w.]+)\)|\$\{(\w+)\}|\$(\w+)")


def sort_kinds(kinds: Iterable[StepKind]) -> tuple[StepKind, ...]:
    """Distinct kinds in StepKind order; OTHER only when nothing else."""
    unique = sorted(set(kinds), key=_ORDER.__getitem__)
    real = tuple(k for k in unique if k is not O)
    return real or (O,)


def substitute(text: str, env: Mapping[str, str]) -> str:
    """`text` with `${{ env.X }}`, `$(X)`, `${X}` and `$X` replaced by values of `env` that are known."""
    def one(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return env.get(name, match.group(0))
    return _VAR.sub(one, text)


def registry_host(ref: str, env: Mapping[str, str] | None = None, bare: str | None = "docker.io") -> str | None:
    """The registry host of an image reference or server name, `bare` when it names none (Docker Hub);
    None when the host is an unresolved variable or the text is not a reference."""
    ref = substitute(ref.strip().strip("\"'"), env or {})
    ref = re.sub(r"^(?:[a-z]+://)", "", ref, flags=re.I).split("@", 1)[-1] if "://" in ref else ref
    first = ref.split("/", 1)[0].lower()
    if not first or "$" in first or "{" in first or "%" in first or "(" in first:
        return None
    if _HOST.match(first) and ("/" in ref or "." in first or first.startswith("localhost")):
        if first in ("index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"):
            return "docker.io"
        return first
    return bare if bare and _IMAGE_REF.match(ref.lower()) and "$" not in ref else None


def looks_like_registry(value: str) -> bool:
    """A literal (no variables) that is a well-known registry host or starts with one."""
    host = registry_host(value, bare=None)
    return host is not None and bool(re.search(
        r"(azurecr\.io|\.dkr\.ecr\.[\w-]+\.amazonaws\.com(\.cn)?|(^|\.)pkg\.dev|(^|\.)gcr\.io|^ghcr\.io|"
        r"^docker\.io|^quay\.io|^registry\.gitlab\.com|^public\.ecr\.aws|\.jfrog\.io|^nvcr\.io|\.ocir\.io|"
        r"cr\.[\w.-]+\.(cloud|com)$)", host))


def safe_env(values: Mapping[str, object]) -> dict[str, str]:
    """The variables usable to resolve registry hosts: literals that start with a host name, never anything
    under a credential-like name. Other values are never read, and these only ever yield a host."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if (isinstance(value, str) and not re.search(_SECRET_WORD, str(name), re.I)
                and registry_host(value, bare=None) is not None):
            out[str(name)] = value
    return out


def _flag_values(args: list[str], *flags: str) -> list[str]:
    """Values of `-t x`, `--tag x` and `--tag=x` forms."""
    out: list[str] = []
    for i, arg in enumerate(args):
        for flag in flags:
            if arg == flag and i + 1 < len(args):
                out.append(args[i + 1])
            elif flag.startswith("--") and arg.startswith(flag + "="):
                out.append(arg[len(flag) + 1:])
    return out


def _positionals(args: list[str], value_flags: Iterable[str] = ()) -> list[str]:
    """Words that are not flags nor values of the named flags."""
    takes_value = set(value_flags)
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in takes_value
        else:
            out.append(arg)
    return out


def _first_in(args: list[str], words: Iterable[str]) -> str:
    known = set(words)
    return next((a for a in args if a in known), "")


def _hosts(refs: Iterable[str], env: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted({h for h in (registry_host(r, env) for r in refs) if h}))


_DOCKER_VALUE_FLAGS = ("-t", "--tag", "-f", "--file", "--build-arg", "--platform", "--target", "--label",
                       "--cache-from", "--cache-to", "--secret", "--ssh", "--progress", "-o", "--output",
                       "--network", "--builder", "-u", "--username", "-p", "--password", "--iidfile")


def _docker(tool: str, args: list[str], env: Mapping[str, str]) -> Command:
    words = _positionals(args, _DOCKER_VALUE_FLAGS)
    sub = words[0] if words else ""
    if sub in ("buildx", "image", "container", "compose") and len(words) > 1:
        sub = words[1] if sub != "compose" else "compose-" + words[1]
    if sub in ("build", "bud"):
        push = "--push" in args or any("type=registry" in o or "push=true" in o for o in _flag_values(args, "-o", "--output"))
        tags = _flag_values(args, "-t", "--tag")
        return Command((B, P) if push else (B,), tool, registries=_hosts(tags, env) if push else ())
    if sub == "push":
        return Command((P,), tool, registries=_hosts(words[1:2], env))
    if sub == "login":
        server = words[1:2] or ["docker.io"]
        return Command((L,), tool, registries=_hosts(server, env))
    if sub in ("compose-build", "compose-push"):
        return Command((B,) if sub.endswith("build") else (P,), tool)
    return Command((O,), tool)


def _kaniko(args: list[str], env: Mapping[str, str]) -> Command:
    destinations = _flag_values(args, "--destination", "-d")
    push = "--no-push" not in args
    return Command((B, P) if push else (B,), "kaniko", registries=_hosts(destinations, env) if push else ())


def _acr_name(name: str, env: Mapping[str, str]) -> tuple[str, ...]:
    name = substitute(name, env).lower()
    if not name or "$" in name or "{" in name:
        return ()
    return (name if "." in name else f"{name}.azurecr.io",)


def _az(args: list[str], env: Mapping[str, str]) -> Command:
    words = _positionals(args, ("-n", "--name", "-g", "--resource-group", "-r", "--registry", "-c", "--command",
                                "--image", "-t", "--file", "-f", "--subscription", "--query", "-o"))
    group, sub = (words + ["", ""])[:2]
    registry = (_flag_values(args, "-r", "--registry", "-n", "--name") or [""])[0]
    if group == "acr" and sub == "build":
        return Command((B, P), "az acr", registries=_acr_name((_flag_values(args, "-r", "--registry") or [""])[0], env))
    if group == "acr" and sub == "login":
        return Command((L,), "az acr", registries=_acr_name(registry, env))
    if group == "acr" and sub == "import":
        return Command((P,), "az acr", registries=_acr_name(registry, env))
    if group == "aks" and sub == "get-credentials":
        return Command((L,), "az aks")
    if group == "aks" and sub == "command":
        inner = analyse_line(" ".join(_flag_values(args, "-c", "--command")), env)
        kinds = inner.kinds if inner and inner.kinds != (O,) else (O,)
        return Command(kinds, "az aks", note=f"via az aks command invoke: {inner.tool}" if inner else "")
    if group == "aks" and sub in ("create", "update", "upgrade", "nodepool", "enable-addons", "delete"):
        return Command((I,), "az aks")
    if group == "deployment" and "create" in words[2:4] or group == "deployment" and "what-if" in words[2:4]:
        tool = "bicep" if any(a.endswith(".bicep") for a in args) else "arm"
        return Command((I,), tool)
    if group == "login":
        return Command((L,), "az")
    if group in ("containerapp", "webapp", "functionapp", "spring") and sub in ("up", "update", "create", "deploy",
                                                                               "deployment", "config", "app"):
        return Command((D,), f"az {group}")
    if group == "group" and sub == "create":
        return Command((I,), "az")
    return Command((O,), "az")


def _aws(args: list[str]) -> Command:
    words = _positionals(args, ("--region", "--profile", "--name", "--cluster", "--service", "--query", "--output"))
    group, sub = (words + ["", ""])[:2]
    if group == "ecr" and sub.startswith("get-login"):
        return Command((L,), "aws ecr")
    if group == "eks" and sub == "update-kubeconfig":
        return Command((L,), "aws eks")
    if group == "ecs" and sub in ("update-service", "deploy"):
        return Command((D,), "aws ecs")
    if group == "lambda" and sub.startswith("update-function"):
        return Command((D,), "aws lambda")
    if group == "cloudformation" and sub in ("deploy", "create-stack", "update-stack"):
        return Command((I,), "cloudformation")
    if group == "deploy" and sub == "create-deployment":
        return Command((D,), "aws codedeploy")
    return Command((O,), "aws")


def _gcloud(args: list[str], env: Mapping[str, str]) -> Command:
    words = _positionals(args, ("--region", "--zone", "--project", "--tag", "--image", "--config", "--source"))
    if words[:3] == ["container", "clusters", "get-credentials"]:
        return Command((L,), "gcloud")
    if words[:2] == ["auth", "configure-docker"]:
        hosts = [h for w in words[2:3] for h in w.split(",")]
        return Command((L,), "gcloud", registries=_hosts(hosts, env))
    if words[:1] == ["auth"]:
        return Command((L,), "gcloud")
    if words[:2] == ["builds", "submit"]:
        return Command((B, P), "cloud build", registries=_hosts(_flag_values(args, "--tag", "-t"), env))
    if words[:2] == ["run", "deploy"] or words[:3] == ["beta", "run", "deploy"]:
        return Command((D,), "cloud run")
    if words[:2] == ["app", "deploy"]:
        return Command((D,), "app engine")
    if words[:3] == ["deploy", "releases", "create"] or words[:3] == ["deploy", "releases", "promote"]:
        return Command((D,), "cloud deploy")
    if words[:1] == ["functions"] and "deploy" in words:
        return Command((D,), "cloud functions")
    if words[:2] == ["container", "clusters"] and words[2:3] and words[2] in ("create", "update", "delete"):
        return Command((I,), "gcloud")
    return Command((O,), "gcloud")


_KUBECTL_SUBS = ("apply", "create", "replace", "set", "patch", "rollout", "scale", "delete", "get", "wait",
                 "describe", "logs", "config", "argo", "kustomize", "annotate", "label", "exec", "port-forward")


def _kubectl(tool: str, args: list[str]) -> Command:
    sub = _first_in(args, _KUBECTL_SUBS)
    rest = args[args.index(sub) + 1:] if sub else []
    if sub == "argo" and rest[:1] == ["rollouts"]:
        return Command((D,), "argo rollouts", note="progressive delivery (Argo Rollouts)")
    if sub in ("apply", "replace") or sub == "create" and ("-f" in args or "--filename" in args):
        if "-k" in args or "--kustomize" in args or any(a.startswith("--kustomize=") for a in args):
            return Command((D,), "kustomize")
        return Command((D,), tool)
    if sub == "rollout":
        action = (rest or [""])[0]
        if action == "undo":
            return Command((D,), tool, note="rollback (kubectl rollout undo)")
        if action in ("restart", "resume"):
            return Command((D,), tool)
        if action == "status":
            return Command((O,), tool, note="waits for the rollout")
    if sub in ("set", "patch", "scale", "annotate") and rest:
        return Command((D,), tool)
    return Command((O,), tool)


def _helm(args: list[str], env: Mapping[str, str]) -> Command:
    words = _positionals(args, ("-f", "--values", "-n", "--namespace", "--set", "--set-string", "--version",
                                "--kube-context", "--timeout", "--username", "--password", "-p"))
    sub = words[0] if words else ""
    if sub in ("install", "upgrade"):
        atomic = "--atomic" in args or "--rollback-on-failure" in args
        return Command((D,), "helm", note="--atomic: rollback on failure" if atomic else "")
    if sub == "rollback":
        return Command((D,), "helm", note="rollback (helm rollback)")
    if sub == "push":
        return Command((P,), "helm", registries=_hosts(words[2:3], env))
    if sub == "registry" and words[1:2] == ["login"]:
        return Command((L,), "helm", registries=_hosts(words[2:3], env))
    if sub == "package":
        return Command((B,), "helm")
    if sub == "test":
        return Command((T,), "helm")
    if sub in ("lint", "template"):
        return Command((O,), "helm", note=f"helm {sub}: chart check")
    return Command((O,), "helm")


def _gradle(args: list[str]) -> Command:
    tasks = [a.rsplit(":", 1)[-1] for a in args if not a.startswith("-")]
    kinds: list[StepKind] = []
    for task in tasks:
        low = task.lower()
        if low in ("test", "check") or low.endswith("test") or low.endswith("tests"):
            kinds.append(T)
        elif low in ("jib",):
            kinds += [B, P]
        elif low.startswith(("build", "assemble", "bootjar", "jar", "shadowjar", "installdist", "bootbuildimage",
                             "jibdockerbuild", "war", "distzip")):
            kinds.append(B)
        elif low in ("sonar", "sonarqube", "dependencycheckanalyze"):
            kinds.append(S)
        elif low.startswith("publish"):
            kinds.append(P)
    return Command(sort_kinds(kinds), "gradle")


def _maven(args: list[str]) -> Command:
    kinds: list[StepKind] = []
    for goal in (a.lower() for a in args if not a.startswith("-")):
        if goal in ("test", "verify", "integration-test"):
            kinds.append(T)
        elif goal in ("package", "install", "compile", "spring-boot:build-image", "jib:dockerbuild"):
            kinds.append(B)
        elif goal in ("jib:build",):
            kinds += [B, P]
        elif goal == "deploy":
            kinds.append(P)
        elif goal.startswith(("sonar:", "org.sonarsource")) or goal.startswith("dependency-check"):
            kinds.append(S)
    return Command(sort_kinds(kinds), "maven")


_JS_TEST_RUNNERS = ("jest", "vitest", "mocha", "playwright", "cypress", "karma", "ava", "jasmine")


def _node(tool: str, args: list[str]) -> Command:
    words = _positionals(args, ("--prefix", "-w", "--workspace", "--filter"))
    sub = words[0] if words else "install"
    script = words[1] if sub in ("run", "run-script") and len(words) > 1 else sub
    low = script.lower()
    if sub == "audit":
        return Command((S,), tool)
    if sub == "publish":
        return Command((P,), tool)
    if low in ("test", "t", "tst") or low.startswith(("test", "e2e", "cypress", "playwright")) or low.endswith("test"):
        return Command((T,), tool)
    if low.startswith("build") or low in ("compile", "dist", "bundle"):
        return Command((B,), tool)
    return Command((O,), tool)


def _python_tool(prog: str, args: list[str]) -> Command:
    if prog in ("pytest", "py.test", "unittest", "tox", "nox", "behave", "robot"):
        return Command((T,), prog if prog != "py.test" else "pytest")
    if prog == "build" or prog == "poetry" and args[:1] == ["build"]:
        return Command((B,), "python" if prog == "build" else "poetry")
    if prog == "twine" and args[:1] == ["upload"] or prog == "poetry" and args[:1] == ["publish"]:
        return Command((P,), prog)
    if prog == "bandit" or prog in ("pip-audit", "safety"):
        return Command((S,), prog)
    return Command((O,), prog)


def _go(args: list[str]) -> Command:
    sub = args[0] if args else ""
    if sub == "test":
        return Command((T,), "go")
    if sub == "build" or sub == "install" and not any("@" in a for a in args[1:]):
        return Command((B,), "go")  # `go install tool@version` installs a tool: not a build
    return Command((O,), "go")


def _dotnet(args: list[str]) -> Command:
    words = _positionals(args, ("-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework",
                                "-s", "--source", "-k", "--api-key", "-p"))
    sub = words[0] if words else ""
    if sub == "test" or sub == "vstest":
        return Command((T,), "dotnet")
    if sub in ("build", "publish", "pack", "msbuild"):
        return Command((B,), "dotnet")
    if sub == "nuget" and words[1:2] == ["push"]:
        return Command((P,), "dotnet")
    if sub in ("sonarscanner", "dotnet-sonarscanner"):
        return Command((S,), "sonarqube")
    return Command((O,), "dotnet")


_MAKE_WORDS = {"test": T, "tests": T, "e2e": T, "integration": T, "build": B, "compile": B, "image": B,
               "push": P, "publish": P, "deploy": D, "scan": S}


def _make(args: list[str]) -> Command:
    """Make targets are free names: only whole words count (`docker-push`, not `non-released`)."""
    kinds: list[StepKind] = []
    for target in (a.lower() for a in args if not a.startswith("-") and "=" not in a):
        kinds += [_MAKE_WORDS[w] for w in re.split(r"[-_:./]", target) if w in _MAKE_WORDS]
    return Command(sort_kinds(kinds), "make")


def _terraform(tool: str, args: list[str]) -> Command:
    sub = next((a for a in args if not a.startswith("-")), "")
    if sub in ("plan", "apply", "destroy", "import", "run-all"):
        return Command((I,), tool, note=f"{tool} {sub}")
    if sub == "test":
        return Command((T,), tool)
    if sub in ("init", "validate", "fmt"):
        return Command((O,), tool, note=f"{tool} {sub}")
    return Command((O,), tool)


_SCANNERS = {"trivy": "trivy", "grype": "grype", "snyk": "snyk", "sonar-scanner": "sonarqube", "codeql": "codeql",
             "checkov": "checkov", "tfsec": "tfsec", "terrascan": "terrascan", "kics": "kics", "gitleaks": "gitleaks",
             "trufflehog": "trufflehog", "semgrep": "semgrep", "gosec": "gosec", "govulncheck": "govulncheck",
             "dependency-check": "owasp dependency-check", "dependency-check.sh": "owasp dependency-check",
             "zap-baseline.py": "owasp zap", "zap-full-scan.py": "owasp zap", "kubesec": "kubesec",
             "kube-bench": "kube-bench", "docker-scout": "docker scout", "hadolint": "hadolint"}
_TEST_TOOLS = {"jest": "jest", "vitest": "vitest", "mocha": "mocha", "playwright": "playwright", "cypress": "cypress",
               "karma": "karma", "rspec": "rspec", "phpunit": "phpunit", "newman": "newman", "k6": "k6",
               "locust": "locust", "jmeter": "jmeter", "ginkgo": "ginkgo", "gotestsum": "go", "ctest": "ctest",
               "bats": "bats", "ct": "chart-testing"}


def _simple(argv: list[str], env: Mapping[str, str]) -> Command | None:
    """Classify one simple command (already stripped of wrappers); None when the program is unknown."""
    if not argv:
        return None
    prog, args = program(argv[0]), argv[1:]
    if "kaniko" in argv[0] and prog == "executor":
        return _kaniko(args, env)
    match prog:
        case "docker" | "podman" | "nerdctl" | "buildah":
            if prog == "docker" and args[:1] == ["scout"]:
                return Command((S,), "docker scout")
            return _docker("docker" if prog in ("docker", "nerdctl") else prog, args, env)
        case "docker-compose":
            return _docker("docker", ["compose", *args], env)
        case "az":
            return _az(args, env)
        case "aws":
            return _aws(args)
        case "gcloud":
            return _gcloud(args, env)
        case "kubectl" | "oc" | "k":
            return _kubectl("kubectl" if prog != "oc" else "oc", args)
        case "kubectl-argo-rollouts":
            return Command((D,), "argo rollouts", note="progressive delivery (Argo Rollouts)")
        case "kustomize":
            if args[:3] == ["edit", "set", "image"]:
                return Command((D,), "kustomize", note="GitOps image bump (kustomize edit set image)")
            return Command((O,), "kustomize", note="kustomize build: render check" if args[:1] == ["build"] else "")
        case "helm":
            return _helm(args, env)
        case "argocd":
            words = _positionals(args, ("--server", "--auth-token", "--username", "--password"))
            if words[:1] == ["login"]:
                return Command((L,), "argocd")
            if words[:1] == ["app"] and words[1:2] and words[1] in ("sync", "set", "create", "rollback", "actions"):
                return Command((D,), "argocd", note="rollback (argocd app rollback)" if words[1] == "rollback" else "")
            return Command((O,), "argocd")
        case "flux":
            return Command((D,) if args[:1] and args[0] in ("reconcile", "bootstrap", "create") else (O,), "flux")
        case "skaffold":
            sub = args[0] if args else ""
            repo = _flag_values(args, "--default-repo", "-d")
            push = (P,) if repo and sub in ("run", "build") else ()
            kinds = {"run": (B, D), "dev": (B, D), "build": (B,), "deploy": (D,)}.get(sub, (O,))
            return Command(sort_kinds(kinds + push), "skaffold", registries=_hosts(repo, env) if push else ())
        case "terraform" | "tofu" | "terragrunt":
            return _terraform(prog, args)
        case "azd":
            sub = args[0] if args else ""
            kinds = {"up": (I, D), "provision": (I,), "deploy": (D,), "down": (I,), "package": (B,)}.get(sub, (O,))
            return Command((L,) if args[:2] == ["auth", "login"] else kinds, "azd")
        case "pulumi":
            return Command((I,) if args[:1] and args[0] in ("up", "preview", "destroy") else (O,), "pulumi")
        case "ansible-playbook":
            return Command((I,), "ansible")
        case "bicep":
            return Command((O,), "bicep")
        case "gradle" | "gradlew":
            return _gradle(args)
        case "mvn" | "mvnw":
            return _maven(args)
        case "npm" | "yarn" | "pnpm" | "bun":
            return _node(prog, args)
        case "go":
            return _go(args)
        case "goreleaser":
            return Command((B, P), "goreleaser")
        case "dotnet":
            return _dotnet(args)
        case "cargo":
            sub = args[0] if args else ""
            return Command({"build": (B,), "test": (T,), "publish": (P,)}.get(sub, (O,)), "cargo")
        case "make":
            return _make(args)
        case "rake":
            return Command((T,) if any("test" in a or "spec" in a for a in args) else (O,), "rake")
        case "cosign":
            return Command((O,), "cosign", note="image signing" if args[:1] == ["sign"] else "")
        case "sh" | "bash" | "pwsh" | "powershell":
            inner = _flag_values(args, "-c", "-Command")
            return analyse_line(inner[0], env) if inner else None
    if prog in _SCANNERS:
        return Command((S,), _SCANNERS[prog])
    if prog in _TEST_TOOLS:
        return Command((T,), _TEST_TOOLS[prog])
    if prog in ("pytest", "py.test", "unittest", "tox", "nox", "behave", "build", "twine", "poetry", "bandit",
                "pip-audit", "safety", "robot"):
        return _python_tool(prog, args)
    return None


def _pipeline(segments: list[str], env: Mapping[str, str]) -> list[Command]:
    """Commands of one pipeline `a | b`; `kustomize build x | kubectl apply -f -` is a kustomize deploy."""
    commands: list[Command] = []
    for segment in segments:
        found = _simple(argv_of(segment), env)
        if found is not None:
            commands.append(Command(found.kinds, found.tool, found.note, found.registries, found.text or segment))
    renders = any(c.tool == "kustomize" or "kubectl kustomize" in c.text for c in commands)
    if renders and any(c.kinds == (D,) and c.tool == "kubectl" for c in commands):
        return [Command((D,), "kustomize", text=" | ".join(c.text for c in commands))]
    return commands


def analyse_line(line: str, env: Mapping[str, str] | None = None) -> Command | None:
    """One command line (`&&`, `;`, `|` allowed): kinds, tool, notes, registries; None if nothing known.
    `text` is the recognised commands only, so a secret echoed into `docker login` is never carried."""
    env = env or {}
    commands = [c for pipeline in split_commands(line) for c in _pipeline(pipeline, env)]
    if not commands:
        return None
    kinds = sort_kinds(k for c in commands for k in c.kinds)
    doing = [c for c in commands if c.kinds != (O,)]
    tool = (doing or commands)[0].tool
    notes = "; ".join(dict.fromkeys(c.note for c in commands if c.note))
    registries = tuple(sorted({r for c in commands for r in c.registries}))
    text = " && ".join(c.text for c in (doing or commands))
    return Command(kinds, tool, notes, registries, text)


def classify_command(text: str) -> tuple[tuple[StepKind, ...], str]:
    """Shell text -> what it does and the tool that does it; ((OTHER,), "") when nothing is recognised."""
    found = [c for _, line in script_lines(text) if (c := analyse_line(line)) is not None]
    if not found:
        return (O,), ""
    kinds = sort_kinds(k for c in found for k in c.kinds)
    doing = [c for c in found if c.kinds != (O,)]
    return kinds, (doing or found)[0].tool


def script_steps(script: str, first_line: int, env: Mapping[str, str] | None = None,
                 ) -> tuple[list[CiStep], tuple[str, ...]]:
    """Steps for the recognised commands of a script starting at `first_line`, and registries seen.
    Commands that do nothing notable (echo, cd, az config ...) are left out."""
    steps: list[CiStep] = []
    registries: set[str] = set()
    for offset, line in script_lines(script):
        command = analyse_line(line, env)
        if command is None:
            continue
        registries.update(command.registries)
        if command.kinds != (O,) or command.note:
            detail = command.text + (f" [{command.note}]" if command.note else "")
            steps.append(CiStep(first_line + offset, command.kinds, command.tool, detail))
    return steps, tuple(sorted(registries))


def block_start(value: str, key_line: int) -> int:
    """The line of a YAML scalar's first content line: a block scalar (`|`) starts under its key."""
    return key_line + 1 if "\n" in value else key_line


def yaml_script_steps(doc: YamlDoc, path: tuple[str | int, ...], value: object, env: Mapping[str, str],
                      ) -> tuple[list[CiStep], tuple[str, ...]]:
    """Steps of a YAML `script`: a string (block scalar lines counted) or a list of strings, nested
    lists included (GitLab flattens them), each command at its own line."""
    if isinstance(value, str):
        return script_steps(value, block_start(value, doc.line_of(*path)), env)
    steps: list[CiStep] = []
    registries: set[str] = set()
    if isinstance(value, list):
        for i, item in enumerate(value):
            found, regs = yaml_script_steps(doc, path + (i,), item, env)
            steps += found
            registries.update(regs)
    return steps, tuple(sorted(registries))


# ---------------------------------------------------------------------------------------------
# Names: environments and actions/tasks/orbs/pipes classified by name.

_ENV_WORDS = {"dev": "dev", "develop": "dev", "development": "dev", "qa": "qa", "uat": "uat", "staging": "staging",
              "stg": "staging", "stage": "", "preprod": "preprod", "pre-prod": "preprod", "prod": "prod",
              "production": "prod", "prd": "prod", "sandbox": "sandbox", "sit": "sit", "test": ""}


def environment_in(name: str) -> str | None:
    """The environment word a job/stage name carries ('deploy-prod', 'DeployProd' -> 'prod'), as written.
    'test' and 'stage' are left out: they name steps and pipeline stages far more often than environments."""
    for piece in re.split(r"[^A-Za-z0-9-]+", name):
        if _ENV_WORDS.get(piece.lower()):
            return piece
        for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", piece):
            if _ENV_WORDS.get(str(word).lower()):
                return str(word)
    return None


def kinds_from_name(name: str) -> tuple[StepKind, ...]:
    """Kinds suggested by an orb/pipe/task/step name (`aws-ecr/build-and-push-image`): a last resort.
    Tool installers (`setup-buildx`, `install-helm`) do nothing yet, whatever their name says."""
    low = name.lower()
    if re.search(r"(^|[/\s_-])(setup|install|installer|cache)([\s_-]|$)", low) or low.startswith(("setup", "install")):
        return (O,)
    kinds: list[StepKind] = []
    for words, kind in ((("scan", "sonar", "snyk", "trivy", "codeql", "checkov", "audit", "sast", "secret-detect"), S),
                        (("deploy", "kubectl", "rollout", "helm-upgrade", "upgrade-helm", "release-helm", "install-helm-chart"), D),
                        (("push", "publish"), P), (("build",), B), (("test",), T),
                        (("login", "auth", "credential", "kubeconfig"), L),
                        (("terraform-apply", "terraform-plan", "bicep-deploy", "arm-deploy", "cloudformation",
                          "pulumi"), I)):
        if any(w in low for w in words):
            kinds.append(kind)
    return sort_kinds(kinds)


def as_text(value: object) -> str:
    """A YAML scalar as text ('' for None and collections)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, (str, int, float)) else ""


def as_dict(value: object) -> dict[str, object]:
    """A YAML mapping with text keys ({} for anything else)."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    """A YAML value that may be a single item or a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
