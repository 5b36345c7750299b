"""Report tables defined once: the page shows them and the .xlsx export writes the same numbers.

A ``Table`` is a title, columns and rows. Each ``Column`` says how to read
its value from a row and what kind of number it is; the page formats the
value for Thai readers (``1,234.50``, ``85.25``, ``–``) and the workbook keeps
it as a number of that kind (``tracking.xlsx``: 85.25 % is the fraction 0.8525
shown as a percentage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from tracking import thaicalendar, xlsx
from tracking.xlsx import COUNT, MONEY, MONTH, NUMBER, PERCENT, QUANTITY, TEXT

__all__ = ["COUNT", "MONEY", "MONTH", "NUMBER", "PERCENT", "QUANTITY", "TEXT", "Column", "Table", "workbook"]


@dataclass
class Column:
    header: str
    value: Callable
    kind: str = TEXT
    link: Callable | None = None
    width: int = 16

    @property
    def css(self) -> str:
        """num: right-aligned figures; wide: names that need room; nowrap: short labels and codes;
        other texts (a kind of unit, a money source) wrap, so the figures fit a laptop's width."""
        if self.kind not in (TEXT, MONTH):
            return "num"
        if self.width >= 30:
            return "wide"
        return "nowrap" if self.width <= 16 else ""

    def text(self, value) -> str:
        if value is None:
            return "–" if self.kind == PERCENT else ""
        if self.kind == MONEY:
            return thaicalendar.format_baht(value)
        if self.kind in (PERCENT, NUMBER):
            return thaicalendar.format_number(value, 2)
        if self.kind == COUNT:
            return thaicalendar.format_number(value, 0)
        if self.kind == QUANTITY:
            return thaicalendar.format_quantity(value)
        if self.kind == MONTH:  # the month's first day; a real date in the workbook, so it sorts
            return thaicalendar.fiscal_month_of(value).label
        return str(value)


@dataclass
class Cell:
    text: str
    css: str
    link: str = ""


@dataclass
class Line:
    cells: list[Cell]
    css: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list
    footer: object = None
    row_css: Callable | None = None
    legend: tuple = ()  # (css, label) of each colour row_css gives, shown under the table
    note: str = ""
    empty: str = ""
    sheet: str = ""
    extra: dict = field(default_factory=dict)

    def _line(self, row, links=True) -> Line:
        cells = []
        for column in self.columns:
            value = column.value(row)
            link = column.link(row) if (links and column.link) else ""
            cells.append(Cell(text=column.text(value), css=column.css, link=link or ""))
        return Line(cells=cells, css=self.row_css(row) if self.row_css else "")

    @property
    def body(self) -> list[Line]:
        return [self._line(row) for row in self.rows]

    @property
    def foot(self) -> Line | None:
        return self._line(self.footer, links=False) if self.footer is not None else None

    def sheet_rows(self):
        """The values of the rows and then the footer, as the page computes them (percent as 85.25)."""
        for row in [*self.rows, *([self.footer] if self.footer is not None else [])]:
            yield [_plain(column.value(row)) for column in self.columns]

    def as_sheet(self) -> xlsx.Sheet:
        """The table as a sheet: the same values, as numbers, with the footer (totals) below the filter."""
        return xlsx.Sheet(
            title=self.sheet or self.title,
            columns=[xlsx.Column(column.header, column.kind, column.width) for column in self.columns],
            rows=([_plain(column.value(row)) for column in self.columns] for row in self.rows),
            footer=[_plain(column.value(self.footer)) for column in self.columns]
            if self.footer is not None
            else None,
        )


def _plain(value):
    """Numbers stay numbers; translated labels become text."""
    return str(value) if isinstance(value, Promise) else value


def workbook(names: dict, tables: list[Table]):
    """One sheet per table; ``names`` from ``xlsx.download_names``."""
    return xlsx.workbook_response(**names, sheets=[table.as_sheet() for table in tables])
