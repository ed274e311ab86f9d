"""CI/CD collectors: GitHub Actions, GitLab CI, Azure Pipelines, Bitbucket, CircleCI, Jenkins, and the classifier."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archinfer.collectors import (azure_pipelines, bitbucket_pipelines, circleci, github_actions, gitlab_ci,
                                  jenkinsfile)
from archinfer.collectors.cimodel import (KIND_PIPELINE, CiJob, CiPipeline, StepKind, classify_command, redact,
                                          script_lines)
from archinfer.collectors.yamlload import load_documents
from archinfer.model import Severity

B, T, S, P, D, I, L, O = (StepKind.BUILD, StepKind.TEST, StepKind.SCAN, StepKind.PUSH,
                          StepKind.DEPLOY, StepKind.INFRA, StepKind.LOGIN, StepKind.OTHER)
YAML_FORMATS = (github_actions, gitlab_ci, azure_pipelines, bitbucket_pipelines, circleci)


def pipeline(module: Any, path: str, text: str) -> CiPipeline:
    """The one pipeline a YAML format reads from `text` (dedented), with no diagnostics."""
    found = module.from_yaml(path, load_documents(dedent(text)))
    assert found is not None, f"{module.NAME} did not recognise {path}"
    facts, diagnostics = found
    assert diagnostics == [] and len(facts) == 1 and facts[0].kind == KIND_PIPELINE
    assert facts[0].loc.path == path
    data = facts[0].data
    assert isinstance(data, CiPipeline)
    return data


def job(p: CiPipeline, name: str) -> CiJob:
    return next(j for j in p.jobs if j.name == name)


def steps(j: CiJob) -> list[tuple[int, tuple[StepKind, ...], str]]:
    return [(s.line, s.kinds, s.tool) for s in j.steps]


# ---------------------------------------------------------------------------------------------
# The classifier

@pytest.mark.parametrize("command, kinds, tool", [
    ("docker build -t x .", (B,), "docker"),
    ("docker push x", (P,), "docker"),
    ("docker buildx build --push -t ghcr.io/o/app:1 .", (B, P), "docker"),
    ("az acr build -r myacr -t app:1 .", (B, P), "az acr"),
    ("./gradlew build", (B,), "gradle"),
    ("gradle test", (T,), "gradle"),
    ("mvn -B package", (B,), "maven"),
    ("mvn test", (T,), "maven"),
    ("./mvnw verify", (T,), "maven"),
    ("npm ci && npm test", (T,), "npm"),
    ("npm ci", (O,), "npm"),
    ("yarn build", (B,), "yarn"),
    ("pytest", (T,), "pytest"),
    ("python -m pytest tests/", (T,), "pytest"),
    ("poetry run pytest -q", (T,), "pytest"),
    ("go test ./...", (T,), "go"),
    ("dotnet test src/cart", (T,), "dotnet"),
    ("trivy image x", (S,), "trivy"),
    ("sonar-scanner", (S,), "sonarqube"),
    ("snyk test", (S,), "snyk"),
    ("checkov -d .", (S,), "checkov"),
    ("kubectl apply -f k8s/", (D,), "kubectl"),
    ("kubectl -n prod apply -k overlays/prod", (D,), "kustomize"),
    ("kustomize build overlays/prod | kubectl apply -f -", (D,), "kustomize"),
    ("kustomize edit set image a=b:tag", (D,), "kustomize"),
    ("helm upgrade --install app ./chart -f values-prod.yaml", (D,), "helm"),
    ("argocd app sync x", (D,), "argocd"),
    ("kubectl argo rollouts promote web", (D,), "argo rollouts"),
    ("kubectl rollout undo deployment/web", (D,), "kubectl"),
    ("az aks get-credentials -g rg -n aks", (L,), "az aks"),
    ("az acr login -n myacr", (L,), "az acr"),
    ("docker login ghcr.io", (L,), "docker"),
    ("aws eks update-kubeconfig --name c", (L,), "aws eks"),
    ("gcloud container clusters get-credentials c --region r", (L,), "gcloud"),
    ("terraform apply -auto-approve", (I,), "terraform"),
    ("sudo -E terraform plan", (I,), "terraform"),
    ("git commit -am bump && git push", (O,), ""),
    ("echo hello", (O,), ""),
])
def test_classify_command(command: str, kinds: tuple[StepKind, ...], tool: str) -> None:
    assert classify_command(command) == (kinds, tool)


def test_separators_inside_quotes_and_substitutions_do_not_split() -> None:
    assert classify_command('echo "a && docker push x"') == ((O,), "")
    assert classify_command("VERSION=$(git describe | cut -c1-7) docker build -t app:$VERSION .") == ((B,), "docker")
    assert classify_command("cd app; npm run build") == ((B,), "npm")


def test_script_lines_join_continuations_and_skip_comments_and_heredocs() -> None:
    script = dedent("""\
        # build the image
        docker build \\
          -t app .
        cat <<EOF | kubectl apply -f -
        apiVersion: v1
        kind: Namespace
        EOF
        helm upgrade --install app ./chart --atomic
        """)
    assert script_lines(script) == [(1, "docker build -t app ."), (3, "cat <<EOF | kubectl apply -f -"),
                                    (7, "helm upgrade --install app ./chart --atomic")]


@pytest.mark.parametrize("text", [
    "az login --service-principal -u app-id -p supersecretvalue123 --tenant t",
    "docker login -u me -p supersecretvalue123 myacr.azurecr.io",
    "docker login --password=supersecretvalue123 ghcr.io",
    "helm upgrade app ./c --set db.password=supersecretvalue123 --set apiKey=supersecretvalue123",
    "kubectl create secret generic s --from-literal=dsn=supersecretvalue123",
    'az keyvault secret set --vault-name kv -n x --value "supersecretvalue123"',
    "git clone https://user:supersecretvalue123@github.com/o/r.git",
    'curl -H "Authorization: Bearer supersecretvalue123" https://api',
    "sonar-scanner -Dsonar.login=supersecretvalue123",
    "DB_PASSWORD=supersecretvalue123 ./migrate.sh",
    "Server=tcp:db;Password=supersecretvalue123;Encrypt=true",
    "echo ghp_abcdefghijklmnopqrstuvwxyz0123456789",
])
def test_redact_drops_values_keeps_names(text: str) -> None:
    out = redact(text)
    assert "supersecretvalue123" not in out and "ghp_abc" not in out
    assert "***" in out


def test_redact_keeps_variable_references_and_ports() -> None:
    assert redact("docker login -u $USER -p $PASS ghcr.io") == "docker login -u $USER -p $PASS ghcr.io"
    assert redact("docker login --password ${{ secrets.ACR_PASSWORD }}") == "docker login --password ${{ secrets.ACR_PASSWORD }}"
    assert redact("docker run -p 8080:80 web") == "docker run -p 8080:80 web"


# ---------------------------------------------------------------------------------------------
# GitHub Actions

WORKFLOW = """\
    name: user-service
    on:
      push:
        branches: [main]
        tags: ['v*']
      pull_request:
      workflow_dispatch:
      schedule:
        - cron: "0 3 * * *"
    env:
      REGISTRY: ghcr.io
      DB_PASSWORD: ${{ secrets.DB_PASSWORD }}
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-java@v4
            with:
              distribution: temurin
              java-version: '21'
          - name: Build and test
            run: |
              ./gradlew build
              ./gradlew test
          - uses: docker/login-action@v3
            with:
              registry: ${{ env.REGISTRY }}
              username: ${{ github.actor }}
              password: ${{ secrets.GITHUB_TOKEN }}
          - uses: docker/build-push-action@v6
            with:
              context: .
              push: true
              tags: ${{ env.REGISTRY }}/acme/user-service:${{ github.sha }}
          - uses: aquasecurity/trivy-action@0.24.0
            with:
              image-ref: ghcr.io/acme/user-service:${{ github.sha }}
      deploy-prod:
        needs: build
        runs-on: ubuntu-latest
        environment:
          name: production
          url: https://shop.example.com
        steps:
          - uses: azure/login@v2
            with:
              creds: ${{ secrets.AZURE_CREDENTIALS }}
          - uses: Azure/aks-set-context@v4
            with:
              resource-group: rg-prod
              cluster-name: aks-prod
          - run: az acr login -n acmeprod
          - name: Deploy
            run: |
              helm upgrade --install user-service ./chart \\
                -f values-prod.yaml --atomic
              kubectl rollout status deployment/user-service
      e2e:
        uses: ./.github/workflows/e2e-tests.yml
        needs: [deploy-prod]
    """


def test_github_workflow_triggers_jobs_steps_and_lines() -> None:
    p = pipeline(github_actions, "services/user/.github/workflows/ci.yml", WORKFLOW)
    assert (p.tool, p.name) == ("GitHub Actions", "user-service")
    assert p.triggers == ("push: main", "push: tags v*", "pull_request", "workflow_dispatch", "schedule")
    assert [j.name for j in p.jobs] == ["build", "deploy-prod", "e2e"]
    assert steps(job(p, "build")) == [
        (17, (O,), "actions/checkout@v4"),
        (18, (O,), "Java"),
        (24, (B,), "gradle"),
        (25, (T,), "gradle"),
        (26, (L,), "docker/login-action@v3"),
        (31, (B, P), "docker/build-push-action@v6"),
        (36, (S,), "aquasecurity/trivy-action@0.24.0"),
    ]
    assert "java-version 21" in job(p, "build").steps[1].detail
    deploy = job(p, "deploy-prod")
    assert (deploy.line, deploy.environment, deploy.needs, deploy.manual) == (39, "production", ("build",), False)
    assert steps(deploy) == [(46, (L,), "azure/login@v2"), (49, (L,), "Azure/aks-set-context@v4"),
                             (53, (L,), "az acr"), (56, (D,), "helm"), (58, (O,), "kubectl")]
    helm = deploy.steps[3]
    assert "--atomic" in helm.detail and "rollback" in helm.detail
    assert job(p, "e2e").needs == ("deploy-prod",)
    assert steps(job(p, "e2e")) == [(60, (T,), "./.github/workflows/e2e-tests.yml")]
    assert p.registries == ("acmeprod.azurecr.io", "ghcr.io")


def test_github_environment_from_job_name_and_manual_approval_action() -> None:
    p = pipeline(github_actions, ".github/workflows/cd.yaml", """\
        on: workflow_dispatch
        jobs:
          deploy-staging:
            runs-on: ubuntu-latest
            steps:
              - uses: trstringer/manual-approval@v1
              - run: kubectl apply -k overlays/staging
          lint:
            runs-on: ubuntu-latest
            steps:
              - name: Lint
                run: echo linting
        """)
    deploy = job(p, "deploy-staging")
    assert (deploy.environment, deploy.manual) == ("staging", True)
    assert steps(deploy)[1] == (7, (D,), "kustomize")
    assert job(p, "lint").environment is None
    assert [(s.tool, s.detail, s.kinds) for s in job(p, "lint").steps] == [("shell", "Lint", (O,))]
    assert p.triggers == ("workflow_dispatch",)


def test_build_push_action_without_push_only_builds() -> None:
    p = pipeline(github_actions, ".github/workflows/pr.yml", """\
        on: [pull_request]
        jobs:
          image:
            runs-on: ubuntu-latest
            steps:
              - uses: docker/build-push-action@v6
                with:
                  tags: myacr.azurecr.io/app:pr
        """)
    assert p.jobs[0].steps[0].kinds == (B,) and p.registries == ()


def test_secrets_never_reach_facts() -> None:
    text = """\
        on: push
        env:
          DB_PASSWORD: ${{ secrets.DB_PASSWORD }}
          API_KEY: supersecretvalue123
        jobs:
          release:
            runs-on: ubuntu-latest
            env:
              TOKEN: supersecretvalue123
            steps:
              - run: echo "$TOKEN" | docker login -u x --password-stdin ghcr.io
              - run: echo supersecretvalue123 | docker login -u x --password-stdin ghcr.io
              - run: az login --service-principal -u id -p supersecretvalue123 --tenant t
              - run: docker login -u admin -p supersecretvalue123 myacr.azurecr.io
              - run: helm upgrade --install api ./chart --set db.password=supersecretvalue123
              - run: kubectl create secret generic db --from-literal=password=supersecretvalue123
              - run: curl -u admin:supersecretvalue123 https://nexus/upload && docker push ghcr.io/o/a
              - uses: azure/cli@v2
                with:
                  inlineScript: |
                    az keyvault secret set --vault-name kv --name db --value supersecretvalue123
                    az aks get-credentials -g rg -n aks
              - uses: docker/login-action@v3
                with:
                  registry: myacr.azurecr.io
                  password: supersecretvalue123
        """
    p = pipeline(github_actions, ".github/workflows/release.yml", text)
    assert "supersecretvalue123" not in repr(p)
    assert "DB_PASSWORD" not in repr(p)  # env names are not steps; values never copied
    assert {s.kinds for s in p.jobs[0].steps} >= {(L,), (D,), (P,)}
    assert p.registries == ("ghcr.io", "myacr.azurecr.io")


def test_composite_actions_and_other_folders_are_not_workflows() -> None:
    text = "runs:\n  using: composite\n  steps:\n    - run: docker build .\n      shell: bash\njobs: {}\n"
    docs = load_documents(text)
    for path in ("action.yml", ".github/actions/build/action.yml", ".github/workflows/action.yml",
                 "ci/.github/workflows/notes.txt", "docs/workflows/ci.yml"):
        assert github_actions.from_yaml(path, docs) is None


# ---------------------------------------------------------------------------------------------
# GitLab CI

GITLAB = """\
    include:
      - template: Jobs/SAST.gitlab-ci.yml
      - local: ci/common.yml
    stages: [build, test, deploy]
    variables:
      REGISTRY: registry.example.com
    workflow:
      rules:
        - if: $CI_PIPELINE_SOURCE == "merge_request_event"
        - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    .deploy:
      image: alpine/helm:3
      script:
        - helm upgrade --install web ./chart -f values-$ENV.yaml
    build:
      stage: build
      before_script:
        - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
      script:
        - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
        - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
        - docker push $REGISTRY/web:$CI_COMMIT_SHA
    unit:
      stage: test
      needs: [build]
      script:
        - |
          pip install -r requirements.txt
          pytest -q
    deploy_prod:
      extends: .deploy
      stage: deploy
      environment:
        name: production
      when: manual
      needs:
        - job: unit
    """


def test_gitlab_jobs_templates_environments_and_triggers() -> None:
    p = pipeline(gitlab_ci, ".gitlab-ci.yml", GITLAB)
    assert p.tool == "GitLab CI"
    assert [j.name for j in p.jobs] == ["include", "build", "unit", "deploy_prod"]
    assert steps(job(p, "include")) == [(2, (S,), "gitlab template")]
    assert steps(job(p, "build")) == [(18, (L,), "docker"), (20, (B,), "docker"), (21, (P,), "docker"),
                                      (22, (P,), "docker")]
    assert steps(job(p, "unit")) == [(29, (T,), "pytest")]
    assert job(p, "unit").needs == ("build",)
    deploy = job(p, "deploy_prod")
    assert (deploy.environment, deploy.manual, deploy.needs) == ("production", True, ("unit",))
    assert steps(deploy) == [(14, (D,), "helm")]  # inherited from .deploy, at the template's line
    assert p.triggers == ("merge_request", "push: default branch")
    assert p.registries == ("$CI_REGISTRY", "registry.example.com")


def test_gitlab_included_file_by_content_and_default_trigger() -> None:
    text = """\
        stages: [test]
        lint:
          stage: test
          script: go test ./...
        """
    p = pipeline(gitlab_ci, "ci/templates/go.yml", text)
    assert steps(p.jobs[0]) == [(4, (T,), "go")] and p.triggers == ()
    assert pipeline(gitlab_ci, ".gitlab-ci.yml", text).triggers == ("push (default)",)
    assert gitlab_ci.from_yaml("ci/other.yml", load_documents("stages: [a]\nnotes: {text: x}\n")) is None


def test_gitlab_root_without_rules_runs_on_push() -> None:
    p = pipeline(gitlab_ci, ".gitlab-ci.yml", "test:\n  script: [npm test]\n  only: [main, merge_requests]\n")
    assert p.triggers == ("push: main", "merge_request")
    p = pipeline(gitlab_ci, ".gitlab-ci.yml", "test:\n  script: [npm test]\n")
    assert p.triggers == ("push (default)",)


# ---------------------------------------------------------------------------------------------
# Azure Pipelines

AZURE = """\
    trigger:
      branches:
        include: [main]
    pr: [main]
    variables:
      containerRegistry: myacr.azurecr.io
      dockerRegistryServiceConnection: acr-connection
      imageRepository: user-service
    stages:
    - stage: Build
      jobs:
      - job: Build
        pool:
          vmImage: ubuntu-latest
        steps:
        - task: Gradle@3
          inputs:
            tasks: build test
        - task: Docker@2
          displayName: Build and push
          inputs:
            command: buildAndPush
            containerRegistry: $(dockerRegistryServiceConnection)
            repository: $(imageRepository)
    - stage: Approve
      dependsOn: Build
      jobs:
      - job: Wait
        pool: server
        steps:
        - task: ManualValidation@1
    - stage: DeployProd
      dependsOn: Approve
      jobs:
      - deployment: Deploy
        environment: prod.user-service
        strategy:
          canary:
            increments: [25]
            deploy:
              steps:
              - task: KubernetesManifest@1
                inputs:
                  action: deploy
                  strategy: canary
                  percentage: 25
                  manifests: k8s/deployment.yaml
            on:
              failure:
                steps:
                - task: KubernetesManifest@1
                  inputs:
                    action: reject
      - job: Smoke
        dependsOn: Deploy
        steps:
        - task: AzureCLI@2
          inputs:
            azureSubscription: prod-connection
            scriptType: bash
            scriptLocation: inlineScript
            inlineScript: |
              az aks get-credentials -g rg -n aks
              helm upgrade --install web ./chart --atomic
    """


def test_azure_stages_deployment_jobs_and_tasks() -> None:
    p = pipeline(azure_pipelines, "build/pipelines/user-service.yml", AZURE)
    assert p.tool == "Azure Pipelines"
    assert p.triggers == ("push: main", "pull_request: main")
    assert [j.name for j in p.jobs] == ["Build/Build", "Approve/Wait", "DeployProd/Deploy", "DeployProd/Smoke"]
    assert steps(job(p, "Build/Build")) == [(16, (B, T), "Gradle@3"), (19, (B, P), "Docker@2")]
    assert job(p, "Approve/Wait").manual and job(p, "Approve/Wait").needs == ("Build",)
    deploy = job(p, "DeployProd/Deploy")
    assert (deploy.line, deploy.environment, deploy.needs) == (35, "prod", ("Approve",))
    assert steps(deploy) == [(42, (D,), "KubernetesManifest@1"), (51, (D,), "KubernetesManifest@1")]
    assert "canary" in deploy.steps[0].detail and "percentage 25" in deploy.steps[0].detail
    assert "on.failure: rollback" in deploy.steps[1].detail
    smoke = job(p, "DeployProd/Smoke")
    assert smoke.needs == ("DeployProd/Deploy", "Approve") and smoke.environment == "Prod"
    assert steps(smoke) == [(63, (L,), "az aks"), (64, (D,), "helm")]
    assert p.registries == ("myacr.azurecr.io",)


def test_azure_steps_only_pipeline_and_templates() -> None:
    p = pipeline(azure_pipelines, "azure-pipelines.yml", """\
        pool:
          vmImage: ubuntu-latest
        steps:
        - script: |
            npm ci
            npm test
          displayName: test
        - template: templates/deploy-steps.yml
        - bash: trivy fs .
        """)
    assert p.triggers == ("push (default)",)
    assert steps(p.jobs[0]) == [(6, (T,), "npm"), (8, (D,), "template"), (9, (S,), "trivy")]
    template = pipeline(azure_pipelines, "templates/deploy-steps.yml", """\
        parameters:
        - name: env
        steps:
        - task: HelmDeploy@0
          inputs:
            command: upgrade
            arguments: --atomic --timeout 5m
        """)
    assert template.triggers == ()
    assert template.jobs[0].steps[0].kinds == (D,) and "--atomic" in template.jobs[0].steps[0].detail
    extends = pipeline(azure_pipelines, "pipeline.yml", "trigger: none\nextends:\n  template: secure/build.yml\n")
    assert extends.triggers == () and steps(extends.jobs[0]) == [(3, (B,), "template")]


# ---------------------------------------------------------------------------------------------
# Bitbucket Pipelines and CircleCI

def test_bitbucket_pipelines() -> None:
    p = pipeline(bitbucket_pipelines, "bitbucket-pipelines.yml", """\
        image: maven:3.9-eclipse-temurin-21
        pipelines:
          default:
            - step:
                name: Build and test
                script:
                  - mvn -B verify
          branches:
            main:
              - step:
                  name: Push
                  services: [docker]
                  script:
                    - docker build -t myacr.azurecr.io/app:$BITBUCKET_COMMIT .
                    - docker push myacr.azurecr.io/app:$BITBUCKET_COMMIT
              - step:
                  name: Deploy
                  deployment: production
                  trigger: manual
                  script:
                    - pipe: atlassian/azure-aks-deploy:1.2.0
                      variables:
                        AZURE_PASSWORD: supersecretvalue123
        """)
    assert p.tool == "Bitbucket Pipelines" and p.triggers == ("push", "push: main")
    assert [j.name for j in p.jobs] == ["default: Build and test", "branches/main: Push", "branches/main: Deploy"]
    assert steps(p.jobs[0]) == [(7, (T,), "maven")]
    assert steps(p.jobs[1]) == [(14, (B,), "docker"), (15, (P,), "docker")]
    deploy = p.jobs[2]
    assert (deploy.environment, deploy.manual) == ("production", True)
    assert steps(deploy) == [(21, (D,), "atlassian/azure-aks-deploy:1.2.0")]
    assert p.registries == ("myacr.azurecr.io",)
    assert "supersecretvalue123" not in repr(p)


def test_circleci_jobs_workflows_approvals_and_orbs() -> None:
    p = pipeline(circleci, ".circleci/config.yml", """\
        version: 2.1
        orbs:
          aws-ecr: circleci/aws-ecr@9.0.0
        jobs:
          test:
            docker: [{image: cimg/python:3.12}]
            steps:
              - checkout
              - run: pip install -r requirements.txt
              - run:
                  name: Unit tests
                  command: pytest
          deploy-prod:
            docker: [{image: cimg/base:stable}]
            steps:
              - run: aws eks update-kubeconfig --name prod
              - run: kubectl apply -f k8s/
        workflows:
          main:
            jobs:
              - test
              - aws-ecr/build_and_push_image:
                  name: push
                  requires: [test]
              - hold:
                  type: approval
                  requires: [push]
              - deploy-prod:
                  requires: [hold]
                  filters:
                    branches:
                      only: main
        """)
    assert p.tool == "CircleCI" and p.triggers == ("push: main",)
    assert [j.name for j in p.jobs] == ["test", "deploy-prod", "push", "hold"]
    assert steps(job(p, "test")) == [(8, (O,), "checkout"), (9, (O,), "shell"), (12, (T,), "pytest")]
    deploy = job(p, "deploy-prod")
    assert (deploy.environment, deploy.manual, deploy.needs) == ("prod", True, ("hold",))
    assert steps(deploy) == [(16, (L,), "aws eks"), (17, (D,), "kubectl")]
    assert steps(job(p, "push")) == [(22, (B, P), "aws-ecr/build_and_push_image")]
    assert job(p, "hold").manual and job(p, "hold").steps == ()


# ---------------------------------------------------------------------------------------------
# Format detection: each format takes only its own files.

NOT_PIPELINES = {
    "k8s/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: myacr.azurecr.io/web:1
        """,
    "chart/values.yaml": """\
        image: {repository: web, tag: "1"}
        jobs:
          - name: migrate
            schedule: "0 1 * * *"
        steps: [init, migrate]
        stages:
          - name: canary
            weight: 10
        pool: {size: 3}
        trigger: nightly
        """,
    "docker-compose.yml": """\
        services:
          web:
            build: .
            ports: ["8080:80"]
          db:
            image: postgres:16
            environment:
              POSTGRES_PASSWORD: example
        """,
    "action.yml": """\
        name: build
        runs:
          using: composite
          steps:
            - run: docker build .
              shell: bash
        """,
    ".github/actions/deploy/action.yml": """\
        name: deploy
        inputs: {env: {required: true}}
        runs:
          using: composite
          steps:
            - uses: azure/login@v2
            - run: helm upgrade --install web ./chart
              shell: bash
        """,
    "cloudbuild.yaml": """\
        steps:
        - name: gcr.io/cloud-builders/docker
          args: [build, -t, gcr.io/p/web, .]
        - name: gcr.io/cloud-builders/kubectl
          script: kubectl apply -f k8s/
        """,
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/x/y\n    hooks: [{id: z}]\n",
}


@pytest.mark.parametrize("path", sorted(NOT_PIPELINES))
def test_no_yaml_format_takes_other_files(path: str) -> None:
    docs = load_documents(dedent(NOT_PIPELINES[path]))
    assert [m.NAME for m in YAML_FORMATS if m.from_yaml(path, docs) is not None] == []


def test_each_pipeline_is_taken_by_its_own_format_only() -> None:
    cases = {
        ".github/workflows/ci.yml": WORKFLOW,
        ".gitlab-ci.yml": GITLAB,
        "azure-pipelines.yml": AZURE,
        "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step: {script: [make test]}\n",
        ".circleci/config.yml": "version: 2.1\njobs:\n  t:\n    steps: [checkout]\n",
    }
    expected = {".github/workflows/ci.yml": "github_actions", ".gitlab-ci.yml": "gitlab_ci",
                "azure-pipelines.yml": "azure_pipelines", "bitbucket-pipelines.yml": "bitbucket_pipelines",
                ".circleci/config.yml": "circleci"}
    for path, text in cases.items():
        docs = load_documents(dedent(text))
        assert [m.NAME for m in YAML_FORMATS if m.from_yaml(path, docs) is not None] == [expected[path]]
    # An Azure pipeline stays Azure under a GitHub-looking name elsewhere, and a workflow never turns Azure.
    assert azure_pipelines.from_yaml(".github/workflows/azure.yml", load_documents(dedent(AZURE))) is None


# ---------------------------------------------------------------------------------------------
# Jenkins

JENKINSFILE = """\
    pipeline {
        agent any
        environment {
            REGISTRY = 'myacr.azurecr.io'
            DB_PASSWORD = credentials('db-password')
            API_TOKEN = 'supersecretvalue123'
        }
        triggers { cron('H 4 * * 1-5') }
        stages {
            stage('Build') {
                steps {
                    sh './gradlew build'
                    sh '''
                        docker build -t ${REGISTRY}/orders:${BUILD_NUMBER} .
                        docker push ${REGISTRY}/orders:${BUILD_NUMBER}
                    '''
                }
            }
            stage('Checks') {
                parallel {
                    stage('Unit') { steps { sh './gradlew test' } }
                    stage('Scan') { steps { sh "trivy image ${REGISTRY}/orders:${BUILD_NUMBER}" } }
                }
            }
            stage('Deploy to prod') {
                when { branch 'main' }
                steps {
                    input message: 'Deploy to production?'
                    sh(script: "helm upgrade --install orders ./chart --atomic", returnStatus: true)
                }
                post {
                    failure { sh 'kubectl rollout undo deployment/orders' }
                }
            }
        }
    }
    """


def test_jenkins_declarative_pipeline() -> None:
    facts, diagnostics = jenkinsfile.collect("Jenkinsfile", dedent(JENKINSFILE))
    assert diagnostics == []
    p = facts[0].data
    assert facts[0].kind == KIND_PIPELINE and facts[0].loc.line == 1
    assert (p.tool, p.triggers, p.registries) == ("Jenkins", ("schedule", "when branch: main"), ("myacr.azurecr.io",))
    assert [j.name for j in p.jobs] == ["Build", "Checks", "Unit", "Scan", "Deploy to prod"]
    assert steps(job(p, "Build")) == [(12, (B,), "gradle"), (14, (B,), "docker"), (15, (P,), "docker")]
    assert steps(job(p, "Unit")) == [(21, (T,), "gradle")]
    assert steps(job(p, "Scan")) == [(22, (S,), "trivy")]
    deploy = job(p, "Deploy to prod")
    assert (deploy.line, deploy.environment, deploy.manual) == (25, "prod", True)
    assert steps(deploy) == [(28, (O,), "input"), (29, (D,), "helm"), (32, (D,), "kubectl")]
    assert "--atomic" in deploy.steps[1].detail and "rollback" in deploy.steps[2].detail
    assert "supersecretvalue123" not in repr(facts) and "db-password" not in repr(facts)


def test_jenkins_scripted_pipeline_and_docker_dsl() -> None:
    text = dedent("""\
        node {
            stage 'Checkout'
            checkout scm
            stage('Image') {
                docker.withRegistry('https://myacr.azurecr.io', 'acr-credentials') {
                    def app = docker.build("myacr.azurecr.io/web:${env.BUILD_ID}")
                    app.push()
                }
            }
            stage("Deploy")
            {
                sh "kubectl apply -k overlays/prod"
            }
        }
        """)
    facts, diagnostics = jenkinsfile.collect("ci/Jenkinsfile.deploy", text)
    p = facts[0].data
    assert diagnostics == [] and [j.name for j in p.jobs] == ["Checkout", "Image", "Deploy"]
    assert steps(job(p, "Checkout")) == [(3, (O,), "checkout")]
    assert steps(job(p, "Image")) == [(5, (L,), "docker"), (6, (B,), "docker"), (7, (P,), "docker")]
    assert steps(job(p, "Deploy")) == [(12, (D,), "kustomize")]
    assert p.registries == ("myacr.azurecr.io",)


@pytest.mark.parametrize("text, line", [
    ("pipeline {\n  stages {\n    stage('x') {\n      steps { sh 'make }\n    }\n  }\n}\n", 4),
    ("pipeline {\n  /* never closed\n", 2),
    ('pipeline {\n  stages {\n    stage("a") { steps { sh """\n make\n', 3),
])
def test_broken_jenkinsfile_gives_a_diagnostic_with_its_line(text: str, line: int) -> None:
    facts, diagnostics = jenkinsfile.collect("Jenkinsfile", text)
    assert facts == [] and diagnostics[0].severity is Severity.ERROR and diagnostics[0].loc.line == line


def test_unbalanced_jenkinsfile_keeps_what_it_read() -> None:
    facts, diagnostics = jenkinsfile.collect("Jenkinsfile", "pipeline {\n  stages {\n    stage('a') {\n"
                                                            "      steps { sh 'go test ./...' }\n")
    assert [j.name for j in facts[0].data.jobs] == ["a"]
    assert {d.loc.line for d in diagnostics} == {1, 2, 3} and all(d.severity is Severity.WARNING for d in diagnostics)
    facts, diagnostics = jenkinsfile.collect("Jenkinsfile", "}\necho 'hi'\n")
    assert facts == [] and [d.loc.line for d in diagnostics] == [1, 1]


def test_jenkinsfile_names() -> None:
    assert all(jenkinsfile.matches(p) for p in ("Jenkinsfile", "ci/Jenkinsfile.release", "deploy.jenkinsfile"))
    assert not any(jenkinsfile.matches(p) for p in ("Jenkinsfile.md.bak/x", "jenkins.yaml", "MyJenkinsfile"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("pipeline{}()'\"/*\\\n sh stage$#;:[]=.")), max_size=200))
def test_jenkinsfile_never_raises(text: str) -> None:
    jenkinsfile.collect("Jenkinsfile", text)
