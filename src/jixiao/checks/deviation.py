"""Checks of checks.md — pending (helper task)."""
