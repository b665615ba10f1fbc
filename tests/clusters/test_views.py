"""The cluster pages: the list by year, the cluster's page, scoring, the ranking, locking and
proposing, with their refusals."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.clusters.models import Cluster, ClusterMember
from recognition.clusters.services import ScoreEntry, save_agreed_scores
from recognition.extensions import db
from recognition.nominations.models import Nomination
from tests.clusters.world import World, build
from tests.support.factories import AwardTypeFactory, UnitFactory, user_with
from tests.workflow.helpers import flashes

pytestmark = pytest.mark.integration


@pytest.fixture
def world() -> World:
    world = build()
    db.session.commit()
    return world


def member(world: World, index: int) -> ClusterMember:
    return next(m for m in world.cluster.members if m.unit_id == world.communes[index].id)


def url(world: World, tail: str = "") -> str:
    return f"/clusters/{world.cluster.id}{tail}"


def test_the_list_shows_the_body_s_clusters_of_the_year(world: World, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world.secretariat).get(
        f"/clusters/?body={world.province.id}&year={world.cluster.year}"
    )
    text = page.get_data(as_text=True)
    assert (
        page.status_code,
        "Cụm thi đua số 1" in text,
        f"/clusters/new/{world.province.id}" in text,
    ) == (
        200,
        True,
        True,
    )


def test_a_member_sees_the_cluster_and_an_outsider_does_not(world: World, login) -> None:  # type: ignore[no-untyped-def]
    outsider = user_with(Role.NOMINATOR, UnitFactory(name="Xã Khác"))
    db.session.commit()
    assert (
        login(world.officers[1]).get(url(world)).status_code,
        login(outsider).get(url(world)).status_code,
        login(outsider).get("/clusters/987654").status_code,
    ) == (200, 403, 404)


def test_the_secretariat_creates_a_cluster(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.secretariat)
    response = client.post_form(
        f"/clusters/new/{world.province.id}",
        {
            "name": "Khối thi đua các sở",
            "kind": "block",
            "year": "2027",
            "tie_breaks": "votes\ndeductions",
        },
    )
    created = db.session.scalars(select(Cluster).where(Cluster.name == "Khối thi đua các sở")).one()
    assert (response.status_code, created.kind.value, created.tie_breaks) == (
        302,
        "block",
        ["votes", "deductions"],
    )


@pytest.mark.parametrize("how", ["new", "edit"])
def test_a_cluster_name_the_body_already_has_that_year_is_refused_on_its_field(
    world: World, login, how: str
) -> None:  # type: ignore[no-untyped-def]
    client = login(world.secretariat)
    other = {"name": "Khối thi đua các sở", "kind": "block", "year": str(world.cluster.year)}
    if how == "edit":
        client.post_form(f"/clusters/new/{world.province.id}", {**other, "tie_breaks": ""})
        target = db.session.scalars(select(Cluster).where(Cluster.name == other["name"])).one()
        path = f"/clusters/{target.id}/edit"
    else:
        path = f"/clusters/new/{world.province.id}"
    response = client.post_form(
        path,
        {
            "name": world.cluster.name,
            "kind": "cluster",
            "year": str(world.cluster.year),
            "tie_breaks": "",
        },
    )
    page = response.get_data(as_text=True)
    names = db.session.scalars(select(Cluster.name).order_by(Cluster.id)).all()
    assert (response.status_code, 'id="name-error"' in page, world.cluster.name in page) == (
        200,
        True,
        True,
    )
    assert names == [world.cluster.name] + ([other["name"]] if how == "edit" else [])


def test_a_bad_tie_break_rule_is_shown_on_its_field_and_kept(world: World, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.secretariat).post_form(
        url(world, "/edit"),
        {
            "name": "Cụm thi đua số 1",
            "kind": "cluster",
            "year": str(world.cluster.year),
            "tie_breaks": "may mắn",
        },
    )
    text = response.get_data(as_text=True)
    assert (response.status_code, 'id="tie_breaks-error"' in text, "may mắn" in text) == (
        200,
        True,
        True,
    )


def test_a_member_saves_its_self_score(world: World, login) -> None:  # type: ignore[no-untyped-def]
    scored = member(world, 1)
    line = world.lines["TC2"]
    response = login(world.officers[1]).post_form(
        url(world, f"/members/{scored.id}/score"),
        {
            f"p{line.id}": "17,5",
            f"n{line.id}": "Ghi chú",
            f"e{line.id}": "https://vinhlong.gov.vn/bc-12",
        },
    )
    db.session.expire_all()
    assert (response.status_code, [s.self_points for s in member(world, 1).scores]) == (
        302,
        [Decimal("17.5")],
    )


def test_points_over_the_maximum_are_refused_on_their_field_and_kept(world: World, login) -> None:  # type: ignore[no-untyped-def]
    scored = member(world, 1)
    line = world.lines["1.1"]
    response = login(world.officers[1]).post_form(
        url(world, f"/members/{scored.id}/score"), {f"p{line.id}": "12"}
    )
    text = response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        response.status_code,
        f'id="p{line.id}-error"' in text,
        'value="12"' in text,
        member(world, 1).scores,
    ) == (
        400,
        True,
        True,
        [],
    )


def test_wrong_votes_and_wrong_points_are_marked_at_once(world: World, login) -> None:  # type: ignore[no-untyped-def]
    # With the votes wrong as well, only the votes were marked and the points passed over.
    line = world.lines["TC2"]
    response = login(world.officers[0]).post_form(
        url(world, f"/members/{member(world, 2).id}/agree"), {f"a{line.id}": "25", "votes": "ba"}
    )

    text = response.get_data(as_text=True)
    assert (
        response.status_code,
        'id="votes-error"' in text,
        f'id="a{line.id}-error"' in text,
        'value="ba"' in text,
    ) == (400, True, True, True)


def test_another_member_cannot_score_for_it(world: World, login) -> None:  # type: ignore[no-untyped-def]
    line = world.lines["TC2"]
    response = login(world.officers[2]).post_form(
        url(world, f"/members/{member(world, 1).id}/score"), {f"p{line.id}": "1"}
    )
    assert response.status_code == 403


def test_only_the_lead_records_the_agreed_score(world: World, login) -> None:  # type: ignore[no-untyped-def]
    line = world.lines["TC2"]
    target = member(world, 2)
    refused = login(world.officers[1]).post_form(
        url(world, f"/members/{target.id}/agree"), {f"a{line.id}": "15"}
    )
    done = login(world.officers[0]).post_form(
        url(world, f"/members/{target.id}/agree"), {f"a{line.id}": "15", "votes": "3"}
    )
    db.session.expire_all()
    again = member(world, 2)
    assert (
        refused.status_code,
        done.status_code,
        [s.agreed_points for s in again.scores],
        again.votes,
    ) == (
        403,
        302,
        [Decimal("15.0")],
        3,
    )


def test_a_note_of_the_cluster_is_at_most_2000_characters(world: World, login) -> None:  # type: ignore[no-untyped-def]
    line = world.lines["TC2"]
    lead = login(world.officers[0])
    lead.post_form("/language/en")
    agree = url(world, f"/members/{member(world, 2).id}/agree")

    too_long = lead.post_form(agree, {f"a{line.id}": "15", f"an{line.id}": "x" * 2001})
    text = too_long.get_data(as_text=True)
    under = re.search(rf'id="an{line.id}-error">([^<]*)<', text)
    refused_scores = list(member(world, 2).scores)
    kept = lead.post_form(agree, {f"a{line.id}": "15", f"an{line.id}": "x" * 2000})
    db.session.expire_all()

    assert (
        too_long.status_code,
        under.group(1) if under else "",
        'maxlength="2000"' in text,
        refused_scores,
        kept.status_code,
        [len(s.agreed_note) for s in member(world, 2).scores],
    ) == (400, "Field cannot be longer than 2000 characters.", True, [], 302, [2000])


@pytest.mark.parametrize(("form", "prefix"), [("agree", "a"), ("score", "p")])
def test_a_score_form_sent_with_nothing_entered_saves_nothing_and_says_so(
    world: World,
    login,  # type: ignore[no-untyped-def]
    form: str,
    prefix: str,
) -> None:
    scored = member(world, 0)  # the lead's own unit: it scores itself and agrees the scores
    client = login(world.officers[0])
    client.post_form("/language/en")
    empty = {f"{prefix}{line.id}": "" for line in world.lines.values() if not line.items}

    page = client.post_form(url(world, f"/members/{scored.id}/{form}"), empty)
    shown = flashes(client.get(page.headers["Location"]).get_data(as_text=True))
    db.session.expire_all()

    assert (page.status_code, shown, member(world, 0).scores) == (
        302,
        [("warning", "Nothing new was entered: nothing has been saved.")],
        [],
    )


def _agree_all(world: World) -> None:
    points = {
        "1.1": ["10", "9", "8"],
        "1.2": ["5", "5", "5"],
        "TC2": ["20", "19", "18"],
        "TR": ["0", "0", "1"],
    }
    for index in range(3):
        entries = {world.lines[c].id: ScoreEntry(points=v[index]) for c, v in points.items()}
        save_agreed_scores(member(world, index), entries, votes=None, actor=world.officers[0])
    db.session.commit()


def test_a_member_without_an_agreed_score_shows_no_total(world: World, login) -> None:  # type: ignore[no-untyped-def]
    # Before the cluster agrees a member's score, its total is not 0,0: it is not agreed yet.
    entries = {world.lines["TC2"].id: ScoreEntry(points="18")}
    save_agreed_scores(member(world, 0), entries, votes=None, actor=world.officers[0])
    db.session.commit()

    page = login(world.officers[0]).get(url(world, "/ranking")).get_data(as_text=True)

    assert page.count("Chưa thống nhất") == 2  # the two members not agreed


def test_on_equal_totals_the_rule_is_said_on_the_row_it_put_ahead(world: World, login) -> None:  # type: ignore[no-untyped-def]
    # It was said on the row placed below, where "fewer deduction points" read as its own.
    points = {"1.1": ["9", "10", "8"], "1.2": ["5", "5", "5"], "TC2": ["20", "20", "18"]}
    deductions = ["0", "1", "0"]
    world.cluster.tie_breaks = ["deductions"]
    for index in range(3):
        entries = {world.lines[c].id: ScoreEntry(points=v[index]) for c, v in points.items()}
        entries[world.lines["TR"].id] = ScoreEntry(points=deductions[index])
        save_agreed_scores(member(world, index), entries, votes=None, actor=world.officers[0])
    db.session.commit()

    page = login(world.officers[0]).get(url(world, "/ranking")).get_data(as_text=True)
    rows = [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]]
    said = [" ".join(row.split()) for row in rows]

    first, second = world.communes[0].name, world.communes[1].name
    assert (first in said[0], f"Xếp trên {second}: Ít điểm trừ hơn" in said[0]) == (
        True,
        True,
    )
    assert "Xếp trên" not in said[1] and "Xếp trên" not in said[2]


def test_the_lead_locks_and_a_nominator_of_all_proposes(world: World, login) -> None:  # type: ignore[no-untyped-def]
    _agree_all(world)
    locked = login(world.officers[0]).post_form(url(world, "/lock"))
    ranking = login(world.province_nominator).get(url(world, "/ranking")).get_data(as_text=True)
    proposed = login(world.province_nominator).post_form(
        url(world, "/propose"),
        {
            "campaign_id": str(world.campaign.id),
            "first_award_id": str(world.flag.id),
            "next_award_id": str(world.diploma.id),
            "next_count": "2",
        },
    )
    made = db.session.scalars(select(Nomination).order_by(Nomination.id)).all()
    assert (locked.status_code, 'action="/clusters/' in ranking, proposed.status_code) == (
        302,
        True,
        302,
    )
    assert [(n.nominee_name, n.award_type.code) for n in made] == [
        ("Xã Phú Phụng", "CO-THI-DUA"),
        ("Xã Chợ Lách", "BK-TT"),
        ("Xã Vĩnh Thành", "BK-TT"),
    ]


def _propose_after_lock(world: World, login, **changes: str):  # type: ignore[no-untyped-def]
    """The year's result agreed and locked, then the province's nominator proposes with the
    campaign's offers (`changes` replacing fields of the form)."""
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    form = {
        "campaign_id": str(world.campaign.id),
        "first_award_id": str(world.flag.id),
        "next_award_id": str(world.diploma.id),
        "next_count": "1",
    }
    return login(world.province_nominator).post_form(url(world, "/propose"), {**form, **changes})


def test_proposing_with_a_campaign_of_another_body_is_refused_on_its_field(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    response = _propose_after_lock(world, login, campaign_id="987654")
    assert (response.status_code, 'id="campaign_id-error"' in response.get_data(as_text=True)) == (
        400,
        True,
    )


def test_the_proposal_offers_the_titles_of_the_open_campaigns_marked_with_them(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    not_offered = AwardTypeFactory(
        awarding_body=world.province, code="BK-KHAC", name="Bằng khen khác"
    )
    db.session.commit()
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    page = login(world.province_nominator).get(url(world, "/ranking")).get_data(as_text=True)
    marked = f'data-campaigns="{world.campaign.id}"'
    assert (
        page.count(f'{marked} selected value="{world.flag.id}"'),
        page.count(f'{marked} selected value="{world.diploma.id}"'),
        page.count(f'{marked} value="{world.flag.id}"'),
        not_offered.name in page,
        page.count('data-options-follow="campaign_id"'),
    ) == (1, 1, 1, False, 2)


def test_proposing_a_title_the_campaign_does_not_offer_is_refused_on_its_field(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    not_offered = AwardTypeFactory(awarding_body=world.province, code="BK-KHAC")
    db.session.commit()
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    client = login(world.province_nominator)
    form = {
        "campaign_id": str(world.campaign.id),
        "first_award_id": str(world.flag.id),
        "next_award_id": str(world.diploma.id),
        "next_count": "1",
    }
    first = client.post_form(
        url(world, "/propose"), {**form, "first_award_id": str(not_offered.id)}
    )
    made = db.session.scalar(select(func.count(Nomination.id)))
    assert (
        first.status_code,
        'id="first_award_id-error"' in first.get_data(as_text=True),
        made,
    ) == (
        400,
        True,
        0,
    )


def test_an_empty_count_of_next_units_is_asked_for_and_proposes_nothing(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    response = _propose_after_lock(world, login, next_count="")
    page = html.unescape(response.get_data(as_text=True))
    assert (
        response.status_code,
        'id="next_count-error"' in page,
        db.session.scalar(select(func.count(Nomination.id))),
    ) == (400, True, 0)


def test_the_ranking_can_be_downloaded_as_xlsx(world: World, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.officers[2]).get(url(world, "/scoring.xlsx"))
    assert (
        response.status_code,
        response.data[:2],
        response.headers["Content-Disposition"].startswith("attachment"),
    ) == (
        200,
        b"PK",
        True,
    )


def test_the_table_s_lines_are_added_with_their_maximum_checked(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.secretariat)
    bad = client.post_form(
        url(world, "/lines"),
        {"code": "TC3", "text": "Cải cách hành chính", "max_points": "2.55", "parent_id": "0"},
    )
    good = client.post_form(
        url(world, "/lines"),
        {
            "code": "TC3",
            "text": "Cải cách hành chính",
            "max_points": "2.5",
            "parent_id": str(world.lines["TC1"].id),
        },
    )
    db.session.expire_all()
    tc1 = db.session.get(type(world.lines["TC1"]), world.lines["TC1"].id)
    assert (
        bad.status_code,
        'id="max_points-error"' in bad.get_data(as_text=True),
        good.status_code,
        tc1.max_points,
    ) == (  # type: ignore[union-attr]
        400,
        True,
        302,
        Decimal("18.0"),
    )


def test_the_history_of_a_unit_lists_its_locked_results(world: World, login) -> None:  # type: ignore[no-untyped-def]
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    page = login(world.officers[0]).get(f"/clusters/units/{world.communes[0].id}/history")
    assert (page.status_code, "35,0" in page.get_data(as_text=True)) == (200, True)


def test_a_successor_s_history_shows_the_merged_unit_under_its_old_name(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    successor = UnitFactory(name="Xã Vĩnh Thành Mới", parent=world.province)
    officer = user_with(Role.SECRETARIAT, successor)
    old = world.communes[2]
    old.state, old.successor = "merged", successor  # as units.workflow.merge leaves it
    db.session.commit()
    page = login(officer).get(f"/clusters/units/{successor.id}/history")
    text = page.get_data(as_text=True)
    outsider = login(world.officers[0]).get(f"/clusters/units/{successor.id}/history")
    assert (page.status_code, "Xã Vĩnh Thành" in text, "3/3" in text, outsider.status_code) == (
        200,
        True,
        True,
        403,
    )


def test_the_province_s_officer_who_follows_the_clusters_sees_a_commune_s_history(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    follower = user_with(Role.NOMINATOR, world.province)
    hamlet = UnitFactory(name="Ấp Sơn Qui", parent=world.communes[1])
    hamlet_nominator = user_with(Role.NOMINATOR, hamlet)
    db.session.commit()
    path = f"/clusters/units/{world.communes[0].id}/history"

    page = login(follower).get(path)
    below = login(hamlet_nominator).get(path)

    assert (page.status_code, "35,0" in page.get_data(as_text=True)) == (200, True)
    assert below.status_code == 403


def test_a_unit_merged_into_one_of_the_same_name_is_not_said_merged_into_itself(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    _agree_all(world)
    login(world.officers[0]).post_form(url(world, "/lock"))
    old = world.communes[2]
    successor = UnitFactory(name=old.name, parent=world.province)
    officer = user_with(Role.SECRETARIAT, successor)
    old.state, old.successor = "merged", successor
    db.session.commit()

    text = login(officer).get(f"/clusters/units/{successor.id}/history").get_data(as_text=True)

    assert f"đã sáp nhập vào {old.name}" not in text
    assert "trước khi sáp nhập" in text


def test_the_dashboard_says_what_is_left_to_score(world: World, login) -> None:  # type: ignore[no-untyped-def]
    from tests.decisions.helpers import in_english, page_text

    name = world.cluster.name
    member_officer = in_english(login(world.officers[1]))
    text = page_text(member_officer.get("/dashboard").get_data(as_text=True))
    assert f"Xã Chợ Lách has not scored itself in {name} yet" in text
    assert "the agreed scores of the members are still to be recorded" not in text
    lead = in_english(login(world.officers[0]))
    text = page_text(lead.get("/dashboard").get_data(as_text=True))
    assert f"Xã Phú Phụng has not scored itself in {name} yet" in text
    assert f"{name}: the agreed scores of the members are still to be recorded" in text

    line = world.lines["TC2"]
    scored = login(world.officers[1]).post_form(
        url(world, f"/members/{member(world, 1).id}/score"), {f"p{line.id}": "17"}
    )
    assert scored.status_code == 302
    text = page_text(in_english(login(world.officers[1])).get("/dashboard").get_data(as_text=True))
    assert "has not scored itself" not in text
    _agree_all(world)
    text = page_text(in_english(login(world.officers[0])).get("/dashboard").get_data(as_text=True))
    assert "the agreed scores of the members are still to be recorded" not in text
