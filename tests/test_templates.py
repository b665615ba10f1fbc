"""Page templates keep to the Content Security Policy: no inline styles, scripts or handlers.

The CSP (style-src 'self', script-src 'self') makes a browser ignore them silently, so the
page would look or behave differently from what the template says. PDF templates are
rendered by WeasyPrint, not a browser, and may use inline styles.
"""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE = re.compile(
    r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=\s*["']""", re.IGNORECASE
)


def page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if p.parent.name != "pdf")


def test_there_are_page_templates() -> None:
    assert len(page_templates()) > 30


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_style_script_or_handler(path: Path) -> None:
    found = [line for line in path.read_text(encoding="utf-8").splitlines() if INLINE.search(line)]
    assert found == []
