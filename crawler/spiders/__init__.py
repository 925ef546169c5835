"""Spiders of the nianbao crawler: thin classes over the shared discovery logic."""
