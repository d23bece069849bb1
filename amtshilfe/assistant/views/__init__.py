"""The assistant's screens: the chat, "Meine Gespräche", the hand-over to a request."""
