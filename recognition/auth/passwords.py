"""Password strength rules (length and a block list, as NIST SP 800-63B advises)."""

from flask import current_app
from flask_babel import gettext as _

from recognition.common.text import fold

# The most used passwords and local favourites; extend as needed.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "0123456789",
        "1111111111",
        "0000000000",
        "password123",
        "password1234",
        "matkhau123",
        "matkhau1234",
        "qwertyuiop",
        "1q2w3e4r5t",
        "abc1234567",
        "iloveyou123",
        "admin12345",
        "administrator",
        "vietnam123",
        "anhyeuem123",
        "123456789@",
        "abcd123456",
        "a123456789",
        "qwerty1234",
        "passw0rd123",
        "changeme123",
    }
)


def password_problems(password: str, *, username: str = "", full_name: str = "") -> list[str]:
    """Every reason `password` is too weak, as messages for the user (empty when strong)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Use at least %(count)d characters.", count=minimum))
    if len(password) > 128:
        problems.append(_("Use at most 128 characters."))
    folded = fold(password).replace(" ", "")
    if folded in COMMON_PASSWORDS or password.lower() in COMMON_PASSWORDS:
        problems.append(_("This password is too common; choose another."))
    if len(set(password)) < 4:
        problems.append(_("Use more different characters."))
    if password.isdigit():
        problems.append(_("Do not use digits only."))
    name_parts = [username.lower(), *fold(full_name).split()]
    if any(len(part) >= 3 and part in folded for part in name_parts if part):
        problems.append(_("Do not use your name or user name in the password."))
    return problems
