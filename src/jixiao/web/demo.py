"""`jixiao demo`: a store with the example forms and one login per role, to try the web app.

The organisation tree follows the examples: the Shenzhen finance bureau over the city
culture bureau (which prints only its code 0102017), the Luohu and Longgang bureaus, and
their departments and units. The Luohu district office's 2022 forms are imported by its own
填报人, so they are drafts that the filler can edit and submit; the others are imported by
the system account, as a finance bureau receives them: submitted, waiting for review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao import services
from jixiao.domain.workflow import SYSTEM_USER, OrganisationKind, Role

DEMO_FILE = "jixiao-demo.db"
# (name, kind, parent, code)
ORGANISATIONS = (
    ("深圳市财政局", OrganisationKind.BUREAU, None, None),
    ("深圳市文化广电旅游体育局", OrganisationKind.DEPARTMENT, "深圳市财政局", "0102017"),
    ("罗湖区财政局", OrganisationKind.BUREAU, "深圳市财政局", None),
    ("深圳市罗湖区文化广电旅游体育局", OrganisationKind.DEPARTMENT, "罗湖区财政局", None),
    ("罗湖区委办", OrganisationKind.DEPARTMENT, "罗湖区财政局", None),
    ("深圳市罗湖区委（政府）办本级", OrganisationKind.UNIT, "罗湖区委办", None),
    ("龙岗区财政局", OrganisationKind.BUREAU, "深圳市财政局", None),
    ("深圳市龙岗区文化产业促进中心", OrganisationKind.UNIT, "龙岗区财政局", None),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    organisation: str | None
    display_name: str
    sees: str  # what this login shows, for the printed list


LOGINS = (
    DemoLogin("admin", "demo-admin", Role.ADMIN, None, "演示管理员", "全部单位的表，管理用户与单位"),
    DemoLogin("shenhe", "demo-shenhe", Role.REVIEWER, "罗湖区财政局", "罗湖区审核人", "罗湖区各部门的表，可审核、退回、处理问题"),
    DemoLogin("tianbao", "demo-tianbao", Role.FILLER, "深圳市罗湖区委（政府）办本级", "区委办填报人", "本单位2022年的8张草稿，可修改、提交"),
)
FILLER_FILES = ("luohu-district-office-2022.txt",)


def examples_directory() -> Path:
    """The example forms: `examples/` of a source checkout, or the copy a wheel ships inside the package."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent.parent / "examples", package / "examples"):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    raise services.StoreError("找不到示例表（examples/ 目录）")


def create_demo(path: Path, progress: Callable[[str], None] = print) -> str:
    """Create the demo store at `path` (which must not exist yet); its URL."""
    url = f"sqlite:///{path.resolve()}"
    database = services.upgrade_store(url)
    try:
        uow = database.unit_of_work()
        system = services.get_actor(uow, SYSTEM_USER)
        for name, kind, parent, code in ORGANISATIONS:
            services.add_organisation(uow, system, name, kind, parent=parent, code=code)
        for login in LOGINS:
            services.add_user(
                uow,
                system,
                login.username,
                login.role,
                organisation=login.organisation,
                password=login.password,
                display_name=login.display_name,
            )
        examples = sorted(examples_directory().glob("*.txt"))
        filler = services.get_actor(uow, next(login.username for login in LOGINS if login.role is Role.FILLER))
        for file in examples:
            actor = filler if file.name in FILLER_FILES else system
            report = services.import_files([file], uow, user=actor)
            for item in report.files:
                outcome = item.error or f"{len(item.forms)} 张表"
                progress(f"导入 {file.name}：{outcome}")
    finally:
        database.dispose()
    return url
