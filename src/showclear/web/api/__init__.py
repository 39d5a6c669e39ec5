"""The JSON API: one POST endpoint per protocol command, and the reads."""
