"""The salesxl ribbon add-in: built from macros/ (build), put in place for Excel (install), CLI (cli)."""
