"""`jixiao` on the command line: each command is one call into `jixiao.services`.

Exit status: 0 no error-severity finding, 1 error findings, 2 an input could not be read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from jixiao import __version__, profiles, services
from jixiao.domain.profiles import Profile, ProfileError
from jixiao.readers import read_grids
from jixiao.readers.grid import ReadError
from jixiao.terminal import catalogue_markdown, print_catalogue, print_check_report, print_parse_report, print_read_errors, progress_bar

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def cli() -> None:
    """jixiao（绩效）：项目支出绩效自评表的读取、评分与审核。"""


@cli.command(name="parse")
@files_argument
@json_option
@click.option("--grid", "show_grid", is_flag=True, help="只显示读入的单元格网格（排查表样问题）。")
def parse_command(files: tuple[Path, ...], as_json: bool, show_grid: bool) -> None:
    """读取 FILES 中的自评表并原样列出（不评分）。

    Example:  jixiao parse examples/luohu-district-office-2022.txt --json
    """
    if show_grid:
        raise SystemExit(_print_grids(files))
    with progress_bar() as progress:
        run = services.parse_files(files, progress)
    if as_json:
        for form in run.forms:
            _write_json(form.json())
    else:
        print_parse_report(run)
    print_read_errors(run.errors)
    raise SystemExit(run.exit_code)


@cli.command(name="check")
@files_argument
@json_option
@profile_option
def check_command(files: tuple[Path, ...], as_json: bool, profile_name: str | None) -> None:
    """读取 FILES 中的自评表，按规则复核评分并逐项审核。

    Example:  jixiao check examples/*.txt --profile shenzhen-2021
    """
    profile = _load_profile(profile_name)
    with progress_bar() as progress:
        run = services.check_files(files, profile, progress)
    if as_json:
        for item in run.reviews:
            _write_json({**item.form.json(), "evaluation": item.evaluation.json(), "findings": item.json()})
    else:
        print_check_report(run)
    print_read_errors(run.errors)
    raise SystemExit(run.exit_code)


@cli.command(name="checks")
@click.option("--markdown", is_flag=True, help="输出 Markdown（docs/checks.md 即由此生成）。")
def checks_command(markdown: bool) -> None:
    """列出全部审核规则：编码、级别、适用范围和提示语。

    Example:  jixiao checks --markdown > docs/checks.md
    """
    if markdown:
        click.echo(catalogue_markdown(), nl=False)
    else:
        print_catalogue()


@cli.command(name="profiles")
def profiles_command() -> None:
    """列出内置的规则配置。

    Example:  jixiao profiles
    """
    for name, profile in profiles.load_all().items():
        weights = " / ".join(f"{key} {value}" for key, value in profile.level1_weights.items())
        click.echo(f"{name}\t{profile.title}\t资金 {profile.funds_weight} · {weights}")


@cli.command(name="export")
@files_argument
@click.option("--to", "to", type=click.Choice(services.EXPORT_FORMATS), required=True, help="输出格式。")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="输出目录（不存在则创建）。"
)
@profile_option
@click.option("--layout", type=click.Choice(["2021", "2022"]), help="表样：默认沿用原表的表样。")
def export_command(files: tuple[Path, ...], to: str, out_dir: Path, profile_name: str | None, layout: str | None) -> None:
    """把 FILES 中的每张自评表按官方表样写成一个文件，最后一页（工作表）为审核意见。

    文件名为“序号-项目名称.扩展名”；退出码同 check。

    Example:  jixiao export examples/luohu-district-office-2022.txt --to xlsx --out 导出
    """
    profile = _load_profile(profile_name)
    with progress_bar() as progress:
        try:
            run = services.export_files(files, to, out_dir, profile, _layout(layout), progress)
        except OSError as error:
            raise click.ClickException(f"无法写入 {error.filename or out_dir}：{error.strerror or error}") from None
    for path in run.written:
        click.echo(str(path))
    for name in run.skipped:
        click.echo(f"未导出（部门汇总表的行，不是自评表）：{name}", err=True)
    print_read_errors(run.errors)
    raise SystemExit(run.exit_code)


@cli.command(name="template")
@click.option("--layout", type=click.Choice(["2021", "2022"]), required=True, help="表样。")
@click.option("--to", "to", type=click.Choice(services.TEMPLATE_FORMATS), default="xlsx", show_default=True, help="输出格式。")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出文件。")
@profile_option
def template_command(layout: str, to: str, out: Path, profile_name: str | None) -> None:
    """写出一张空白自评表供单位填报：标签和各一级指标分值已填（按规则配置），数值留空；填好后可直接用 jixiao 读取。

    Example:  jixiao template --layout 2022 --to xlsx --out 自评表模板.xlsx
    """
    profile = _load_profile(profile_name)
    try:
        path = services.write_template(_layout(layout), to, out, profile)
    except OSError as error:
        raise click.ClickException(f"无法写入 {out}：{error.strerror or error}") from None
    click.echo(str(path))


def _layout(year: str | None) -> str | None:
    """`2021` → `form-2021`: the CLI names a layout by its year."""
    return f"form-{year}" if year else None


def _load_profile(name: str | None) -> Profile | None:
    if name is None:
        return None
    try:
        return profiles.load(name)
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--profile") from None


def _print_grids(files: tuple[Path, ...]) -> int:
    failed = False
    for path in files:
        try:
            grids = read_grids(path)
        except ReadError as error:
            print_read_errors([error])
            failed = True
            continue
        for grid in grids:
            click.echo(f"# {grid.file} {grid.part}".rstrip())
            for index, row in enumerate(grid.rows):
                cells = [
                    "·" if cell is None else cell.text + (f"[{cell.span[0]}×{cell.span[1]}]" if cell.span != (1, 1) else "")
                    for cell in row
                ]
                click.echo(f"{grid.line_of(index):>5} " + " ⇥ ".join(cells))
    return services.EXIT_UNREADABLE if failed else services.EXIT_OK


def _write_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def main() -> None:
    cli()


# --- the store: db upgrade, import, users add, orgs add (storage/database.py tells where it is)

database_option = click.option(
    "--database",
    "database_url",
    metavar="URL",
    help="数据库地址；默认取环境变量 JIXIAO_DATABASE_URL，否则为当前目录下的 jixiao.db（SQLite）。",
)
user_option = click.option(
    "--user", "username", default="system", show_default=True, help="以哪个用户的身份操作（记入操作日志）。"
)


@cli.group(name="db")
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


@cli.command(name="import")
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


@cli.group(name="users")
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


@cli.group(name="orgs")
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


def _open_store(url: str | None) -> services.Database:
    try:
        return services.open_store(url)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None


# --- the web app: serve, demo (src/jixiao/web)

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from jixiao.web.settings import Settings

host_option = click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；对外服务请放在 HTTPS 反向代理之后。")
port_option = click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口。")


@cli.command(name="serve")
@host_option
@port_option
@database_option
def serve_command(host: str, port: int, database_url: str | None) -> None:
    """启动网页版（登录、上传、在线修改与审核、统计、REST API /api/）。

    设置见 `jixiao.web.settings`：JIXIAO_DATABASE_URL、JIXIAO_SECRET_KEY、JIXIAO_MAX_UPLOAD_MB、
    JIXIAO_COOKIE_SECURE。数据库须已用 jixiao db upgrade 创建。

    Example:  JIXIAO_DATABASE_URL=sqlite:///jixiao.db jixiao serve --port 8000
    """
    # Imported here: FastAPI and uvicorn take a second to import, which `jixiao check` must not pay.
    from jixiao.web.settings import Settings

    _serve(Settings.from_environment(database_url=database_url), host, port)


@cli.command(name="demo")
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


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from jixiao.web.app import create_app

    try:
        app = create_app(settings)
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"\n网页版：http://{host}:{port}/   （API 说明：http://{host}:{port}/api/openapi.json；Ctrl+C 停止）")
    uvicorn.run(app, host=host, port=port, log_level="warning")


# --- department summaries: summary (services.summarise_files / summarise_stored)


@cli.command(name="summary")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", type=click.Choice(services.SUMMARY_FORMATS), help="输出格式；默认按 --out 的扩展名，否则 xlsx。")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（用 --json 时可省略）。")
@click.option(
    "--unit", "amount_unit", type=click.Choice(services.SUMMARY_UNITS), default="万元", show_default=True, help="金额单位。"
)
@click.option("--department", metavar="NAME", help="部门：标题中的部门名称；用 --db 时为汇总范围（名称、编码或编号）。")
@click.option("--year", type=click.IntRange(2000, 2100), help="年度：标题中的年度；用 --db 时必填。")
@click.option("--db", "from_store", is_flag=True, help="从数据库取该年度的自评表（而不是从 FILES）。")
@click.option("--json", "as_json", is_flag=True, help="输出汇总表 JSON（金额为元，附每个数字的来源行和审核意见）。")
@profile_option
@user_option
@database_option
def summary_command(
    files: tuple[Path, ...],
    to: str | None,
    out: Path | None,
    amount_unit: str,
    department: str | None,
    year: int | None,
    from_store: bool,
    as_json: bool,
    profile_name: str | None,
    username: str,
    database_url: str | None,
) -> None:
    """把 FILES 中的自评表（或数据库中某部门某年度的表）汇总为部门预算项目绩效自评表，写成 xlsx 或 docx。

    每个项目一行：预算与支出（按来源）、执行率、年度目标及完成情况、各类指标的指标值与完成情况、偏差说明中的问题与整改措施。

    xlsx 另有“审核意见”“数据来源”“图表”三个工作表。退出码同 check。

    Example:  jixiao summary examples/luohu-district-office-2022.txt --to xlsx --out 汇总表.xlsx
    """
    if from_store == bool(files):
        raise click.UsageError("请给出自评表文件，或用 --db 从数据库汇总（二者选一）。")
    if from_store and year is None:
        raise click.UsageError("用 --db 汇总时须指定 --year。")
    if out is None and not as_json:
        raise click.UsageError("请用 --out 指定输出文件（或用 --json 输出到屏幕）。")
    chosen = to or _format_of(out)
    profile = _load_profile(profile_name)
    if from_store:
        database = _open_store(database_url)
        try:
            uow = database.unit_of_work()
            actor = services.get_actor(uow, username)
            run = services.summarise_stored(uow, actor, year=year, department=department, unit=amount_unit, profile=profile)
        except services.StoreError as error:
            raise click.ClickException(str(error)) from None
        finally:
            database.dispose()
    else:
        with progress_bar() as progress:
            run = services.summarise_files(
                files, department=department, year=year, unit=amount_unit, profile=profile, progress=progress
            )
    if not run.table.rows:
        print_read_errors(run.errors)
        raise click.ClickException("没有可汇总的自评表。")
    if as_json:
        _write_json(run.json())
    if out is not None:
        try:
            services.export_summary(run, chosen, out)
        except OSError as error:
            raise click.ClickException(f"无法写入 {out}：{error.strerror or error}") from None
        findings = sum(len(item.findings) for item in run.reviews)
        click.echo(f"{out}：{run.table.title}，{len(run.table.rows)} 个项目，审核意见 {findings} 条", err=as_json)
    print_read_errors(run.errors)
    raise SystemExit(run.exit_code)


def _format_of(out: Path | None) -> str:
    """The summary format named by the output file's extension, else xlsx."""
    suffix = out.suffix.lstrip(".").lower() if out is not None else ""
    return suffix if suffix in services.SUMMARY_FORMATS else "xlsx"


# --- evaluation reports: report (services.draft_report / draft_stored_report / check_report_file)


@cli.command(name="report")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--judgement",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="评价人评分文件（YAML）：决策、过程中需判断的指标逐条评分，扣分须写理由（模板见 --template）。",
)
@click.option(
    "--funds",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="资金文件（YAML）：资金类别及预算、到位、支出金额；默认每张自评表为一类，到位数按全年预算数计。",
)
@click.option("--to", "to", type=click.Choice(services.REPORT_FORMATS), help="输出格式；默认按 --out 的扩展名，否则 docx。")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（用 --json 时可省略）。")
@click.option("--year", type=click.IntRange(2000, 2100), help="评价年度；默认为多数表的年度，更早年度的表用于历年对比图。")
@click.option("--subject", help="评价对象，如“文化广电旅游体育专项资金”（用于标题）。")
@click.option("--organisation", help="评价单位（抬头和落款）；默认为多数表的主管部门。")
@click.option("--date", "date", help="落款日期，如 2023年6月15日。")
@click.option("--department", metavar="NAME|CODE|ID", help="用 --db 时的范围：部门或单位（名称、编码或编号）。")
@click.option("--db", "from_store", is_flag=True, help="从数据库取该年度的自评表（而不是从 FILES）。")
@click.option(
    "--check",
    "check_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="不起草：审核一份评价报告（文本或 .docx），核对权重、总分、等级和比率公式。",
)
@click.option("--template", "template", is_flag=True, help="不起草：输出评价人评分文件模板（列出全部评分点）。")
@click.option("--json", "as_json", is_flag=True, help="输出报告 JSON：报告内容、每项得分的来由和来源行、审核结果。")
@profile_option
@user_option
@database_option
def report_command(
    files: tuple[Path, ...],
    judgement: Path | None,
    funds: Path | None,
    to: str | None,
    out: Path | None,
    year: int | None,
    subject: str | None,
    organisation: str | None,
    date: str | None,
    department: str | None,
    from_store: bool,
    check_path: Path | None,
    template: bool,
    as_json: bool,
    profile_name: str | None,
    username: str,
    database_url: str | None,
) -> None:
    """起草绩效评价报告（docx 或 pdf），或审核一份已有的评价报告。

    起草：按“决策 20 / 过程 20 / 产出 40 / 效益 20”的指标体系，由 FILES 中各子项目的自评表和资金数据
    计算资金到位率、预算执行率、实际完成率、质量达标率、完成及时性、成本节约率和效益指标，
    由评分文件给出需判断的指标，写出基本情况、综合评价、指标分析、问题与建议（可在评分文件中改写）、
    图表和附表。退出码：0 已写出，2 有文件未能读取或评分、资金文件有误。

    审核（--check）：退出码 0 无错误，1 有错误级问题（如成本节约率与公式不符），2 无法读取。

    Example:  jixiao report 自评表/*.txt --judgement 评分.yaml --funds 资金.yaml --to docx --out 评价报告.docx
    """
    if template:
        click.echo(services.judgement_file_template(), nl=False)
        return
    profile = _load_profile(profile_name)
    if check_path is not None:
        raise SystemExit(_check_report(check_path, profile, as_json))
    if from_store == bool(files):
        raise click.UsageError("请给出自评表文件，或用 --db 从数据库取表（二者选一）。")
    if from_store and year is None:
        raise click.UsageError("用 --db 起草时须指定 --year。")
    if out is None and not as_json:
        raise click.UsageError("请用 --out 指定输出文件（或用 --json 输出到屏幕）。")
    try:
        if from_store:
            draft = _stored_draft(database_url, username, year, department, judgement, funds, subject, date, profile)
        else:
            with progress_bar() as progress:
                draft = services.draft_report(
                    files, judgement=judgement, funds=funds, year=year, subject=subject,
                    organisation=organisation, date=date, profile=profile, progress=progress,
                )  # fmt: skip
    except services.ReportInputError as error:
        click.echo(f"{error.source} 有误：", err=True)
        for problem in error.problems:
            click.echo(f"  ✗ {problem}", err=True)
        raise SystemExit(services.EXIT_UNREADABLE) from None
    except ReadError as error:
        print_read_errors([error])
        raise SystemExit(services.EXIT_UNREADABLE) from None
    if not draft.report.rows or not draft.assessment.results:
        raise click.ClickException("没有可评价的内容。")
    if as_json:
        _write_json(draft.json())
    if out is not None:
        try:
            services.write_report(draft, to or _report_format_of(out), out)
        except OSError as error:
            raise click.ClickException(f"无法写入 {out}：{error.strerror or error}") from None
        _print_draft(draft, out, err=as_json)
    print_read_errors(list(draft.errors))
    raise SystemExit(draft.exit_code)


def _stored_draft(
    database_url: str | None,
    username: str,
    year: int | None,
    department: str | None,
    judgement: Path | None,
    funds: Path | None,
    subject: str | None,
    date: str | None,
    profile: Profile | None,
) -> services.ReportDraft:
    database = _open_store(database_url)
    try:
        uow = database.unit_of_work()
        actor = services.get_actor(uow, username)
        return services.draft_stored_report(
            uow, actor, year=year or 0, department=department,
            judgement=judgement, funds=funds, subject=subject, date=date, profile=profile,
        )  # fmt: skip
    except services.StoreError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()


def _print_draft(draft: services.ReportDraft, out: Path, *, err: bool) -> None:
    """What was written, the score, what a person still has to do, and the draft's own findings."""
    assessment = draft.assessment
    grade = f"，等级“{assessment.grade}”" if assessment.grade else "，暂不评级"
    click.echo(f"{out}：{draft.report.title}，综合评价得分 {assessment.total}{grade}", err=err)
    for item in assessment.pending:
        state = "待评分" if item.score is None else f"建议得分 {item.score}，待确认"
        click.echo(f"  ? {item.indicator.name}（{state}）：{item.explain}", err=err)
    for finding in draft.review.findings:
        click.echo(f"  {'✗' if finding.outcome == 'fail' else '?'} {finding.code} {finding.message}", err=err)
    for name in draft.skipped:
        click.echo(f"  未计入：{name}", err=err)


def _check_report(path: Path, profile: Profile | None, as_json: bool) -> int:
    try:
        review = services.check_report_file(path, profile)
    except ReadError as error:
        print_read_errors([error])
        return services.EXIT_UNREADABLE
    if as_json:
        _write_json({**review.report.json(), "findings": review.json()})
    else:
        report = review.report
        click.echo(f"{path}：{report.title}，{len(report.rows)} 项三级指标，综合评价得分 {report.total.text or '（未写明）'}")
        findings = review.findings
        for finding in findings:
            mark = "✗" if finding.outcome == "fail" else "?"
            click.echo(f"  {mark} {finding.code} {finding.message}")
            if finding.note:
                click.echo(f"      {finding.note}")
        if not findings:
            click.echo("  ✓ 权重、总分、等级与公式均无问题")
    return services.EXIT_FINDINGS if review.has_errors else services.EXIT_OK


def _report_format_of(out: Path) -> str:
    """The report format named by the output file's extension, else docx."""
    suffix = out.suffix.lstrip(".").lower()
    return suffix if suffix in services.REPORT_FORMATS else "docx"
