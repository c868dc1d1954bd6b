from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from grants.applications.statuses import ApplicationStatus
from grants.review.statuses import Confidence
from grants.review.statuses import ConflictKind
from grants.review.statuses import DecisionKind
from grants.applications.statuses import MessageKind
from grants.review.statuses import Recommendation
from grants.review.statuses import ReviewStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_campaigns_pledging')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Conflict',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reviewer_id', fields.IntField(db_index=True)),
                ('kind', fields.CharEnumField(description='DECLARED: declared\nTIE: tie\nSTAFF: staff\nWAIVED: waived', enum_type=ConflictKind, max_length=16)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', null=True, db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('cooperative', fields.ForeignKeyField('models.Cooperative', source_field='cooperative_id', null=True, db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('reason', fields.TextField(unique=False)),
                ('created_by_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('lifted_by_id', fields.IntField(null=True)),
                ('lifted_reason', fields.TextField(default='', unique=False)),
                ('lifted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review_conflicts', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Decision',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('call', fields.ForeignKeyField('models.Call', source_field='call_id', db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.RESTRICT)),
                ('application', fields.OneToOneField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='decision', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='AWARD: award\nDECLINE: decline\nWAITLIST: waitlist', enum_type=DecisionKind, max_length=16)),
                ('amount_minor', fields.BigIntField(null=True)),
                ('currency', fields.CharField(max_length=3)),
                ('reason', fields.TextField(default='', unique=False)),
                ('message', fields.TextField(default='', unique=False)),
                ('decided_by_id', fields.IntField()),
                ('decided_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'decisions', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('call', fields.ForeignKeyField('models.Call', source_field='call_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.RESTRICT)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.RESTRICT)),
                ('reviewer_id', fields.IntField(db_index=True)),
                ('status', fields.CharEnumField(default=ReviewStatus.DRAFT, description='DRAFT: draft\nSUBMITTED: submitted', enum_type=ReviewStatus, max_length=16)),
                ('pinned', fields.BooleanField(default=False)),
                ('affinity', fields.FloatField(default=0.0)),
                ('scores', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('comment_applicant', fields.TextField(default='', unique=False)),
                ('comment_staff', fields.TextField(default='', unique=False)),
                ('recommendation', fields.CharEnumField(null=True, description='FUND: fund\nFUND_WITH_CHANGES: fund_with_changes\nDECLINE: decline', enum_type=Recommendation, max_length=24)),
                ('confidence', fields.CharEnumField(null=True, description='LOW: low\nMEDIUM: medium\nHIGH: high', enum_type=Confidence, max_length=8)),
                ('score', fields.FloatField(null=True)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reviews', 'app': 'models', 'unique_together': (('application', 'reviewer_id'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ReviewerProfile',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('countries', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('regions', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('commodities', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('categories', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('max_load', fields.SmallIntField(default=10)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reviewer_profiles', 'app': 'models', 'unique_together': (('organisation', 'user_id'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.AlterField(
            model_name='Application',
            name='status',
            field=fields.CharEnumField(default=ApplicationStatus.DRAFT, description='DRAFT: draft\nSUBMITTED: submitted\nCHANGES_REQUESTED: changes_requested\nELIGIBLE: eligible\nINELIGIBLE: ineligible\nWITHDRAWN: withdrawn\nAWARDED: awarded\nDECLINED: declined\nWAITLISTED: waitlisted', enum_type=ApplicationStatus, max_length=24),
        ),
        ops.AlterField(
            model_name='ApplicationMessage',
            name='kind',
            field=fields.CharEnumField(description='RECEIPT: receipt\nCHANGES_REQUESTED: changes_requested\nELIGIBLE: eligible\nINELIGIBLE: ineligible\nWITHDRAWN: withdrawn\nAWARDED: awarded\nDECLINED: declined\nWAITLISTED: waitlisted', enum_type=MessageKind, max_length=24),
        ),
        ops.AddField(
            model_name='ApplicationMessage',
            name='comments',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='AuditEvent',
            name='details',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Call',
            name='blind',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
