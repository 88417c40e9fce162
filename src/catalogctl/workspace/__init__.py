"""The one way in: every command opens a `Workspace`.

Owns: finding the catalog root, its sources (working tree or git ref), the
policy, the catalog loaded safely, the schemas, the result cache and a full
lint (`workspace`); and the commands about the catalog as a whole: `lint`,
`rules`, `show`, `schema`, `cache info` and `cache clear`.

Imports: load, model, lint.
"""
