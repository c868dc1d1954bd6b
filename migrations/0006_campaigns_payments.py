from tortoise import migrations
from tortoise.migrations import operations as ops
from campaigns.auction.statuses import AttemptStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_campaigns_auction')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PaymentAttempt',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('auction', fields.ForeignKeyField('models.Auction', source_field='auction_id', db_constraint=True, to_field='id', related_name='payment_attempts', on_delete=OnDelete.RESTRICT)),
                ('sponsor_id', fields.IntField()),
                ('idempotency_key', fields.CharField(unique=True, max_length=80)),
                ('amount_minor', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('status', fields.CharEnumField(default=AttemptStatus.STARTED, description='STARTED: started\nSUCCEEDED: succeeded\nREQUIRES_ACTION: requires_action\nFAILED: failed', enum_type=AttemptStatus, max_length=16)),
                ('intent_ref', fields.CharField(null=True, max_length=64)),
                ('failure_code', fields.CharField(default='', max_length=64)),
                ('pay_by', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'auction_payment_attempts', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
    ]
