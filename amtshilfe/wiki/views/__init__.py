"""Knowledge-base screens, one module per screen group (CONVENTIONS #6)."""
