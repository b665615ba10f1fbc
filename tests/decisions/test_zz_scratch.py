import dataclasses
from flask_babel import force_locale
from recognition.decisions.certificates import certificate_view
from recognition.pdf import render_pdf
from tests.decisions.helpers import *
from tests.workflow.helpers import build_scene

LONG = ("Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” giai đoạn 2021 - 2025, "
        "góp phần hoàn thành thắng lợi nhiệm vụ phát triển kinh tế - xã hội, xây dựng nông thôn mới kiểu mẫu, "
        "chuyển đổi số cộng đồng và bảo đảm quốc phòng, an ninh trên địa bàn huyện Chợ Lách")

def test_dbg(app):
    with app.test_request_context(), force_locale("vi"):
        scene = build_scene()
        d = issued(scene, 1, names=["Tổ công nghệ số cộng đồng ấp Phú Hữu, xã Sơn Định"])
        v = certificate_view(certificates_of(d)[0])
        for words in range(80, 200, 15):
            text = " ".join((LONG + " " + LONG).split()[:words])
            vv = dataclasses.replace(v, achievement=text, title="ĐIỂN HÌNH XÃ NÔNG THÔN MỚI KIỂU MẪU")
            pdf = render_pdf("pdf/certificate.html", certificates=[vv], paper="A4")
            t = pdftotext(pdf, raw=True)
            print(words, len(text), "footer" if "Số sổ vàng" in t else "NO FOOTER", len(page_sizes(pdf)))
            if words == 110: open("/tmp/long.pdf","wb").write(pdf)
