"""Models of communication."""
