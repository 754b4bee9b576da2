"""The LangGraph supervisor, state, checkpointer and model providers. Arrives with the conversation issue."""
