"""The words a generated catalog is made of: business areas, names, sites, CI kinds."""

from __future__ import annotations

ORG = "Fabrikam Freight"
DOMAIN = "fabrikam.example"
GITHUB_ORG = "fabrikam-freight"


def _words(text: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(text.split(sep))


# area id -> (display category, executive who signs its SLAs, "|"-separated systems)
_AREA_TABLE = {
    "finance": (
        "Finance",
        "CFO",
        "General Ledger|Accounts Payable|Accounts Receivable|Treasury|Expense Management|"
        "Freight Invoicing|Tax Reporting|Budget Planning|Fixed Assets|Payment Hub",
    ),
    "hr": (
        "Human Resources",
        "CHRO",
        "HR Core|Payroll|Recruiting Portal|Learning Platform|Time Recording|"
        "Performance Reviews|Benefits Portal|Onboarding Workflow|Workforce Planning|"
        "People Directory",
    ),
    "logistics": (
        "Logistics",
        "COO",
        "Transport Management|Shipment Tracking|Route Planning|Carrier Portal|"
        "Customs Declarations|Dock Scheduling|Proof of Delivery|Freight Exchange|Partner EDI|"
        "Rate Engine",
    ),
    "warehouse": (
        "Warehousing",
        "COO",
        "Warehouse Management|Yard Management|Inventory Control|Label Printing|Pick by Voice|"
        "Returns Processing|Slotting Optimiser|Cycle Counting|Cold Chain Monitoring|"
        "Packing Stations",
    ),
    "fleet": (
        "Fleet",
        "COO",
        "Fleet Telematics|Driver App|Tachograph Archive|Fuel Cards|Vehicle Maintenance|"
        "Tyre Management|Eco Driving|Trailer Tracking",
    ),
    "sales": (
        "Sales",
        "CCO",
        "Customer Relationship Management|Quotation Engine|Customer Portal|"
        "Contract Management|Pricing Service|Sales Analytics|Partner Onboarding|Tender Desk",
    ),
    "procurement": (
        "Procurement",
        "CFO",
        "Purchasing|Supplier Portal|Catalogue Search|Spend Analytics|Invoice Capture|Supplier Risk",
    ),
    "data": (
        "Data and Analytics",
        "CDO",
        "Data Warehouse|Logistics Analytics|Reporting Portal|Data Lake|Master Data|"
        "Demand Forecasting|Data Catalog|Event Streaming",
    ),
    "collaboration": (
        "Collaboration",
        "CIO",
        "Email and Calendar|Intranet|Video Meetings|File Sharing|Team Chat|Digital Signage|"
        "Print Service|Fax Gateway",
    ),
    "security": (
        "Security",
        "CISO",
        "Identity and SSO|Privileged Access|Endpoint Protection|Security Monitoring|"
        "Secrets Vault|Certificate Authority|Email Security|Vulnerability Scanning",
    ),
    "infrastructure": (
        "Infrastructure",
        "CIO",
        "Private Cloud|Container Platform|Database Platform|Corporate Network|"
        "Backup and Recovery|API Gateway|Cloud Landing Zone|Remote Access|Storage Platform|"
        "DNS and DHCP",
    ),
    "support": (
        "IT Support",
        "CIO",
        "IT Service Desk|Device Management|Software Centre|Self-Service Portal|"
        "Asset Inventory|Remote Support",
    ),
}
# (area id, display category, systems, executive)
AREAS: tuple[tuple[str, str, tuple[str, ...], str], ...] = tuple(
    (area, category, _words(systems), executive)
    for area, (category, executive, systems) in _AREA_TABLE.items()
)
TECHNICAL_AREAS = frozenset({"infrastructure", "security", "data"})
REGIONS = (
    "",
    *_words(
        "Germany|Nordics|Benelux|Poland|Iberia|UK|France|Italy|Austria|Czechia|Baltics|"
        "Switzerland|Americas|APAC|Middle East"
    ),
)
TEAM_FUNCTIONS = _words("systems|apps|platform|operations|engineering|integration|data|support")
FIRST_NAMES = _words(
    "alice bjorn carmen dev erik fatima greta hassan ingrid jonas kemal lena marta nadia oskar "
    "pia quentin rosa sven tomas ula viktor wiebke xavier yara zofia amir bea chen dario elif "
    "finn gabriel hana ivan jana kai luca mei nils",
    " ",
)
LAST_NAMES = _words(
    "ng larsen ruiz patel holm zahra berg aydin kowalski novak fischer haddad marin meyer "
    "jensen rossi silva nowak dubois schmidt kovac virtanen moreau costa weber lind popescu "
    "horvat okafor tanaka muller andersen garcia nielsen janssen kaya",
    " ",
)
SITES = ("fra", "ham", "ams", "waw", "mad", "lon", "weu", "neu")
SITE_NAMES = {
    "fra": "Frankfurt DC",
    "ham": "Hamburg DC",
    "ams": "Amsterdam DC",
    "waw": "Warsaw DC",
    "mad": "Madrid DC",
    "lon": "London DC",
    "weu": "Azure West Europe",
    "neu": "Azure North Europe",
}
CURRENCIES = ("EUR", "EUR", "EUR", "EUR", "GBP", "PLN", "SEK", "USD", "CHF")

# CI type -> folder under catalog/cis/
CI_FOLDER = {
    "application": "applications",
    "container": "applications",
    "server": "compute",
    "virtual-machine": "compute",
    "container-cluster": "compute",
    "database": "databases",
    "network-device": "network",
    "load-balancer": "network",
    "firewall": "network",
    "storage": "storage",
    "backup": "storage",
    "cloud-service": "cloud",
    "saas": "saas",
    "certificate": "certificates",
    "dns-record": "dns",
    "message-queue": "middleware",
    "cache": "middleware",
    "monitoring": "middleware",
}
# Shared infrastructure, built in waves: (id prefix, CI type, label, relations).
# Each relation (type, target CI types) points at an earlier shared CI.
SHARED_CIS: tuple[tuple[str, str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("core-sw", "network-device", "Core switch", ()),
    ("fw", "firewall", "Firewall cluster", (("connects-to", ("network-device",)),)),
    ("san", "storage", "SAN array", (("depends-on", ("network-device",)),)),
    (
        "esx",
        "server",
        "vSphere host",
        (("depends-on", ("storage",)), ("depends-on", ("network-device",))),
    ),
    ("lb", "load-balancer", "Load balancer", (("depends-on", ("firewall",)),)),
    ("sql", "server", "SQL Server host", (("depends-on", ("storage",)),)),
    ("aks", "container-cluster", "Kubernetes cluster", (("depends-on", ("load-balancer",)),)),
    ("esx", "server", "vSphere host", (("depends-on", ("storage",)),)),
    ("mq", "message-queue", "Message broker", (("hosted-on", ("server",)),)),
    (
        "backup",
        "backup",
        "Backup repository",
        (("depends-on", ("storage",)), ("connects-to", ("server",))),
    ),
    ("mon", "monitoring", "Monitoring stack", (("runs-on", ("container-cluster",)),)),
    ("saas", "saas", "SaaS tenant", ()),
    ("cloud", "cloud-service", "Cloud service", (("connects-to", ("firewall",)),)),
    ("redis", "cache", "Shared cache", (("runs-on", ("container-cluster",)),)),
)
SAAS_VENDORS = _words(
    "Workday|Concur|Snowflake|Jira Service Management|DATEV|Salesforce|ServiceNow|"
    "Microsoft 365|Coupa|Okta|Zscaler|Miro|Slack|DocuSign|SAP Ariba"
)
SAAS_VARIANTS = ("", "sandbox", "emea", "americas", "apac", "test")
HARDWARE = {
    "network-device": ("Arista", "7280R3"),
    "firewall": ("Palo Alto", "PA-5450"),
    "storage": ("NetApp", "AFF A400"),
    "server": ("Dell", "PowerEdge R660"),
    "load-balancer": ("F5", "BIG-IP i5800"),
}
# Standard change templates: (id, title, CI types, allowed maximum durations).
CHANGE_TEMPLATES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("os-patching", "Monthly OS patching", ("virtual-machine", "server"), ("2h", "4h")),
    ("database-minor-patch", "Database minor version patch", ("database",), ("2h", "4h")),
    ("tls-certificate-renewal", "TLS certificate renewal", ("certificate",), ("1h", "2h")),
    ("dns-record-change", "DNS record change", ("dns-record",), ("30m", "1h")),
    ("node-pool-scale", "Kubernetes node pool scaling", ("container-cluster",), ("1h", "2h")),
    ("firewall-rule-change", "Firewall rule change", ("firewall",), ("1h", "2h")),
    ("lb-pool-change", "Load balancer pool member change", ("load-balancer",), ("1h",)),
    ("cache-flush", "Cache flush and warm-up", ("cache",), ("30m", "1h")),
    (
        "container-image-update",
        "Container image update",
        ("container", "application"),
        ("1h", "2h"),
    ),
    ("backup-policy-change", "Backup policy change", ("backup",), ("1h",)),
    ("storage-volume-extend", "Storage volume extension", ("storage", "database"), ("2h",)),
    ("saas-config-change", "SaaS configuration change", ("saas", "cloud-service"), ("1h", "4h")),
    ("alert-rule-tuning", "Monitoring alert rule tuning", ("monitoring",), ("1h",)),
    ("network-firmware-patch", "Network device firmware patch", ("network-device",), ("2h", "4h")),
    ("queue-maintenance", "Message queue maintenance", ("message-queue",), ("1h", "2h")),
)
# A service's own CIs, most common first; created in STACK_ORDER so that
# relations always point at CIs created earlier.
STACK_PARTS = (
    "app",
    "vm1",
    "db",
    "dns",
    "cert",
    "vm2",
    "dbdr",
    "cache",
    "vmstg",
    "appstg",
    "ctr",
    "mq",
)
STACK_ORDER = (
    "vm1",
    "vm2",
    "vmstg",
    "db",
    "dbdr",
    "cache",
    "mq",
    "app",
    "appstg",
    "ctr",
    "dns",
    "cert",
)
STACK_MAX = len(STACK_PARTS)
STATES = ("new", "assess", "authorize", "scheduled", "implement", "review", "closed", "canceled")
REASONS = (
    "vendor advisory",
    "capacity forecast",
    "audit finding",
    "end of support",
    "customer request",
)
CHANGE_TYPES = ("standard", "normal", "emergency")
WINDOW_REQUIRED = frozenset({"scheduled", "implement", "review", "closed"})
