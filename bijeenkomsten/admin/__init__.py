"""The coordinators' admin for programmes and meetings. Every class is scoped to the networks
the user coordinates by `portal.adminscope`; every write is a function of `services`, the
same one whichever page, row, button or bulk action performs it. The hooks here collect input,
call it, and record in the history and the messages what it did.

Programme parts cannot be nested inside the meeting rows of a programme (Django inlines do not
nest): each meeting row links to that meeting's page, where its parts, materials and
registrations are edited.

The admins are split by what they edit: `programmes` (half-year programmes and their meeting
rows) and `meetings` (meetings, registrations, parts, materials), with what both use in
`common`. Importing them registers them.
"""

from . import meetings, programmes

__all__ = ["meetings", "programmes"]
