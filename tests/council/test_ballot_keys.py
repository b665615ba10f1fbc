"""The keys of open votes in a bucket of their own (BALLOT_KEY_BACKEND "s3", recognition/council/
ballot_keys.py), on the local S3-protocol server: a vote opened, cast and counted with its key in
the bucket and nothing in the folder; a spent key removed from the bucket; the bucket of the
stored files and a versioned bucket refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from recognition.council import ballot_box, services
from recognition.council.ballot_keys import KEY_SIZE, BucketKeys, KeyStoreError, key_store
from recognition.council.enums import Choice
from tests.council.helpers import accepted, roll, seat_council, vote_all, voting_session
from tests.support.object_store import ACCESS_KEY, REGION, SECRET_KEY, client, endpoint, new_bucket
from tests.workflow.helpers import build_scene

A, D = Choice.AGREE, Choice.DISAGREE


@pytest.fixture
def key_bucket(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app keeps its ballot keys in a new bucket; the key folder does not exist."""
    bucket = new_bucket()
    for name, value in {
        "BALLOT_KEY_BACKEND": "s3",
        "BALLOT_KEY_S3_BUCKET": bucket,
        "BALLOT_KEY_S3_PREFIX": "keys/",
        "BALLOT_KEY_S3_ENDPOINT_URL": endpoint(),
        "BALLOT_KEY_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "BALLOT_KEY_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "BALLOT_KEY_S3_REGION": REGION,
        "BALLOT_KEY_DIR": str(tmp_path / "no-keys-here"),
    }.items():
        monkeypatch.setitem(app.config, name, value)
    return bucket


def objects_in(bucket: str) -> dict[str, bytes]:
    listed = client().list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client().get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_a_secret_ballot_with_its_key_in_a_bucket_is_cast_and_counted(
    key_bucket: str, tmp_path: Path
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]

    stored = objects_in(key_bucket)
    vote_all(item, [A] * 7 + [D] * 2, roll(session))
    services.close_vote(session, actor=scene.chair)

    name = f"keys/session-{session.id}-{session.ballot_key_id}.key"
    assert list(stored) == [name]
    assert ballot_box.fingerprint(stored[name]) == session.ballot_key_fingerprint
    assert len(stored[name]) == KEY_SIZE
    assert (item.outcome, item.agree_count, item.disagree_count) == ("passed", 7, 2)
    assert not (tmp_path / "no-keys-here").exists()


def test_a_spent_key_left_in_the_bucket_is_destroyed_at_the_next_opening(
    key_bucket: str,
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    first = voting_session(scene, [accepted(scene)])
    vote_all(first.items[0], [A] * 9, roll(first))
    # The close commits but the server dies before destroying the key: it is still there.
    services.close_vote(first, actor=scene.chair)
    left = list(objects_in(key_bucket))

    second = voting_session(scene, [accepted(scene)])

    assert left == [f"keys/session-{first.id}-{first.ballot_key_id}.key"]
    assert list(objects_in(key_bucket)) == [f"keys/session-{second.id}-{second.ballot_key_id}.key"]
    assert key_store().names() == [f"session-{second.id}-{second.ballot_key_id}.key"]


def test_a_missing_key_in_the_bucket_stops_the_count_with_a_message(key_bucket: str) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    vote_all(session.items[0], [A] * 9, roll(session))
    client().delete_object(
        Bucket=key_bucket, Key=f"keys/session-{session.id}-{session.ballot_key_id}.key"
    )

    with pytest.raises(ballot_box.BallotKeyMissing):
        services.close_vote(session, actor=scene.chair)


def test_the_bucket_of_the_stored_files_is_refused_for_the_keys(
    app: Flask, key_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "s3")
    monkeypatch.setitem(app.config, "S3_BUCKET", key_bucket)

    with pytest.raises(KeyStoreError, match="must not be the bucket of the stored files"):
        BucketKeys.for_app(app)


def test_a_versioned_bucket_is_refused_before_a_key_is_written(key_bucket: str) -> None:
    client().put_bucket_versioning(Bucket=key_bucket, VersioningConfiguration={"Status": "Enabled"})
    scene = build_scene()
    seat_council(scene, size=9)

    with pytest.raises(KeyStoreError, match="versioning enabled"):
        voting_session(scene, [accepted(scene)])
    assert objects_in(key_bucket) == {}
