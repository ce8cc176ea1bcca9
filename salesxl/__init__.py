"""salesxl: a sales office's Excel workbook as its system of record.

The package is built in layers; a module imports only its own layer and the
layers below (`tests/test_layers.py` walks every import and holds this):

The engine — pure, no Excel, no files beyond reading and splicing packages:
  1. ground: `core` (Book, Issue, SheetSpec), `schema` (the one declaration of
     every table, setting and generated sheet, and the tool-sheet marker);
  2. `io`: the reader (file or any grid of cells), coercion and its inverse
     (`io.display`), the splice writer;
  3. `passes` and `registry`: the business rules, pure functions of a Book;
  4. `pipeline`: runs the passes and builders, stamps every tool-owned sheet.
Above it:
  5. `demo`: a generated office;
  6. `reports`: one builder per output sheet (pass results -> SheetSpecs);
  7. `workbook`: the template, the customer card view, printed route sheets;
  8. `forms`: customer forms written and imported;
  9. `files`: the file adapter (read, run, write a workbook on disk);
  10. `sharing`: copies for salespeople, merge and consolidation;
  11. `excel` and `excel_adapter`: the live adapter (xlwings), the ribbon's entry points;
  12. `addin`: the Excel add-in built from `addin/macros`;
  13. the command line: `cli`, each feature's `*/cli.py`, `docs` (the schema reference).
"""

__version__ = "0.1.0"
