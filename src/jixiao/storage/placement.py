"""Where an imported form goes in the store: its unit, its project and its year.

- **Unit.** A 填报人's own unit. Else the organisation the importer named (`--unit`). Else
  the organisation whose name or code is the form's 实施单位, 一级预算单位 or 主管部门, in
  that order (luohu 2021 prints the bureau as both; shenzhen 2021 prints only the code
  0102017). Else a new 预算单位 named after the first of those, under the 主管部门 when the
  store has it, else under the reviewer's own organisation, else under the 未分配
  department, where an admin finds it. A reviewer can only place forms inside their tree.
- **Project.** By 项目编码 where printed. Else by unit and 项目名称; the n-th form of the
  same name and unit in one file is `名称#n` (luohu 2021 has two forms called 预算项目,
  of 30,000 and 15,000 元).
- **Year.** 绩效自评年度 as printed (2022 layout), else the year the importer gave, else the
  year the form's texts name (`scoring.fiscal_year`), else the year most forms of the file
  name: half the luohu 2021 forms name no year, the file is one unit's 2021 submission.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jixiao.domain.model import Form
from jixiao.domain.scoring import fiscal_year
from jixiao.domain.workflow import Actor, Forbidden, Invalid, OrganisationKind, Role
from jixiao.storage.views import OrganisationView

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork


class FormPlacer:
    """Places the forms of one file; remembers names and forms already placed from it."""

    def __init__(self, uow: UnitOfWork, actor: Actor, forms: Sequence[Form], *, unit: OrganisationView | None, year: int | None):
        self.uow, self.actor, self.unit, self.year = uow, actor, unit, year
        years = Counter(found for found in map(fiscal_year, forms) if found is not None)
        # The most named year; a tie goes to the earlier (as scoring.fiscal_year does).
        self.file_year = min(years, key=lambda candidate: (-years[candidate], candidate)) if years else None
        self.names: Counter[tuple[int, str]] = Counter()
        self.units: dict[tuple[str | None, ...], OrganisationView] = {}  # by the unit names a form prints
        self.placed: set[int] = set()  # stored forms this file already wrote or matched

    def unit_of(self, form: Form, place: str) -> OrganisationView:
        project = form.project
        filler = self.actor.role is Role.FILLER
        names = () if filler or self.unit else (project.implementing_unit, project.budget_unit, project.department)
        unit = self.units.get(names)
        if unit is None:
            if filler:
                unit = self.uow.organisations.get(self.actor.organisation_id or 0)
            else:
                unit = self.unit or self._matched(form, place)
            if unit is None or not self.actor.sees(unit.id, unit.path):
                raise Forbidden(f"{place}：单位“{unit.name if unit else '（无）'}”不在您的管辖范围内")
            self.units[names] = unit
        return unit

    def project_key(self, form: Form, unit: OrganisationView, place: str) -> str:
        if form.project.code:
            return f"code:{form.project.code}"
        if not form.project.name:
            raise Invalid(f"{place}：没有项目名称，也没有项目编码")
        self.names[unit.id, form.project.name] += 1
        seen = self.names[unit.id, form.project.name]
        return f"unit:{unit.id}:{form.project.name}" + (f"#{seen}" if seen > 1 else "")

    def year_of(self, form: Form, place: str) -> int:
        found = form.project.year or self.year or fiscal_year(form) or self.file_year
        if found is None:
            raise Invalid(f"{place}：无法确定绩效自评年度（表中未填写，文字中也没有年份），请用 --year 指定")
        return found

    def _matched(self, form: Form, place: str) -> OrganisationView:
        project = form.project
        names = [name for name in (project.implementing_unit, project.budget_unit, project.department) if name]
        for name in names:
            found = self.uow.organisations.find(name)
            if found is not None:
                return found
        if not names:
            raise Invalid(f"{place}：表中没有实施单位、一级预算单位或主管部门，请用 --unit 指定单位")
        department = self.uow.organisations.find(project.department) if project.department else None
        if department is None or not self.actor.sees(department.id, department.path):
            department = self._own_organisation() or self.uow.organisations.unassigned()
        created = self.uow.organisations.add(names[0], OrganisationKind.UNIT, department)
        self.uow.audit.append(
            self.actor.id,
            "organisation.add",
            target=f"organisation:{created.id}",
            name=created.name,
            parent=department.name,
            reason=f"{place}：导入时按表中单位名称创建",
        )
        return created

    def _own_organisation(self) -> OrganisationView | None:
        if self.actor.role is Role.REVIEWER and self.actor.organisation_id is not None:
            return self.uow.organisations.get(self.actor.organisation_id)
        return None
