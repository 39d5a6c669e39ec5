"""Folds of events into the state that evolve dispatches to, by family."""
