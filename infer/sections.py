"""The one explicit map from generated document regions to the view functions that fill them, and building them."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..model import CollectResult, Diagnostic, Loc, Severity
from . import devops, physical, quality, security, techstack
from .coverage import coverage
from .inputs import Inputs
from .view import Note, SectionView

ARCHINFER = "archinfer"  # the region under the title (coverage), and the path of diagnostics about archinfer itself

SECTIONS: dict[str, Callable[[Inputs], SectionView]] = {
    "6.1.1": devops.backend_stack,
    "7.1.2": physical.cloud_provider,
    "7.2.1": physical.compute,
    "7.2.2": physical.network,
    "7.2.3": physical.security,
    "8.1.1": techstack.api_gateway,
    "8.1.2": techstack.service_mesh,
    "8.2.1": techstack.databases,
    "8.3.1": techstack.messaging,
    "8.3.2": techstack.storage,
    "8.4.1": techstack.logging,
    "8.4.2": techstack.monitoring,
    "8.4.3": techstack.tracing,
    "10.1.1": devops.ci,
    "10.1.2": devops.cd,
    "10.2.1": devops.kubernetes_setup,
    "10.2.2": devops.charts,
    "11.2.1": security.identity,
    "11.2.2": security.data_security,
    "12.1.1": quality.caching,
    "12.2.1": quality.autoscaling,
    "12.2.2": quality.load_balancing,
    "12.3.1": quality.resilience,
    "12.3.2": quality.disaster_recovery,
}


@dataclass(frozen=True)
class BuiltViews:
    """Views keyed by region id, and one error diagnostic per view that raised (its region then holds a note)."""

    views: dict[str, SectionView]
    diagnostics: tuple[Diagnostic, ...] = ()


def build_views(inputs: Inputs) -> dict[str, SectionView]:
    """Every section's view, keyed by region id; a view that raises becomes a note (see build_sections)."""
    return build_sections(inputs).views


def build_sections(inputs: Inputs) -> BuiltViews:
    """Every section's view, each built on its own: an internal error costs one section, not the scan."""
    views: dict[str, SectionView] = {}
    failures: list[Diagnostic] = []
    for region, view in SECTIONS.items():
        views[region], failure = isolated(region, view, inputs)
        if failure is not None:
            failures.append(failure)
    return BuiltViews(views, tuple(failures))


def build_document(inputs: Inputs, collected: CollectResult) -> BuiltViews:
    """The archinfer region, which lists the sections' internal errors with the input's problems, then every section."""
    sections = build_sections(inputs)
    head, failure = isolated(ARCHINFER, lambda inp: coverage(inp, collected, sections.diagnostics), inputs)
    return BuiltViews({ARCHINFER: head, **sections.views}, sections.diagnostics + ((failure,) if failure is not None else ()))


def isolated(region: str, view: Callable[[Inputs], SectionView], inputs: Inputs) -> tuple[SectionView, Diagnostic | None]:
    """The region's view; if building it raises, a note in its place and an error diagnostic."""
    try:
        return view(inputs), None
    except Exception as exc:  # any bug; KeyboardInterrupt and other BaseExceptions still end the run
        note = inputs.t("archinfer 내부 오류로 이 섹션을 만들지 못했습니다 (오류 진단 참고).",
                        "archinfer could not build this section because of an internal error (see the error diagnostic).")
        return SectionView(region, (Note(note),)), internal_error(region, exc)


def internal_error(region: str, exc: Exception) -> Diagnostic:
    """The failure as a diagnostic: the region, the exception's type and the archinfer line that raised it."""
    # Never the exception's message: it can quote input values, secrets included (KeyError('hunter2')).
    return Diagnostic(Loc(ARCHINFER), Severity.ERROR,
                      f"internal error: section {region} could not be built ({type(exc).__name__}{_raised_at(exc)}); "
                      "it shows a note instead")


_PACKAGE = Path(__file__).resolve().parents[1]  # holds infer/ and collectors/, installed or in a checkout


def _raised_at(exc: BaseException) -> str:
    """` at infer/x.py:123 in f`: the innermost frame of archinfer's own code (not a library's), else ""."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith("<"):  # <string>, <stdin>: no file, and resolve() would place it in the cwd
            continue
        path = Path(frame.filename).resolve()
        inside = path.relative_to(_PACKAGE) if path.is_relative_to(_PACKAGE) else None
        if inside is not None and not {"site-packages", ".venv"} & set(inside.parts):  # a checkout's venv is inside
            return f" at {inside.as_posix()}:{frame.lineno} in {frame.name}"
    return ""
