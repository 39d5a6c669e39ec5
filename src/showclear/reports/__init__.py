"""Documents built from the ledger: the incident bundle and the reports."""
