"""PAdES signatures with pyHanko: a batch of PDFs signed in one step with one key.

The key is a PKCS#12 file or a PKCS#11 token (the USB tokens of the Government Cipher
Committee's CA, NĐ 68/2024/NĐ-CP); only where it is lives in the database. The passphrase or PIN
is typed at signing time, passed through and never stored or logged. One batch opens the
PKCS#12 file or the token session once. The signature is PAdES B-B, B-T when a time-stamping
URL is given, with the certificate chain and revocation data embedded when the chain up to a
configured trust root is known.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum
from recognition.errors import DomainError

T = TypeVar("T")

with warnings.catch_warnings():  # pyHanko imports cryptography's DSA, deprecated there
    warnings.simplefilter("ignore")
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.errors import ValidationError

FIELD = "Signature"
FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "liberation"


class SignerKind(LabelledEnum):
    NONE = "none"
    PKCS12 = "pkcs12"
    PKCS11 = "pkcs11"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.NONE: _l("No digital signature"),
            cls.PKCS12: _l("A PKCS#12 key file on the server"),
            cls.PKCS11: _l("A PKCS#11 token (USB token or HSM)"),
        }


@dataclass(frozen=True)
class SignerConfig:
    """Where a body's signing key is: a PKCS#12 file, or a PKCS#11 module, token and key."""

    kind: SignerKind
    pkcs12_path: str = ""
    module_path: str = ""
    token_label: str = ""
    key_label: str = ""

    @property
    def configured(self) -> bool:
        if self.kind == SignerKind.PKCS12:
            return bool(self.pkcs12_path)
        if self.kind == SignerKind.PKCS11:
            return bool(self.module_path and self.token_label and self.key_label)
        return False


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes: page index (-1: the last) and box in PDF points from
    the page's bottom left."""

    page: int
    box: tuple[float, float, float, float]


PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def placement_in(
    page: int,
    box: tuple[float, ...],
    *,
    page_height: float,
    width: float = 190.0,
    margin: float = 4.0,
) -> Placement:
    """The visible signature centred in `box` (CSS px from the page's top left, as WeasyPrint
    lays it out), at most `width` points wide, `margin` points inside its top and bottom."""
    left, top, right, bottom = (value * PX_TO_PT for value in box)
    middle, half = (left + right) / 2, min(width, right - left) / 2
    return Placement(
        page,
        (middle - half, page_height - bottom + margin, middle + half, page_height - top - margin),
    )


@dataclass(frozen=True)
class Document:
    pdf: bytes
    placement: Placement | None = None


class SigningFailed(DomainError):
    """The key could not be opened or used; the message goes on the PIN field."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="pin")


def trust_roots_in(data: bytes) -> list[asn1_x509.Certificate]:
    """The certificates of one PEM (or DER) file's bytes (a PEM file may hold several)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    loaded = (
        x509.load_pem_x509_certificates(data)
        if b"-----BEGIN" in data
        else [x509.load_der_x509_certificate(data)]
    )
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in loaded]


def load_trust_roots(paths: list[str]) -> list[asn1_x509.Certificate]:
    """The certificates of the PEM (or DER) files `paths` (each may hold several)."""
    return [root for path in paths for root in trust_roots_in(Path(path).read_bytes())]


def configured_files(setting: str, load: Callable[[list[str]], list[T]]) -> list[T]:
    """What `load` reads from the files the configuration's `setting` names; none (and the
    error logged) when they cannot be read."""
    from flask import current_app

    try:
        return load(list(current_app.config.get(setting) or []))
    except (OSError, ValueError):
        current_app.logger.exception("the files of %s cannot be read", setting)
        return []


def configured_trust_roots() -> list[asn1_x509.Certificate]:
    """The trust roots of the configuration (SIGNATURE_TRUST_ROOTS)."""
    return configured_files("SIGNATURE_TRUST_ROOTS", load_trust_roots)


def _pkcs12_signer(config: SignerConfig, secret: str) -> signers.Signer:
    try:
        data = Path(config.pkcs12_path).read_bytes()
    except OSError:
        raise SigningFailed(_("The signing key file cannot be read.")) from None
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=secret.encode())
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise SigningFailed(_("The passphrase is wrong, or the file holds no signing key."))
    return signer


@contextmanager
def _pkcs11_signer(config: SignerConfig, secret: str) -> Iterator[signers.Signer]:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            config.module_path,
            token_criteria=TokenCriteria(label=config.token_label),
            user_pin=secret,
        )
    except pkcs11.exceptions.PinIncorrect:
        raise SigningFailed(_("The PIN is wrong.")) from None
    except pkcs11.exceptions.PinLocked:
        raise SigningFailed(_("The token is locked: too many wrong PINs.")) from None
    except Exception:  # a missing module or token: pyHanko and python-pkcs11 raise many kinds
        raise SigningFailed(_("The signing token cannot be opened; is it plugged in?")) from None
    try:
        yield PKCS11Signer(
            session,
            key_label=config.key_label,
            cert_label=config.key_label,
            other_certs_to_pull=None,
        )
    finally:
        session.close()


@contextmanager
def open_signer(config: SignerConfig, secret: str) -> Iterator[signers.Signer]:
    """The signer of `config` unlocked with `secret`, open for one batch."""
    if not secret:
        raise SigningFailed(_("Please type the PIN or passphrase of the signing key."))
    if config.kind == SignerKind.PKCS12:
        yield _pkcs12_signer(config, secret)
    elif config.kind == SignerKind.PKCS11:
        with _pkcs11_signer(config, secret) as signer:
            yield signer
    else:
        raise SigningFailed(_("This body has no signing key configured."))


def _stamp_style(
    folder: Path, box: tuple[float, float, float, float], *, name: str, organization: str
) -> StaticStampStyle:
    """The visible signature drawn from a small PDF laid out by WeasyPrint (the template's
    fonts, Vietnamese shaped as in the document), sized to `box`."""
    from flask import current_app, render_template

    from recognition.common.pdf import html_to_pdf

    width, height = box[2] - box[0], box[3] - box[1]
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Ho_Chi_Minh")
    now = datetime.now(zone)
    offset = now.strftime("%z")
    html = render_template(
        "pdf/signature_stamp.html",
        width=f"{width:.1f}",
        height=f"{height:.1f}",
        signer=name,
        organization=organization,
        signed_at=now.strftime("%d/%m/%Y %H:%M:%S ") + f"{offset[:3]}:{offset[3:]}",
    )
    path = folder / f"stamp-{width:.0f}x{height:.0f}.pdf"
    if not path.exists():
        path.write_bytes(html_to_pdf(html))
    return StaticStampStyle.from_pdf_file(str(path), border_width=0)


def _points(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    left, bottom, right, top = (round(value) for value in box)
    return left, bottom, right, top


@dataclass
class _Batch:
    """What the documents of one batch are signed with."""

    signer: signers.Signer
    name: str
    organization: str
    folder: Path
    timestamper: timestamps.TimeStamper | None


def off_loop(work: Callable[[], T]) -> T:
    """`work()`, which calls pyHanko's synchronous functions: these run an event loop of their
    own (asyncio.run), which cannot start in a thread whose loop is already running (an async
    server's, a browser driver's). There, the work runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    context = contextvars.copy_context()  # the app's and the request's contexts come along
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, work).result()


def _sign_one(document: Document, batch: _Batch, meta: PdfSignatureMetadata) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(document.pdf), strict=False)
    style = None
    if document.placement is not None:
        pages = int(writer.root["/Pages"]["/Count"])
        box = _points(document.placement.box)
        spec = fields.SigFieldSpec(
            sig_field_name=FIELD, on_page=document.placement.page % pages, box=box
        )
        style = _stamp_style(batch.folder, box, name=batch.name, organization=batch.organization)
    else:
        spec = fields.SigFieldSpec(sig_field_name=FIELD)
    pdf_signer = PdfSigner(
        meta, batch.signer, new_field_spec=spec, stamp_style=style, timestamper=batch.timestamper
    )
    return bytes(pdf_signer.sign_pdf(writer).getvalue())


def sign_batch(
    documents: list[Document],
    *,
    config: SignerConfig,
    secret: str,
    reason: str,
    location: str = "",
    trust_roots: list[asn1_x509.Certificate] | None = None,
    tsa_url: str = "",
) -> list[bytes]:
    """Sign every document of the batch with the key of `config` unlocked once by `secret`:
    PAdES B-B (B-T with `tsa_url`), validation material embedded when `trust_roots` are known.
    Raises `SigningFailed` (on the PIN field) when the key cannot be opened."""
    if not documents:
        return []
    with open_signer(config, secret) as signer, tempfile.TemporaryDirectory() as folder:
        subject = signer.signing_cert.subject.native if signer.signing_cert is not None else {}
        batch = _Batch(
            signer,
            subject.get("common_name", ""),
            subject.get("organization_name", ""),
            Path(folder),
            timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None,
        )
        context = None
        if trust_roots:
            context = ValidationContext(
                trust_roots=trust_roots,
                other_certs=list(signer.cert_registry),
                allow_fetching=bool(tsa_url),
            )
        try:
            signed = off_loop(lambda: _sign_all(documents, batch, reason, location, context))
        except SigningFailed:
            raise
        except timestamps.TimestampRequestError:
            raise SigningFailed(
                _(
                    "The time-stamping server cannot be reached, so nothing was signed or "
                    "issued. Please try again later; if it persists, tell the administrator."
                )
            ) from None
        except ValidationError:
            raise SigningFailed(
                _(
                    "The signing certificate cannot sign: it has expired, is not yet valid or "
                    "is not meant for signing documents."
                )
            ) from None
        except Exception as error:  # the token, the TSA or the chain failed
            raise SigningFailed(
                _("The documents could not be signed: %(error)s", error=type(error).__name__)
            ) from error
        return signed


def _sign_all(
    documents: list[Document],
    batch: _Batch,
    reason: str,
    location: str,
    context: ValidationContext | None,
) -> list[bytes]:
    meta = _metadata(reason, location, batch.name, context)
    try:
        first = _sign_one(documents[0], batch, meta)
    except (SigningError, ValidationError):
        if context is None:
            raise
        # The chain to a trust root is not known: a plain B-B (or B-T) signature.
        meta = _metadata(reason, location, batch.name, None)
        first = _sign_one(documents[0], batch, meta)
    return [first, *(_sign_one(d, batch, meta) for d in documents[1:])]


def _metadata(
    reason: str, location: str, name: str, context: ValidationContext | None
) -> PdfSignatureMetadata:
    return PdfSignatureMetadata(
        field_name=FIELD,
        reason=reason,
        location=location or None,
        name=name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=context is not None,
        validation_context=context,
        use_pades_lta=False,
    )
