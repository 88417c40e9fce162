"""`catalogctl site serve`: a real preview server that follows catalog edits."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from catalogctl.site.serve import fingerprint
from paths import REPO

REPO = REPO


def copy_catalog(target: Path) -> Path:
    for name in ("catalog", "changes", "incidents", "problems", "schemas", "site"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "catalogctl.yaml", target / "catalogctl.yaml")
    return target


def site_url(root: Path) -> str:
    import yaml

    policy = yaml.safe_load((root / "catalogctl.yaml").read_text(encoding="utf-8"))
    url: str = policy.get("site", {}).get("url", "")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return True
        time.sleep(0.5)
    return False


def test_fingerprint_follows_catalog_edits(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "cat")
    before = fingerprint(root)
    (root / "catalog/services/hr/payroll.yaml").write_text(
        (root / "catalog/services/hr/payroll.yaml").read_text() + "\n", encoding="utf-8"
    )
    assert fingerprint(root) != before
    unchanged = fingerprint(root)
    (root / "README.md").write_text("not part of the site\n", encoding="utf-8")
    assert fingerprint(root) == unchanged


def test_serve_regenerates_pages_when_the_catalog_changes(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "cat")
    port = free_port()
    script = Path(sys.executable).parent / "catalogctl"
    server = subprocess.Popen(
        [
            str(script),
            "-C",
            str(root),
            "site",
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--now",
            "2026-11-28T12:00:00Z",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = urllib.parse.urlsplit(site_url(root)).path.rstrip("/")  # MkDocs serves there
        page = f"http://127.0.0.1:{port}{base}/services/human-resources/payroll/"
        assert wait_for(page, "Payroll", 90), "the preview never served the payroll page"
        service = root / "catalog/services/hr/payroll.yaml"
        service.write_text(
            service.read_text(encoding="utf-8").replace("name: Payroll", "name: Payroll Live"),
            encoding="utf-8",
        )
        assert wait_for(page, "Payroll Live", 90), "the edit never reached the preview"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        finally:
            if server.poll() is None:
                server.kill()
    assert server.returncode is not None
