"""Accounts: people signing in as themselves, memberships of productions, API tokens, invites."""
