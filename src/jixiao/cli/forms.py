"""Commands on form files: parse, check, checks, profiles, export, template."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao import profiles, services
from jixiao.cli.options import _load_profile, _write_json, files_argument, json_option, profile_option
from jixiao.readers import read_grids
from jixiao.readers.grid import ReadError
from jixiao.terminal import catalogue_markdown, print_catalogue, print_check_report, print_parse_report, print_read_errors, progress_bar


@click.command(name="parse")
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


@click.command(name="check")
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


@click.command(name="checks")
@click.option("--markdown", is_flag=True, help="输出 Markdown（docs/checks.md 即由此生成）。")
def checks_command(markdown: bool) -> None:
    """列出全部审核规则：编码、级别、适用范围和提示语。

    Example:  jixiao checks --markdown > docs/checks.md
    """
    if markdown:
        click.echo(catalogue_markdown(), nl=False)
    else:
        print_catalogue()


@click.command(name="profiles")
def profiles_command() -> None:
    """列出内置的规则配置。

    Example:  jixiao profiles
    """
    for name, profile in profiles.load_all().items():
        weights = " / ".join(f"{key} {value}" for key, value in profile.level1_weights.items())
        click.echo(f"{name}\t{profile.title}\t资金 {profile.funds_weight} · {weights}")


@click.command(name="export")
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


@click.command(name="template")
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
