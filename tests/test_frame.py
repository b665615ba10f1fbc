"""What every page costs: the frame's parts drawn once (common/fragments.py), addresses built once
(common/application.py), the templates' translations, the session cookie sent only when it
changed, and a transaction that only read ended without forgetting the prepared statements
(recognition/__init__.py)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask, render_template_string, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup
from sqlalchemy import select, text

import tests.conftest
from recognition.common.fragments import Fragments
from recognition.extensions import db
from recognition.units.models import Unit
from tests.conftest import Client
from tests.workflow.helpers import build_scene

MENU = re.compile(r'<ul class="navbar-nav me-auto">.*?</ul>\s*</li>.*?</ul>', re.S)


def _menu(page: str) -> str:
    found = MENU.search(page)
    assert found, "no main menu on the page"
    return found.group(0)


def _paths(app: Flask, *endpoints: str) -> list[str]:
    with app.test_request_context("/"):
        return [url_for(endpoint) for endpoint in endpoints]


def _marked(menu: str, path: str) -> bool:
    return f'nav-link active" href="{path}"' in menu


def test_each_role_sees_its_own_menu_with_its_page_marked(app: Flask, login: Any) -> None:
    scene = build_scene()
    units, dossiers, campaigns, users = _paths(
        app, "units.index", "nominations.index", "campaigns.index", "admin.users"
    )
    admin, nominator = login(scene.admin), login(scene.nominator)
    # Twice each, the second drawn from what the first kept.
    for _ in range(2):
        admin_menu = _menu(admin.get(units).get_data(as_text=True))
        nominator_menu = _menu(nominator.get(dossiers).get_data(as_text=True))
        assert f'href="{users}"' in admin_menu
        assert f'href="{users}"' not in nominator_menu
        assert _marked(admin_menu, units) and not _marked(admin_menu, dossiers)
        assert _marked(nominator_menu, dossiers) and not _marked(nominator_menu, units)
    # The same user on another page: another entry is marked.
    campaigns_menu = _menu(admin.get(campaigns).get_data(as_text=True))
    assert _marked(campaigns_menu, campaigns) and not _marked(campaigns_menu, units)


def test_the_menu_is_drawn_in_the_pages_language(app: Flask, login: Any) -> None:
    (dossiers,) = _paths(app, "nominations.index")
    client = login(build_scene().nominator)
    english = _menu(client.get(dossiers).get_data(as_text=True))
    client.post_form("/language/vi", {"next": dossiers})
    vietnamese = _menu(client.get(dossiers).get_data(as_text=True))
    assert "Dossiers" in english and "Hồ sơ" not in english
    assert "Hồ sơ" in vietnamese and "Dossiers" not in vietnamese


def test_a_fragment_is_drawn_once_per_key(app: Flask) -> None:
    drawn: list[str] = []
    fragments = Fragments(app, remember=True)
    app.jinja_env.globals["note_drawn"] = lambda value: drawn.append(value) or ""
    template = "{{ note_drawn(value) }}<b>{{ value }}</b>"
    loader = app.jinja_env.loader
    try:
        from jinja2 import ChoiceLoader, DictLoader

        app.jinja_env.loader = ChoiceLoader([DictLoader({"probe.html": template}), loader])  # type: ignore[list-item]
        with app.test_request_context("/"):
            first = fragments.draw("probe.html", {"value": "<x>"})
            again = fragments.draw("probe.html", {"value": "<x>"})
            other = fragments.draw("probe.html", {"value": "y"})
        with app.test_request_context("/", base_url="http://localhost/thi-dua"):
            fragments.draw("probe.html", {"value": "<x>"})
    finally:
        app.jinja_env.loader = loader
        del app.jinja_env.globals["note_drawn"]
        app.jinja_env.cache.clear()  # type: ignore[union-attr]
    assert first == again == "<b>&lt;x&gt;</b>"
    assert other == "<b>y</b>"
    # Drawn again for another value and another prefix, not for the same key.
    assert drawn == ["<x>", "y", "<x>"]


def test_a_fragment_s_holes_are_filled_escaped_on_every_call(app: Flask) -> None:
    """A fragment with holes is drawn once per key; each call fills the holes with its own
    values, escaped (markup kept as markup), and a value drawn into the fragment that looks
    like a marker stays text."""
    drawn: list[str] = []
    fragments = Fragments(app, remember=True)
    app.jinja_env.globals["note_drawn"] = lambda value: drawn.append(value) or ""
    template = '{{ note_drawn(label) }}<p title="{{ name }}">{{ label }}: {{ name }} {{ menu }}</p>'
    loader = app.jinja_env.loader
    try:
        from jinja2 import ChoiceLoader, DictLoader

        app.jinja_env.loader = ChoiceLoader([DictLoader({"holes.html": template}), loader])  # type: ignore[list-item]
        with app.test_request_context("/"):
            first = fragments.draw_with_holes(
                "holes.html", {"label": "A"}, {"name": 'Lê "Thị" <b>', "menu": Markup("<ul/>")}
            )
            second = fragments.draw_with_holes(
                "holes.html", {"label": "A"}, {"name": "Trần Văn Minh", "menu": ""}
            )
            forged = fragments.draw_with_holes(
                "holes.html", {"label": "\x00x:name\x00"}, {"name": "N", "menu": ""}
            )
    finally:
        app.jinja_env.loader = loader
        del app.jinja_env.globals["note_drawn"]
        app.jinja_env.cache.clear()  # type: ignore[union-attr]
    assert first == (
        '<p title="Lê &#34;Thị&#34; &lt;b&gt;">A: Lê &#34;Thị&#34; &lt;b&gt; <ul/></p>'
    )
    assert second == '<p title="Trần Văn Minh">A: Trần Văn Minh </p>'
    assert drawn == ["A", "\x00x:name\x00"]  # the second call filled what the first drew
    assert forged.startswith('<p title="N">\x00x:name\x00: N')


def test_the_header_shows_each_user_their_own_name_and_token(app: Flask, login: Any) -> None:
    """The header is one fragment for everyone signed in: the name, the login and the forms'
    token in it are each request's own."""
    scene = build_scene()
    (dossiers,) = _paths(app, "nominations.index")
    pages = {}
    for user in (scene.admin, scene.nominator):
        page = login(user).get(dossiers).get_data(as_text=True)
        header = page[page.index("<header>") : page.index("</header>")]
        pages[user.username] = header
        assert f'<span class="rc-user-name">{user.full_name}</span>' in header
        assert user.username in header
    admin, nominator = (pages[scene.admin.username], pages[scene.nominator.username])
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', h) for h in (admin, nominator)]
    assert len(tokens[0]) == 2 and len(tokens[1]) == 2
    assert set(tokens[0]).isdisjoint(tokens[1])
    assert scene.nominator.full_name not in admin and scene.admin.full_name not in nominator


def test_a_template_sees_the_globals_as_they_are_now(app: Flask) -> None:
    """Each template keeps a plain copy of its globals (common/templates.py): a global added,
    replaced or removed after the template was drawn is seen by its next render, as Jinja's
    own globals would be."""
    from jinja2 import ChoiceLoader, DictLoader, UndefinedError

    template = "{{ probe_global() }}|{{ _('Dashboard') }}"
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"globals.html": template}), loader])  # type: ignore[list-item]
    seen = []
    try:
        with app.test_request_context("/"):
            app.jinja_env.globals["probe_global"] = lambda: "one"
            seen.append(app.jinja_env.get_template("globals.html").render())
            app.jinja_env.globals["probe_global"] = lambda: "two"
            seen.append(app.jinja_env.get_template("globals.html").render())
            app.jinja_env.globals.update(probe_global=lambda: "three")
            seen.append(app.jinja_env.get_template("globals.html").render())
            del app.jinja_env.globals["probe_global"]
            with pytest.raises(UndefinedError):
                app.jinja_env.get_template("globals.html").render()
    finally:
        app.jinja_env.loader = loader
        app.jinja_env.globals.pop("probe_global", None)
        app.jinja_env.cache.clear()  # type: ignore[union-attr]
    assert seen == ["one|Tổng quan", "two|Tổng quan", "three|Tổng quan"]


def test_the_locales_name_follows_a_locale_forced_for_a_while(app: Flask) -> None:
    """The locale's name is spelt once per request and locale (common/i18n.py): a locale
    forced inside the request (a mail in its recipient's language) has its own name."""
    from flask_babel import force_locale

    from recognition.common.i18n import locale_name

    with app.test_request_context("/"):
        names = [locale_name()]
        with force_locale("en"):
            names += [locale_name(), render_template_string("{{ current_locale() }}")]
        names += [locale_name(), render_template_string("{{ current_locale() }}")]
    assert names == ["vi", "en", "en", "vi", "vi"]


def test_an_address_built_once_is_the_one_flask_builds(app: Flask) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("nominations.detail", {"nomination_id": 7}),
        ("nominations.index", {"page": 2, "q": "sơn định"}),
        ("nominations.index", {"flag": True}),
        ("nominations.index", {"flag": 1}),
        ("static", {"filename": "css/app.css"}),
    ]
    for prefix in ("", "/thi-dua"):
        with app.test_request_context("/", base_url=f"http://localhost{prefix}"):
            for endpoint, values in cases:
                built = [url_for(endpoint, **values) for _ in range(3)]
                expected = super(type(app), app).url_for(endpoint, **values)
                assert built == [expected] * 3, (endpoint, values)
                assert expected.startswith(prefix + "/")
            assert url_for("nominations.index", flag=True).endswith("flag=True")
            assert url_for("nominations.index", flag=1).endswith("flag=1")
            # Not kept: external addresses and lists of values.
            assert url_for("nominations.index", _external=True).startswith("http://")
            assert url_for("nominations.index", q=["a", "b"]).endswith("q=a&q=b")


def test_a_templates_translation_escapes_its_values_and_plain_text_stays_plain(
    app: Flask,
) -> None:
    with app.test_request_context("/"):
        html = render_template_string('{{ _("Error %(code)s", code="<b>") }}')
        assert html == "Error &lt;b&gt;"
        assert (
            app.jinja_env.from_string(
                '{% autoescape false %}{{ _("Error %(code)s", code="<b>") }}{% endautoescape %}'
            ).render()
            == "Error <b>"
        )
        assert render_template_string('{{ ngettext("%(num)d unit", "%(num)d units", 3) }}') == (
            "3 units"
        )


def _cookie_set(response: Any) -> bool:
    return any(
        header.startswith("recognition_session=")
        for header in response.headers.getlist("Set-Cookie")
    )


def test_the_session_cookie_is_sent_again_only_when_the_session_changed(
    app: Flask, login: Any
) -> None:
    (dossiers,) = _paths(app, "nominations.index")
    client: Client = login(build_scene().nominator)
    client.get(dossiers)  # the first page after logging in shows its message and makes a token
    assert not _cookie_set(client.get(dossiers))
    # The session's last activity moves once a minute: then the cookie is sent again.
    with client.session_transaction() as session:
        session["seen_at"] = session["seen_at"] - 120
    assert _cookie_set(client.get(dossiers))
    assert not _cookie_set(client.get(dossiers))


def test_a_session_cookie_is_checked_once_and_still_expires(app: Flask, monkeypatch: Any) -> None:
    """A cookie's signature is checked once per process (recognition/security.py); the same
    cookie again gives its own copy of the content, and is refused once older than the
    session's lifetime or when altered."""
    import time

    from flask import request
    from itsdangerous import URLSafeTimedSerializer

    import recognition.security

    interface = app.session_interface
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context("/"):
        signer = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = signer.dumps({"_user_id": "7:1", "notes": ["một"]})
    checked: list[str] = []
    check = URLSafeTimedSerializer.loads

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        checked.append(args[0])
        return check(self, *args, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counted)

    def opened(value: str) -> dict[str, Any]:
        with app.test_request_context("/", headers={"Cookie": f"{name}={value}"}):
            return interface.open_session(app, request)  # type: ignore[return-value]

    first = opened(cookie)
    first["notes"].append("hai")
    second = opened(cookie)
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 5
    tampered = cookie[:-3] + ("A" if cookie[-3] != "A" else "B") + cookie[-2:]
    refused = opened(tampered)
    monkeypatch.setattr(recognition.security.time, "time", lambda: later)
    expired = opened(cookie)

    assert dict(second) == {"_user_id": "7:1", "notes": ["một"]}
    assert checked.count(cookie) == 1 and tampered in checked
    assert dict(refused) == {} and dict(expired) == {}


@pytest.mark.committing
@pytest.mark.skipif(not tests.conftest.ON_POSTGRES, reason="needs PostgreSQL")
def test_a_transaction_that_only_read_keeps_the_prepared_statements(app: Flask) -> None:
    """psycopg forgets its prepared statements on ROLLBACK; a read-only transaction ends with
    COMMIT instead. One that wrote is rolled back: nothing of it stays."""
    statement = select(Unit.id).where(Unit.id == 1)
    with app.app_context():
        driver = db.session.connection().connection.driver_connection
        for _ in range(8):
            db.session.execute(statement).all()
            db.session.close()  # the end of a request: no commit
        assert driver is db.session.connection().connection.driver_connection
        assert len(driver._prepared._names) >= 1
        db.session.close()
        name = "Đơn vị viết rồi bỏ"
        db.session.execute(
            text(
                "INSERT INTO units (name, name_folded, name_sort, kind, path, depth, "
                "is_awarding_body, state, created_at, updated_at) VALUES "
                "(:name, 'x', 'x', 'commune', '/', 0, false, 'active', now(), now())"
            ),
            {"name": name},
        )
        db.session.close()  # a failed request: no commit
        assert db.session.scalar(select(Unit.id).where(Unit.name == name)) is None
        db.session.close()


COUNT_MESSAGE = "%(count)s / %(max)s characters"
CUT_MESSAGE = (
    "The pasted text did not fit: this box holds at most %(max)s characters, so the end of the "
    "pasted text was cut off (characters left out: %(count)s). Shorten the text, then paste the "
    "end again."
)


def _length_messages(page: str) -> tuple[str, str]:
    found = re.search(
        r'<div id="length-limits" hidden\s+data-count-message="([^"]*)"\s+'
        r'data-cut-message="([^"]*)"></div>',
        page,
    )
    assert found, "no length limits' messages on the page"
    return html.unescape(found.group(1)), html.unescape(found.group(2))


def test_the_text_boxes_messages_are_on_every_page_in_its_language(app: Flask, login: Any) -> None:
    """static/js/app.js says them under a text box with a maxlength; it fills in the numbers."""
    (dossiers,) = _paths(app, "nominations.index")
    client = login(build_scene().nominator)
    english = _length_messages(client.get(dossiers).get_data(as_text=True))
    client.post_form("/language/vi", {"next": dossiers})
    vietnamese = _length_messages(client.get(dossiers).get_data(as_text=True))
    with app.test_request_context("/"), force_locale("vi"):
        translated = tuple(
            gettext(message, count="{count}", max="{max}")
            for message in (COUNT_MESSAGE, CUT_MESSAGE)
        )
    placeholders = {"count": "{count}", "max": "{max}"}
    assert english == (COUNT_MESSAGE % placeholders, CUT_MESSAGE % placeholders)
    assert vietnamese == translated
    assert (
        vietnamese[0] != english[0] and vietnamese[1] != english[1]
    )  # translated, not fallen back
    assert all("{count}" in m and "{max}" in m for m in (*english, *vietnamese))
