"""A class on JupyterHub: the book's launch link opens the student release on a real hub.

A small book (one workbook page) is built with a hub and a student repository set in
``_config.yml`` the way an instructor sets them, and its launch link is checked. Then the real
path runs on loopback: JupyterHub (DummyAuthenticator, SimpleLocalProcessSpawner, the
configurable-http-proxy that ``make test`` installs from npm), a ``file://`` git repository made
from ``make release``'s output, two students who log in, follow the book's link, get their own
clone through nbgitpuller and run the notebook in JupyterLab. The single-user servers run with
``KAMLIB_CHECK_MODE=release``, so a check cell that finds a correct answer (a notebook with its
solutions) raises and fails the run. Kernels use ipc sockets; everything starts after the book
build (``book_build_finished`` in conftest.py).
"""

from __future__ import annotations

import functools
import http.server
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import ERRORS_JS, PANEL_JS, RUN_ALL_JS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHP = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
PAGE = "notebooks/01_meet_the_company"  # the workbook page whose launch link is followed
REPO_NAME = "kam-student"
STUDENTS = ("alice", "bob")
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build_small_book(folder: Path, *, hub_url: str, repo_url: str) -> Path:
    """The course's _config.yml with the instructor's two settings, over one workbook page."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["launch_buttons"]["jupyterhub_url"] = hub_url
    config["repository"]["url"] = repo_url
    config["execute"]["execute_notebooks"] = "off"  # the link is what is tested here
    config["bibtex_bibfiles"] = [str(ROOT / b) for b in config["bibtex_bibfiles"]]
    extensions = config["sphinx"]["local_extensions"]
    for name, path in extensions.items():
        extensions[name] = str(ROOT / path)
    (folder / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / f"{PAGE}.ipynb", folder / f"{PAGE}.ipynb")
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "_toc.yml").write_text(f"format: jb-article\nroot: {PAGE}\n", encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(folder), "--path-output", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    html = folder / "_build" / "html"
    if done.returncode != 0 or not (html / f"{PAGE}.html").is_file():
        pytest.fail(f"the small book did not build:\n{(done.stdout + done.stderr)[-3000:]}")
    return html


def _launch_link(html: Path) -> str:
    soup = BeautifulSoup((html / f"{PAGE}.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True) if "/git-pull?" in a["href"]]
    assert len(links) == 1, f"expected one JupyterHub launch link, found {links}"
    return links[0]


def _student_repository(folder: Path) -> Path:
    """A git repository (branch main) holding what ``make release`` writes, under notebooks/."""
    release = folder / "release"
    done = subprocess.run(
        ["make", "--no-print-directory", "release", f"RELEASE_DIR={release}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"make release failed:\n{done.stdout}\n{done.stderr}"
    repo = folder / "git" / "school" / REPO_NAME
    # The book's link opens notebooks/<name>.ipynb: a flat release goes into notebooks/.
    shutil.copytree(release, repo if (release / "notebooks").is_dir() else repo / "notebooks")
    git = ["git", "-C", str(repo), "-c", "user.name=Instructor", "-c", "user.email=i@example.org"]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "release"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    return repo


def test_the_course_book_links_to_the_hub_set_in_its_config(book_html):
    # As shipped, both settings are empty and the book has no (dead) launch button; once an
    # instructor sets them, every workbook page links to that hub and repository.
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    hub_url = config["launch_buttons"]["jupyterhub_url"]
    repo_url = config["repository"]["url"]
    page = (book_html / f"{PAGE}.html").read_text(encoding="utf-8")
    if not (hub_url and repo_url):
        assert "/git-pull?" not in page
    else:
        query = parse_qs(urlsplit(_launch_link(book_html)).query)
        assert query["repo"] == [repo_url]


def test_launch_link_points_at_the_student_repository(tmp_path):
    html = _build_small_book(
        tmp_path / "book",
        hub_url="https://hub.example.edu",
        repo_url="https://github.com/my-school/kam-student",
    )
    link = urlsplit(_launch_link(html))
    query = parse_qs(link.query)
    assert f"{link.scheme}://{link.netloc}{link.path}" == (
        "https://hub.example.edu/hub/user-redirect/git-pull"
    )
    assert query["repo"] == ["https://github.com/my-school/kam-student"]
    assert query["branch"] == ["main"]
    assert query["urlpath"] == [f"lab/tree/kam-student/{PAGE}.ipynb"]


@pytest.fixture(scope="module")
def hub(book_build_finished, tmp_path_factory):
    """JupyterHub on 127.0.0.1 with dummy logins and local single-user servers."""
    if not CHP.is_file():
        pytest.fail(
            f"{CHP} is missing: `make test` installs it "
            "(npm install --prefix .venv/node configurable-http-proxy).",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("hub")
    runtime = Path(tempfile.mkdtemp(prefix="kh-"))  # short: unix socket paths of the kernels
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    home = folder / "home"
    for student in STUDENTS:
        # JupyterLab draws every cell (not only those on screen) and asks no news question.
        settings = home / student / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
        (settings / "notebook-extension").mkdir(parents=True)
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            '{"windowingMode": "none"}'
        )
        (settings / "apputils-extension").mkdir(parents=True)
        (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false"}'
        )
    config = folder / "jupyterhub_config.py"
    config.write_text(
        f"""
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.pid_file = {str(folder / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{folder / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(folder / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(home)!r} + "/{{username}}"
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = [
    "--allow-root",
    "--KernelManager.transport=ipc",
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{
    "KAMLIB_CHECK_MODE": "release",
    "JUPYTER_RUNTIME_DIR": lambda spawner: {str(runtime)!r} + "/" + spawner.user.name,
}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""
    )
    log = open(folder / "hub.log", "w")  # noqa: SIM115 - closed below
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    server = subprocess.Popen(
        [str(BIN / "jupyterhub"), "-f", str(config)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"JupyterHub did not start:\n{(folder / 'hub.log').read_text()[-3000:]}")
        yield {"url": url, "folder": folder, "home": home, "log": folder / "hub.log"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hub_book(hub):
    """The small book with the loopback hub and the file:// student repository, served locally."""
    repo = _student_repository(hub["folder"])
    html = _build_small_book(hub["folder"] / "book", hub_url=hub["url"], repo_url=f"file://{repo}")
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "repo": repo}
    server.shutdown()
    server.server_close()


def test_two_students_follow_the_link_and_run_the_student_release(
    hub, hub_book, offline_page, screenshot
):
    notebook = f"{REPO_NAME}/{PAGE}.ipynb"
    for student in STUDENTS:
        tab = offline_page(viewport={"width": 1400, "height": 1000})
        page = tab.page
        page.goto(f"{hub_book['url']}/{PAGE}.html", wait_until="load")
        link = page.locator("a[href*='/git-pull?']")
        assert link.count() == 1, f"no launch link; screenshot: {screenshot(page, 'book')}"
        page.goto(link.get_attribute("href"))  # follow the book's link
        try:
            page.locator("input[name=username]").fill(student)
            page.locator("input[name=password]").fill(secrets.token_hex(8))
            page.locator("#login_submit").click()
            page.wait_for_url(f"**/user/{student}/lab/**", timeout=180_000)
            page.wait_for_function(PANEL_JS, arg=notebook, timeout=120_000)
            ran = page.evaluate(RUN_ALL_JS, 240_000)
            errors = page.evaluate(ERRORS_JS)
        except Exception as error:
            pytest.fail(
                f"{student}: {error}\nscreenshot: {screenshot(page, student)}\n"
                f"hub log:\n{hub['log'].read_text()[-2000:]}",
                pytrace=False,
            )
        assert ran is True and not errors, (
            f"{student}: the student notebook did not run cleanly ({ran!r}): {errors[:2]}\n"
            f"screenshot: {screenshot(page, student)}"
        )
        assert not tab.remote, f"requests to other machines: {tab.remote[:5]}"
        clone = hub["home"] / student / REPO_NAME / f"{PAGE}.ipynb"
        assert clone.is_file(), f"nbgitpuller made no clone at {clone}"
        assert "### BEGIN SOLUTION" not in clone.read_text(encoding="utf-8"), "solutions served"
    # Each student has a clone of their own.
    clones = [hub["home"] / s / REPO_NAME for s in STUDENTS]
    assert all(c.is_dir() for c in clones) and clones[0] != clones[1]
