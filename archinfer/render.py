"""Views -> Markdown: one partial per region, wrapped in checksummed markers, placed in the document template."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from importlib import resources
from typing import Any, Iterator

from .infer.view import SectionView, not_detected
from .model import Loc
from .redact import redact

BEGIN = "<!-- archinfer:begin {id} -->"
END = "<!-- archinfer:end {id} sum={sum} -->"
MAX_EVIDENCE = 4


class TemplateProblem(Exception):
    """A template (usually a project's own) failed to load or render; the message names it and the line."""


def checksum(body: str) -> str:
    """Short hash of a region body as generated; a different hash later means a person edited it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def wrap(region_id: str, body: str) -> str:
    """A region with its markers."""
    return "\n".join([BEGIN.format(id=region_id), body, END.format(id=region_id, sum=checksum(body))])


def md_escape(text: object) -> str:
    """Repository text made inert in Markdown: no HTML, no table breaks, no marker forgery, one line."""
    value = str(text)
    # `<` is what starts HTML and comments (so also forged region markers); `|` ends a table cell.
    for old, new in (("<", "&lt;"), ("|", "\\|"), ("\r", " "), ("\n", " ")):
        value = value.replace(old, new)
    return value


def format_evidence(locs: tuple[Loc, ...]) -> str:
    if not locs:
        return ""
    shown = ", ".join(f"`{md_escape(loc)}`" for loc in locs[:MAX_EVIDENCE])
    more = f" +{len(locs) - MAX_EVIDENCE}" if len(locs) > MAX_EVIDENCE else ""
    return f" ({shown}{more})"


def _environment(user_templates: str | None = None) -> Any:
    import jinja2  # imported here: `archinfer check` on an unchanged tree should not pay for it twice
    from jinja2.sandbox import SandboxedEnvironment

    root = resources.files("archinfer.templates")
    loaders = [jinja2.FileSystemLoader(str(root))]
    if user_templates:
        # A project's own templates come first: a whole document.<lang>.md.j2 or single sections/<id>.md.j2.
        loaders.insert(0, jinja2.FileSystemLoader(user_templates))
    # Sandboxed: a template from the scanned repository can format values but not reach Python internals.
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: values are escaped by the `md` filter instead
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.filters["md"] = md_escape
    env.filters["evidence"] = format_evidence
    env.filters["blocktype"] = lambda block: type(block).__name__  # the sandbox hides __class__ from templates
    return env


def render_region(env: Any, view: SectionView, lang: str) -> str:
    """The body of one region: the section's own partial if it has one, else the default."""
    import jinja2

    names = [f"sections/{view.id}.md.j2", "sections/default.md.j2"]
    template = env.select_template(names)
    try:
        return redact(str(template.render(view=view, not_detected=not_detected(lang), lang=lang)).strip("\n"))
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{template.filename}: {exc.__class__.__name__}: {exc}") from None


def render_document(views: dict[str, SectionView], lang: str, user_templates: str | None = None,
                    bodies: dict[str, str] | None = None) -> str:
    """The whole document for a first scan: the template with every region filled (`bodies`: from render_regions)."""
    with _template_errors():
        return _render_document(views, lang, user_templates, bodies)


@contextmanager
def _template_errors() -> Iterator[None]:
    import jinja2

    try:
        yield
    except TemplateProblem:
        raise
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or getattr(exc, 'name', None) or 'template'}"
        line = getattr(exc, "lineno", None)
        raise TemplateProblem(f"{where}{':' + str(line) if line else ''}: {exc.__class__.__name__}: {exc}") from None


def _render_document(views: dict[str, SectionView], lang: str, user_templates: str | None,
                     bodies: dict[str, str] | None) -> str:
    env = _environment(user_templates)
    if bodies is None:
        bodies = {region_id: render_region(env, view, lang) for region_id, view in views.items()}

    def region(region_id: str) -> str:
        return wrap(region_id, bodies[region_id])

    template = env.get_template(f"document.{lang}.md.j2")
    text = str(template.render(region=region))
    return text.rstrip("\n") + "\n"


def render_regions(views: dict[str, SectionView], lang: str, user_templates: str | None = None) -> dict[str, str]:
    """Each region's body alone, for refreshing an existing document."""
    with _template_errors():
        env = _environment(user_templates)
        return {region_id: render_region(env, view, lang) for region_id, view in views.items()}
