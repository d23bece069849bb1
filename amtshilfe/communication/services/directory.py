"""The member directory: each person decides what of them others in the network see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.communication.models import DirectoryEntry
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.tenancy.access import current_memberships
from amtshilfe.tenancy.models import Network

FIELDS = ["show_in_directory", "show_email", "show_phone", "note"]


def update_directory_entry(
    *,
    actor: User,
    network: Network,
    show_in_directory: bool,
    show_email: bool,
    show_phone: bool,
    note: str = "",
) -> DirectoryEntry:
    """Save what ``actor`` shows about themselves in ``network``'s directory (their own only)."""
    if not current_memberships(actor, network):
        raise PermissionDenied
    note = " ".join(note.split())
    if len(note) > 300:
        raise ValidationError({"note": _("Die Notiz darf höchstens 300 Zeichen lang sein.")})
    with transaction.atomic():
        entry, _created = DirectoryEntry.objects.select_for_update().get_or_create(
            network=network, user=actor
        )
        before = snapshot(entry, FIELDS)
        entry.show_in_directory = show_in_directory
        entry.show_email = show_email
        entry.show_phone = show_phone
        entry.note = note
        entry.save()
        record_event(
            action="directory_entry.updated",
            actor=actor,
            network=network,
            obj=entry,
            before=before,
            after=snapshot(entry, FIELDS),
        )
    return entry
