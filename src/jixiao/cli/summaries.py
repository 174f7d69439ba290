"""The department summary command: summary (services.summarise_files / summarise_stored)."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao import services
from jixiao.cli.options import _load_profile, _open_store, _write_json, database_option, profile_option, user_option
from jixiao.terminal import print_read_errors, progress_bar


@click.command(name="summary")
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
