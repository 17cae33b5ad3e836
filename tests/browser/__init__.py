"""Tests that drive real Chromium through Playwright (run with -m browser)."""
