"""showclear.projections."""
