"""The customer-facing catalog site, generated and built with MkDocs.

Owns: the `View` every page looks up in (`view`), the page builders
(`pages`, `service`, `allservices`, `diagram`, `internal`, `health`,
`export`, `charts`), safe HTML
(`safehtml`, `html`), the MkDocs plugin (`plugin`, `navcache`, `searchindex`), the MkDocs project
(`project`) and the commands `site build` (`command`) and `site serve`
(`serve`).

Imports: every package before it; never reporters or cli.
"""
