from tortoise import migrations
from tortoise.migrations import operations as ops
from campaigns.broadcast.statuses import MessageStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_campaigns_refunds')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SponsorMessage',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.OneToOneField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='sponsor_message', on_delete=OnDelete.CASCADE)),
                ('sponsor_id', fields.IntField()),
                ('text', fields.TextField(unique=False)),
                ('disclosure', fields.CharField(max_length=32)),
                ('status', fields.CharEnumField(default=MessageStatus.SUBMITTED, description='SUBMITTED: submitted\nRETURNED: returned\nAPPROVED: approved', enum_type=MessageStatus, max_length=16)),
                ('staff_comment', fields.TextField(default='', unique=False)),
                ('revision', fields.IntField(default=1)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_by_id', fields.IntField(null=True)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sponsor_messages', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.AddField(
            model_name='Campaign',
            name='notice_hours',
            field=fields.SmallIntField(default=48),
        ),
        ops.AddField(
            model_name='Pledge',
            name='notice_key',
            field=fields.CharField(default='', max_length=64),
        ),
    ]
