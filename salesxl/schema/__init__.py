"""The one declaration of every table, setting and generated sheet."""

from salesxl.schema.outputs import OUTPUTS, OUTPUTS_BY_KEY, OutputSheet
from salesxl.schema.settings import SETTINGS_BY_KEY, SETTINGS_DECLARED, Setting, Settings
from salesxl.schema.tables import CARD_BLOCKS, TABLES, TABLES_BY_KEY, table
from salesxl.schema.types import Choice, ColType, Column, RequiredWhen, Table, normalise_name

__all__ = [
    "CARD_BLOCKS", "Choice", "ColType", "Column", "OUTPUTS", "OUTPUTS_BY_KEY", "OutputSheet",
    "RequiredWhen", "SETTINGS_BY_KEY", "SETTINGS_DECLARED", "Setting", "Settings", "TABLES",
    "TABLES_BY_KEY", "Table", "normalise_name", "table",
]
