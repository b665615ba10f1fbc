import io
from pathlib import Path
import pytest
import segno
from flask import Flask
from flask_babel import force_locale
from recognition import storage
from recognition.decisions.certificates import render_batch
from tests.decisions.helpers import certificates_of, issued, passed_person, person_award, drafted
from recognition.decisions import services
from tests.workflow.helpers import build_scene
from tests.decisions.helpers import ISSUE_DAY

def test_dump(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        s = services.settings_for(scene.body)
        s.signer_name = "Trần Văn Minh"
        out = io.BytesIO(); segno.make("emblem").save(out, kind="png", scale=10)
        s.emblem_key = storage.store_bytes(out.getvalue(), "image/png").storage_key
        c = certificates_of(issued(scene, 1))[0]
        Path("/tmp/blanks/full.pdf").write_bytes(render_batch([c]))
        award = person_award(scene)
        d = drafted(scene, [passed_person(scene, award, name="Nguyễn Văn An")])
        services.issue_decision(d, actor=scene.chair, today=ISSUE_DAY)
        Path("/tmp/blanks/full2.pdf").write_bytes(render_batch(certificates_of(d)))
        s.emblem_key = None
        Path("/tmp/blanks/full3.pdf").write_bytes(render_batch(certificates_of(d)))
