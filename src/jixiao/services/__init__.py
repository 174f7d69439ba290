"""The one API the entry points call: read files, score and review their forms.

`jixiao parse` is `parse_files`, `jixiao check` is `check_files`; a script can call the same
functions and get the same results. Bad input never stops a batch: each file's forms are
kept or its error is recorded, and the rest go on.

Callers use `from jixiao import services; services.X`; the modules hold the parts by concern:
checking (parse, check), exporting (the official form out), store (open, upgrade, import),
review_desk (stored forms: list, show, edit, decide, workflow), accounts (users and
organisations), summaries (department summary tables) and reports (evaluation reports).
"""

from typing import TYPE_CHECKING

# The errors the services raise, named here so that callers catch them as `services.X`.
from jixiao.domain.report_framework import ReportInputError
from jixiao.domain.workflow import Forbidden, Invalid, StoreError
from jixiao.services.accounts import add_organisation, add_user, authenticate, get_actor, get_user, list_users, reset_password, set_active
from jixiao.services.checking import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    CheckRun,
    ParseRun,
    Progress,
    check_files,
    check_forms,
    parse_files,
)
from jixiao.services.exporting import (
    EXPORT_FORMATS,
    EXPORT_FORMS_LIMIT,
    LAYOUTS,
    TEMPLATE_FORMATS,
    ExportRun,
    export_files,
    export_findings,
    export_form,
    safe_file_name,
    write_template,
)
from jixiao.services.reports import (
    DEFAULT_SUBJECT,
    HISTORY_YEARS,
    REPORT_FORMATS,
    REPORT_PROFILE,
    ReportDraft,
    check_report_file,
    draft_report,
    draft_report_from_forms,
    draft_stored_report,
    judgement_file_template,
    parse_funds,
    parse_judgement,
    read_report,
    report_framework,
    report_images,
    write_report,
)
from jixiao.services.review_desk import (
    IDENTITY_CELLS,
    add_comment,
    audit_trail,
    change_status,
    dashboard,
    decide_finding,
    edit_cell,
    form_years,
    get_form,
    list_forms,
    list_organisations,
    unit_choices,
)
from jixiao.services.store import (
    FileImport,
    ImportOutcome,
    ImportReport,
    SavedVersion,
    import_files,
    open_store,
    upgrade_store,
)
from jixiao.services.summaries import (
    SUMMARY_FORMATS,
    SUMMARY_UNITS,
    ExecutionTrend,
    SummaryRun,
    export_summary,
    review_summary,
    summarise,
    summarise_files,
    summarise_stored,
    summary_trend,
)
from jixiao.storage.views import FormFilters

if TYPE_CHECKING:
    # What `open_store` returns, for callers' annotations (`services.Database`); importing
    # it at run time would load SQLAlchemy, which `jixiao check` must not pay.
    from jixiao.storage.database import Database  # noqa: F401

__all__ = [
    "DEFAULT_SUBJECT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXPORT_FORMATS",
    "EXPORT_FORMS_LIMIT",
    "HISTORY_YEARS",
    "IDENTITY_CELLS",
    "LAYOUTS",
    "REPORT_FORMATS",
    "REPORT_PROFILE",
    "SUMMARY_FORMATS",
    "SUMMARY_UNITS",
    "TEMPLATE_FORMATS",
    "CheckRun",
    "ExecutionTrend",
    "ExportRun",
    "FileImport",
    "Forbidden",
    "FormFilters",
    "ImportOutcome",
    "ImportReport",
    "Invalid",
    "ParseRun",
    "Progress",
    "ReportDraft",
    "ReportInputError",
    "SavedVersion",
    "StoreError",
    "SummaryRun",
    "add_comment",
    "add_organisation",
    "add_user",
    "audit_trail",
    "authenticate",
    "change_status",
    "check_files",
    "check_forms",
    "check_report_file",
    "dashboard",
    "decide_finding",
    "draft_report",
    "draft_report_from_forms",
    "draft_stored_report",
    "edit_cell",
    "export_files",
    "export_findings",
    "export_form",
    "export_summary",
    "form_years",
    "get_actor",
    "get_user",
    "get_form",
    "import_files",
    "judgement_file_template",
    "list_forms",
    "list_organisations",
    "unit_choices",
    "list_users",
    "reset_password",
    "set_active",
    "open_store",
    "parse_files",
    "parse_funds",
    "parse_judgement",
    "read_report",
    "report_framework",
    "report_images",
    "review_summary",
    "safe_file_name",
    "summarise",
    "summarise_files",
    "summarise_stored",
    "summary_trend",
    "upgrade_store",
    "write_template",
    "write_report",
]
