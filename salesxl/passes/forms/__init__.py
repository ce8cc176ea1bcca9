"""The engine's side of customer forms: which card fields a form carries and the conflicts kept
between runs. Writing and importing the form files is `salesxl.forms`, a layer above."""
