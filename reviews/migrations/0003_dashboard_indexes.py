# The dashboard orders by (created_at, id) within the user's teams, a status, or everything:
# indexes that carry both columns let the database read the page in order instead of sorting.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_decision_record"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="review", name="review_team_created"),
        migrations.RemoveIndex(model_name="review", name="review_status_created"),
        migrations.AlterField(
            model_name="review",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["team", "-created_at", "-id"], name="review_team_created"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                fields=["status", "-created_at", "-id"], name="review_status_created"
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["-created_at", "-id"], name="review_created"),
        ),
    ]
