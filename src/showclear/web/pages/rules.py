"""One-line statements of the protocol's rules, shown beside a refusal or an incident."""

from showclear.app.protocol import rule_text

__all__ = ["rule_text"]
