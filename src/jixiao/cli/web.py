"""Commands that run the web app: serve, demo (src/jixiao/web)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jixiao import services
from jixiao.cli.options import database_option

if TYPE_CHECKING:
    from jixiao.web.settings import Settings

host_option = click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；对外服务请放在 HTTPS 反向代理之后。")
port_option = click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口。")


@click.command(name="serve")
@host_option
@port_option
@database_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="服务进程数：多人同时使用（PostgreSQL）时可设为 CPU 核数。",
)
def serve_command(host: str, port: int, database_url: str | None, workers: int) -> None:
    """启动网页版（登录、上传、在线修改与审核、统计、REST API /api/）。

    设置见 `jixiao.web.settings`：JIXIAO_DATABASE_URL、JIXIAO_SECRET_KEY、JIXIAO_MAX_UPLOAD_MB、
    JIXIAO_COOKIE_SECURE。数据库须已用 jixiao db upgrade 创建。

    Example:  JIXIAO_DATABASE_URL=postgresql://jixiao@db/jixiao jixiao serve --port 8000 --workers 4
    """
    # Imported here: FastAPI and uvicorn take a second to import, which `jixiao check` must not pay.
    from jixiao.web.settings import Settings

    _serve(Settings.from_environment(database_url=database_url), host, port, workers)


@click.command(name="demo")
@click.option(
    "--database",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="jixiao-demo.db",
    show_default=True,
    help="演示数据库文件（SQLite）；不存在时创建并导入示例表。",
)
@click.option("--reset", is_flag=True, help="删除已有的演示数据库，重新创建。")
@click.option("--no-serve", is_flag=True, help="只创建演示数据库，不启动网页。")
@host_option
@port_option
def demo_command(path: Path, reset: bool, no_serve: bool, host: str, port: int) -> None:
    """创建演示数据库（examples/ 中的示例表，每种角色一个演示账号）并启动网页版。

    Example:  jixiao demo        # 然后打开 http://127.0.0.1:8000
    """
    from jixiao.web.demo import LOGINS, create_demo
    from jixiao.web.settings import Settings

    files = (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".secret")))
    if reset:
        for leftover in files:
            leftover.unlink(missing_ok=True)
    if path.exists():
        click.echo(f"使用已有的演示数据库 {path}（--reset 重新创建）")
        url = f"sqlite:///{path.resolve()}"
    else:
        click.echo(f"创建演示数据库 {path} …")
        try:
            url = create_demo(path, progress=click.echo)
        except BaseException as error:
            for leftover in files:  # a half-made demo would be reused next time
                leftover.unlink(missing_ok=True)
            if isinstance(error, services.StoreError):
                raise click.ClickException(str(error)) from None
            raise
    click.echo("\n演示账号（用户名 / 密码）：")
    for login in LOGINS:
        click.echo(f"  {login.username:<8} / {login.password:<13} {login.role.label}，{login.sees}")
    if no_serve:
        return
    _serve(Settings.from_environment(database_url=url), host, port)


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from jixiao.web.app import create_app
    from jixiao.web.settings import stored_secret

    try:
        app = create_app(settings)  # the store is checked before any worker starts
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"\n网页版：http://{host}:{port}/   （API 说明：http://{host}:{port}/api/openapi.json；Ctrl+C 停止）")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # Each worker process builds its own app from the environment: the same store, and the
    # same key, so that a session signed by one worker is valid in all.
    database = app.state.database
    os.environ["JIXIAO_DATABASE_URL"] = database.url
    os.environ["JIXIAO_SECRET_KEY"] = settings.secret_key or stored_secret(database.url)
    database.dispose()
    uvicorn.run("jixiao.web.app:create_app", factory=True, workers=workers, host=host, port=port, log_level="warning")
