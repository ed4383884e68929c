"""Decision tables (决策表): the lookup tables policy staff keep, with DMN 1.3 hit policies.

A table maps input values to outputs row by row — a committed-limit ceiling by item type, a
score by band. Tables are written in a rule file's ``tables:`` list or as a CSV file in the
rulebook's ``tables/`` folder; ``docs/decision-tables.md`` explains both to policy staff.

    table, problems = table_from_spec_data(data, source, keys)   # one entry of tables:
    table, problems = table_from_csv(path, shown)                # a whole CSV file
    table.evaluate({"item_type": "commitment", "statutory_days": 20}).value
    check_table(table)                                           # overlaps, gaps, dead rows
"""

from .build import table_from_spec_data
from .checks import check_table
from .csvfile import table_from_csv
from .model import TableSpec
from .table import DecisionTable, TableError, TableResult
from .yamlfile import tables_from_file_data

__all__ = [
    "DecisionTable",
    "TableError",
    "TableResult",
    "TableSpec",
    "check_table",
    "table_from_csv",
    "table_from_spec_data",
    "tables_from_file_data",
]
