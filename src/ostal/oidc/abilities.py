"""Who may manage the OIDC client registry: the operator (``is_staff``) and region admins
(admin role on the région). Only the operator may mark an application first-party (which
skips the consent page). Everyone else gets 404 on the registry pages."""

from __future__ import annotations

from ostal.directory.abilities import is_operator, is_region_admin

__all__ = ["is_operator", "is_region_admin", "may_manage_clients", "may_mark_first_party"]

may_manage_clients = is_operator | is_region_admin
may_mark_first_party = is_operator
