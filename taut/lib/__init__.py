"""Small topic modules shared by every app (no models, no views)."""
