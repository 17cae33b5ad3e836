"""The body map, the referred-pain finder and the muscle reference pages (no patient data)."""
