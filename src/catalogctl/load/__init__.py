"""Files in and out, trusted no further than they must be.

Owns: reading the catalog from the working tree or a git ref (`sources`,
`gitsides`, with git access through GitPython in `gitrepo`), the safe YAML
dialect (`yamlsafe`, `loader`, `textsafe`), the per-file checks and schemas
(`filecheck`, `schemas`, `fastpath`; `schemafiles` and `schemaref` name them
without compiling), the worker pool (`workers`), one copy of each repeated
value of the loaded documents (`interning`), the result cache of
per-file results (`cache` on disk, `cached` the stage through it),
diagnostics as values, "did you mean" for typed names (`suggest`), the exit
codes and `UsageError` (`errors`), and atomic, umask-respecting output
(`output`).

Imports: nothing from catalogctl outside this package.
"""
