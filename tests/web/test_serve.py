"""`jixiao demo` and `jixiao serve`, and the settings they read from the environment."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import cli
from jixiao.web.settings import Settings, secret_path, stored_secret


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--database", str(path)])
    assert result.exit_code == 0, result.output
    return path, result.output


def test_the_demo_creates_a_store_with_the_examples_and_prints_the_logins(demo_database):
    path, output = demo_database
    assert path.exists()
    assert "导入 luohu-culture-bureau-2021.txt：22 张表" in output
    assert "导入 luohu-district-office-2022.txt：8 张表" in output
    for login in ("admin    / demo-admin", "shenhe   / demo-shenhe", "tianbao  / demo-tianbao"):
        assert login in output


def test_the_demo_reuses_its_store_unless_reset(demo_database):
    path, _ = demo_database
    again = CliRunner().invoke(cli, ["demo", "--no-serve", "--database", str(path)])
    assert again.exit_code == 0
    assert "使用已有的演示数据库" in again.output and "导入" not in again.output


def test_serve_refuses_a_store_without_its_schema(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--database", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code != 0
    assert "jixiao db upgrade" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_starts_the_app_on_the_given_port_against_the_database_url(demo_database):
    path, _ = demo_database
    port = _free_port()
    environment = {**os.environ, "JIXIAO_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert response.read() == b"ok"
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not start within 30 s"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            assert "登录" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", "sqlite:////srv/jixiao.db")
    monkeypatch.setenv("JIXIAO_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("JIXIAO_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("JIXIAO_COOKIE_SECURE", "true")
    settings = Settings.from_environment()
    assert settings == Settings("sqlite:////srv/jixiao.db", "k" * 40, 5.0, True, 8.0)
    assert settings.max_upload_bytes == 5 * 1024 * 1024
    assert Settings.from_environment(database_url="sqlite:///other.db").database_url == "sqlite:///other.db"


def test_malformed_settings_fall_back_to_the_defaults(monkeypatch):
    monkeypatch.setenv("JIXIAO_MAX_UPLOAD_MB", "many")
    monkeypatch.setenv("JIXIAO_SESSION_HOURS", "-1")
    monkeypatch.delenv("JIXIAO_COOKIE_SECURE", raising=False)
    settings = Settings.from_environment()
    assert (settings.max_upload_mb, settings.session_hours, settings.cookie_secure) == (20.0, 8.0, False)


def test_the_secret_key_is_made_once_and_kept_beside_a_sqlite_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'jixiao.db'}"
    first = stored_secret(url)
    assert secret_path(url) == tmp_path / "jixiao.db.secret"
    assert stored_secret(url) == first and len(first) >= 40
    assert stat.S_IMODE((tmp_path / "jixiao.db.secret").stat().st_mode) == 0o600


def test_the_secret_key_of_a_server_store_is_kept_in_the_users_config(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert secret_path("postgresql+psycopg://jixiao@db/jixiao") == tmp_path / "jixiao" / "secret.key"
