"""Secrets of every kind planted into a copy of sample-infra never reach any output, and each is reported.

Each secret is a distinct value, planted plain and (where the format encodes) base64- or URL-encoded. The
outputs searched: the written document and state file, stdout and stderr of scan (with --show-redactions),
the JSON output, and check and diff after the infrastructure (and a secret) changed.
"""

from __future__ import annotations

import base64
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archinfer.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "sample-infra"
runner = CliRunner()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkLWp3dCIsIm5hbWUiOiJTMyJ9."
       "Xp4HhJkq3mB2Qd0cYb8w9Zr7L1s5TgV6nK2oPfA3eUu")
CUSTOM_DATA = base64.b64encode(b"#!/bin/sh\nexport TOKEN=S3-tf-custom-data").decode()
PEM_BODY = "MIIEowIBAAKCAQEAplantedPemBodyS3cr3tLineOnlyForTheTestXYZ0123456789abcdef"


@dataclass(frozen=True)
class Planted:
    """A secret `value` written by `line_text` (which contains it) into `path`; `report` must name that line."""

    path: str
    value: str
    line_text: str
    report: str = ""  # text the redaction report line for it must contain (besides path:line)


# (path, text appended to the file): the line of each secret is found by its line_text.
FILES: dict[str, str] = {
    "terraform/envs/prod/planted.tf": f'''
variable "planted_db_password" {{
  type      = string
  sensitive = true
  default   = "S3-tf-sensitive-default"
}}

variable "api_token" {{
  type    = string
  default = "S3-tf-api-token-default"
}}

output "planted_conn" {{
  value     = "Server=tcp:db;Database=app;User Id=app;Password=S3-tf-output-conn;"
  sensitive = true
}}

locals {{
  storage_conn = "DefaultEndpointsProtocol=https;AccountName=st;AccountKey={b64('S3-tf-account-key-raw')};EndpointSuffix=core.windows.net"
  sas_url      = "https://st.blob.core.windows.net/c?sv=2022-11-02&sig={urllib.parse.quote(b64('S3-tf-sas-raw'))}"
}}

resource "azurerm_mssql_server" "planted" {{
  name                         = "sql-planted"
  resource_group_name          = "rg"
  location                     = "koreacentral"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "S3-tf-attr-password"
}}

resource "azurerm_linux_virtual_machine" "planted" {{
  name           = "vm-planted"
  admin_password = "S3-tf-vm-admin-pw"
  custom_data    = "{CUSTOM_DATA}"
}}

resource "tls_private_key" "planted" {{
  private_key_pem = "-----BEGIN RSA PRIVATE KEY-----\\n{PEM_BODY}tf\\n-----END RSA PRIVATE KEY-----"
}}
''',
    "terraform/envs/prod/terraform.tfvars": '''
postgres_administrator_password = "S3-tfvars-admin-pw"
planted_db_password             = "S3-tfvars-bound-sensitive"
''',
    "manifests/planted.yaml": f'''apiVersion: v1
kind: Secret
metadata:
  name: planted-db
  namespace: evtmkt
type: Opaque
data:
  password: {b64('S3-k8s-data-b64')}
  config.json: {b64('{"dsn": "S3-k8s-config-json"}')}
stringData:
  api-token: S3-k8s-stringdata
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: planted-config
  namespace: evtmkt
data:
  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7PLANTED
  GIT_REMOTE: https://deploy:S3cmUrlPass@git.example.com/repo.git
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    {PEM_BODY}cm
    -----END PRIVATE KEY-----
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: planted-api
  namespace: evtmkt
spec:
  replicas: 1
  selector:
    matchLabels: {{app: planted-api}}
  template:
    metadata:
      labels: {{app: planted-api}}
    spec:
      containers:
        - name: api
          image: nginx:1.27
          env:
            - name: DB_PASSWORD
              value: S3-k8s-env-value
            - name: DATABASE_URL
              value: postgres://app:S3k8sUrlPass@db.evtmkt.svc:5432/app
            - name: AUTH_HEADER
              value: Bearer {JWT}
''',
    "charts/planted/Chart.yaml": "apiVersion: v2\nname: planted\nversion: 0.1.0\nappVersion: \"1.0\"\n",
    "charts/planted/values.yaml": '''image: nginx:1.27
postgresql:
  auth:
    password: S3-helm-values-pw
apiKey: S3-helm-api-key
''',
    "charts/planted/values-prod.yaml": "redis:\n  password: S3-helm-prod-pw\n",
    "charts/planted/templates/deployment.yaml": '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: planted-chart
spec:
  template:
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
          env:
            - name: PG_PASSWORD
              value: {{ .Values.postgresql.auth.password | quote }}
            - name: API_KEY
              value: {{ .Values.apiKey | quote }}
''',
    ".github/workflows/planted.yml": f'''name: planted
on: push
env:
  DOCKER_PASSWORD: S3-ci-docker-pw
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - run: docker login -u bot --password S3-ci-login-flag registry.example.com
      - run: curl -H "Authorization: Bearer {JWT[:-4]}ci00" https://api.example.com
''',
    ".gitlab-ci.yml": '''variables:
  API_TOKEN: "glpat-S3PlantedGitlabTok1"
deploy:
  script:
    - helm upgrade app ./chart --set db.password=S3-gitlab-set-flag
''',
    ".env": "DB_PASSWORD=S3-dotenv-pw\nSOME_SETTING=S3-dotenv-any\n",
    "deploy/prod.env": "EXTERNAL_API=S3-prod-env-file\n",
    "services/planted/Dockerfile": "FROM python:3.12-slim\nENV API_KEY=S3-docker-env-key\nARG GITHUB_TOKEN=ghp_S3PlantedDockerArgToken0000000000000\n"
                                   "CMD [\"python\", \"app.py\"]\n",
}

SECRETS: tuple[Planted, ...] = (
    Planted("terraform/envs/prod/planted.tf", "S3-tf-sensitive-default", 'variable "planted_db_password"', "planted_db_password"),
    Planted("terraform/envs/prod/planted.tf", "S3-tf-api-token-default", 'variable "api_token"', "api_token"),
    Planted("terraform/envs/prod/planted.tf", "S3-tf-output-conn", "Password=S3-tf-output-conn"),
    Planted("terraform/envs/prod/planted.tf", b64("S3-tf-account-key-raw"), "AccountKey="),
    Planted("terraform/envs/prod/planted.tf", urllib.parse.quote(b64("S3-tf-sas-raw")), "sig="),
    Planted("terraform/envs/prod/planted.tf", "S3-tf-attr-password", "administrator_login_password", "administrator_login_password"),
    Planted("terraform/envs/prod/planted.tf", "S3-tf-vm-admin-pw", "admin_password", "admin_password"),
    Planted("terraform/envs/prod/planted.tf", PEM_BODY + "tf", "private_key_pem"),
    Planted("terraform/envs/prod/terraform.tfvars", "S3-tfvars-admin-pw", "postgres_administrator_password =",
            "postgres_administrator_password"),
    Planted("terraform/envs/prod/terraform.tfvars", "S3-tfvars-bound-sensitive", "planted_db_password ", "planted_db_password"),
    Planted("manifests/planted.yaml", b64("S3-k8s-data-b64"), "  password: "),
    Planted("manifests/planted.yaml", b64('{"dsn": "S3-k8s-config-json"}'), "apiVersion: v1", "config.json"),
    Planted("manifests/planted.yaml", "S3-k8s-stringdata", "api-token:"),
    Planted("manifests/planted.yaml", "AKIAIOSFODNN7PLANTED", "AWS_ACCESS_KEY_ID"),
    Planted("manifests/planted.yaml", "S3cmUrlPass", "GIT_REMOTE"),
    Planted("manifests/planted.yaml", PEM_BODY + "cm", "-----BEGIN PRIVATE KEY-----"),
    Planted("manifests/planted.yaml", "S3-k8s-env-value", "value: S3-k8s-env-value", "DB_PASSWORD"),
    Planted("manifests/planted.yaml", "S3k8sUrlPass", "value: postgres://"),
    Planted("manifests/planted.yaml", JWT, "value: Bearer"),
    Planted("charts/planted/values.yaml", "S3-helm-values-pw", "password:"),
    Planted("charts/planted/values.yaml", "S3-helm-api-key", "apiKey:"),
    Planted("charts/planted/values-prod.yaml", "S3-helm-prod-pw", "password:"),
    Planted(".github/workflows/planted.yml", "S3-ci-docker-pw", "DOCKER_PASSWORD"),
    Planted(".github/workflows/planted.yml", "S3-ci-login-flag", "docker login"),
    Planted(".github/workflows/planted.yml", JWT[:-4] + "ci00", "Authorization"),
    Planted(".gitlab-ci.yml", "glpat-S3PlantedGitlabTok1", "API_TOKEN"),
    Planted(".gitlab-ci.yml", "S3-gitlab-set-flag", "--set db.password"),
    Planted(".env", "S3-dotenv-pw", "DB_PASSWORD="),
    Planted(".env", "S3-dotenv-any", "SOME_SETTING="),
    Planted("deploy/prod.env", "S3-prod-env-file", "EXTERNAL_API="),
    Planted("services/planted/Dockerfile", "S3-docker-env-key", "ENV API_KEY"),
    Planted("services/planted/Dockerfile", "ghp_S3PlantedDockerArgToken0000000000000", "ARG GITHUB_TOKEN"),
)


def forms(value: str) -> set[str]:
    """The value as planted and the encodings an output could carry it in."""
    out = {value, b64(value), urllib.parse.quote(value, safe=""), value.replace('"', '\\"')}
    try:
        decoded = base64.b64decode(urllib.parse.unquote(value), validate=True).decode()
        out.add(decoded)  # a planted base64 value must not come out decoded either
    except (ValueError, UnicodeDecodeError):
        pass
    return {f for f in out if len(f) >= 8}


def plant(root: Path) -> None:
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("ARCHITECTURE.md", "ARCHITECTURE.archinfer.jsonl"))
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)


def line_of(root: Path, planted: Planted) -> int:
    lines = (root / planted.path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if planted.line_text in line)


def test_enough_distinct_secrets_of_every_kind_are_planted() -> None:
    values = {s.value for s in SECRETS}
    assert len(values) == len(SECRETS) >= 25
    kinds = {s.path.rsplit(".", 1)[-1] if "." in s.path.rsplit("/", 1)[-1] else s.path.rsplit("/", 1)[-1] for s in SECRETS}
    assert {"tf", "tfvars", "yaml", "yml", "env", "Dockerfile"} <= kinds, kinds


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("planted") / "repo"
    plant(root)
    texts: dict[str, str] = {}
    scan = runner.invoke(app, ["scan", str(root), "--show-redactions"])
    assert scan.exit_code == 0, scan.output
    texts["scan stdout"], texts["scan stderr"] = scan.stdout, scan.stderr
    texts["document"] = (root / "ARCHITECTURE.md").read_text(encoding="utf-8")
    texts["state"] = (root / "ARCHITECTURE.archinfer.jsonl").read_text(encoding="utf-8")
    json_out = runner.invoke(app, ["scan", str(root), "--format", "json", "--lang", "en"])
    assert json_out.exit_code == 0, json_out.stderr
    texts["json"], texts["json stderr"] = json_out.stdout, json_out.stderr
    # Change the architecture and a secret, so that check and diff have something to print.
    tfvars = root / "terraform/envs/prod/terraform.tfvars"
    tfvars.write_text(tfvars.read_text(encoding="utf-8").replace("S3-tfvars-admin-pw", "S3-tfvars-admin-pw-rotated")
                      .replace("redis_capacity             = 2", "redis_capacity             = 3"), encoding="utf-8")
    manifest = root / "manifests/planted.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("replicas: 1", "replicas: 2")
                        .replace("S3-k8s-env-value", "S3-k8s-env-value-rotated"), encoding="utf-8")
    for command in (["check"], ["diff"], ["diff", "--format", "json"]):
        result = runner.invoke(app, [*command, str(root)])
        assert result.exit_code in (0, 1), (command, result.output)
        texts[" ".join(command)] = result.stdout + result.stderr
    assert "redis" in texts["check"].lower() and "S3-" not in texts["check"]
    return root, texts


@pytest.mark.parametrize("planted", SECRETS, ids=lambda s: f"{s.path}:{s.line_text[:24]}")
def test_secret_appears_in_no_output(planted: Planted, outputs: tuple[Path, dict[str, str]]) -> None:
    _, texts = outputs
    for name, text in texts.items():
        for form in forms(planted.value) | forms(planted.value + "-rotated"):
            assert form not in text, f"{planted.value!r} (as {form!r}) appears in {name}"


@pytest.mark.parametrize("planted", SECRETS, ids=lambda s: f"{s.path}:{s.line_text[:24]}")
def test_secret_is_listed_in_the_redaction_report(planted: Planted, outputs: tuple[Path, dict[str, str]]) -> None:
    root, texts = outputs
    where = f"  {planted.path}:{line_of(root, planted)}: "
    lines = [line for line in texts["scan stderr"].splitlines() if line.startswith(where)]
    assert lines, f"no report line starts with {where!r}:\n{texts['scan stderr']}"
    assert any(planted.report in line for line in lines), lines


def test_no_stray_planted_marker_anywhere(outputs: tuple[Path, dict[str, str]]) -> None:
    """Every planted value starts with S3 or is a format the detectors know: no output holds any S3- value."""
    _, texts = outputs
    leaks = {name: [line for line in text.splitlines() if "S3-" in line or "S3c" in line or "S3k" in line]
             for name, text in texts.items()}
    assert not any(leaks.values()), {k: v[:3] for k, v in leaks.items() if v}
