"""Measuring language understanding on phrasings written apart from the engine (tests/graph/data): routing and
multi-turn ordering. A fixed 30 % of each set is kept aside and never used for tuning: `split()` says which."""
