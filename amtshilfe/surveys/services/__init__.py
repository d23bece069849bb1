"""Writes of the surveys app (CONVENTIONS #2): one module per concern, re-exported here."""

from amtshilfe.surveys.services.building import (
    HOURS_SAVED_OPTIONS,
    TEMPLATES,
    add_question,
    create_survey,
    create_survey_from_template,
    delete_question,
    move_question,
    update_survey,
)
from amtshilfe.surveys.services.lifecycle import (
    audience_members,
    close_due_surveys,
    close_survey,
    open_survey,
    send_survey_reminders,
)
from amtshilfe.surveys.services.ratings import (
    RatingLinkUnusable,
    invite_requester_after_close,
    rate_request_by_link,
    rating_link_state,
)
from amtshilfe.surveys.services.responses import (
    SurveyLinkUnusable,
    answer_survey,
    answer_survey_by_link,
    survey_invitation_for_token,
    validate_answers,
)

__all__ = [
    "HOURS_SAVED_OPTIONS",
    "TEMPLATES",
    "RatingLinkUnusable",
    "SurveyLinkUnusable",
    "add_question",
    "answer_survey",
    "answer_survey_by_link",
    "audience_members",
    "close_due_surveys",
    "close_survey",
    "create_survey",
    "create_survey_from_template",
    "delete_question",
    "invite_requester_after_close",
    "move_question",
    "open_survey",
    "rate_request_by_link",
    "rating_link_state",
    "send_survey_reminders",
    "survey_invitation_for_token",
    "update_survey",
    "validate_answers",
]
