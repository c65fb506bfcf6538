"""A small application written against the SDK's public API, type-checked.

mypy and pyright check it in strict mode, and ``typing.assert_type`` pins
what each call returns, so a change to a public signature fails the type
checks. ``tests/test_typed_app.py`` runs it against the emulator.
"""
