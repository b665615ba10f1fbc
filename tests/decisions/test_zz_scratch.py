import dataclasses
from flask import current_app
from flask_babel import force_locale
from weasyprint import HTML, CSS
from weasyprint.text.fonts import FontConfiguration
from recognition.pdf import STATIC, StaticOnlyFetcher
from recognition.decisions.certificates import certificate_view
from tests.decisions.helpers import *
from tests.workflow.helpers import build_scene

LONG = ("Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” giai đoạn 2021 - 2025, "
        "góp phần hoàn thành thắng lợi nhiệm vụ phát triển kinh tế - xã hội, xây dựng nông thôn mới kiểu mẫu, "
        "chuyển đổi số cộng đồng và bảo đảm quốc phòng, an ninh trên địa bàn huyện Chợ Lách")
SRC = open("/work/main/templates/pdf/certificate.html").read()
OLD = SRC.replace('<div class="qr"><a href="{{ c.verify_url }}"><img src="{{ c.qr_uri }}" alt=""></a></div>', '<img src="{{ c.qr_uri }}" alt="">')
import re as _re
_footer = _re.search(r'  <div class="footer">.*?\n  </div>\n', SRC, _re.S).group(0)
FIRST = SRC.replace(_footer, "").replace('  {% if c.emblem_uri %}', _footer + '  {% if c.emblem_uri %}')
assert FIRST != SRC and FIRST.count('class="footer"') == 1
W = SRC.replace(
    ".footer { position: absolute; left: 20mm; right: 20mm; bottom: 9mm; display: flex; justify-content: space-between; align-items: flex-end; }",
    ".footer { position: absolute; left: 20mm; right: 20mm; bottom: 9mm; }\n  .row { display: flex; justify-content: space-between; align-items: flex-end; }",
).replace('<div class="footer">', '<div class="footer"><div class="row">').replace('<div class="name">{{ c.signer_name }}</div></div>\n  </div>', '<div class="name">{{ c.signer_name }}</div></div>\n  </div></div>')
assert W.count('class="row"') == 1 and W.count("</div></div>\n</div></div></div>") == 1, W[-600:]
V1 = SRC.replace(".inner { height: 100%;", ".inner { height: 184.4mm;")
V3 = SRC.replace(".sheet { width: {{ w }}mm; height: {{ h }}mm;", ".sheet { width: {{ w }}mm; height: {{ h }}mm; break-inside: avoid;")
NOABS = SRC.replace(".sheet { width: {{ w }}mm; height: {{ h }}mm; box-sizing: border-box; padding: 9mm; page-break-after: always; position: relative; overflow: hidden; }", ".sheet { width: {{ w }}mm; height: {{ h }}mm; box-sizing: border-box; padding: 9mm; page-break-after: always; position: relative; }")

def render(src, views):
    html = current_app.jinja_env.from_string(src).render(certificates=views, paper="A4")
    fonts = FontConfiguration()
    doc = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    css = CSS(filename=str(STATIC / "fonts" / "fonts.css"), font_config=fonts, url_fetcher=StaticOnlyFetcher())
    return doc.write_pdf(stylesheets=[css], font_config=fonts)

def test_dbg(app):
    assert OLD != SRC
    with app.test_request_context(), force_locale("vi"):
        scene = build_scene()
        d = issued(scene, 1, names=["Tổ công nghệ số cộng đồng ấp Phú Hữu, xã Sơn Định"])
        v = certificate_view(certificates_of(d)[0])
        for name, src in (("current", SRC), ("wrapped", W)):
            for words in (20, 60, 95, 110, 140):
                text = " ".join((LONG + " " + LONG).split()[:words])
                vv = dataclasses.replace(v, achievement=text, title="ĐIỂN HÌNH XÃ NÔNG THÔN MỚI KIỂU MẪU")
                pdf = render(src, [vv])
                t = pdftotext(pdf, raw=True)
                import subprocess, re
                bb = subprocess.run(["pdftotext","-bbox","-","-"], input=pdf, capture_output=True).stdout.decode()
                ys = re.findall(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="[0-9.]+">(?:vàng:|CHỦ|Đã)', bb)
                print(ys)
                print(name, words, "footer" if "Số sổ vàng" in t else "NO FOOTER", len(page_sizes(pdf)))
                open(f"/tmp/long_{name.replace(' ','_')}_{words}.pdf","wb").write(pdf)
