"""Writes for meetings, split by concern:

- `registration`: registering, confirming and cancelling; capacity and the waiting list;
- `meetings`: a coordinator's edit, cancellation, deletion and attendance marks;
- `programmes`: half-year programmes and their meeting rows.

Callers import from here (`from bijeenkomsten import services`); the modules are the layout.
"""

from .meetings import (
    AttendanceMarks,
    DeleteOutcome,
    meeting_audience_problem,
    meeting_cancel,
    meeting_delete,
    meeting_mark_attendance,
    meeting_move,
    meeting_save,
    meeting_subregion_problem,
    unique_meeting_slug,
)
from .programmes import (
    ProgrammeDeletion,
    programme_copy_to_next_half_year,
    programme_delete,
    programme_publish,
    programme_save_meetings,
    proposed_meeting_times,
)
from .registration import (
    GUEST_CANCEL_SALT,
    GUEST_LINK_RENEW_AFTER,
    GUEST_TOKEN_MAX_AGE,
    GUEST_TOKEN_SALT,
    RegistrationClosed,
    cancel_registration,
    confirm_guest_registration,
    guest_cancel_token,
    guest_registration_from_cancel_token,
    guest_registration_from_token,
    guest_token,
    is_registration_open,
    meeting_capacity_changed,
    promote_from_waiting_list,
    register_for_meeting,
    registration_closes_at,
    waiting_list_position,
)

__all__ = [
    "AttendanceMarks",
    "GUEST_CANCEL_SALT",
    "GUEST_LINK_RENEW_AFTER",
    "GUEST_TOKEN_MAX_AGE",
    "GUEST_TOKEN_SALT",
    "DeleteOutcome",
    "ProgrammeDeletion",
    "RegistrationClosed",
    "cancel_registration",
    "confirm_guest_registration",
    "guest_cancel_token",
    "guest_registration_from_cancel_token",
    "guest_registration_from_token",
    "guest_token",
    "is_registration_open",
    "meeting_audience_problem",
    "meeting_cancel",
    "meeting_capacity_changed",
    "meeting_delete",
    "meeting_mark_attendance",
    "meeting_move",
    "meeting_save",
    "meeting_subregion_problem",
    "programme_copy_to_next_half_year",
    "programme_delete",
    "programme_publish",
    "programme_save_meetings",
    "promote_from_waiting_list",
    "proposed_meeting_times",
    "register_for_meeting",
    "registration_closes_at",
    "unique_meeting_slug",
    "waiting_list_position",
]
