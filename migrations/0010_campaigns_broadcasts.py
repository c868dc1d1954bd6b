from tortoise import migrations
from tortoise.migrations import operations as ops
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.broadcast.statuses import DeliveryState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_campaigns_sponsor_message')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Broadcast',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='broadcasts', on_delete=OnDelete.CASCADE)),
                ('network', fields.CharField(max_length=16)),
                ('assisted', fields.BooleanField(default=False)),
                ('status', fields.CharEnumField(default=BroadcastStatus.SCHEDULED, description='SCHEDULED: scheduled\nPUBLISHING: publishing\nRUNNING: running\nPAUSED: paused\nCOMPLETED: completed\nABORTED: aborted\nSTOPPED: stopped', enum_type=BroadcastStatus, max_length=16)),
                ('post_text', fields.TextField(unique=False)),
                ('paid_partnership', fields.BooleanField(default=True)),
                ('post_ref', fields.CharField(null=True, max_length=64)),
                ('publisher_id', fields.IntField(null=True)),
                ('publish_marker', fields.CharField(null=True, max_length=64)),
                ('scheduled_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('stop_reason', fields.CharField(default='', max_length=64)),
                ('tokens_deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'broadcasts', 'app': 'models', 'unique_together': (('campaign', 'network'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('broadcast', fields.ForeignKeyField('models.Broadcast', source_field='broadcast_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('pledge', fields.ForeignKeyField('models.Pledge', source_field='pledge_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('account_id', fields.IntField()),
                ('followers', fields.BigIntField(default=0)),
                ('state', fields.CharEnumField(default=DeliveryState.PENDING, description='PENDING: pending\nIN_FLIGHT: in_flight\nDELIVERED: delivered\nFAILED: failed\nSKIPPED: skipped\nCANCELLED: cancelled', enum_type=DeliveryState, max_length=16)),
                ('reason', fields.CharField(default='', max_length=64)),
                ('attempts', fields.SmallIntField(default=0)),
                ('not_before', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('worker', fields.CharField(default='', max_length=64)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('link_opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'broadcast_deliveries', 'app': 'models', 'unique_together': (('broadcast', 'pledge'),), 'indexes': [Index(fields=['broadcast_id', 'state'])], 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
    ]
