"""Versioned reference data read by ``taut.clinical`` (a package so wheels ship the files)."""
