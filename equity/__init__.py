"""Ward-level equity dashboard for the West Midlands Combined Authority."""
