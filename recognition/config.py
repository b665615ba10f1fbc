"""Settings, read from the environment (prefix RECOGNITION_)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"RECOGNITION_{name}", default)


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """The key from the environment, or one generated once into instance/secret_key."""
    given = _env("SECRET_KEY")
    if given:
        return given
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: when two workers start at once, one writes and the other reads the winner's key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


DEVELOPMENT_URL = "http://127.0.0.1:5000"


def load_config(instance_path: Path) -> dict[str, Any]:
    """The application's configuration for this environment."""
    production = _env("ENV", "development") == "production"
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'recognition.sqlite'}"
    redis_url = _env("REDIS_URL")
    trusted_hosts = [h.strip() for h in (_env("TRUSTED_HOSTS") or "").split(",") if h.strip()]
    public_url = _env("PUBLIC_URL")
    if production and not public_url:
        # Every certificate's QR code and every e-mail's link is built from it: without it the
        # first decision issued would fail, long after start-up.
        raise RuntimeError(
            "RECOGNITION_PUBLIC_URL must be set in production: the address the public and the "
            "users reach (https://…), used by the certificates' QR codes and the e-mails' links."
        )
    if production and not trusted_hosts and public_url:
        # In production a request for any other host name is refused (400), so that links the
        # app builds (password mail, QR codes) never carry a forged Host header.
        trusted_hosts = [urlsplit(public_url).hostname or ""]
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # No ping per checkout: a connection the server closed is found without a round trip
        # and replaced (recognition._postgres_connection_alive).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_STRATEGY": "moving-window",  # no reset at clock boundaries
        "TRUSTED_HOSTS": trusted_hosts or None,
        "PROXY_COUNT": _env_int("PROXY_COUNT", 0),
        "QUERY_COUNT_HEADER": _env_bool("QUERY_COUNT_HEADER", False),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": _env("TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ["vi", "en"],
        **_session_settings(production),
        # The base of the links the app gives out (e-mail, QR codes on certificates); a
        # development server answers on Flask's default address.
        **_file_and_workflow_settings(
            instance_path, public_url or (None if production else DEVELOPMENT_URL)
        ),
        **_pdf_settings(instance_path),
        **_mail_settings(),
        **_signature_settings(instance_path),
    }


def _session_settings(production: bool) -> dict[str, Any]:
    """Cookies, CSRF, passwords and log-in throttling."""
    return {
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", production),
        "SESSION_COOKIE_NAME": "recognition_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12)),
        "SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 60),
        # The cookie is sent again when the session changes, not on every response (signing it
        # cost a tenth of a signed-in page): an active session changes at least every minute
        # (its `seen_at`, recognition.security), and both lifetimes are checked on the server.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "HSTS": production,
        "PASSWORD_MIN_LENGTH": _env_int("PASSWORD_MIN_LENGTH", 10),
        "ARGON2_TIME_COST": _env_int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _env_int("ARGON2_MEMORY_COST", 65536),
        # Failed log-ins per (user name, client address) pair before growing delays, the
        # longest delay, and the failures of one account from all addresses within an hour
        # that put it under attack (recognition.auth.throttle).
        "LOGIN_FREE_ATTEMPTS": _env_int("LOGIN_FREE_ATTEMPTS", 5),
        "LOGIN_MAX_DELAY_MINUTES": _env_int("LOGIN_MAX_DELAY_MINUTES", 15),
        "LOGIN_ACCOUNT_ALERT": _env_int("LOGIN_ACCOUNT_ALERT", 20),
        "LOGIN_LIMIT_PER_IP": _env("LOGIN_LIMIT_PER_IP", "20 per hour"),
        # Requests of one API client, and the public certificate check per address.
        "API_RATE_LIMIT": _env("API_RATE_LIMIT", "300 per minute"),
        "API_PUBLIC_RATE_LIMIT": _env("API_PUBLIC_RATE_LIMIT", "30 per minute"),
    }


def _file_and_workflow_settings(instance_path: Path, public_url: str | None) -> dict[str, Any]:
    """Uploads, stored files, ballot keys, lists and the appraisal's deadlines."""
    return {
        "MAX_CONTENT_LENGTH": _env_int("MAX_UPLOAD_MB", 25) * 1024 * 1024,
        "PAGE_SIZE": _env_int("PAGE_SIZE", 25),
        "UPLOAD_DIR": _env("UPLOAD_DIR") or str(instance_path / "uploads"),
        **_object_store_settings(),
        **_ballot_key_settings(instance_path),
        "MAX_FILE_MB": _env_int("MAX_FILE_MB", 10),
        "HONOUR_PHOTO_MB": _env_int("HONOUR_PHOTO_MB", 5),
        # The citizen ID number of a person in the award history is personal data (NĐ 13/2023):
        # kept only where the installation decides to.
        "HISTORY_STORE_CITIZEN_ID": _env_bool("HISTORY_STORE_CITIZEN_ID", False),
        "MAX_DOSSIER_MB": _env_int("MAX_DOSSIER_MB", 50),
        "SEND_BACK_LIMIT": _env_int("SEND_BACK_LIMIT", 1),
        "REVIEW_WORKING_DAYS": _env_int("REVIEW_WORKING_DAYS", 10),
        # NĐ 152/2025/NĐ-CP art. 4: on a tie, collectives with at least this share of women
        # come first (with individual women).
        "WOMEN_PRIORITY_PERCENT": _env_int("WOMEN_PRIORITY_PERCENT", 70),
        "HOLIDAYS": [d.strip() for d in (_env("HOLIDAYS") or "").split(",") if d.strip()],
        "PUBLIC_URL": public_url,
        "PRINT_INLINE_LIMIT": _env_int("PRINT_INLINE_LIMIT", 40),
    }


def _object_store_settings() -> dict[str, Any]:
    """Where evidence files and stored PDFs live: the folder UPLOAD_DIR ("local", one server)
    or an S3-compatible bucket shared by several servers ("s3": MinIO, Ceph, AWS)."""
    return {
        "STORAGE_BACKEND": (_env("STORAGE_BACKEND") or "local").strip().lower(),
        "S3_ENDPOINT_URL": _env("S3_ENDPOINT_URL") or None,
        "S3_BUCKET": _env("S3_BUCKET") or None,
        "S3_PREFIX": _env("S3_PREFIX", ""),
        "S3_ACCESS_KEY_ID": _env("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": _env("S3_SECRET_ACCESS_KEY") or None,
        "S3_REGION": _env("S3_REGION") or "us-east-1",
    }


def _ballot_key_settings(instance_path: Path) -> dict[str, Any]:
    """The keys of open secret votes: outside the database and never in a backup
    (docs/secret-ballot.md). Every server must reach them: a folder they all mount ("local"),
    or a bucket of their own ("s3"), never the bucket of the stored files."""
    return {
        "BALLOT_KEY_BACKEND": (_env("BALLOT_KEY_BACKEND") or "local").strip().lower(),
        "BALLOT_KEY_DIR": _env("BALLOT_KEY_DIR") or str(instance_path / "ballot-keys"),
        "BALLOT_KEY_S3_BUCKET": _env("BALLOT_KEY_S3_BUCKET") or None,
        "BALLOT_KEY_S3_PREFIX": _env("BALLOT_KEY_S3_PREFIX", ""),
        # The file store's connection settings unless the keys have their own.
        **{
            f"BALLOT_KEY_S3_{name}": _env(f"BALLOT_KEY_S3_{name}") or _env(f"S3_{name}") or None
            for name in ("ENDPOINT_URL", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY")
        },
        "BALLOT_KEY_S3_REGION": _env("BALLOT_KEY_S3_REGION") or _env("S3_REGION") or "us-east-1",
    }


def _pdf_settings(instance_path: Path) -> dict[str, Any]:
    return {
        # PDF renders run in worker processes, each bounded in time and memory, in two lanes
        # (recognition.common.render_pool); a user has at most PDF_RENDERS_PER_USER in flight in all
        # the processes (recognition.common.pdf). The time bound counts from the start of a render;
        # waiting for a worker has its own. gunicorn's --timeout must exceed the two together.
        "PDF_PROCESSES": _env_int("PDF_PROCESSES", min(2, os.cpu_count() or 1)),
        "PDF_TIMEOUT_SECONDS": _env_int("PDF_TIMEOUT_SECONDS", 120),
        "PDF_QUEUE_SECONDS": _env_int("PDF_QUEUE_SECONDS", 180),
        "PDF_MEMORY_MB": _env_int("PDF_MEMORY_MB", 1536),
        "PDF_LANES": _env_bool("PDF_LANES", True),
        "PDF_RENDERS_PER_USER": _env_int("PDF_RENDERS_PER_USER", 1),
        "PDF_MAX_PAGES": _env_int("PDF_MAX_PAGES", 200),
        # Where per-user leases are kept without Redis: shared by the processes of one host.
        "LEASE_DIR": _env("LEASE_DIR") or str(instance_path / "leases"),
    }


def _paths(name: str) -> list[str]:
    return [p.strip() for p in (_env(name) or "").split(os.pathsep) if p.strip()]


def _signature_settings(instance_path: Path) -> dict[str, Any]:
    """Digital signatures (recognition.common.signing): the folder of the bodies' PKCS#12 files,
    the PKCS#11 modules a body may name (a module is code the server loads), the trust roots
    signatures are validated against (PEM files) and a time-stamping server (RFC 3161), and how
    long a validation is kept (recognition.common.signature_cache)."""
    return {
        "SIGNATURE_KEY_DIR": _env("SIGNATURE_KEY_DIR") or str(instance_path / "signing-keys"),
        "SIGNATURE_PKCS11_MODULES": _paths("SIGNATURE_PKCS11_MODULES"),
        "SIGNATURE_TRUST_ROOTS": _paths("SIGNATURE_TRUST_ROOTS"),
        "SIGNATURE_CRLS": _paths("SIGNATURE_CRLS"),
        "SIGNATURE_TSA_URL": _env("SIGNATURE_TSA_URL", "") or "",
        "SIGNATURE_UPLOAD_MB": _env_int("SIGNATURE_UPLOAD_MB", 10),
        "SIGNATURE_CACHE_SECONDS": _env_int("SIGNATURE_CACHE_SECONDS", 300),
    }


def _mail_settings() -> dict[str, Any]:
    return {
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_FROM": _env("MAIL_FROM", "thidua-khenthuong@localhost"),
    }
