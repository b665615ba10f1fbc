"""Drawings on the certificate: the emblem drawn when the body has uploaded none, and the rows
of red flags beside the emblem on a Chiến sĩ thi đua cơ sở certificate (NĐ 98/2023 art. 104).

The emblem is a plain sign (a red disc, a gold ring, a gold five-pointed star), not the national
emblem's artwork: a body prints the real one by uploading it in its settings.
"""

import math
from urllib.parse import quote

GOLD = "#d4a017"
RED = "#c8102e"
DARK_GOLD = "#8a6d1d"


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy - radius * math.sin(angle):.2f}")
    return " ".join(points)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;utf8," + quote(svg, safe=" =:/,.'#-")


EMBLEM_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100' width='100' height='100'>"
    f"<circle cx='50' cy='50' r='48' fill='{GOLD}'/>"
    f"<circle cx='50' cy='50' r='44' fill='{RED}'/>"
    f"<circle cx='50' cy='50' r='38' fill='none' stroke='{GOLD}' stroke-width='3'/>"
    f"<polygon points='{_star(50, 52, 27)}' fill='{GOLD}'/>"
    "</svg>"
)
DEFAULT_EMBLEM = _data_uri(EMBLEM_SVG)


def _flags_svg(*, mirrored: bool) -> str:
    """Three red flags on gold poles leaning away from the emblem (drawn for the left side)."""
    flags = []
    for i, (x, lean) in enumerate(((48, -16), (78, -8), (108, 0))):
        top = 4 + i * 8
        flags.append(
            f"<line x1='{x}' y1='98' x2='{x + lean}' y2='{top}' stroke='{DARK_GOLD}' "
            "stroke-width='2.2' stroke-linecap='round'/>"
            f"<path d='M{x + lean} {top} q-9 -4 -18 0 t-18 0 v22 q9 -4 18 0 t18 0 z' "
            f"fill='{RED}' stroke='#8e0b20' stroke-width='.6'/>"
        )
    body = "".join(flags)
    if mirrored:
        body = f"<g transform='translate(120 0) scale(-1 1)'>{body}</g>"
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 120 100' width='120' "
        f"height='100'>{body}</svg>"
    )


FLAGS_LEFT = _data_uri(_flags_svg(mirrored=False))
FLAGS_RIGHT = _data_uri(_flags_svg(mirrored=True))
