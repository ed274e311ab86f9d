"""Dockerfile collector: stages, ARG substitution in FROM, ports, entrypoint, language; broken files."""

from __future__ import annotations

from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archinfer.collectors import dockerfile
from archinfer.collectors.cimodel import KIND_IMAGE, DockerImage, DockerStage
from archinfer.model import Loc, Severity


def image(text: str, path: str = "services/orders/Dockerfile") -> DockerImage:
    facts, diagnostics = dockerfile.collect(path, dedent(text))
    assert diagnostics == [] and len(facts) == 1 and facts[0].kind == KIND_IMAGE
    data = facts[0].data
    assert isinstance(data, DockerImage)
    return data


def test_multi_stage_java_image() -> None:
    text = """\
        # syntax=docker/dockerfile:1.7
        ARG JDK_VERSION=21
        ARG BASE_REGISTRY
        FROM --platform=$BUILDPLATFORM gradle:8-jdk${JDK_VERSION} AS build
        WORKDIR /src
        COPY . .
        RUN gradle bootJar \\
            --no-daemon
        FROM ${BASE_REGISTRY}/eclipse-temurin:${JDK_VERSION}-jre AS runtime
        EXPOSE 8080 8443/tcp
        ENTRYPOINT ["java", "-jar", "/app/app.jar"]
        CMD ["--spring.profiles.active=prod"]
        """
    facts, diagnostics = dockerfile.collect("services/orders/Dockerfile", dedent(text))
    assert diagnostics == [] and facts[0].loc == Loc("services/orders/Dockerfile", 4)
    data = facts[0].data
    assert data.stages == (DockerStage(4, "gradle:8-jdk21", "build"),
                           DockerStage(9, "${BASE_REGISTRY}/eclipse-temurin:21-jre", "runtime"))
    assert data.exposed == ("8080", "8443/tcp")
    assert data.language == "Java"
    assert data.runtime == "${BASE_REGISTRY}/eclipse-temurin:21-jre"
    assert data.entrypoint == "java -jar /app/app.jar --spring.profiles.active=prod"


def test_runtime_follows_stage_aliases_and_language_comes_from_the_build_stage() -> None:
    data = image("""\
        FROM node:20-alpine AS deps
        RUN npm ci
        FROM deps AS build
        RUN npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        EXPOSE 80
        CMD nginx -g 'daemon off;'
        """)
    assert [s.base_image for s in data.stages] == ["node:20-alpine", "deps", "nginx:1.27-alpine"]
    assert (data.language, data.runtime, data.exposed) == ("Node.js", "nginx:1.27-alpine", ("80",))
    assert data.entrypoint == "nginx -g 'daemon off;'"
    go = image("FROM golang:1.22 AS b\nRUN go build -o /app\nFROM gcr.io/distroless/static\nCOPY --from=b /app /\n"
               "ENTRYPOINT [\"/app\"]\n")
    assert (go.language, go.runtime, go.entrypoint) == ("Go", "gcr.io/distroless/static", "/app")
    final_alias = image("FROM python:3.12-slim AS base\nEXPOSE 5000\nCMD [\"gunicorn\", \"app:app\"]\nFROM base\n")
    assert (final_alias.runtime, final_alias.exposed, final_alias.entrypoint) == (
        "python:3.12-slim", ("5000",), "gunicorn app:app")


def test_language_from_run_commands_when_the_base_says_nothing() -> None:
    assert image("FROM alpine:3.20\nRUN apk add py3-pip && pip install -r requirements.txt\n").language == "Python"
    assert image("FROM ubuntu:24.04\nRUN ./mvnw -B package\n").language == "Java"
    assert image("FROM debian:12\nRUN <<EOF\nset -e\ncargo build --release\nEOF\n").language == "Rust"
    assert image("FROM scratch\nCOPY app /\n").language is None


@pytest.mark.parametrize("ref, language", [
    ("eclipse-temurin:21-jre", "Java"), ("amazoncorretto:17", "Java"), ("maven:3.9-eclipse-temurin-21", "Java"),
    ("gcr.io/distroless/java17-debian12", "Java"), ("mcr.microsoft.com/openjdk/jdk:21-ubuntu", "Java"),
    ("node:20", "Node.js"), ("gcr.io/distroless/nodejs20-debian12", "Node.js"), ("python:3.12-slim", "Python"),
    ("docker.io/library/python:3", "Python"), ("golang:1.22-alpine", "Go"), ("mcr.microsoft.com/dotnet/aspnet:8.0", ".NET"),
    ("mcr.microsoft.com/dotnet/sdk:8.0@sha256:abc", ".NET"), ("rust:1.80", "Rust"), ("ruby:3.3", "Ruby"),
    ("php:8.3-fpm", "PHP"), ("nginx:1.27", None), ("alpine", None), ("gcr.io/distroless/static", None),
    ("myacr.azurecr.io/base/nodeapp:1", None), ("registry:5000/python:3", "Python"),
])
def test_image_language(ref: str, language: str | None) -> None:
    assert dockerfile.image_language(ref) == language


def test_continuations_comments_escape_directive_and_heredocs() -> None:
    data = image("""\
        # escape=`
        FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
        RUN dotnet publish `
            # a comment inside the continuation
            -c Release -o /out
        COPY <<EOF /app/config.json
        {"FROM": "not an instruction"}
        EOF
        FROM mcr.microsoft.com/dotnet/aspnet:8.0
        ENTRYPOINT dotnet /app/Api.dll
        """)
    assert [(s.line, s.base_image) for s in data.stages] == [(2, "mcr.microsoft.com/dotnet/sdk:8.0"),
                                                             (9, "mcr.microsoft.com/dotnet/aspnet:8.0")]
    assert (data.language, data.entrypoint) == (".NET", "dotnet /app/Api.dll")


def test_arg_defaults_with_default_forms_and_unknown_args() -> None:
    data = image("ARG TAG\nARG VARIANT=slim\nFROM python:${TAG:-3.12}-${VARIANT}\nFROM app:$TAG\n")
    assert [s.base_image for s in data.stages] == ["python:3.12-slim", "app:$TAG"]


def test_env_and_arg_values_are_never_copied() -> None:
    facts, _ = dockerfile.collect("Dockerfile", dedent("""\
        ARG NPM_TOKEN=supersecretvalue123
        FROM node:20-${NPM_TOKEN}
        ENV DB_PASSWORD=supersecretvalue123 API_KEY=supersecretvalue123
        ARG GITHUB_TOKEN=supersecretvalue123
        RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
        ENTRYPOINT ["node", "server.js", "--db-password=supersecretvalue123"]
        """))
    assert "supersecretvalue123" not in repr(facts)
    assert facts[0].data.stages[0].base_image == "node:20-${NPM_TOKEN}"


def test_names() -> None:
    for path in ("Dockerfile", "src/api/Dockerfile", "Dockerfile.prod", "Dockerfile-linux", "api.Dockerfile",
                 "web.dockerfile", "Containerfile"):
        assert dockerfile.matches(path), path
    for path in ("Dockerfile.md/x", "dockerfiles/README.md", "docker-compose.yml", "MyDockerfile"):
        assert not dockerfile.matches(path), path


@pytest.mark.parametrize("text, severity, line", [
    ("", Severity.ERROR, 1),
    ("# just a comment\nRUN make\n", Severity.WARNING, 2),
    ("FROM\n", Severity.ERROR, 1),
    ("FROM alpine\nFROBNICATE now\n", Severity.WARNING, 2),
    ("FROM alpine\nRUN <<EOF\necho never closed\n", Severity.WARNING, 2),
])
def test_broken_dockerfiles_give_diagnostics(text: str, severity: Severity, line: int) -> None:
    _, diagnostics = dockerfile.collect("Dockerfile", text)
    assert any(d.severity is severity and d.loc == Loc("Dockerfile", line) for d in diagnostics), diagnostics


def test_warnings_keep_the_image() -> None:
    facts, diagnostics = dockerfile.collect("Dockerfile", "FROM alpine\nFROBNICATE now\nEXPOSE 80\n")
    assert facts[0].data.exposed == ("80",) and len(diagnostics) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("FROM RUN ARG EXPOSE ${}:-=\\`#\n<EOF[]\"'as")), max_size=200))
def test_dockerfile_never_raises(text: str) -> None:
    dockerfile.collect("Dockerfile", text)
