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
