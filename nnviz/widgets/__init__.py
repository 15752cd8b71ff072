"""Widgets that two or more tabs share."""
