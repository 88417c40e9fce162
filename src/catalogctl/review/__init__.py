"""What a pull request changes, and whether it may merge (the CAB's view).

Owns: the semantic diff and its report (`diff`, `report`), reviewer signals
(`signals`), the gate (`ledger`, `gate`, `gate_changes`, `reviews`),
CODEOWNERS (`codeowners`), the graph drawings (`graphviz`) and the
commands `diff`, `gate`, `impact`, `graph`, `codeowners`.

Imports: load, model, lint, workspace.
"""
