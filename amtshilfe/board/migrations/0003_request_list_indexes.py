"""Indexes for the request list: newest/oldest first and "last change" walk an index in order
instead of sorting every request of the network (measured with 50,000 requests)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0002_request_event_append_only_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["network", "created_at", "id"], name="request_network_created_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["network", "updated_at", "id"], name="request_network_updated_idx"
            ),
        ),
    ]
