"""Notifications: declaration timers, live updates, the notification centre and email."""
