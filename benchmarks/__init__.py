"""Benchmarks of the SDK against ``json.loads``, msgspec and the incumbent client.

Run them with ``scripts/bench``; see ``benchmarks/run.py`` for the options.
"""
