"""The catalog as typed data, and the rules every layer reads.

Owns: kinds of entity and the `Catalog` index (`entities`), the dependency
graph and impact (`graph`, `impact`), the policy (`policy`, with the
scorecard rubric in `rubric`, `rubric_reader`), the change workflow and risk
(`workflow`), durations (`durations`) and scorecard levels (`scorecard`).

Imports: load.
"""
