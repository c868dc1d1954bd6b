from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.statuses import PledgeStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_grants_intake')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Campaign',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(max_length=64)),
                ('status', fields.CharEnumField(default=CampaignStatus.DRAFT, description='DRAFT: draft\nPLEDGING: pledging\nAUCTION: auction\nSOLD: sold\nUNSOLD: unsold\nSCHEDULED: scheduled\nBROADCASTING: broadcasting\nCOMPLETED: completed\nCANCELLED: cancelled', enum_type=CampaignStatus, max_length=16)),
                ('title', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('story', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('image_key', fields.CharField(null=True, max_length=200)),
                ('fund_id', fields.IntField()),
                ('reach_goal', fields.BigIntField()),
                ('pledge_opens_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('pledge_closes_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('broadcast_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('networks', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('reach_at_auction_close', fields.BigIntField(null=True)),
                ('quality_reach_at_auction_close', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'campaigns', 'app': 'models', 'unique_together': (('organisation', 'slug'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='NetworkApproval',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('network', fields.CharField(max_length=16)),
                ('approved', fields.BooleanField(default=False)),
                ('reference', fields.CharField(default='', max_length=200)),
                ('recorded_by_id', fields.IntField(null=True)),
                ('recorded_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'network_approvals', 'app': 'models', 'unique_together': (('organisation', 'network'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OAuthAttempt',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('state_hash', fields.CharField(unique=True, max_length=64)),
                ('verifier_enc', fields.TextField(unique=False)),
                ('browser', fields.CharField(max_length=64)),
                ('campaign_id', fields.IntField()),
                ('network', fields.CharField(max_length=16)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'oauth_attempts', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ReachShard',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='shards', on_delete=OnDelete.CASCADE)),
                ('shard', fields.SmallIntField()),
                ('pledges', fields.BigIntField(default=0)),
                ('reach', fields.BigIntField(default=0)),
                ('quality_reach', fields.BigIntField(default=0)),
            ],
            options={'table': 'reach_shards', 'app': 'models', 'unique_together': (('campaign', 'shard'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SocialAccount',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('network', fields.CharField(max_length=16)),
                ('account_id', fields.CharField(max_length=64)),
                ('handle', fields.CharField(max_length=64)),
                ('followers', fields.BigIntField(default=0)),
                ('following', fields.BigIntField(default=0)),
                ('protected', fields.BooleanField(default=False)),
                ('verified', fields.BooleanField(default=False)),
                ('account_created_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('access_token_enc', fields.TextField(null=True, unique=False)),
                ('refresh_token_enc', fields.TextField(null=True, unique=False)),
                ('token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('profile_checked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('tokens_deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'social_accounts', 'app': 'models', 'unique_together': (('organisation', 'network', 'account_id'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Pledge',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='pledges', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.SocialAccount', source_field='account_id', db_constraint=True, to_field='id', related_name='pledges', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=PledgeStatus.ACTIVE, description='ACTIVE: active\nWITHDRAWN: withdrawn', enum_type=PledgeStatus, max_length=16)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('locale', fields.CharField(default='en', max_length=8)),
                ('counted_reach', fields.BigIntField(default=0)),
                ('counted_quality', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'pledges', 'app': 'models', 'unique_together': (('campaign', 'account'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Consent',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pledge', fields.ForeignKeyField('models.Pledge', source_field='pledge_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.CASCADE)),
                ('network', fields.CharField(max_length=16)),
                ('terms_version', fields.CharField(max_length=16)),
                ('locale', fields.CharField(max_length=8)),
                ('text', fields.TextField(unique=False)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'pledge_consents', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
    ]
