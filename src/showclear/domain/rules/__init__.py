"""The protocol's rules, one module per rule family."""
