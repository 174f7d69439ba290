"""Commands on the store: db upgrade, import, users add, orgs add (storage/database.py tells
where it is)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao import services
from jixiao.cli.options import _load_profile, _open_store, database_option, files_argument, profile_option, user_option
from jixiao.terminal import progress_bar


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
    if no_password:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n") or None
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    database = _open_store(database_url)
    try:
        uow = database.unit_of_work()
        actor = services.get_actor(uow, username)
        user = services.add_user(uow, actor, name, role, organisation=organisation, password=password, display_name=display_name)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    login = "可登录" if user.can_log_in else "未设密码，不能登录"
    click.echo(f"已添加用户 {user.username}（{user.role.label}，编号 {user.id}，{login}）")


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
    database = _open_store(database_url)
    try:
        uow = database.unit_of_work()
        actor = services.get_actor(uow, username)
        organisation = services.add_organisation(uow, actor, name, kind, parent=parent, code=code)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    click.echo(f"已添加{organisation.kind.label} {organisation.name}（编号 {organisation.id}）")
