"""Files in and out, trusted no further than they must be.

Owns: reading the catalog from the working tree or a git ref (`sources`,
`gitsides`, with git access through GitPython in `gitrepo`), the safe YAML
dialect (`yamlsafe`, `loader`, `textsafe`), the per-file checks and schemas
(`filecheck`, `schemas`, `fastpath`; `schemafiles` and `schemaref` name them
without compiling; `verdict` answers "valid?" without jsonschema, from the
schemas `inline` resolves, with JSON Schema's equality from `jsonvalues` and
the `formats`), the worker pool (`workers`), one copy of each repeated
value of the loaded documents (`interning`), the result cache of
per-file results (`cache` on disk, `cached` the stage through it,
`statrecord` the files a working tree need not read again),
diagnostics as values, "did you mean" for typed names (`suggest`), the exit
codes and `UsageError` (`errors`), and atomic, umask-respecting output
(`output`).

Imports: nothing from catalogctl outside this package.
"""
