"""Who gets what: the expected outcome of every route × role, checked by test_access_matrix.

Every (endpoint, method) of `app.url_map` (except `static`) must have a row here, and every row
must name every role: a new route fails the matrix until it is added.

Outcomes (see `outcome_of` in test_access_matrix):
  OK            2xx, or a redirect that is not the login wall
  LOGIN         302 to /login?next=… (the login wall; an anonymous GET)
  UNAUTHORIZED  401 (an anonymous POST to a page behind the login wall)
  FORBIDDEN     403
  BAD           400
  NOT_FOUND     404

An outcome is either one string for every variant of the request, or a dict by variant.
Object routes are requested with the ids of objects of unit A ("unit_a"), of unit B ("unit_b"),
with an id that does not exist ("missing"), and for a grant with a user that does not hold it
("mismatch"). Unless a dict says otherwise, these ids that point at nothing answer NOT_FOUND
where a real id would be let through (OK or BAD) and the same refusal otherwise: the role guard
runs before the lookup. An id too large for a database id column ("out_of_range") matches no
route (the app's `int` converter stops at 2**31 - 1): NOT_FOUND for every role.
POST routes are also sent the CSRF token alone ("empty"), with the outcome of the valid form.
"""

from __future__ import annotations

OK = "ok"
LOGIN = "login"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
BAD = "bad"
NOT_FOUND = "not_found"

ROLES = (
    "anonymous",
    "nominator_a",
    "nominator_b",
    "secretariat",
    "council",
    "chair",
    "admin",
    "disabled",  # logged in, then the account was disabled: the session is dead
)

Outcome = str | dict[str, str]


def row(
    *,
    anonymous: Outcome,
    nominator_a: Outcome,
    nominator_b: Outcome,
    secretariat: Outcome,
    council: Outcome,
    chair: Outcome,
    admin: Outcome,
    disabled: Outcome,
) -> dict[str, Outcome]:
    """One line of the table; keyword-only so that no role can be forgotten."""
    return {
        "anonymous": anonymous,
        "nominator_a": nominator_a,
        "nominator_b": nominator_b,
        "secretariat": secretariat,
        "council": council,
        "chair": chair,
        "admin": admin,
        "disabled": disabled,
    }


# Shapes that recur. Each route below still names its shape explicitly.
PUBLIC = row(
    anonymous=OK,
    nominator_a=OK,
    nominator_b=OK,
    secretariat=OK,
    council=OK,
    chair=OK,
    admin=OK,
    disabled=OK,
)
SIGNED_IN_GET = row(
    anonymous=LOGIN,
    nominator_a=OK,
    nominator_b=OK,
    secretariat=OK,
    council=OK,
    chair=OK,
    admin=OK,
    disabled=LOGIN,
)
SIGNED_IN_POST = row(
    anonymous=UNAUTHORIZED,
    nominator_a=OK,
    nominator_b=OK,
    secretariat=OK,
    council=OK,
    chair=OK,
    admin=OK,
    disabled=UNAUTHORIZED,
)
ADMIN_GET = row(
    anonymous=LOGIN,
    nominator_a=FORBIDDEN,
    nominator_b=FORBIDDEN,
    secretariat=FORBIDDEN,
    council=FORBIDDEN,
    chair=FORBIDDEN,
    admin=OK,
    disabled=LOGIN,
)
ADMIN_POST = row(
    anonymous=UNAUTHORIZED,
    nominator_a=FORBIDDEN,
    nominator_b=FORBIDDEN,
    secretariat=FORBIDDEN,
    council=FORBIDDEN,
    chair=FORBIDDEN,
    admin=OK,
    disabled=UNAUTHORIZED,
)

ACCESS: dict[tuple[str, str], dict[str, Outcome]] = {
    # Public: the home page redirects to the dashboard (which has the wall), the login page and
    # the language switch work for everybody; a signed-in user at /login goes to the dashboard.
    ("dashboard.home", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.set_language", "POST"): PUBLIC,
    # Every signed-in user, whatever the role.
    ("dashboard.index", "GET"): SIGNED_IN_GET,
    ("auth.change_password", "GET"): SIGNED_IN_GET,
    ("auth.change_password", "POST"): SIGNED_IN_POST,
    ("auth.logout", "POST"): SIGNED_IN_POST,
    # The unit tree: administrators only.
    ("units.index", "GET"): ADMIN_GET,
    ("units.export_csv", "GET"): ADMIN_GET,
    ("units.create", "GET"): ADMIN_GET,
    ("units.create", "POST"): ADMIN_POST,
    ("units.import_csv", "GET"): ADMIN_GET,
    ("units.import_csv", "POST"): ADMIN_POST,
    ("units.detail", "GET"): ADMIN_GET,
    ("units.edit", "GET"): ADMIN_GET,
    ("units.edit", "POST"): ADMIN_POST,
    ("units.move", "GET"): ADMIN_GET,
    ("units.move", "POST"): ADMIN_POST,
    ("units.deactivate", "POST"): ADMIN_POST,
    ("units.reactivate", "POST"): ADMIN_POST,
    # Accounts and roles: administrators only.
    ("admin.users", "GET"): ADMIN_GET,
    ("admin.create_user_view", "GET"): ADMIN_GET,
    ("admin.create_user_view", "POST"): ADMIN_POST,
    ("admin.user_detail", "GET"): ADMIN_GET,
    ("admin.edit_user", "GET"): ADMIN_GET,
    ("admin.edit_user", "POST"): ADMIN_POST,
    ("admin.disable", "POST"): ADMIN_POST,
    ("admin.enable", "POST"): ADMIN_POST,
    ("admin.reset_password_view", "POST"): ADMIN_POST,
    ("admin.add_grant", "POST"): ADMIN_POST,
    ("admin.revoke", "POST"): ADMIN_POST,
}
