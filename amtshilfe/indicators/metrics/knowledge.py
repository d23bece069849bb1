"""Placeholder until written; registers nothing yet."""
