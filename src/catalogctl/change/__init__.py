"""Change requests at work: listing, advancing, scheduling.

Owns: change files as commands read them (`files`), the maintenance
calendar and its iCalendar feed (`calendar`, `ics`), the history of changes
in git (`history`), in-place edits that keep comments (`editing`), and the
commands `change list|show|advance|calendar`.

Imports: load, model, lint, workspace, review.
"""
