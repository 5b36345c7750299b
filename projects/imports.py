"""Import of the project workbook: validate everything, preview the changes, then apply in one transaction.

Rows create or update; nothing is deleted by an import (rows missing from the
file stay as they are). Any problem anywhere means nothing is changed, and
every problem is listed with its sheet, row and column.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import OrgUnit
from projects.models import (
    Activity,
    ActivityUnit,
    BudgetAllocation,
    BudgetCategory,
    Indicator,
    MonthlyPlan,
    Project,
    Step,
)
from projects.spreadsheet import category_choices, funding_choices, plan_lines, sheet_layouts, status_choices
from tracking.spreadsheets import MAX_MONEY, MAX_QUANTITY, NO, YES, CellReader, Problem
from tracking.thaicalendar import fiscal_months, format_baht, format_date, format_quantity
from tracking.workbooks import UNREADABLE, UnreadableWorkbook, open_workbook

MAX_ROWS = 20000
MONEY_FIELDS = {"amount"}  # shown with satang; quantities, weights and targets without .00


@dataclass
class Change:
    sheet: str
    row: int
    what: str
    changes: list  # [(field label, old, new)]; empty for a new row
    is_new: bool
    project: tuple = ()  # (fiscal year, code) the row belongs to


@dataclass
class ImportResult:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def new_count(self):
        return sum(1 for c in self.changes if c.is_new)

    @property
    def changed_count(self):
        return sum(1 for c in self.changes if not c.is_new)


class ProjectImport:
    def __init__(self, user, fileobj):
        self.user = user
        self.fileobj = fileobj
        self.result = ImportResult()
        self.rows = {}
        # Projects the user may read but not change: their rows may only repeat what is stored.
        self.locked = set()

    # --- reading -----------------------------------------------------------------

    def read(self) -> ImportResult:
        layouts = sheet_layouts()
        titles = {layout[0]: name for name, layout in layouts.items()}
        try:
            with open_workbook(self.fileobj) as sheets:
                for sheet in sheets:
                    name = titles.get(sheet.title)
                    if name is not None:
                        self.rows[name] = self._sheet_rows(sheet, layouts[name][1])
        except UnreadableWorkbook:
            self.result.problems.append(Problem("", 0, "", str(UNREADABLE)))
            return self.result
        if "projects" not in self.rows:
            self.result.problems.append(
                Problem(layouts["projects"][0], 0, "", _("The sheet is missing; download the template."))
            )
            return self.result
        self._parse()
        if not self.result.problems:
            self._diff()
            for change in self.result.changes:
                if change.project in self.locked:
                    self.result.problems.append(
                        Problem(change.sheet, change.row, "", _("You may not change this project."))
                    )
            if self.result.problems:
                self.result.changes = []
        return self.result

    def _sheet_rows(self, sheet, headers):
        iterator = sheet.rows
        header_row = next(iterator, None) or ()
        columns = [str(h).strip() if h is not None else "" for h in header_row]
        title = sheet.title
        missing = [h for h in headers[:2] if h not in columns]
        if missing:
            self.result.problems.append(
                Problem(title, 1, ", ".join(missing), _("The header row does not match the template."))
            )
            return []
        rows = []
        for number, values in enumerate(iterator, start=2):
            if number > MAX_ROWS:
                self.result.problems.append(Problem(title, number, "", _("Too many rows.")))
                break
            if values is None or all(v in (None, "") for v in values):
                continue
            rows.append((number, dict(zip(columns, values, strict=False))))
        return rows

    # --- parsing -------------------------------------------------------------------

    def _parse(self):
        """Every sheet read into self.projects, self.activities, … keyed as the database is, each
        problem recorded; the sheets in the order their keys build on one another."""
        layouts = sheet_layouts()
        self.headers = {name: layout[1] for name, layout in layouts.items()}
        self.titles = {name: layout[0] for name, layout in layouts.items()}
        units = {u.code: u for u in OrgUnit.objects.filter(agency="alro")}
        self.unit_names = {code: unit.name_th for code, unit in units.items()}
        self.projects, self.activities, self.units, self.steps = {}, {}, {}, {}
        self.plans, self.budgets, self.indicators = {}, {}, {}
        self._parse_projects(units)
        self._parse_activities()
        self._parse_units(units)
        self._parse_steps()
        self._parse_plans()
        self._parse_budgets()
        self._parse_indicators()
        self._check_step_sums(self.titles["steps"], self.headers["steps"][5])

    def _readers(self, name):
        """(row number, CellReader) of each row of the sheet ``name``."""
        for number, values in self.rows.get(name, []):
            yield number, CellReader(self.titles[name], number, values, self.result.problems)

    # Each row names its project, activity and unit by key; a key must be in its own sheet of the
    # file (or, for activities and units, already in the database).

    def _project_key(self, r, name):
        h = self.headers[name]
        key = (r.whole(h[0], 2500, 2700), r.text(h[1], max_length=40))
        if None not in key and key not in self.projects:
            r.fail(h[1], _("This project is not in the Projects sheet."))
        return key

    def _activity_key(self, r, name):
        column = self.headers[name][2]
        key = (*self._project_key(r, name), r.whole(column, 1, 999))
        if None not in key and key not in self.activities and not self._activity_in_db(key):
            r.fail(column, _("This activity is not in the Activities sheet."))
        return key

    def _unit_key(self, r, name, column):
        key = (*self._activity_key(r, name), r.text(column, max_length=20))
        if None not in key and key not in self.units and not self._unit_in_db(key):
            r.fail(column, _("This unit is not in the Units sheet for the activity."))
        return key

    def _parse_projects(self, units):
        ph = self.headers["projects"]
        allowed = set(access.manageable_funding_sources(self.user))
        for number, r in self._readers("projects"):
            key = (r.whole(ph[0], 2500, 2700), r.text(ph[1], max_length=40))
            data = {
                "name": r.text(ph[2]),
                "funding_source": r.choice(ph[3], funding_choices()),
                "owner_unit": self._unit(r, ph[4], units),
                "strategy": r.text(ph[5], required=False),
                "objective": r.text(ph[6], required=False, max_length=4000),
                "start_date": r.date(ph[7]),
                "end_date": r.date(ph[8]),
                "status": r.choice(ph[9], status_choices(), required=False) or Project.Status.DRAFT,
            }
            if None in key:
                continue
            if key in self.projects:
                r.fail(ph[1], _("The same project appears twice."))
            existing = Project.objects.filter(fiscal_year=key[0], code=key[1]).first()
            if existing and not access.can(self.user, access.CHANGE, existing):
                self.locked.add(key)
            elif data["funding_source"] and data["funding_source"] not in allowed:
                r.fail(ph[3], _("You may not manage projects of this money source."))
            if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
                r.fail(ph[8], _("The end is before the start."))
            self.projects[key] = (number, data)

    def _parse_activities(self):
        ha = self.headers["activities"]
        for number, r in self._readers("activities"):
            key = (*self._project_key(r, "activities"), r.whole(ha[2], 1, 999))
            data = {"name": r.text(ha[3]), "description": r.text(ha[4], False, 4000)}
            self._put(self.activities, key, number, data, r, ha[2])

    def _parse_units(self, units):
        hu = self.headers["units"]
        for number, r in self._readers("units"):
            key = (*self._activity_key(r, "units"), r.text(hu[3], max_length=20))
            unit = self._unit(r, hu[3], units)
            data = {"unit": unit, "is_executing": r.flag(hu[5]), "is_budget_receiving": r.flag(hu[6]),
                    "output_unit": r.text(hu[7], required=False, max_length=50)}  # fmt: skip
            if not (data["is_executing"] or data["is_budget_receiving"]):
                r.fail(hu[5], _("A unit must carry out the activity or receive budget (or both)."))
            self._put(self.units, key, number, data, r, hu[3])

    def _parse_steps(self):
        hs = self.headers["steps"]
        for number, r in self._readers("steps"):
            key = (*self._activity_key(r, "steps"), r.whole(hs[3], 1, 99))
            data = {
                "name": r.text(hs[4], max_length=300),
                "weight": r.number(hs[5], minimum=Decimal("0.01"), maximum=Decimal(100)),
            }
            self._put(self.steps, key, number, data, r, hs[3])

    def _parse_plans(self):
        """One row a unit and line (output or spending), its twelve months one entry each."""
        hp = self.headers["plans"]
        lines = plan_lines()
        for number, r in self._readers("plans"):
            base = self._unit_key(r, "plans", hp[3])
            line = r.choice(hp[4], lines)
            maximum = MAX_QUANTITY if line == "quantity" else MAX_MONEY
            for month, column in enumerate(hp[5:17], start=1):
                amount = r.number(column, required=False, maximum=maximum) or Decimal(0)
                if line:
                    self._put(self.plans, (*base, month, line), number, {"value": amount}, r, column)

    def _parse_budgets(self):
        hb = self.headers["budgets"]
        for number, r in self._readers("budgets"):
            key = (*self._unit_key(r, "budgets", hb[3]), r.choice(hb[4], category_choices()), r.flag(hb[5]))
            self._put(self.budgets, key, number, {"amount": r.number(hb[6])}, r, hb[4])

    def _parse_indicators(self):
        hi = self.headers["indicators"]
        for number, r in self._readers("indicators"):
            key = (*self._activity_key(r, "indicators"), r.text(hi[3]))
            data = {
                "unit_of_measure": r.text(hi[4], max_length=50),
                "target": r.number(hi[5], maximum=MAX_QUANTITY),
            }
            self._put(self.indicators, key, number, data, r, hi[3])

    def _put(self, target, key, number, data, reader, column):
        if None in key:
            return
        if key in target:
            reader.fail(column, _("This row repeats an earlier row."))
            return
        target[key] = (number, data)

    def _unit(self, reader, column, units):
        code = reader.text(column, max_length=20)
        if code and code not in units:
            reader.fail(column, _("Unknown unit code: %(code)s") % {"code": code})
            return None
        return units.get(code)

    def _activity_in_db(self, key):
        return Activity.objects.filter(
            project__fiscal_year=key[0], project__code=key[1], order=key[2]
        ).exists()

    def _unit_in_db(self, key):
        return ActivityUnit.objects.filter(
            activity__project__fiscal_year=key[0], activity__project__code=key[1], activity__order=key[2],
            unit__code=key[3],
        ).exists()  # fmt: skip

    def _check_step_sums(self, sheet, column):
        totals = {}
        for key, (number, data) in self.steps.items():
            if data["weight"] is not None:
                totals.setdefault(key[:3], []).append((number, data["weight"]))
        for activity_key, weights in totals.items():
            kept = Step.objects.filter(
                activity__project__fiscal_year=activity_key[0], activity__project__code=activity_key[1],
                activity__order=activity_key[2],
            ).exclude(order__in=[k[3] for k in self.steps if k[:3] == activity_key])  # fmt: skip
            total = sum(w for _, w in weights) + sum(s.weight for s in kept)
            if total != 100:
                self.result.problems.append(
                    Problem(sheet, weights[0][0], column,
                            _("The steps of this activity weigh %(total)s in all; they must add up to 100.")
                            % {"total": total})
                )  # fmt: skip

    # --- comparing with the database ------------------------------------------------

    def _diff(self):
        layouts = sheet_layouts()
        t = {name: layout[0] for name, layout in layouts.items()}
        labels = {
            "name": _("Project name"), "funding_source": _("Money source"), "owner_unit": _("Responsible unit code"),
            "strategy": _("Plan or strategy served"), "objective": _("Objective"), "start_date": _("Start"),
            "end_date": _("End"), "status": _("Status"), "description": _("Description"),
            "is_executing": _("Carries it out"), "is_budget_receiving": _("Receives budget"),
            "output_unit": _("Output counting unit"), "weight": _("Weight (%)"), "amount": _("Amount (baht)"),
            "unit_of_measure": _("Unit of measure"), "target": _("Target"), "value": _("Amount"),
        }  # fmt: skip
        existing = {
            (p.fiscal_year, p.code): p for p in Project.objects.filter(code__in=[k[1] for k in self.projects])
        }
        for key, (number, data) in self.projects.items():
            self._compare(
                t["projects"],
                number,
                f"{key[1]} {data['name']}",
                existing.get(key),
                data,
                labels,
                project=key[:2],
            )
        for key, (number, data) in self.activities.items():
            row = Activity.objects.filter(
                project__fiscal_year=key[0], project__code=key[1], order=key[2]
            ).first()
            self._compare(
                t["activities"],
                number,
                f"{key[1]} / {key[2]}. {data['name']}",
                row,
                data,
                labels,
                project=key[:2],
            )
        for key, (number, data) in self.units.items():
            row = ActivityUnit.objects.filter(**self._unit_filter(key)).first()
            self._compare(
                t["units"], number, f"{key[1]} / {key[2]} / {self._unit_name(key[3])}", row, data, labels,
                skip={"unit"}, project=key[:2],
            )  # fmt: skip
        for key, (number, data) in self.steps.items():
            row = Step.objects.filter(**self._activity_filter(key), order=key[3]).first()
            self._compare(
                t["steps"], number, f"{key[1]} / {key[2]} / {key[3]}. {data['name']}", row, data, labels,
                project=key[:2],
            )  # fmt: skip
        self._diff_plans(t["plans"], labels)
        for key, (number, data) in self.budgets.items():
            row = BudgetAllocation.objects.filter(
                **{f"activity_unit__{k}": v for k, v in self._unit_filter(key[:4]).items()},
                category=key[4], carried_over=key[5],
            ).first()  # fmt: skip
            what = f"{key[1]} / {key[2]} / {self._unit_name(key[3])} / {BudgetCategory.line_label(key[4], key[5])}"
            self._compare(t["budgets"], number, what, row, data, labels, project=key[:2])
        for key, (number, data) in self.indicators.items():
            row = Indicator.objects.filter(**self._activity_filter(key), name=key[3]).first()
            self._compare(
                t["indicators"], number, f"{key[1]} / {key[2]} / {key[3]}", row, data, labels, project=key[:2]
            )

    def _diff_plans(self, sheet, labels):
        """The monthly plan compared cell by cell: a month left 0 where nothing is stored is no change."""
        plan_rows = {}
        for plan in MonthlyPlan.objects.filter(
            activity_unit__activity__project__code__in=[k[1] for k in self.projects]
        ).select_related("activity_unit__activity__project", "activity_unit__unit"):
            au = plan.activity_unit
            base = (
                au.activity.project.fiscal_year,
                au.activity.project.code,
                au.activity.order,
                au.unit.code,
            )
            plan_rows[(*base, plan.month, "quantity")] = plan.quantity
            plan_rows[(*base, plan.month, "spending")] = plan.spending
        for key, (number, data) in self.plans.items():
            old = plan_rows.get(key)
            if old is None and data["value"] == 0:
                continue
            if old is None:
                self.result.changes.append(Change(sheet, number, self._plan_label(key), [], True, key[:2]))
            elif old != data["value"]:
                shown = "amount" if key[5] == "spending" else "value"
                self.result.changes.append(
                    Change(
                        sheet,
                        number,
                        self._plan_label(key),
                        [(labels["value"], self._shown(shown, old), self._shown(shown, data["value"]))],
                        False,
                        key[:2],
                    )
                )

    def _plan_label(self, key):
        line = plan_lines()[key[5]]
        month = fiscal_months(key[0])[key[4] - 1].label
        return f"{key[1]} / {key[2]} / {self._unit_name(key[3])} / {line} {month}"

    def _unit_name(self, code):
        """A unit as users know it, by its Thai name; the code where the unit is unknown."""
        return self.unit_names.get(code, code)

    def _shown(self, name, value):
        """A value of the preview as pages show it: names, choice labels, B.E. dates, separators."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return YES if value else NO
        if name == "owner_unit":
            return self._unit_name(getattr(value, "code", value))
        if name == "funding_source":
            return funding_choices().get(value, value)
        if name == "status":
            return status_choices().get(value, value)
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, Decimal | int):
            return format_baht(value) if name in MONEY_FIELDS else format_quantity(value)
        return value

    @staticmethod
    def _activity_filter(key):
        return {
            "activity__project__fiscal_year": key[0],
            "activity__project__code": key[1],
            "activity__order": key[2],
        }

    @staticmethod
    def _unit_filter(key):
        return {**ProjectImport._activity_filter(key), "unit__code": key[3]}

    def _compare(self, sheet, number, what, row, data, labels, skip=(), project=()):
        if row is None:
            self.result.changes.append(Change(sheet, number, what, [], True, project))
            return
        differences = []
        for name, new in data.items():
            if name in skip:
                continue
            old = getattr(row, name)
            if hasattr(old, "pk") or hasattr(new, "pk"):
                old, new = getattr(old, "code", old), getattr(new, "code", new)
            if (old or "") != (new or "") and old != new:
                differences.append((labels.get(name, name), self._shown(name, old), self._shown(name, new)))
        if differences:
            self.result.changes.append(Change(sheet, number, what, differences, False, project))

    # --- applying ---------------------------------------------------------------------

    def apply(self) -> ImportResult:
        """Write everything in one transaction; any refusal rolls all of it back."""
        if self.result.problems:
            raise ValueError("cannot apply an import with problems")
        with transaction.atomic():
            projects = {}
            for key, (_number, data) in self.projects.items():
                if key in self.locked:
                    continue
                project, _created = Project.objects.update_or_create(
                    fiscal_year=key[0], code=key[1], defaults=data
                )
                if not access.can(self.user, access.CHANGE, project):
                    raise PermissionError(key)
                projects[key] = project
            activities = {}
            for key, (_number, data) in self.activities.items():
                if key[:2] in self.locked:
                    continue
                activities[key], _c = Activity.objects.update_or_create(
                    project=projects[key[:2]], order=key[2], defaults=data
                )
            units = {}
            for key, (_number, data) in self.units.items():
                if key[:2] in self.locked:
                    continue
                activity = activities.get(key[:3]) or Activity.objects.get(
                    project=projects[key[:2]], order=key[2]
                )
                units[key], _c = ActivityUnit.objects.update_or_create(
                    activity=activity,
                    unit=data["unit"],
                    defaults={k: v for k, v in data.items() if k != "unit"},
                )
            for key, (_number, data) in self.steps.items():
                if key[:2] in self.locked:
                    continue
                activity = activities.get(key[:3]) or Activity.objects.get(
                    project=projects[key[:2]], order=key[2]
                )
                Step.objects.update_or_create(activity=activity, order=key[3], defaults=data)

            def unit_row(key):
                return units.get(key[:4]) or ActivityUnit.objects.get(**self._unit_filter(key[:4]))

            plans = {}
            for key, (_number, data) in self.plans.items():
                if key[:2] in self.locked:
                    continue
                plans.setdefault((key[:4], key[4]), {})[key[5]] = data["value"]
            for (unit_key, month), values in plans.items():
                MonthlyPlan.objects.update_or_create(
                    activity_unit=unit_row(unit_key), month=month, defaults=values
                )
            for key, (_number, data) in self.budgets.items():
                if key[:2] in self.locked:
                    continue
                BudgetAllocation.objects.update_or_create(
                    activity_unit=unit_row(key), category=key[4], carried_over=key[5], defaults=data
                )
            for key, (_number, data) in self.indicators.items():
                if key[:2] in self.locked:
                    continue
                activity = activities.get(key[:3]) or Activity.objects.get(
                    project=projects[key[:2]], order=key[2]
                )
                Indicator.objects.update_or_create(activity=activity, name=key[3], defaults=data)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            except IntegrityError as error:
                raise ValueError(str(error)) from error
        return self.result
