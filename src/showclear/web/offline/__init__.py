"""The installable app for working without signal: the domain in the phone, the queue, the sync."""
