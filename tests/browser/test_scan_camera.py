"""The scan box in Chromium: a fake camera films a QR label, a wedge scanner types one; both open it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import PHONE
from test_pages_chromium import CSP_WATCH, PRODUCTION, sign_in, stocked

from showclear.web.labels.qr import qr_matrix

WIDTH, HEIGHT, FRAMES = 640, 480, 10
EXECUTABLE = "/usr/bin/chromium"  # Debian's, as the other browser tests use

# the label sheet's production: seven replicas W1-W7 and a lot, a crew member who signs in
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures(stocked.name),
]


def y4m_of_qr(url: str, path: Path, *, module: int = 8) -> None:
    """A few grayscale 4:2:0 Y4M frames of the URL's QR code, black on white with a quiet zone."""
    matrix = qr_matrix(url)
    size = len(matrix) * module
    assert size + 8 * module <= HEIGHT, "the code does not fit the frame"
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))  # white
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            for y in range(top + r * module, top + (r + 1) * module):
                start = y * WIDTH + left + c * module
                luma[start : start + module] = b"\x10" * module  # black
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))  # no colour
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


@pytest.fixture
def camera_label(tmp_path: Path, live_server: Any) -> Path:
    """The fake camera's video: W2's label as the label sheet prints it."""
    video = tmp_path / "label-w2.y4m"
    y4m_of_qr(f"{live_server.url}/p/{PRODUCTION}/weapons/W2/", video)
    return video


@pytest.fixture
def camera_chromium(chromium: Any, camera_label: Path) -> Iterator[Any]:
    """A second Chromium, of the same Playwright, whose camera films the label."""
    fake = [
        *("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"),
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_label}",
    ]
    browser = chromium.browser_type.launch(executable_path=EXECUTABLE, args=fake)
    try:
        yield browser
    finally:
        browser.close()


def test_the_camera_reads_a_qr_label_and_opens_the_weapon(
    camera_chromium: Any, live_server: Any, artifacts: Path
) -> None:
    context = camera_chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, permissions=["camera"]
    )
    errors: list[str] = []
    requested: list[str] = []
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if "Security Policy" in msg.text else None,
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda request: requested.append(request.url))
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/p/{PRODUCTION}/")
        native = page.evaluate("() => 'BarcodeDetector' in window")
        print(f"BarcodeDetector in this Chromium: {native} (else the vendored jsQR decodes)")
        camera = page.locator("#scan-camera")
        assert camera.is_visible()
        box = camera.bounding_box()
        assert box is not None
        assert box["height"] >= 44
        page.screenshot(path=str(artifacts / "scan-board.png"))
        assert not [url for url in requested if url.endswith("/pages/jsQR.js")]  # not yet
        camera.tap()
        page.wait_for_url(f"{live_server.url}/p/{PRODUCTION}/weapons/W2/", timeout=20_000)
        assert "W2" in page.locator("h1").first.inner_text()
        # Without a native detector the page loads the vendored decoder, and only then.
        assert any(url.endswith("/pages/jsQR.js") for url in requested) is (not native)
        page.screenshot(path=str(artifacts / "scan-camera-opened-w2.png"))
        assert not errors, errors
    finally:
        context.close()


def test_a_wedge_scanner_typing_the_label_url_opens_the_weapon(
    chromium: Any, live_server: Any, artifacts: Path
) -> None:
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, live_server.url)
        board = f"{live_server.url}/p/{PRODUCTION}/"
        for typed, item in ((f"{live_server.url}/p/{PRODUCTION}/weapons/W3/", "W3"), ("dx4", "W4")):
            page.goto(board)
            page.fill("#go", typed)
            page.press("#go", "Enter")  # what a keyboard-wedge scanner ends a label with
            # htmx follows the redirect and shows the item's own URL, so its forms post there
            page.wait_for_url(f"{board}weapons/{item}/")
            assert item in page.locator("h1").first.inner_text()
        page.goto(board)
        page.fill("#go", "nothing like it")
        page.press("#go", "Enter")
        page.wait_for_url(re.compile(r"/search/\?q=nothing(\+|%20)like(\+|%20)it$"))
        assert "No weapon or lot matches “nothing like it”" in page.locator("main").inner_text()
        assert page.input_value("#go") == "nothing like it"
    finally:
        context.close()
