"""Open one PDF, read from standard input, under hard limits; print what was found as JSON.

    python -I pdf_probe.py MAX_PAGES MEMORY_MB CPU_SECONDS < file.pdf

The upload check (`recognition.common.file_checks`) runs this file in a child process of its own.
qpdf inflates object and cross-reference streams whole and without a total budget: a 9 MB file
of 2,000 padded object streams kept it busy for 42 s, a 500 KB one made it allocate 540 MB.
In a child, the operating system's limits stop such a file and a crash of the C++ parser costs
nothing but the child. The script imports nothing of the app, so that it starts in 0.1 s.

The answer is one line: {"pages": n} or {"problem": "damaged" | "password" | "no_pages" |
"too_many_pages" | "too_complex"}.
"""

import io
import json
import logging
import resource
import sys

# qpdf's limits count per stream; streams the probe needs (cross-reference and object streams)
# are small in real files, so 64 MB is generous, and a bigger one is a bomb.
STREAM_MEMORY = 64 * 1024 * 1024

# What qpdf says when, rebuilding a damaged file, it finds part of the content gone: the file
# was cut short (and perhaps given a new end marker), or objects it refers to are missing.
# Repairs that lose nothing ("reconstruct cross-reference table", "recover stream length")
# are accepted: many real files need one.
LOSS = (
    "unexpected eof",
    "eof after endobj",
    "unable to recover stream data",
    "unable to find trailer dictionary",
    "includes non-dictionary object",
)
LIMIT = "limit exceeded"  # a stream inflated past STREAM_MEMORY


class _Warnings(logging.Handler):
    """Notes which of `LOSS` and `LIMIT` qpdf's warnings mention: some limits and losses are
    reported only there, and the error that follows, if any, reads like any other damage."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().lower()
        self.seen.update(fragment for fragment in (*LOSS, LIMIT) if fragment in text)


def probe(content: bytes, max_pages: int) -> dict[str, object]:
    import pikepdf

    _limit_qpdf()
    warnings = _Warnings()
    qpdf_log = logging.getLogger("pikepdf._core")  # where qpdf's warnings go when not suppressed
    qpdf_log.addHandler(warnings)
    qpdf_log.propagate = False
    try:
        pages = _count_pages(content, max_pages)
    except pikepdf.PasswordError:
        return {"problem": "password"}
    except MemoryError:
        return {"problem": "too_complex"}
    except Exception:  # qpdf reports damage as PdfError, a broken structure as others
        pages = -1
    limit_errors = getattr(pikepdf.settings, "qpdf_limit_errors", lambda: 0)()
    if LIMIT in warnings.seen or limit_errors > 0:
        return {"problem": "too_complex"}  # what qpdf skipped for a limit may hold the pages
    if pages < 0 or warnings.seen.intersection(LOSS):
        return {"problem": "damaged"}
    if pages == 0:
        return {"problem": "no_pages"}
    if pages > max_pages:
        return {"problem": "too_many_pages"}
    return {"pages": pages}


def _limit_qpdf() -> None:
    import pikepdf

    # pikepdf 10 exposes qpdf's limits; with an older one the operating system's limits alone
    # stop a bomb (as a MemoryError or a kill). doc_max_warnings is left alone: with it, qpdf
    # refuses a file of no pages as damaged.
    if hasattr(pikepdf.settings, "set_qpdf_limits"):
        pikepdf.settings.set_qpdf_limits(
            flate_max_memory=STREAM_MEMORY,
            run_length_max_memory=STREAM_MEMORY,
            png_max_memory=STREAM_MEMORY,
            tiff_max_memory=STREAM_MEMORY,
        )


def _count_pages(content: bytes, max_pages: int) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(content), suppress_warnings=False) as pdf:
        # /Count first: a tree declaring too many pages is not walked at all.
        declared = pdf.Root.Pages.get("/Count", 0)
        if isinstance(declared, int) and declared > max_pages:
            return declared
        return len(pdf.pages)


def main() -> None:
    max_pages, memory_mb, cpu_seconds = (int(arg) for arg in sys.argv[1:4])
    content = sys.stdin.buffer.read()
    import pikepdf  # noqa: F401  (imported before the memory limit, which it must not count)

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    json.dump(probe(content, max_pages), sys.stdout)


if __name__ == "__main__":
    main()
