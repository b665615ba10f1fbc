"""Where to go after a form: only to a page of this site (no open redirects)."""

import re

# A path on this site: one "/" not followed by "/" or "\", no scheme, no control characters.
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\\\x00-\x1f\x7f]*$")


def safe_next_url(target: str | None, default: str = "/") -> str:
    """`target` when it is a relative path on this site, else `default` (no open redirects)."""
    if not target or not _SAFE_PATH.match(target):
        return default
    if ":" in target.split("?", 1)[0].split("/", 2)[1]:
        return default
    return target
