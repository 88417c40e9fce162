"""Column maps and value tables for ServiceNow CMDB exports.

Column names are those of the `cmdb_ci_service` and `cmdb_ci` tables (the
list view's "Export > CSV" writes one column per field, headed by its
name); their sources are cited in docs/interop.md. Choice fields export
either their stored value (`1`) or their label (`Operational`), depending
on how the export was made, so both are read.
"""

from __future__ import annotations

# The column that marks a ServiceNow export (every CMDB table has it).
MARKER = "sys_class_name"

# column -> catalog field, per kind; the first listed column that has a
# value wins when several map to one field (owner: support, then managing,
# then change group).
SERVICE_COLUMNS = {
    "name": "name",
    "short_description": "description",
    "support_group": "owner",
    "managed_by_group": "owner",
    "assignment_group": "owner",
    "operational_status": "lifecycle",
    "busines_criticality": "tier",  # sic: ServiceNow's own spelling
    "service_classification": "type",
    "category": "category",
}
CI_COLUMNS = {
    "name": "name",
    "short_description": "description",
    "sys_class_name": "type",
    "support_group": "owner",
    "managed_by_group": "owner",
    "assignment_group": "owner",
    "operational_status": "status",
    "used_for": "environment",
    "environment": "environment",
    "manufacturer": "vendor",
    "vendor": "vendor",
    "location": "location",
    "ip_address": "attributes.ip_address",
    "fqdn": "attributes.fqdn",
    "os": "attributes.os",
    "serial_number": "attributes.serial_number",
}

# Columns of the exports that the catalog has no field for, named in the
# report when they hold values: owned_by and managed_by are people (an owner
# here is a team), used_for of a service is the environment of its CIs.
UNMAPPED = {
    "service": ("owned_by", "managed_by", "used_for"),
    "ci": ("owned_by", "managed_by", "install_status"),
}

# operational_status (cmdb_ci): 1 Operational, 2 Non-Operational, 3 Repair in
# Progress, 4 DR Standby, 5 Ready, 6 Retired.
_STATUS_WORDS = {
    "1": "operational",
    "2": "non-operational",
    "3": "repair in progress",
    "4": "dr standby",
    "5": "ready",
    "6": "retired",
}
LIFECYCLE = {
    "operational": "live",
    "repair in progress": "live",
    "dr standby": "live",
    "non-operational": "retired",
    "ready": "pipeline",
    "retired": "retired",
}
STATUS = {
    "operational": "in-service",
    "dr standby": "in-service",
    "repair in progress": "maintenance",
    "non-operational": "maintenance",
    "ready": "planned",
    "retired": "retired",
}
SERVICE_TYPE = {
    "business service": "business",
    "technical service": "technical",
    "application service": "technical",
    "technology management service": "technical",
}
ENVIRONMENT = {
    "production": "production",
    "prod": "production",
    "staging": "staging",
    "qa": "staging",
    "test": "development",
    "development": "development",
    "demonstration": "development",
    "training": "development",
    "disaster recovery": "dr",
    "dr": "dr",
}
# sys_class_name -> CI type. The CMDB has hundreds of classes; these are the
# common ones. A class not listed here makes the row a bad row (its line and
# column are reported): map it with --map or extend the spreadsheet.
CLASSES = {
    "cmdb_ci_appl": "application",
    "cmdb_ci_app_server": "application",
    "cmdb_ci_service_discovered": "application",
    "cmdb_ci_server": "server",
    "cmdb_ci_linux_server": "server",
    "cmdb_ci_win_server": "server",
    "cmdb_ci_unix_server": "server",
    "cmdb_ci_vm_instance": "virtual-machine",
    "cmdb_ci_vmware_instance": "virtual-machine",
    "cmdb_ci_kubernetes_cluster": "container-cluster",
    "cmdb_ci_docker_container": "container",
    "cmdb_ci_database": "database",
    "cmdb_ci_db_instance": "database",
    "cmdb_ci_db_mssql_instance": "database",
    "cmdb_ci_db_ora_instance": "database",
    "cmdb_ci_db_mysql_instance": "database",
    "cmdb_ci_db_postgresql_instance": "database",
    "cmdb_ci_netgear": "network-device",
    "cmdb_ci_ip_router": "network-device",
    "cmdb_ci_ip_switch": "network-device",
    "cmdb_ci_lb": "load-balancer",
    "cmdb_ci_ip_firewall": "firewall",
    "cmdb_ci_storage_device": "storage",
    "cmdb_ci_certificate": "certificate",
    "cmdb_ci_dns_name": "dns-record",
    "cmdb_ci_cloud_service_account": "cloud-service",
}


def status_word(value: str) -> str:
    """An operational_status as its label, lower-cased ("1" -> "operational")."""
    text = value.strip().lower()
    return _STATUS_WORDS.get(text, text)


def tier(value: str) -> int | None:
    """busines_criticality "1 - most critical" ... "4 - not critical" -> 1..4."""
    head = value.strip()[:1]
    return int(head) if head in "1234" and head else None
