"""The answering engine: retrieval, extractive answer, optional language model.

``answer_question`` is the one entry point the services call; it never writes to the database.
"""

from __future__ import annotations

from amtshilfe.assistant.engine.core import EngineAnswer, EngineCitation, answer_question

__all__ = ["EngineAnswer", "EngineCitation", "answer_question"]
