"""The arguments and options several commands share, and the helpers that act on them:
`--profile` loaded, `--database` opened, `--json` written."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from jixiao import profiles, services
from jixiao.domain.profiles import Profile, ProfileError
from jixiao.domain.workflow import SYSTEM_USER

files_argument = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
json_option = click.option("--json", "as_json", is_flag=True, help="每张表一行 JSON（JSON Lines，见 form-json）。")


def profile_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--profile",
        "profile_name",
        metavar="NAME|FILE.yaml",
        help=f"规则配置：{', '.join(profiles.available())} 或自定义 YAML 文件；默认按表样自动选择。",
    )(command)


database_option = click.option(
    "--database",
    "database_url",
    metavar="URL",
    help="数据库地址；默认取环境变量 JIXIAO_DATABASE_URL，否则为当前目录下的 jixiao.db（SQLite）。",
)
user_option = click.option(
    "--user", "username", default=SYSTEM_USER, show_default=True, help="以哪个用户的身份操作（记入操作日志）。"
)


def _load_profile(name: str | None) -> Profile | None:
    if name is None:
        return None
    try:
        return profiles.load(name)
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--profile") from None


def _open_store(url: str | None) -> services.Database:
    try:
        return services.open_store(url)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None


def _write_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
