"""A labelled classification corpus made by driving real client libraries through a socialguard proxy.

`scenarios.py` is the tuning part, `heldout.py` the held-out part (written before any rule was tuned on the
corpus and scored only at the end). `driver.py` runs them and writes a HAR file whose entries carry labels;
`benchmarks/classify_bench.py` scores it.
"""
