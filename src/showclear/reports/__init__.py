"""Documents built from the ledger: the incident bundle, the daily log, registers, policy against
practice and the call sheet."""
