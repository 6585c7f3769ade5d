"""Who may do what with the GAR: predicates named after relations (directory abilities).

* the school's management (direction, vie scolaire, secretariat, local admins) read the
  school's GAR roles and their history;
* only the school's local admins (ADML) and its direction appoint and end them;
* the operator and the Région's admins read the export runs.
"""

from __future__ import annotations

from typing import Any

import rules

from ostal.directory.abilities import (
    is_admin_of_school,
    is_management_of_school,
    is_operator,
    is_region_admin,
)
from ostal.directory.models import Affiliation, Profile
from ostal.territory.models import School


@rules.predicate
def is_direction_of_school(user: Any, school: School | None) -> bool:
    if not getattr(user, "is_authenticated", False) or school is None:
        return False
    return Affiliation.objects.filter(
        person_id=user.pk, school=school, profile=Profile.DIRECTION
    ).exists()


def may_read_gar_roles(user: Any, school: School | None) -> bool:
    return bool(is_management_of_school(user, school))


def may_appoint_gar_roles(user: Any, school: School | None) -> bool:
    return bool(is_admin_of_school(user, school) or is_direction_of_school(user, school))


def may_read_gar_exports(user: Any) -> bool:
    return bool(is_operator(user) or is_region_admin(user))
