"""showclear.web."""
