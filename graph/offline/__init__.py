"""The offline language engine: a deterministic chat model that understands coffee-shop language.

Its words for items, sizes, milks, extras and shops come from the live menu; the rest of its grammar is data
(`lexicon.toml`). It sits behind LangChain's chat-model interface, so the graph cannot tell it from an LLM.
"""
