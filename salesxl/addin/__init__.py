"""The salesxl ribbon add-in: built from its macros/ folder (build), put in place for Excel (install), CLI (cli)."""
