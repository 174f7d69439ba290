"""The evaluation report command: report (services.draft_report / draft_stored_report /
check_report_file)."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao import services
from jixiao.cli.options import _load_profile, _open_store, _write_json, database_option, profile_option, user_option
from jixiao.domain.profiles import Profile
from jixiao.readers.grid import ReadError
from jixiao.terminal import print_read_errors, progress_bar


@click.command(name="report")
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
