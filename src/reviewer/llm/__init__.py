"""LLM critique on any OpenAI-compatible endpoint: grounded, private, cached and budgeted.

Importing this package is cheap: the `openai` package is imported only when a client is built.
"""

from reviewer.llm.client import (
    Completion,
    DryRunClient,
    LLMClient,
    LLMError,
    OpenAIClient,
)
from reviewer.llm.critique import OFF_NOTE, LLMRun, StageResult, run_stage

__all__ = [
    "OFF_NOTE",
    "Completion",
    "DryRunClient",
    "LLMClient",
    "LLMError",
    "LLMRun",
    "OpenAIClient",
    "StageResult",
    "run_stage",
]
