"""`jixiao serve --workers N`: several server processes over one store, one session key."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx2
from click.testing import CliRunner
from storage_conftest import (  # noqa: F401  (fixtures)
    database_url,
    postgres_databases,
    postgres_template,
    sqlite_template,
)

from jixiao.cli import cli

START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_workers_share_the_store_and_the_login(database_url, tmp_path):
    added = CliRunner().invoke(
        cli, ["users", "add", "guan", "--role", "admin", "--password-stdin", "--database", database_url], input="管理-口令\n"
    )
    assert added.exit_code == 0, added.output
    port = _free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("JIXIAO_")}
    command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", "--workers", "2", "--port", str(port), "--database", database_url]
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen(command, env=environment, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
            token = client.get("/api/session").json()["csrf_token"]
            login = client.post("/api/session", json={"username": "guan", "password": "管理-口令"}, headers={"X-CSRF-Token": token})
            assert login.status_code == 200, login.text
            # Forty requests over new connections land on both workers: each accepts the session.
            answers = [client.get("/api/session", headers={"Connection": "close"}).json()["user"] for _ in range(40)]
            assert {answer["username"] for answer in answers} == {"guan"}
    finally:
        server.terminate()
        server.wait(timeout=20)
