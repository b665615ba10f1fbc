"""A test CA (root → intermediate → the chair's signing certificate), its PKCS#12 file and a
SoftHSM2 token holding the same key, made once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNER_NAME = "Chủ tịch UBND xã Phú Phụng"
PASSPHRASE = "mật-khẩu-thử"
PIN = "123456"
SO_PIN = "12345678"
TOKEN_LABEL = "Token Phu Phung"
KEY_LABEL = "chu-tich"
SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class TestCA:
    folder: Path
    root_pem: Path
    other_root_pem: Path  # a CA that signed nothing here: "untrusted" roots
    pkcs12_path: Path
    tsa_cert_der: Path  # a time-stamping authority's certificate, issued by the sub CA
    tsa_key_der: Path  # its RSA key (PKCS#8), for pyHanko's test time-stamper
    sub_ca_der: Path
    revoked_pkcs12_path: Path  # a signer whose certificate the sub CA has revoked
    crl_der: Path  # the sub CA's revocation list, naming that certificate
    earlier_crl_der: Path  # the sub CA's list before it revoked that certificate: empty
    module_path: str
    token_label: str
    key_label: str


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND xã Phú Phụng"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _cert(
    subject: str,
    key: Any,
    issuer: x509.Name | None = None,
    issuer_key: ec.EllipticCurvePrivateKey | None = None,
    *,
    ca: bool,
    usage: x509.ObjectIdentifier = ExtendedKeyUsageOID.EMAIL_PROTECTION,
    crl_url: str = "",
) -> x509.Certificate:
    now = datetime.now(UTC) - timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_key is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    if crl_url:  # where the issuer's CRL is published (the validation reads a configured copy)
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ca:
        usage = dict.fromkeys(
            (
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "encipher_only",
                "decipher_only",
            ),
            False,
        )
        builder = builder.add_extension(
            x509.KeyUsage(key_cert_sign=True, crl_sign=True, **usage), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        ).add_extension(
            # A time-stamping certificate's usage must be critical (RFC 3161, 2.3).
            x509.ExtendedKeyUsage([usage]),
            critical=usage == ExtendedKeyUsageOID.TIME_STAMPING,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def softhsm_module() -> str | None:
    for path in SOFTHSM_MODULES:
        if Path(path).exists():
            return path
    return None


def _pem(path: Path, *certs: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def _init_token(folder: Path, key: Any, chain: list[x509.Certificate]) -> str:
    """A SoftHSM2 token with the signer's key and certificate under KEY_LABEL; SOFTHSM2_CONF
    points this process (and pyHanko's session) at it."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    module = softhsm_module()
    util = shutil.which("softhsm2-util")
    if module is None or util is None:
        raise RuntimeError("SoftHSM2 is not installed (Debian package softhsm2: make test)")
    tokens = folder / "tokens"
    tokens.mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(  # noqa: S603
        [
            util,
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--pin",
            PIN,
            "--so-pin",
            SO_PIN,
        ],
        check=True,
        capture_output=True,
    )
    key_pem = folder / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(  # noqa: S603
        [
            util,
            "--import",
            str(key_pem),
            "--token",
            TOKEN_LABEL,
            "--label",
            KEY_LABEL,
            "--id",
            "01",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    key_pem.unlink()
    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        for number, cert in enumerate(chain):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: KEY_LABEL if number == 0 else f"ca-{number}",
                    Attribute.ID: b"\x01" if number == 0 else bytes([number + 1]),
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
    return module


def build_test_ca(folder: Path) -> TestCA:
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _cert("Test Root CA (recognition)", root_key, ca=True)
    middle_key = ec.generate_private_key(ec.SECP256R1())
    middle = _cert("Test Sub CA (recognition)", middle_key, root.subject, root_key, ca=True)
    # RSA, as on the CA's USB tokens in use (and SoftHSM2 signs RSA with its hash mechanisms)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = _cert(SIGNER_NAME, key, middle.subject, middle_key, ca=False)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _cert("Other Root CA", other_key, ca=True)
    p12 = folder / "chu-tich.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"chu-tich",
            key,
            signer,
            [middle],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    module = _init_token(folder, key, [signer, middle])
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _cert(
        "Test TSA (recognition)",
        tsa_key,
        middle.subject,
        middle_key,
        ca=False,
        usage=ExtendedKeyUsageOID.TIME_STAMPING,
    )
    der = serialization.Encoding.DER
    (folder / "tsa.der").write_bytes(tsa.public_bytes(der))
    (folder / "tsa-key.der").write_bytes(
        tsa_key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "sub-ca.der").write_bytes(middle.public_bytes(der))
    revoked_p12, crl, earlier_crl = _revoked_signer(folder, middle, middle_key)
    return TestCA(
        folder=folder,
        root_pem=_pem(folder / "root.pem", root),
        other_root_pem=_pem(folder / "other.pem", other),
        pkcs12_path=p12,
        tsa_cert_der=folder / "tsa.der",
        tsa_key_der=folder / "tsa-key.der",
        sub_ca_der=folder / "sub-ca.der",
        revoked_pkcs12_path=revoked_p12,
        crl_der=crl,
        earlier_crl_der=earlier_crl,
        module_path=module,
        token_label=TOKEN_LABEL,
        key_label=KEY_LABEL,
    )


REVOKED_SIGNER_NAME = "Phó Chủ tịch UBND xã Phú Phụng (đã thu hồi)"
CRL_URL = "http://crl.invalid/sub-ca.crl"


def _revoked_signer(
    folder: Path, issuer: x509.Certificate, issuer_key: ec.EllipticCurvePrivateKey
) -> tuple[Path, Path, Path]:
    """A second signer's PKCS#12 file (same passphrase), the issuer's CRL revoking it and the
    issuer's earlier CRL, which revokes nothing."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _cert(REVOKED_SIGNER_NAME, key, issuer.subject, issuer_key, ca=False, crl_url=CRL_URL)
    p12 = folder / "pho-chu-tich.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"pho-chu-tich",
            key,
            cert,
            [issuer],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    now = datetime.now(UTC)
    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(cert.serial_number)
        .revocation_date(now - timedelta(hours=1))
        .build()
    )
    paths = []
    for number, name, entries in ((0, "sub-ca-earlier.crl", []), (1, "sub-ca.crl", [revoked])):
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.subject)
            .last_update(now - timedelta(hours=2 + 1 - number))
            .next_update(now + timedelta(days=30))
            .add_extension(x509.CRLNumber(number), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                critical=False,
            )
        )
        for entry in entries:
            builder = builder.add_revoked_certificate(entry)
        path = folder / name
        path.write_bytes(
            builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        )
        paths.append(path)
    return p12, paths[1], paths[0]
