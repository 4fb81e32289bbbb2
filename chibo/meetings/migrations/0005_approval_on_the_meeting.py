# Approval moves from the resolution to the meeting: a meeting without a resolution can be approved
# (its minutes locked) too. Existing approvals are copied before the resolution's columns go.

from django.db import migrations, models

COPY = """
UPDATE meetings_meeting SET
  approved_by_chair_at = (SELECT r.approved_by_chair_at FROM meetings_resolution r WHERE r.meeting_id = meetings_meeting.id),
  approved_by_taker_at = (SELECT r.approved_by_taker_at FROM meetings_resolution r WHERE r.meeting_id = meetings_meeting.id)
WHERE EXISTS (SELECT 1 FROM meetings_resolution r WHERE r.meeting_id = meetings_meeting.id)
"""
# Meetings locked without a resolution (earlier data) were approved when they were locked.
STAMP = """
UPDATE meetings_meeting SET approved_by_chair_at = approved_at, approved_by_taker_at = approved_at
WHERE status = 'approved' AND approved_by_chair_at IS NULL AND approved_by_taker_at IS NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_attendance_client_id_not_indexed'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='approved_by_chair_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='meeting',
            name='approved_by_taker_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.RunSQL(STAMP, migrations.RunSQL.noop),
        migrations.RemoveField(
            model_name='resolution',
            name='approved_by_chair_at',
        ),
        migrations.RemoveField(
            model_name='resolution',
            name='approved_by_taker_at',
        ),
    ]
