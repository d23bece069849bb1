"""Screens of communication, one module per screen group: news, events, feeds, directory."""
