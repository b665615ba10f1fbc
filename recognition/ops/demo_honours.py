"""The demo's honour board: the district's 2024 models, published by its secretariat with
their stories and a drawn illustration (the demo carries no real photos of people)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw

from recognition.auth.models import User
from recognition.decisions.models import Decision
from recognition.honours.services import PhotoUpload, publish_entry

STORIES = {
    "Ấp Sơn Qui": (
        "Ấp Sơn Qui là ấp đầu tiên của huyện đạt chuẩn ấp nông thôn mới thông minh. 96 % hộ "
        "dân có internet cáp quang; Tổ công nghệ số cộng đồng của ấp đã hướng dẫn 612 lượt "
        "người dân dùng dịch vụ công trực tuyến và thanh toán không dùng tiền mặt.\n"
        "Mô hình “Ấp số - Dân thông thái” được các ấp trong huyện đến học tập và nhân rộng."
    ),
    "Xã Sơn Định": (
        "Ba năm thực hiện phong trào “Đồng khởi mới” (2021 - 2023), xã Sơn Định hoàn thành "
        "xuất sắc các chỉ tiêu kinh tế - xã hội, giữ vững chuẩn xã nông thôn mới nâng cao và "
        "xây dựng Tổ công nghệ số cộng đồng ở tất cả các ấp.\n"
        "Xã là điển hình của huyện về chuyển đổi số trong vận động nhân dân."
    ),
}
CAPTIONS = {
    "Ấp Sơn Qui": "Tranh minh họa: nhà văn hóa ấp Sơn Qui giữa vườn cây ăn trái",
}


def illustration() -> bytes:
    """A drawn landscape (sky, orchards, a community house) as a JPEG."""
    width, height = 960, 540
    picture = Image.new("RGB", (width, height), (135, 196, 235))
    draw = ImageDraw.Draw(picture)
    for y in range(0, 300):
        shade = 235 - y // 6
        draw.line([(0, y), (width, y)], fill=(150, 205, shade))
    draw.ellipse([780, 50, 880, 150], fill=(255, 214, 90))
    draw.rectangle([0, 300, width, height], fill=(76, 153, 70))
    for x in range(20, width, 70):
        draw.rectangle([x + 18, 250, x + 26, 330], fill=(110, 78, 45))
        draw.ellipse([x - 10, 200, x + 55, 270], fill=(40, 120, 50))
    draw.rectangle([360, 300, 600, 440], fill=(245, 230, 200))
    draw.polygon([(340, 305), (480, 210), (620, 305)], fill=(179, 18, 29))
    draw.rectangle([455, 360, 505, 440], fill=(120, 70, 40))
    draw.rectangle([385, 330, 430, 370], fill=(170, 210, 235))
    draw.rectangle([530, 330, 575, 370], fill=(170, 210, 235))
    out = BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def publish_2024_models(decision: Decision, secretariat: User) -> None:
    """Put the district's awards of 2024 on the public honour board."""
    for line in decision.lines:
        if line.certificate is None or line.recipient not in STORIES:
            continue
        photos = []
        if line.recipient in CAPTIONS:
            photos.append(
                PhotoUpload(
                    BytesIO(illustration()),
                    "nha-van-hoa-ap-son-qui.jpg",
                    CAPTIONS[line.recipient],
                    "photo_1",
                )
            )
        publish_entry(
            line.certificate, actor=secretariat, story=STORIES[line.recipient], photos=photos
        )
