"""showclear: custody, safety practice and a tamper-evident record for prop firearms on set."""

__version__ = "0.1.0"
