from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from campaigns.broadcast.statuses import DeliveryState
from grants.projects.statuses import ProjectStatus
from grants.projects.statuses import TrancheStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_campaigns_open_deliveries')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Project',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.OneToOneField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='project', on_delete=OnDelete.RESTRICT)),
                ('call', fields.ForeignKeyField('models.Call', source_field='call_id', db_constraint=True, to_field='id', related_name='projects', on_delete=OnDelete.RESTRICT)),
                ('fund_id', fields.IntField()),
                ('status', fields.CharEnumField(default=ProjectStatus.AGREEMENT, description='AGREEMENT: agreement\nACTIVE: active\nCOMPLETED: completed\nCANCELLED: cancelled', enum_type=ProjectStatus, max_length=16)),
                ('amount_minor', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('milestones', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('indicators', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('accepted_by_id', fields.IntField(null=True)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'projects', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Tranche',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('project', fields.ForeignKeyField('models.Project', source_field='project_id', db_constraint=True, to_field='id', related_name='tranches', on_delete=OnDelete.RESTRICT)),
                ('amount_minor', fields.BigIntField()),
                ('due_on', fields.DateField()),
                ('condition', fields.CharField(null=True, max_length=16)),
                ('status', fields.CharEnumField(default=TrancheStatus.SCHEDULED, description='SCHEDULED: scheduled\nAPPROVED: approved\nPAID: paid\nCANCELLED: cancelled', enum_type=TrancheStatus, max_length=16)),
                ('approved_by_id', fields.IntField(null=True)),
                ('approved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_by_id', fields.IntField(null=True)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_on', fields.DateField(null=True)),
                ('payment_reference', fields.CharField(default='', max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'project_tranches', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.AlterField(
            model_name='Delivery',
            name='state',
            field=fields.CharEnumField(default=DeliveryState.PENDING, description='PENDING: pending\nIN_FLIGHT: in_flight\nDELIVERED: delivered\nFAILED: failed\nSKIPPED: skipped\nCANCELLED: cancelled\nOFFERED: offered', enum_type=DeliveryState, max_length=16),
        ),
    ]
