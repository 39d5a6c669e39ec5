"""Documents built from the ledger: the daily log, registers, policy against practice, call sheet."""
