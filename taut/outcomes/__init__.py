"""Is it working? Pain, function and goals over time, and each session's response."""
