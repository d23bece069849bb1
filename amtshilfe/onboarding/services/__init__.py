"""Every write about onboarding (CONVENTIONS #2): checklist ``templates`` and ``plans``."""

from amtshilfe.onboarding.services.plans import (
    add_plan_item,
    cancel_plan,
    change_mentor,
    complete_plan_item,
    link_shadow_request,
    reopen_plan_item,
    start_onboarding,
    start_onboarding_for_municipality,
)
from amtshilfe.onboarding.services.templates import (
    add_template_item,
    move_template_item,
    remove_template_item,
    update_template_item,
)

__all__ = [
    "add_plan_item",
    "add_template_item",
    "cancel_plan",
    "change_mentor",
    "complete_plan_item",
    "link_shadow_request",
    "move_template_item",
    "remove_template_item",
    "reopen_plan_item",
    "start_onboarding",
    "start_onboarding_for_municipality",
    "update_template_item",
]
