from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from campaigns.auction.statuses import AuctionStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_grants_review')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Auction',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.OneToOneField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='auction', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=AuctionStatus.SCHEDULED, description='SCHEDULED: scheduled\nOPEN: open\nCLOSING: closing\nWON: won\nUNSOLD: unsold\nPAID: paid\nPAYMENT_FAILED: payment_failed', enum_type=AuctionStatus, max_length=16)),
                ('currency', fields.CharField(max_length=3)),
                ('starting_minor', fields.BigIntField()),
                ('reserve_minor', fields.BigIntField(null=True)),
                ('buy_now_minor', fields.BigIntField(null=True)),
                ('increments', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('scheduled_end', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('soft_close_seconds', fields.IntField(default=300)),
                ('leader_id', fields.IntField(null=True)),
                ('leader_max_minor', fields.BigIntField(default=0)),
                ('price_minor', fields.BigIntField(default=0)),
                ('bought_now', fields.BooleanField(default=False)),
                ('bids', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'auctions', 'app': 'models', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='BidRecord',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('auction', fields.ForeignKeyField('models.Auction', source_field='auction_id', db_constraint=True, to_field='id', related_name='bid_records', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('sponsor_id', fields.IntField()),
                ('max_minor', fields.BigIntField()),
                ('outcome', fields.CharField(max_length=16)),
                ('leader_id', fields.IntField(null=True)),
                ('price_minor', fields.BigIntField()),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('placed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'auction_bids', 'app': 'models', 'unique_together': (('auction', 'number'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Sponsor',
            fields=[
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', on_delete=OnDelete.CASCADE)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('company_name', fields.CharField(max_length=160)),
                ('contact_name', fields.CharField(max_length=120)),
                ('billing_email', fields.CharField(max_length=254)),
                ('country', fields.CharField(max_length=2)),
                ('tax_id', fields.CharField(default='', max_length=40)),
                ('customer_ref', fields.CharField(null=True, max_length=64)),
                ('payment_method_ref', fields.CharField(null=True, max_length=64)),
                ('card_brand', fields.CharField(default='', max_length=24)),
                ('card_last4', fields.CharField(default='', max_length=4)),
                ('card_saved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sponsors', 'app': 'models', 'unique_together': (('organisation', 'user_id'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
    ]
