"""Live sessions: scheduling, sign-ups, calendars and the real-time room."""
