"""The model path: provider rows, the response cache, the client, and section-scoped extraction."""
