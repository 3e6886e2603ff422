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
    guest_cancel_token,
    guest_registration_from_cancel_token,
    guest_registration_from_token,
    guest_token,
    is_registration_open,
    registration_cancel,
    registration_closes_at,
    registration_confirm_guest,
    registration_create,
    waiting_list_fill,
    waiting_list_position,
    waiting_list_promote,
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
    "registration_cancel",
    "registration_confirm_guest",
    "guest_cancel_token",
    "guest_registration_from_cancel_token",
    "guest_registration_from_token",
    "guest_token",
    "is_registration_open",
    "meeting_audience_problem",
    "meeting_cancel",
    "waiting_list_fill",
    "meeting_delete",
    "meeting_mark_attendance",
    "meeting_move",
    "meeting_save",
    "meeting_subregion_problem",
    "programme_copy_to_next_half_year",
    "programme_delete",
    "programme_publish",
    "programme_save_meetings",
    "waiting_list_promote",
    "proposed_meeting_times",
    "registration_create",
    "registration_closes_at",
    "unique_meeting_slug",
    "waiting_list_position",
]
