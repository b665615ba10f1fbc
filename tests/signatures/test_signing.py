"""PAdES signing with a PKCS#12 file and a SoftHSM2 token; validation by pyHanko and pdfsig."""

import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from recognition.common.signature_checks import validate_pdf
from recognition.common.signing import (
    Document,
    Placement,
    SignerConfig,
    SignerKind,
    SigningFailed,
    load_trust_roots,
    sign_batch,
)
from tests.support.signing_ca import PASSPHRASE, PIN, SIGNER_NAME

pytestmark = pytest.mark.unit


def _pdf(text: str = "Quyết định") -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    import io

    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _p12(ca) -> SignerConfig:
    return SignerConfig(SignerKind.PKCS12, pkcs12_path=str(ca.pkcs12_path))


def _token(ca) -> SignerConfig:
    return SignerConfig(
        SignerKind.PKCS11,
        module_path=ca.module_path,
        token_label=ca.token_label,
        key_label=ca.key_label,
    )


def _sign(config, secret, ca, count=1, placement=None):
    return sign_batch(
        [Document(_pdf(), placement) for _ in range(count)],
        config=config,
        secret=secret,
        reason="Ký ban hành",
        trust_roots=load_trust_roots([str(ca.root_pem)]),
    )


@pytest.mark.parametrize("which", ["pkcs12", "pkcs11"])
def test_a_batch_is_signed_and_validates(app, test_ca, which):
    config, secret = (_p12(test_ca), PASSPHRASE) if which == "pkcs12" else (_token(test_ca), PIN)
    with app.test_request_context():
        signed = _sign(
            config, secret, test_ca, count=2, placement=Placement(-1, (300, 100, 520, 160))
        )
    roots = load_trust_roots([str(test_ca.root_pem)])
    assert len(signed) == 2
    for pdf in signed:
        report = validate_pdf(pdf, trust_roots=roots)
        assert (report.signer, report.valid) == (SIGNER_NAME, True)
        assert report.signed_at is not None


def test_pdfsig_finds_and_validates_the_signature(app, test_ca, tmp_path):
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    with app.test_request_context():
        (pdf,) = _sign(_p12(test_ca), PASSPHRASE, test_ca)
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603
        [pdfsig, "-nocert", str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert "Signature is Valid." in out
    assert SIGNER_NAME in out
    assert "Total document signed" in out or "signed" in out


def test_a_changed_byte_is_detected(app, test_ca):
    with app.test_request_context():
        (pdf,) = _sign(_p12(test_ca), PASSPHRASE, test_ca)
    roots = load_trust_roots([str(test_ca.root_pem)])
    at = pdf.index(b"/MediaBox") + 12
    changed = pdf[:at] + (b"9" if pdf[at : at + 1] != b"9" else b"8") + pdf[at + 1 :]
    assert validate_pdf(changed, trust_roots=roots).valid is False


def test_a_resaved_pdf_is_not_valid(app, test_ca):
    import io

    import pikepdf

    with app.test_request_context():
        (pdf,) = _sign(_p12(test_ca), PASSPHRASE, test_ca)
    roots = load_trust_roots([str(test_ca.root_pem)])
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        opened.save(out)
    assert validate_pdf(out.getvalue(), trust_roots=roots).valid is False


def test_an_edit_after_signing_is_not_the_signed_file(app, test_ca):
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with app.test_request_context():
        (pdf,) = _sign(_p12(test_ca), PASSPHRASE, test_ca)
    roots = load_trust_roots([str(test_ca.root_pem)])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0]
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf (x) Tj ET"))
    page["/Contents"] = stream
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = validate_pdf(out.getvalue(), trust_roots=roots)
    assert (report.intact, report.whole_file, report.valid) == (True, False, False)


def test_an_unknown_root_is_not_trusted(app, test_ca, caplog):
    with app.test_request_context():
        (pdf,) = _sign(_p12(test_ca), PASSPHRASE, test_ca)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        report = validate_pdf(pdf, trust_roots=load_trust_roots([str(test_ca.other_root_pem)]))
    assert (report.intact, report.trusted, report.valid) == (True, False, False)
    # An outcome the report carries, not a traceback in the server's log on every page.
    assert not [r for r in caplog.records if r.name.startswith("pyhanko")]


def test_an_unsigned_pdf_is_reported_unsigned():
    assert validate_pdf(_pdf(), trust_roots=[]).signed is False
    assert validate_pdf(b"not a pdf", trust_roots=[]).signed is False


@pytest.mark.parametrize("which", ["pkcs12", "pkcs11"])
def test_a_wrong_secret_is_refused_on_the_pin_field(app, test_ca, which):
    config = _p12(test_ca) if which == "pkcs12" else _token(test_ca)
    with app.test_request_context(), pytest.raises(SigningFailed) as refused:
        _sign(config, "sai-mã", test_ca)
    assert refused.value.field == "pin"


def test_a_missing_key_file_is_refused(app, test_ca):
    config = SignerConfig(SignerKind.PKCS12, pkcs12_path=str(Path(test_ca.folder) / "none.p12"))
    with app.test_request_context(), pytest.raises(SigningFailed):
        _sign(config, PASSPHRASE, test_ca)


def test_an_unknown_chain_still_signs_without_validation_material(app, test_ca):
    others = load_trust_roots([str(test_ca.other_root_pem)])
    with app.test_request_context():
        (pdf,) = sign_batch(
            [Document(_pdf())],
            config=_p12(test_ca),
            secret=PASSPHRASE,
            reason="Ký ban hành",
            trust_roots=others,
        )
    report = validate_pdf(pdf, trust_roots=load_trust_roots([str(test_ca.root_pem)]))
    assert (report.signer, report.valid) == (SIGNER_NAME, True)
