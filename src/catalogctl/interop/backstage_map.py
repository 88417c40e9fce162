"""Backstage descriptors -> planned catalog entities (docs/interop.md has the tables).

Group -> Team, Component of type service or website -> Service, Resource ->
ConfigurationItem; User, System, Domain and API only feed the mapping
(members, owners, categories, dependencies through APIs). What cannot be
mapped is skipped with the reason; references that would not resolve, or
would break a lint rule (a dependency cycle, an active service on a retired
one), are dropped with a note, so the imported catalog lints clean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from catalogctl.interop import annotations as notes
from catalogctl.interop import schema_facts
from catalogctl.interop.backstage_fields import (
    DEFAULT_TIER,
    FALLBACK_CI_TYPE,
    LIFECYCLES,
    RESOURCE_TYPES,
    SERVICE_TYPES,
    common_fields,
    title,
)
from catalogctl.interop.backstage_read import Descriptor, ReadResult, Skipped, listed, owner_ref
from catalogctl.interop.lintsafe import make_lint_safe
from catalogctl.interop.names import EntityRef, parse_ref, to_id
from catalogctl.interop.plan import Planned
from catalogctl.load import kinds
from catalogctl.model.entities import Catalog


@dataclass
class Mapping:
    planned: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _ref(entry: object, kind: str, namespace: str) -> EntityRef | None:
    return parse_ref(entry, kind, namespace) if isinstance(entry, str) else None


class _Mapper:
    def __init__(self, read: ReadResult, catalog: Catalog) -> None:
        self.catalog = catalog
        self.out = Mapping(skipped=list(read.skipped), notes=list(read.notes))
        self.by_kind: dict[str, list[Descriptor]] = {}
        self.by_ref: dict[EntityRef, Descriptor] = {}
        for descriptor in read.descriptors:
            self.by_kind.setdefault(descriptor.kind, []).append(descriptor)
            self.by_ref[descriptor.ref] = descriptor
        self.ids: dict[EntityRef, str] = {}  # imported entities' catalog ids
        self.taken: dict[tuple[str, str], EntityRef] = {}

    @cached_property
    def providers(self) -> dict[EntityRef, EntityRef]:
        """API -> the component that provides it."""
        return {
            api: component.ref
            for component in self.of("Component")
            for entry in listed(component.spec.get("providesApis"))
            if (api := _ref(entry, "api", component.ref.namespace)) is not None
        }

    def of(self, kind: str) -> list[Descriptor]:
        return self.by_kind.get(kind, [])

    def skip(self, descriptor: Descriptor, reason: str) -> None:
        self.out.skipped.append(Skipped(f"{descriptor.ref} ({descriptor.where})", reason))

    def claim(self, descriptor: Descriptor, kind: kinds.Kind) -> str | None:
        """The catalog id for a descriptor, unique within its kind."""
        wanted = descriptor.annotation(notes.ID)
        entity_id = wanted if wanted and kinds.ID_PATTERN.match(wanted) else None
        entity_id = entity_id or to_id(descriptor.ref.namespace, descriptor.ref.name)
        if entity_id is None:
            self.skip(
                descriptor,
                f"its id {descriptor.ref.namespace}--{descriptor.ref.name} would be over 63 "
                f"characters; set the annotation {notes.ID} to a shorter id",
            )
            return None
        other = self.taken.get((kind.name, entity_id))
        if other is not None:
            self.skip(descriptor, f"its id {entity_id} is taken by {other}; set {notes.ID}")
            return None
        self.taken[(kind.name, entity_id)] = descriptor.ref
        self.ids[descriptor.ref] = entity_id
        return entity_id

    def team_of(self, descriptor: Descriptor) -> str | None:
        """The Team id that owns a component or resource; None (skipped) otherwise."""
        ref = owner_ref(descriptor)
        if ref is not None and ref.kind == "user":
            user = self.by_ref.get(ref)
            groups = user.spec.get("memberOf") if user else None
            first = groups[0] if isinstance(groups, list) and groups else None
            if not isinstance(first, str) or user is None:
                self.skip(descriptor, f"owner {ref} is a User with no group to own it")
                return None
            ref = parse_ref(first, "group", user.ref.namespace)
        if ref is None or ref.kind != "group":
            self.skip(descriptor, f"owner {descriptor.spec.get('owner')!r} is not a Group or User")
            return None
        team = self.ids.get(ref) or (to_id(ref.namespace, ref.name) or "")
        if ref in self.ids or self.catalog.get(kinds.TEAM.name, team) is not None:
            return team
        if ref in self.by_ref:
            self.skip(descriptor, f"its owner {ref} was skipped (see above)")
        else:
            self.skip(
                descriptor, f"owner {ref} is neither among the descriptors nor a catalog team"
            )
        return None

    def lookup(self, text: object, kind: str, namespace: str) -> Descriptor | None:
        """The descriptor a ref names, if it was read."""
        ref = parse_ref(text, kind, namespace) if isinstance(text, str) else None
        return self.by_ref.get(ref) if ref is not None else None

    def memberships(self) -> dict[EntityRef, list[EntityRef]]:
        """Users of each group, from the groups' members and the users' memberOf."""
        members: dict[EntityRef, list[EntityRef]] = {}
        for group in self.of("Group"):
            for entry in listed(group.spec.get("members")):
                member = _ref(entry, "user", group.ref.namespace)
                if member is not None:
                    members.setdefault(group.ref, []).append(member)
        for user in self.of("User"):
            for entry in listed(user.spec.get("memberOf")):
                ref = _ref(entry, "group", user.ref.namespace)
                if ref is not None:
                    members.setdefault(ref, []).append(user.ref)
        return members

    def logins(self, group: Descriptor, users: list[EntityRef]) -> list[str]:
        """GitHub logins of a group's users; the others are named in notes."""
        logins: list[str] = []
        for ref in dict.fromkeys(users):
            found = self.by_ref.get(ref)
            login = found.annotation(notes.GITHUB_LOGIN) if found is not None else None
            if login is not None and schema_facts.pattern("githubLogin").match(login):
                if login not in logins:
                    logins.append(login)
                continue
            why = (
                "is not among the descriptors"
                if found is None
                else f"has no valid {notes.GITHUB_LOGIN} annotation"
            )
            self.out.notes.append(f"{group.ref}: member {ref} {why}; unmapped")
        return logins

    def teams(self) -> None:
        members = self.memberships()
        for group in self.of("Group"):
            team_id = self.claim(group, kinds.TEAM)
            if team_id is None:
                continue
            plan = Planned(kinds.TEAM, team_id, group.where)
            self.common(plan, group)
            logins = self.logins(group, members.get(group.ref, []))
            slug = group.annotation(notes.GITHUB_TEAM)
            profile = group.spec.get("profile")
            email = profile.get("email") if isinstance(profile, dict) else None
            if not (isinstance(email, str) and schema_facts.pattern("email").match(email)):
                email = None
            self.set_or_default(plan, "members", logins or None, ["your-github-login"])
            slug = slug if slug is not None and schema_facts.team_github().match(slug) else None
            self.set_or_default(plan, "github", slug, f"your-org/{team_id}")
            self.set_or_default(plan, "email", email, f"{team_id}@your-domain.example")
            oncall = group.annotation(notes.ONCALL)
            if oncall:
                plan.fields[("spec", "oncall")] = oncall
            self.out.planned.append(plan)

    @staticmethod
    def set_or_default(plan: Planned, key: str, value: Any, default: Any) -> None:
        if value is None:
            plan.defaults[("spec", key)] = default
        else:
            plan.fields[("spec", key)] = value

    def common(self, plan: Planned, descriptor: Descriptor) -> None:
        plan.fields.update(common_fields(descriptor, self.out.notes))
        for key, value in notes.spec_fields(descriptor, plan.kind).items():
            plan.fields[("spec", key)] = value

    def category(self, descriptor: Descriptor) -> str:
        """The title of the component's domain (through its system), else of
        its system, else the names the refs give, else Uncategorised."""
        namespace = descriptor.ref.namespace
        system_text = descriptor.spec.get("system")
        system = self.lookup(system_text, "system", namespace)
        domain_text = system.spec.get("domain") if system is not None else None
        domain = self.lookup(domain_text, "domain", namespace)
        for source in (domain, system):
            if source is not None:
                return title(source)[:60]
        for text in (domain_text, system_text):
            if isinstance(text, str) and text.strip():
                return text.rpartition("/")[2][:60]
        return "Uncategorised"

    def services(self) -> list[tuple[Planned, Descriptor]]:
        accepted: list[tuple[Descriptor, str, str]] = []
        for component in self.of("Component"):
            kind = str(component.spec.get("type", "")).lower()
            lifecycle = LIFECYCLES.get(str(component.spec.get("lifecycle")).lower())
            if kind not in SERVICE_TYPES:
                self.skip(component, f"component type {kind!r} is not a service or website")
            elif lifecycle is None:
                written = component.spec.get("lifecycle")
                self.skip(
                    component,
                    f"lifecycle {written!r} is not production, experimental or deprecated",
                )
            else:
                accepted.append((component, lifecycle, kind))
        planned = []
        for component, lifecycle, kind in accepted:
            owner = self.team_of(component)
            service_id = self.claim(component, kinds.SERVICE) if owner else None
            if owner is None or service_id is None:
                continue
            plan = Planned(kinds.SERVICE, service_id, component.where)
            plan.fields[("spec", "owner")] = owner
            plan.fields[("spec", "lifecycle")] = lifecycle
            plan.fields[("spec", "category")] = self.category(component)
            plan.defaults[("spec", "type")] = SERVICE_TYPES[kind]
            plan.defaults[("spec", "tier")] = DEFAULT_TIER
            plan.defaults[("spec", "visibility")] = "internal"
            self.common(plan, component)
            planned.append((plan, component))
        return planned

    def cis(self) -> list[tuple[Planned, Descriptor]]:
        planned = []
        for resource in self.of("Resource"):
            owner = self.team_of(resource)
            ci_id = self.claim(resource, kinds.CI) if owner else None
            if owner is None or ci_id is None:
                continue
            plan = Planned(kinds.CI, ci_id, resource.where)
            written = str(resource.spec.get("type")).lower()
            ci_type = RESOURCE_TYPES.get(written)
            if ci_type is None:
                ci_type = FALLBACK_CI_TYPE
                self.out.notes.append(f"{resource.ref}: resource type {written!r} -> {ci_type}")
            plan.fields[("spec", "type")] = ci_type
            plan.fields[("spec", "owner")] = owner
            plan.defaults.update(
                {("spec", "environment"): "production", ("spec", "status"): "in-service"}
            )
            self.common(plan, resource)
            planned.append((plan, resource))
        return planned

    def targets(self, descriptor: Descriptor) -> Iterable[EntityRef]:
        for entry in listed(descriptor.spec.get("dependsOn")):
            ref = parse_ref(entry, "", descriptor.ref.namespace) if isinstance(entry, str) else None
            if ref is None or not ref.kind:
                self.out.notes.append(
                    f"{descriptor.ref}: dependsOn {entry!r} names no kind; dropped"
                )
                continue
            yield ref
        providers = self.providers
        for entry in listed(descriptor.spec.get("consumesApis")):
            api = (
                parse_ref(entry, "api", descriptor.ref.namespace)
                if isinstance(entry, str)
                else None
            )
            if api is not None and api in providers:
                yield providers[api]
            else:
                self.out.notes.append(
                    f"{descriptor.ref}: consumed API {entry} has no provider; dropped"
                )


def _known(
    catalog: Catalog, planned: set[tuple[str, str]], kind: kinds.Kind, entity_id: str
) -> bool:
    return (kind.name, entity_id) in planned or catalog.get(kind.name, entity_id) is not None


def build(read: ReadResult, catalog: Catalog) -> Mapping:
    mapper = _Mapper(read, catalog)
    mapper.teams()
    services = mapper.services()
    cis = mapper.cis()
    planned = {(plan.kind.name, plan.id) for plan, _ in (*services, *cis)}

    def target_id(ref: EntityRef) -> str:
        return mapper.ids.get(ref) or to_id(ref.namespace, ref.name) or ""

    for plan, component in services:
        depends: list[str] = []
        uses: list[str] = []
        for ref in mapper.targets(component):
            target = target_id(ref)
            if ref.kind == "component" and _known(catalog, planned, kinds.SERVICE, target):
                if target not in depends and target != plan.id:
                    depends.append(target)
            elif ref.kind == "resource" and _known(catalog, planned, kinds.CI, target):
                if target not in uses:
                    uses.append(target)
            else:
                mapper.out.notes.append(
                    f"{component.ref}: dependsOn {ref} is not imported; dropped"
                )
        plan.fields[("spec", "dependsOn")] = depends
        plan.fields[("spec", "cis")] = uses
    for plan, resource in cis:
        relations: list[dict[str, str]] = []
        for ref in mapper.targets(resource):
            target = target_id(ref)
            if ref.kind != "resource":
                why = "a configuration item depends only on other ones"
            elif not _known(catalog, planned, kinds.CI, target):
                why = "it is not imported"
            elif target == plan.id:
                continue
            else:
                relations.append({"type": "depends-on", "target": target})
                continue
            mapper.out.notes.append(f"{resource.ref}: dependsOn {ref} dropped: {why}")
        if not notes.has(resource, "relations"):  # the annotation carries every relation
            plan.fields[("spec", "relations")] = relations
    mapper.out.planned.extend(plan for plan, _ in (*services, *cis))
    mapper.out.notes.extend(make_lint_safe(mapper.out.planned, catalog))
    return mapper.out
