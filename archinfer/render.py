"""Views -> Markdown: one partial per region, wrapped in checksummed markers, placed in the document template."""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Any

from .infer.view import SectionView, not_detected
from .model import Loc

BEGIN = "<!-- archinfer:begin {id} -->"
END = "<!-- archinfer:end {id} sum={sum} -->"
MAX_EVIDENCE = 4


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


def _environment() -> Any:
    import jinja2  # imported here: `archinfer check` on an unchanged tree should not pay for it twice

    root = resources.files("archinfer.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: values are escaped by the `md` filter instead
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.filters["md"] = md_escape
    env.filters["evidence"] = format_evidence
    return env


def render_region(env: Any, view: SectionView, lang: str) -> str:
    """The body of one region: the section's own partial if it has one, else the default."""
    names = [f"sections/{view.id}.md.j2", "sections/default.md.j2"]
    template = env.select_template(names)
    return str(template.render(view=view, not_detected=not_detected(lang), lang=lang)).strip("\n")


def render_document(views: dict[str, SectionView], lang: str) -> str:
    """The whole document for a first scan: the template with every region filled."""
    env = _environment()
    bodies = {region_id: render_region(env, view, lang) for region_id, view in views.items()}

    def region(region_id: str) -> str:
        return wrap(region_id, bodies[region_id])

    template = env.get_template(f"document.{lang}.md.j2")
    text = str(template.render(region=region))
    return text.rstrip("\n") + "\n"


def render_regions(views: dict[str, SectionView], lang: str) -> dict[str, str]:
    """Each region's body alone, for refreshing an existing document."""
    env = _environment()
    return {region_id: render_region(env, view, lang) for region_id, view in views.items()}
