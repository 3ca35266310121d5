"""One real browser: Debian's Chromium driven by Selenium through chromedriver."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from innochain.app import create_app
from innochain.settings import Settings

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(loaded_db: str) -> Iterator[str]:
    if loaded_db.startswith("postgresql"):
        pytest.skip("one browser run is enough; it uses the SQLite database")
    port = _free_port()
    app = create_app(Settings(database_url=loaded_db))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


def test_directory_chinese_search_then_organisation_page(server: str, tmp_path: object) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        wait = WebDriverWait(driver, 15)
        driver.get(f"{server}/organizations")
        box = driver.find_element(By.NAME, "q")
        box.send_keys("宁德时代")
        box.submit()
        link = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "a[href='/organizations/catl']"))
        )
        assert "q=" in driver.current_url
        link.click()
        heading = wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        assert "宁德时代" in heading.text
        assert driver.current_url.endswith("/organizations/catl")
    finally:
        driver.quit()
