"""Commands on the store: db upgrade, import, users add/passwd/deactivate/activate, orgs add
(storage/database.py tells where it is)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from jixiao import services
from jixiao.cli.options import _load_profile, _open_store, database_option, files_argument, profile_option, user_option
from jixiao.domain.workflow import Actor
from jixiao.terminal import progress_bar

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork

Done = TypeVar("Done")


def _acting_as(database_url: str | None, username: str, change: Callable[[UnitOfWork, Actor], Done]) -> Done:
    """Run one change on the store as `username` (--user); a refused change is a message, not a traceback."""
    database = _open_store(database_url)
    try:
        uow = database.unit_of_work()
        return change(uow, services.get_actor(uow, username))
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()


def _password(from_stdin: bool, none: bool) -> str | None:
    """The password to set: none, the first line of standard input, or typed twice at a prompt."""
    if none:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n") or None
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@click.group(name="db")
def db_group() -> None:
    """数据库：创建与升级。

    Example:  jixiao db upgrade
    """


@db_group.command(name="upgrade")
@database_option
def db_upgrade_command(database_url: str | None) -> None:
    """创建数据库，或把已有数据库升级到最新结构（可重复运行）。

    Example:  JIXIAO_DATABASE_URL=postgresql://jixiao@localhost/jixiao jixiao db upgrade
    """
    try:
        database = services.upgrade_store(database_url)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"数据库已是最新结构（{database.revision()}）：{database.display_url}")
    database.dispose()


@click.command(name="import")
@files_argument
@click.option("--unit", metavar="NAME|CODE|ID", help="表所属的单位；默认按表中的实施单位、一级预算单位、主管部门匹配。")
@click.option("--year", type=click.IntRange(2000, 2100), help="表中没有绩效自评年度时使用的年度。")
@profile_option
@user_option
@database_option
def import_command(
    files: tuple[Path, ...],
    unit: str | None,
    year: int | None,
    profile_name: str | None,
    username: str,
    database_url: str | None,
) -> None:
    """把 FILES 中的自评表评分、审核后存入数据库。

    每个文件一个事务：文件中有一张表存不进去，整个文件都不存。再次导入相同内容不产生新版本；
    内容有改动的表存为新版本，并列出改动。退出码：0 全部导入，2 有文件未能导入。

    Example:  jixiao import examples/*.txt --unit 深圳市罗湖区文化广电旅游体育局
    """
    profile = _load_profile(profile_name)
    database = _open_store(database_url)
    try:
        uow = database.unit_of_work()
        actor = services.get_actor(uow, username)
        with progress_bar() as progress:
            report = services.import_files(files, uow, user=actor, unit=unit, profile=profile, year=year, progress=progress)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    words = {services.ImportOutcome.NEW: "新增", services.ImportOutcome.VERSION: "新版本", services.ImportOutcome.UNCHANGED: "未变"}
    for item in report.files:
        if item.error is not None:
            click.echo(f"未导入 {item.path}：{item.error}", err=True)
            continue
        counts = "，".join(f"{words[outcome]} {sum(1 for s in item.forms if s.outcome is outcome)} 张" for outcome in words)
        click.echo(f"{item.path}：{counts}")
        for saved in item.forms:
            if saved.outcome is services.ImportOutcome.VERSION:
                click.echo(f"  {saved.project_name}（{saved.year}年）第{saved.version}版：")
                for change in saved.changes:
                    click.echo(f"    {change.text}")
    click.echo(
        f"合计：新增 {report.count(services.ImportOutcome.NEW)} 张，新版本 {report.count(services.ImportOutcome.VERSION)} 张，"
        f"未变 {report.count(services.ImportOutcome.UNCHANGED)} 张，未导入文件 {len(report.failed)} 个"
    )
    raise SystemExit(report.exit_code)


@click.group(name="users")
def users_group() -> None:
    """用户：填报人、审核人、管理员。

    Example:  jixiao users add lisi --role filler --org 深圳市罗湖区委（政府）办本级
    """


@users_group.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(["filler", "reviewer", "admin"]), required=True, help="填报人、审核人或管理员。")
@click.option("--org", "organisation", metavar="NAME|CODE|ID", help="所属单位或部门（填报人、审核人必填）。")
@click.option("--display-name", help="显示名称，如姓名。")
@click.option("--password-stdin", is_flag=True, help="从标准输入的第一行读密码（不交互）。")
@click.option("--no-password", is_flag=True, help="不设密码：该账号不能登录。")
@user_option
@database_option
def users_add_command(
    name: str,
    role: str,
    organisation: str | None,
    display_name: str | None,
    password_stdin: bool,
    no_password: bool,
    username: str,
    database_url: str | None,
) -> None:
    """添加用户 NAME；密码以 argon2id 散列保存。

    Example:  jixiao users add zhangsan --role reviewer --org 深圳市罗湖区文化广电旅游体育局
    """
    password = _password(password_stdin, no_password)
    user = _acting_as(
        database_url,
        username,
        lambda uow, actor: services.add_user(uow, actor, name, role, organisation=organisation, password=password, display_name=display_name),
    )
    login = "可登录" if user.can_log_in else "未设密码，不能登录"
    click.echo(f"已添加用户 {user.username}（{user.role.label}，编号 {user.id}，{login}）")


@users_group.command(name="passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入的第一行读密码（不交互）。")
@click.option("--no-password", is_flag=True, help="取消密码：该账号不再能登录。")
@user_option
@database_option
def users_passwd_command(name: str, password_stdin: bool, no_password: bool, username: str, database_url: str | None) -> None:
    """管理员重置用户 NAME 的密码。

    Example:  jixiao users passwd zhangsan
    """
    password = _password(password_stdin, no_password)
    user = _acting_as(database_url, username, lambda uow, actor: services.reset_password(uow, actor, name, password))
    click.echo(f"已重置用户 {user.username} 的密码（{'可登录' if user.can_log_in else '未设密码，不能登录'}）")


@users_group.command(name="deactivate")
@click.argument("name")
@user_option
@database_option
def users_deactivate_command(name: str, username: str, database_url: str | None) -> None:
    """停用用户 NAME：不能再登录，已登录的会话在下一次请求时失效；其表、审核意见和操作日志保留。

    Example:  jixiao users deactivate zhangsan
    """
    user = _acting_as(database_url, username, lambda uow, actor: services.set_active(uow, actor, name, False))
    click.echo(f"已停用用户 {user.username}")


@users_group.command(name="activate")
@click.argument("name")
@user_option
@database_option
def users_activate_command(name: str, username: str, database_url: str | None) -> None:
    """重新启用用户 NAME。

    Example:  jixiao users activate zhangsan
    """
    user = _acting_as(database_url, username, lambda uow, actor: services.set_active(uow, actor, name, True))
    click.echo(f"已启用用户 {user.username}")


@click.group(name="orgs")
def orgs_group() -> None:
    """单位：财政局 → 主管部门 → 预算单位。

    Example:  jixiao orgs add 罗湖区财政局 --kind bureau
    """


@orgs_group.command(name="add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["bureau", "department", "unit"]), required=True, help="财政局、主管部门或预算单位。")
@click.option("--parent", metavar="NAME|CODE|ID", help="上级单位。")
@click.option("--code", help="单位编码，如 0102017。")
@user_option
@database_option
def orgs_add_command(
    name: str, kind: str, parent: str | None, code: str | None, username: str, database_url: str | None
) -> None:
    """添加单位 NAME。

    Example:  jixiao orgs add 深圳市罗湖区文化广电旅游体育局 --kind department --parent 罗湖区财政局
    """
    organisation = _acting_as(
        database_url, username, lambda uow, actor: services.add_organisation(uow, actor, name, kind, parent=parent, code=code)
    )
    click.echo(f"已添加{organisation.kind.label} {organisation.name}（编号 {organisation.id}）")
