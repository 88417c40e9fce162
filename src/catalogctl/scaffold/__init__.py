"""New catalogs and new entities, from commented templates.

Owns: `catalogctl init` (`init`), `catalogctl new` (`new`), `change new`
(`change`) and the skeletons in `templates/`.

Imports: load, model, lint, workspace, review, change, csi.
"""
