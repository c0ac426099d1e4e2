"""Analyses: pure functions of the typed tables."""
