"""The audit log records who changed what from where, and cannot be changed afterwards."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from amtshilfe.core.models import AuditEvent, AuditLogIsAppendOnly


def test_it_records_actor_ip_and_before_after(personas):
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/netzwerk/kommunen/{personas.a.slug}/bearbeiten/",
        {"name": "Riesa", "kind": "grosse_kreisstadt", "ags": "14627230", "population": "30123"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="municipality.updated")
    assert event.actor == personas.coordinator
    assert event.actor_name == "coordinator"
    assert event.ip_address == "203.0.113.7"
    assert event.before == {"population": 29000}
    assert event.after == {"population": 30123}
    assert event.network == personas.network
    assert event.municipality == personas.a
    assert event.request_id


def test_it_refuses_changes_through_the_orm(personas):
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()


def test_it_refuses_changes_in_the_database_itself(personas):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(action="tampered").exists()
