"""The server-rendered pages: board, item pages, day plan, incidents, trace and labels."""
