"""The demo's signing key: Xã Phú Phụng's chair signs with a PKCS#12 file of a demo CA
(passphrase `demo`), made in the installation's key folder, and the demo's decision of 2026 is
signed with it as the chair signs at issue. The CA's root is written next to it
(demo-root.pem): name it in RECOGNITION_SIGNATURE_TRUST_ROOTS to have the signatures shown as
trusted on the verification page. A demo key is worth nothing outside the demo."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import current_app

from recognition.auth.models import User
from recognition.certificates.rendering import store_certificates
from recognition.common.signing import SignerKind
from recognition.common.text import unit_in_sentence
from recognition.decisions.models import Decision
from recognition.decisions.signing import sign_issued_decision
from recognition.units.models import Unit
from recognition.units.settings import stored_settings

DEMO_KEY_FILE = "demo-phu-phung.p12"
DEMO_ROOT_FILE = "demo-root.pem"
DEMO_PASSPHRASE = "demo"  # the demo key protects nothing  # noqa: S105  # nosec B105


def _name(common: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(
    subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name, signer: rsa.RSAPrivateKey
) -> x509.Certificate:
    start = datetime.now(UTC) - timedelta(days=1)
    is_ca = subject == issuer
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,  # non-repudiation: a document signature
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(signer, hashes.SHA256())
    )


def write_demo_key(folder: Path, signer_name: str, body_name: str) -> None:
    """A demo root and the chair's PKCS#12 file under it, in `folder`."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("CA thử nghiệm (demo)", "Hệ thống thi đua - khen thưởng")
    root = _certificate(root_name, root_key, root_name, root_key)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    chair = _certificate(_name(signer_name, body_name), key, root_name, root_key)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_ROOT_FILE).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / DEMO_KEY_FILE).write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"demo",
            key,
            chair,
            [root],
            serialization.BestAvailableEncryption(DEMO_PASSPHRASE.encode()),
        )
    )


def seed_signing_key(body: Unit) -> None:
    """Give `body` the demo signing key, unless it has a key of its own already."""
    settings = stored_settings(body)
    if settings.signing_kind != SignerKind.NONE:
        return
    folder = Path(current_app.config["SIGNATURE_KEY_DIR"])
    if not (folder / DEMO_KEY_FILE).exists():
        # As a certificate authority writes them: the unit's kind in lower case after "UBND".
        name = unit_in_sentence(body.name)
        write_demo_key(folder, f"Chủ tịch UBND {name}", f"UBND {name}")
    settings.signing_kind = SignerKind.PKCS12
    settings.signing_key_file = DEMO_KEY_FILE


def sign_with_demo_key(decision: Decision, *, chair: User) -> bool:
    """Sign the just-issued `decision` and its certificates with the demo key, and store the
    certificates' PDFs, as issuing with a key does; False (nothing signed) when its body signs
    with a key of its own."""
    settings = stored_settings(decision.awarding_body)
    if (settings.signing_kind, settings.signing_key_file) != (SignerKind.PKCS12, DEMO_KEY_FILE):
        return False
    sign_issued_decision(decision, secret=DEMO_PASSPHRASE, actor=chair)
    store_certificates(decision)
    return True
