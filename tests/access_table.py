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
a district D (an awarding body, where the secretariat, the council members and the chair hold
their roles, the chair and one member with a seat on today's sessions) under a province P (an
awarding body with its own staff and council, none of them a role of the matrix; the
administrator's role is on P). Object routes are requested with:
  "a"        unit A; the account on A; D as awarding body, its award type, criterion, campaign
             and offer, its council seat; the dossier for A (in appraisal) and its file; a
             session of D's council voting on a dossier; D's issued decision, its certificate
             and a print job of its certificates (done)
  "b"        unit B; the account on B; P and its award type, criterion, campaign, offer and
             council seat; the dossier for B in D's campaign (in appraisal) and its file; a
             session of P's council voting; P's issued decision, its certificate and a print
             job of its certificates (done)
  "draft"    (dossiers) a never-submitted draft of A's nominator, with a file
  "planned", "closed" (council sessions) a session of D not yet voting; one voted and closed
  "posted"   (decisions) a decision of D posted publicly, not yet issued
  "missing"  an id that does not exist
  "mismatch" (routes with two ids) the second id belongs to the "b" object, not to the "a" one
  targets   "a": a target of D's campaign for which unit A answers, with a value reported by A's
             nominator (awaiting confirmation) and its evidence file; "b": the same in P's
             campaign for unit B
  law values "a": an administrator's base salary from next month (not yet in force); "b" one
             in force since last month
  "out_of_range" (administrator only) an id above 2**31 - 1: the app's `int` converter matches
             no route, NOT_FOUND unless the row says otherwise (`out_of_range`)
  "empty"    (POST, the roles the valid form lets through) the CSRF token alone
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
    "council_off_roll",  # a member of D's council from tomorrow: not on today's sessions' roll
    "chair",
    "admin",
    "disabled",  # logged in, then the account was disabled: the session is dead
)

Outcome = str | dict[str, str]
SIGNED_IN = (
    "nominator_a",
    "nominator_b",
    "secretariat",
    "council",
    "council_off_roll",
    "chair",
    "admin",
)


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
    council_off_roll: Outcome | None = None,
) -> dict[str, Outcome]:
    """One line of the table; keyword-only so that no role can be forgotten. The council
    member who is not on a session's roll answers like `council` unless given."""
    return {
        "anonymous": anonymous,
        "nominator_a": nominator_a,
        "nominator_b": nominator_b,
        "secretariat": secretariat,
        "council": council,
        "council_off_roll": council if council_off_roll is None else council_off_roll,
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

# An awarding body's own secretariat only (not the administrators): D's, not P's.
MANAGER_GET_SECRETARIAT_ONLY = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    )
)
MANAGER_POST_SECRETARIAT_ONLY = lookup_first(
    row(
        anonymous=UNAUTHORIZED,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=UNAUTHORIZED,
    )
)

# The world's units and accounts are active: reactivating or enabling one is refused by its
# lifecycle (409, with the reason).
ADMIN_POST_WHILE_ACTIVE = {**ADMIN_POST, "admin": CONFLICT}

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
# Who reports a target's values (and withdraws one still waiting): the nominators of its unit
# and the body's secretariat, administrators.
REPORTER_POST = lookup_first(
    row(
        anonymous=UNAUTHORIZED,
        nominator_a={"*": OK, "b": FORBIDDEN},
        nominator_b={"*": FORBIDDEN, "b": OK},
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

# A council session of D is seen by D's secretariat, chair and council members (on its roll or
# not) and administrators; P's ("b") only by administrators here.
SESSION_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council={"*": OK, "b": FORBIDDEN},
        chair={"*": OK, "b": FORBIDDEN},
        admin=OK,
        disabled=LOGIN,
    )
)
# The secretariat runs D's sessions while they are planned: a voting or closed one refuses (400).
SESSION_RUN = lookup_first(
    row(
        anonymous=UNAUTHORIZED,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": BAD, "b": FORBIDDEN, "planned": OK},
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=UNAUTHORIZED,
    )
)
# Minutes and results exist once the session is closed.
SESSION_CLOSED_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": NOT_FOUND, "b": FORBIDDEN, "closed": OK},
        council={"*": NOT_FOUND, "b": FORBIDDEN, "closed": OK},
        chair={"*": NOT_FOUND, "b": FORBIDDEN, "closed": OK},
        admin={"*": NOT_FOUND, "closed": OK},
        disabled=LOGIN,
    )
)
# D's decisions are its secretariat's and chair's (and the administrators'), not P's.
DECISION_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair={"*": OK, "b": FORBIDDEN},
        admin=OK,
        disabled=LOGIN,
    )
)
# Certificates exist once a decision is issued.
CERTIFICATES_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN, "posted": NOT_FOUND},
        council=FORBIDDEN,
        chair={"*": OK, "b": FORBIDDEN, "posted": NOT_FOUND},
        admin={"*": OK, "posted": NOT_FOUND},
        disabled=LOGIN,
    )
)
# What only the body's secretariat or an administrator keeps.
SECRETARIAT_OR_ADMIN_GET = lookup_first(
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
SECRETARIAT_OR_ADMIN_POST = lookup_first(
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

# A movement's targets are read by whoever sees its campaign: the nominators below the body
# (both campaigns are above commune A and B), the body's staff, administrators.
TARGETS_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a={"*": OK, "b": FORBIDDEN},  # the province's campaign: not commune A's
        nominator_b=OK,
        secretariat={"*": OK, "b": FORBIDDEN},
        council={"*": OK, "b": FORBIDDEN},
        chair={"*": OK, "b": FORBIDDEN},
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
    ("auth.notification_settings", "GET"): SIGNED_IN_GET,
    ("auth.notification_settings", "POST"): SIGNED_IN_POST,
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
    ("units.reactivate", "POST"): ADMIN_POST_WHILE_ACTIVE,
    ("units.merge", "POST"): ADMIN_POST,
    # Accounts and roles: administrators only.
    ("admin.users", "GET"): ADMIN_GET,
    ("admin.create_user_view", "GET"): ADMIN_GET,
    ("admin.create_user_view", "POST"): ADMIN_POST,
    ("admin.user_detail", "GET"): ADMIN_GET,
    ("admin.edit_user", "GET"): ADMIN_GET,
    ("admin.edit_user", "POST"): ADMIN_POST,
    ("admin.disable", "POST"): ADMIN_POST,
    ("admin.enable", "POST"): ADMIN_POST_WHILE_ACTIVE,
    ("admin.reset_password_view", "POST"): ADMIN_POST,
    # Without a password waiting to be shown, the page leads to the account's.
    ("admin.temporary_password", "GET"): ADMIN_GET,
    ("admin.add_grant", "POST"): ADMIN_POST,
    ("admin.revoke", "POST"): ADMIN_POST,
    ("admin.login_throttles", "GET"): ADMIN_GET,
    # The CSRF token alone names no user name to clear.
    ("admin.clear_login_throttle", "POST"): {**ADMIN_POST, "admin": {"*": OK, "empty": BAD}},
    # Logs: administrators only.
    ("logs.audit", "GET"): ADMIN_GET,
    ("logs.audit_verify", "GET"): ADMIN_GET,
    ("logs.mail", "GET"): ADMIN_GET,
    # The law in force: administrators only.
    ("law.index", "GET"): ADMIN_GET,
    ("law.rule", "GET"): ADMIN_GET,
    ("law.rule", "POST"): ADMIN_POST,
    # A value in force ("b") is not deleted: documents of its days were made with it (409).
    ("law.delete_value", "POST"): {**ADMIN_POST, "admin": {"*": OK, "b": CONFLICT}},
    # Notifications: one's own.
    ("notifications.index", "GET"): SIGNED_IN_GET,
    ("notifications.read_all", "POST"): SIGNED_IN_POST,
    ("notifications.open_one", "POST"): SIGNED_IN_POST,
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
    # A level's default catalogue: D is a district, which has none (the reason is shown).
    ("campaigns.seed_defaults", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": IGNORED, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": IGNORED, "b": OK},
            disabled=UNAUTHORIZED,
        )
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
            # Commune A proposes to its district only (the province through the district);
            # B's nominator also nominates for an office directly below the province.
            nominator_a={"*": OK, "b": FORBIDDEN},
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
    # An offer that dossiers use ("a") is kept: back to the campaign's page with the reason
    # and the count (no row changed).
    ("campaigns.remove_offer", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": IGNORED, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": IGNORED, "b": OK},
            disabled=UNAUTHORIZED,
        )
    ),
    # Dossiers. Creating: the nominators below the campaign's body. The form names a unit in
    # A's area: B's nominator is refused by the service (the form comes back with the reason).
    ("nominations.index", "GET"): SIGNED_IN_GET,
    ("nominations.export", "GET"): SIGNED_IN_GET,
    # The import of candidates: the campaign's nominators, as the new dossier form.
    ("nominations.import_candidates_page", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},  # the province: through the district
            nominator_b=OK,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("nominations.import_candidates_page", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": OK, "empty": IGNORED, "b": FORBIDDEN},
            nominator_b=IGNORED,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("nominations.import_template", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},  # the province: through the district
            nominator_b=OK,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("nominations.create", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},  # the province: through the district
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
            nominator_a={"*": OK, "empty": IGNORED, "b": FORBIDDEN},
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
            # Without its reason, the action comes back as the dossier's page with the error
            # under the comment box (400).
            secretariat={"*": OK, "draft": FORBIDDEN, "empty": BAD},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": FORBIDDEN, "draft": CONFLICT},
            disabled=UNAUTHORIZED,
        )
    ),
    # Holding a dossier (NĐ 152/2025 art. 4) and lifting the hold: the secretariat of its body,
    # once submitted; a reason is required (the CSRF token alone is a 400 with the form). The
    # dossiers of the matrix are not held: lifting is a 409 with the message.
    ("nominations.hold", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "draft": FORBIDDEN, "empty": BAD},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("nominations.release", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": CONFLICT, "draft": FORBIDDEN, "empty": BAD},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
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
    # A new draft from a withdrawn dossier: its nominators; no dossier of the matrix is
    # withdrawn, so theirs are a 409 with the message, and whoever else reads one a 403.
    ("nominations.copy", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": CONFLICT, "b": FORBIDDEN},
            nominator_b={"*": FORBIDDEN, "b": CONFLICT},
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
    ("review.inbox_export", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
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
    # The council: members and sessions (D's secretariat and administrators keep them).
    ("council.index", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=OK,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    ("council.members", "GET"): SECRETARIAT_OR_ADMIN_GET,
    ("council.members", "POST"): SECRETARIAT_OR_ADMIN_POST,
    # A seat of another council under this body's address is refused (403, not 404).
    ("council.end_member", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN, "mismatch": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin={"*": OK, "mismatch": FORBIDDEN},
            disabled=UNAUTHORIZED,
        )
    ),
    ("council.new_session", "GET"): SECRETARIAT_OR_ADMIN_GET,
    ("council.new_session", "POST"): SECRETARIAT_OR_ADMIN_POST,
    ("council.session", "GET"): SESSION_GET,
    ("council.add_items", "POST"): SESSION_RUN,
    ("council.move", "POST"): SESSION_RUN,
    ("council.remove_item", "POST"): SESSION_RUN,
    ("council.attendance", "POST"): SESSION_RUN,
    # Who keeps the minutes: the secretariat names them until the chair approves the results
    # (the minutes are drawn whenever printed); the form alone leaves the default as it is.
    ("council.secretary", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            # The closed session's results are approved by the chair: its secretary stays.
            secretariat={"*": OK, "b": FORBIDDEN, "empty": IGNORED, "closed": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Opening the vote: the secretariat, of a session being prepared (a transition of the
    # session's life: 409 from any other state).
    ("council.open_vote", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": CONFLICT, "b": FORBIDDEN, "planned": OK},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Counts of a show of hands: these titles are voted by ballot (400); without the counts,
    # a message.
    ("council.hands", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": BAD, "b": FORBIDDEN, "empty": IGNORED},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The ballot: members on the session's roll only (not the member from tomorrow, not the
    # secretariat or the administrators). A planned session has no open vote (409); on a closed
    # one, a member who voted sees the receipt but cannot vote again.
    ("council.vote", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council={"*": OK, "b": FORBIDDEN, "planned": CONFLICT},
            council_off_roll=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "planned": CONFLICT},
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("council.vote", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            # In the closed session they had voted: a step sent again shows that they did.
            council={"*": OK, "b": FORBIDDEN, "planned": CONFLICT},
            council_off_roll=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "planned": CONFLICT},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("council.conflict", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council={"*": OK, "b": FORBIDDEN, "closed": BAD},
            council_off_roll=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "closed": BAD},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Closing the vote: the secretariat or the chair; only a voting session (409 otherwise).
    # The form asks for the chair's approval, which only the chair may give: the secretariat
    # is refused (403) unless it closes without it.
    ("council.close", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={
                "*": FORBIDDEN,
                "empty": OK,
                "planned": CONFLICT,
                "closed": CONFLICT,
            },
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "planned": CONFLICT, "closed": CONFLICT},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The chair's approval: the chair's own act, during the vote.
    ("council.approve", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "planned": CONFLICT, "closed": CONFLICT},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("council.minutes", "GET"): SESSION_CLOSED_GET,
    ("council.results_xlsx", "GET"): SESSION_CLOSED_GET,
    # Decisions: drafted and posted by the secretariat, issued and annulled by the chair.
    ("decisions.index_export", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    ("decisions.index", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    # A passed dossier of D, in no decision yet; administrators do not draft (403); without a
    # dossier, the secretariat is told to choose one (400).
    ("decisions.create", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN, "empty": BAD},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("decisions.detail", "GET"): DECISION_GET,
    ("decisions.detail_export", "GET"): DECISION_GET,
    # Only the secretariat edits, and only until the decision is issued.
    ("decisions.detail", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": FORBIDDEN, "posted": OK},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Posting is for a draft: an issued or posted decision cannot be posted (409).
    ("decisions.post", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": CONFLICT, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # Issued already (409); a posted list can be issued only after its posting ends (400).
    ("decisions.issue", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair={"*": CONFLICT, "b": FORBIDDEN, "posted": BAD},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The chair annuls an issued decision, with a reason; without one, whoever may read the
    # decision is sent back to it with a message.
    ("decisions.annul", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": FORBIDDEN, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "posted": CONFLICT},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The secretariat proposes to annul an issued decision, with a reason; a posted one cannot
    # be proposed (409).
    ("decisions.request_annulment", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN, "posted": CONFLICT, "empty": IGNORED},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The chair dismisses the proposal that waits, with a note; the world's decisions have
    # none waiting, so the chair is refused (400; tests/decisions/test_annulment_requests.py
    # dismisses one).
    ("decisions.dismiss_annulment", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat=FORBIDDEN,
            council=FORBIDDEN,
            chair={"*": BAD, "b": FORBIDDEN},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("decisions.decision_pdf", "GET"): DECISION_GET,
    # Printing in the background: a job for an issued decision's certificates, its page and its
    # PDF, for whoever may read the decision.
    ("certificates.start_print", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN, "posted": NOT_FOUND},
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN, "posted": NOT_FOUND},
            admin={"*": OK, "posted": NOT_FOUND},
            disabled=UNAUTHORIZED,
        )
    ),
    ("certificates.print_job", "GET"): DECISION_GET,
    ("certificates.print_job_download", "GET"): DECISION_GET,
    ("certificates.certificates_pdf", "GET"): CERTIFICATES_GET,
    ("certificates.certificates_zip", "GET"): CERTIFICATES_GET,
    ("certificates.golden_book", "GET"): DECISION_GET,
    # Choosing a decision's lines among every passed dossier: the body's secretariat only
    # (administrators do not draft).
    ("decisions.create", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    # Reward money: whoever reads the decision reads its amounts and payment list; the
    # secretariat corrects an amount until the decision is issued (then frozen: 409).
    ("money.payments_xlsx", "GET"): DECISION_GET,
    ("money.payments_pdf", "GET"): DECISION_GET,
    ("money.amount", "GET"): DECISION_GET,
    ("money.amount", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": CONFLICT, "b": FORBIDDEN, "posted": OK},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    # The emulation fund: read by the body's staff and administrators, kept by its secretariat.
    ("money.fund", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN},
            admin=OK,
            disabled=LOGIN,
        )
    ),
    ("money.fund", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("decisions.settings", "GET"): SECRETARIAT_OR_ADMIN_GET,
    ("decisions.settings", "POST"): SECRETARIAT_OR_ADMIN_POST,
    # Printing on pre-printed blanks: the body's secretariat or an administrator sets the layout
    # up; a decision's certificates print on blanks for whoever prints the full ones.
    ("blanks.layout", "GET"): SECRETARIAT_OR_ADMIN_GET,
    ("blanks.layout", "POST"): SECRETARIAT_OR_ADMIN_POST,
    ("blanks.calibration", "GET"): SECRETARIAT_OR_ADMIN_GET,
    ("blanks.test_print", "GET"): SECRETARIAT_OR_ADMIN_GET,
    # No body of the world has uploaded a scan of its blank.
    ("blanks.scan", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": NOT_FOUND, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=NOT_FOUND,
            disabled=LOGIN,
        )
    ),
    ("blanks.certificates_blank_pdf", "GET"): CERTIFICATES_GET,
    # A certificate: whoever reads its dossier (its nominators; the body's secretariat, chair
    # and council, the dossier being awarded; administrators).
    ("certificates.download", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},
            nominator_b={"*": FORBIDDEN, "b": OK},
            secretariat={"*": OK, "b": FORBIDDEN},
            council={"*": OK, "b": FORBIDDEN},
            chair={"*": OK, "b": FORBIDDEN},
            admin=OK,
            disabled=LOGIN,
        )
    ),
    # For everyone, without an account: the check of a certificate (by its code or its PDF
    # file), and a list posted for
    # comments (only while a decision is posted).
    ("public.verify", "GET"): PUBLIC,
    ("public.verify_file", "GET"): PUBLIC,
    ("public.verify_file", "POST"): PUBLIC,
    ("public.posting", "GET"): {role: {"*": NOT_FOUND, "posted": OK} for role in ROLES},
    ("public.posting", "POST"): {role: {"*": NOT_FOUND, "posted": OK} for role in ROLES},
    # A movement's targets: whoever sees the campaign reads them (TARGETS_GET); its body's
    # secretariat and administrators keep them; the responsible unit's nominators (A for the
    # "a" target, B for the "b" one) and the secretariat report values; the secretariat
    # confirms or rejects them.
    ("targets.index", "GET"): SIGNED_IN_GET,
    ("targets.campaign_targets", "GET"): TARGETS_GET,
    ("targets.export", "GET"): TARGETS_GET,
    ("targets.import_targets", "POST"): MANAGER_POST,
    ("targets.new_target", "GET"): MANAGER_GET,
    ("targets.new_target", "POST"): MANAGER_POST,
    ("targets.detail", "GET"): TARGETS_GET,
    ("targets.evidence", "GET"): TARGETS_GET,
    ("targets.edit", "GET"): MANAGER_GET,
    ("targets.edit", "POST"): MANAGER_POST,
    ("targets.report", "POST"): REPORTER_POST,
    ("targets.bands", "GET"): MANAGER_GET,
    ("targets.bands", "POST"): MANAGER_POST,
    ("targets.confirm", "POST"): MANAGER_POST,
    ("targets.reject", "POST"): MANAGER_POST,
    # A value waiting for the secretariat is withdrawn by whoever may report the target's.
    ("targets.withdraw", "POST"): REPORTER_POST,
    # The honour board: anyone reads the published entries ("a" of D, "b" of P), their photos
    # and a year's poster; the body's secretariat publishes its awards and takes them down.
    ("honours.board", "GET"): PUBLIC,
    ("honours.entry", "GET"): PUBLIC,
    ("honours.photo", "GET"): PUBLIC,
    ("honours.poster", "GET"): PUBLIC,
    # Emulation registration: D's and P's secretariats open a year for their bodies; the
    # nominators register the units directly below a body ("a": Xã A in D's call; "b" pairs
    # P's call with Xã B, which is not below P: not found); the staff follow and remind.
    ("registration.index", "GET"): row(
        anonymous=LOGIN,
        nominator_a=OK,
        nominator_b=OK,
        secretariat=OK,
        council=FORBIDDEN,
        chair=OK,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
    ("registration.new_call", "GET"): MANAGER_GET_SECRETARIAT_ONLY,
    ("registration.new_call", "POST"): MANAGER_POST_SECRETARIAT_ONLY,
    # The body's secretariat moves its deadline and corrects its pledge (before it is signed).
    ("registration.change_call", "GET"): MANAGER_GET_SECRETARIAT_ONLY,
    ("registration.change_call", "POST"): MANAGER_POST_SECRETARIAT_ONLY,
    ("registration.call", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN},
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("registration.remind", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": IGNORED, "b": FORBIDDEN},
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("registration.register", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": NOT_FOUND},
            nominator_b={"*": FORBIDDEN, "b": NOT_FOUND},
            secretariat={"*": FORBIDDEN, "b": NOT_FOUND},
            council={"*": FORBIDDEN, "b": NOT_FOUND},
            chair={"*": FORBIDDEN, "b": NOT_FOUND},
            admin={"*": FORBIDDEN, "b": NOT_FOUND},
            disabled=LOGIN,
        )
    ),
    ("registration.register", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a={"*": OK, "b": NOT_FOUND},
            nominator_b={"*": FORBIDDEN, "b": NOT_FOUND},
            secretariat={"*": FORBIDDEN, "b": NOT_FOUND},
            council={"*": FORBIDDEN, "b": NOT_FOUND},
            chair={"*": FORBIDDEN, "b": NOT_FOUND},
            admin={"*": FORBIDDEN, "b": NOT_FOUND},
            disabled=UNAUTHORIZED,
        )
    ),
    ("registration.record", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair={"*": OK, "b": FORBIDDEN},
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    # The audit log's link: the form for D's secretariat, the public page for the others.
    ("honours.entry_record", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=OK,
            nominator_b=OK,
            secretariat=OK,
            council=OK,
            chair=OK,
            admin=OK,
            disabled=LOGIN,
        )
    ),
    # The award history: staff read the units within their scope (and what merged into
    # them); the secretariat of an awarding body imports earlier awards.
    ("history.index_export", "GET"): row(
        anonymous=LOGIN,
        nominator_a=OK,
        nominator_b=OK,
        secretariat=OK,
        council=OK,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    ("history.index", "GET"): row(
        anonymous=LOGIN,
        nominator_a=OK,
        nominator_b=OK,
        secretariat=OK,
        council=OK,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    ("history.unit", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},
            nominator_b={"*": FORBIDDEN, "b": OK},
            secretariat=OK,
            council=OK,
            chair=OK,
            admin=OK,
            disabled=LOGIN,
        )
    ),
    # A collective's record opens its unit's page (a redirect).
    ("history.person", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a={"*": OK, "b": FORBIDDEN},
            nominator_b={"*": FORBIDDEN, "b": OK},
            # B's people at the province's office: outside the district.
            secretariat={"*": OK, "b": FORBIDDEN},
            council={"*": OK, "b": FORBIDDEN},
            chair={"*": OK, "b": FORBIDDEN},
            admin=OK,
            disabled=LOGIN,
        )
    ),
    # The yearly statistics: an awarding body's secretariat and chair, and administrators.
    # The list of bodies sends a secretariat or chair of one body straight to its page.
    ("statistics.index", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    ),
    ("statistics.body", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair={"*": OK, "b": FORBIDDEN},
        admin=OK,
        disabled=LOGIN,
    ),
    ("statistics.report", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat={"*": OK, "b": FORBIDDEN},
        council=FORBIDDEN,
        chair={"*": OK, "b": FORBIDDEN},
        admin=OK,
        disabled=LOGIN,
    ),
    ("history.import_xlsx", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
    ("history.import_xlsx", "POST"): row(
        anonymous=UNAUTHORIZED,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=UNAUTHORIZED,
    ),
    ("history.template", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
    ("honours.manage", "GET"): row(
        anonymous=LOGIN,
        nominator_a=FORBIDDEN,
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair=FORBIDDEN,
        admin=FORBIDDEN,
        disabled=LOGIN,
    ),
    ("honours.publish", "GET"): lookup_first(
        row(
            anonymous=LOGIN,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=LOGIN,
        )
    ),
    ("honours.publish", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
    ("honours.unpublish", "POST"): lookup_first(
        row(
            anonymous=UNAUTHORIZED,
            nominator_a=FORBIDDEN,
            nominator_b=FORBIDDEN,
            secretariat={"*": OK, "b": FORBIDDEN},
            council=FORBIDDEN,
            chair=FORBIDDEN,
            admin=FORBIDDEN,
            disabled=UNAUTHORIZED,
        )
    ),
}

# Emulation clusters: the body's secretariat keeps them ("a": D's, with A as its lead; "b": P's,
# with D as its lead); the people of a member unit and the body's chair and council see them; a
# member scores itself; the lead (or the body's secretariat) records the agreed score. D's
# secretariat and chair act for D, the member leading P's cluster.
CLUSTER_GET = lookup_first(
    row(
        anonymous=LOGIN,
        nominator_a={"*": OK, "b": FORBIDDEN},
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council={"*": OK, "b": FORBIDDEN},
        chair=OK,
        admin=OK,
        disabled=LOGIN,
    )
)
CLUSTER_KEEP_FORM = {
    **MANAGER_POST,
    "secretariat": {"*": OK, "b": FORBIDDEN, "empty": BAD, "missing": NOT_FOUND},
    "admin": {"*": OK, "empty": BAD, "missing": NOT_FOUND},
}
CLUSTER_LEAD_POST = lookup_first(
    row(
        anonymous=UNAUTHORIZED,
        nominator_a={"*": OK, "b": FORBIDDEN},
        nominator_b=FORBIDDEN,
        secretariat=OK,
        council=FORBIDDEN,
        chair={"*": FORBIDDEN, "b": OK},
        admin=OK,
        disabled=UNAUTHORIZED,
    )
)
ACCESS.update(
    {
        ("clusters.index", "GET"): SIGNED_IN_GET,
        # A unit's results over the years: its own people, the bodies above it (D and P hold
        # A and B), administrators.
        ("clusters.history", "GET"): lookup_first(
            row(
                anonymous=LOGIN,
                nominator_a={"*": OK, "b": FORBIDDEN},
                nominator_b={"*": FORBIDDEN, "b": OK},
                secretariat=OK,
                council=OK,
                chair=OK,
                admin=OK,
                disabled=LOGIN,
            )
        ),
        ("clusters.new", "GET"): MANAGER_GET,
        # The CSRF token alone shows the form again with its messages (200).
        ("clusters.new", "POST"): MANAGER_POST,
        ("clusters.edit", "GET"): MANAGER_GET,
        ("clusters.edit", "POST"): MANAGER_POST,
        ("clusters.detail", "GET"): CLUSTER_GET,
        ("clusters.ranking", "GET"): CLUSTER_GET,
        ("clusters.export", "GET"): CLUSTER_GET,
        ("clusters.score", "GET"): CLUSTER_GET,
        # B is free to join D's cluster; P's takes only the units right below P, B is not one.
        ("clusters.members", "POST"): {
            **CLUSTER_KEEP_FORM,
            "admin": {"*": OK, "b": BAD, "empty": BAD, "missing": NOT_FOUND},
        },
        # The only member leads: removing it is refused with a message.
        ("clusters.remove", "POST"): lookup_first(
            row(
                anonymous=UNAUTHORIZED,
                nominator_a=FORBIDDEN,
                nominator_b=FORBIDDEN,
                secretariat={"*": IGNORED, "b": FORBIDDEN},
                council=FORBIDDEN,
                chair=FORBIDDEN,
                admin=IGNORED,
                disabled=UNAUTHORIZED,
            )
        ),
        ("clusters.officers", "POST"): CLUSTER_KEEP_FORM,
        ("clusters.new_line", "POST"): CLUSTER_KEEP_FORM,
        ("clusters.line", "GET"): MANAGER_GET,
        ("clusters.line", "POST"): CLUSTER_KEEP_FORM,
        ("clusters.remove_line", "POST"): MANAGER_POST,
        # Only a member's own people score it; the others who see the cluster are refused (a
        # member of another cluster is not found first).
        ("clusters.score", "POST"): lookup_first(
            row(
                anonymous=UNAUTHORIZED,
                nominator_a={"*": OK, "b": FORBIDDEN},
                nominator_b=FORBIDDEN,
                secretariat={"*": FORBIDDEN, "b": OK, "mismatch": NOT_FOUND},
                council={"*": FORBIDDEN, "mismatch": NOT_FOUND},
                chair={"*": FORBIDDEN, "b": OK, "mismatch": NOT_FOUND},
                admin={"*": FORBIDDEN, "mismatch": NOT_FOUND},
                disabled=UNAUTHORIZED,
            )
        ),
        ("clusters.agree", "POST"): CLUSTER_LEAD_POST,
        # Not every agreed score is in: locking is refused with a message.
        ("clusters.lock", "POST"): lookup_first(
            row(
                anonymous=UNAUTHORIZED,
                nominator_a={"*": IGNORED, "b": FORBIDDEN},
                nominator_b=FORBIDDEN,
                secretariat=IGNORED,
                council=FORBIDDEN,
                chair={"*": FORBIDDEN, "b": IGNORED},
                admin=IGNORED,
                disabled=UNAUTHORIZED,
            )
        ),
        # Nothing is proposed before the year's result is locked.
        ("clusters.propose", "POST"): lookup_first(
            row(
                anonymous=UNAUTHORIZED,
                nominator_a=FORBIDDEN,
                nominator_b=FORBIDDEN,
                secretariat=FORBIDDEN,
                council=FORBIDDEN,
                chair=FORBIDDEN,
                admin=FORBIDDEN,
                disabled=UNAUTHORIZED,
            )
        ),
    }
)

# The JSON API (/api/v1/) authenticates each request by a client's bearer token, never by the
# session: under /api/ the session cookie is neither read nor set and no CSRF token is asked.
# So every role of this matrix, a signed-in session included, is a caller without a token:
# 401 on every authorised operation, whatever the object (the token check runs before any
# lookup). What a token opens, scope by scope and unit by unit (403 for a wrong scope or another
# unit's object, 401 for a revoked token), is tested in tests/api/test_clients.py, and
# schemathesis drives every operation with a token in tests/api/test_schemathesis.py.
API_TOKEN_ONLY = {role: UNAUTHORIZED for role in ROLES}
ACCESS.update(
    {
        # The OpenAPI document and its documentation page, and the certificate check: public.
        ("api-docs.openapi_json", "GET"): PUBLIC,
        ("api_docs_page.docs", "GET"): PUBLIC,
        ("api_records.certificate", "GET"): PUBLIC,
        **{
            (endpoint, method): API_TOKEN_ONLY
            for endpoint, method in (
                ("api_read.units", "GET"),
                ("api_read.unit", "GET"),
                ("api_read.campaigns", "GET"),
                ("api_read.campaign", "GET"),
                ("api_read.award_types", "GET"),
                ("api_read.award_type", "GET"),
                ("api_records.decisions", "GET"),
                ("api_records.decision", "GET"),
                ("api_records.history", "GET"),
                ("api_records.unit_history", "GET"),
                ("api_dossiers.nominations", "GET"),
                ("api_dossiers.nomination", "GET"),
                ("api_dossiers.create", "POST"),
                ("api_dossiers.attach", "POST"),
                ("api_dossiers.submit", "POST"),
                ("api_dossiers.resubmit", "POST"),
            )
        },
        # An id out of range matches no rule; werkzeug answers this PATCH with 405 (seen, not
        # chosen): a refusal either way.
        ("api_dossiers.update", "PATCH"): {
            **API_TOKEN_ONLY,
            "admin": {"*": UNAUTHORIZED, "out_of_range": METHOD_NOT_ALLOWED},
        },
        # The administrator's API clients.
        ("api_clients.index", "GET"): ADMIN_GET,
        ("api_clients.create", "GET"): ADMIN_GET,
        ("api_clients.create", "POST"): ADMIN_POST,
        ("api_clients.revoke", "POST"): ADMIN_POST,
    }
)
