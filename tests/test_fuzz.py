"""Bad input never crashes or hangs a scan: every bad file becomes a diagnostic naming it, the rest goes on.

1. Hypothesis fuzzing of every collector's `collect(path, text)`: arbitrary text, mutated real snippets
   (characters and lines inserted, deleted, duplicated; deep nesting; very long lines; NUL; CRLF; tabs;
   BOM; odd unicode) and random YAML structures at Kubernetes/CI paths.
2. Whole scans (`scan.collect`, `scan.analyze`) of random small trees mixing those files.
3. The corpus in tests/nasty/ (plus files too big or too binary to commit, generated here) end to end
   through the CLI: exit 0, a diagnostic naming each bad file, the good file's facts still there.
4. Secrets in broken files are never printed.

Every example runs under a hard stop (SIGALRM) so that a hang fails the test instead of the suite, and
must finish within BUDGET seconds. A bug found and not fixed yet is kept as a strict xfail
(`xfail(strict=True, reason="BUG: ...")`) that flips to XPASS, and fails, once it is fixed.

The Hypothesis tests are derandomized (same examples every run) so the suite stays deterministic; set
ARCHINFER_FUZZ_RANDOM=1 to explore new examples and ARCHINFER_FUZZ_SCALE=10 for ten times as many.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from archinfer import scan
from archinfer.cli import app
from archinfer.collectors import dockerfile, helm, jenkinsfile, kustomize, terraform, tfvars, yaml_files
from archinfer.model import Diagnostic, Fact

NASTY = Path(__file__).parent / "nasty"
BUDGET = 2.0  # seconds one example (one file, one small tree) may take
HARD_STOP = 6.0  # a still-running example is interrupted here and fails as a hang
GOOD_MARK = "redis-demo"  # the good file's resource name, shown in the document
runner = CliRunner()

_SCALE = max(1, int(os.environ.get("ARCHINFER_FUZZ_SCALE", "1")))
_RANDOM = os.environ.get("ARCHINFER_FUZZ_RANDOM") == "1"


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples * _SCALE, deadline=None, derandomize=not _RANDOM, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


# ----------------------------------------------------------------------------------------------
# Helpers: hard stop, collector contract
# ----------------------------------------------------------------------------------------------


class Hang(BaseException):
    """Raised into the code under test when it runs past its hard stop (a BaseException, like
    KeyboardInterrupt, so that the `except Exception` of code that keeps going on errors does not swallow it)."""


@contextlib.contextmanager
def hard_stop(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM: also breaks a blocking open() of a FIFO)."""

    def fire(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)  # and again every 0.5 s, should the first be swallowed
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(call: Callable[[], Any], budget: float = BUDGET, stop: float = HARD_STOP) -> Any:
    """Run `call` under a hard stop and assert it took less than `budget` seconds."""
    start = time.perf_counter()
    with hard_stop(stop):
        result = call()
    elapsed = time.perf_counter() - start
    assert elapsed < budget, f"took {elapsed:.2f} s (budget {budget} s)"
    return result


def check_collect(module: ModuleType, path: str, text: str) -> tuple[list[Fact], list[Diagnostic]]:
    """The collector contract: (facts, diagnostics), never an exception, every diagnostic at `path`, line >= 0."""
    result = timed(lambda: module.collect(path, text))
    assert isinstance(result, tuple) and len(result) == 2
    facts, diagnostics = result
    assert isinstance(facts, list) and isinstance(diagnostics, list)
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.loc.path == path, diagnostic
        assert isinstance(diagnostic.loc.line, int) and diagnostic.loc.line >= 0, diagnostic
        assert isinstance(diagnostic.message, str) and diagnostic.message, diagnostic
        str(diagnostic)  # printable
    for fact in facts:
        assert isinstance(fact, Fact) and fact.loc.path == path and fact.loc.line >= 0, fact
    return facts, diagnostics


def collector_for(path: str) -> ModuleType:
    modules: tuple[ModuleType, ...] = (terraform, tfvars, yaml_files, jenkinsfile, dockerfile)
    for module in modules:
        if module.matches(path):
            return module
    raise AssertionError(f"no collector reads {path}")


# Where the open bugs below crash (file, function). The fuzz properties reject an example that crashes at
# one of these sites, so that they stay green and still catch every *new* crash; each site has its own
# strict xfail test. When you fix a bug, remove its site here too.
KNOWN_CRASH_SITES: frozenset[tuple[str, str]] = frozenset()  # none open
_PROJECT = Path(scan.__file__).resolve().parents[1]


def crash_site(exc: BaseException) -> tuple[str, str] | None:
    """(file relative to the project, function) of the innermost project frame that is a named function."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(_PROJECT) and ".venv" not in path.parts and "tests" not in path.parts \
                and not frame.name.startswith("<"):
            return path.relative_to(_PROJECT).as_posix(), frame.name
    return None


@contextlib.contextmanager
def new_crashes_only() -> Iterator[None]:
    """In a fuzz property: an exception at a known crash site rejects the example; any other fails the test."""
    try:
        yield
    except Exception as exc:
        if crash_site(exc) in KNOWN_CRASH_SITES:
            reject()
        raise


@contextlib.contextmanager
def helm_sdk_off() -> Iterator[None]:
    """Static chart reading only: the SDK runs a worker process per render, too slow for many examples."""
    with mock.patch.object(helm, "SDK_MODULE", "archinfer_tests_no_such_helm_sdk"):
        yield


# ----------------------------------------------------------------------------------------------
# Seeds: small real snippets of every format, the starting point of "almost valid" input
# ----------------------------------------------------------------------------------------------

HCL_SEEDS = (
    '''terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 3.0" }
  }
  backend "azurerm" {}
}
provider "azurerm" {
  features {}
}
variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod"
  }
}
locals {
  name   = "app-${var.env}"
  tags   = merge({ env = var.env }, { owner = "team" })
  cidrs  = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]
  by_key = { for k, v in local.tags : k => upper(v) if v != "" }
}
''',
    '''resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks-${local.name}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  dns_prefix          = local.name
  default_node_pool {
    name       = "system"
    node_count = var.env == "prod" ? 3 : 1
    vm_size    = "Standard_D4s_v5"
    zones      = ["1", "2", "3"]
  }
  identity {
    type = "SystemAssigned"
  }
  dynamic "network_profile" {
    for_each = var.env == "prod" ? [1] : []
    content {
      network_plugin = "azure"
    }
  }
  tags = local.tags
}
''',
    '''module "network" {
  source        = "./modules/network"
  address_space = ["10.0.0.0/16"]
  subnets       = { app = "10.0.1.0/24", db = "10.0.2.0/24" }
}
resource "aws_instance" "web" {
  count         = 2
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    echo "hello ${count.index}"
  EOT
  tags = { Name = "web-${count.index}" }
}
output "ips" {
  value = aws_instance.web[*].private_ip
}
''',
    '''resource "azurerm_postgresql_flexible_server" "db" {
  name       = "psql-demo"
  sku_name   = "GP_Standard_D2s_v3"
  storage_mb = 32768
  version    = "16"
  high_availability {
    mode = "ZoneRedundant"
  }
  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
  depends_on = [azurerm_private_dns_zone_virtual_network_link.db]
}
''',
)
TFVARS_SEEDS = (
    'env      = "prod"\nlocation = "koreacentral"\nnode_count = 3\ntags = {\n  owner = "team"\n  cost  = "1234"\n}\nzones = ["1", "2"]\n',
    'enabled = true\nratio = 0.5\n# comment\n/* block */\nname = "x-${"nested"}"\n',
)
TFVARS_JSON_SEEDS = (
    '{\n  "env": "prod",\n  "node_count": 3,\n  "tags": {"owner": "team"},\n  "zones": ["1", "2"],\n  "ha": null\n}\n',
    '{"a": 1.5e3, "b": [true, false], "c": "\\u00e9\\n"}\n',
)
K8S_SEEDS = (
    '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations:
    prometheus.io/scrape: "true"
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: acr.example.azurecr.io/web:1.2.3
          ports:
            - containerPort: 8080
          env:
            - name: DB_HOST
              valueFrom:
                secretKeyRef: {name: db, key: host}
          envFrom:
            - configMapRef: {name: web-config}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: 512Mi}
          volumeMounts:
            - {name: data, mountPath: /data}
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: data}
''',
    '''apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  selector: {app: web}
  ports:
    - {port: 80, targetPort: 8080}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: web-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
''',
    '''apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data: {key: value}
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: nightly}
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              containers: [{name: job, image: "busybox:1.36"}]
              restartPolicy: OnFailure
''',
)
GITHUB_SEED = '''name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: azure/login@v2
        with: {creds: "${{ secrets.AZURE }}"}
      - run: |
          docker build -t acr.example.azurecr.io/web:${{ github.sha }} .
          docker push acr.example.azurecr.io/web:${{ github.sha }}
  deploy:
    needs: build
    environment: prod
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -k k8s/overlays/prod
'''
GITLAB_SEED = '''stages: [build, deploy]
variables:
  REGISTRY: registry.example.com
.base: &base
  image: docker:27
build:
  <<: *base
  stage: build
  script:
    - docker build -t $REGISTRY/app:$CI_COMMIT_SHA .
    - docker push $REGISTRY/app:$CI_COMMIT_SHA
deploy:
  stage: deploy
  extends: .base
  environment: {name: production}
  when: manual
  script: [helm upgrade --install app ./chart]
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
'''
AZURE_SEED = '''trigger: [main]
pool: {vmImage: ubuntu-latest}
stages:
  - stage: Build
    jobs:
      - job: build
        steps:
          - task: Docker@2
            inputs: {command: buildAndPush, repository: web, containerRegistry: acr}
  - stage: Deploy
    dependsOn: Build
    jobs:
      - deployment: deploy
        environment: prod
        strategy:
          runOnce:
            deploy:
              steps:
                - task: KubernetesManifest@1
                  inputs: {action: deploy, manifests: k8s/*.yaml}
                - script: terraform apply -auto-approve
'''
BITBUCKET_SEED = '''image: atlassian/default-image:4
pipelines:
  default:
    - step:
        name: Build
        services: [docker]
        script:
          - docker build -t registry.example.com/app .
  branches:
    main:
      - step:
          name: Deploy
          deployment: production
          trigger: manual
          script: [kubectl apply -f k8s/]
'''
CIRCLECI_SEED = '''version: 2.1
orbs:
  aws-ecr: circleci/aws-ecr@9.0
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - checkout
      - setup_remote_docker
      - run: docker build -t app .
      - run:
          name: push
          command: docker push 123.dkr.ecr.us-east-1.amazonaws.com/app
workflows:
  main:
    jobs:
      - build
      - aws-ecr/build_and_push_image:
          requires: [build]
          filters: {branches: {only: main}}
'''
KUSTOMIZATION_SEED = '''apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: prod-
resources:
  - deployment.yaml
  - ../base
images:
  - name: web
    newTag: "1.2.4"
replicas:
  - name: web
    count: 5
patches:
  - target: {kind: Deployment, name: web}
    patch: |
      - op: replace
        path: /spec/replicas
        value: 4
configMapGenerator:
  - name: web-config
    literals: [MODE=prod]
'''
CHART_SEED = '''apiVersion: v2
name: web
version: 0.3.0
appVersion: "1.4.2"
dependencies:
  - name: redis
    version: 18.x.x
    repository: https://charts.bitnami.com/bitnami
    condition: redis.enabled
'''
VALUES_SEED = '''replicaCount: 2
image: {repository: nginx, tag: "1.27"}
service: {type: ClusterIP, port: 80}
redis: {enabled: false}
resources: {limits: {cpu: 500m}}
'''
TEMPLATE_SEED = '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - containerPort: {{ .Values.service.port }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
'''
HELPERS_SEED = '''{{- define "web.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "web.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
{{- end }}
'''
DOCKERFILE_SEEDS = (
    '''# syntax=docker/dockerfile:1
ARG BASE=eclipse-temurin:21-jre
FROM gradle:8-jdk21 AS build
WORKDIR /src
COPY . .
RUN gradle bootJar --no-daemon && \\
    cp build/libs/*.jar /app.jar
FROM ${BASE}
COPY --from=build /app.jar /app.jar
EXPOSE 8080 8443/tcp
USER 10001
ENTRYPOINT ["java", "-jar", "/app.jar"]
''',
    '''FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1
RUN <<EOF
pip install -r requirements.txt
EOF
FROM base
HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
CMD uvicorn app.main:app --host 0.0.0.0
''',
)
JENKINS_SEEDS = (
    '''pipeline {
  agent { label 'docker' }
  environment {
    REGISTRY = 'registry.example.com'
  }
  triggers { cron('H 2 * * *') }
  stages {
    stage('Build') {
      steps {
        sh "docker build -t ${REGISTRY}/app:${BUILD_NUMBER} ."
      }
    }
    stage('Deploy') {
      when { branch 'main' }
      steps {
        input message: 'Deploy?'
        sh """
          kubectl apply -f k8s/
          helm upgrade --install app ./chart
        """
      }
    }
  }
  post { always { junit 'build/test-results/**/*.xml' } }
}
''',
    '''node('linux') {
  stage 'Checkout'
  checkout scm
  docker.withRegistry('https://registry.example.com', 'creds') {
    def image = docker.build("app:${env.BUILD_ID}")
    image.push()
  }
  /* block comment */ // line comment
  sh(script: 'terraform apply -auto-approve', returnStatus: true)
}
''',
)

YAML_PATHS = {
    "k8s/deploy.yaml": K8S_SEEDS, "manifests/app.yml": K8S_SEEDS, "dir with space/ünïcode.yaml": K8S_SEEDS,
    ".github/workflows/ci.yml": (GITHUB_SEED,), "deploy/.github/workflows/cd.yaml": (GITHUB_SEED,),
    ".gitlab-ci.yml": (GITLAB_SEED,), "ci/deploy.gitlab-ci.yml": (GITLAB_SEED,),
    "azure-pipelines.yml": (AZURE_SEED,), "pipelines/templates/build.yaml": (AZURE_SEED,),
    "bitbucket-pipelines.yml": (BITBUCKET_SEED,), ".circleci/config.yml": (CIRCLECI_SEED,),
    "k8s/overlays/prod/kustomization.yaml": (KUSTOMIZATION_SEED,), "charts/web/Chart.yaml": (CHART_SEED,),
    "charts/web/values.yaml": (VALUES_SEED,), "charts/web/templates/deployment.yaml": (TEMPLATE_SEED,),
}
OTHER_PATHS = {
    "main.tf": HCL_SEEDS, "envs/prod/network.tofu": HCL_SEEDS, "terraform.tfvars": TFVARS_SEEDS,
    "envs/prod.auto.tfvars": TFVARS_SEEDS, "envs/prod.tfvars.json": TFVARS_JSON_SEEDS,
    "Dockerfile": DOCKERFILE_SEEDS, "services/api/Dockerfile.prod": DOCKERFILE_SEEDS,
    "build/app.containerfile": DOCKERFILE_SEEDS, "Jenkinsfile": JENKINS_SEEDS, "ci/deploy.jenkinsfile": JENKINS_SEEDS,
}
ALL_PATHS = {**YAML_PATHS, **OTHER_PATHS}


def test_every_seed_is_read_by_the_collector_of_its_path() -> None:
    """The seeds are valid: the fuzzing starts from input each collector really parses."""
    for path, seeds in ALL_PATHS.items():
        module = collector_for(path)
        for seed in seeds:
            facts, diagnostics = check_collect(module, path, seed)
            errors = [d for d in diagnostics if d.severity.value == "error"]
            assert not errors, (path, errors)
            if module is not yaml_files or "/templates/" not in path and "Chart" not in path and "values" not in path \
                    and "kustomization" not in path:
                assert facts, (path, seed[:60])


# ----------------------------------------------------------------------------------------------
# Strategies: arbitrary text, mutations, YAML structures
# ----------------------------------------------------------------------------------------------

# Any character but surrogates (no decoded file holds one); weighted towards what parsers care about.
ANY_CHAR = st.characters(exclude_categories=["Cs"])
WEIRD = ("\x00", "\t", "\r", "\r\n", "\n", "\ufeff", "\u202e", "\u200b", "\u0301", "\uffff", "\U0010ffff", "\u2028",
         "\u0085", "\x0b", "\x0c", "\x1b[31m", "é", "한", "𝔘", "\\", '"', "'", "`", "{", "}", "[", "]", "(", ")", "$",
         "${", "%{", "{{", "}}", "{{-", "-}}", "<<", "<<EOT", "EOT", ":", ": ", "- ", "---", "...", "#", "//", "/*",
         "*/", "&a", "*a", "!!", "!Ref", "|", ">", "%", "@", "=", "==", ",", ";", "?", "~", "\\\n", "=>", "...",
         "null", "true", "0x", "1e999", "-", "9" * 30)
NESTERS = ("[", "{", "(", "{{", "${", "[[", "- ", "  ", "a:\n" + " ", "{a: ", "f(", "stage('x') {", "x = [", "$(")


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[str, ...]) -> str:
    """A seed with a few random edits: most results are 'almost valid', the hardest input for a parser."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(("insert", "insert", "delete", "duplicate", "line_dup", "line_del", "line_swap",
                                   "nest", "long", "crlf", "tabs", "bom", "truncate", "junk")))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(WEIRD), st.text(ANY_CHAR, min_size=1, max_size=4)))
            text = text[:pos] + piece + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
        elif op == "duplicate":
            end = min(len(text), pos + draw(st.integers(1, 80)))
            text = text[:end] + text[pos:end] * draw(st.integers(1, 30)) + text[end:]
        elif op in ("line_dup", "line_del", "line_swap"):
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "line_dup":
                lines[i:i] = [lines[i]] * draw(st.integers(1, 50))
            elif op == "line_del":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == "nest":
            opener = draw(st.sampled_from(NESTERS))
            depth = draw(st.integers(10, 400))
            closer = {"[": "]", "{": "}", "(": ")", "{{": "}}", "${": "}", "[[": "]]", "{a: ": "}", "f(": ")",
                      "stage('x') {": "}", "x = [": "]", "$(": ")"}.get(opener, "")
            balanced = draw(st.booleans())
            text = text[:pos] + opener * depth + (closer * depth if balanced else "") + text[pos:]
        elif op == "long":
            text = text[:pos] + draw(st.sampled_from(("x", "a ", "\\", "{", "é", "#"))) * draw(st.integers(1000, 60_000)) + text[pos:]
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        elif op == "tabs":
            text = text.replace("  ", "\t")
        elif op == "bom":
            text = "\ufeff" + text
        elif op == "truncate":
            text = text[:pos]
        else:
            text = text[:pos] + draw(st.text(ANY_CHAR, max_size=200)) + text[pos:]
    return text


def texts_for(path: str) -> st.SearchStrategy[str]:
    return mutated(ALL_PATHS[path])


YAML_KEYS = ("on", "jobs", "steps", "run", "uses", "with", "needs", "runs-on", "environment", "strategy", "matrix",
             "name", "image", "script", "stage", "stages", "include", "extends", "rules", "only", "trigger", "pool",
             "job", "deployment", "task", "inputs", "template", "parameters", "variables", "pipelines", "default",
             "branches", "step", "parallel", "services", "workflows", "version", "orbs", "docker", "command",
             "apiVersion", "kind", "metadata", "spec", "containers", "ports", "env", "replicas", "selector", "items",
             "namespace", "labels", "annotations", "when", "push", "resources", "bases", "components", "patches",
             "images", "dependencies", "condition", "dependsOn", "<<", "data", "hosts", "tls", "http", "paths")
YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), st.text(ANY_CHAR, max_size=12),
    st.sampled_from(YAML_KEYS),
    st.sampled_from(("docker build -t r.io/a:1 .", "docker push r.io/a:1", "kubectl apply -f x", "helm upgrade --install a b",
                     "terraform apply", "main", "apps/v1", "v1", "Deployment", "Service", "Ingress", "List", "Kustomization",
                     "ubuntu-latest", "Docker@2", "KubernetesManifest@1", "$(x)", "${{ x }}", "${X}", "../..", "/etc/passwd")))
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(YAML_KEYS), st.text(max_size=6), st.integers(0, 3)),
                                               children, max_size=5)),
    max_leaves=30)
YAML_DOCS = st.dictionaries(st.sampled_from(YAML_KEYS), YAML_VALUES, max_size=7)


def dump_yaml(docs: list[Any]) -> str:
    return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)


# ----------------------------------------------------------------------------------------------
# 1. Every collector, one file at a time
# ----------------------------------------------------------------------------------------------


@fuzz_settings(300)
@given(path=st.sampled_from(sorted(ALL_PATHS)), text=st.text(ANY_CHAR, max_size=3000))
def test_collectors_survive_arbitrary_text(path: str, text: str) -> None:
    with new_crashes_only():
        check_collect(collector_for(path), path, text)


@fuzz_settings(400)
@given(path=st.sampled_from(sorted(p for p in ALL_PATHS if p.endswith((".tf", ".tofu", ".tfvars")))), data=st.data())
def test_hcl_collectors_survive_mutated_snippets(path: str, data: st.DataObject) -> None:
    text = data.draw(texts_for(path))
    with new_crashes_only():
        check_collect(collector_for(path), path, text)


@fuzz_settings(100)
@given(data=st.data())
def test_tfvars_json_survives_mutated_snippets(data: st.DataObject) -> None:
    path = "envs/prod.tfvars.json"
    text = data.draw(texts_for(path))
    with new_crashes_only():
        check_collect(tfvars, path, text)


@fuzz_settings(500)
@given(path=st.sampled_from(sorted(YAML_PATHS)), data=st.data())
def test_yaml_collector_survives_mutated_snippets(path: str, data: st.DataObject) -> None:
    text = data.draw(texts_for(path))
    with new_crashes_only():
        check_collect(yaml_files, path, text)


@fuzz_settings(300)
@given(path=st.sampled_from(sorted(YAML_PATHS)), docs=st.lists(YAML_DOCS, min_size=1, max_size=3))
def test_yaml_collector_survives_random_structures(path: str, docs: list[Any]) -> None:
    """Well-formed YAML of any shape at Kubernetes and CI paths: type confusion, not syntax."""
    with new_crashes_only():
        check_collect(yaml_files, path, dump_yaml(docs))


@fuzz_settings(400)
@given(path=st.sampled_from(sorted(p for p in OTHER_PATHS if dockerfile.matches(p) or jenkinsfile.matches(p))),
       data=st.data())
def test_dockerfile_and_jenkinsfile_survive_mutated_snippets(path: str, data: st.DataObject) -> None:
    text = data.draw(texts_for(path))
    with new_crashes_only():
        check_collect(collector_for(path), path, text)


# ----------------------------------------------------------------------------------------------
# 2. Whole scans of random small trees
# ----------------------------------------------------------------------------------------------

TREE_PATHS = sorted(ALL_PATHS) + ["charts/web/templates/_helpers.tpl", "k8s/base/kustomization.yaml",
                                  "k8s/base/deployment.yaml", "k8s/overlays/prod/deployment.yaml"]
_TREE_SEEDS = {"charts/web/templates/_helpers.tpl": (HELPERS_SEED,), "k8s/base/kustomization.yaml": (
    "resources: [deployment.yaml]\ncommonLabels: {app: web}\n",), "k8s/base/deployment.yaml": K8S_SEEDS,
    "k8s/overlays/prod/deployment.yaml": K8S_SEEDS}


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str | bytes]:
    paths = draw(st.lists(st.sampled_from(TREE_PATHS), min_size=1, max_size=7, unique=True))
    out: dict[str, str | bytes] = {}
    for path in paths:
        seeds = ALL_PATHS.get(path) or _TREE_SEEDS[path]
        kind = draw(st.sampled_from(("seed", "mutated", "mutated", "text", "bytes")))
        if kind == "seed":
            out[path] = draw(st.sampled_from(seeds))
        elif kind == "mutated":
            out[path] = draw(mutated(seeds))
        elif kind == "text":
            out[path] = draw(st.text(ANY_CHAR, max_size=500))
        elif draw(st.booleans()):
            out[path] = draw(st.binary(max_size=300))
        else:  # a seed in another encoding: UTF-16/32 with or without BOM, UTF-8 with BOM, a legacy code page
            encoding = draw(st.sampled_from(("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32", "cp949", "latin-1")))
            out[path] = draw(st.sampled_from(seeds)).encode(encoding, "replace")
    return out


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


def check_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.loc.line >= 0, diagnostic
        assert not diagnostic.loc.path.startswith("/") and ".." not in diagnostic.loc.path.split("/"), diagnostic
        # The scan survives our own bugs (isolated per file, overlay, chart, deployment and view); fuzzing must
        # still find them.
        assert not diagnostic.message.startswith("internal error"), diagnostic
        str(diagnostic)


@fuzz_settings(250)
@given(files=trees())
def test_scan_and_analyze_of_random_trees_never_raise(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="archinfer-fuzz-") as tmp, helm_sdk_off():
        root = Path(tmp) / "repo"
        root.mkdir()
        write_tree(root, files)
        with new_crashes_only():
            collected = timed(lambda: scan.collect(root))
        check_diagnostics(collected.diagnostics)
        assert {r.path for r in collected.files} <= set(files)
        with new_crashes_only():
            analysis = timed(lambda: scan.analyze(root, "en"))
        check_diagnostics(analysis.diagnostics)


# ----------------------------------------------------------------------------------------------
# 3. The nasty corpus, end to end through the CLI
# ----------------------------------------------------------------------------------------------


def _deep_yaml(root: Path) -> None:
    """A 200-level nested YAML mapping, block style (about 40 KB: generated, not committed)."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: deep", "data:"]
    lines += ["  " * (i + 1) + f"k{i}:" for i in range(200)] + ["  " * 201 + "leaf"]
    (root / "k8s").mkdir(exist_ok=True)
    (root / "k8s" / "deep.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _utf16(root: Path) -> None:
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: utf16-web\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: web\n          image: nginx:1.27\n")
    (root / "k8s").mkdir(exist_ok=True)
    (root / "k8s" / "utf16.yaml").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def _invalid_utf8(root: Path) -> None:
    (root / "bad").mkdir(exist_ok=True)
    (root / "bad" / "latin1.tf").write_bytes('variable "café" {\n  default = "crème"\n}\n'.encode("latin-1"))


def _nul_main_tf(root: Path) -> None:
    (root / "bad").mkdir(exist_ok=True)
    (root / "bad" / "main.tf").write_bytes(b'resource "a" "b" {\n  name = "x\x00\x00\x00"\n}\n\x00\x01\x02')


def _six_megabytes(root: Path) -> None:
    (root / "bad").mkdir(exist_ok=True)
    line = b'# ' + b"x" * 1000 + b"\n"
    (root / "bad" / "big.tf").write_bytes(line * (6 * 1024 * 1024 // len(line) + 1))


def _symlink_loop(root: Path) -> None:
    os.symlink("loop.tf", root / "loop.tf")
    os.symlink("b.yaml", root / "a.yaml")
    os.symlink("a.yaml", root / "b.yaml")
    os.symlink(".", root / "self")  # a folder that contains itself


def _symlink_etc(root: Path) -> None:
    os.symlink("/etc", root / "etc")
    os.symlink("/etc/passwd", root / "passwd.yaml")
    os.symlink("/etc/hostname", root / "hostname.tf")
    (root / "links").mkdir()
    (root / "links" / "kustomization.yaml").write_text(
        "resources:\n  - ../etc/passwd\n  - ../passwd.yaml\n  - ../etc\n", encoding="utf-8")


def _fifo(root: Path) -> None:
    (root / "bad").mkdir(exist_ok=True)
    os.mkfifo(root / "bad" / "pipe.tf")
    os.mkfifo(root / "bad" / "pipe.yaml")
    os.mkfifo(root / "Dockerfile")


def _unreadable(root: Path) -> None:
    (root / "bad").mkdir(exist_ok=True)
    path = root / "bad" / "secret.tf"
    path.write_text('variable "x" {}\n', encoding="utf-8")
    path.chmod(0)


@dataclass(frozen=True)
class Case:
    """A nasty case: files from tests/nasty/<name>/ and/or generated ones, and what stderr must name."""

    named: tuple[str, ...] = ()  # paths a printed (warning or error) diagnostic must name
    generate: Callable[[Path], None] | None = None
    shown: tuple[str, ...] = ()  # text the document must show besides the good file's facts
    hidden: tuple[str, ...] = ("root:x:0:0", "hunter2")  # never in stdout or stderr (/etc/passwd, secrets)
    needs_non_root: bool = False
    bug: str | None = None  # an open bug makes this case fail: xfail(strict) with this reason


CASES: dict[str, Case] = {
    "hcl_unclosed": Case(named=("bad/unclosed.tf",)),
    "hcl_stray_brace": Case(named=("bad/stray.tf",)),
    "hcl_deep_list": Case(named=("bad/deep.tf",)),
    "yaml_broken": Case(named=("k8s/broken.yaml",)),
    "yaml_alias_bomb": Case(named=("k8s/bomb.yaml",)),
    "yaml_deep_mapping": Case(generate=_deep_yaml),
    "kustomize_cycle": Case(named=("kustomize/kustomization.yaml",), shown=("cyclic-web",)),
    "helm_dep_outside": Case(),
    "helm_go_syntax": Case(),
    "dockerfile_continuations": Case(named=("docker/Dockerfile",)),
    "jenkinsfile_unbalanced": Case(named=("ci/Jenkinsfile",)),
    "tfvars_json_list": Case(named=("bad/list.tfvars.json",)),
    "utf16_bom": Case(generate=_utf16, shown=("utf16-web",)),
    "invalid_utf8": Case(named=("bad/latin1.tf",), generate=_invalid_utf8),
    "nul_bytes_main_tf": Case(named=("bad/main.tf",), generate=_nul_main_tf),
    "six_megabytes": Case(named=("bad/big.tf",), generate=_six_megabytes),
    "symlink_loop": Case(generate=_symlink_loop),
    "symlink_to_etc": Case(named=("links/kustomization.yaml",), generate=_symlink_etc),
    "fifo": Case(named=("bad/pipe.tf", "bad/pipe.yaml", "Dockerfile"), generate=_fifo),
    "unreadable": Case(named=("bad/secret.tf",), generate=_unreadable, needs_non_root=True),
}


def build_case(root: Path, name: str) -> Case:
    case = CASES.get(name, Case())
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(NASTY / "_good" / "main.tf", root / "main.tf")
    if (NASTY / name).is_dir():
        shutil.copytree(NASTY / name, root, dirs_exist_ok=True)
    if case.generate is not None:
        case.generate(root)
    return case


def invoke(args: list[str], stop: float = HARD_STOP) -> Any:
    with hard_stop(stop):
        return runner.invoke(app, args)


def assert_clean_exit(result: Any, codes: tuple[int, ...] = (0,)) -> None:
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"crashed: {exc!r}\n{result.stderr}"
    assert result.exit_code in codes, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr, result.stderr


def test_nasty_corpus_has_every_case() -> None:
    """Every folder in tests/nasty/ is a case of the end-to-end test (or the shared good file, or secrets)."""
    folders = {p.name for p in NASTY.iterdir() if p.is_dir()}
    assert folders - {"_good", "secrets"} <= set(CASES), folders - set(CASES)
    assert all(f.stat().st_size < 8192 for f in NASTY.rglob("*") if f.is_file()), "corpus files stay small"


@pytest.mark.parametrize("name", sorted(CASES))
def test_nasty_case_end_to_end(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    root = tmp_path / "repo"
    case = build_case(root, name)
    if case.bug:
        request.applymarker(pytest.mark.xfail(strict=True, reason=case.bug))
    if case.needs_non_root and os.access(root / case.named[0], os.R_OK):
        pytest.skip("running as root: a chmod 0 file is still readable")
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"])
    assert_clean_exit(result)
    assert GOOD_MARK in result.stdout, "the good file's facts are missing"
    for text in case.shown:
        assert text in result.stdout, text
    for path in case.named:
        assert f"{path}:" in result.stderr or f"{path} " in result.stderr, f"no diagnostic names {path}:\n{result.stderr}"
    for text in case.hidden:
        assert text not in result.stdout and text not in result.stderr, text


def test_broken_helm_template_is_named_on_stderr(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "helm_go_syntax")
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"], stop=25)  # the Helm SDK runs here
    assert_clean_exit(result)
    assert "gochart/templates/deploy.yaml" in result.stderr, result.stderr


def _whole_corpus(root: Path) -> list[str]:
    """Every case in its own folder under `root`, one good file at the top; the paths diagnostics must name."""
    root.mkdir()
    shutil.copy(NASTY / "_good" / "main.tf", root / "main.tf")
    named: list[str] = []
    for name, case in CASES.items():
        if case.needs_non_root:
            continue
        build_case(root / name, name)
        (root / name / "main.tf").unlink()  # one good file, at the top
        named += [f"{name}/{p}" for p in case.named]
    return named


CORPUS_SECONDS = 30
CORPUS_MEGABYTES = 500
_MEASURED_SCAN = """
import resource, sys
from archinfer.cli import main
try:
    sys.argv = ["archinfer", "scan", sys.argv[1], "-o", "-", "--lang", "en"]
    main()
finally:
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"archinfer-test-peak-kb={peak}", file=sys.stderr)
"""


def test_the_whole_corpus_within_time_and_memory_bounds(tmp_path: Path) -> None:
    """The corpus scanned by a fresh process (so its peak memory is the scan's own): under 30 s and 500 MB."""
    import subprocess
    import sys

    root = tmp_path / "repo"
    named = _whole_corpus(root)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED_SCAN, str(root)], capture_output=True, text=True,
                            timeout=CORPUS_SECONDS, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-2000:]
    peak_kb = int(result.stderr.rsplit("archinfer-test-peak-kb=", 1)[1].split()[0])
    assert elapsed < CORPUS_SECONDS and peak_kb < CORPUS_MEGABYTES * 1024, (elapsed, peak_kb)
    assert GOOD_MARK in result.stdout and not [p for p in named if p not in result.stderr]


def test_the_whole_corpus_in_one_tree_and_strict(tmp_path: Path) -> None:
    """All cases side by side (each in its own folder): exit 0, every bad file named; --strict: exit 1."""
    root = tmp_path / "repo"
    named = _whole_corpus(root)
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"], stop=30)
    assert_clean_exit(result)
    assert GOOD_MARK in result.stdout and "utf16-web" in result.stdout
    missing = [p for p in named if p not in result.stderr]
    assert not missing, missing
    strict = invoke(["scan", str(root), "-o", "-", "--lang", "en", "--strict"], stop=30)
    assert_clean_exit(strict, codes=(1,))
    assert GOOD_MARK in strict.stdout


def test_links_are_never_followed_into_or_out_of_the_tree(tmp_path: Path) -> None:
    """A link to /etc, a link to the tree itself and link loops: the walk lists links, never what is behind them."""
    root = tmp_path / "repo"
    build_case(root, "symlink_to_etc")
    _symlink_loop(root)
    paths = scan.walk(root)
    assert not [p for p in paths if p.startswith(("etc/", "self/"))], paths
    collected = timed(lambda: scan.collect(root))
    assert all(f.loc.path not in ("passwd.yaml", "hostname.tf", "loop.tf", "a.yaml") for f in collected.facts)
    skipped = {d.loc.path for d in collected.diagnostics if "link" in d.message}
    assert {"passwd.yaml", "hostname.tf", "loop.tf", "a.yaml", "b.yaml"} <= skipped, skipped


def test_non_existent_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["scan", str(tmp_path / "no" / "such"), "-o", "-"])
    assert_clean_exit(result, codes=(2,))
    assert "archinfer: error:" in result.stderr and "no such" in result.stderr


def test_a_file_as_path_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    result = invoke(["scan", str(root / "main.tf"), "-o", "-"])
    assert_clean_exit(result, codes=(2,))
    assert "not a directory" in result.stderr


@pytest.mark.parametrize("command", [["scan"], ["check"], ["scan", "--format", "json"]])
def test_document_path_that_is_a_directory_is_a_clear_error(command: list[str], tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    (root / "somedir").mkdir()
    result = invoke([command[0], str(root), "-o", str(root / "somedir"), *command[1:]])
    assert_clean_exit(result, codes=(1, 2))
    assert "archinfer: error:" in result.stderr and "somedir" in result.stderr


@pytest.mark.parametrize("command", ["scan", "check"])
@pytest.mark.parametrize("content", [
    pytest.param(bytes(range(256)) * 8 + b"\x00\xff\xfe garbage", id="binary"),
    pytest.param(b"\xff\xfe" + "# Architecture\n".encode("utf-16-le"), id="utf16"),
])
def test_existing_document_that_is_not_utf8_is_a_clear_error(command: str, content: bytes, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    (root / "ARCHITECTURE.md").write_bytes(content)
    result = invoke([command, str(root)])
    assert_clean_exit(result, codes=(1, 2))
    assert "archinfer: error:" in result.stderr and "ARCHITECTURE.md" in result.stderr
    assert (root / "ARCHITECTURE.md").read_bytes() == content, "the document must be left untouched"


def test_pyproject_with_a_non_table_tool_key_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    (root / "pyproject.toml").write_text('tool = 5\n[project]\nname = "x"\n', encoding="utf-8")
    result = invoke(["scan", str(root), "-o", "-"])
    assert_clean_exit(result, codes=(0, 2))


# ----------------------------------------------------------------------------------------------
# 3b. Hangs and blow-ups that come from one small file (each under a hard stop)
# ----------------------------------------------------------------------------------------------

FIFO_CASES: dict[str, dict[str, str | None]] = {
    "kustomization": {"k/kustomization.yaml": None},
    "kustomize-resource": {"k/kustomization.yaml": "resources: [fifo.yaml]\n", "k/fifo.yaml": None},
    "helm-values": {"c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n", "c/values.yaml": None},
    "helm-template": {"c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n", "c/templates/d.yaml": None},
}


@pytest.mark.parametrize("case", sorted(FIFO_CASES))
def test_fifo_read_by_kustomize_or_helm_does_not_block(case: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel, text in FIFO_CASES[case].items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            os.mkfifo(root / rel)
        else:
            (root / rel).write_text(text, encoding="utf-8")
    with helm_sdk_off():
        collected = timed(lambda: scan.collect(root), stop=1.0)
    fifo = next(rel for rel, text in FIFO_CASES[case].items() if text is None)
    assert any(fifo in str(d) for d in collected.diagnostics)


def test_fifo_as_a_collected_file_does_not_block(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "fifo")
    collected = timed(lambda: scan.collect(root), stop=3)
    assert {"bad/pipe.tf", "bad/pipe.yaml", "Dockerfile"} <= {d.loc.path for d in collected.diagnostics}


def test_manifest_list_with_5000_items_is_read_in_time() -> None:
    items = "".join(f"  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cm-{i}\n"
                    f"    data:\n      k: v\n" for i in range(5000))
    text = "apiVersion: v1\nkind: List\nitems:\n" + items
    facts, _ = timed(lambda: yaml_files.collect("k8s/list.yaml", text), budget=4, stop=4)
    assert len(facts) == 5000


def test_manifest_list_with_300_items_end_to_end(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    items = "".join(f"  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web-{i}\n"
                    f"    spec:\n      template:\n        spec:\n          containers:\n"
                    f"            - {{name: web, image: 'nginx:{i}'}}\n" for i in range(300))
    (root / "k8s").mkdir()
    (root / "k8s" / "list.yaml").write_text("apiVersion: v1\nkind: List\nitems:\n" + items, encoding="utf-8")
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"])
    assert_clean_exit(result)
    assert "web-299" in result.stdout and GOOD_MARK in result.stdout


def _chart(root: Path, files: dict[str, str]) -> tuple[helm.HelmChart, Callable[[str], str]]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    read_text = scan.reader(root, scan.Limits())
    values = read_text("c/values.yaml") if "c/values.yaml" in files else None
    chart, diagnostics = helm.chart_from("c/Chart.yaml", read_text("c/Chart.yaml"), values, sorted(files))
    assert chart is not None, diagnostics
    return chart, read_text


CHART = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n"


@pytest.mark.parametrize("values,template", [
    pytest.param("a: &a [*a]\n", DEPLOY, id="recursive-list-alias"),
    pytest.param("a: &a {b: *a}\n", DEPLOY, id="recursive-map-alias"),
    pytest.param("a: '{{ tpl .Values.a . }}'\n", "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: {{ tpl .Values.a . }}\n",
                 id="tpl-self-reference"),
    pytest.param("a: 1\n", "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: {{ " + "(" * 3000 + ".Values.a"
                 + ")" * 3000 + " }}\n", id="deep-parentheses"),
    pytest.param("replicaCount: 0x" + "f" * 4000 + "\n", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
                 "spec:\n  replicas: {{ .Values.replicaCount }}\n", id="huge-hex-int"),
    pytest.param("name: web\n", "{{ if .Values.a }}" * 2000 + "{{ end }}" * 2000 + "\n" + DEPLOY, id="deep-if"),
    pytest.param("name: web\n", "{{- define \"a\" -}}{{ include \"a\" . }}{{- end -}}\n" + DEPLOY.replace(
        "{{ .Values.name }}", '{{ include "a" . }}'), id="include-self"),
])
def test_static_helm_render_survives(values: str, template: str, tmp_path: Path) -> None:
    chart, read_text = _chart(tmp_path, {"c/Chart.yaml": CHART, "c/values.yaml": values, "c/templates/d.yaml": template})
    result = timed(lambda: helm.render(chart, (), read_text, tmp_path, use_sdk=False), stop=2.5)
    check_diagnostics(result.diagnostics)


@pytest.mark.parametrize("chart_text", [
    pytest.param(CHART + "dependencies:\n  - {name: x, tags: 5}\n", id="tags-not-a-list"),
    pytest.param("name: c\nversion: 0x" + "f" * 4000 + "\n", id="huge-hex-version"),
    pytest.param(CHART + "appVersion: !!bool hunter2-chart\n", id="bool-tag-secret"),  # fixed in yamlload
    pytest.param(CHART + "dependencies: [5, {name: [1]}, {name: z, condition: [1], alias: {a: 1}, version: {a: 1}}]\n",
                 id="odd-dependencies"),
])
def test_chart_yaml_never_raises(chart_text: str) -> None:
    chart, diagnostics = timed(lambda: helm.chart_from("c/Chart.yaml", chart_text, "tags: 5\n", ["c/Chart.yaml"]))
    assert all(d.loc.path == "c/Chart.yaml" or d.loc.path.startswith("c/") for d in diagnostics)


def test_templates_folder_symlinked_outside_is_not_walked(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "c").mkdir(parents=True)
    (root / "c" / "Chart.yaml").write_text(CHART, encoding="utf-8")
    os.symlink("/etc", root / "c" / "templates")
    with helm_sdk_off():
        collected = timed(lambda: scan.collect(root))
    leaked = [d for d in collected.diagnostics if "c/templates/" in str(d)]
    assert not leaked, leaked[:3]


@pytest.mark.parametrize("files", [
    pytest.param({"kustomization.yaml": "namePrefix: !!bool hunter2-kust\n"}, id="bool-tag-in-kustomization"),
    pytest.param({"kustomization.yaml": "resources: [r.yaml]\n",
                  "r.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: !!bool hunter2-res}\n"},
                 id="bool-tag-in-resource"),
    pytest.param({"kustomization.yaml": "resources: [r.yaml]\n",
                  "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: !!int ''}\n"},
                 id="empty-int-tag"),
])
def test_kustomize_build_never_raises(files: dict[str, str]) -> None:
    def read_text(rel: str) -> str:
        if rel in files:
            return files[rel]
        raise FileNotFoundError(2, "No such file or directory", rel)

    result = timed(lambda: kustomize.build(".", read_text))
    assert not any("hunter2" in str(d) for d in result.diagnostics)


def test_kustomize_cycles_and_escapes_are_diagnostics() -> None:
    files = {"a/kustomization.yaml": "resources: [../b, ., ../../x, /etc/passwd]\n",
             "b/kustomization.yaml": "resources: [../a]\ncomponents: [../a, ../../y]\n"}

    def read_text(rel: str) -> str:
        if rel in files:
            return files[rel]
        raise FileNotFoundError(2, "No such file or directory", rel)

    used = timed(lambda: kustomize.referenced_dirs(["a", "b"], read_text))
    assert used == {"a", "b"}
    result = timed(lambda: kustomize.build("a", read_text))
    messages = " | ".join(str(d) for d in result.diagnostics)
    assert "cycle" in messages and "outside the scanned folder" in messages


# Collector inputs that used to raise instead of giving a diagnostic (in a scan, _collect_file turns them
# into "internal error in ... collector", which quotes the exception: see the secrets tests).
COLLECTOR_EDGES = [
    pytest.param("main.tf", "locals {\n  n = " + "9" * 5000 + "\n}\n", "was: ValueError (more than 4300 digits) from "
                 "int() in collectors/hclparse.py:_Converter.x_int_lit", id="hcl-5000-digit-number"),
    pytest.param("prod.tfvars.json", "[" * 100_000 + "]" * 100_000, "was: RecursionError from json.loads in "
                 "collectors/tfvars.py:_from_json (only ValueError is caught in collect)", id="tfvars-json-deep"),
    pytest.param("Dockerfile", "FROM alpine\nCMD " + "[" * 100_000 + "]" * 100_000 + "\n", "was: RecursionError from "
                 "json.loads in collectors/dockerfile.py:_command (only ValueError is caught)", id="dockerfile-cmd-deep"),
]


@pytest.mark.parametrize("path,text,was", COLLECTOR_EDGES)
def test_collector_edge_cases(path: str, text: str, was: str) -> None:
    check_collect(collector_for(path), path, text)


# Manifests that parse but whose fields have the wrong type: the inference step (not guarded per file)
# raises and the whole scan ends with a traceback.
ILL_TYPED = {
    "ingress-annotations-str": ("networking.k8s.io/v1", "Ingress", "metadata: {name: web, annotations: oops}",
                                "infer/cluster.py:ingress_cells (AttributeError 'str'.get)"),
    "ingress-rule-str": ("networking.k8s.io/v1", "Ingress", "metadata: {name: web}\nspec: {rules: [oops]}",
                         "infer/cluster.py:ingress_cells (AttributeError)"),
    "ingress-path-str": ("networking.k8s.io/v1", "Ingress", "metadata: {name: web}\nspec: {rules: [{http: {paths: [/x]}}]}",
                         "infer/cluster.py:ingress_cells (AttributeError)"),
    "ingress-tls-number": ("networking.k8s.io/v1", "Ingress", "metadata: {name: web}\nspec: {tls: 1.5}",
                           "infer/cluster.py:ingress_cells (TypeError not iterable)"),
    "hpa-metric-int": ("autoscaling/v2", "HorizontalPodAutoscaler", "metadata: {name: web}\nspec: {metrics: [5]}",
                       "infer/cluster.py:_metrics (AttributeError)"),
    "hpa-metrics-number": ("autoscaling/v2", "HorizontalPodAutoscaler", "metadata: {name: web}\nspec: {metrics: 1.5}",
                           "infer/cluster.py:_metrics (TypeError)"),
    "namespace-labels-list": ("v1", "Namespace", "metadata: {name: web, labels: [a]}",
                              "infer/cluster.py:mesh_cells (AttributeError)"),
    "annotations-list": ("v1", "ConfigMap", "metadata: {name: web, annotations: [a]}",
                         "infer/cluster.py:mesh_cells (AttributeError)"),
    "virtualservice-retries-int": ("networking.istio.io/v1", "VirtualService", "metadata: {name: web}\nspec: {http: [{retries: 5}]}",
                                   "infer/quality.py:resilience (AttributeError)"),
    "container-resources-str": ("apps/v1", "Deployment", "metadata: {name: web}\nspec: {template: {spec: {containers: "
                                "[{name: a, image: x, resources: oops}]}}}",
                                "infer/kubernetes.py:_container (AttributeError: resources.get)"),
    "container-limits-str": ("apps/v1", "Deployment", "metadata: {name: web}\nspec: {template: {spec: {containers: "
                             "[{name: a, image: x, resources: {limits: oops}}]}}}",
                             "infer/kubernetes.py:_container (AttributeError: limits.items)"),
    "pod-labels-list": ("apps/v1", "Deployment", "metadata: {name: web}\nspec: {template: {metadata: {labels: [a]}, "
                        "spec: {containers: [{name: a, image: x}]}}}",
                        "infer/kubernetes.py:workloads (AttributeError: 'list'.items on the pod template's labels)"),
    "argocd-source-str": ("argoproj.io/v1alpha1", "Application", "metadata: {name: web}\nspec: {source: oops}",
                          "infer/devops.py:cd (AttributeError)"),
    "secretproviderclass-parameters-str": ("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass",
                                           "metadata: {name: web}\nspec: {parameters: oops}",
                                           "infer/cluster.py:secret_store_cells (AttributeError)"),
    "resourcequota-hard-str": ("v1", "ResourceQuota", "metadata: {name: web}\nspec: {hard: oops}",
                               "infer/cluster.py:resource_management_cells (AttributeError)"),
    "scaledobject-triggers-str": ("keda.sh/v1alpha1", "ScaledObject", "metadata: {name: web}\nspec: {triggers: oops}",
                                  "infer/cluster.py (AttributeError in a generator)"),
    "replicas-huge-hex": ("apps/v1", "Deployment", "metadata: {name: web}\nspec:\n  replicas: 0x" + "f" * 4000 +
                          "\n  template: {spec: {containers: [{name: a, image: x}]}}",
                          "infer/cluster.py:workload_table (ValueError: int too large for str(), f-string)"),
}
WELL_HANDLED = {
    "containers-str": ("apps/v1", "Deployment", "metadata: {name: web}\nspec: {template: {spec: {containers: oops}}}"),
    "spec-list": ("apps/v1", "Deployment", "metadata: {name: web}\nspec: [1]"),
    "service-ports-str": ("v1", "Service", "metadata: {name: web}\nspec: {ports: oops, selector: oops}"),
    "networkpolicy-str": ("networking.k8s.io/v1", "NetworkPolicy", "metadata: {name: web}\nspec: {podSelector: oops, ingress: oops}"),
    "list-items-str": ("v1", "List", "items: oops"),
    "recursive-alias": ("v1", "ConfigMap", "metadata: &m\n  name: x\n  self: *m\ndata: &d {a: *d}"),
}


def _analyze_manifest(tmp_path: Path, api: str, kind: str, body: str) -> None:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "k8s" / "object.yaml").write_text(f"apiVersion: {api}\nkind: {kind}\n{body}\n", encoding="utf-8")
    with helm_sdk_off():
        analysis = timed(lambda: scan.analyze(root, "en"))
    check_diagnostics(analysis.diagnostics)


@pytest.mark.parametrize("name", sorted(ILL_TYPED))
def test_ill_typed_manifest_does_not_end_the_scan(name: str, tmp_path: Path) -> None:
    api, kind, body, where = ILL_TYPED[name]  # `where` says where it used to crash
    _analyze_manifest(tmp_path, api, kind, body)


@pytest.mark.parametrize("name", sorted(WELL_HANDLED))
def test_ill_typed_manifest_already_handled(name: str, tmp_path: Path) -> None:
    _analyze_manifest(tmp_path, *WELL_HANDLED[name])


# Terraform expressions a few bytes long that evaluate to something enormous.
HCL_BOMBS = {
    "nested-for": "[for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]]",
    "format-width": 'format("%40000000d", 1)',
    "format-precision": 'format("%.40000000f", 1)',
    "indent-width": 'indent(40000000, "a\\nb")',
    "doubling-templates": '{ for i in range(1024) : i => "${i}${i}" }',
    "int-too-long-for-str": "1" + "0" * 3000 + " * 1" + "0" * 3000,
}
DOUBLING = "".join(f'locals {{\n  d{i + 1} = "${{local.d{i}}}${{local.d{i}}}"\n}}\n' for i in range(40))


@pytest.mark.parametrize("name", sorted(HCL_BOMBS))
def test_terraform_expression_bombs_are_bounded(name: str, tmp_path: Path) -> None:
    expr = HCL_BOMBS[name]
    _analyze_bomb(tmp_path, f'locals {{\n  bomb = {expr}\n}}\n')


@pytest.mark.parametrize("extra", [
    pytest.param('locals {\n  d0 = "ab"\n  bomb = local.d40\n}\n' + DOUBLING, id="string-doubling-through-locals"),
    pytest.param('locals {\n  bomb = "x"\n}\nresource "azurerm_redis_cache" "many" {\n  count = 1000000000\n'
                 '  name = "r-${count.index}"\n}\n', id="count-of-a-billion"),
])
def test_terraform_blowups_through_locals_and_count(extra: str, tmp_path: Path) -> None:
    _analyze_bomb(tmp_path, extra)


def _analyze_bomb(tmp_path: Path, text: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(
        'provider "azurerm" {\n  features {}\n}\n' + text +
        'resource "azurerm_redis_cache" "c" {\n  name = "redis-demo"\n  capacity = length(local.bomb)\n'
        '  sku_name = local.bomb\n}\n', encoding="utf-8")
    analysis = timed(lambda: scan.analyze(root, "en"), stop=2.5)
    check_diagnostics(analysis.diagnostics)
    assert any("redis-demo" in str(view) for view in analysis.views.values())


# ----------------------------------------------------------------------------------------------
# 4. Secrets in broken files are never printed
# ----------------------------------------------------------------------------------------------


def test_secrets_in_broken_files_are_not_printed(tmp_path: Path) -> None:
    """The corpus' secrets/ files: a YAML tag that does not fit a secret, a tfvars broken after a secret
    literal, an HCL error on the line holding a secret."""
    root = tmp_path / "repo"
    build_case(root, "secrets")
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"])
    assert_clean_exit(result)
    for path in ("secret/values.yaml", "secret/terraform.tfvars", "secret/main.tf:3"):
        assert path in result.stderr, result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    assert GOOD_MARK in result.stdout


SECRET_LEAKS = {
    "yaml-bool-tag": ("secret/values.yaml", "password: !!bool hunter2-bool\n",
                      "yamlload.load_documents lets KeyError('hunter2-bool') out; scan._collect_file prints "
                      "'internal error in yaml collector: KeyError('hunter2-bool')' on stderr and in the document"),
    "hcl-single-quotes": ("secret/main.tf", "resource \"a\" \"b\" {\n  secret = 'hunter2-sq'\n}\n",
                          "hclparse._describe quotes up to 40 characters of the unexpected token"),
    "tfvars-single-quotes": ("secret/prod.tfvars", "db_password = 'hunter2-sq'\n",
                             "hclparse._describe quotes the unexpected token"),
    "hcl-unclosed-heredoc": ("secret/main.tf", 'locals {\n  key = <<EOT\nhunter2-heredoc\n}\n',
                             "hclparse._describe quotes the unexpected heredoc token"),
    "hcl-template-directive": ("secret/main.tf", 'locals {\n  key = "%{ hunter2tpl }"\n}\n',
                               "hclparse._describe quotes the unexpected token"),
    "kustomize-bool-tag": ("secret/kustomization.yaml", "namePrefix: !!bool hunter2-kust\n",
                           "kustomize.build raises KeyError('hunter2-kust') out of scan.collect (traceback)"),
}


STILL_LEAKING: set[str] = set()  # all fixed: parse errors no longer quote input, tag errors are caught in yamlload


@pytest.mark.parametrize("name", sorted(SECRET_LEAKS))
def test_secret_is_not_printed(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    path, text, where = SECRET_LEAKS[name]
    if name in STILL_LEAKING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"BUG: secret printed: {where}"))
    root = tmp_path / "repo"
    build_case(root, "hcl_unclosed")
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    result = invoke(["scan", str(root), "-o", "-", "--lang", "en"])
    shown = result.stdout + result.stderr + repr(result.exception)
    assert "hunter2" not in shown
    assert_clean_exit(result)
    assert path in result.stderr


@pytest.mark.parametrize("files", [
    pytest.param({"main.tf": 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "c" {\n'
                             '  name = "redis-demo"\n  capacity = ' + "1" + "0" * 3000 + " * 1" + "0" * 3000 + "\n}\n"},
                 id="terraform-product"),
    pytest.param({"k8s/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: 0x" + "f" * 4000 + "\n"
                                "spec:\n  replicas: 0x" + "f" * 4000 + "\n  template: {spec: {containers: "
                                "[{name: a, image: x, ports: [{containerPort: 0x" + "f" * 4000 + "}]}]}}\n"},
                 id="manifest-fields"),
])
def test_numbers_too_long_to_print_in_every_output(files: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for args in (["scan", str(root), "-o", "-"], ["scan", str(root), "--format", "json"]):
        result = invoke(args)
        assert_clean_exit(result)
