"""Continual service improvement: what the record says about how we do.

Owns: change and catalog KPIs from git history (`kpis`), catalog health
(`health`) and the commands `report` and `scorecard`.

Imports: load, model, lint, workspace, review, change.
"""
