"""Catalogs in and out: Backstage descriptors, CSV / ServiceNow exports, OpenSLO.

Owns: `catalogctl import backstage|csv` and `catalogctl export
backstage|csv|openslo`. Readers turn foreign files into planned entities
(`backstage_read`, `backstage_map`, `csv_io`, `csv_map`, `servicenow`),
`apply` writes them into the catalog (new files, or only the imported fields
of existing ones, in place), writers turn the catalog into foreign files
(`backstage_write`, `csv_io`, `openslo`). Names and entity refs follow
Backstage's rules (`names`); the results are values (`report`).

Imports: load, model, lint, workspace, review, change, csi, scaffold.
"""
