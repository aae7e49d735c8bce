"""Support bot demo package."""
