"""``fyrules verify``: Hypothesis searches for event streams a rulebook's monitor accepts that
break one of its invariants, shrinks them to a minimal counterexample, and keeps it as a
rulebook test. See docs/verify.md.

``fyrules.verify.search.search(rulebook, max_examples=…, seed=…)`` is the entry point; it needs
Hypothesis (the ``verify`` extra).
"""
