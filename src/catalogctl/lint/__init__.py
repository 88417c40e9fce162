"""Every check on every file: the engine and the rule registry.

Owns: `engine.lint` (per-file checks in workers, then cross-file rules on the
model; `engine.summary` answers an unchanged catalog with its last run's
findings, kept by `memo`), the rules in `rules/` (each with a stable id,
default severity and its docstring as documentation) and the lint `Report` /
`Reporter` interface.

Imports: load, model.
"""
