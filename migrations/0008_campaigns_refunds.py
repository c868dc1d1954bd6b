from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_campaigns_payment_events')]

    initial = False

    operations = [
        ops.AddField(
            model_name='PaymentAttempt',
            name='refund_ref',
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
