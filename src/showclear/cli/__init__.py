"""showclear.cli."""
