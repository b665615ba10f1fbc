"""Who gets what: the expected outcome of every route × role, checked by test_access_matrix.

Every (endpoint, method) of `app.url_map` (except `static`) must have a row here, and every row
must name every role: a new route fails the matrix until it is added.

Outcomes (see `outcome_of` in test_access_matrix):
  OK            2xx, or a redirect that is not the login wall
  IGNORED       (POST) looks like OK (2xx or a redirect with a message) but no row changed: the
                request got past the login wall and the page's check, and the service refused
  LOGIN         302 to /login?next=… (the login wall; an anonymous GET)
  UNAUTHORIZED  401 (an anonymous POST to a page behind the login wall)
  FORBIDDEN     403
  BAD           400
  NOT_FOUND     404
  CONFLICT      409 (an action the object's state does not allow)
  METHOD_NOT_ALLOWED 405

An outcome is one string for every variant of the request, or a dict by variant whose "*" is
the default. The world of the matrix (test_access_matrix.build_world): communes A and B under
a district D (an awarding body, where the secretariat, council member and chair hold their
roles) under a province P (an awarding body where only the administrator, on P, holds a role).
Object routes are requested with:
  "a"        unit A; the account on A; D as awarding body, its award type, criterion, campaign
             and offer; the dossier for A (submitted, in appraisal), its file
  "b"        unit B; the account on B; P and its award type, criterion, campaign and offer;
             the dossier for B in D's campaign (in appraisal), its file
  "draft"    (dossier routes) a never-submitted draft of A's nominator, with a file
  "missing"  an id that does not exist
  "mismatch" (routes with two ids) the second id belongs to the "b" object, not to the "a" one
  "out_of_range" an id above 2**31 - 1: the app's `int` converter matches no route, NOT_FOUND
             for every role unless the row says otherwise (`out_of_range`)
  "empty"    (POST) the CSRF token alone, on the "a" object
Unless a dict says otherwise, "missing" and "mismatch" answer NOT_FOUND where the "a" object
would be let through (OK, IGNORED, BAD or CONFLICT) and the same refusal otherwise: the guard
runs before the lookup. Routes that look the object up before the guard (`lookup_first`)
answer NOT_FOUND for "missing" to every signed-in role.
"""

from __future__ import annotations

OK = "ok"
IGNORED = "ignored"
LOGIN = "login"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
BAD = "bad"
NOT_FOUND = "not_found"
CONFLICT = "conflict"
METHOD_NOT_ALLOWED = "method_not_allowed"

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
SIGNED_IN = ("nominator_a", "nominator_b", "secretariat", "council", "chair", "admin")


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


def lookup_first(by_role: dict[str, Outcome]) -> dict[str, Outcome]:
    """The route finds its object before it checks the role: a missing id is a 404 for every
    signed-in role (the wall still stops the others first)."""
    result = dict(by_role)
    for role in SIGNED_IN:
        outcome = by_role[role]
        default = {"*": outcome} if isinstance(outcome, str) else outcome
        result[role] = {**default, "missing": NOT_FOUND}
    return result


def out_of_range(by_role: dict[str, Outcome], outcome: str) -> dict[str, Outcome]:
    """Every role gets `outcome` for an id out of range (instead of NOT_FOUND)."""
    result = {}
    for role, given in by_role.items():
        default = {"*": given} if isinstance(given, str) else given
        result[role] = {**default, "out_of_range": outcome}
    return result


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

# The secretariat keeps the catalogue and campaigns of its awarding body ("a": D), not those
# of another ("b": P); administrators keep them all.
MANAGER_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=OK,
        disabled=LOGIN,
    )
)
MANAGER_POST = lookup_first(
    row(
        anonymous=UNAUTHORIZED,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=OK,
        disabled=UNAUTHORIZED,
    )
)
# Who reads a dossier: its nominators; the body's secretariat and chair once it was submitted
# (the council only once it is on an agenda: none is here); administrators.
DOSSIER_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a={"*": OK, "b": FORBIDDEN},
        nominator_b={"*": FORBIDDEN, "b": OK},
        secretariat={"*": OK, "draft": FORBIDDEN},
        council=FORBIDDEN,
        chair={"*": OK, "draft": FORBIDDEN},
        admin=OK,
        disabled=LOGIN,
    )
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
    # Logs: administrators only.
    ("logs.audit", "GET"): ADMIN_GET,
    ("logs.audit_verify", "GET"): ADMIN_GET,
    ("logs.mail", "GET"): ADMIN_GET,
    # Notifications: one's own.
    ("notifications.index", "GET"): SIGNED_IN_GET,
    ("notifications.read_all", "POST"): SIGNED_IN_POST,
    # The award catalogue.
    ("campaigns.catalogue", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=OK,
        disabled=LOGIN,
    ),
    ("campaigns.new_award_type", "GET"): MANAGER_GET,
    ("campaigns.new_award_type", "POST"): MANAGER_POST,
    ("campaigns.award_type", "GET"): MANAGER_GET,
    ("campaigns.export_criteria", "GET"): MANAGER_GET,
    ("campaigns.edit_award_type", "GET"): MANAGER_GET,
    ("campaigns.edit_award_type", "POST"): MANAGER_POST,
    ("campaigns.criterion", "GET"): MANAGER_GET,
    ("campaigns.criterion", "POST"): MANAGER_POST,
    ("campaigns.import_criteria", "POST"): MANAGER_POST,
    # A criterion that dossiers answered ("a") is kept: 400 with the reason.
    ("campaigns.remove_criterion", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": BAD, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": BAD, "b": OK},
            disabled=UNAUTHORIZED,
        )
    ),
    # Campaigns: everyone signed in has the list (of what they may see).
    ("campaigns.index", "GET"): SIGNED_IN_GET,
    ("campaigns.detail", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=OK,  # both campaigns are above commune A
            nominator_b=OK,
            secretariat={"*": OK, "b": FORBIDDEN},
            council={"*": OK, "b": FORBIDDEN},
            chair={"*": OK, "b": FORBIDDEN},
            admin=OK,
            disabled=LOGIN,
        )
    ),
    ("campaigns.new_campaign", "GET"): MANAGER_GET,
    ("campaigns.new_campaign", "POST"): MANAGER_POST,
    ("campaigns.edit_campaign", "GET"): MANAGER_GET,
    ("campaigns.edit_campaign", "POST"): MANAGER_POST,
    ("campaigns.change_status", "POST"): MANAGER_POST,
    ("campaigns.extend", "POST"): MANAGER_POST,
    ("campaigns.add_offer", "POST"): MANAGER_POST,
    # An offer that dossiers use ("a") is kept: 400 with the reason.
    ("campaigns.remove_offer", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": BAD, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": BAD, "b": OK},
            disabled=UNAUTHORIZED,
        )
    ),
    # Dossiers. Creating: the nominators below the campaign's body. The form names a unit in
    # A's area: B's nominator is refused by the service (the form comes back with the reason).
    ("nominations.index", "GET"): SIGNED_IN_GET,
    ("nominations.create", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=OK,
            nominator_b=OK,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("nominations.create", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": OK, "empty": IGNORED},
            nominator_b=IGNORED,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("nominations.detail", "GET"): DOSSIER_GET,
    ("nominations.dossier_pdf", "GET"): DOSSIER_GET,
    ("nominations.download", "GET"): DOSSIER_GET,
    # Editing a dossier in appraisal sends readers back to it with a message.
    ("nominations.edit", "GET"): DOSSIER_GET,
    ("nominations.edit", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": IGNORED, "b": FORBIDDEN, "draft": OK},
            nominator_b={"*": FORBIDDEN, "b": IGNORED},
            secretariat={"*": IGNORED, "draft": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": IGNORED, "draft": FORBIDDEN},
            admin=IGNORED,
            disabled=UNAUTHORIZED,
        )
    ),
    # "send_back" with a reason: the secretariat's; whoever else reads the dossier is refused
    # (403), a draft cannot be sent back (409); without the reason, a message (nothing done).
    ("nominations.act", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": FORBIDDEN, "draft": CONFLICT},
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "draft": FORBIDDEN, "empty": IGNORED},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": FORBIDDEN, "draft": CONFLICT},
            disabled=UNAUTHORIZED,
        )
    ),
    # Only the nominator deletes a never-submitted draft.
    ("nominations.delete", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": FORBIDDEN, "draft": OK},
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Only the nominator removes a file, while the dossier is editable. A file of another
    # dossier is not found for whoever reads this one.
    ("nominations.remove_file", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": FORBIDDEN, "draft": OK, "mismatch": NOT_FOUND},
            nominator_b=FORBIDDEN,
            secretariat={"*": FORBIDDEN, "mismatch": NOT_FOUND},
            council=FORBIDDEN,
            chair={"*": FORBIDDEN, "mismatch": NOT_FOUND},
            admin={"*": FORBIDDEN, "mismatch": NOT_FOUND},
            disabled=UNAUTHORIZED,
        )
    ),
    # Appraisal: the secretariat of the dossier's body, once it was submitted.
    ("review.inbox", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
    ("review.appraise", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "draft": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    # Its path is also the appraisal page's (GET): an id out of range matches that rule's path
    # but not its method, so Werkzeug answers 405 rather than 404.
    ("review.save_appraisal", "POST"): out_of_range(
        lookup_first(
            row(
                anonymous=UNAUTHORIZED,
                nominator_a=FORBIDDEN,
                nominator_b=FORBIDDEN,
                secretariat={"*": OK, "draft": FORBIDDEN},
                council=FORBIDDEN,
                chair=FORBIDDEN,
                admin=FORBIDDEN,
                disabled=UNAUTHORIZED,
            )
        ),
        METHOD_NOT_ALLOWED,
    ),
    # A submitted round of a dossier, for whoever reads it; a draft has none.
    ("review.round_view", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN, "draft": NOT_FOUND},
            nominator_b={"*": FORBIDDEN, "b": OK},
            secretariat={"*": OK, "draft": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": OK, "draft": FORBIDDEN},
            admin={"*": OK, "draft": NOT_FOUND},
            disabled=LOGIN,
        )
    ),
}
