"""Customer self-filled forms: write one for a customer, read returned ones back into the cards.

The form writer and importer touch files, so they load on first use; the
pure parts (which fields a form carries, the recorded conflicts) are the
engine's, in `salesxl.passes.forms`.
"""

from typing import Any

_EXPORTS = {"write_customer_form": "writer", "import_forms": "importer", "ImportResult": "importer",
            "FormOutcome": "importer", "FieldChange": "importer"}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"salesxl.forms.{_EXPORTS[name]}"), name)
