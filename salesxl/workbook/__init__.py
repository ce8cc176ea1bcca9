"""What salesxl lays out for people to work in: the office template, the customer card view and the
printed route sheets. Built on the reports (a card shows its grade from the Grades sheet)."""
