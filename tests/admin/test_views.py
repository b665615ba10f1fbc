"""The account and role pages, driven as an administrator through the test client."""

import base64
import html
import re
import zlib
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.services import authenticate
from recognition.database import utcnow
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.conftest import PASSWORD, Client
from tests.support.factories import UnitFactory, UserFactory, dissolve, grant, user_with

pytestmark = pytest.mark.integration

TEMPORARY = re.compile(r'<p class="temp-password[^"]*"[^>]*>([^<]+)</p>')
STRONG = "Mua-xuan-tren-song-7"


class Page(HTMLParser):
    """The values a form shows, its field errors, alerts, and the user links of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}
        self.users: list[str] = []
        self._select: str | None = None
        self._error: str | None = None
        self._link = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("hidden", "password"):
            self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values[name] = None
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value")
        elif tag == "div" and (a.get("id") or "").endswith("-error"):
            self._error = (a.get("id") or "").removesuffix("-error")
            self.errors[self._error] = [""]
        elif tag == "br" and self._error:
            self.errors[self._error].append("")
        elif tag == "a" and re.fullmatch(r"/admin/users/\d+", a.get("href") or ""):
            self._link = True
            self.users.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "div":
            self._error = None
        elif tag == "a":
            self._link = False

    def handle_data(self, data: str) -> None:
        if self._error:
            self.errors[self._error][-1] += data.strip()
        if self._link:
            self.users[-1] += data.strip()


def page(response: Any) -> Page:
    return Page(response.get_data(as_text=True))


def alerts(response: Any, kind: str) -> list[str]:
    text = response.get_data(as_text=True)
    found = re.findall(
        rf'<div class="alert alert-{kind} [^"]*"[^>]*>\s*(.*?)\s*<button', text, re.S
    )
    return [html.unescape(message) for message in found]


def flashes(client: Client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(item) for item in session.get("_flashes", [])]


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def grant_exists(grant_id: int) -> bool:
    return db.session.scalar(select(RoleGrant.id).where(RoleGrant.id == grant_id)) is not None


def log_in_works(username: str, password: str) -> bool:
    db.session.expire_all()  # the request changed the rows behind this session's back
    return authenticate(username=username, password=password) is not None


@pytest.fixture
def root() -> Unit:
    return UnitFactory(
        name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, code="83", is_awarding_body=True
    )


@pytest.fixture
def me(root: Unit) -> User:
    return user_with(Role.ADMIN, root, full_name="Lê Quốc Khánh", username="admin", locale="en")


@pytest.fixture
def admin(as_user, me: User) -> Client:  # type: ignore[no-untyped-def]
    """A client logged in as an administrator who reads the pages in English."""
    return as_user(me)


# --- the user list -------------------------------------------------------------------------


def test_user_list_in_vietnamese_order(admin: Client) -> None:
    for name in ["Trần Văn Minh", "Đặng Minh Trí", "Dương Văn Dũng", "Nguyễn Thị Thu Hà"]:
        UserFactory(full_name=name)

    response = admin.get("/admin/users/")

    assert response.status_code == 200
    assert page(response).users == [
        "Dương Văn Dũng",
        "Đặng Minh Trí",
        "Lê Quốc Khánh",
        "Nguyễn Thị Thu Hà",
        "Trần Văn Minh",
    ]


def test_user_list_search_ignores_diacritics(admin: Client) -> None:
    for name in ["Nguyễn Thị Thu Hà", "Nguyễn Văn An", "Nguyễn Thị Mỹ Duyên", "Trần Thị Nguyên"]:
        UserFactory(full_name=name)

    response = admin.get("/admin/users/", query_string={"q": "nguyen thi"})

    assert page(response).users == ["Nguyễn Thị Mỹ Duyên", "Nguyễn Thị Thu Hà"]
    assert page(response).values["q"] == "nguyen thi"


def test_user_list_status_filter(admin: Client) -> None:
    UserFactory(full_name="Người Đang Làm")
    UserFactory(full_name="Người Đã Nghỉ", disabled_at=utcnow())

    disabled = admin.get("/admin/users/", query_string={"status": "disabled"})
    active = admin.get("/admin/users/", query_string={"status": "active"})
    unknown = admin.get("/admin/users/", query_string={"status": "whatever"})

    assert page(disabled).users == ["Người Đã Nghỉ"]
    assert page(disabled).values["status"] == "disabled"
    assert page(active).users == ["Lê Quốc Khánh", "Người Đang Làm"]
    assert unknown.status_code == 200
    assert page(unknown).users == ["Lê Quốc Khánh", "Người Đã Nghỉ", "Người Đang Làm"]


def test_user_list_pagination(app: Flask, admin: Client) -> None:
    size = app.config["PAGE_SIZE"]
    for number in range(size + 2):
        UserFactory(full_name=f"Người Thử {number:03d}")

    first = admin.get("/admin/users/")
    second = admin.get("/admin/users/", query_string={"page": 2})
    beyond = admin.get("/admin/users/", query_string={"page": 9})

    assert len(page(first).users) == size
    assert page(first).users[0] == "Lê Quốc Khánh"
    assert page(second).users == [f"Người Thử {n:03d}" for n in (size - 1, size, size + 1)]
    assert beyond.status_code == 200
    assert page(beyond).users == page(second).users  # past the end: the last page
    assert f"{size + 3} accounts" in second.get_data(as_text=True)


def list_page_queries(client: Client, count_queries, root: Unit, users: int) -> int:  # type: ignore[no-untyped-def]
    commune = UnitFactory(parent=root)
    for _ in range(users):
        user = user_with(Role.NOMINATOR, commune)
        grant(user, Role.SECRETARIAT, root)
    with count_queries() as count:
        response = client.get("/admin/users/")
    assert response.status_code == 200
    assert len(page(response).users) == min(users + 1, 25)
    return count()


def test_user_list_query_count_does_not_grow_with_the_rows(
    app: Flask, as_user, count_queries, root: Unit, me: User
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(me)
    few = list_page_queries(client, count_queries, root, 5)
    many = list_page_queries(client, count_queries, root, 35)  # 40 users in all

    assert few == many
    assert few > 0


# --- create --------------------------------------------------------------------------------


def session_content(cookie: str) -> str:
    """The session cookie's content as anyone holding it reads it (signed, not encrypted)."""
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def _shown_password(client: Client, address: str) -> list[str]:
    return [p.strip() for p in TEMPORARY.findall(client.get(address).get_data(as_text=True))]


def test_create_user_without_password_shows_a_temporary_one_until_done(admin: Client) -> None:
    response = admin.post_form(
        "/admin/users/new",
        {"full_name": "Trương Văn Sang", "username": "xa.sondinh", "position": "", "email": ""},
    )

    user = db.session.scalar(select(User).where(User.username == "xa.sondinh"))
    page = f"/admin/users/{user.id}/temporary-password"
    # Shown on a page of its own: a reload or Back shows it again, nothing is sent twice.
    assert (response.status_code, response.headers["Location"]) == (302, page)
    shown = _shown_password(admin, page)
    assert len(shown) == 1
    assert _shown_password(admin, page) == shown
    assert user.must_change_password is True
    assert log_in_works("xa.sondinh", shown[0]) is True
    # Not in the cookie as it is: sealed for the server.
    cookie = admin.get_cookie("recognition_session")
    assert cookie is not None
    kept = session_content(cookie.value)
    assert "shown_temporary_password" in kept
    assert shown[0] not in kept
    # "Done" leads to the detail page, which never shows it; the page does not any more.
    detail = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert TEMPORARY.findall(detail) == []
    assert shown[0] not in detail
    again = admin.get(page)
    assert (again.status_code, again.headers["Location"]) == (302, f"/admin/users/{user.id}")
    assert (
        "info",
        "The temporary password is no longer shown. If it was not written down, "
        "reset the password again.",
    ) in flashes(admin)


def test_a_temporary_password_is_shown_for_its_account_and_a_quarter_of_an_hour(
    admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, other = UserFactory(), UserFactory()
    admin.post_form(f"/admin/users/{user.id}/reset-password")
    page = f"/admin/users/{user.id}/temporary-password"

    assert len(_shown_password(admin, page)) == 1
    assert _shown_password(admin, f"/admin/users/{other.id}/temporary-password") == []
    start = utcnow()
    monkeypatch.setattr("recognition.common.sealed.utcnow", lambda: start + timedelta(minutes=14))
    assert len(_shown_password(admin, page)) == 1
    monkeypatch.setattr("recognition.common.sealed.utcnow", lambda: start + timedelta(minutes=16))
    assert _shown_password(admin, page) == []


def test_create_user_with_an_initial_password(admin: Client) -> None:
    response = admin.post_form(
        "/admin/users/new",
        {"full_name": "Nguyễn Thị Thu Hà", "username": "thuky", "password": STRONG},
    )

    user = db.session.scalar(select(User).where(User.username == "thuky"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert flashes(admin) == [("success", "The account thuky has been created.")]
    assert user.must_change_password is True
    assert log_in_works("thuky", STRONG) is True


def test_spaces_around_a_user_name_are_dropped(admin: Client) -> None:
    response = admin.post_form(
        "/admin/users/new",
        {"full_name": "Nguyễn Thị Thu Hà", "username": "  thuky.moi ", "password": STRONG},
    )

    assert response.status_code == 302
    assert db.session.scalar(select(User.id).where(User.username == "thuky.moi")) is not None


def test_create_user_with_a_taken_username_keeps_what_was_typed(admin: Client) -> None:
    UserFactory(username="thuky")
    before = db.session.scalar(select(func.count(User.id)))

    response = admin.post_form(
        "/admin/users/new",
        {"full_name": "Nguyễn Thị Thu Hà", "username": "ThuKy", "position": "Thư ký"},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {"username": ["The user name thuky is already taken."]}
    assert (shown.values["full_name"], shown.values["username"], shown.values["position"]) == (
        "Nguyễn Thị Thu Hà",
        "ThuKy",
        "Thư ký",
    )
    assert db.session.scalar(select(func.count(User.id))) == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"username": "nguyễn.an"},
            "username",
            "Use only letters without accents, digits, dot, dash and underscore.",
        ),
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Invalid email address."),
    ],
)
def test_create_user_with_invalid_fields(
    admin: Client, change: dict[str, str], field: str, message: str
) -> None:
    typed = {"full_name": "Nguyễn Văn An", "username": "nguyen.an", "email": "", **change}

    response = admin.post_form("/admin/users/new", typed)

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {field: [message]}
    assert shown.values["username"] == typed["username"]
    assert db.session.scalar(select(User).where(User.full_name == "Nguyễn Văn An")) is None


def test_create_user_with_a_weak_password_shows_why(admin: Client) -> None:
    response = admin.post_form(
        "/admin/users/new",
        {"full_name": "Nguyễn Văn An", "username": "nguyen.an", "password": "1234567890"},
    )

    assert response.status_code == 200
    assert page(response).errors == {
        "password": ["This password is too common; choose another. Do not use digits only."]
    }


# --- edit ----------------------------------------------------------------------------------


def test_edit_user(admin: Client) -> None:
    user = UserFactory(username="cu", full_name="Tên Cũ")
    form = page(admin.get(f"/admin/users/{user.id}/edit"))
    assert (form.values["username"], form.values["full_name"]) == ("cu", "Tên Cũ")

    response = admin.post_form(
        f"/admin/users/{user.id}/edit",
        {"username": "moi", "full_name": "Nguyễn Thị Mỹ Duyên", "position": "Công chức"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert flashes(admin) == [("success", "The changes have been saved.")]
    stored = fresh(user)
    assert (stored.username, stored.full_name, stored.position) == (
        "moi",
        "Nguyễn Thị Mỹ Duyên",
        "Công chức",
    )


def test_edit_user_to_a_taken_username(admin: Client) -> None:
    UserFactory(username="taken")
    user = UserFactory(username="mine", full_name="Tên Cũ")

    response = admin.post_form(
        f"/admin/users/{user.id}/edit", {"username": "taken", "full_name": "Tên Mới"}
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {"username": ["The user name taken is already taken."]}
    assert (shown.values["username"], shown.values["full_name"]) == ("taken", "Tên Mới")
    assert (fresh(user).username, fresh(user).full_name) == ("mine", "Tên Cũ")


# --- disable, enable, reset ----------------------------------------------------------------


def test_disable_user(admin: Client) -> None:
    user = UserFactory()

    response = admin.post_form(f"/admin/users/{user.id}/disable")

    assert response.status_code == 302
    assert flashes(admin) == [
        ("success", "The account is disabled and all its sessions have ended.")
    ]
    assert fresh(user).disabled_at is not None


def test_cannot_disable_yourself(admin: Client, me: User) -> None:
    detail = f"/admin/users/{me.id}"

    response = admin.post_form(f"{detail}/disable", headers={"Referer": detail})

    assert response.status_code == 302
    assert response.headers["Location"] == detail
    assert flashes(admin) == [("danger", "You cannot disable your own account.")]
    assert fresh(me).disabled_at is None


def test_enable_user(admin: Client) -> None:
    user = UserFactory(disabled_at=utcnow())

    response = admin.post_form(f"/admin/users/{user.id}/enable")

    assert response.status_code == 302
    assert flashes(admin) == [("success", "The account is enabled again.")]
    assert fresh(user).disabled_at is None


def test_reset_password_shows_a_new_temporary_one(admin: Client) -> None:
    user = UserFactory()

    response = admin.post_form(f"/admin/users/{user.id}/reset-password")

    assert response.status_code == 302
    (temporary,) = _shown_password(admin, response.headers["Location"])
    assert log_in_works(user.username, PASSWORD) is False
    assert log_in_works(user.username, temporary) is True
    assert fresh(user).must_change_password is True


# --- grants --------------------------------------------------------------------------------


def test_grant_a_role(admin: Client, root: Unit, me: User) -> None:
    user = UserFactory()

    response = admin.post_form(
        f"/admin/users/{user.id}/grants", {"role": "secretariat", "unit_id": str(root.id)}
    )

    assert response.status_code == 302
    assert flashes(admin) == [("success", "The role has been granted.")]
    stored = db.session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)).all()
    assert [(g.role, g.unit_id, g.granted_by_id) for g in stored] == [
        ("secretariat", root.id, me.id)
    ]


def test_a_second_chair_of_a_body_is_granted_and_said(admin: Client, root: Unit) -> None:
    user_with(Role.CHAIR, root, full_name="Phan Văn Lộc")
    user = UserFactory()

    response = admin.post_form(
        f"/admin/users/{user.id}/grants", {"role": "chair", "unit_id": str(root.id)}
    )

    assert response.status_code == 302
    assert flashes(admin) == [
        ("success", "The role has been granted."),
        ("warning", "Phan Văn Lộc also holds this role on Tỉnh Bến Tre: check that both should."),
    ]


def test_grant_council_role_on_a_plain_unit_shows_a_field_error(admin: Client, root: Unit) -> None:
    user = UserFactory()
    hamlet = UnitFactory(name="Ấp Sơn Lân", kind=UnitKind.HAMLET, parent=root)

    response = admin.post_form(
        f"/admin/users/{user.id}/grants", {"role": "council_member", "unit_id": str(hamlet.id)}
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {
        "unit_id": [
            "Council member can only be granted on an awarding body; Ấp Sơn Lân is not one."
        ]
    }
    assert (shown.values["role"], shown.values["unit_id"]) == ("council_member", str(hamlet.id))
    assert fresh(user).grants == []


def test_duplicate_grant_is_refused_with_a_message(admin: Client, root: Unit) -> None:
    user = user_with(Role.NOMINATOR, root, full_name="Trương Văn Sang")

    response = admin.post_form(
        f"/admin/users/{user.id}/grants", {"role": "nominator", "unit_id": str(root.id)}
    )

    assert response.status_code == 200
    assert alerts(response, "danger") == ["Trương Văn Sang already has this role on Tỉnh Bến Tre."]
    assert len(fresh(user).grants) == 1


def test_grant_on_a_deactivated_unit_is_not_a_choice(admin: Client, root: Unit) -> None:
    closed = UnitFactory(parent=root)
    dissolve(closed, on=date(2025, 7, 1))
    user = UserFactory()

    response = admin.post_form(
        f"/admin/users/{user.id}/grants", {"role": "nominator", "unit_id": str(closed.id)}
    )

    assert response.status_code == 200
    assert page(response).errors == {"unit_id": ["Not a valid choice."]}
    assert fresh(user).grants == []


def test_revoke_a_grant(admin: Client, root: Unit) -> None:
    user = user_with(Role.NOMINATOR, root)
    grant_id = user.grants[0].id

    response = admin.post_form(f"/admin/users/{user.id}/grants/{grant_id}/revoke")

    assert response.status_code == 302
    assert flashes(admin) == [("success", "The role has been removed.")]
    assert grant_exists(grant_id) is False


def test_last_admin_cannot_revoke_their_admin_grant(admin: Client, me: User) -> None:
    detail = f"/admin/users/{me.id}"
    grant_id = me.grants[0].id

    response = admin.post_form(f"{detail}/grants/{grant_id}/revoke", headers={"Referer": detail})

    assert response.status_code == 302
    assert flashes(admin) == [
        ("danger", "This is the last active administrator; keep at least one.")
    ]
    assert grant_exists(grant_id) is True


def test_revoke_a_grant_of_another_user_is_404(admin: Client, root: Unit) -> None:
    owner = user_with(Role.NOMINATOR, root)
    other = UserFactory()
    grant_id = owner.grants[0].id

    response = admin.post_form(f"/admin/users/{other.id}/grants/{grant_id}/revoke")

    assert response.status_code == 404
    assert grant_exists(grant_id) is True


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/users/{id}", "/admin/users/{id}/edit"])
def test_unknown_user_page_is_404(admin: Client, url: str) -> None:
    assert admin.get(url.format(id=999_999)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/{id}/edit",
        "/admin/users/{id}/disable",
        "/admin/users/{id}/enable",
        "/admin/users/{id}/reset-password",
        "/admin/users/{id}/grants",
        "/admin/users/{id}/grants/1/revoke",
    ],
)
def test_unknown_user_action_is_404(admin: Client, url: str) -> None:
    assert admin.post_form(url.format(id=999_999)).status_code == 404


@pytest.mark.parametrize(
    "url", ["/admin/users/", "/admin/users/new", "/admin/users/{id}", "/admin/users/{id}/edit"]
)
def test_non_admin_gets_403(as_user, root: Unit, url: str) -> None:  # type: ignore[no-untyped-def]
    client = as_user(user_with(Role.CHAIR, root))
    target = UserFactory()

    assert client.get(url.format(id=target.id)).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/new",
        "/admin/users/{id}/disable",
        "/admin/users/{id}/reset-password",
        "/admin/users/{id}/grants",
    ],
)
def test_non_admin_cannot_post(as_user, root: Unit, url: str) -> None:  # type: ignore[no-untyped-def]
    clerk = user_with(Role.NOMINATOR, root)
    client = as_user(clerk)
    target = UserFactory()

    response = client.post_form(
        url.format(id=target.id),
        {"username": "intruder", "full_name": "Kẻ Lạ", "role": "admin", "unit_id": str(root.id)},
    )

    assert response.status_code == 403
    stored = fresh(target)
    assert (stored.disabled_at, stored.grants) == (None, [])
    assert log_in_works(target.username, PASSWORD) is True
    assert db.session.scalar(select(User).where(User.username == "intruder")) is None
