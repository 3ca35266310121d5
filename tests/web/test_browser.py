"""One real browser: Debian's Chromium driven by Selenium through chromedriver."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store import make_engine
from innochain.store.db import make_sessionmaker, session_scope
from tests.conftest import fresh_database
from tests.factories import PASSWORD, make_user, write_seed

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str) -> Iterator[str]:
    """The app on a real port, served by uvicorn in a thread."""
    port = _free_port()
    app = create_app(Settings(database_url=url, environment="test"))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


@pytest.fixture
def server(loaded_db: str) -> Iterator[str]:
    if loaded_db.startswith("postgresql"):
        pytest.skip("one browser run is enough; it uses the SQLite database")
    with serving(loaded_db) as base:
        yield base


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_directory_chinese_search_then_organisation_page(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    wait = WebDriverWait(driver, 15)
    driver.get(f"{server}/organizations")
    # the first Tab shows the link past the header, and following it moves the focus to main
    skip = driver.find_element(By.CSS_SELECTOR, "a.skip")
    assert skip.location["x"] < 0
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert driver.switch_to.active_element == skip and skip.location["x"] >= 0
    skip.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
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


def test_statistics_chart_is_interactive_offline_under_the_csp(server: str, browser: Any) -> None:
    """ECharts comes from the npm package on this machine, runs under the page's CSP
    (script-src 'self', no inline styles), shows a value on hover and hides the SVG."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(f"{server}/stats/cn-vehicle-production")
    WebDriverWait(driver, 15).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "figure.chart-box.interactive .echart canvas")
    )
    assert not driver.find_element(By.CSS_SELECTOR, "figure.chart-box svg.chart").is_displayed()
    box = driver.find_element(By.CSS_SELECTOR, ".echart")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    first_year = driver.find_element(By.CSS_SELECTOR, "#observations tbody td").text
    # the hidden SVG's content stays available to screen readers as the chart's description
    assert box.get_attribute("aria-label").startswith("China motor vehicle production")
    assert f"{first_year} " in box.get_attribute("aria-label")
    # hover over the left end of the plot area: the tooltip names the first period
    ActionChains(driver).move_to_element_with_offset(box, -box.size["width"] // 2 + 70, 0).perform()
    WebDriverWait(driver, 5).until(lambda d: first_year in box.text and "vehicles" in box.text)
    problems = [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" or "Content Security Policy" in e["message"]
    ]
    assert problems == []


@pytest.fixture
def members_server(tmp_path: Path) -> Iterator[str]:
    """A writable database: the seed, a BYD member, a CATL member and an operator."""
    with fresh_database("sqlite", tmp_path) as url:
        engine = make_engine(url)
        with session_scope(make_sessionmaker(engine)) as session:
            import_tables(session, read_path(write_seed(tmp_path / "seed", capabilities=True)))
            make_user(session, "dev@byd.example", org="byd")
            make_user(session, "dev@catl.example", org="catl")
            make_user(session, "ops@example.org", role="operator")
        engine.dispose()
        with serving(url) as base:
            yield base


def _sign_in(driver: Any, base: str, email: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.ID, "logout")))


def _sign_out(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/")
    driver.find_element(By.ID, "logout").click()
    WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.ID, "login-link")))


def _status_of(driver: Any, base: str, path: str) -> str:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}{path}")
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def test_private_need_is_seen_by_its_organisation_and_operators_only(
    members_server: str, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, driver = members_server, browser
    wait = WebDriverWait(driver, 15)
    _sign_in(driver, base, "dev@byd.example")
    driver.get(f"{base}/match?text=" + quote("Zirconia coated separator for blade cells"))
    title = wait.until(ec.presence_of_element_located((By.NAME, "title")))
    title.clear()
    title.send_keys("Zirconia coated separator")
    assert driver.find_element(By.NAME, "visibility").get_attribute("value") == "private"
    driver.find_element(By.ID, "save-need").click()
    wait.until(ec.presence_of_element_located((By.ID, "saved")))
    need_path = driver.current_url.removeprefix(base).split("?")[0]
    assert driver.find_element(By.ID, "need-visibility").text == "private"
    _sign_out(driver, base)

    _sign_in(driver, base, "dev@catl.example")
    driver.get(f"{base}/needs")
    assert "Zirconia" not in driver.find_element(By.ID, "needs-list").text
    driver.get(f"{base}/needs?q=Zirconia")
    assert driver.find_element(By.ID, "needs-total").text.startswith("0 needs")
    assert _status_of(driver, base, need_path).startswith("404")
    need_id = need_path.rsplit("/", 1)[-1]
    assert _status_of(driver, base, f"/match?saved={need_id}").startswith("404")
    driver.get(f"{base}/api/v1/needs/{need_id}")
    assert '"not_found"' in driver.find_element(By.TAG_NAME, "body").text
    _sign_out(driver, base)

    _sign_in(driver, base, "ops@example.org")
    driver.get(f"{base}/needs?q=Zirconia")
    assert "Zirconia coated separator" in driver.find_element(By.ID, "needs-list").text
    assert _status_of(driver, base, need_path).startswith("Zirconia coated separator")
    _sign_out(driver, base)

    assert _status_of(driver, base, need_path).startswith("404")  # signed out: gone again
    driver.get(f"{base}/account")
    assert driver.current_url.startswith(f"{base}/login")


def test_walk_a_project_to_mass_production_and_see_the_portfolio(
    members_server: str, browser: Any
) -> None:
    """Issue 6, done when: a project walked from research to mass production with gates and
    funding through the forms, and the portfolio charts show it."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver, base = browser, members_server
    _sign_in(driver, base, "dev@catl.example")

    def submit(form: Any) -> None:
        """Click the form's button and wait for the next page (the old form goes away)."""
        form.find_element(By.CSS_SELECTOR, "button").click()

        def gone(_: Any) -> bool:
            try:
                form.is_enabled()
            except WebDriverException:  # stale, or detached while the page changes
                return True
            return False

        WebDriverWait(driver, 15).until(gone)
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def fill_date(form: Any, name: str, value: str) -> None:
        field = form.find_element(By.NAME, name)
        driver.execute_script("arguments[0].value = arguments[1]", field, value)

    driver.get(f"{base}/projects")
    form = driver.find_element(By.ID, "new-project")
    form.find_element(By.NAME, "title").send_keys("Sodium-ion cells for A0 cars")
    fill_date(form, "started", "2024-01-02")
    submit(form)
    assert driver.find_element(By.ID, "stage").text.startswith("research (TRL 1–3)")
    project_url = driver.current_url

    rounds = [
        ("subsidy", "5", "CNY", "", "2024-02-01"),
        ("vc_pe", "20", "USD", "7.2", "2024-04-01"),
        ("guided_fund", "300", "CNY", "", "2024-10-01"),
        ("bank_loan", "500", "CNY", "", "2025-07-01"),
    ]
    gates = [("4", "2024-03-01"), ("6", "2024-09-01"), ("8", "2025-06-01"), None]
    for (source, amount, currency, rate, day), gate in zip(rounds, gates, strict=True):
        form = driver.find_element(By.ID, "funding-form")
        Select(form.find_element(By.NAME, "source")).select_by_value(source)
        form.find_element(By.NAME, "amount_m").send_keys(amount)
        currency_box = form.find_element(By.NAME, "currency")
        currency_box.clear()
        currency_box.send_keys(currency)
        form.find_element(By.NAME, "cny_rate").send_keys(rate)
        fill_date(form, "received", day)
        submit(form)
        if gate:
            trl, decided = gate
            form = driver.find_element(By.ID, "gate-form")
            trl_box = form.find_element(By.NAME, "trl")
            trl_box.clear()
            trl_box.send_keys(trl)
            fill_date(form, "decided_on", decided)
            form.find_elements(By.NAME, "criterion")[0].send_keys("test plan passed")
            form.find_elements(By.NAME, "met")[0].click()
            submit(form)
            assert driver.current_url == project_url, driver.find_element(By.TAG_NAME, "main").text
    assert driver.find_element(By.ID, "stage").text.startswith("mass_production (TRL 8–9)")
    periods = driver.find_element(By.ID, "periods").text
    assert "research 2024-01-02 2024-03-01 59" in periods

    driver.get(f"{base}/portfolio")
    funnel_bars = driver.find_elements(By.CSS_SELECTOR, "#funnel svg rect.bar")
    heights = [float(bar.get_attribute("height")) for bar in funnel_bars]
    assert len(heights) == 4 and min(heights) > 0 and len(set(heights)) == 1  # reached all four
    segments = driver.find_elements(By.CSS_SELECTOR, "#relay svg rect")
    assert len(segments) == 4  # one source per stage, as booked
    titles = [s.find_element(By.TAG_NAME, "title").get_attribute("textContent") for s in segments]
    assert "lab · vc_pe: 144 CNY m" in titles
    assert "total 949" in driver.find_element(By.ID, "relay").text
