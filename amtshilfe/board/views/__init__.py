"""Board views by screen: ``help_page`` (Hilfe finden), ``requests`` (list and detail),
``kanban`` (the boards)."""
