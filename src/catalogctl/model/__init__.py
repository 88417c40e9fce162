"""The catalog as typed data, and the rules every layer reads.

Owns: kinds of entity and the `Catalog` index (`entities`), the dependency
graph and impact (`graph`, `impact`), the policy (`policy`, with the
scorecard rubric in `rubric`, `rubric_reader`), the change workflow and risk
(`workflow`), durations (`durations`), scorecard levels (`scorecard`), and
the reference index of a whole tree kept in the result cache (`refindex`,
`refstore`), from which `diff` answers impact without loading the catalog.

Imports: load.
"""
