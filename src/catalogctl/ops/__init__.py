"""Service operation: incidents, problems and SLA attainment.

Owns: time spans and their union (`spans`), service hours from the policy's
schedules (`hours`), planned outage windows of changes (`planned`), the
attainment of every SLA over a period (`attainment`), the reporting period
(`period`) and the command `sla report` (`sla_command`).

Imports: load, model, lint, workspace, review, change.
"""
