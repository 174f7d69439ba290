"""`jixiao` on the command line: each command is one call into `jixiao.services`.

Exit status: 0 no error-severity finding, 1 error findings, 2 an input could not be read.

The commands live by concern: forms (parse, check, checks, profiles, export, template), store
(db, import, users, orgs), web (serve, demo), summaries (summary) and reports (report); the
options several of them share are in options.py.
"""

from __future__ import annotations

import click

from jixiao import __version__
from jixiao.cli.forms import check_command, checks_command, export_command, parse_command, profiles_command, template_command
from jixiao.cli.reports import report_command
from jixiao.cli.store import db_group, import_command, orgs_group, users_group
from jixiao.cli.summaries import summary_command
from jixiao.cli.web import demo_command, serve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def cli() -> None:
    """jixiao（绩效）：项目支出绩效自评表的读取、评分与审核。"""


for command in (
    parse_command,
    check_command,
    checks_command,
    profiles_command,
    export_command,
    template_command,
    db_group,
    import_command,
    users_group,
    orgs_group,
    serve_command,
    demo_command,
    summary_command,
    report_command,
):
    cli.add_command(command)


def main() -> None:
    cli()
